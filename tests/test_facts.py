"""Fact alignment across outlets on a small invented three-outlet story."""

from __future__ import annotations

import dataclasses

import pytest

from storyscope.compare.facts import align_facts, sentence_fact_index
from storyscope.config import CompareConfig
from storyscope.pipeline import compare, embed_sentences

STORY = [
    {
        "id": "harbour-1",
        "source": "The Harbour Times",
        "title": "Floods kill 12 in Alder",
        "text": (
            "Twelve people died in Alder on Monday after the Brisk River burst its banks.\n\n"
            "Mayor Lena Vargo declared a state of emergency and opened three shelters in the town hall district.\n\n"
            "The flood destroyed about 400 homes along the river, according to the Alder fire department.\n\n"
            "Forecasters expect more rain in the valley on Wednesday.\n\n"
            "The local football club postponed its weekend match against Dunmore Rovers."
        ),
    },
    {
        "id": "valley-7",
        "source": "Valley Courier",
        "title": "Alder flood death toll rises to 15",
        "text": (
            "Fifteen people were killed in Alder on Monday when the Brisk River flooded the town.\n\n"
            "Lena Vargo, the mayor, declared a state of emergency and set up three emergency shelters.\n\n"
            "Around 400 houses were destroyed by the floodwater, the Alder fire department said.\n\n"
            "Governor Tomas Reel promised state money to rebuild the bridge on Route 9."
        ),
    },
    {
        "id": "northern-3",
        "source": "Northern Ledger",
        "title": "Emergency in Alder",
        "text": (
            "Mayor Lena Vargo declared a state of emergency in Alder on Monday after deadly flooding.\n\n"
            "At least twelve residents died when the Brisk River overflowed.\n\n"
            "Critics say the council ignored warnings about the levee for years.\n\n"
            "Governor Tomas Reel pledged state funds to rebuild the Route 9 bridge."
        ),
    },
]


@pytest.fixture(scope="module")
def story(models):
    report = compare(STORY, models=models)
    vectors, _clauses = embed_sentences(report.articles, models)
    return report.articles, vectors


def _fact_of(facts, article_id, needle):
    for f in facts:
        for e in f.evidence:
            if e.article_id == article_id:
                art = next(a for a in STORY if a["id"] == article_id)
                if needle in art["text"][e.start : e.end]:
                    return f
    raise AssertionError(f"no fact holds {needle!r} of {article_id}")


def test_every_sentence_in_exactly_one_fact(story):
    annotated, vectors = story
    facts = align_facts(annotated, vectors, CompareConfig())
    keys = [(e.article_id, e.sentence_index) for f in facts for e in f.evidence]
    expected = [(a.id, s.index) for a in annotated for s in a.sentences]
    assert sorted(keys) == sorted(expected)
    assert len(keys) == len(set(keys))
    index = sentence_fact_index(facts)
    assert set(index) == set(expected)


def test_paraphrases_with_same_entities_align(story):
    annotated, vectors = story
    facts = align_facts(annotated, vectors, CompareConfig())
    emergency = _fact_of(facts, "harbour-1", "declared a state of emergency")
    assert emergency is _fact_of(facts, "valley-7", "declared a state of emergency")
    assert emergency is _fact_of(facts, "northern-3", "declared a state of emergency")
    assert emergency.coverage == "all"
    bridge = _fact_of(facts, "valley-7", "Route 9")
    assert bridge is _fact_of(facts, "northern-3", "Route 9")
    assert bridge.coverage == "some"
    assert bridge.sources == ("Northern Ledger", "Valley Courier")


def test_number_conflicting_reports_align(story):
    annotated, vectors = story
    facts = align_facts(annotated, vectors, CompareConfig())
    toll = _fact_of(facts, "harbour-1", "Twelve people died")
    assert toll is _fact_of(facts, "valley-7", "Fifteen people were killed")


def test_unrelated_sentences_stay_alone(story):
    annotated, vectors = story
    facts = align_facts(annotated, vectors, CompareConfig())
    football = _fact_of(facts, "harbour-1", "football club")
    assert football.coverage == "one" and len(football.evidence) == 1
    critics = _fact_of(facts, "northern-3", "Critics say")
    assert critics.sources == ("Northern Ledger",)


def test_fact_shape_ids_and_order(story):
    annotated, vectors = story
    facts = align_facts(annotated, vectors, CompareConfig())
    again = align_facts(list(reversed(annotated)), vectors, CompareConfig())
    assert facts == again  # stable ids, independent of input order
    counts = [len(f.sources) for f in facts]
    assert counts == sorted(counts, reverse=True)
    by_id = {a.id: a for a in annotated}
    for f in facts:
        assert f.id.startswith("F") and len(f.id) == 11
        assert f.sources == tuple(sorted(f.sources))
        cited = {by_id[e.article_id].article.text[e.start : e.end] for e in f.evidence}
        assert f.text in cited


def test_same_outlet_counts_once(story):
    annotated, vectors = story
    relabelled = [
        dataclasses.replace(a, article=dataclasses.replace(a.article, source="The Harbour Times"))
        if a.id == "valley-7"
        else a
        for a in annotated
    ]
    facts = align_facts(relabelled, vectors, CompareConfig())
    toll = _fact_of(facts, "harbour-1", "Twelve people died")
    assert toll.sources == ("Northern Ledger", "The Harbour Times")
    assert toll.coverage == "all"  # both outlets of the story report it


def test_odd_input_does_not_crash(story):
    annotated, _vectors = story
    assert align_facts([], {}, CompareConfig()) == ()
    facts = align_facts(annotated, {}, CompareConfig())  # no vectors: nothing aligns, nothing lost
    assert sum(len(f.evidence) for f in facts) == sum(len(a.sentences) for a in annotated)
    assert all(len(f.evidence) == 1 for f in facts)
