"""The dated timeline: every resolved date, with the sentences (and articles) that mention it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from storyscope.records import AnnotatedArticle, Evidence, Fact, TimelineEvent, TimeMention


def build_timeline(
    annotated: Sequence[AnnotatedArticle], facts: Sequence[Fact], fact_of: Mapping[tuple[str, int], str]
) -> tuple[TimelineEvent, ...]:
    """One event per (date, fact): the same dated thing reported by several outlets is one row."""
    fact_text = {f.id: f.text for f in facts}
    sent_text = {(a.id, s.index): s for a in annotated for s in a.sentences}
    groups: dict[tuple, list] = defaultdict(list)
    for a in annotated:
        for t in _finest(a.times):
            fid = fact_of.get((a.id, t.sentence_index), f"{a.id}:{t.sentence_index}")
            groups[(t.date, t.granularity, fid)].append(t)
    events = []
    for (date, gran, fid), ts in groups.items():
        evs = []
        seen = set()
        for t in sorted(ts, key=lambda t: (t.article_id, t.sentence_index)):
            if (t.article_id, t.sentence_index) in seen:
                continue
            seen.add((t.article_id, t.sentence_index))
            s = sent_text[(t.article_id, t.sentence_index)]
            evs.append(Evidence(s.article_id, s.index, s.start, s.end))
        # The row reads as a sentence that carries the date: the fact's wording when it is one of
        # the dated sentences, else the first dated sentence (another outlet's wording of the fact
        # may not say when).
        dated = [sent_text[(e.article_id, e.sentence_index)].text for e in evs]
        text = fact_text[fid] if fact_text.get(fid) in dated else dated[0]
        events.append(TimelineEvent(date, gran, text, tuple(evs), tuple(sorted({e.article_id for e in evs}))))
    events.sort(key=lambda e: (e.date, -len(e.article_ids), e.text))
    return tuple(events)


def _finest(times: Sequence[TimeMention]) -> list[TimeMention]:
    """A sentence's times without a month or year that one of its finer dates falls in.

    "With the Senate set to debate this month, the report came out on Tuesday" is one event on
    Tuesday's date, not a second row for the month.
    """
    by_sentence: dict[int, list[TimeMention]] = defaultdict(list)
    for t in times:
        by_sentence[t.sentence_index].append(t)
    out = []
    for t in times:
        if t.granularity == "day":
            out.append(t)
            continue
        finer = [u for u in by_sentence[t.sentence_index] if _RANK[u.granularity] < _RANK[t.granularity]]
        if any(u.date.year == t.date.year and (t.granularity == "year" or u.date.month == t.date.month) for u in finer):
            continue
        out.append(t)
    return out


_RANK = {"day": 0, "month": 1, "year": 2}
