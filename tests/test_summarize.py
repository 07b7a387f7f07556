"""The neutral summary: verbatim, cited, 5-8 sentences, shared facts first."""

from __future__ import annotations

import pytest

from storyscope.compare.facts import align_facts
from storyscope.config import CompareConfig
from storyscope.pipeline import compare, embed_sentences
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
        fact = facts_by_id[s.fact_id]
        assert s.citations == fact.evidence
        cited = [by_id[e.article_id].article.text[e.start : e.end] for e in s.citations]
        assert s.text in cited  # verbatim, and one citation points exactly at it
    assert len({s.fact_id for s in summary}) == len(summary)


def test_shared_facts_first_and_opinion_avoided(story):
    annotated, facts, vectors = story
    summary = summarize(annotated, facts, vectors, CompareConfig())
    n_sources = [len({e.article_id for e in s.citations}) for s in summary]
    assert n_sources == sorted(n_sources, reverse=True)
    assert n_sources[0] == 3
    shared = {f.id for f in facts if len(f.sources) >= 2}
    assert shared <= {s.fact_id for s in summary}
    # With room for one single-outlet fact, the unattributed "critics say" claim loses to plain reporting.
    five = summarize(annotated, facts, vectors, CompareConfig().with_overrides(summary_max_sentences=5))
    assert len(five) == 5
    assert not any(s.text.startswith("Critics say") for s in five)


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
