"""Across the articles of one story: entities, facts, omissions, conflicts, quotes, framing, timeline.

Order matters and is fixed here: entities and facts first (everything else is
found *within* aligned facts or resolved entities), then quote groups, then
conflicts (which need all three), then framing and the timeline.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from storyscope.compare.conflicts import find_conflicts
from storyscope.compare.entities import entity_index, resolve_entities
from storyscope.compare.facts import align_facts, sentence_fact_index
from storyscope.compare.framing import find_framing
from storyscope.compare.quotes import group_quotes
from storyscope.compare.timeline import build_timeline
from storyscope.config import CompareConfig
from storyscope.records import (
    AnnotatedArticle,
    Conflict,
    CopyGroup,
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


def find_omissions(
    annotated: Sequence[AnnotatedArticle],
    facts: Sequence[Fact],
    config: CompareConfig,
    copies: Sequence[CopyGroup] = (),
) -> tuple[Omission, ...]:
    """For each outlet, the facts that most *other* independent sources report and it leaves out.

    Outlets that ran one wire copy (``copies``) count as one source, so three reprints of an
    agency story cannot make a fact look like what "most outlets" report.
    """
    articles_of: dict[str, list[str]] = {}
    for a in annotated:
        articles_of.setdefault(a.article.source, []).append(a.id)
    outlets = sorted(articles_of)
    unit = {src: src for src in outlets}
    for group in copies:
        first = min(group.sources)
        for src in group.sources:
            unit[src] = first
    out = []
    for fact in facts:
        if len(fact.sources) < 2:
            continue
        reporters = {unit.get(s, s) for s in fact.sources}
        for src in outlets:
            if src in fact.sources:
                continue
            others = {unit[o] for o in outlets if o != src}
            if len(others) < 2:
                # With one other source "most others" is that one: every single-outlet fact
                # would be an omission of the other, which is what coverage "one" already says.
                continue
            share = len(reporters & others) / len(others)
            if share >= config.omission_min_share:
                out.append(Omission(src, tuple(articles_of[src]), fact.id, fact.sources))
    out.sort(key=lambda o: (o.source, -len(o.reported_by)))
    return tuple(out)


def compare_annotated(
    annotated: Sequence[AnnotatedArticle],
    vectors: Mapping[str, np.ndarray],
    config: CompareConfig,
    clause_vectors: Mapping[tuple[str, int], np.ndarray] | None = None,
    copies: Sequence[CopyGroup] = (),
) -> Findings:
    """Entities, facts, omissions (a wire ``copies`` group counting as one source), conflicts..."""
    entities = resolve_entities(annotated)
    facts = align_facts(annotated, vectors, config, entity_index(entities), clause_vectors)
    quote_groups = group_quotes(annotated)
    return Findings(
        entities=entities,
        facts=facts,
        omissions=find_omissions(annotated, facts, config, copies),
        conflicts=find_conflicts(annotated, facts, entities, quote_groups, config),
        quote_groups=quote_groups,
        framing=find_framing(annotated, facts, entities, vectors),
        timeline=build_timeline(annotated, facts, sentence_fact_index(facts)),
    )
