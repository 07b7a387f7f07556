"""Across the articles of one story: entities, facts, omissions, conflicts, quotes, framing, timeline.

Order matters and is fixed here: entities and facts first (everything else is
found *within* aligned facts or resolved entities), then quote groups, then
conflicts (which need all three), then framing and the timeline.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from storyscope.compare.conflicts import find_conflicts
from storyscope.compare.entities import entity_index, resolve_entities
from storyscope.compare.facts import align_facts, number_keys, sentence_fact_index
from storyscope.compare.framing import find_framing
from storyscope.compare.quotes import group_quotes, same_utterance
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
    Quote,
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
    covered: Callable[[Fact, str], bool] | None = None,
    tails: frozenset[tuple[str, int]] = frozenset(),
) -> tuple[Omission, ...]:
    """For each outlet, the facts that most *other* independent sources report and it leaves out.

    Outlets that ran one wire copy (``copies``) count as one source, so three reprints of an
    agency story cannot make a fact look like what "most outlets" report. ``covered(fact,
    article_id)`` says an article reports the fact elsewhere (:func:`quoted_elsewhere`,
    :func:`figures_elsewhere`): then its outlet did not leave it out. A fact told only by
    ``tails`` (sentences that go on with a quote opened before them, :func:`quote_tails`) is
    not an omission of its own: leaving out the whole statement is the omission of the fact
    that opens it, and quoting only its start is a trimmed quote (the ledger's finding).
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
        if tails and all((e.article_id, e.sentence_index) in tails for e in fact.evidence):
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
            if share >= config.omission_min_share and not (
                covered and any(covered(fact, aid) for aid in articles_of[src])
            ):
                out.append(Omission(src, tuple(articles_of[src]), fact.id, fact.sources))
    out.sort(key=lambda o: (o.source, -len(o.reported_by)))
    return tuple(out)


def quote_tails(annotated: Sequence[AnnotatedArticle]) -> frozenset[tuple[str, int]]:
    """(article id, sentence index) of the sentences that go on with a direct quote opened before them.

    'Netanyahu says: "The world tells Israel, wait. And I say wait for what? Wait until when?"'
    is one statement over three sentences; its second and third are tails.
    """
    out: set[tuple[str, int]] = set()
    for a in annotated:
        starts = [s.start for s in a.sentences]
        for q in a.quotes:
            if q.kind != "direct":
                continue
            i = bisect.bisect_right(starts, q.start)  # the first sentence starting after the quote does
            while i < len(starts) and starts[i] < q.end:
                out.add((a.id, i))
                i += 1
    return frozenset(out)


def _telling_figures(text: str) -> frozenset[str]:
    """The figures of a sentence that identify what it reports: not small counts ("two aides")
    and not years, which many facts of a story share."""
    out = set()
    for k in number_keys(text):
        v = float(k)
        if v > 10 and not (v.is_integer() and 1900 <= v <= 2100):
            out.add(k)
    return frozenset(out)


def figures_elsewhere(annotated: Sequence[AnnotatedArticle]) -> Callable[[Fact, str], bool]:
    """Whether an article states the telling figures of one of a fact's sentences in one sentence.

    The other face of :func:`quoted_elsewhere`: a sentence packing two facts ("a goal realized in
    Tuesday's vote of 285-120") aligns with one, but the vote it gives shows the outlet reported
    the other ("The 285-120 vote was bipartisan, but it split Republicans"). Two figures, or one of
    three digits or more, are needed: a lone "20" says little about which fact a sentence is.
    """
    figures_of = {(a.id, s.index): _telling_figures(s.text) for a in annotated for s in a.sentences}
    by_article: dict[str, list[frozenset[str]]] = {}
    for (aid, _i), figs in figures_of.items():
        if figs:
            by_article.setdefault(aid, []).append(figs)

    def covered(fact: Fact, article_id: str) -> bool:
        mine = by_article.get(article_id, ())
        for ev in fact.evidence:
            figs = figures_of.get((ev.article_id, ev.sentence_index), frozenset())
            telling = len(figs) >= 2 or any(float(k) >= 100 for k in figs)
            if telling and any(figs <= other for other in mine):
                return True
        return False

    return covered


def quoted_elsewhere(quote_groups: Sequence[QuoteGroup]) -> Callable[[Fact, str], bool]:
    """Whether an article quotes the same words as one of a fact's sentences.

    One sentence joins one fact, so a sentence that packs two facts ("Braley apologized ...
    after video emerged of him warning that 'a farmer from Iowa who never went to law school'")
    aligns with only one of them; a quote it shares with the other fact's sentences shows that
    the outlet reported that fact too. The two quotes must be the same words themselves, not
    only two parts of one long statement that a third quote joins in a group.
    """
    quotes_at: dict[tuple[str, int], list[tuple[QuoteGroup, Quote]]] = {}
    for g in quote_groups:
        if len(g.sources) < 2:
            continue
        for q in g.quotes:
            quotes_at.setdefault((q.article_id, q.sentence_index), []).append((g, q))

    def covered(fact: Fact, article_id: str) -> bool:
        for ev in fact.evidence:
            for group, q in quotes_at.get((ev.article_id, ev.sentence_index), ()):
                # Only the words of the quote inside this sentence: a quote running over several
                # sentences is several facts, and the other outlet may quote another of them.
                part = q.content[max(0, ev.start - q.start) : max(0, ev.end - q.start)]
                if any(
                    other.article_id == article_id and same_utterance(part, other.content)
                    for other in group.quotes
                ):
                    return True
        return False

    return covered


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
    quote_groups = group_quotes(annotated, entities)
    reported_elsewhere = _either(quoted_elsewhere(quote_groups), figures_elsewhere(annotated))
    return Findings(
        entities=entities,
        facts=facts,
        omissions=find_omissions(annotated, facts, config, copies, reported_elsewhere, quote_tails(annotated)),
        conflicts=find_conflicts(annotated, facts, entities, quote_groups, config),
        quote_groups=quote_groups,
        framing=find_framing(annotated, facts, entities, vectors),
        timeline=build_timeline(annotated, facts, sentence_fact_index(facts)),
    )


def _either(*checks: Callable[[Fact, str], bool]) -> Callable[[Fact, str], bool]:
    return lambda fact, article_id: any(check(fact, article_id) for check in checks)
