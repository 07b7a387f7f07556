"""Quantities with normalised units (stub: being written)."""

from __future__ import annotations

from collections.abc import Sequence

from storyscope.records import Quantity, Sentence


def extract_quantities(doc, sentences: Sequence[Sentence], article_id: str) -> tuple[Quantity, ...]:
    return ()
