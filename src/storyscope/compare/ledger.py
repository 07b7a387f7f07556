"""Quote ledger: every quote of a story grouped across outlets, each outlet's version classified.

(Contract stub: being implemented.)
"""

from __future__ import annotations

from collections.abc import Sequence

from storyscope.config import CompareConfig
from storyscope.records import AnnotatedArticle, LedgerEntry, QuoteGroup


def build_ledger(
    annotated: Sequence[AnnotatedArticle], quote_groups: Sequence[QuoteGroup], config: CompareConfig
) -> tuple[LedgerEntry, ...]:
    return ()
