"""A corpus: articles kept in a store and grouped into stories as they arrive.

``Corpus`` is the library face of the store + clustering stages; the CLI
(``storyscope ingest/stories/show/search/recluster``) and the REST API are thin
layers over it.

    >>> with Corpus.open("news.db") as corpus:                      # doctest: +SKIP
    ...     corpus.ingest(["feeds/", "crawl.warc.gz"])
    ...     for story in corpus.stories(since=dt.date(2026, 3, 1)):
    ...         report = corpus.report(story.id)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from storyscope.config import CorpusConfig
from storyscope.models import Models
from storyscope.records import Article, Failure, IngestSummary, SearchHit, StoryInfo, StoryReport

Input = str | Path | Article | Mapping
#: progress(done, total or None, message)
IngestProgress = Callable[[int, int | None, str], None]


class Corpus:
    """Articles in a store, clustered into stories; reports computed on demand and cached."""

    @classmethod
    def open(
        cls,
        path: str | Path = "storyscope.db",
        *,
        config: CorpusConfig | None = None,
        models: Models | None = None,
        readonly: bool = False,
    ) -> Corpus:
        """Open (or create) the store at ``path``; ``readonly`` opens it for queries only."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def ingest(self, inputs: Iterable[Input] | Input, *, progress: IngestProgress | None = None) -> IngestSummary:
        """Read, clean, store and cluster articles; idempotent (same URL or same text is one article)."""
        raise NotImplementedError

    def stories(
        self,
        *,
        since: dt.date | None = None,
        until: dt.date | None = None,
        outlet: str | None = None,
        query: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[StoryInfo]:
        """Stories newest first; ``query`` is a full-text query over their articles."""
        raise NotImplementedError

    def story(self, story_id: str) -> StoryInfo:
        """One story; raises :class:`~storyscope.errors.UnknownStoryError`."""
        raise NotImplementedError

    def articles(self, story_id: str) -> list[Article]:
        raise NotImplementedError

    def article(self, article_id: str) -> Article | None:
        raise NotImplementedError

    def report(self, story_id: str) -> StoryReport:
        """The compare report of a story, cached until the story's membership changes."""
        raise NotImplementedError

    def search(self, query: str, *, limit: int = 20) -> list[SearchHit]:
        raise NotImplementedError

    def failures(self, *, limit: int | None = None) -> list[Failure]:
        raise NotImplementedError

    def recluster(self, *, progress: IngestProgress | None = None) -> int:
        """Rebuild every story from scratch; returns the number of stories."""
        raise NotImplementedError
