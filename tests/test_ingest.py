"""Ingest: every format, every kind of bad input, duplicates, stdin. Fixtures are invented."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from pathlib import Path

import pytest

from storyscope.config import CompareConfig
from storyscope.errors import InputError
from storyscope.ingest import IngestResult, dedupe, read_inputs
from storyscope.ingest.decode import decode_bytes
from storyscope.ingest.readers import parse_date
from storyscope.records import Article

FIX = Path(__file__).parent / "fixtures" / "ingest"
CONFIG = CompareConfig()
BODY = "The harbour master closed the east channel on Monday after a cargo ship lost power near the breakwater.\n"


def read(*inputs, config: CompareConfig = CONFIG) -> IngestResult:
    return read_inputs(list(inputs), config)


def only_failure(result: IngestResult):
    assert not result.articles, result.articles
    assert len(result.failures) == 1, result.failures
    failure = result.failures[0]
    assert failure.stage == "ingest"
    return failure


# --------------------------------------------------------------------------- formats


def test_txt_with_headers() -> None:
    res = read(FIX / "story.txt")
    (art,) = res.articles
    assert art.title == "Ferry strike halts crossings to Tallin Bay"
    assert art.source == "The Lantern Gazette"  # header keys are case-insensitive
    assert art.published == dt.date(2026, 3, 3)
    assert art.url == "https://www.lanterngazette.example/news/ferry-strike"
    assert art.origin == str(FIX / "story.txt")
    assert art.text.startswith("Ferry crews walked off")
    assert "Title:" not in art.text
    assert "\n\n" in art.text  # paragraphs survive


def test_txt_without_headers_takes_headline_and_file_stem() -> None:
    (art,) = read(FIX / "plain.txt").articles
    assert art.title == "Lighthouse keeper retires after 40 years"
    assert art.text.startswith("Otto Brandt")
    assert art.source == "plain"  # no metadata and no URL: the file name stem


def test_html_main_text_and_metadata() -> None:
    (art,) = read(FIX / "page.html").articles
    assert art.source == "The Quay Courier"
    assert art.title == "Harbour crane collapse injures three"
    assert art.published == dt.date(2026, 3, 4)
    assert art.url == "https://quaycourier.example/2026/03/04/crane-collapse"
    assert "injuring three dock workers" in art.text
    assert "We heard the cables snap first" in art.text
    assert "All rights reserved" not in art.text and "Sport" not in art.text.split()
    paragraphs = art.text.split("\n\n")
    assert any(p.startswith("Two of the injured") for p in paragraphs)


def test_html_without_main_text_fails() -> None:
    failure = only_failure(read(FIX / "empty_page.html"))
    assert "no article text" in failure.reason


def test_json_list_with_date_variants_and_paragraph_list() -> None:
    res = read(FIX / "records.json")
    first, second = res.articles
    assert first.id == "gazette-42" and first.published == dt.date(2026, 3, 2)
    assert first.origin == f"{FIX / 'records.json'}[0]"
    assert second.published == dt.date(2026, 3, 3)  # "date" field, RFC 2822
    assert (
        second.text
        == "Councillors backed the sea wall plan by seven votes to two.\n\nTwo councillors said the cost was too high."
    )
    assert len(second.id) == 12  # no id: a hash of the URL


def test_jsonl_bad_lines_fail_alone() -> None:
    res = read(FIX / "records.jsonl")
    assert [a.id for a in res.articles] == ["wire-1", "wire-4"]
    wire1, wire4 = res.articles
    assert wire1.origin.endswith("records.jsonl:1")
    assert wire1.source == "northwire.example"  # no source: the URL's domain
    assert wire1.published == dt.date(2026, 3, 3)
    assert "Engineers began inspecting" in wire4.text  # html field goes through extraction
    reasons = {f.origin.rsplit(":", 1)[1]: f.reason for f in res.failures}
    assert set(reasons) == {"2", "3"}
    assert "malformed JSON on line 2" in reasons["2"]
    assert "no 'text' or 'html'" in reasons["3"]


def test_unknown_extension_is_sniffed(tmp_path: Path) -> None:
    (art,) = read(FIX / "noext_record").articles
    assert art.id == "sniffed" and art.source == "Mystery Outlet"
    page = tmp_path / "saved_page"
    page.write_text((FIX / "page.html").read_text(encoding="utf-8"), encoding="utf-8")
    text = tmp_path / "notes.dat"
    text.write_text("Title: Tide record\n\n" + BODY, encoding="utf-8")
    lines = tmp_path / "feed.log"
    lines.write_text(
        json.dumps({"id": "l1", "text": BODY}) + "\n" + json.dumps({"id": "l2", "text": BODY.upper()}) + "\n",
        encoding="utf-8",
    )
    res = read(page, text, lines)
    assert [a.title for a in res.articles][:2] == ["Harbour crane collapse injures three", "Tide record"]
    assert [a.id for a in res.articles][2:] == ["l1", "l2"]
    assert [a.origin for a in res.articles][2:] == [f"{lines}:1", f"{lines}:2"]


def test_directory_recursive_sorted_hidden_skipped() -> None:
    res = read(FIX / "dir")
    assert [Path(a.origin).name for a in res.articles] == ["a.txt", "b.json"]
    assert not res.failures
    assert all("secret" not in a.text for a in res.articles)


def test_mappings_and_articles_pass_through() -> None:
    given = Article("own-1", "Given Outlet", "Given", BODY)
    res = read(given, {"source": "Dict Outlet", "title": "From a dict", "text": BODY + " More."})
    assert res.articles[0] is given
    assert res.articles[1].source == "Dict Outlet" and res.articles[1].origin == "<input 1>"


def test_stdin_is_sniffed(monkeypatch: pytest.MonkeyPatch) -> None:
    payload = json.dumps({"id": "piped", "source": "Pipe News", "text": BODY}).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(payload)))
    (art,) = read("-").articles
    assert art.id == "piped" and art.origin == "<stdin>"


def test_stdin_too_large(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"x" * 500)))
    failure = only_failure(read("-", config=CONFIG.with_overrides(max_input_bytes=100)))
    assert failure.origin == "<stdin>" and "over the limit" in failure.reason


# --------------------------------------------------------------------------- ids and dates


def test_ids_are_stable_and_unique(tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    a.write_text(BODY, encoding="utf-8")
    first = read(a).articles[0].id
    assert read(a).articles[0].id == first  # same input, same id
    twice = read(a, a)
    assert [x.id for x in twice.articles] == [first, f"{first}-2"]
    assert [n.code for n in twice.notices] == ["duplicate_id"]


def test_bad_date_is_a_notice_not_a_failure() -> None:
    res = read({"id": "d1", "source": "S", "published": "the day after the storm", "text": BODY})
    (art,) = res.articles
    assert art.published is None and not res.failures
    assert [n.code for n in res.notices] == ["bad_date"] and res.notices[0].article_ids == ("d1",)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-03-03", dt.date(2026, 3, 3)),
        ("2026-03-03T23:30:00-05:00", dt.date(2026, 3, 3)),
        ("March 3, 2026", dt.date(2026, 3, 3)),
        ("Tue, 03 Mar 2026 09:30:00 +0000", dt.date(2026, 3, 3)),
        ("3 March 2026", dt.date(2026, 3, 3)),
    ],
)
def test_parse_date(raw: str, expected: dt.date) -> None:
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["yesterday", "n/a", "2026-13-45", "soon 99"])
def test_parse_date_rejects(raw: str) -> None:
    with pytest.raises(ValueError):
        parse_date(raw)


# --------------------------------------------------------------------------- bad inputs


def test_missing_path() -> None:
    failure = only_failure(read(FIX / "does_not_exist.txt"))
    assert "no such file" in failure.reason


def test_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.txt"
    blank.write_text("  \n\n \n", encoding="utf-8")
    res = read(empty, blank)
    assert not res.articles
    assert all("empty" in f.reason for f in res.failures) and len(res.failures) == 2


def test_binary_file(tmp_path: Path) -> None:
    png = tmp_path / "photo.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    failure = only_failure(read(png))
    assert "binary" in failure.reason


def test_too_large_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:  # sparse: 21 MB on paper, nothing on disk
        fh.seek(21_000_000)
        fh.write(b"x")
    monkeypatch.setattr(Path, "open", lambda *a, **k: pytest.fail("opened a file over the limit"))
    failure = only_failure(read(big))
    assert "21,000,001 bytes" in failure.reason and "20,000,000" in failure.reason
    assert "max_input_bytes" in failure.reason and "--max-input-mb" in failure.reason


def test_limit_comes_from_config(tmp_path: Path) -> None:
    small = tmp_path / "small.txt"
    small.write_text(BODY, encoding="utf-8")
    assert read(small).articles
    assert (
        "over the limit of 50 bytes"
        in only_failure(read(small, config=CONFIG.with_overrides(max_input_bytes=50))).reason
    )


def test_encodings(tmp_path: Path) -> None:
    text = "Title: Café owner speaks\n\nThe owner of the Café Mühlberg said the façade would be rebuilt by spring.\n"
    bom = tmp_path / "bom.txt"
    bom.write_bytes(text.encode("utf-8-sig"))
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes(text.encode("utf-16"))
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes((text + "Prices rose by 5 % – the council’s estimate – this year.\n").encode("cp1252"))
    res = read(bom, utf16, legacy)
    assert not res.failures
    assert [a.title for a in res.articles] == ["Café owner speaks"] * 3
    assert all("façade" in a.text for a in res.articles)
    # only the guessed encoding is reported; BOMs are certain
    (notice,) = [n for n in res.notices if n.code != "duplicate_id"]
    assert notice.code == "decoded_with_fallback" and notice.article_ids == (res.articles[2].id,)
    assert "legacy.txt" in notice.message and "decoded it as cp125" in notice.message


def test_undecodable_bytes_fail() -> None:
    with pytest.raises(InputError, match="UTF-8"):
        decode_bytes(bytes([0xC3, 0x28, 0xA0, 0xA1, 0xE2, 0x28, 0xA1, 0xF0, 0x28, 0x8C, 0xBC]) * 3, "x")


def test_malformed_json_names_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "id": "x",\n  "text": "unterminated\n}\n', encoding="utf-8")
    failure = only_failure(read(bad))
    assert failure.origin.startswith(f"{bad}:") and "malformed JSON" in failure.reason


def test_json_record_without_text(tmp_path: Path) -> None:
    rec = tmp_path / "rec.json"
    rec.write_text(json.dumps({"id": "t", "title": "Only a title", "text": "   "}), encoding="utf-8")
    assert "no 'text' or 'html'" in only_failure(read(rec)).reason


def test_directory_without_readable_files(tmp_path: Path) -> None:
    (tmp_path / ".only_hidden").write_text(BODY, encoding="utf-8")
    failure = only_failure(read(tmp_path))
    assert failure.origin == str(tmp_path) and "no readable files" in failure.reason


def test_one_bad_input_does_not_stop_others(tmp_path: Path) -> None:
    res = read(FIX / "missing.txt", FIX / "story.txt", 42)
    assert [a.title for a in res.articles] == ["Ferry strike halts crossings to Tallin Bay"]
    assert len(res.failures) == 2 and "cannot read a int" in res.failures[1].reason


# --------------------------------------------------------------------------- dedupe


def test_dedupe_same_url_and_same_text() -> None:
    a = Article("a", "Outlet A", "T", BODY, url="https://www.outlet.example/story/")
    b = Article("b", "Outlet B", "T", "Different words entirely.", url="http://outlet.example/story")
    c = Article("c", "outlet a ", "T", "  " + BODY.upper().replace(" ", "  "))
    d = Article("d", "Outlet D", "T", "A different report about the channel closure.")
    unique, notices = dedupe([a, b, c, d])
    assert [x.id for x in unique] == ["a", "d"]
    assert [n.article_ids for n in notices] == [("a", "b"), ("a", "c")]
    assert all(n.code == "duplicate_article" for n in notices)
    assert "same URL" in notices[0].message and "same text" in notices[1].message


def test_same_text_under_another_outlet_is_kept_as_a_copy() -> None:
    """A wire story run verbatim by two outlets is two articles: the report says who ran it."""
    a = Article("x", "Outlet A", "T", BODY)
    b = Article("x", "Outlet B", "T", BODY)  # ids hashed from the same text collide
    unique, notices = dedupe([a, b])
    assert [x.source for x in unique] == ["Outlet A", "Outlet B"]
    assert len({x.id for x in unique}) == 2
    (notice,) = notices
    assert notice.code == "same_text_other_outlet" and notice.article_ids == ("x", unique[1].id)
    assert "Outlet A" in notice.message and "Outlet B" in notice.message
