"""The speed work must not change results: parallel batching, embedding beside spaCy, quote grouping."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace

import numpy as np
import pytest

from storyscope.annotate import annotate_articles
from storyscope.annotate.sentences import split_sentences
from storyscope.compare import quotes as cq
from storyscope.config import CompareConfig
from storyscope.models import MiniLMEmbedder, Models
from storyscope.pipeline import _start_embedding, compare, embed_sentences
from storyscope.records import Article

TEXTS = [
    "The ferry Solvang ran aground off Harrow Point on Tuesday night.",
    "All 212 passengers were taken off by lifeboats before dawn, the coastguard said.",
    "Fog.",
    "Harbour master Edda Lunt said the captain had radioed for help at 11.40 p.m., and that the "
    "tide was falling fast when the first boats reached the ferry.",
    "The operator, Nordlinje, said it would pay for hotels while the ship is inspected.",
    "Two crew members were treated for mild hypothermia; nobody else was hurt.",
    "Inspectors from the maritime agency arrived on Wednesday morning.",
    "The Solvang had passed its last safety check in March.",
] * 3  # each text three times: encoded once, copied to its three rows


@pytest.fixture(scope="module")
def embedder(models) -> MiniLMEmbedder:
    emb = models.embedder
    if not isinstance(emb, MiniLMEmbedder):  # pragma: no cover - the default is MiniLM
        pytest.skip("needs the MiniLM embedder")
    return emb


def test_vectors_do_not_depend_on_batching_or_threads(embedder):
    ref = np.stack([embedder.encode([t])[0] for t in TEXTS])
    for threads, batch, batch_tokens in ((1, 16, 512), (2, 3, 64), (3, 1, 1)):
        other = MiniLMEmbedder(threads=threads, batch_size=batch, batch_tokens=batch_tokens)
        got = other.encode(TEXTS)
        assert np.array_equal(got, ref), (threads, batch, batch_tokens)
        assert other.last_stats is not None and other.last_stats["texts"] == len(TEXTS)
    assert np.allclose(np.linalg.norm(ref, axis=1), 1.0, atol=1e-5)
    assert embedder.encode([]).shape == (0, embedder.dim)


class _Counting:
    """A session wrapper counting the texts (rows) it is asked to encode."""

    def __init__(self, real) -> None:
        self.real, self.rows = real, 0

    def run(self, names, feeds):
        self.rows += len(feeds["input_ids"])
        return self.real.run(names, feeds)


def test_repeated_texts_are_encoded_once(embedder):
    emb = MiniLMEmbedder(threads=2, batch_size=4)
    emb._session = _Counting(emb._session)
    got = emb.encode(TEXTS)  # 8 distinct texts, each 3 times
    assert emb._session.rows == 8
    assert emb.last_stats["texts"] == 24 and emb.last_stats["unique_texts"] == 8
    assert np.array_equal(got[:8], got[8:16]) and np.array_equal(got[:8], got[16:])
    assert np.array_equal(got, embedder.encode(TEXTS))


def test_start_then_result_equals_encode(embedder):
    pending = embedder.start(TEXTS)
    assert np.array_equal(pending.result(), embedder.encode(TEXTS))
    assert pending.result() is pending.result()  # a second call returns the same matrix


class _Boom:
    """A session whose run fails on the third call: the error must reach the caller."""

    def __init__(self, real) -> None:
        self.real, self.calls = real, 0

    def run(self, *args, **kwargs):
        self.calls += 1
        if self.calls == 3:
            raise RuntimeError("boom")
        return self.real.run(*args, **kwargs)


def test_a_failing_batch_is_raised_by_result(embedder):
    emb = MiniLMEmbedder(threads=2, batch_size=2)
    emb._session = _Boom(emb._session)
    with pytest.raises(RuntimeError, match="boom"):
        emb.encode(TEXTS)
    with pytest.raises(RuntimeError, match="boom"):
        emb2 = MiniLMEmbedder(threads=2, batch_size=2)
        emb2._session = _Boom(emb2._session)
        emb2.start(TEXTS).result()


def _articles() -> list[Article]:
    body = [
        "The ferry Solvang ran aground off Harrow Point on Tuesday night, and all 212 passengers were "
        'taken off by lifeboats before dawn.\n\n"We were lucky with the weather," said harbour master '
        "Edda Lunt. Two crew members were treated for mild hypothermia.",
        "All 212 passengers of the Solvang were rescued after it struck rocks near Harrow Point.\n\n"
        "The operator Nordlinje said it would pay for hotels; inspectors arrived on Wednesday.",
        "Lifeboats took 212 people off the grounded ferry Solvang. Edda Lunt, the harbour master, "
        "said the tide was falling fast, and that the first boats reached the ferry within an hour.",
    ]
    return [
        Article(f"a{i}", f"Outlet {i}", f"Ferry aground {i}", text, None, None, f"a{i}.txt", language="en")
        for i, text in enumerate(body)
    ]


def test_background_embedding_equals_embed_sentences(models):
    arts = _articles()
    split = [split_sentences(a.text, a.id) for a in arts]
    annotated, failures = annotate_articles(arts, {}, models, CompareConfig())
    assert not failures and len(annotated) == 3
    want_v, want_c = embed_sentences(annotated, models)
    pending = _start_embedding(arts, split, models)
    assert pending is not None
    got_v, got_c = pending.result(annotated)
    assert set(got_v) == set(want_v) and set(got_c) == set(want_c) and want_c
    assert all(np.array_equal(got_v[k], want_v[k]) for k in want_v)
    assert all(np.array_equal(got_c[k], want_c[k]) for k in want_c)
    # An article that failed annotation is dropped: the others' vectors are what they would be alone.
    sub_v, sub_c = _start_embedding(arts, split, models).result(annotated[1:])
    alone_v, alone_c = embed_sentences(annotated[1:], models)
    assert set(sub_v) == {"a1", "a2"} and all(np.array_equal(sub_v[k], alone_v[k]) for k in alone_v)
    assert set(sub_c) == set(alone_c) and all(np.array_equal(sub_c[k], alone_c[k]) for k in alone_c)


def test_no_background_embedding_when_it_cannot_match(models):
    arts = _articles()
    split = [split_sentences(a.text, a.id) for a in arts]
    assert _start_embedding(arts, [*split[:2], None], models) is None  # a split failed: annotate reports it
    multi = [*arts[:2], replace(arts[2], language="es")]
    assert _start_embedding(multi, split, models) is None  # model chosen after annotating
    fake = Models(nlp=models.nlp, embedder=type("E", (), {"dim": 3, "encode": lambda self, t: None})())
    assert _start_embedding(arts, split, fake) is None  # an embedder without start()


def test_given_sentences_change_nothing_in_annotation(models):
    arts = _articles()
    split = [split_sentences(a.text, a.id) for a in arts]
    plain, _ = annotate_articles(arts, {}, models, CompareConfig())
    given, _ = annotate_articles(arts, {}, models, CompareConfig(), sentences=[split[0], None, split[2]])
    assert plain == given


def test_compare_reports_the_same_with_a_plain_embedder(models):
    """The overlapped path (MiniLM.start) and the plain one (encode after annotating) agree."""

    class Plain:
        dim = models.embedder.dim

        def encode(self, texts):
            return models.embedder.encode(texts)

    fast = compare(_articles(), models=models)
    plain = compare(_articles(), models=Models(nlp=models.nlp, embedder=Plain()))
    assert replace(fast, generated="") == replace(plain, generated="")


def _old_same(wa: list[str], wb: list[str]) -> bool:
    """compare.quotes._same without its cached sets and counts (the reference)."""
    import difflib

    if min(len(wa), len(wb)) < cq._MIN_WORDS:
        return wa == wb and bool(wa)
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    if len(set(short) & set(long_)) / max(1, len(set(short))) >= cq._CONTAIN:
        in_order = difflib.SequenceMatcher(None, short, long_, autojunk=False).get_matching_blocks()
        if sum(m.size for m in in_order) >= cq._CONTAIN * len(short):
            return True
    bound = 2 * sum((Counter(wa) & Counter(wb)).values()) / (len(wa) + len(wb))
    if bound < cq._SAME_RATIO:
        return False
    return difflib.SequenceMatcher(None, wa, wb, autojunk=False).ratio() >= cq._SAME_RATIO


def test_cached_quote_words_decide_as_before():
    rng = random.Random(7)
    vocab = ["we", "will", "rebuild", "every", "single", "home", "the", "mayor", "said", "on", "and", "not"]

    def words() -> list[str]:
        return [rng.choice(vocab) for _ in range(rng.randint(0, 12))]

    pairs = [(words(), words()) for _ in range(300)]
    decided = Counter()
    for a, b in pairs:
        want = _old_same(a, b)
        assert cq._same(a, b) == want, (a, b)
        decided[want] += 1
    assert decided[True] and decided[False]  # both outcomes exercised
