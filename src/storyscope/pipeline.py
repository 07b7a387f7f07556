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
from storyscope.annotate.language import is_multilingual
from storyscope.annotate.sentences import split_clauses
from storyscope.clean import clean_article
from storyscope.compare import compare_annotated, find_omissions
from storyscope.compare.copies import count_independent, find_copies
from storyscope.compare.ledger import build_ledger
from storyscope.compare.versions import find_versions, resolve_conflicts
from storyscope.config import CompareConfig
from storyscope.errors import ModelUnavailableError, NoArticlesError
from storyscope.ingest import dedupe, read_inputs
from storyscope.models import Models, default_models
from storyscope.records import Article, DroppedLine, Failure, Notice, StoryReport
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
    annotated, ann_failures = annotate_articles(cleaned, dropped, models, config)
    failures.extend(ann_failures)
    if not annotated:
        raise NoArticlesError(tuple(failures))

    # Not overlapped with spaCy in a thread: measured, both stages already fill the 2 cores.
    step("embedding sentences")
    vectors, clause_vectors = embed_sentences(annotated, models)

    step("comparing")
    found = compare_annotated(annotated, vectors, config, clause_vectors)
    # Independent sources (wire copies counted once), superseded versions and the quote ledger
    # refine what compare found; each is its own module in compare/.
    copies = find_copies(annotated, config)
    facts = count_independent(found.facts, copies, annotated)
    omissions = find_omissions(annotated, facts, config, copies) if copies else found.omissions
    versions = find_versions(annotated, vectors, config)
    conflicts = resolve_conflicts(found.conflicts, versions, annotated)
    ledger = build_ledger(annotated, _without_superseded(found.quote_groups, versions, annotated), config)

    step("summarizing")
    summary = summarize(annotated, facts, vectors, config, conflicts)

    return StoryReport(
        articles=tuple(annotated),
        entities=found.entities,
        facts=facts,
        omissions=omissions,
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
    texts = [s.text for a in annotated for s in a.sentences]
    clause_keys: list[tuple[str, int]] = []
    for a in annotated:
        for s in a.sentences:
            for start, end in split_clauses(s):
                clause_keys.append((a.id, s.index))
                texts.append(a.article.text[start:end])
    matrix = embedder.encode(texts) if texts else np.zeros((0, embedder.dim), dtype=np.float32)
    vectors: SentenceVectors = {}
    row = 0
    for a in annotated:
        n = len(a.sentences)
        vectors[a.id] = matrix[row : row + n]
        row += n
    clauses: dict[tuple[str, int], list[np.ndarray]] = {}
    for key, vec in zip(clause_keys, matrix[row:], strict=True):
        clauses.setdefault(key, []).append(vec)
    return vectors, {k: np.stack(v) for k, v in clauses.items()}


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
