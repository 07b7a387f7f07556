"""WARC / ARC archives (a Common Crawl news crawl is WARC) -> one Article per HTML page, streamed.

Records are read one at a time with ``warcio``; each page body is bounded by
``CorpusConfig.max_record_bytes``, so memory does not grow with the archive. Only
``response`` (and ``resource``) records holding an HTML page fetched with HTTP 200 can
be articles; requests, metadata, images, redirects, robots.txt... are counted and
summed up in one Notice per file, not reported one by one. An HTML page without article
text is a Failure naming the record. A truncated or corrupt archive stops with one
Failure naming the record and byte offset; the articles read before it are kept.
"""

from __future__ import annotations

import codecs
import re
from collections import Counter
from collections.abc import Iterator
from typing import IO, Any

from storyscope.config import CorpusConfig
from storyscope.errors import InputError
from storyscope.ingest.decode import decode_bytes
from storyscope.ingest.readers import UNKNOWN_SOURCE, Fields, Item, build_article, html_fields
from storyscope.records import Article, Failure, Notice

__all__ = ["read_warc"]

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_HTML_START = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head)\b", re.IGNORECASE | re.DOTALL
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)


def read_warc(stream: IO[bytes], origin: str, config: CorpusConfig) -> Iterator[Item]:
    """Articles from every HTML 200 page of a (gzipped) WARC or ARC stream."""
    from warcio.archiveiterator import ArchiveIterator

    skipped: Counter[str] = Counter()
    articles = failures = 0
    number = 0
    stopped = False  # a corrupt or truncated record ends the file
    try:
        records = ArchiveIterator(stream, arc2warc=True)
    except Exception as exc:  # noqa: BLE001 - warcio raises plain Exceptions on bad input
        yield Failure(origin, "ingest", f"cannot read as WARC/ARC: {type(exc).__name__}: {exc}")
        return
    while True:
        offset = records.offset  # where the next record starts (end of the previous one)
        try:
            record = next(records)
        except StopIteration:
            break
        except Exception as exc:  # noqa: BLE001 - EOFError, zlib.error, ArchiveLoadFailed, parser bugs
            yield _corrupt(origin, number + 1, offset, exc, articles)
            stopped = True
            break
        number += 1
        url = record.rec_headers.get_header("WARC-Target-URI") or ""
        where = f"{origin}#record {number}" + (f" <{url}>" if url else "")
        if getattr(record, "length", None) is None:  # warcio yields a header block cut short as a record
            yield Failure(
                where,
                "ingest",
                f"record {number} (byte offset {offset}) has no Content-Length: its header is cut short or "
                f"corrupt (an interrupted download?); the {articles} article(s) before it were kept",
            )
            stopped = True
            break
        why_skip = _skip_reason(record)
        try:
            body = None if why_skip else record.content_stream().read(config.max_record_bytes + 1)
            records.read_to_end()  # also moves records.offset to the next record
        except Exception as exc:  # noqa: BLE001 - a corrupt gzip member or chunked body
            yield _corrupt(origin, number, offset, exc, articles)
            stopped = True
            break
        # What the record's Content-Length promised but the file does not hold.
        missing = max(int(getattr(record.raw_stream, "limit", 0) or 0), 0)
        if missing:
            yield Failure(
                where,
                "ingest",
                f"the archive ends inside record {number} (byte offset {offset}): {missing:,} bytes of it "
                f"are missing (an interrupted download?); the {articles} article(s) before it were kept",
            )
            stopped = True
            break
        untyped = body is not None and not why_skip and not _content_type(record).strip()
        if untyped and not _HTML_START.match(body[:4096]):
            why_skip = "untyped non-HTML records"
        if why_skip or body is None:
            skipped[why_skip or "empty"] += 1
            continue
        if len(body) > config.max_record_bytes:
            failures += 1
            yield Failure(
                where,
                "ingest",
                f"the page is over {config.max_record_bytes:,} bytes; raise CorpusConfig(max_record_bytes=...) "
                "to read it",
            )
            continue
        for item in _page_items(record, body, where, url):
            articles += isinstance(item, Article)
            failures += isinstance(item, Failure)
            yield item
    trailing = 0 if stopped else _tell(records) - records.offset
    if trailing > 0:
        # warcio ends quietly on a gzip member cut short; the unread bytes at the end tell.
        yield Failure(
            f"{origin}#record {number + 1}",
            "ingest",
            f"the archive is truncated or corrupt after record {number}: the last {trailing:,} bytes "
            f"(from byte offset {records.offset}) are not a complete record; the {articles} "
            "article(s) before it were kept",
        )
    if skipped:
        parts = ", ".join(f"{n} {why}" for why, n in sorted(skipped.items(), key=lambda kv: (-kv[1], kv[0])))
        yield Notice(
            "warc_skipped_records",
            f"{origin}: {number} record(s) gave {articles} article(s) and {failures} failure(s); skipped "
            f"{sum(skipped.values())} that are not article pages ({parts})",
        )


