"""Reliability of the corpus store: a killed ingest, readers during an ingest, malformed records.

The ingests under test run as real subprocesses (``python -m storyscope ingest``) so the kill is
a real SIGKILL and the readers are another process, as in production. All articles are invented,
generated from templates into tmp_path.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storyscope.corpus import Corpus
from storyscope.errors import StoreError

N_ARTICLES = 150
BATCH = "5"  # articles per write transaction: many commits, so a kill lands mid-ingest
TIMEOUT = 120.0

TOWNS = ["Brask", "Ulvena", "Tormod", "Kesterby", "Aldmouth", "Fenwick Cross", "Sarnow", "Pellory"]
FIRST = ["Ada", "Bruno", "Cora", "Dmitri", "Elin", "Farid", "Greta", "Hugo", "Ines", "Jasper", "Kaja"]
LAST = ["Vantongeren", "Okafor", "Lindqvist", "Marchetti", "Halloran", "Szabo", "Nakamura", "Brennan"]
OUTLETS = ["Brask Echo", "The Valley Ledger", "Northline News", "Coastal Bulletin", "Morning Dispatch"]
EVENTS = [
    (
        "Fire destroys {n1} homes in {town}",
        "A fire that started in a bakery spread through the old quarter of {town} on {day}, destroying {n1} "
        "homes. Fire chief {p1} said {n2} firefighters fought the blaze for most of the night. Nobody was "
        "killed, but {n3} residents were treated for smoke. Mayor {p2} opened the town hall to families "
        "who lost their homes.",
    ),
    (
        "{town} council approves {n1} million budget for new bridge",
        "The council of {town} voted on {day} to spend {n1} million on a new bridge over the river. "
        "Councillor {p1} said the old crossing, built {n2} years ago, was no longer safe. Work is due to "
        "start in spring and take {n3} months. Opposition member {p2} called the plan too expensive.",
    ),
    (
        "{n1} workers strike at {town} steel plant",
        "About {n1} workers at the steel plant in {town} walked out on {day} in a dispute over shift pay. "
        "Union organiser {p1} said talks had broken down after {n2} weeks. The plant's owner said output "
        "would fall by {n3} percent during the strike. Plant manager {p2} urged workers to return.",
    ),
    (
        "Flooding cuts off {n1} villages near {town}",
        "Heavy rain flooded roads around {town} on {day}, cutting off {n1} villages. Emergency official "
        "{p1} said {n2} people had been moved to shelters. Water levels on the river rose by {n3} "
        "centimetres overnight. Farmer {p2} said his fields were under a metre of water.",
    ),
    (
        "{town} hospital opens new ward with {n1} beds",
        "A new ward with {n1} beds opened at the hospital in {town} on {day}. Hospital director {p1} said "
        "the ward would cut waiting times by {n2} percent. It cost {n3} million to build. Health "
        "minister {p2} attended the opening.",
    ),
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def invented_articles(n: int, seed: int = 3) -> list[dict]:
    """``n`` distinct articles (each >= 3 sentences) from templates with varied names, places, numbers."""
    rng = random.Random(seed)
    out = []
    start = dt.date(2026, 1, 5)
    for i in range(n):
        title, body = EVENTS[i % len(EVENTS)]
        slots = {
            "town": rng.choice(TOWNS),
            "p1": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            "p2": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            "n1": rng.randint(2, 900) + 1000 * i,  # unique per article
            "n2": rng.randint(2, 60),
            "n3": rng.randint(2, 99),
            "day": rng.choice(DAYS),
        }
        out.append(
            {
                "id": f"inv-{i:04d}",
                "source": rng.choice(OUTLETS),
                "title": title.format(**slots),
                "published": (start + dt.timedelta(days=i // 10)).isoformat(),
                "url": f"https://news{i % 7}.example/{i:04d}",
                "text": body.format(**slots),
            }
        )
    return out


def write_jsonl(path: Path, records: list[dict], bad: dict[int, str] | None = None) -> Path:
    """Records one per line; ``bad`` puts malformed lines at given positions."""
    lines = [json.dumps(r) for r in records]
    for pos, line in sorted((bad or {}).items()):
        lines.insert(pos, line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def ingest_argv(jsonl: Path, db: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "storyscope", "ingest", str(jsonl), "--db", str(db), "-q", *extra]


def start_ingest(jsonl: Path, db: Path) -> subprocess.Popen:
    return subprocess.Popen(
        ingest_argv(jsonl, db, "--batch-size", BATCH),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=os.environ.copy(),
    )


def stored_count(db: Path) -> int | None:
    """Articles committed so far, read through a separate read-only connection (None: no store yet)."""
    if not db.exists():
        return None
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return con.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            con.close()
    except sqlite3.OperationalError:  # not created yet (no table)
        return None


def check_store(db: Path) -> dict[str, int]:
    """Invariants of a consistent store; returns its counts."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:

        def q(sql: str) -> list[tuple]:
            return con.execute(sql).fetchall()

        def none(sql: str) -> bool:
            return q(f"SELECT count(*) FROM {sql}") == [(0,)]

        n = q("SELECT count(*) FROM articles")[0][0]
        assert q("SELECT count(DISTINCT id) FROM articles")[0][0] == n
        assert q("SELECT count(*) FROM features")[0][0] == n
        # Every article in exactly one story (story_articles is keyed by article).
        assert q("SELECT count(*) FROM story_articles")[0][0] == n
        assert none("articles WHERE rowid NOT IN (SELECT article FROM story_articles)")
        # No story without members, no membership of a missing story, sizes as stored.
        assert none("stories WHERE id NOT IN (SELECT story_id FROM story_articles)")
        assert none("story_articles WHERE story_id NOT IN (SELECT id FROM stories)")
        assert none(
            "stories s WHERE n_articles != (SELECT count(*) FROM story_articles m WHERE m.story_id = s.id)"
        )
        assert q("SELECT origin, stage, reason FROM failures GROUP BY 1, 2, 3 HAVING count(*) > 1") == []
        assert q("PRAGMA integrity_check") == [("ok",)]
        return {
            "articles": n,
            "stories": q("SELECT count(*) FROM stories")[0][0],
            "failures": q("SELECT count(*) FROM failures")[0][0],
        }
    finally:
        con.close()


