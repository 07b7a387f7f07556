"""The report on examples/ finds every planted agreement, omission, conflict, alias and dropped line.

The planted key is tests/fixtures/planted_examples.json (its phrases are checked verbatim against
the article files by test_examples_planted.py). Each test here runs the real pipeline once per
session (the `example_report` fixture) and looks the planted phrases up in the report.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PLANTED = json.loads((ROOT / "tests" / "fixtures" / "planted_examples.json").read_text(encoding="utf-8"))


def sentence_keys(report, source: str, phrase: str) -> set[tuple[str, int]]:
    """(article id, sentence index) of the sentences of ``source`` that overlap ``phrase``."""
    out = set()
    for a in report.articles:
        if a.article.source != source:
            continue
        pos = a.article.text.find(phrase)
        assert pos >= 0, f"{phrase!r} not in cleaned text of {source}"
        end = pos + len(phrase)
        out |= {(a.id, s.index) for s in a.sentences if s.start < end and pos < s.end}
    return out


def fact_containing(report, keys: set[tuple[str, int]]):
    for f in report.facts:
        if keys & {(e.article_id, e.sentence_index) for e in f.evidence}:
            return f
    raise AssertionError(f"no fact holds {keys}")


def test_every_article_read_and_nothing_failed(example_report):
    assert sorted(example_report.sources) == sorted(a["source"] for a in PLANTED["articles"])
    assert example_report.failures == ()


@pytest.mark.parametrize("item", PLANTED["agreements"], ids=lambda i: i["desc"][:40])
def test_agreement_is_one_fact_reported_by_all(example_report, item):
    # An outlet may state the fact in two sentences (only one can join the fact per article),
    # so the planted phrase of an outlet may sit in its other sentence: the fact holding most
    # of the planted phrases must be reported by every outlet.
    ids = [fact_containing(example_report, sentence_keys(example_report, s, p)).id for s, p in item["phrases"].items()]
    main = max(set(ids), key=ids.count)
    assert ids.count(main) >= len(ids) - 1, f"planted agreement split: {ids}"
    fact = next(f for f in example_report.facts if f.id == main)
    assert fact.coverage == "all", fact


@pytest.mark.parametrize("item", PLANTED["omissions"], ids=lambda i: i["desc"][:40])
def test_omission_is_reported_for_the_outlet_that_leaves_it_out(example_report, item):
    fact_ids = {fact_containing(example_report, sentence_keys(example_report, s, p)).id for s, p in item["phrases"].items()}
    found = {o.fact_id for o in example_report.omissions if o.source == item["missing_from"]}
    assert fact_ids & found, f"{item['missing_from']} omission of {item['desc']!r} not reported"


def _conflict_sides(conflict) -> dict[str, str]:
    return {src: side.value for side in conflict.sides for src in side.sources}


def test_number_conflict_12_vs_15(example_report):
    (c,) = [c for c in example_report.conflicts if c.kind == "number"]
    sides = _conflict_sides(c)
    assert "15" in sides["Meridian Post"]
    assert all("12" in sides[s] for s in ("Harbour Wire", "The Vestmar Courier", "Northgate Herald"))
    for side in c.sides:  # evidence points at the sentences that carry each figure
        for ev in side.evidence:
            assert any(ch.isdigit() for ch in example_report.cite(ev))


def test_unit_equivalence_is_not_a_conflict(example_report):
    for c in example_report.conflicts:
        assert c.description.split("(")[-1].split(")")[0] != "m", c.description
        assert not any("mile" in s.value or "km" in s.value or "kilometre" in s.value for s in c.sides)


def test_quote_given_to_different_speakers(example_report):
    item = next(i for i in PLANTED["conflicts"] if i["kind"] == "speaker")
    (c,) = [c for c in example_report.conflicts if c.kind == "speaker"]
    assert item["quote"][:30] in c.description
    sides = _conflict_sides(c)
    for source, speaker in item["speakers"].items():
        assert sides.get(source) == speaker, (source, sides)


def test_negation_conflict(example_report):
    item = next(i for i in PLANTED["conflicts"] if i["kind"] == "negation")
    (c,) = [c for c in example_report.conflicts if c.kind == "negation"]
    sides = _conflict_sides(c)
    assert set(item["sides"]) <= set(sides)
    assert len({sides[s] for s in item["sides"]}) == 2


def test_date_conflict_friday_vs_saturday(example_report):
    (c,) = [c for c in example_report.conflicts if c.kind == "date"]
    assert {s.value for s in c.sides} == {"2026-03-06", "2026-03-07"}
    assert _conflict_sides(c)["Northgate Herald"] == "2026-03-07"


def test_spelling_variant_and_surname_are_one_entity(example_report):
    for item in PLANTED["aliases"]:
        if item["kind"] == "description":
            continue  # "the regional rescue service" is a description, not a name NER can see
        names = set(item["names"].values())
        ents = [e for e in example_report.entities if any(n.name in names or n.name in " ".join(names) for n in e.names)]
        best = max(ents, key=lambda e: len({n.source for n in e.names}))
        assert {n.source for n in best.names} == set(item["names"]), (item["entity"], best)
    kal = next(e for e in example_report.entities if "Kalvaro" in e.aliases)
    assert "Kalvarro" in kal.aliases
    assert {n.source for n in kal.names if n.name == "Kalvaro"} == {"Meridian Post"}


def test_planted_lines_are_dropped_with_their_reason(example_report):
    dropped = {(example_report.article(d.article_id).article.source, d.text, d.reason) for d in example_report.dropped}
    for item in PLANTED["dropped"]:
        assert (item["source"], item["text"], item["reason"]) in dropped
    for a in example_report.articles:
        for item in PLANTED["dropped"]:
            assert item["text"] not in a.article.text
        for junk in PLANTED["boilerplate"]:
            assert junk["text"] not in a.article.text


def test_loaded_wording_is_flagged_for_the_outlet_that_uses_it(example_report):
    meridian_terms = {
        t for f in example_report.framing if f.kind in {"wording", "headline", "lead", "vocabulary"}
        for src, terms in f.terms if src == "Meridian Post" for t in terms
    }
    assert {"botched", "chaos", "slammed"} <= meridian_terms
    others = {t for f in example_report.framing if f.kind == "wording" for src, terms in f.terms if src != "Meridian Post" for t in terms}
    assert not {"botched", "slammed"} & others


def test_single_outlet_fact(example_report):
    for item in PLANTED["single_outlet"]:
        (src, phrase), = item["phrases"].items()
        f = fact_containing(example_report, sentence_keys(example_report, src, phrase))
        assert f.coverage == "one" and f.sources == (src,)


def test_relative_dates_resolve_to_the_event_day(example_report):
    event = dt.date.fromisoformat(PLANTED["event_date"])
    day = [e for e in example_report.timeline if e.date == event]
    assert len({aid for e in day for aid in e.article_ids}) == 4


def test_summary_is_cited_verbatim(example_report):
    summary = example_report.summary
    assert 5 <= len(summary) <= 8
    for s in summary:
        assert s.citations
        assert any(example_report.cite(ev) == s.text or s.text in example_report.cite(ev) for ev in s.citations)
    # shared facts come first
    cover = {f.id: len(f.sources) for f in example_report.facts}
    first = cover[summary[0].fact_id]
    assert first == max(cover.values())


def test_every_finding_carries_checkable_evidence(example_report):
    evs = [ev for f in example_report.facts for ev in f.evidence]
    evs += [ev for c in example_report.conflicts for s in c.sides for ev in s.evidence]
    evs += [ev for s in example_report.summary for ev in s.citations]
    evs += [ev for t in example_report.timeline for ev in t.evidence]
    for ev in evs:
        art = example_report.article(ev.article_id)
        sent = art.sentences[ev.sentence_index]
        assert sent.start <= ev.start < ev.end <= sent.end
        assert example_report.cite(ev) == art.article.text[ev.start : ev.end]


def test_summary_never_cites_the_losing_side_of_a_conflict(example_report):
    losing = {
        (e.article_id, e.sentence_index)
        for c in example_report.conflicts
        for side in sorted(c.sides, key=lambda s: -len(s.sources))[1:]
        for e in side.evidence
    }
    for s in example_report.summary:
        assert not losing & {(e.article_id, e.sentence_index) for e in s.citations}, s.text
