"""Wire copies and reprints: near-duplicate detection, credited agencies, independent-source counts.

The fixture (tests/fixtures/copies/) is one invented agency story (Northwind Wire) run by three
outlets with small edits (new headlines, a trimmed last paragraph, a local sentence added, "said"
turned into "told reporters", curly quotes, a credit line) and one outlet that reported the same
event on its own.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from storyscope.cluster.neardup import (
    NearDupIndex,
    NearDupParams,
    compare_shingles,
    shingle_hashes,
    shingle_text,
)
from storyscope.compare.copies import count_independent, credit_of, find_copies
from storyscope.config import CompareConfig
from storyscope.records import AnnotatedArticle, Article, CopyGroup, Evidence, Fact, Sentence

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "copies"
WIRE_OUTLETS = {"The Portwell Gazette", "Lakeshore Daily", "Ardent Valley Times"}
INDEPENDENT = "The Kestrel Observer"

BASE = (
    "A fire broke out in the engine room of the passenger ferry Saint Edda off the island of Tarsel on "
    "Monday morning, forcing the crew to stop the ship about six kilometres from the harbour. All 230 "
    "passengers and 14 crew members were evacuated safely onto lifeboats and two fishing trawlers, the "
    "Orvane Coast Guard said. Three crew members were treated for smoke inhalation. The ferry, which "
    "links Tarsel with the mainland port of Dunmore twice a day, had left the harbour at 7:15 a.m. with "
    "cars and a load of timber on board. Investigators from the national maritime authority will board "
    "the vessel on Tuesday to find the cause of the fire, the authority said in a statement."
)
OTHER = (
    "Passengers on the Saint Edda said they first noticed the smell of burning oil shortly after the "
    "ferry had cleared Tarsel harbour on Monday. All 230 passengers were taken off the ferry safely, the "
    "coast guard confirmed, most of them in lifeboats and the rest on fishing boats that came alongside. "
    "The blaze started in the engine room and was brought under control by the crew, according to the "
    "coast guard. Orvane Line has suspended its Tarsel service for the rest of the week."
)


def annotated(aid: str, source: str, text: str, published=None) -> AnnotatedArticle:
    """An AnnotatedArticle with naive sentences (enough for copy detection, which reads text only)."""
    sentences = []
    for i, m in enumerate(re.finditer(r"[^.!?]+[.!?]", text)):
        start = m.start() + (len(m.group()) - len(m.group().lstrip()))
        sentences.append(Sentence(aid, i, start, m.end(), text[start : m.end()]))
    return AnnotatedArticle(Article(aid, source, f"title {aid}", text, published), tuple(sentences))


def fact(fid: str, *evs: tuple[AnnotatedArticle, int]) -> Fact:
    evidence = tuple(Evidence(a.id, i, a.sentences[i].start, a.sentences[i].end) for a, i in evs)
    sources = tuple(sorted({a.article.source for a, _ in evs}))
    return Fact(fid, evs[0][0].sentences[evs[0][1]].text, evidence, sources, "some")


# --------------------------------------------------------------------------- shingles and the index


def test_shingles_ignore_case_quotes_punctuation_and_whitespace():
    a = shingle_hashes('He said: "The crew did   exactly what they were trained to do," Ferrant said.')
    b = shingle_hashes("he said “the crew did exactly what they were trained to do” — ferrant said")
    assert a.tolist() == b.tolist()
    assert shingle_hashes("the crew did exactly what they").tolist() != shingle_hashes(
        "the crew did exactly what we"
    ).tolist()


def test_light_edits_stay_similar_and_a_different_report_does_not():
    edited = BASE.replace("Coast Guard said", "Coast Guard told reporters").replace("six", "6")
    jac, _ = compare_shingles(shingle_hashes(BASE), shingle_hashes(edited))
    assert jac >= 0.7
    jac_other, cont_other = compare_shingles(shingle_hashes(BASE), shingle_hashes(OTHER))
    assert jac_other < 0.1 and cont_other < 0.2


def test_index_confirms_copies_and_trimmed_copies_only():
    index = NearDupIndex()
    assert index.add("orig", BASE) == []
    assert index.add("other", OTHER) == []
    found = index.add("edited", BASE.replace("said in a statement", "said on its website"))
    assert [m.key for m in found] == ["orig"] and found[0].new == "edited"
    # the first two sentences only: low Jaccard, but wholly contained in the original
    trimmed = " ".join(BASE.split(". ")[:2]) + "."
    hit = index.query(trimmed)
    assert {m.key for m in hit} == {"orig", "edited"}
    assert all(m.containment >= 0.8 and m.jaccard < 0.5 for m in hit)
    assert len(index) == 3 and "orig" in index


def test_lead_sketch_finds_a_long_copy_trimmed_from_the_bottom():
    long_text = " ".join(f"Paragraph {i} of the agency story says item {i} happened at place {i * 7}." for i in range(40))
    short = " ".join(long_text.split(" ")[:120])
    assert shingle_text(long_text).lead is not None
    jac, cont = compare_shingles(shingle_hashes(long_text), shingle_hashes(short))
    assert jac < 0.5 <= 0.8 <= cont
    index = NearDupIndex()
    index.add("long", long_text)
    assert [m.key for m in index.add("short", short)] == ["long"]


def test_short_texts_are_never_copies_and_keys_are_unique():
    index = NearDupIndex()
    assert index.add("a", "Officials confirmed the ferry fire on Monday.") == []
    assert "a" not in index  # too short to index
    index.add("b", BASE)
    with pytest.raises(ValueError):
        index.add("b", BASE)


def test_estimate_mode_without_shingles():
    index = NearDupIndex(NearDupParams(), keep_shingles=False)
    index.add("orig", BASE)
    found = index.add("copy", BASE.replace("Tuesday", "Wednesday"))
    assert [m.key for m in found] == ["orig"] and found[0].jaccard > 0.6
    assert index.add("other", OTHER) == []


# --------------------------------------------------------------------------- credits


@pytest.mark.parametrize(
    ("text", "extra", "credited"),
    [
        ("TARSEL, Orvane Islands (Northwind Wire) - A fire broke out.", (), "Northwind Wire"),
        ("NEW YORK (AP) — A fire broke out.", (), "Associated Press"),
        ("LONDON, May 12 (Reuters) - A fire broke out.", (), "Reuters"),
        ("A fire broke out.\n\nMore text here.\n\n— Northwind Wire", (), "Northwind Wire"),
        ("A fire broke out.", ("— Northwind Wire",), "Northwind Wire"),
        ("A fire broke out.\n\n© 2026 Northwind Wire. All rights reserved.", (), "Northwind Wire"),
        ("A fire broke out.\n\nThe Associated Press contributed to this report.", (), "Associated Press"),
        ("A fire broke out (AP Photo) - later.", (), None),
        ("A fire broke out in Tarsel (an island) - officials said.", (), None),
        ("A fire broke out on the ferry, the coast guard said.", (), None),
    ],
)
def test_credit_of(text, extra, credited):
    assert credit_of(text, extra) == credited


# --------------------------------------------------------------------------- find_copies / count_independent


def test_find_copies_groups_outlets_and_skips_same_outlet_versions():
    wire = annotated("w", "Wire Outlet", "TARSEL (Northwind Wire) - " + BASE)
    copy = annotated("c", "Copy Outlet", BASE.replace("Coast Guard said", "Coast Guard told reporters"))
    own = annotated("o", "Own Outlet", OTHER)
    update = annotated("o2", "Own Outlet", OTHER.replace("Monday", "Monday morning"))
    groups = find_copies([wire, copy, own, update], CompareConfig())
    assert len(groups) == 1
    g = groups[0]
    assert g.article_ids == ("w", "c") and g.sources == ("Copy Outlet", "Wire Outlet")
    assert g.credited == "Northwind Wire" and 0.6 < g.similarity <= 1.0
    # the same outlet twice is a version (another module's business), never a copy group
    assert find_copies([own, update], CompareConfig()) == ()


def test_find_copies_without_datasketch_compares_every_pair(monkeypatch):
    import importlib

    copies = importlib.import_module("storyscope.compare.copies")  # storyscope.compare is also a function

    def missing(*_args, **_kwargs):
        raise ImportError("No module named 'datasketch'")

    monkeypatch.setattr(copies, "NearDupIndex", missing)
    wire = annotated("w", "Wire Outlet", BASE)
    copy = annotated("c", "Copy Outlet", BASE.replace("Coast Guard said", "Coast Guard told reporters"))
    own = annotated("o", "Own Outlet", OTHER)
    [group] = find_copies([wire, copy, own], CompareConfig())
    assert group.article_ids == ("w", "c")


def test_count_independent_counts_a_group_once_but_not_an_outlets_own_sentence():
    wire = annotated("w", "Wire Outlet", BASE)
    local = annotated("c", "Copy Outlet", BASE + " Two of the passengers were from Ardent Valley, the council said.")
    own = annotated("o", "Own Outlet", OTHER)
    group = CopyGroup("W1", ("w", "c"), ("Copy Outlet", "Wire Outlet"), 0.9, "Northwind Wire")
    shared = fact("F1", (wire, 1), (local, 1), (own, 1))
    added = fact("F2", (local, len(local.sentences) - 1), (own, 0))  # the local sentence
    [f1, f2] = count_independent([shared, added], [group], [wire, local, own])
    assert f1.sources == ("Copy Outlet", "Own Outlet", "Wire Outlet")
    assert f1.independent_sources == ("Northwind Wire", "Own Outlet")
    assert f2.independent_sources == ("Copy Outlet", "Own Outlet")  # the added sentence is its own
    # without a credit the group is its earliest article's outlet
    uncredited = CopyGroup("W1", ("w", "c"), ("Copy Outlet", "Wire Outlet"), 0.9, None)
    [g1] = count_independent([shared], [uncredited], [wire, local, own])
    assert g1.independent_sources == ("Own Outlet", "Wire Outlet")
    # no copies: facts unchanged
    assert count_independent([shared], [], [wire, local, own]) == (shared,)


# --------------------------------------------------------------------------- the whole pipeline


@pytest.fixture(scope="module")
def wire_report(models):
    import storyscope

    return storyscope.compare([FIXTURES], models=models)


def test_wire_story_run_by_three_outlets_is_one_copy_group(wire_report):
    assert len(wire_report.copies) == 1
    group = wire_report.copies[0]
    assert set(group.sources) == WIRE_OUTLETS
    assert INDEPENDENT not in group.sources
    assert len(group.article_ids) == 3
    assert group.credited == "Northwind Wire"


def test_fact_reported_by_all_four_has_two_independent_sources(wire_report):
    facts = [f for f in wire_report.facts if "230 passengers" in f.text and len(f.sources) == 4]
    assert facts, "the evacuation fact should be aligned across all four outlets"
    for f in facts:
        assert f.independent_sources == ("Northwind Wire", INDEPENDENT)


def test_renders_say_outlets_and_independent(wire_report):
    from storyscope.render import render

    for fmt in ("text", "md", "html"):
        out = render(wire_report, fmt)
        assert "4 outlets (2 independent)" in out, fmt
        assert "Northwind Wire" in out and "Wire copies and reprints" in out, fmt
    data = json.loads(render(wire_report, "json"))
    [group] = data["copies"]
    assert set(group["sources"]) == WIRE_OUTLETS and group["credited"] == "Northwind Wire"
    assert sorted(group["article_numbers"]) == sorted(
        a["number"] for a in data["articles"] if a["source"] in WIRE_OUTLETS
    )
    four = [f for f in data["facts"] if len(f["sources"]) == 4]
    assert four and all(len(f["independent_sources"]) == 2 for f in four)


def test_no_copies_among_the_four_independent_example_outlets(example_report):
    assert example_report.copies == ()
    assert all(f.independent_sources == () for f in example_report.facts)


def test_verbatim_copies_under_three_outlets_are_kept_and_grouped(models, tmp_path):
    """The same text under three outlets is not dropped as a duplicate: it is one copy group."""
    import storyscope

    body = (FIXTURES / sorted(p.name for p in FIXTURES.iterdir())[0]).read_text(encoding="utf-8")
    text = body.split("\n\n", 1)[1]  # without the header lines
    for name in ("Bay Courier", "Inland Star", "Ridge Times"):
        (tmp_path / f"{name}.txt").write_text(f"Title: Ferry evacuated\nSource: {name}\n\n{text}", encoding="utf-8")
    report = storyscope.compare([tmp_path], models=models)
    assert sorted(a.article.source for a in report.articles) == ["Bay Courier", "Inland Star", "Ridge Times"]
    assert [n.code for n in report.notices].count("same_text_other_outlet") == 2
    (group,) = report.copies
    assert set(group.sources) == {"Bay Courier", "Inland Star", "Ridge Times"}
    shared = [f for f in report.facts if len(f.sources) == 3]
    assert shared and all(len(f.independent_sources) == 1 for f in shared)


def test_copies_of_one_wire_story_do_not_make_an_omission(wire_report):
    """Three reprints of one agency text are one source: what only they carry is not "most outlets"."""
    assert not [o for o in wire_report.omissions if o.source == INDEPENDENT]
    facts = [f for f in wire_report.facts if set(f.sources) == WIRE_OUTLETS]
    assert facts, "the wire copies share facts the independent outlet does not report"
