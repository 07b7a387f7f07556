"""The neutral summary: verbatim, cited, 5-8 sentences, shared facts first."""

from __future__ import annotations

import dataclasses

import pytest

import storyscope.summarize as summarize_module
from storyscope.compare.facts import align_facts
from storyscope.config import CompareConfig
from storyscope.pipeline import compare, embed_sentences
from storyscope.records import SummarySentence
from storyscope.summarize import sentence_penalty, summarize
from test_facts import STORY  # tests/ is on sys.path under pytest


@pytest.fixture(scope="module")
def story(models):
    report = compare(STORY, models=models)
    vectors, _clauses = embed_sentences(report.articles, models)
    facts = align_facts(report.articles, vectors, CompareConfig())
    return report.articles, facts, vectors


def test_summary_length_and_citations(story):
    annotated, facts, vectors = story
    config = CompareConfig()
    summary = summarize(annotated, facts, vectors, config)
    assert config.summary_min_sentences <= len(summary) <= config.summary_max_sentences
    by_id = {a.id: a for a in annotated}
    facts_by_id = {f.id: f for f in facts}
    for s in summary:
        cited = [by_id[e.article_id].article.text[e.start : e.end] for e in s.citations]
        assert s.text in cited  # verbatim, and one citation points exactly at it
    for i, s in enumerate(heads(summary)):
        assert s.citations == facts_by_id[s.fact_id].evidence
        assert s.fact_id not in {x.fact_id for x in heads(summary)[:i]}


def test_shared_facts_first_and_opinion_avoided(story):
    annotated, facts, vectors = story
    summary = summarize(annotated, facts, vectors, CompareConfig())
    n_sources = [len({e.article_id for e in s.citations}) for s in heads(summary)]
    assert n_sources == sorted(n_sources, reverse=True)
    assert n_sources[0] == 3
    shared = {f.id for f in facts if len(f.sources) >= 2}
    assert shared <= {s.fact_id for s in summary}
    # With room for one single-outlet fact, the unattributed "critics say" claim loses to plain reporting.
    five = summarize(annotated, facts, vectors, CompareConfig().with_overrides(summary_max_sentences=5))
    assert len(five) == 5
    assert not any(s.text.startswith("Critics say") for s in five)


def heads(summary: tuple[SummarySentence, ...]) -> list[SummarySentence]:
    """Each fact's first sentence (later ones are other outlets' accounts of it)."""
    return [s for i, s in enumerate(summary) if s.fact_id not in {x.fact_id for x in summary[:i]}]


# Three leads of one event: B adds details A lacks; C restates A in other order.
QUAKE = [
    {
        "id": "a",
        "source": "Outlet A",
        "title": "Quake hits Pelmar",
        "text": (
            "A magnitude 6.1 earthquake struck the coastal town of Pelmar on Sunday morning, officials said.\n\n"
            "The regional governor Ines Caldo flew to Pelmar by helicopter in the afternoon.\n\n"
            "Schools across the province will stay closed until Wednesday."
        ),
    },
    {
        "id": "b",
        "source": "Outlet B",
        "title": "School collapses in Pelmar",
        "text": (
            "An earthquake in Pelmar on Sunday collapsed the old Saint Brigid school, trapping fourteen "
            "construction workers under rubble near the harbour.\n\n"
            "Rescue teams from Varno brought thermal cameras and sniffer dogs to the site.\n\n"
            "The harbour authority suspended all ferry crossings to the islands."
        ),
    },
    {
        "id": "c",
        "source": "Outlet C",
        "title": "Earthquake in Pelmar",
        "text": (
            "A magnitude 6.1 earthquake struck Pelmar, a coastal town, on Sunday morning, officials said.\n\n"
            "Power was cut to around 9,000 households in the northern districts.\n\n"
            "The national weather office recorded eleven aftershocks before nightfall."
        ),
    },
]


@pytest.fixture(scope="module")
def quake(models):
    """The story with its three leads forced into one fact, whatever the aligner makes of them."""
    report = compare(QUAKE, models=models)
    vectors, _clauses = embed_sentences(report.articles, models)
    facts = align_facts(report.articles, vectors, CompareConfig())
    leads = [a.sentences[0] for a in report.articles]
    lead_keys = {(s.article_id, s.index) for s in leads}
    rest = [f for f in facts if not lead_keys & {(e.article_id, e.sentence_index) for e in f.evidence}]
    template = next(f for f in facts if f not in rest)
    lead_fact = dataclasses.replace(
        template,
        id="lead",
        text=leads[0].text,
        evidence=tuple(s.evidence for s in leads),
        sources=("Outlet A", "Outlet B", "Outlet C"),
        coverage="all",
    )
    return report.articles, (lead_fact, *rest), vectors


