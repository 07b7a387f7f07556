"""Wire copies and reprints: one text under several outlets, counted once.

(Contract stub: being implemented.)
"""

from __future__ import annotations

from collections.abc import Sequence

from storyscope.config import CompareConfig
from storyscope.records import AnnotatedArticle, CopyGroup, Fact


def find_copies(annotated: Sequence[AnnotatedArticle], config: CompareConfig) -> tuple[CopyGroup, ...]:
    return ()


def count_independent(
    facts: Sequence[Fact], copies: Sequence[CopyGroup], annotated: Sequence[AnnotatedArticle]
) -> tuple[Fact, ...]:
    return tuple(facts)
