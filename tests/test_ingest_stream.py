"""Streaming corpus ingestion: JSONL (plain and gzipped), WARC, RSS/Atom, stdin, sniffing, bounds.

Every fixture is invented and written into tmp_path by the test itself.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import itertools
import json
import sys
import tracemalloc
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storyscope.config import CorpusConfig
from storyscope.ingest import stream as stream_module
from storyscope.ingest.feeds import html_to_text
from storyscope.ingest.stream import sniff_kind, stream_inputs
from storyscope.records import Article, Failure, Notice

CONFIG = CorpusConfig()
BODY = (
    "The harbour master closed the east channel on Monday after a cargo ship lost power near the "
    "breakwater, officials said."
)


def run(*inputs, config: CorpusConfig = CONFIG) -> tuple[list[Article], list[Failure], list[Notice]]:
    items = list(stream_inputs(list(inputs), config))
    assert all(isinstance(i, Article | Failure | Notice) for i in items)
    return (
        [i for i in items if isinstance(i, Article)],
        [i for i in items if isinstance(i, Failure)],
        [i for i in items if isinstance(i, Notice)],
    )


# --------------------------------------------------------------------------- fixtures


def article_html(
    title: str, paragraphs: list[str], *, site: str | None = None, date: str | None = None
) -> str:
    meta = f'<meta property="og:site_name" content="{site}">' if site else ""
    if date:
        meta += f'<meta property="article:published_time" content="{date}">'
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title>{meta}</head><body>"
        '<nav><a href="/">Home</a> <a href="/sport">Sport</a></nav>'
        f"<article><h1>{title}</h1>{body}</article>"
        "<footer>Copyright 2026. All rights reserved.</footer></body></html>"
    )


FERRY = [
    "The ferry Northern Star ran aground on Tuesday night near the mouth of Tallin Bay, the coast guard said.",
    "Seven passengers were still missing late on Tuesday, and two rescue boats were searching the water.",
    "The operator said the ship had passed its annual inspection in January and that the crew was experienced.",
]
BRIDGE = [
    "Engineers closed the old Quay Bridge to traffic on Wednesday after divers found cracks in two piers.",
    "The city council said the bridge would stay shut for at least three weeks while repairs are planned.",
    "Commuters were told to use the northern ring road, which adds about twenty minutes to the journey.",
]
GALE = [
    "A winter gale cut power to four thousand homes along the coast on Thursday, the grid operator said.",
    "Crews restored electricity to most of them by the evening, though some villages stayed dark overnight.",
    "Forecasters warned that a second storm could reach the region over the weekend with stronger winds.",
]
CAFE = "The owner of the Quay Café – open since 1961 – said trade had fallen by half since the closure."


def http_response(writer: WARCWriter, url: str, status: str, content_type: str, body: bytes, **warc_headers):
    headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    record = writer.create_warc_record(
        url,
        "response",
        payload=io.BytesIO(body),
        http_headers=headers,
        warc_headers_dict=warc_headers or None,
    )
    writer.write_record(record)


def write_crawl(path: Path) -> None:
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "invented-crawler/1.0"}))
        http_response(
            writer,
            "https://www.tallinpost.example/2026/03/03/ferry-aground",
            "200 OK",
            "text/html; charset=utf-8",
            article_html(
                "Ferry runs aground off Tallin Bay", FERRY, site="The Tallin Post", date="2026-03-03"
            ).encode(),
            **{"WARC-Date": "2026-03-09T10:00:00Z"},
        )
        # No date and no site name in the page: WARC-Date and the domain stand in.
        http_response(
            writer,
            "https://quaynews.example/bridge-closed",
            "200 OK",
            "text/html; charset=windows-1252",
            article_html("Quay Bridge closed after cracks found", [*BRIDGE, CAFE]).encode("cp1252"),
            **{"WARC-Date": "2026-03-04T06:30:00Z"},
        )
        http_response(
            writer, "https://quaynews.example/missing", "404 Not Found", "text/html", b"<h1>Not found</h1>"
        )
        http_response(
            writer,
            "https://quaynews.example/photo.jpg",
            "200 OK",
            "image/jpeg",
            b"\xff\xd8\xff\xe0" + b"\0" * 64,
        )
        headers = StatusAndHeaders(
            "301 Moved Permanently", [("Location", "https://quaynews.example/new")], protocol="HTTP/1.1"
        )
        writer.write_record(
            writer.create_warc_record(
                "https://quaynews.example/old", "response", payload=io.BytesIO(b""), http_headers=headers
            )
        )
        # An index page: HTML 200 but no article in it.
        http_response(
            writer,
            "https://quaynews.example/",
            "200 OK",
            "text/html",
            b"<html><body><nav><a href='/a'>News</a> <a href='/b'>Sport</a></nav></body></html>",
        )


def write_three_pages(path: Path, *, compress: bool) -> list[int]:
    """Three article responses; returns the byte offset where each record ends."""
    ends: list[int] = []
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=compress)
        for n, (title, paragraphs) in enumerate(
            [("Ferry aground", FERRY), ("Bridge closed", BRIDGE), ("Gale cuts power", GALE)]
        ):
            html = article_html(title, paragraphs, site="Coast Wire", date=f"2026-03-0{n + 3}")
            http_response(writer, f"https://coastwire.example/{n}", "200 OK", "text/html", html.encode())
            ends.append(fh.tell())
    return ends


# --------------------------------------------------------------------------- JSONL


def jsonl_lines() -> list[str]:
    return [
        json.dumps(
            {
                "id": "w1",
                "title": "Channel closed",
                "url": "https://northwire.example/w1",
                "text": BODY,
                "published": "2026-03-03",
            }
        ),
        '{"id": "w2", "text": "unterminated',
        json.dumps({"id": "w3", "title": "No body here"}),
        "",
        "[1, 2, 3]",
        json.dumps({"id": "w6", "source": "South Wire", "text": [FERRY[0], FERRY[1]]}),
    ]


@pytest.mark.parametrize("compress", [False, True])
def test_jsonl_streams_and_bad_lines_fail_alone(tmp_path: Path, compress: bool) -> None:
    text = "\n".join(jsonl_lines()) + "\n"
    if compress:
        path = tmp_path / "wire.jsonl.gz"
        path.write_bytes(gzip.compress(text.encode()))
    else:
        path = tmp_path / "wire.jsonl"
        path.write_text(text, encoding="utf-8")
    articles, failures, _ = run(path)
    assert [a.id for a in articles] == ["w1", "w6"]
    w1, w6 = articles
    assert w1.origin == f"{path}:1" and w6.origin == f"{path}:6"
    assert w1.source == "northwire.example" and w1.published == dt.date(2026, 3, 3)
    assert w1.url == "https://northwire.example/w1" and w1.title == "Channel closed"
    assert w6.source == "South Wire" and w6.text == f"{FERRY[0]}\n\n{FERRY[1]}"
    reasons = {f.origin: f.reason for f in failures}
    assert set(reasons) == {f"{path}:2", f"{path}:3", f"{path}:5"}
    assert "malformed JSON on line 2" in reasons[f"{path}:2"]
    assert "no 'text' or 'html'" in reasons[f"{path}:3"]
    assert "got list" in reasons[f"{path}:5"]


def test_jsonl_line_over_record_limit_is_skipped_alone(tmp_path: Path) -> None:
    path = tmp_path / "big.ndjson"
    long_line = json.dumps({"id": "huge", "text": "word " * 400})
    path.write_text(
        "\n".join([json.dumps({"id": "a", "text": BODY}), long_line, json.dumps({"id": "b", "text": BODY})])
    )
    articles, failures, _ = run(path, config=CorpusConfig(max_record_bytes=1000))
    assert [a.id for a in articles] == ["a", "b"]
    assert [a.origin for a in articles] == [f"{path}:1", f"{path}:3"]
    (failure,) = failures
    assert failure.origin == f"{path}:2" and "over 1,000 bytes" in failure.reason


def test_jsonl_non_utf8_line_and_truncated_gzip(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(
        json.dumps({"id": "ok", "text": BODY}).encode()
        + b"\n"
        + '{"id": "bad", "text": "Caf\xe9"}'.encode("latin-1")
    )
    articles, failures, _ = run(path)
    assert [a.id for a in articles] == ["ok"]
    assert failures[0].origin == f"{path}:2" and "not valid UTF-8" in failures[0].reason

    lines = "".join(json.dumps({"id": f"r{i}", "text": f"{BODY} Number {i}."}) + "\n" for i in range(300))
    data = gzip.compress(lines.encode())
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(data[: len(data) // 2])
    articles, failures, _ = run(cut)
    assert 0 < len(articles) < 300
    (failure,) = failures
    assert failure.origin == f"{cut}:{len(articles) + 1}" and "truncated or corrupt" in failure.reason


def test_jsonl_is_read_lazily(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "dump.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for i in range(50_000):
            fh.write(
                json.dumps({"id": f"a{i}", "url": f"https://wire.example/{i}", "text": f"{BODY} ({i})"})
                + "\n"
            )
    calls: list[str] = []
    real = stream_module.read_mapping

    def counting(record, origin, *args):
        calls.append(origin)
        return real(record, origin, *args)

    monkeypatch.setattr(stream_module, "read_mapping", counting)

    def inputs():
        yield path
        raise AssertionError("the input list must be consumed lazily too")

    first_three = list(itertools.islice(stream_inputs(inputs(), CONFIG), 3))
    assert [a.id for a in first_three] == ["a0", "a1", "a2"]
    assert len(calls) == 3  # the other 49,997 lines were not parsed

    monkeypatch.setattr(stream_module, "read_mapping", real)
    assert sum(1 for item in stream_inputs([path], CONFIG) if isinstance(item, Article)) == 50_000


def test_jsonl_memory_does_not_grow_with_the_file(tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    paragraph = " ".join([BODY] * 8)  # ~1 KB a line, 5 MB in all
    with path.open("w", encoding="utf-8") as fh:
        for i in range(5_000):
            fh.write(json.dumps({"id": f"m{i}", "text": f"{paragraph} ({i})"}) + "\n")
    size = path.stat().st_size
    tracemalloc.start()  # slow: hence fewer lines than above
    try:
        count = sum(1 for item in stream_inputs([path], CONFIG) if isinstance(item, Article))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 5_000
    assert peak < size / 10, (peak, size)  # a few lines' worth (and the sniffing head), not the file


# --------------------------------------------------------------------------- WARC


def test_warc_html_pages_become_articles(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    write_crawl(path)
    articles, failures, notices = run(path)
    assert [a.url for a in articles] == [
        "https://www.tallinpost.example/2026/03/03/ferry-aground",
        "https://quaynews.example/bridge-closed",
    ]
    ferry, bridge = articles
    assert ferry.origin == f"{path}#record 2 <https://www.tallinpost.example/2026/03/03/ferry-aground>"
    assert ferry.title == "Ferry runs aground off Tallin Bay"
    assert ferry.source == "The Tallin Post"
    assert ferry.published == dt.date(2026, 3, 3)  # the page's own date, not the crawl's
    assert "Seven passengers were still missing" in ferry.text and "All rights reserved" not in ferry.text
    assert ferry.text.count("\n\n") >= 2
    assert bridge.origin == f"{path}#record 3 <https://quaynews.example/bridge-closed>"
    assert bridge.source == "quaynews.example"  # no site name in the page: the domain
    assert bridge.published == dt.date(2026, 3, 4)  # no date in the page: the WARC-Date
    assert bridge.title == "Quay Bridge closed after cracks found"
    assert "Commuters were told" in bridge.text
    assert CAFE in bridge.text  # decoded with the charset the server declared
    # The index page is the only failure: 404, image, redirect and warcinfo are not articles to report.
    (failure,) = failures
    assert failure.origin == f"{path}#record 7 <https://quaynews.example/>"
    assert "no article text" in failure.reason
    (notice,) = notices
    assert notice.code == "warc_skipped_records"
    for part in (
        "7 record(s)",
        "2 article(s)",
        "1 failure(s)",
        "skipped 4",
        "1 HTTP 404 responses",
        "1 image/jpeg records",
        "1 redirects",
        "1 warcinfo records",
    ):
        assert part in notice.message, (part, notice.message)


@pytest.mark.parametrize("compress", [True, False])
@pytest.mark.parametrize("where", ["half", 5, 20, 60])  # halfway through the third record, or N bytes into it
def test_truncated_warc_keeps_records_before_the_cut(
    tmp_path: Path, compress: bool, where: str | int
) -> None:
    full = tmp_path / ("full.warc.gz" if compress else "full.warc")
    ends = write_three_pages(full, compress=compress)
    data = full.read_bytes()
    cut = tmp_path / ("cut.warc.gz" if compress else "cut.warc")
    cut.write_bytes(data[: (ends[1] + ends[2]) // 2 if where == "half" else ends[1] + int(where)])
    assert len(run(full)[0]) == 3
    articles, failures, _ = run(cut)
    assert [a.title for a in articles] == ["Ferry aground", "Bridge closed"]
    (failure,) = failures
    assert failure.origin.startswith(f"{cut}#record 3")
    assert "record" in failure.reason and "2 article(s) before it were kept" in failure.reason
    assert any(w in failure.reason for w in ("truncated", "cut short", "missing")), failure.reason
    assert str(ends[1]) in failure.reason  # the byte offset where the broken record starts


def test_warc_corrupt_bytes_and_oversized_page(tmp_path: Path) -> None:
    full = tmp_path / "pages.warc.gz"
    ends = write_three_pages(full, compress=True)
    data = bytearray(full.read_bytes())
    data[ends[0] + 30 : ends[0] + 60] = b"\x00" * 30  # garbage inside the second gzip member
    broken = tmp_path / "broken.warc.gz"
    broken.write_bytes(bytes(data))
    articles, failures, _ = run(broken)
    assert [a.title for a in articles] == ["Ferry aground"]
    (failure,) = failures
    assert failure.origin == f"{broken}#record 2" and "corrupt or truncated" in failure.reason

    articles, failures, _ = run(full, config=CorpusConfig(max_record_bytes=200))
    assert not articles and len(failures) == 3
    assert all("over 200 bytes" in f.reason for f in failures)


def test_arc_gz_is_read_like_warc(tmp_path: Path) -> None:
    page = (
        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + article_html("Ferry aground", FERRY)
    ).encode()
    info = b"1 0 InventedArchive\nURL IP-address Archive-date Content-type Archive-length\n"
    header = b"filedesc://old.arc 0.0.0.0 20260303120000 text/plain %d\n" % len(info) + info + b"\n"
    record = (
        b"http://arctimes.example/ferry 192.0.2.7 20260303120000 text/html %d\n" % len(page) + page + b"\n"
    )
    path = tmp_path / "old.arc.gz"
    path.write_bytes(gzip.compress(header) + gzip.compress(record))
    (article,), failures, _ = run(path)
    assert not failures
    assert article.origin == f"{path}#record 2 <http://arctimes.example/ferry>"
    assert article.source == "arctimes.example" and article.published == dt.date(2026, 3, 3)


def test_not_a_warc(tmp_path: Path) -> None:
    path = tmp_path / "notes.warc"
    path.write_text("these are some notes, not an archive\n", encoding="utf-8")
    articles, failures, _ = run(path)
    assert not articles
    assert failures == [Failure(str(path), "ingest", failures[0].reason)]
    assert "not a WARC or ARC archive" in failures[0].reason


# --------------------------------------------------------------------------- feeds

RSS = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>The Harbour Times</title>
  <link>https://harbourtimes.example/</link>
  <item>
    <title>Ferry &amp; crew rescued</title>
    <link>https://harbourtimes.example/ferry</link>
    <pubDate>Tue, 03 Mar 2026 23:30:00 -0500</pubDate>
    <description>A short teaser.</description>
    <content:encoded><![CDATA[<p>{FERRY[0]}</p><p>{FERRY[1]}</p><ul><li>Two boats searched.</li></ul>
      <script>track()</script><p>{FERRY[2]}</p>]]></content:encoded>
  </item>
  <item>
    <title>Bridge shut</title>
    <link>https://harbourtimes.example/bridge</link>
    <pubDate>Wed, 04 Mar 2026 09:00:00 +0000</pubDate>
    <description>&lt;p&gt;{BRIDGE[0]}&lt;/p&gt;&lt;p&gt;{BRIDGE[1]}&lt;/p&gt;</description>
    <source url="https://quaynews.example/rss">Quay News</source>
  </item>
  <item>
    <title>Headline only</title>
    <link>https://harbourtimes.example/headline</link>
  </item>
</channel>
</rss>
"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Coast Wire</title>
  <link href="https://coastwire.example/"/>
  <id>urn:coastwire</id>
  <updated>2026-03-05T12:00:00Z</updated>
  <entry>
    <title>Gale cuts power</title>
    <link href="https://coastwire.example/gale"/>
    <id>urn:gale</id>
    <published>2026-03-05T07:00:00+02:00</published>
    <updated>2026-03-05T09:00:00+02:00</updated>
    <content type="html">&lt;p&gt;{GALE[0]}&lt;/p&gt;&lt;p&gt;{GALE[1]}&lt;/p&gt;&lt;p&gt;{GALE[2]}&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Plain summary</title>
    <link href="https://coastwire.example/plain"/>
    <id>urn:plain</id>
    <updated>2026-03-06T10:00:00Z</updated>
    <summary type="text">{BODY}</summary>
  </entry>
</feed>
"""