@pytest.fixture(scope="module")
def feed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """150 invented articles plus two malformed lines (a rerun must not store their failures twice)."""
    path = tmp_path_factory.mktemp("feed") / "wire.jsonl"
    return write_jsonl(
        path, invented_articles(N_ARTICLES), bad={3: '{"id": "broken", "text": ', 100: "[1, 2]"}
    )


# --------------------------------------------------------------------------- kill and rerun


def test_killed_ingest_then_rerun_stores_every_article_once(feed: Path, tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    proc = start_ingest(feed, db)
    deadline = time.monotonic() + TIMEOUT
    partial = None
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            n = stored_count(db)
            if n is not None and 10 <= n < N_ARTICLES - 20:
                os.kill(proc.pid, signal.SIGKILL)
                partial = n
                break
            time.sleep(0.01)
    finally:
        if proc.poll() is None and partial is None:
            proc.kill()
        proc.wait(timeout=30)
    assert partial is not None, f"the ingest ended (rc {proc.returncode}) before it could be killed midway"
    assert proc.returncode == -signal.SIGKILL
    # What the killed run committed is whole: each batch went in with its clustering, or not at all.
    after_kill = check_store(db)
    assert partial <= after_kill["articles"] < N_ARTICLES
    assert after_kill["articles"] % int(BATCH) == 0  # whole batches only

    rerun = subprocess.run(
        ingest_argv(feed, db, "--json", "--batch-size", BATCH),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    summary = json.loads(rerun.stdout)
    assert summary["added"] == N_ARTICLES - after_kill["articles"]
    assert summary["duplicates"] == after_kill["articles"]
    counts = check_store(db)
    assert counts["articles"] == N_ARTICLES
    assert counts["failures"] == 2  # the two malformed lines, once each
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    ids = {r[0] for r in con.execute("SELECT id FROM articles")}
    con.close()
    assert ids == {f"inv-{i:04d}" for i in range(N_ARTICLES)}
    # A third run changes nothing.
    again = subprocess.run(
        ingest_argv(feed, db, "--json"),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert json.loads(again.stdout)["added"] == 0
    assert check_store(db) == counts


# --------------------------------------------------------------------------- readers during an ingest


def test_readers_query_while_an_ingest_writes(feed: Path, tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    proc = start_ingest(feed, db)
    seen: list[int] = []
    opened = False
    deadline = time.monotonic() + TIMEOUT
    try:
        while time.monotonic() < deadline:
            running = proc.poll() is None
            try:
                corpus = Corpus.open(db, readonly=True)
            except StoreError:
                assert not opened, "the store could be opened once, then not"
                if not running:
                    break
                time.sleep(0.02)
                continue
            opened = True
            with corpus:  # any sqlite3 error ("database is locked") fails the test
                n = corpus.count()["articles"]
                stories = corpus.stories(limit=20)
                hits = corpus.search("council budget bridge")
                assert all(s.size >= 1 for s in stories)
                assert all(h.article_id.startswith("inv-") for h in hits)
                assert corpus.failures() is not None
            assert not seen or n >= seen[-1], f"article count went down: {seen[-1]} -> {n}"
            seen.append(n)
            if not running:
                break
            time.sleep(0.02)
    finally:
        if proc.poll() is None:
            proc.kill()
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err.decode(errors="replace")[-2000:]
    during = {n for n in seen[:-1] if 0 < n < N_ARTICLES}
    assert len(during) >= 3, f"too few reads overlapped the ingest: {seen}"
    assert seen[-1] == N_ARTICLES
    check_store(db)


# --------------------------------------------------------------------------- malformed records


def article_html(title: str, body: str, site: str, date: str) -> str:
    paragraphs = "".join(f"<p>{s.strip()}.</p>" for s in body.split(". ") if s.strip())
    return (
        f'<!DOCTYPE html><html><head><title>{title}</title><meta property="og:site_name" content="{site}">'
        f'<meta property="article:published_time" content="{date}"></head>'
        f"<body><nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{paragraphs}</article></body></html>"
    )


def write_warc(path: Path, pages: list[dict]) -> list[int]:
    """One HTML response per page; returns the byte offset where each record ends."""
    ends = []
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for p in pages:
            html = article_html(p["title"], p["text"], p["source"], p["published"]).encode()
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            writer.write_record(
                writer.create_warc_record(
                    p["url"], "response", payload=io.BytesIO(html), http_headers=headers
                )
            )
            ends.append(fh.tell())
    return ends


def rss(items: list[dict]) -> str:
    entries = "".join(
        f"<item><title>{i['title']}</title><link>{i['url']}</link>"
        f"<pubDate>{dt.date.fromisoformat(i['published']).strftime('%a, %d %b %Y')} 08:00:00 +0000</pubDate>"
        f"<description>{i['text']}</description></item>"
        for i in items
    )
    broken = "<item><title>Headline only, the body never came</title><link>https://valley.example/stub</link></item>"
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>The Valley Ledger</title>'
        f"<link>https://valley.example/</link>{entries}{broken}</channel></rss>"
    )


def test_malformed_records_are_reported_and_the_rest_go_in(tmp_path: Path, models) -> None:
    arts = invented_articles(9, seed=11)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    jsonl = write_jsonl(
        inbox / "wire.jsonl",
        arts[:3],
        bad={
            1: '{"id": "cut", "title": "Cut off',
            3: "42",
            4: json.dumps({"id": "no-body", "title": "Nothing"}),
        },
    )
    feed_path = inbox / "valley.rss"
    feed_path.write_text(rss(arts[3:5]), encoding="utf-8")
    full = tmp_path / "full.warc.gz"
    ends = write_warc(full, arts[5:7])
    warc = inbox / "crawl.warc.gz"
    warc.write_bytes(full.read_bytes()[: (ends[0] + ends[1]) // 2])  # the second record is cut short

    with Corpus.open(tmp_path / "x.db", models=models) as corpus:
        summary = corpus.ingest([inbox])
        stored = {a.title for s in corpus.stories() for a in corpus.articles(s.id)}
        assert stored == {a["title"] for a in arts[:6]}
        assert summary.added == 6
        failures = corpus.failures()
        assert failures == list(summary.failures)
        origins = sorted(f.origin for f in failures)
        assert origins == sorted(
            [
                f"{jsonl}:2",
                f"{jsonl}:4",
                f"{jsonl}:5",
                f"{feed_path}#entry 3 <https://valley.example/stub>",
                *[o for o in origins if o.startswith(f"{warc}#record 2")],
            ]
        ), origins
        by_origin = {f.origin: f.reason for f in failures}
        assert "malformed JSON" in by_origin[f"{jsonl}:2"]
        assert "int" in by_origin[f"{jsonl}:4"]
        assert "text" in by_origin[f"{jsonl}:5"]
        assert "no text" in by_origin[f"{feed_path}#entry 3 <https://valley.example/stub>"]
        (warc_reason,) = [r for o, r in by_origin.items() if o.startswith(f"{warc}#record 2")]
        assert any(w in warc_reason for w in ("truncated", "cut short", "corrupt", "missing")), warc_reason
        assert all(f.stage == "ingest" for f in failures)

        again = corpus.ingest([inbox])
        assert again.added == 0 and again.duplicates == 6
        assert corpus.failures() == failures
