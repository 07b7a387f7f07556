"""Corrections and updates: versions of one outlet's article, what changed, and conflicts they resolve.

Unit tests build annotated articles by hand (no models); the end-to-end tests run the pipeline on
tests/fixtures/versions/, an invented story: the Valley Ledger reports 12 injured in a warehouse fire
in Orlanne, then corrects it to 15 (same URL, later date, a "Correction:" note), and the Orlanne
Observer reports 15. The two outlets also disagree on the number of firefighters (60 vs 90), which no
correction touches and must stay an open conflict.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import jsonschema
import pytest

import storyscope
from storyscope.compare.versions import diff_versions, find_versions, resolve_conflicts, superseded_ids
from storyscope.config import CompareConfig
from storyscope.records import (
    AnnotatedArticle,
    Article,
    Conflict,
    ConflictSide,
    DroppedLine,
    Quantity,
    Sentence,
    StoryReport,
)
from storyscope.render import render, report_to_dict

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "versions"
SCHEMA = json.loads((ROOT / "docs" / "storyscope-report.schema.json").read_text(encoding="utf-8"))
V1, V2, OBS = "valleyledger-orlanne-fire-v1", "valleyledger-orlanne-fire-v2", "orlanneobserver-warehouse-blaze"
LEDGER, OBSERVER = "Valley Ledger", "Orlanne Observer"
CONFIG = CompareConfig()


# --------------------------------------------------------------------------- hand-built articles

_COUNT = re.compile(r"(\d+) (people|firefighters)")


def art(
    aid: str,
    source: str,
    sentences: list[str],
    *,
    url: str | None = None,
    published: dt.date | None = None,
    dropped: tuple[str, ...] = (),
) -> AnnotatedArticle:
    """An annotated article whose counts ("12 people") are annotated as quantities."""
    text, sents, quants, pos = "", [], [], 0
    for i, s in enumerate(sentences):
        if i:
            text += " "
            pos += 1
        sents.append(Sentence(aid, i, pos, pos + len(s), s))
        for m in _COUNT.finditer(s):
            quants.append(
                Quantity(aid, i, pos + m.start(), pos + m.end(), m.group(), float(m.group(1)), m.group(2), "count")
            )
        text += s
        pos += len(s)
    article = Article(aid, source, f"title of {aid}", text, published, url)
    notes = tuple(DroppedLine(aid, d, "update_note", k) for k, d in enumerate(dropped))
    return AnnotatedArticle(article, tuple(sents), quantities=tuple(quants), dropped=notes)


BASE = [
    "A fire broke out at a depot in Tarrow on Friday.",
    "At least 12 people were hurt, officials said.",
    "The depot stored paint and solvents for the shipyard.",
    "Crews stayed at the scene overnight to cool the ruins.",
]


def with_sentence(index: int, sentence: str, base: list[str] = BASE) -> list[str]:
    out = list(base)
    out[index] = sentence
    return out


def side(value: str, *evs) -> ConflictSide:
    return ConflictSide(value, tuple(sorted({src for src, _ in evs})), tuple(ev for _, ev in evs))


def ev_of(a: AnnotatedArticle, index: int):
    return (a.article.source, a.sentences[index].evidence)


# --------------------------------------------------------------------------- find_versions


def test_same_url_ignoring_query_and_fragment_makes_a_chain_oldest_first() -> None:
    url = "https://daily.example/news/tarrow-depot-fire"
    new = art("new", "Daily", with_sentence(1, "At least 15 people were hurt, officials said."),
              url=url + "?utm_source=rss#comments", published=dt.date(2026, 6, 6),
              dropped=("Correction: An earlier version of this story misstated the number of people hurt.",))
    old = art("old", "Daily", BASE, url=url + "/", published=dt.date(2026, 6, 5))
    other = art("other", "Weekly", BASE, url=url, published=dt.date(2026, 6, 5))  # another outlet: never a version
    chains = find_versions([new, other, old], {}, CONFIG)
    assert len(chains) == 1
    chain = chains[0]
    assert chain.source == "Daily"
    assert chain.article_ids == ("old", "new")
    assert chain.correction is True
    assert [c.kind for c in chain.changes] == ["changed"]
    assert chain.changes[0].note == "12 -> 15 people"
    assert superseded_ids(chains) == {"old"}


def test_similar_text_without_shared_url_is_a_version_but_a_follow_up_is_not() -> None:
    first = art("a1", "Daily", BASE, url="https://daily.example/a/depot-fire", published=dt.date(2026, 6, 5))
    update = art(
        "a2", "Daily", [*BASE, "The cause of the fire is being investigated."],
        url="https://daily.example/a/depot-fire-cause-investigated", published=dt.date(2026, 6, 5),
        dropped=("Updated at 6:40 p.m. with the investigation.",),
    )
    follow_up = art(
        "a3", "Daily",
        ["Shipyard workers returned to Tarrow on Monday.", "The depot fire had closed the yard for two days.",
         "Managers said paint deliveries would resume next week.", "Insurers are assessing the damage."],
        url="https://daily.example/a/shipyard-reopens", published=dt.date(2026, 6, 8),
    )
    chains = find_versions([update, follow_up, first], {}, CONFIG)
    assert [c.article_ids for c in chains] == [("a1", "a2")]
    assert chains[0].correction is False  # an update, not a correction
    assert [(c.kind, c.before, c.after is not None) for c in chains[0].changes] == [("added", None, True)]


def test_same_day_versions_are_ordered_by_their_correction_note_not_by_input_order() -> None:
    day = dt.date(2026, 6, 5)
    corrected = art("c", "Daily", with_sentence(1, "At least 15 people were hurt, officials said."),
                    url="https://daily.example/x", published=day,
                    dropped=("This article has been corrected to give the number of people hurt.",))
    original = art("o", "Daily", BASE, url="https://daily.example/x", published=day)
    (chain,) = find_versions([corrected, original], {}, CONFIG)
    assert chain.article_ids == ("o", "c")
    assert chain.correction


def test_changes_list_added_removed_and_changed_sentences_with_number_notes() -> None:
    old = art("o", "Daily", BASE)
    new = art("n", "Daily", [
        BASE[0],
        "At least 15 people were hurt, officials said.",
        "Two of them are in a serious condition.",
        BASE[3],
    ])
    changes = diff_versions(old, new)
    got = [(c.kind, c.before and c.before.sentence_index, c.after and c.after.sentence_index, c.note)
           for c in changes]
    assert ("changed", 1, 1, "12 -> 15 people") in got
    assert ("removed", 2, None, "") in got
    assert ("added", None, 2, "") in got
    assert len(got) == 3  # unchanged sentences are not listed


def test_odd_input_does_not_crash_and_vectors_of_the_wrong_shape_fall_back_to_text() -> None:
    import numpy as np

    a = art("a", "Daily", BASE, published=dt.date(2026, 6, 5))
    b = art("b", "Daily", [*BASE, "The Department of Corrections: no inmates were moved."],
            published=dt.date(2026, 6, 6))
    empty = AnnotatedArticle(Article("e", "Daily", "", "", None, None), ())
    vectors = {"a": np.ones((2, 3)), "b": np.full((5, 3), np.nan), "e": np.zeros((0, 3))}
    (chain,) = find_versions([a, b, empty], vectors, CONFIG)
    assert chain.article_ids == ("a", "b")
    assert chain.correction is False  # "Department of Corrections:" is not a correction note
    assert find_versions([], {}, CONFIG) == ()


# --------------------------------------------------------------------------- resolve_conflicts


@pytest.fixture()
def story():
    old = art("old", "Daily", BASE, url="https://daily.example/x", published=dt.date(2026, 6, 5))
    new = art("new", "Daily", with_sentence(1, "At least 15 people were hurt, officials said."),
              url="https://daily.example/x", published=dt.date(2026, 6, 6),
              dropped=("Correction: An earlier version of this article said 12 people were hurt.",))
    other = art("wk", "Weekly", with_sentence(1, "Officials said at least 15 people were hurt."))
    chains = find_versions([old, new, other], {}, CONFIG)
    return old, new, other, chains


def test_conflict_kept_alive_only_by_a_superseded_version_is_resolved(story) -> None:
    old, new, other, chains = story
    conflict = Conflict("C1", "number", "F1", "outlets give different figures (people): ...", (
        side("At least 15 people", ev_of(new, 1), ev_of(other, 0)),
        side("At least 12 people", ev_of(old, 1)),
    ))
    (out,) = resolve_conflicts([conflict], chains, [old, new, other])
    assert out.status == "resolved"
    assert out.resolved_by == new.sentences[1].evidence
    assert "resolved" in out.description


def test_open_conflicts_without_superseded_evidence_are_untouched(story) -> None:
    old, new, other, chains = story
    conflict = Conflict("C2", "number", "F2", "d", (side("a", ev_of(new, 2)), side("b", ev_of(other, 2))))
    assert resolve_conflicts([conflict], chains, [old, new, other]) == (conflict,)
    assert resolve_conflicts([conflict], (), [old, new, other]) == (conflict,)


def test_superseded_evidence_leaves_a_still_open_conflict(story) -> None:
    old, new, other, chains = story
    third = art("th", "Third", with_sentence(1, "At least 20 people were hurt, officials said."))
    desc = "outlets give different figures (people): 15 (Daily, Weekly) vs 12 (Daily) vs 20 (Third)"
    conflict = Conflict("C3", "number", "F3", desc, (
        side("15", ev_of(new, 1), ev_of(other, 0)),
        side("12", ev_of(old, 1)),
        side("20", ev_of(third, 1)),
    ))
    (out,) = resolve_conflicts([conflict], chains, [old, new, other, third])
    assert out.status == "open"
    assert [s.value for s in out.sides] == ["15", "20"]
    assert all(e.article_id != "old" for s in out.sides for e in s.evidence)
    assert out.description == "outlets give different figures (people): 15 (Daily, Weekly) vs 20 (Third)"


def test_disagreement_only_between_versions_of_outlets_is_not_an_outlet_conflict() -> None:
    a_old = art("ao", "Daily", BASE, url="https://daily.example/x", published=dt.date(2026, 6, 5))
    a_new = art("an", "Daily", with_sentence(1, "At least 15 people were hurt, officials said."),
                url="https://daily.example/x", published=dt.date(2026, 6, 6))
    b_old = art("bo", "Weekly", BASE, url="https://weekly.example/y", published=dt.date(2026, 6, 5))
    b_new = art("bn", "Weekly", with_sentence(1, "At least 15 people were hurt, officials said."),
                url="https://weekly.example/y", published=dt.date(2026, 6, 6))
    arts = [a_old, a_new, b_old, b_new]
    chains = find_versions(arts, {}, CONFIG)
    assert len(chains) == 2
    # Both outlets said 12, both later said 15: at no time did the outlets disagree.
    conflict = Conflict("C4", "number", "F4", "d", (
        side("15", ev_of(a_new, 1), ev_of(b_new, 1)),
        side("12", ev_of(a_old, 1), ev_of(b_old, 1)),
    ))
    assert resolve_conflicts([conflict], chains, arts) == ()


def test_a_figure_the_newer_version_dropped_resolves_without_a_sentence(story) -> None:
    old, _new, other, _chains = story
    dropped = art("new2", "Daily", [BASE[0], BASE[2], BASE[3]], url="https://daily.example/x",
                  published=dt.date(2026, 6, 6))
    arts = [old, dropped, other]
    chains = find_versions(arts, {}, CONFIG)
    assert [c.kind for c in chains[0].changes] == ["removed"]
    conflict = Conflict("C5", "number", "F5", "d", (
        side("15", ev_of(other, 0)),
        side("12", ev_of(old, 1)),
    ))
    (out,) = resolve_conflicts([conflict], chains, arts)
    assert out.status == "resolved"
    assert out.resolved_by is None


def test_a_newer_version_that_still_gives_the_old_figure_keeps_the_conflict_open(story) -> None:
    old, _new, other, _chains = story
    same = art("new3", "Daily", [*BASE, "The depot reopened on Monday."], url="https://daily.example/x",
               published=dt.date(2026, 6, 6))
    arts = [old, same, other]
    chains = find_versions(arts, {}, CONFIG)
    conflict = Conflict("C6", "number", "F6", "d", (side("15", ev_of(other, 0)), side("12", ev_of(old, 1))))
    assert resolve_conflicts([conflict], chains, arts) == (conflict,)


# --------------------------------------------------------------------------- the pipeline, end to end


@pytest.fixture(scope="module")
def report(models) -> StoryReport:
    return storyscope.compare([FIXTURES], models=models)


def _people_conflicts(report: StoryReport) -> list[Conflict]:
    return [c for c in report.conflicts if c.kind == "number" and "people" in c.description]


def test_the_correction_is_one_chain_with_a_changed_figure(report: StoryReport) -> None:
    assert len(report.versions) == 1
    chain = report.versions[0]
    assert chain.source == LEDGER
    assert chain.article_ids == (V1, V2)
    assert chain.correction is True
    changed = [c for c in chain.changes if c.kind == "changed"]
    assert [c.note for c in changed] == ["12 -> 15 people"]
    assert "12 people" in report.cite(changed[0].before)
    assert "15 people" in report.cite(changed[0].after)
    added = [report.cite(c.after) for c in chain.changes if c.kind == "added"]
    assert added == ["Three of the injured were firefighters who were hit by falling debris, the fire service said."]
    assert not [c for c in chain.changes if c.kind == "removed"]


def test_the_corrected_figure_is_not_an_open_conflict_between_outlets(report: StoryReport) -> None:
    people = _people_conflicts(report)
    assert people, "the 12-vs-15 disagreement should be shown, as resolved"
    for c in people:
        assert c.status == "resolved"
        assert c.resolved_by is not None and c.resolved_by.article_id == V2
        assert "15 people" in report.cite(c.resolved_by)
    open_evidence = {e.article_id for c in report.conflicts if c.status == "open" for s in c.sides for e in s.evidence}
    assert V1 not in open_evidence


def test_html_marks_only_open_conflicts(report: StoryReport) -> None:
    from storyscope.render._view import ReportView

    view = ReportView(report)
    resolved = [c for c in _people_conflicts(report)]
    opened = [c for c in report.conflicts if c.status == "open"]
    assert opened and resolved
    resolved_only = {
        (e.article_id, e.sentence_index) for c in resolved for s in c.sides for e in s.evidence
    } - {(e.article_id, e.sentence_index) for c in opened for s in c.sides for e in s.evidence}
    assert resolved_only and not resolved_only & view.conflict_sentences
    assert {(e.article_id, e.sentence_index) for c in opened for s in c.sides for e in s.evidence} <= view.conflict_sentences
    assert view.conflicted_facts == {c.fact_id for c in opened if c.fact_id}


def test_a_genuine_conflict_elsewhere_stays_open(report: StoryReport) -> None:
    (fire,) = [c for c in report.conflicts if "firefighter" in c.description]
    assert fire.status == "open" and fire.resolved_by is None
    values = {s.value: s.sources for s in fire.sides}
    assert values == {"About 60 firefighters": (LEDGER,), "Around 90 firefighters": (OBSERVER,)}


def test_the_second_version_does_not_count_as_a_second_outlet(report: StoryReport) -> None:
    assert report.sources == (OBSERVER, LEDGER)
    assert report.omissions == ()
    for f in report.facts:
        assert len(f.sources) == len(set(f.sources)) <= 2
    # The summary does not state the superseded figure.
    assert not any("12 people" in s.text for s in report.summary)


def test_a_correction_at_the_identical_url_is_found(models) -> None:
    records = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(FIXTURES.glob("*.json"))]
    url = next(r["url"] for r in records if r["id"] == V1)
    for r in records:
        if r["source"] == LEDGER:
            r["url"] = url
    rep = storyscope.compare(records, models=models)
    assert [c.article_ids for c in rep.versions] == [(V1, V2)]


# --------------------------------------------------------------------------- rendering


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_every_format_shows_the_versions_and_the_resolution(report: StoryReport, fmt: str) -> None:
    out = render(report, fmt)
    assert "Corrections and updates" in out
    # The note as each format escapes it (Markdown escapes ">", HTML writes "&gt;").
    assert {"text": "12 -> 15 people", "md": "12 -\\> 15 people", "html": "12 -&gt; 15 people"}[fmt] in out
    assert "resolved" in out.lower()
    assert "superseded version" in out
    assert "Correction: An earlier version of this article misstated" in out  # the note clean dropped


def test_text_and_markdown_place_versions_after_conflicts(report: StoryReport) -> None:
    for fmt in ("text", "md"):
        out = render(report, fmt)
        assert out.index("Conflicts") < out.index("Corrections and updates") < out.index("Who said what")


def test_json_versions_and_conflict_status_follow_the_schema(report: StoryReport) -> None:
    data = json.loads(render(report, "json"))
    jsonschema.validate(data, SCHEMA, cls=jsonschema.Draft202012Validator)
    assert data == report_to_dict(report) | {"generated": data["generated"]}
    (chain,) = data["versions"]
    assert chain["article_ids"] == [V1, V2] and chain["correction"] is True
    assert any("Correction:" in n for n in chain["notes"])
    (changed,) = [c for c in chain["changes"] if c["kind"] == "changed"]
    assert changed["note"] == "12 -> 15 people"
    assert "12 people" in changed["before"]["text"] and "15 people" in changed["after"]["text"]
    statuses = {c["status"] for c in data["conflicts"]}
    assert statuses == {"open", "resolved"}
    for c in data["conflicts"]:
        if c["status"] == "resolved":
            assert c["resolved_by"]["article_id"] == V2 and "15 people" in c["resolved_by"]["text"]
        else:
            assert c["resolved_by"] is None
    bad = json.loads(json.dumps(data))
    bad["conflicts"][0]["status"] = "settled"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, SCHEMA, cls=jsonschema.Draft202012Validator)
