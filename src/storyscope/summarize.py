"""Neutral extractive summary citing its articles (stub: being written)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from storyscope.config import CompareConfig
from storyscope.records import AnnotatedArticle, Fact, SummarySentence


def summarize(
    annotated: Sequence[AnnotatedArticle],
    facts: Sequence[Fact],
    vectors: Mapping[str, np.ndarray],
    config: CompareConfig,
) -> tuple[SummarySentence, ...]:
    return ()
