"""The corpus as a library and CLI user sees it: ingest, dedup, stories, search, cached reports, errors.

Every fixture beyond the bundled examples/ is invented and written into tmp_path here.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest

from storyscope.cli import EXIT_NO_STORY, EXIT_OK, EXIT_STORE, EXIT_USAGE, main
from storyscope.corpus import Corpus
from storyscope.errors import StoreError, UnknownStoryError
from storyscope.records import IngestSummary, StoryInfo

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
KALVARRO_OUTLETS = {"Harbour Wire", "Meridian Post", "Northgate Herald", "The Vestmar Courier"}
SELVIK_OUTLETS = {"Selvik Daily", "The Eastern Ledger", "Coastline Radio News"}

# An invented second story, in the same week as the Kalvarro landslide but about something else.
SELVIK = {
    "selvik_daily.txt": """Title: Dockworkers walk out at the port of Selvik over pay
Source: Selvik Daily
Date: 2026-03-10
URL: https://selvikdaily.example/port/2026/03/10/dockworkers-strike

About 1,400 dockworkers at the port of Selvik stopped work on Tuesday morning after talks on a new pay deal collapsed overnight.

The Selvik Harbour Workers Union said its members would stay off the quays for 48 hours. Union leader Marta Osterlund told a rally at the container terminal that wages had fallen behind prices for three years.

Eleven container ships were waiting at anchor outside the breakwater by the afternoon. The port authority said perishable cargo would be moved first once work resumed.
""",
    "eastern_ledger.txt": """Title: Selvik port strike leaves container ships stranded at anchor
Source: The Eastern Ledger
Date: 2026-03-10
URL: https://easternledger.example/business/selvik-port-strike

Container traffic at Selvik came to a halt on Tuesday as dockworkers began a two-day strike over pay, leaving ships stranded at anchor.

Port authority chief Anders Vilk said the walkout was costing exporters millions of crowns a day. He urged the Selvik Harbour Workers Union to return to the negotiating table.

Marta Osterlund, who leads the union, said the dockworkers had been offered a raise of 2 percent, far below inflation. Freight companies began diverting cargo to the port of Lindqvist further north.
""",
    "coastline_radio.txt": """Title: Talks resume as Selvik dockworkers end first day of strike
Source: Coastline Radio News
Date: 2026-03-11
URL: https://coastlineradio.example/news/selvik-talks-resume

Negotiators for the port of Selvik and its dockworkers met again on Wednesday, a day after 1,400 workers walked off the quays.

Anders Vilk of the port authority said a mediator had been appointed and that he hoped for a deal before the weekend. The union said the strike would go ahead as planned until Thursday morning.

Truck drivers queued for hours outside the container terminal, and Lindqvist reported a rise in diverted cargo.
""",
}

# A fifth report of the Kalvarro landslide (invented outlet) that should join the example story.
KALVARRO_FIFTH = """Title: Kalvarro landslide death toll rises as rescuers search the Calder quarter
Source: Oristel Gazette
Date: 2026-03-06
URL: https://oristelgazette.example/2026/03/06/kalvarro-landslide-toll

Rescuers in Kalvarro pulled two more bodies from the mud in the Calder quarter on Thursday, raising the death toll from Tuesday's landslide to 14.

The Vestmar Civil Rescue Service said five people were still missing. Tomas Brenner, head of the service, said crews would keep digging on the unstable hillside through the weekend.

