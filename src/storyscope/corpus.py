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

import dataclasses
import datetime as dt
import hashlib
import pickle
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from storyscope.clean import clean_article
from storyscope.cluster.features import ArticleFeatures, embed_leads, extract_names
from storyscope.cluster.stories import StoryClusterer
from storyscope.config import CorpusConfig
from storyscope.errors import StoreError, UnknownStoryError
from storyscope.ingest.readers import normalise_text, normalise_url
from storyscope.models import Models, default_models
from storyscope.records import (
    SCHEMA_VERSION,
    Article,
    Failure,
    IngestSummary,
    Notice,
    SearchHit,
    StoryInfo,
    StoryReport,
)
from storyscope.store import SQLiteStore

Input = str | Path | Article | Mapping
#: Stories are settled after this many new articles (and at the end of every ingest).
SETTLE_EVERY = 1000
#: progress(done, total or None, message)
IngestProgress = Callable[[int, int | None, str], None]


class Corpus:
    """Articles in a store, clustered into stories; reports computed on demand and cached.

    Thread-safe (the store serialises access); several processes may open one file.
    """

    #: compare() is built for 2-50 articles; bigger stories are reported on a sample of this many.
    MAX_REPORT_ARTICLES = 50
    #: Notices kept per ingest (duplicates are counted, not listed, beyond this).
    MAX_NOTICES = 1000

    def __init__(self, store: SQLiteStore, config: CorpusConfig, models: Models | None) -> None:
        self.store = store
        self.config = config
        self._models = models
        self.clusterer = StoryClusterer(store, config)

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
        return cls(SQLiteStore(path, readonly=readonly), config or CorpusConfig(), models)

    @property
    def models(self) -> Models:
        if self._models is None:
            self._models = default_models()
        return self._models

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ ingest

    def ingest(
        self, inputs: Iterable[Input] | Input, *, progress: IngestProgress | None = None
    ) -> IngestSummary:
        """Read, clean, store and cluster articles; idempotent (same URL or same text is one article).

        Articles are written in batches of ``config.batch_size``, each batch in one transaction
        with its clustering, so an interrupted ingest loses at most the batch in flight and a
        rerun adds exactly what is missing.
        """
        from storyscope.ingest.stream import stream_inputs

        self._writable()
        started = time.perf_counter()
        tally = _Tally()
        batch: list[Article] = []
        failures: list[Failure] = []
        seen = settled_at = 0
        for item in stream_inputs(inputs, self.config):
            if isinstance(item, Article):
                batch.append(item)
                seen += 1
            elif isinstance(item, Failure):
                failures.append(item)
            else:
                tally.notice(item, self.MAX_NOTICES)
            if len(batch) >= self.config.batch_size or len(failures) >= 1000:
                self._write_batch(batch, failures, tally)
                batch, failures = [], []
                if tally.added - settled_at >= SETTLE_EVERY:  # keeps each settle's region small
                    self.clusterer.settle()
                    settled_at = tally.added
                if progress:
                    progress(seen, None, "ingesting")
        if batch or failures:
            self._write_batch(batch, failures, tally)
        if progress:
            progress(seen, seen, "settling stories")
        self.clusterer.settle()
        return IngestSummary(
            added=tally.added,
            duplicates=tally.duplicates,
            failures=tuple(tally.failures),
            notices=tuple(tally.notices),
            stories_created=tally.created,
            stories_joined=tally.joined,
            seconds=round(time.perf_counter() - started, 3),
        )

    def _write_batch(self, batch: list[Article], failures: list[Failure], tally: _Tally) -> None:
        # The store keeps the article as read (so a report lists what cleaning dropped and why);
        # duplicates, features and the length check look at the cleaned text.
        ready: list[_Prepared] = []
        keys_in_batch: set[str] = set()
        for art in batch:
            clean, _dropped = clean_article(art)
            if len(clean.text.strip()) < self.config.min_article_chars:
                failures.append(
                    Failure(
                        art.origin or art.id,
                        "clean",
                        f"only {len(clean.text.strip())} characters of reporting left after cleaning "
                        f"(minimum {self.config.min_article_chars})",
                        art.id,
                    )
                )
                continue
            url_key = normalise_url(art.url) if art.url else None
            content_hash = hashlib.sha1(normalise_text(clean.text).encode("utf-8")).hexdigest()
            if (url_key and url_key in keys_in_batch) or content_hash in keys_in_batch:
                why = "same URL or text as an article earlier in this batch"
                tally.duplicate(art, None, why, self.MAX_NOTICES)
                continue
            keys_in_batch.update(k for k in (url_key, content_hash) if k)
            ready.append(_Prepared(art, clean, url_key, content_hash))
        # Embedding is the slow part: done before taking the write lock, for the new ones only.
        fresh = [p for p in ready if self._duplicate_kind(p) in (None, "id")]
        vectors = embed_leads([p.clean for p in fresh], self.models.embedder) if fresh else None
        computed = {
            p.content_hash: (vectors[i], extract_names(f"{p.clean.title}\n{p.clean.text}"))
            for i, p in enumerate(fresh)
        }
        try:
            with self.store.transaction():
                for f in failures:
                    self.store.add_failure(f)
                    tally.failures.append(f)
                feats: list[ArticleFeatures] = []
                for p in ready:
                    art = p.raw
                    dup = self.store.find_duplicate(art.id, p.url_key, p.content_hash)  # under the write lock
                    if dup is not None and dup[1] != "id":
                        why = f"already stored as {dup[0]} (same {dup[1]})"
                        tally.duplicate(art, dup[0], why, self.MAX_NOTICES)
                        continue
                    if dup is not None:  # same id, different article: keep both
                        new_id = f"{art.id}-{p.content_hash[:6]}"
                        why = f"id {art.id!r} was taken by another article; stored as {new_id!r}"
                        tally.notice(Notice("renamed_id", why, (new_id,)), self.MAX_NOTICES)
                        art = dataclasses.replace(art, id=new_id)
                    if p.content_hash not in computed:  # another writer removed its twin meanwhile
                        vec = embed_leads([p.clean], self.models.embedder)[0]
                        computed[p.content_hash] = (vec, extract_names(f"{p.clean.title}\n{p.clean.text}"))
                    vec, names = computed[p.content_hash]
                    rowid = self.store.insert_article(art, url_key=p.url_key, content_hash=p.content_hash)
                    self.store.put_features(rowid, vec, names)
                    feats.append(ArticleFeatures(rowid, vec, names, art.published))
                    tally.added += 1
                stats = self.clusterer.add(feats)
                tally.created += stats.created
                tally.joined += stats.joined
        except BaseException:
            self.clusterer.reset_index()  # the index may hold vectors of rolled-back rows
            raise

    def _duplicate_kind(self, p: _Prepared) -> str | None:
        dup = self.store.find_duplicate(p.raw.id, p.url_key, p.content_hash)
        return dup[1] if dup else None

    def recluster(self, *, progress: IngestProgress | None = None) -> int:
        """Rebuild every story from scratch; returns the number of stories."""
        self._writable()
        return self.clusterer.recluster(progress=progress)

    def _writable(self) -> None:
        if self.store.readonly:
            raise StoreError(f"{self.store.path} was opened read-only")

    # ------------------------------------------------------------------ queries

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
        return self.store.stories(
            since=since,
            until=until,
            outlet=outlet,
            query=query,
            newest=self.store.newest_date(),
            window_days=self.config.window_days,
            limit=limit,
            offset=offset,
        )

    def story(self, story_id: str) -> StoryInfo:
        """One story; raises :class:`~storyscope.errors.UnknownStoryError`."""
        story = self.store.story(story_id)
        if story is None:
            raise UnknownStoryError(story_id)
        return dataclasses.replace(story, closed=self._closed(story))

    def _closed(self, story: StoryInfo) -> bool:
        newest = self.store.newest_date()
        return bool(
            newest and story.last_published and (newest - story.last_published).days > self.config.window_days
        )

    def articles(self, story_id: str) -> list[Article]:
        with self.store.snapshot():  # the members and their texts from one state of the store
            story = self.story(story_id)
            rowids = self.store.rowids(story.article_ids)
            return self.store.articles_by_rowid([rowids[a] for a in story.article_ids if a in rowids])

    def article(self, article_id: str) -> Article | None:
        return self.store.article(article_id)

    def report(self, story_id: str) -> StoryReport:
        """The compare report of a story, cached until the story's membership changes."""
        from storyscope import __version__
        from storyscope.pipeline import compare

        story = self.story(story_id)
        generator = f"storyscope {__version__} schema {SCHEMA_VERSION}"
        cached = self.store.cached_report(story.id, story.version, generator)
        if cached is not None:
            return pickle.loads(cached)  # written by this class only, from this store
        articles = self.articles(story_id)
        notices: list[Notice] = []
        if len(articles) > self.MAX_REPORT_ARTICLES:
            articles = _sample(articles, self.MAX_REPORT_ARTICLES)
            notices.append(
                Notice(
                    "story_sampled",
                    f"this story has {story.size} articles; the report compares {len(articles)} of them, "
                    "taken in turn from each outlet",
                    tuple(a.id for a in articles),
                )
            )
        report = compare(articles, config=self.config.compare, models=self.models)
        if notices:
            report = dataclasses.replace(report, notices=report.notices + tuple(notices))
        if not self.store.readonly:
            self.store.put_report(story.id, story.version, generator, pickle.dumps(report))
        return report

    def search(self, query: str, *, limit: int = 20) -> list[SearchHit]:
        return self.store.search(query, limit=limit)

    def failures(self, *, limit: int | None = None) -> list[Failure]:
        return self.store.failures(limit)

    def count(self) -> dict[str, int]:
        """Articles, stories and rejected inputs in the store."""
        return {
            "articles": self.store.count_articles(),
            "stories": self.store.count_stories(),
            "failures": self.store.count_failures(),
        }


