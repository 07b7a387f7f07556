"""Time expressions resolved to calendar dates (stub: being written)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from storyscope.records import Sentence, TimeMention


def extract_times(
    text: str, sentences: Sequence[Sentence], published: dt.date | None, article_id: str
) -> tuple[TimeMention, ...]:
    return ()