Governor Ines Marlow visited families sheltering in a sports hall in Oristel. The R9 coastal highway between Kalvarro and Dunmere remained closed.
"""

FILLER = (
    "The council met on Monday to discuss the budget for the coming year. Members debated spending on "
    "roads, schools and the harbour. A final vote is expected next month."
)


def write_files(directory: Path, files: dict[str, str]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


def copy_store(src: Path, dst: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{src}{suffix}").exists():
            shutil.copy(f"{src}{suffix}", f"{dst}{suffix}")
    return dst


def snapshot(corpus: Corpus) -> list[tuple]:
    return [(s.id, s.version, s.article_ids, s.sources, s.label) for s in corpus.stories(limit=1000)]


@dataclass(frozen=True)
class Built:
    path: Path
    first: IngestSummary
    second: IngestSummary
    kalvarro: StoryInfo
    selvik: StoryInfo


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, models) -> Built:
    """examples/ then the invented Selvik story, ingested into one store (tests copy it to change it)."""
    base = tmp_path_factory.mktemp("corpus")
    selvik_dir = write_files(base / "selvik", SELVIK)
    path = base / "x.db"
    with Corpus.open(path, models=models) as corpus:
        first = corpus.ingest([EXAMPLES])
        second = corpus.ingest([selvik_dir])
        stories = corpus.stories()
    by_outlets = {frozenset(s.sources): s for s in stories}
    return Built(
        path,
        first,
        second,
        by_outlets.get(frozenset(KALVARRO_OUTLETS)) or stories[0],
        by_outlets.get(frozenset(SELVIK_OUTLETS)) or stories[-1],
    )


def mapping(n: int, text: str, url: str | None, **extra) -> dict:
    return {"source": f"Outlet {n}", "title": f"Headline {n}", "text": text, "url": url, **extra}


# --------------------------------------------------------------------------- ingest and stories


def test_examples_and_an_invented_story_become_two_stories(built: Built) -> None:
    assert built.first.added == 4 and built.first.duplicates == 0 and not built.first.failures
    assert built.first.stories_created == 1
    assert built.second.added == 3 and built.second.stories_created == 1
    with Corpus.open(built.path, readonly=True) as corpus:
        assert corpus.count() == {"articles": 7, "stories": 2, "failures": 0}
        stories = corpus.stories()
        assert [set(s.sources) for s in stories] == [SELVIK_OUTLETS, KALVARRO_OUTLETS]  # newest first
        kalvarro, selvik = stories[1], stories[0]
        assert kalvarro.size == 4 and selvik.size == 3
        assert {a.source for a in corpus.articles(kalvarro.id)} == KALVARRO_OUTLETS
        assert {a.source for a in corpus.articles(selvik.id)} == SELVIK_OUTLETS
        assert "kalvar" in kalvarro.label.lower() and "selvik" in selvik.label.lower()
        assert kalvarro.first_published == dt.date(2026, 3, 4)
        assert kalvarro.last_published == dt.date(2026, 3, 5)
        assert (selvik.first_published, selvik.last_published) == (dt.date(2026, 3, 10), dt.date(2026, 3, 11))
        assert corpus.story(kalvarro.id) == kalvarro
        assert not kalvarro.closed  # 6 days before the newest article, inside the 7-day window


def test_rerun_adds_nothing_and_changes_nothing(built: Built, tmp_path: Path, models) -> None:
    path = copy_store(built.path, tmp_path / "x.db")
    with Corpus.open(path, models=models) as corpus:
        before, counts = snapshot(corpus), corpus.count()
        summary = corpus.ingest([EXAMPLES])
        assert (summary.added, summary.duplicates, summary.stories_created) == (0, 4, 0)
        assert not summary.failures
        assert [n.code for n in summary.notices] == ["duplicate_article"] * 4
        assert snapshot(corpus) == before  # same ids, same versions: cached reports stay valid
        assert corpus.count() == counts


def test_same_text_under_another_url_is_a_duplicate(tmp_path: Path, models) -> None:
    text = "A freight train left the rails near the Orrin viaduct on Sunday. " * 3
    with Corpus.open(tmp_path / "x.db", models=models) as corpus:
        assert corpus.ingest([mapping(1, text, "https://one.example/a")]).added == 1
        # Case and spacing do not make a different text.
        other = "  " + text.upper().replace(". ", ".\n\n")
        summary = corpus.ingest([mapping(2, other, "https://two.example/b")])
        assert (summary.added, summary.duplicates) == (0, 1)
        assert "same content" in summary.notices[0].message
        # Within one batch too.
        summary = corpus.ingest(
            [
                mapping(3, "x" + text, "https://three.example/c"),
                mapping(4, "x" + text, "https://four.example/"),
            ]
        )
        assert (summary.added, summary.duplicates) == (1, 1)
        assert corpus.count()["articles"] == 2


def test_same_url_with_other_text_is_a_duplicate(tmp_path: Path, models) -> None:
    first = "A freight train left the rails near the Orrin viaduct on Sunday. " * 3
    second = "The Orrin viaduct reopened on Wednesday after repairs to the track. " * 3
    with Corpus.open(tmp_path / "x.db", models=models) as corpus:
        corpus.ingest([mapping(1, first, "https://www.railnews.example/orrin/?ref=1")])
        # Host case, www. and a trailing slash do not make another page; the first text stays.
        summary = corpus.ingest([mapping(1, second, "https://RAILNEWS.example/orrin?ref=1")])
        assert (summary.added, summary.duplicates) == (0, 1)
        assert "same url" in summary.notices[0].message
        (hit,) = corpus.search("Orrin")
        assert corpus.article(hit.article_id).text.startswith("A freight train")
        assert corpus.search("reopened") == []


def test_two_articles_with_one_id_are_both_kept(tmp_path: Path, models) -> None:
    texts = [
        f"Firefighters in {town} put out a blaze at a timber yard on Friday. Nobody was hurt. " * 2
        for town in ("Brask", "Ulvena", "Tormod")
    ]
    with Corpus.open(tmp_path / "x.db", models=models) as corpus:
        summary = corpus.ingest(
            [
                mapping(1, texts[0], "https://a.example/1", id="fire-1"),
                mapping(2, texts[1], "https://b.example/2", id="fire-1"),
            ]
        )
        assert summary.added == 2 and summary.duplicates == 0
        (renamed,) = [n for n in summary.notices if n.code == "renamed_id"]
        (new_id,) = renamed.article_ids
        assert new_id.startswith("fire-1-") and new_id in renamed.message
        assert "Brask" in corpus.article("fire-1").text and "Ulvena" in corpus.article(new_id).text
        # In a later ingest as well; a rerun of the same article is then a plain duplicate.
        summary = corpus.ingest([mapping(3, texts[2], "https://c.example/3", id="fire-1")])
        assert summary.added == 1 and [n.code for n in summary.notices] == ["renamed_id"]
        summary = corpus.ingest([mapping(3, texts[2], "https://c.example/3", id="fire-1")])
        assert (summary.added, summary.duplicates) == (0, 1)
        assert corpus.count()["articles"] == 3


def test_rejected_inputs_are_stored_once(tmp_path: Path, models) -> None:
    pile = write_files(
        tmp_path / "pile",
        {
            "good.txt": f"Title: Council budget\nSource: Brask Echo\nDate: 2026-02-02\n\n{FILLER}\n",
            "short.txt": "Title: Stub\nSource: Brask Echo\n\nToo short to report on.\n",
            "lines.jsonl": json.dumps(mapping(1, FILLER.replace("Monday", "Friday"), None)) + "\n{broken\n",
        },
    )
    (pile / "empty.txt").write_bytes(b"")
    with Corpus.open(tmp_path / "x.db", models=models) as corpus:
        summary = corpus.ingest([pile])
        assert summary.added == 2
        stored = corpus.failures()
        assert stored == list(summary.failures)
        where = {Path(f.origin.split(":")[0]).name: f for f in stored}
        assert set(where) == {"empty.txt", "short.txt", "lines.jsonl"}
        assert where["short.txt"].stage == "clean" and "characters" in where["short.txt"].reason
        assert where["lines.jsonl"].origin.endswith("lines.jsonl:2")
        assert "malformed JSON" in where["lines.jsonl"].reason
        assert "empty" in where["empty.txt"].reason
        again = corpus.ingest([pile])
        assert again.added == 0 and again.duplicates == 2 and len(again.failures) == 3  # still reported
        assert corpus.failures() == stored  # not stored twice
        assert corpus.count()["failures"] == 3


def test_search(built: Built) -> None:
    with Corpus.open(built.path, readonly=True) as corpus:
        hits = corpus.search("Calder quarter")
        assert len(hits) >= 3
        assert {h.story_id for h in hits} == {built.kalvarro.id}
        assert all("[" in h.snippet and "]" in h.snippet for h in hits)
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
        (hit, *_) = corpus.search("dockworkers pay")
        assert hit.story_id == built.selvik.id and hit.source in SELVIK_OUTLETS
        assert corpus.search("Osterlund", limit=1)[0].published == dt.date(2026, 3, 10)
        assert corpus.search("zeppelin") == []
        for odd in ['"AND (', "NEAR(", "*", "'", "OR", "a:b", "-", "", "   ", 'x" OR "', "é" * 300]:
            assert isinstance(corpus.search(odd), list)
            assert isinstance(corpus.stories(query=odd), list)


def test_story_filters(built: Built) -> None:
    k, s = built.kalvarro.id, built.selvik.id

    def ids(**kw) -> list[str]:
        with Corpus.open(built.path, readonly=True) as corpus:
            return [story.id for story in corpus.stories(**kw)]

    assert ids() == [s, k]
    assert ids(since=dt.date(2026, 3, 6)) == [s]
    assert ids(since=dt.date(2026, 3, 5)) == [s, k]  # a story counts from its last article
    assert ids(until=dt.date(2026, 3, 9)) == [k]
    assert ids(since=dt.date(2026, 3, 5), until=dt.date(2026, 3, 5)) == [k]
    assert ids(since=dt.date(2026, 4, 1)) == []
    assert ids(outlet="harbour wire") == [k]  # outlet names match case-insensitively
    assert ids(outlet="Coastline Radio News") == [s]
    assert ids(outlet="Nobody Times") == []
    assert ids(query="landslide") == [k]
    assert ids(query="container ships") == [s]
    assert ids(query="container ships", outlet="Harbour Wire") == []
    assert ids(limit=1) == [s] and ids(limit=1, offset=1) == [k]


def test_report_is_cached_until_a_new_article_joins(
    built: Built, tmp_path: Path, models, monkeypatch: pytest.MonkeyPatch
) -> None:
    import storyscope.pipeline

    real = storyscope.pipeline.compare
    calls: list[int] = []

    def counting(articles, **kw):
        calls.append(len(articles))
        return real(articles, **kw)

    monkeypatch.setattr(storyscope.pipeline, "compare", counting)
    path = copy_store(built.path, tmp_path / "x.db")
    sid = built.kalvarro.id
    with Corpus.open(path, models=models) as corpus:
        first = corpus.report(sid)
        assert calls == [4] and len(first.articles) == 4
        again = corpus.report(sid)  # served from the store: compare is not called again
        assert calls == [4] and again == first and again is not first
    with Corpus.open(path, models=models) as corpus:  # the cache is in the store, not the object
        assert corpus.report(sid) == first and calls == [4]
        version = corpus.story(sid).version
        extra = write_files(tmp_path / "more", {"oristel.txt": KALVARRO_FIFTH})
        summary = corpus.ingest([extra])
        assert summary.added == 1 and summary.stories_joined == 1 and summary.stories_created == 0
        story = corpus.story(sid)
        assert story.size == 5 and story.version > version and "Oristel Gazette" in story.sources
        fresh = corpus.report(sid)
        assert calls == [4, 5] and len(fresh.articles) == 5
        assert corpus.report(sid) == fresh and calls == [4, 5]


def test_unknown_story(built: Built) -> None:
    with Corpus.open(built.path, readonly=True) as corpus:
        for call in (corpus.story, corpus.report, corpus.articles):
            with pytest.raises(UnknownStoryError) as info:
                call("st-does-not-exist")
            assert "st-does-not-exist" in str(info.value)
            assert isinstance(info.value, KeyError)


def test_readonly_store_answers_queries_but_refuses_writes(built: Built, tmp_path: Path) -> None:
    with Corpus.open(built.path, readonly=True) as corpus:
        assert len(corpus.stories()) == 2 and corpus.search("Kalvarro")
        with pytest.raises(StoreError, match="read-only"):
            corpus.ingest([EXAMPLES])
        with pytest.raises(StoreError, match="read-only"):
            corpus.recluster()
        assert corpus.count()["articles"] == 7
    missing = tmp_path / "missing.db"
    with pytest.raises(StoreError, match="no such store"):
        Corpus.open(missing, readonly=True)
    assert not missing.exists()


def test_reads_in_a_snapshot_do_not_see_a_commit_made_meanwhile(built: Built, tmp_path: Path) -> None:
    from storyscope.store.sqlite import SQLiteStore

    path = tmp_path / "copy.db"
    shutil.copy(built.path, path)
    with SQLiteStore(path) as writer, SQLiteStore(path, readonly=True) as reader:
        (sid, *_) = sorted(writer.story_ids())
        members = reader.story_members(sid)
        with reader.snapshot():
            assert reader.story_members(sid) == members
            with writer.transaction():
                writer.clear_stories()  # a re-clustering empties every story
            assert reader.story_members(sid) == members  # still the state the snapshot began with
            assert reader.story(sid).size == len(members)
        assert reader.story_members(sid) == []  # the commit is seen once the snapshot ends


def test_files_that_are_not_stores(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE invoices(id INTEGER PRIMARY KEY, total REAL)")
    text = tmp_path / "notes.db"
    text.write_text("these are my notes, not a database\n" * 100, encoding="utf-8")
    for path in (other, text):
        for readonly in (False, True):
            with pytest.raises(StoreError, match=path.name):
                Corpus.open(path, readonly=readonly)
    # A store written by a newer storyscope is refused rather than misread.
    newer = tmp_path / "newer.db"
    Corpus.open(newer).close()
    with sqlite3.connect(newer) as db:
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(StoreError, match="newer"):
        Corpus.open(newer)
    with sqlite3.connect(other) as db:  # the foreign file was left as it was
        assert [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")] == ["invoices"]


# --------------------------------------------------------------------------- CLI


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def test_cli_round_trip(tmp_path: Path, models, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "cli.db")
    selvik_dir = write_files(tmp_path / "selvik", SELVIK)
    code, out, _ = cli(capsys, "ingest", str(EXAMPLES), str(selvik_dir), "--db", db, "--json", "-q")
    assert code == EXIT_OK
    summary = json.loads(out)
    assert summary["added"] == 7 and summary["store"] == {"articles": 7, "stories": 2, "failures": 0}

    code, out, _ = cli(capsys, "stories", "--db", db, "--json")
    assert code == EXIT_OK
    stories = json.loads(out)
    assert [s["articles"] for s in stories] == [3, 4]
    assert set(stories[0]["outlets"]) == SELVIK_OUTLETS and set(stories[1]["outlets"]) == KALVARRO_OUTLETS
    selvik_id = stories[0]["id"]
    code, out, _ = cli(
        capsys, "stories", "--db", db, "--json", "--outlet", "Harbour Wire", "--since", "2026-03-01"
    )
    assert code == EXIT_OK and [s["id"] for s in json.loads(out)] == [stories[1]["id"]]

    code, out, _ = cli(capsys, "show", selvik_id, "--db", db, "--json", "-q")
    assert code == EXIT_OK
    report = json.loads(out)
    assert {a["source"] for a in report["articles"]} == SELVIK_OUTLETS

    code, out, err = cli(capsys, "show", "st-nope", "--db", db, "-q")
    assert code == EXIT_NO_STORY and "st-nope" in err and not out

    code, out, _ = cli(capsys, "search", "Osterlund", "--db", db, "--json")
    assert code == EXIT_OK
    hits = json.loads(out)
    assert hits and {h["story_id"] for h in hits} == {selvik_id}
    code, out, _ = cli(capsys, "search", '"AND (', "--db", db, "--json")
    assert code == EXIT_OK and isinstance(json.loads(out), list)

    code, out, _ = cli(capsys, "recluster", "--db", db, "--json", "-q")
    assert code == EXIT_OK and json.loads(out)["stories"] == 2
    code, out, _ = cli(capsys, "stories", "--db", db, "--json")
    assert [(s["id"], s["article_ids"]) for s in json.loads(out)] == [
        (s["id"], s["article_ids"]) for s in stories
    ]

    code, out, _ = cli(capsys, "ingest", str(EXAMPLES), "--db", db, "--json", "-q")
    assert code == EXIT_OK and json.loads(out)["added"] == 0 and json.loads(out)["duplicates"] == 4


def test_cli_store_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = str(tmp_path / "missing.db")
    for argv in (["stories"], ["show", "st-x"], ["search", "rain"]):
        code, out, err = cli(capsys, *argv, "--db", missing)
        assert code == EXIT_STORE and "no store" in err, argv
    assert not Path(missing).exists()
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database " * 200, encoding="utf-8")
    for argv in (["ingest", str(EXAMPLES), "-q"], ["stories"], ["recluster", "-q"]):
        code, _, err = cli(capsys, *argv, "--db", str(notes))
        assert code == EXIT_STORE and "notes.txt" in err, argv


def test_cli_window_days(tmp_path: Path, models, capsys: pytest.CaptureFixture[str]) -> None:
    """A zero-day window keeps the Kalvarro articles of 4 and 5 March apart; the default joins them."""
    db = str(tmp_path / "w.db")
    code, out, _ = cli(capsys, "ingest", str(EXAMPLES), "--db", db, "--json", "-q", "--window-days", "0")
    assert code == EXIT_OK and json.loads(out)["store"]["stories"] > 1
    code, out, _ = cli(capsys, "recluster", "--db", db, "--json", "-q")
    assert code == EXIT_OK and json.loads(out)["stories"] == 1
    code, out, _ = cli(capsys, "recluster", "--db", db, "--json", "-q", "--window-days", "0")
    assert code == EXIT_OK and json.loads(out)["stories"] > 1
    code, out, err = cli(capsys, "recluster", "--db", db, "-q", "--window-days", "-1")
    assert code == EXIT_USAGE and "window" in err