@dataclasses.dataclass(frozen=True, slots=True)
class _Prepared:
    raw: Article  # as read: what the store keeps
    clean: Article  # what features and duplicate checks use
    url_key: str | None
    content_hash: str


class _Tally:
    """Counters of one ingest run; notices are capped so a huge ingest stays small in memory."""

    def __init__(self) -> None:
        self.added = self.duplicates = self.created = self.joined = 0
        self.failures: list[Failure] = []
        self.notices: list[Notice] = []

    def notice(self, notice: Notice, cap: int) -> None:
        if len(self.notices) < cap:
            self.notices.append(notice)

    def duplicate(self, art: Article, of_id: str | None, why: str, cap: int) -> None:
        """Count a skipped duplicate; the notice's ids are (this article, the one it duplicates)."""
        self.duplicates += 1
        ids = (art.id, of_id) if of_id else (art.id,)
        self.notice(Notice("duplicate_article", f"{art.origin or art.id}: {why}; skipped", ids), cap)


def _sample(articles: list[Article], n: int) -> list[Article]:
    """Round-robin over outlets (each in date order) so every outlet is represented."""
    by_source: dict[str, list[Article]] = defaultdict(list)
    for a in sorted(articles, key=lambda a: (a.published or dt.date.max, a.id)):
        by_source[a.source].append(a)
    out: list[Article] = []
    queues = [list(v) for _, v in sorted(by_source.items())]
    while len(out) < n and any(queues):
        for q in queues:
            if q and len(out) < n:
                out.append(q.pop(0))
    return out
