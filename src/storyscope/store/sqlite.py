"""The embedded store: one SQLite file in WAL mode, schema versioned, every write in a transaction.

Why SQLite: a single file a user can copy, readers that keep working while an ingest
writes (WAL), full-text search built in (FTS5), and transactions that make an
interrupted ingest lose at most the batch in flight, never half of one.

Tables (schema version 1):
    articles        one row per distinct article (unique id, unique normalised URL, unique content hash)
    articles_fts    FTS5 index over title and text, kept in step by triggers
    features        per article: embedding (float32 blob) and proper-name counts (JSON) for clustering
    name_df         in how many articles each name occurs (IDF for clustering)
    stories         one row per story (label, dates, outlets, version, settled flag)
    story_articles  article -> story
    reports         cached compare report per story, valid for one story version
    failures        every rejected input with its reason (unique per origin+stage+reason: reruns add none)
    meta            key/value: app marker and counters

The store holds no clustering logic: ``cluster/`` decides, the store keeps.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from storyscope.errors import StoreError
from storyscope.records import Article, Failure, SearchHit, StoryInfo

APP_MARK = "storyscope"

# Each entry upgrades the schema by one version; never edit a released entry, append a new one.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE articles(
        rowid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        source TEXT NOT NULL,
        title TEXT NOT NULL,
        text TEXT NOT NULL,
        published TEXT,
        url TEXT,
        origin TEXT,
        url_key TEXT UNIQUE,
        content_hash TEXT NOT NULL UNIQUE,
        ingested_at TEXT NOT NULL
    );
    CREATE INDEX articles_published ON articles(published);
    CREATE INDEX articles_source ON articles(source);
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
    END;
    CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
    END;
    CREATE TRIGGER articles_au AFTER UPDATE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
    END;
    CREATE TABLE features(
        article INTEGER PRIMARY KEY REFERENCES articles(rowid) ON DELETE CASCADE,
        vector BLOB NOT NULL,
        names TEXT NOT NULL
    );
    CREATE TABLE name_df(name TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
    CREATE TABLE stories(
        id TEXT PRIMARY KEY,
        label TEXT NOT NULL,
        first_published TEXT,
        last_published TEXT,
        n_articles INTEGER NOT NULL,
        sources TEXT NOT NULL,
        version INTEGER NOT NULL,
        updated_at TEXT NOT NULL,
        settled INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX stories_last ON stories(last_published);
    CREATE INDEX stories_unsettled ON stories(settled) WHERE settled = 0;
    CREATE TABLE story_articles(
        article INTEGER PRIMARY KEY REFERENCES articles(rowid) ON DELETE CASCADE,
        story_id TEXT NOT NULL  -- a story row is (re)written after its members change
    );
    CREATE INDEX story_articles_story ON story_articles(story_id);
    CREATE TABLE reports(
        story_id TEXT PRIMARY KEY REFERENCES stories(id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        generator TEXT NOT NULL,
        body BLOB NOT NULL
    );
    CREATE TABLE failures(
        rowid INTEGER PRIMARY KEY,
        origin TEXT NOT NULL,
        stage TEXT NOT NULL,
        reason TEXT NOT NULL,
        article_id TEXT,
        at TEXT NOT NULL,
        UNIQUE(origin, stage, reason)
    );
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


class SQLiteStore:
    """Articles, features, stories, cached reports and failures in one SQLite file.

    Thread-safe: one connection guarded by a lock (the REST API calls it from a pool).
    Several processes may open the same file: WAL lets readers go on while one writer writes.
    """

    def __init__(self, path: str | Path, *, readonly: bool = False, timeout: float = 60.0) -> None:
        self.path = Path(path)
        self.readonly = readonly
        self._lock = threading.RLock()
        self._depth = 0
        self._snapshot = False
        try:
            if readonly:
                if not self.path.exists():
                    raise StoreError(f"{self.path}: no such store; create it with `storyscope ingest`")
                uri = f"file:{self.path.resolve()}?mode=ro"
                self._db = sqlite3.connect(uri, uri=True, timeout=timeout, check_same_thread=False)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(self.path, timeout=timeout, check_same_thread=False)
            self._db.isolation_level = None  # explicit BEGIN/COMMIT only
            self._db.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            self._db.execute("PRAGMA foreign_keys = ON")
            if not readonly:
                self._db.execute("PRAGMA journal_mode = WAL")
                self._db.execute(
                    "PRAGMA synchronous = NORMAL"
                )  # durable at checkpoints; WAL keeps it consistent
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a storyscope store or unreadable ({exc})") from exc

    # ------------------------------------------------------------------ lifecycle

    def _migrate(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} has schema version {version}, newer than this storyscope ({SCHEMA_VERSION}); "
                "upgrade storyscope"
            )
        if version == 0:
            tables = self._db.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
            if tables:
                raise StoreError(f"{self.path} is an SQLite file but not a storyscope store")
        if version == SCHEMA_VERSION:
            mark = self._db.execute("SELECT value FROM meta WHERE key='app'").fetchone()
            if not mark or mark[0] != APP_MARK:
                raise StoreError(f"{self.path} is not a storyscope store")
            return
        if self.readonly:
            raise StoreError(f"{self.path} needs a schema upgrade; open it once without readonly")
        for target in range(version + 1, SCHEMA_VERSION + 1):
            with self.transaction():
                for statement in _statements(MIGRATIONS[target - 1]):
                    self._db.execute(statement)
                if target == 1:
                    self._db.execute("INSERT INTO meta(key, value) VALUES ('app', ?)", (APP_MARK,))
                self._db.execute(f"PRAGMA user_version = {target}")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction (BEGIN IMMEDIATE); nested calls join the outer one."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            self._db.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            else:
                self._db.execute("COMMIT")
            finally:
                self._depth = 0

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads that see one state of the store.

        In WAL mode each statement outside a transaction reads the latest commit, so a listing
        that reads stories, then each story's members, could see a writer's commit in between
        (a story whose articles just moved to another: size 0). One read transaction pins them.
        """
        with self._lock:
            if self._depth or self._snapshot:
                yield
                return
            self._db.execute("BEGIN")
            self._snapshot = True
            try:
                yield
            finally:
                self._snapshot = False
                self._db.execute("COMMIT")

    def _q(self, sql: str, params: Sequence | Mapping = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def _x(self, sql: str, params: Sequence | Mapping = ()) -> sqlite3.Cursor:
        with self._lock:
            if not self._depth:
                raise RuntimeError("store writes must run inside store.transaction()")
            return self._db.execute(sql, params)

    # ------------------------------------------------------------------ articles

    def find_duplicate(
        self, article_id: str, url_key: str | None, content_hash: str
    ) -> tuple[str, str] | None:
        """(existing article id, "url"|"content"|"id") if this article is already stored."""
        if url_key:
            row = self._q("SELECT id FROM articles WHERE url_key = ?", (url_key,))
            if row:
                return row[0][0], "url"
        row = self._q("SELECT id FROM articles WHERE content_hash = ?", (content_hash,))
        if row:
            return row[0][0], "content"
        row = self._q("SELECT id FROM articles WHERE id = ?", (article_id,))
        if row:
            return row[0][0], "id"
        return None

    def insert_article(self, article: Article, *, url_key: str | None, content_hash: str) -> int:
        """Insert one article; returns its rowid (the key of its vector in the index)."""
        cur = self._x(
            "INSERT INTO articles(id, source, title, text, published, url, origin, url_key, content_hash, "
            "ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                article.id,
                article.source,
                article.title,
                article.text,
                _iso(article.published),
                article.url,
                article.origin,
                url_key,
                content_hash,
                _now(),
            ),
        )
        return int(cur.lastrowid)

    def article(self, article_id: str) -> Article | None:
        rows = self._q(f"SELECT {_ARTICLE_COLS} FROM articles WHERE id = ?", (article_id,))
        return _article(rows[0]) if rows else None

    def articles_by_rowid(self, rowids: Sequence[int]) -> list[Article]:
        """Articles in the order of ``rowids`` (missing ones skipped)."""
        found: dict[int, Article] = {}
        for chunk in _chunks(list(rowids), 500):
            marks = ",".join("?" * len(chunk))
            for row in self._q(
                f"SELECT rowid, {_ARTICLE_COLS} FROM articles WHERE rowid IN ({marks})", chunk
            ):
                found[row[0]] = _article(row[1:])
        return [found[r] for r in rowids if r in found]

    def rowids(self, article_ids: Sequence[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for chunk in _chunks(list(article_ids), 500):
            marks = ",".join("?" * len(chunk))
            out.update(self._q(f"SELECT id, rowid FROM articles WHERE id IN ({marks})", chunk))
        return out

    def article_ids(self, rowids: Sequence[int]) -> dict[int, str]:
        out: dict[int, str] = {}
        for chunk in _chunks(list(rowids), 500):
            marks = ",".join("?" * len(chunk))
            out.update(self._q(f"SELECT rowid, id FROM articles WHERE rowid IN ({marks})", chunk))
        return out

    def titles(self, rowids: Sequence[int]) -> dict[int, str]:
        """rowid -> title, or the opening of the text when there is no title (story labels)."""
        out: dict[int, str] = {}
        for chunk in _chunks(list(rowids), 500):
            marks = ",".join("?" * len(chunk))
            for rowid, title, head in self._q(
                f"SELECT rowid, title, substr(text, 1, 200) FROM articles WHERE rowid IN ({marks})", chunk
            ):
                out[rowid] = title or head
        return out

    def iter_rowids(self) -> list[int]:
        """Every article with features, oldest publication first (undated last), then ingest order."""
        return [
            r[0]
            for r in self._q(
                "SELECT a.rowid FROM articles a JOIN features f ON f.article = a.rowid "
                "ORDER BY a.published IS NULL, a.published, a.rowid"
            )
        ]

    def story_ids(self) -> set[str]:
        return {r[0] for r in self._q("SELECT id FROM stories")}

    def count_articles(self) -> int:
        return self._q("SELECT count(*) FROM articles")[0][0]

    # ------------------------------------------------------------------ features

    def count_features(self) -> int:
        return self._q("SELECT count(*) FROM features")[0][0]

    def put_features(self, rowid: int, vector: np.ndarray, names: Mapping[str, int]) -> None:
        """Store an article's clustering features and count its names in ``name_df``."""
        self._x(
            "INSERT OR REPLACE INTO features(article, vector, names) VALUES (?,?,?)",
            (rowid, np.asarray(vector, dtype=np.float32).tobytes(), json.dumps(names, ensure_ascii=False)),
        )
        if names:
            with self._lock:
                self._db.executemany(
                    "INSERT INTO name_df(name, df) VALUES (?, 1) ON CONFLICT(name) DO UPDATE SET df = df + 1",
                    [(n,) for n in names],
                )

    def features(self, rowids: Sequence[int]) -> dict[int, tuple[np.ndarray, dict[str, int], dt.date | None]]:
        """rowid -> (vector, name counts, publication date)."""
        out: dict[int, tuple[np.ndarray, dict[str, int], dt.date | None]] = {}
        for chunk in _chunks(list(rowids), 500):
            marks = ",".join("?" * len(chunk))
            rows = self._q(
                f"SELECT f.article, f.vector, f.names, a.published FROM features f "
                f"JOIN articles a ON a.rowid = f.article WHERE f.article IN ({marks})",
                chunk,
            )
            for rowid, blob, names, published in rows:
                out[rowid] = (np.frombuffer(blob, dtype=np.float32), json.loads(names), _date(published))
        return out

    def iter_vectors(self, batch: int = 5000) -> Iterator[tuple[np.ndarray, np.ndarray, list[dt.date | None]]]:
        """(rowids, vectors, publication dates) in batches: what the vector index is rebuilt from."""
        last = 0
        while True:
            rows = self._q(
                "SELECT f.article, f.vector, a.published FROM features f JOIN articles a ON a.rowid = f.article "
                "WHERE f.article > ? ORDER BY f.article LIMIT ?",
                (last, batch),
            )
            if not rows:
                return
            last = rows[-1][0]
            yield (
                np.array([r[0] for r in rows], dtype=np.int64),
                np.vstack([np.frombuffer(r[1], dtype=np.float32) for r in rows]),
                [_date(r[2]) for r in rows],
            )

    def name_df(self, names: Iterable[str]) -> dict[str, int]:
        names = list(set(names))
        out: dict[str, int] = {}
        for chunk in _chunks(names, 500):
            marks = ",".join("?" * len(chunk))
            out.update(self._q(f"SELECT name, df FROM name_df WHERE name IN ({marks})", chunk))
        return out

    # ------------------------------------------------------------------ stories

    def story_of(self, rowids: Sequence[int]) -> dict[int, str]:
        out: dict[int, str] = {}
        for chunk in _chunks(list(rowids), 500):
            marks = ",".join("?" * len(chunk))
            out.update(
                self._q(f"SELECT article, story_id FROM story_articles WHERE article IN ({marks})", chunk)
            )
        return out

    def story_members(self, story_id: str) -> list[int]:
        return [
            r[0]
            for r in self._q(
                "SELECT article FROM story_articles WHERE story_id = ? ORDER BY article", (story_id,)
            )
        ]

    def assign(self, rowid: int, story_id: str) -> None:
        self._x(
            "INSERT INTO story_articles(article, story_id) VALUES (?, ?) "
            "ON CONFLICT(article) DO UPDATE SET story_id = excluded.story_id",
            (rowid, story_id),
        )

    def refresh_story(self, story_id: str, label: str, *, settled: bool) -> None:
        """Recompute a story's dates, outlets and size from its members; bump its version.

        A story left with no members is deleted (its cached report goes with it).
        """
        rows = self._q(
            "SELECT a.source, a.published FROM story_articles s JOIN articles a ON a.rowid = s.article "
            "WHERE s.story_id = ?",
            (story_id,),
        )
        if not rows:
            self._x("DELETE FROM stories WHERE id = ?", (story_id,))
            return
        dates = sorted(d for _, d in rows if d)
        sources = sorted({s for s, _ in rows})
        self._x(
            "INSERT INTO stories(id, label, first_published, last_published, n_articles, sources, version, "
            "updated_at, settled) VALUES (?,?,?,?,?,?,1,?,?) ON CONFLICT(id) DO UPDATE SET "
            "label = excluded.label, first_published = excluded.first_published, "
            "last_published = excluded.last_published, n_articles = excluded.n_articles, "
            "sources = excluded.sources, version = stories.version + 1, updated_at = excluded.updated_at, "
            "settled = excluded.settled",
            (
                story_id,
                label,
                dates[0] if dates else None,
                dates[-1] if dates else None,
                len(rows),
                json.dumps(sources, ensure_ascii=False),
                _now(),
                int(settled),
            ),
        )

    def mark_settled(self, story_ids: Iterable[str]) -> None:
        for chunk in _chunks(list(story_ids), 500):
            marks = ",".join("?" * len(chunk))
            self._x(f"UPDATE stories SET settled = 1 WHERE id IN ({marks})", chunk)

    def unsettled_stories(self) -> list[str]:
        return [r[0] for r in self._q("SELECT id FROM stories WHERE settled = 0 ORDER BY id")]

    def memberships(self) -> dict[int, str]:
        """Every stored article's story (rowid -> story id)."""
        return dict(self._q("SELECT article, story_id FROM story_articles"))

    def rename_story(self, old_id: str, new_id: str) -> None:
        """Give a story another id (its cached report is dropped: it names the old id)."""
        self._x("DELETE FROM reports WHERE story_id = ?", (old_id,))
        self._x("UPDATE stories SET id = ? WHERE id = ?", (new_id, old_id))
        self._x("UPDATE story_articles SET story_id = ? WHERE story_id = ?", (new_id, old_id))

    def clear_stories(self) -> None:
        self._x("DELETE FROM story_articles")
        self._x("DELETE FROM stories")

    def story(self, story_id: str) -> StoryInfo | None:
        with self.snapshot():
            rows = self._q(f"SELECT {_STORY_COLS} FROM stories WHERE id = ?", (story_id,))
            return self._story(rows[0]) if rows else None

    def stories(
        self,
        *,
        since: dt.date | None = None,
        until: dt.date | None = None,
        outlet: str | None = None,
        query: str | None = None,
        newest: dt.date | None = None,
        window_days: int | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[StoryInfo]:
        """Stories, most recent first. ``since``/``until`` filter on the story's date range
        (undated stories are kept only when no date filter is given); ``query`` is FTS5 over
        the story's articles; ``newest`` and ``window_days`` decide which stories are closed."""
        where: list[str] = []
        params: list[object] = []
        if since:
            where.append("last_published >= ?")
            params.append(since.isoformat())
        if until:
            where.append("first_published <= ?")
            params.append(until.isoformat())
        if outlet:
            where.append(
                "id IN (SELECT s.story_id FROM story_articles s JOIN articles a ON a.rowid = s.article "
                "WHERE a.source = ? COLLATE NOCASE)"
            )
            params.append(outlet)
        if query and fts_query(query):  # no words in it (only punctuation): no filter
            where.append(
                "id IN (SELECT s.story_id FROM story_articles s WHERE s.article IN "
                "(SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?))"
            )
            params.append(fts_query(query))
        sql = f"SELECT {_STORY_COLS} FROM stories"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY last_published IS NULL, last_published DESC, n_articles DESC, id LIMIT ? OFFSET ?"
        params += [limit, offset]
        with self.snapshot():
            return [self._story(r, newest=newest, window_days=window_days) for r in self._q(sql, params)]

    def count_stories(self) -> int:
        return self._q("SELECT count(*) FROM stories")[0][0]

    def newest_date(self) -> dt.date | None:
        return _date(self._q("SELECT max(published) FROM articles")[0][0])

    def _story(
        self, row: tuple, *, newest: dt.date | None = None, window_days: int | None = None
    ) -> StoryInfo:
        sid, label, first, last, sources, version, updated = row
        ids = tuple(
            r[0]
            for r in self._q(
                "SELECT a.id FROM story_articles s JOIN articles a ON a.rowid = s.article "
                "WHERE s.story_id = ? ORDER BY a.published IS NULL, a.published, a.rowid",
                (sid,),
            )
        )
        last_d = _date(last)
        closed = bool(newest and window_days is not None and last_d and (newest - last_d).days > window_days)
        return StoryInfo(
            id=sid,
            label=label,
            article_ids=ids,
            sources=tuple(json.loads(sources)),
            first_published=_date(first),
            last_published=last_d,
            version=version,
            updated_at=updated,
            closed=closed,
        )

    # ------------------------------------------------------------------ report cache

    def cached_report(self, story_id: str, version: int, generator: str) -> bytes | None:
        rows = self._q(
            "SELECT body FROM reports WHERE story_id = ? AND version = ? AND generator = ?",
            (story_id, version, generator),
        )
        return rows[0][0] if rows else None

    def put_report(self, story_id: str, version: int, generator: str, body: bytes) -> None:
        with self.transaction():
            self._x(
                "INSERT OR REPLACE INTO reports(story_id, version, generator, body) "
                "SELECT id, ?, ?, ? FROM stories WHERE id = ? AND version = ?",
                (version, generator, body, story_id, version),
            )

    # ------------------------------------------------------------------ failures

    def add_failure(self, failure: Failure) -> None:
        self._x(
            "INSERT OR IGNORE INTO failures(origin, stage, reason, article_id, at) VALUES (?,?,?,?,?)",
            (failure.origin, failure.stage, failure.reason, failure.article_id, _now()),
        )

    def failures(self, limit: int | None = None) -> list[Failure]:
        sql = "SELECT origin, stage, reason, article_id FROM failures ORDER BY rowid"
        rows = self._q(sql + " LIMIT ?", (limit,)) if limit else self._q(sql)
        return [Failure(o, s, r, a) for o, s, r, a in rows]

    def count_failures(self) -> int:
        return self._q("SELECT count(*) FROM failures")[0][0]

    # ------------------------------------------------------------------ search

    def search(self, query: str, *, limit: int = 20) -> list[SearchHit]:
        """Full-text search (BM25); any user text is accepted: it is quoted into FTS5 terms."""
        match = fts_query(query)
        if not match:
            return []
        rows = self._q(
            "SELECT a.id, a.title, a.source, a.published, "
            "snippet(articles_fts, 1, '[', ']', ' … ', 16), bm25(articles_fts, 5.0, 1.0), s.story_id "
            "FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
            "LEFT JOIN story_articles s ON s.article = a.rowid "
            "WHERE articles_fts MATCH ? ORDER BY bm25(articles_fts, 5.0, 1.0) LIMIT ?",
            (match, limit),
        )
        return [
            SearchHit(aid, title, source, _date(pub), snip, -float(score), story)
            for aid, title, source, pub, snip, score, story in rows
        ]


_ARTICLE_COLS = "id, source, title, text, published, url, origin"
_STORY_COLS = "id, label, first_published, last_published, sources, version, updated_at"


def _article(row: tuple) -> Article:
    aid, source, title, text, published, url, origin = row
    return Article(aid, source, title, text, _date(published), url, origin)


def fts_query(text: str) -> str:
    """User text -> an FTS5 query of quoted terms (all must match), so no input is a syntax error."""
    terms = [t for t in "".join(c if c.isalnum() else " " for c in text).split() if t]
    return " ".join(f'"{t}"' for t in terms[:32])


def _statements(script: str) -> list[str]:
    """Split a migration script on statement boundaries (triggers contain ';' inside BEGIN...END)."""
    out: list[str] = []
    buf = ""
    for part in script.split(";"):
        buf += part + ";"
        if sqlite3.complete_statement(buf):
            if buf.strip(" \n;"):
                out.append(buf.strip())
            buf = ""
    return out


def _chunks(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
