"""``compare``: the whole pipeline for one story, ingest -> clean -> annotate -> compare -> summarize.

Per-article problems never abort the run: they become Failure records in the
report and the other articles go on. Only "nothing usable at all" raises.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from pathlib import Path

import numpy as np

from storyscope.annotate import annotate_articles
from storyscope.annotate.language import is_multilingual, with_language
from storyscope.annotate.sentences import split_clauses, split_sentences
from storyscope.clean import clean_article
from storyscope.compare import compare_annotated
from storyscope.compare.copies import count_independent, find_copies
from storyscope.compare.ledger import build_ledger
from storyscope.compare.versions import find_versions, resolve_conflicts
from storyscope.config import CompareConfig
from storyscope.errors import ModelUnavailableError, NoArticlesError
from storyscope.ingest import dedupe, read_inputs
from storyscope.models import Models, PendingVectors, default_models
from storyscope.records import Article, DroppedLine, Failure, Notice, Sentence, StoryReport
from storyscope.summarize import summarize

Input = str | Path | Article | Mapping
Progress = Callable[[str], None]

#: Sentence vectors per article id: row i is the vector of sentence i.
SentenceVectors = dict[str, np.ndarray]
#: Clause vectors of compound sentences, per (article id, sentence index): one row per clause.
ClauseVectors = dict[tuple[str, int], np.ndarray]


def compare(
    inputs: Iterable[Input] | Input,
    *,
    config: CompareConfig | None = None,
    models: Models | None = None,
    progress: Progress | None = None,
) -> StoryReport:
    """Compare 2-50 articles about one story and return a :class:`StoryReport`.

    ``inputs`` may mix file or directory paths (``"-"`` for stdin), :class:`Article`
    records and dicts with ``id, source, title, published, url, text|html``.
    """
    config = config or CompareConfig()
    models = models or default_models()
    step = progress or (lambda _msg: None)
    if isinstance(inputs, str | Path | Article | Mapping):
        inputs = [inputs]

    step("reading articles")
    read = read_inputs(inputs, config)
    failures: list[Failure] = list(read.failures)
    notices: list[Notice] = list(read.notices)
    articles, dup_notices = dedupe(read.articles)
    notices.extend(dup_notices)

    step("cleaning")
    cleaned: list[Article] = []
    dropped: dict[str, tuple[DroppedLine, ...]] = {}
    for art in articles:
        clean, lines = clean_article(art)
        if len(clean.text.strip()) < config.min_article_chars:
            failures.append(
                Failure(
                    art.origin or art.id,
                    "clean",
                    f"only {len(clean.text.strip())} characters of reporting left after cleaning "
                    f"(minimum {config.min_article_chars}); nothing to compare",
                    art.id,
                )
            )
            continue
        cleaned.append(clean)
        dropped[clean.id] = lines
    if not cleaned:
        raise NoArticlesError(tuple(failures))
    if len(cleaned) == 1:
        notices.append(
            Notice(
                "single_article",
                "only one article: nothing to compare it with, so every fact is single-outlet "
                "and there are no omissions or conflicts",
                (cleaned[0].id,),
            )
        )

    step("annotating")
    # Sentences are split (and languages found) before spaCy runs, so that their vectors are
    # computed on the other cores while spaCy parses on this one (bench/bench_speed.py).
    cleaned = [with_language(a) for a in cleaned]
    split = [_split_or_none(a) for a in cleaned]
    pending = _start_embedding(cleaned, split, models)
    annotated, ann_failures = annotate_articles(cleaned, dropped, models, config, sentences=split)
    failures.extend(ann_failures)
    if not annotated:
        raise NoArticlesError(tuple(failures))

    step("embedding sentences")
    vectors, clause_vectors = pending.result(annotated) if pending else embed_sentences(annotated, models)

    step("comparing")
    copies = find_copies(annotated, config)  # wire copies count once, in omissions and fact sources
    found = compare_annotated(annotated, vectors, config, clause_vectors, copies)
    # Independent sources, superseded versions and the quote ledger refine what compare found;
    # each is its own module in compare/.
    facts = count_independent(found.facts, copies, annotated)
    versions = find_versions(annotated, vectors, config)
    conflicts = resolve_conflicts(found.conflicts, versions, annotated)
    ledger = build_ledger(annotated, _without_superseded(found.quote_groups, versions, annotated), config)

    step("summarizing")
    summary = summarize(annotated, facts, vectors, config, conflicts)

    return StoryReport(
        articles=tuple(annotated),
        entities=found.entities,
        facts=facts,
        omissions=found.omissions,
        conflicts=conflicts,
        quote_groups=found.quote_groups,
        framing=found.framing,
        timeline=found.timeline,
        summary=summary,
        quote_ledger=ledger,
        copies=copies,
        versions=versions,
        failures=tuple(failures),
        notices=tuple(notices),
        generated=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
    )


def embed_sentences(annotated, models: Models) -> tuple[SentenceVectors, ClauseVectors]:
    """One batched call for every sentence and clause of every article (batching is the speed).

    A story told in several languages is embedded with the multilingual model, every sentence
    of it (English ones too), so all vectors share one space; a one-language story keeps the
    English model, exactly as before. Without the multilingual model installed the English one
    is used with a warning: cross-language sentences then rarely align.
    """
    embedder = models.embedder
    if is_multilingual(annotated):
        try:
            embedder = models.multilingual
        except ModelUnavailableError as exc:
            warnings.warn(f"{exc}; comparing a multilingual story with English vectors", stacklevel=2)
    parts = [(a.id, a.article.text, a.sentences) for a in annotated]
    texts, clause_keys = _embedding_texts(parts)
    matrix = embedder.encode(texts) if texts else np.zeros((0, embedder.dim), dtype=np.float32)
    return _split_matrix(matrix, parts, clause_keys)


_Parts = list[tuple[str, str, tuple[Sentence, ...]]]  # (article id, article text, sentences)


def _embedding_texts(parts: _Parts) -> tuple[list[str], list[tuple[str, int]]]:
    """Every sentence in article order, then every clause of a compound sentence (with its key)."""
    texts = [s.text for _aid, _text, sents in parts for s in sents]
    clause_keys: list[tuple[str, int]] = []
    for aid, text, sents in parts:
        for s in sents:
            for start, end in split_clauses(s):
                clause_keys.append((aid, s.index))
                texts.append(text[start:end])
    return texts, clause_keys


def _split_matrix(
    matrix: np.ndarray, parts: _Parts, clause_keys: list[tuple[str, int]]
) -> tuple[SentenceVectors, ClauseVectors]:
    vectors: SentenceVectors = {}
    row = 0
    for aid, _text, sents in parts:
        vectors[aid] = matrix[row : row + len(sents)]
        row += len(sents)
    clauses: dict[tuple[str, int], list[np.ndarray]] = {}
    for key, vec in zip(clause_keys, matrix[row:], strict=True):
        clauses.setdefault(key, []).append(vec)
    return vectors, {k: np.stack(v) for k, v in clauses.items()}


def _split_or_none(article: Article) -> tuple[Sentence, ...] | None:
    """The article's sentences, or None to leave a failure to annotate_articles (which reports it)."""
    try:
        return split_sentences(article.text, article.id)
    except Exception:  # noqa: BLE001 - reported by annotate_articles, which splits again
        return None


