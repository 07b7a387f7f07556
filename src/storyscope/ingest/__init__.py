"""Read articles from files, directories, stdin, dicts and :class:`Article` records.

Formats: ``.txt`` (optional ``Title:/Source:/Date:/URL:`` headers, a blank line, the
body), ``.html`` (main text via trafilatura, offline), ``.json`` (an object or a list)
and ``.jsonl`` (an object per line); anything else is sniffed. A bad input never
stops the others: it becomes a :class:`Failure` saying what is wrong and how to fix it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from storyscope.config import CompareConfig
from storyscope.ingest.readers import (
    normalise_text,
    normalise_url,
    read_path,
    read_stdin,
    route_input,
    stable_id,
)
from storyscope.records import Article, Failure, Notice

__all__ = ["IngestResult", "dedupe", "read_inputs"]


@dataclass(frozen=True, slots=True)
class IngestResult:
    articles: tuple[Article, ...]
    failures: tuple[Failure, ...] = ()
    notices: tuple[Notice, ...] = ()


def read_inputs(inputs: Iterable[str | Path | Article | Mapping], config: CompareConfig) -> IngestResult:
    """Read every input in order; ids are made unique within the run."""
    if isinstance(inputs, str | Path | Article | Mapping):
        inputs = [inputs]
    articles: list[Article] = []
    failures: list[Failure] = []
    notices: list[Notice] = []
    for n, item in enumerate(inputs):
        for out in route_input(item, n, lambda p: read_path(p, config), lambda: read_stdin(config)):
            if isinstance(out, Article):
                articles.append(out)
            elif isinstance(out, Failure):
                failures.append(out)
            else:
                notices.append(out)
    articles, renamed = _unique_ids(articles)
    return IngestResult(tuple(articles), tuple(failures), tuple(notices + renamed))


def _unique_ids(articles: list[Article]) -> tuple[list[Article], list[Notice]]:
    """Later stages key everything on ``Article.id``, so a repeated id gets a ``-2`` suffix."""
    seen: dict[str, Article] = {}
    out: list[Article] = []
    notices: list[Notice] = []
    for art in articles:
        if art.id in seen:
            k = 2
            while f"{art.id}-{k}" in seen:
                k += 1
            new = replace(art, id=f"{art.id}-{k}")
            notices.append(
                Notice(
                    "duplicate_id",
                    f"id {art.id!r} of {art.origin or 'an input'} was already used by "
                    f"{seen[art.id].origin or 'another input'}; renamed it {new.id!r}",
                    (art.id, new.id),
                )
            )
            art = new
        seen[art.id] = art
        out.append(art)
    return out, notices


def dedupe(articles: Iterable[Article]) -> tuple[list[Article], list[Notice]]:
    """The same URL, or the same (whitespace/case-folded) text from one outlet, is one article: keep the first.

    The same text under *another* outlet is kept: it is a wire copy or a reprint, and the report
    must be able to say which outlets ran it (``compare.copies`` then counts them as one source).
    """
    by_url: dict[str, Article] = {}
    by_text: dict[str, Article] = {}
    unique: list[Article] = []
    notices: list[Notice] = []
    ids: set[str] = set()
    for art in articles:
        url_key = normalise_url(art.url) if art.url else None
        text_key = normalise_text(art.text)
        kept, why = None, ""
        if url_key and url_key in by_url and _is_new_version(by_url[url_key], art, text_key):
            # The same outlet's page with another text: an update or correction, kept so that
            # compare.versions can show what changed. Ids hashed from the URL alone would collide.
            if art.id == by_url[url_key].id:
                art = replace(art, id=stable_id(None, f"{url_key}\n{art.text}"))
        elif url_key and url_key in by_url:
            kept, why = by_url[url_key], "the same URL"
        elif text_key in by_text and _same_outlet(by_text[text_key], art):
            kept, why = by_text[text_key], "the same text"
        elif text_key in by_text:
            first = by_text[text_key]
            if art.id in ids:  # ids hashed from the text alone collide
                art = replace(art, id=stable_id(None, f"{art.source}\n{art.text}"))
            notices.append(
                Notice(
                    "same_text_other_outlet",
                    f"{art.origin or art.id} ({art.source}) ran the same text as {first.origin or first.id} "
                    f"({first.source}); kept both, counted as one copy",
                    (first.id, art.id),
                )
            )
        if kept is not None:
            notices.append(
                Notice(
                    "duplicate_article",
                    f"{art.origin or art.id} ({art.source}) has {why} as {kept.origin or kept.id} "
                    f"({kept.source}); kept the first",
                    (kept.id, art.id),
                )
            )
            continue
        if url_key:
            by_url[url_key] = art
        by_text.setdefault(text_key, art)
        ids.add(art.id)
        unique.append(art)
    return unique, notices


def _same_outlet(a: Article, b: Article) -> bool:
    return a.source.strip().casefold() == b.source.strip().casefold()


def _is_new_version(kept: Article, art: Article, text_key: str) -> bool:
    """Same URL, same outlet, different text: a later version of the page, not a duplicate."""
    return _same_outlet(kept, art) and normalise_text(kept.text) != text_key
