"""Corrections and updates: later versions of one outlet's article, and what changed.

(Contract stub: being implemented.)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from storyscope.config import CompareConfig
from storyscope.records import AnnotatedArticle, Conflict, VersionChain


def find_versions(
    annotated: Sequence[AnnotatedArticle], vectors: Mapping[str, np.ndarray], config: CompareConfig
) -> tuple[VersionChain, ...]:
    return ()


def resolve_conflicts(
    conflicts: Sequence[Conflict], chains: Sequence[VersionChain], annotated: Sequence[AnnotatedArticle]
) -> tuple[Conflict, ...]:
    return tuple(conflicts)