class _PendingEmbedding:
    """Sentence and clause vectors being computed in the background (see :func:`_start_embedding`)."""

    def __init__(self, parts: _Parts, clause_keys: list[tuple[str, int]], pending: PendingVectors) -> None:
        self._parts = parts
        self._clause_keys = clause_keys
        self._pending = pending

    def result(self, annotated) -> tuple[SentenceVectors, ClauseVectors]:
        """The vectors of the ``annotated`` articles (those that failed annotation are dropped).

        A MiniLM vector does not depend on the other texts of its call, so dropping rows gives
        what :func:`embed_sentences` on ``annotated`` alone would.
        """
        vectors, clauses = _split_matrix(self._pending.result(), self._parts, self._clause_keys)
        ids = {a.id for a in annotated}
        if ids == set(vectors):
            return vectors, clauses
        kept = {k: v for k, v in vectors.items() if k in ids}
        return kept, {k: v for k, v in clauses.items() if k[0] in ids}


def _start_embedding(
    articles: list[Article], split: list[tuple[Sentence, ...] | None], models: Models
) -> _PendingEmbedding | None:
    """Start embedding a one-language story's sentences in background threads, or None.

    Only for an embedder that can run in the background (``start``; MiniLM) and a story whose
    sentences are all split; otherwise :func:`embed_sentences` runs after annotating, as before.
    A multilingual story never starts here: its model is chosen after annotating.
    """
    if any(s is None for s in split) or is_multilingual(articles):
        return None
    embedder = models.embedder
    start = getattr(embedder, "start", None)
    if start is None:
        return None
    parts: _Parts = [(a.id, a.text, s) for a, s in zip(articles, split, strict=True) if s is not None]
    texts, clause_keys = _embedding_texts(parts)
    if not texts:
        return None
    return _PendingEmbedding(parts, clause_keys, start(texts))


def _without_superseded(groups, versions, annotated) -> tuple:
    """Quote groups without the quotes of superseded versions: the ledger compares outlets, not drafts."""
    old = {aid for chain in versions for aid in chain.article_ids[:-1]}
    if not old:
        return tuple(groups)
    source_of = {a.id: a.article.source for a in annotated}
    out = []
    for g in groups:
        quotes = tuple(q for q in g.quotes if q.article_id not in old)
        if quotes:
            out.append(replace(g, quotes=quotes, sources=tuple(sorted({source_of[q.article_id] for q in quotes}))))
    return tuple(out)
