"""Direct and indirect quotes with speaker, cue verb and content (stub: being written)."""

from __future__ import annotations

from collections.abc import Sequence

from storyscope.records import Quote, Sentence


def extract_quotes(doc, sentences: Sequence[Sentence], article_id: str) -> tuple[Quote, ...]:
    return ()