def test_second_account_added_only_when_it_says_something_new(quake):
    annotated, facts, vectors = quake
    summary = summarize(annotated, facts, vectors, CompareConfig())
    lead = [s for s in summary if s.fact_id == "lead"]
    assert summary[0].fact_id == "lead" and len(summary[0].citations) == 3
    # B's school collapse is new; of A and C, which say the same, only one is used.
    assert len(lead) == 2
    assert summary[1] == lead[1]  # the second account follows its fact
    assert any("Saint Brigid" in s.text for s in lead)
    # A second account cites only its own sentence: its details rest on that outlet alone.
    (only,) = lead[1].citations
    text = {a.id: a.article.text for a in annotated}[only.article_id][only.start : only.end]
    assert text == lead[1].text


def test_one_sentence_per_fact_when_second_accounts_are_off(quake, monkeypatch):
    annotated, facts, vectors = quake
    monkeypatch.setattr(summarize_module, "SECOND_ACCOUNT_NOVELTY", 1.01)
    summary = summarize(annotated, facts, vectors, CompareConfig())
    assert len({s.fact_id for s in summary}) == len(summary)
    assert len(summary[0].citations) == 3


def test_a_fact_is_told_at_most_twice(quake, monkeypatch):
    annotated, facts, vectors = quake
    # Every account "says something new" here: still no third telling of the same event.
    monkeypatch.setattr(summarize_module, "SECOND_ACCOUNT_NOVELTY", 0.0)
    summary = summarize(annotated, facts, vectors, CompareConfig())
    assert sum(s.fact_id == "lead" for s in summary) == summarize_module.MAX_ACCOUNTS == 2


def test_summary_is_stable(story):
    annotated, facts, vectors = story
    assert summarize(annotated, facts, vectors, CompareConfig()) == summarize(
        annotated, facts, vectors, CompareConfig()
    )


def test_short_story_returns_what_there_is(models):
    report = compare(
        [
            {
                "id": "a",
                "source": "Outlet A",
                "title": "t",
                "text": "The Kessel dam reopened on Tuesday after three months of repairs to its northern spillway.",
            },
            {
                "id": "b",
                "source": "Outlet B",
                "title": "t",
                "text": "Engineers reopened the Kessel dam on Tuesday once repairs to the northern spillway were done.",
            },
        ],
        models=models,
    )
    vectors, _clauses = embed_sentences(report.articles, models)
    facts = align_facts(report.articles, vectors, CompareConfig())
    summary = summarize(report.articles, facts, vectors, CompareConfig())
    assert len(summary) == len(facts) == 1
    assert len(summary[0].citations) == 2


def test_empty_input():
    assert summarize([], (), {}, CompareConfig()) == ()


def test_sentence_penalty_prefers_plain_reporting():
    plain = "The council approved a budget of 4 million euros for the Harlow bridge on Thursday."
    assert sentence_penalty(plain) == 0
    assert sentence_penalty("Is the council ready for the flood season this year at all?") > 0
    assert sentence_penalty("The shocking and disgraceful budget vote was a scheme by the council.") > 0
    assert sentence_penalty("\u201cWe will rebuild every single home in this town,\u201d she said.") > 0
    assert sentence_penalty("Council votes.") > 0
    assert sentence_penalty("The two officers were sued by the estate of a man whom they shot after...") > 0


def test_the_tail_of_a_quote_begun_in_an_earlier_sentence_reads_as_quoted():
    whole = "\u201cWe ought not to honor that which defiled our principles,\u201d said Steny Hoyer, the author."
    tail = "But we ought not to honor that which defiled our principles,\u201d said Steny Hoyer, the author."
    straight = 'But we ought not to honor that which defiled our principles," said Steny Hoyer, the author.'
    assert sentence_penalty(tail) > sentence_penalty(whole) > 0
    assert sentence_penalty(straight) == sentence_penalty(tail)
    # a quote opened and closed in the sentence is not a tail
    assert sentence_penalty('The mayor said the plan was "far too slow" for the town and its people.') < sentence_penalty(tail)


def test_a_summary_sentence_drops_its_dateline():
    from storyscope.summarize import _without_dateline

    assert _without_dateline("KALVARRO, Vestmar (Harbour Wire) - A landslide tore through the town.") == (
        "A landslide tore through the town."
    )
    assert _without_dateline("WASHINGTON \u2014 Senators met on Monday to debate the bill.") == (
        "Senators met on Monday to debate the bill."
    )
    # Not a dateline: an acronym with an aside, a hyphenated word, a short remainder.
    for text in ("NATO - the alliance - met on Monday.", "US-led forces left the base.", "KALVARRO - Help."):
        assert _without_dateline(text) == text
