"""Across the articles of one story: entities, facts, omissions, conflicts, quotes, framing, timeline."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from storyscope.config import CompareConfig
from storyscope.records import (
    AnnotatedArticle,
    Conflict,
    Entity,
    Fact,
    FramingItem,
    Omission,
    QuoteGroup,
    TimelineEvent,
)


@dataclass(frozen=True, slots=True)
class Findings:
    entities: tuple[Entity, ...] = ()
    facts: tuple[Fact, ...] = ()
    omissions: tuple[Omission, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    quote_groups: tuple[QuoteGroup, ...] = ()
    framing: tuple[FramingItem, ...] = ()
    timeline: tuple[TimelineEvent, ...] = ()


def compare_annotated(
    annotated: Sequence[AnnotatedArticle], vectors: Mapping[str, np.ndarray], config: CompareConfig
) -> Findings:
    return Findings()
