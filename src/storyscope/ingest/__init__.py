"""Read articles from files, directories, stdin, dicts (stub: being written)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from storyscope.config import CompareConfig
from storyscope.records import Article, Failure, Notice


@dataclass(frozen=True, slots=True)
class IngestResult:
    articles: tuple[Article, ...]
    failures: tuple[Failure, ...] = ()
    notices: tuple[Notice, ...] = ()


def read_inputs(inputs: Iterable[str | Path | Article | Mapping], config: CompareConfig) -> IngestResult:
    arts = []
    for x in inputs:
        if isinstance(x, Article):
            arts.append(x)
        elif isinstance(x, Mapping):
            text = str(x.get("text", ""))
            aid = str(x.get("id") or hashlib.sha1(text.encode()).hexdigest()[:12])
            arts.append(Article(aid, str(x.get("source", "unknown")), str(x.get("title", "")), text))
    return IngestResult(tuple(arts))


def dedupe(articles: Iterable[Article]) -> tuple[list[Article], list[Notice]]:
    return list(articles), []