def _skip_reason(record: Any) -> str | None:
    """Why a record cannot be an article page, or None when it may be one."""
    if record.rec_type not in ("response", "resource"):
        return f"{record.rec_type} records"
    http = record.http_headers
    if record.rec_type == "response":
        if http is None:  # dns:, whois: ... responses have no HTTP header block
            return "non-HTTP responses"
        status = (http.get_statuscode() or "").strip()
        if status.startswith("3"):
            return "redirects"
        if status != "200":
            return f"HTTP {status or 'unknown'} responses"
    mime = _content_type(record).split(";")[0].strip().lower()
    if mime and mime not in _HTML_TYPES:
        return f"{mime} records"
    url = (record.rec_headers.get_header("WARC-Target-URI") or "").lower()
    if url.endswith("/robots.txt"):
        return "robots.txt"
    return None


def _page_items(record: Any, body: bytes, where: str, url: str) -> Iterator[Item]:
    try:
        fields = html_fields(_decode_html(body, _content_type(record), where), where, url or None)
        if fields.published is None:
            # The crawl date is when the page was fetched, not when it was published; a news
            # crawl fetches pages within hours, so it is a fallback only for pages with no date.
            fetched = (record.rec_headers.get_header("WARC-Date") or "")[:10]
            fields = _with_date(fields, fetched or None)
        article, notices = build_article(fields, where, UNKNOWN_SOURCE)
    except InputError as exc:
        yield Failure(exc.origin, "ingest", exc.reason)
        return
    yield article
    yield from notices


def _with_date(fields: Fields, published: str | None) -> Fields:
    return Fields(fields.text, fields.title, fields.source, published, fields.url, fields.id)


def _decode_html(body: bytes, content_type: str, origin: str) -> str:
    """UTF-8 if it is, else the charset the server or the page declares, else a confident guess."""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type, re.IGNORECASE)
    name = declared.group(1) if declared else None
    if name is None and (meta := _META_CHARSET.search(body[:4096])):
        name = meta.group(1).decode("ascii", "replace")
    if name:
        try:
            codecs.lookup(name)
        except LookupError:
            name = None
    if name:
        return body.decode(name, errors="replace")
    return decode_bytes(body, origin).text  # raises InputError for binary or unguessable bytes


def _content_type(record: Any) -> str:
    """The page's type: the HTTP header of a response, the WARC header of a resource."""
    http = record.http_headers
    return (http.get_header("Content-Type") if http is not None else None) or (
        record.rec_headers.get_header("Content-Type") or ""
    )


def _tell(records: Any) -> int:
    try:
        return int(records.fh.tell())
    except (OSError, ValueError, AttributeError):
        return records.offset


def _corrupt(origin: str, number: int, offset: int, exc: Exception, articles: int) -> Failure:
    detail = " ".join(str(exc).split())[:200]
    if number == 1 and offset == 0 and "Unknown archive format" in detail:
        return Failure(origin, "ingest", f"not a WARC or ARC archive ({detail})")
    return Failure(
        f"{origin}#record {number}",
        "ingest",
        f"the archive is corrupt or truncated at record {number} (byte offset {offset}): "
        f"{type(exc).__name__}: {detail}; the {articles} article(s) before it were kept",
    )