def test_rss_entries(tmp_path: Path) -> None:
    path = tmp_path / "harbour.rss"
    path.write_text(RSS, encoding="utf-8")
    articles, failures, notices = run(path)
    ferry, bridge = articles
    assert ferry.origin == f"{path}#entry 1 <https://harbourtimes.example/ferry>"
    assert ferry.title == "Ferry & crew rescued"
    assert ferry.url == "https://harbourtimes.example/ferry"
    assert ferry.source == "The Harbour Times"
    assert ferry.published == dt.date(2026, 3, 3)  # the outlet's day, not UTC's 4 March
    assert ferry.text.split("\n\n") == [FERRY[0], FERRY[1], "Two boats searched.", FERRY[2]]
    assert bridge.source == "Quay News"  # the item's own <source> wins over the feed title
    assert bridge.text == f"{BRIDGE[0]}\n\n{BRIDGE[1]}"
    (failure,) = failures
    assert failure.origin == f"{path}#entry 3 <https://harbourtimes.example/headline>"
    assert "no text" in failure.reason
    assert not notices


def test_atom_entries(tmp_path: Path) -> None:
    path = tmp_path / "coast.atom"
    path.write_text(ATOM, encoding="utf-8")
    articles, failures, _ = run(path)
    assert not failures
    gale, plain = articles
    assert gale.origin == f"{path}#entry 1 <https://coastwire.example/gale>"
    assert gale.source == "Coast Wire" and gale.title == "Gale cuts power"
    assert gale.published == dt.date(2026, 3, 5)  # published before updated
    assert gale.text.split("\n\n") == GALE
    assert plain.text == BODY and plain.published == dt.date(2026, 3, 6)


def test_malformed_feeds(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_text('<?xml version="1.0"?>\n<rss><channel><title>Oops</title><<<', encoding="utf-8")
    articles, failures, _ = run(broken)
    assert not articles
    (failure,) = failures
    assert failure.origin == str(broken) and "not a readable RSS/Atom feed" in failure.reason
    assert "SAXParseException" in failure.reason

    # An unescaped '&' makes the XML invalid; the lenient parser still recovers the entries.
    bozo = tmp_path / "bozo.rss"
    bozo.write_text(RSS.replace("Ferry &amp; crew", "Ferry & crew"), encoding="utf-8")
    articles, failures, notices = run(bozo)
    assert [a.url for a in articles] == [
        "https://harbourtimes.example/ferry",
        "https://harbourtimes.example/bridge",
    ]
    assert len(failures) == 1  # still only the headline-only entry
    (notice,) = notices
    assert notice.code == "feed_malformed" and str(bozo) in notice.message
    assert notice.article_ids == tuple(a.id for a in articles)


def test_html_to_text() -> None:
    assert html_to_text(
        "<div>One <b>bold</b> line<br>Two &amp; three<figcaption>Photo: X</figcaption></div>"
    ) == ("One bold line\n\nTwo & three")
    assert html_to_text("no tags &amp; entities") == "no tags & entities"


# --------------------------------------------------------------------------- dispatch, stdin, directories


def test_sniffing_without_telling_names(tmp_path: Path) -> None:
    feed = tmp_path / "download.dat"
    feed.write_text(ATOM, encoding="utf-8")
    warc = tmp_path / "capture.bin"
    write_three_pages(warc, compress=True)
    lines = tmp_path / "export.json"  # JSON Lines saved as .json, gzipped under another name
    lines_gz = tmp_path / "export.data"
    payload = "\n".join(json.dumps({"id": f"j{i}", "text": BODY + f" ({i})"}) for i in range(3))
    lines.write_text(payload, encoding="utf-8")
    lines_gz.write_bytes(gzip.compress(payload.encode()))
    articles, failures, _ = run(feed, warc, lines, lines_gz)
    assert not failures
    assert [a.origin for a in articles] == [
        f"{feed}#entry 1 <https://coastwire.example/gale>",
        f"{feed}#entry 2 <https://coastwire.example/plain>",
        *(f"{warc}#record {n} <https://coastwire.example/{n - 1}>" for n in (1, 2, 3)),
        *(f"{lines}:{n}" for n in (1, 2, 3)),
        *(f"{lines_gz}:{n}" for n in (1, 2, 3)),
    ]
    # Streamed, not read whole: the file is over the record limit, each line is under it.
    assert lines.stat().st_size > 300 and len(run(lines, config=CorpusConfig(max_record_bytes=300))[0]) == 3
    assert sniff_kind(b'<?xml version="1.0"?>\n<!DOCTYPE html><html><body>x</body></html>') == "whole"
    assert sniff_kind(b"\xef\xbb\xbf  <rss version='2.0'>") == "feed"
    assert sniff_kind(b'{\n  "text": "pretty printed"\n}') == "whole"


def test_whole_files_delegate_to_readers_with_the_record_limit(tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text("Title: Tide record\nSource: Bay Gazette\n\n" + BODY, encoding="utf-8")
    article_json = tmp_path / "one.json"
    article_json.write_text(json.dumps({"id": "one", "source": "Json Daily", "text": BODY}), encoding="utf-8")
    articles, failures, _ = run(story, article_json)
    assert not failures
    assert [(a.title, a.source, a.origin) for a in articles] == [
        ("Tide record", "Bay Gazette", str(story)),
        ("", "Json Daily", str(article_json)),
    ]
    articles, failures, _ = run(story, config=CorpusConfig(max_record_bytes=50))
    assert not articles
    assert "over max_record_bytes (50)" in failures[0].reason and "JSON Lines" in failures[0].reason


def test_directory_mixed_formats(tmp_path: Path) -> None:
    root = tmp_path / "in"
    (root / "feeds").mkdir(parents=True)
    (root / ".hidden").mkdir()
    (root / "feeds" / "coast.atom").write_text(ATOM, encoding="utf-8")
    (root / ".hidden" / "x.jsonl").write_text(json.dumps({"text": BODY}), encoding="utf-8")
    (root / "a.jsonl").write_text(json.dumps({"id": "a", "text": BODY}) + "\n", encoding="utf-8")
    write_three_pages(root / "z.warc.gz", compress=True)
    articles, failures, _ = run(root)
    assert not failures
    assert [Path(a.origin.split("#")[0].rsplit(":", 1)[0]).name for a in articles] == [
        "a.jsonl",
        "coast.atom",
        "coast.atom",
        "z.warc.gz",
        "z.warc.gz",
        "z.warc.gz",
    ]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "no readable files" in run(empty)[1][0].reason


def test_stdin_is_sniffed_and_streamed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    payload = "\n".join(json.dumps({"id": f"s{i}", "text": BODY}) for i in range(3)).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(gzip.compress(payload))))
    articles, failures, _ = run("-")
    assert not failures and [a.origin for a in articles] == ["<stdin>:1", "<stdin>:2", "<stdin>:3"]

    warc = tmp_path / "pipe.warc.gz"
    write_three_pages(warc, compress=True)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(warc.read_bytes())))
    articles, failures, _ = run("-")
    assert (
        not failures and [a.origin for a in articles][0] == "<stdin>#record 1 <https://coastwire.example/0>"
    )

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(RSS.encode())))
    articles, failures, _ = run("-")
    assert len(articles) == 2 and len(failures) == 1

    monkeypatch.setattr(sys, "stdin", io.StringIO("Title: Piped\n\n" + BODY))  # text-only stream
    (article,) = run("-")[0]
    assert article.title == "Piped" and article.origin == "<stdin>"


def test_passthrough_and_bad_inputs(tmp_path: Path) -> None:
    given = Article("own-1", "Given Outlet", "Given", BODY)
    articles, failures, _ = run(
        given,
        {"source": "Dict Outlet", "title": "From a dict", "text": BODY + " More."},
        42,
        tmp_path / "missing.jsonl",
        tmp_path,  # exists but holds nothing
    )
    assert articles[0] is given
    assert articles[1].source == "Dict Outlet" and articles[1].origin == "<input 1>"
    reasons = [(f.origin, f.reason) for f in failures]
    assert reasons[0] == ("<input 2>", reasons[0][1]) and "cannot read a int" in reasons[0][1]
    assert reasons[1] == (str(tmp_path / "missing.jsonl"), "no such file or directory")
    assert "no readable files" in reasons[2][1]
    # A single input need not be wrapped in a list.
    assert list(stream_inputs(given, CONFIG)) == [given]
