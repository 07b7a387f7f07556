"""Streaming readers for corpus ingestion: files of any size, one article at a time.

``compare`` reads a handful of whole files (:mod:`storyscope.ingest.readers`); a corpus
is fed JSON Lines dumps, feed files and web archives that can be gigabytes. Here each
input is read as a stream, so memory is bounded by the largest single record
(``CorpusConfig.max_record_bytes``), never by the file:

* ``.jsonl`` / ``.ndjson`` (optionally ``.gz``): line by line; a bad line is one Failure.
* ``.warc`` / ``.arc`` (optionally ``.gz``): record by record (:mod:`~storyscope.ingest.warc`).
* ``.rss`` / ``.atom`` / ``.xml``: one article per entry (:mod:`~storyscope.ingest.feeds`).
* ``.txt`` / ``.html`` / ``.json``: one record each, read whole by ``readers.read_path``.
* anything else, and ``-`` (stdin), is sniffed from its first bytes (gzip is looked into).

Nothing raises for bad input: every problem is a :class:`Failure` naming where
("dump.jsonl:17", "crawl.warc.gz#record 12 <url>", "feed.xml#entry 3 <link>").
"""

from __future__ import annotations

import dataclasses
import gzip
import io
import json
import re
import sys
import zlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Literal

from storyscope.config import CorpusConfig
from storyscope.ingest.feeds import read_feed
from storyscope.ingest.readers import (
    STDIN_ORIGIN,
    Item,
    _read_bytes,  # readers' bytes -> items, so stdin and gzipped text read exactly as in compare
    read_mapping,
    read_path,
    route_input,
    stat_file,
)
from storyscope.ingest.warc import read_warc
from storyscope.records import Article, Failure

__all__ = ["read_jsonl", "sniff_kind", "stream_inputs"]

Kind = Literal["jsonl", "warc", "feed", "json", "whole"]

#: Bytes looked at to tell a format when the file name does not.
_HEAD_BYTES = 1 << 16
_GZIP_MAGIC = b"\x1f\x8b"
_UTF8_BOM = b"\xef\xbb\xbf"
_NAME_KINDS: dict[str, Kind] = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".warc": "warc",
    ".arc": "warc",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
    ".json": "json",  # JSON Lines saved as .json is streamed; a JSON document is read whole
    ".txt": "whole",
    ".text": "whole",
    ".md": "whole",
    ".html": "whole",
    ".htm": "whole",
    ".xhtml": "whole",
}
_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:rdf)\b", re.IGNORECASE)
_HTML_ROOT = re.compile(rb"<(?:!doctype\s+html|html)\b", re.IGNORECASE)
# Errors a stream raises on a truncated or corrupt file (gzip.BadGzipFile is an OSError).
_READ_ERRORS = (OSError, EOFError, zlib.error, ValueError)


def stream_inputs(
    inputs: Iterable[str | Path | Article | Mapping] | str | Path | Article | Mapping, config: CorpusConfig
) -> Iterator[Item]:
    """Articles, Failures and Notices of every input, in order, lazily.

    Paths are files, directories (walked recursively, sorted, hidden entries skipped) or
    ``-`` for stdin; Articles pass through; a mapping is one record (``text|html``, ``title``...).
    Ids are not made unique here: the corpus store keys articles by URL and text.
    """
    if isinstance(inputs, str | Path | Article | Mapping):
        inputs = [inputs]
    for n, item in enumerate(inputs):
        yield from route_input(item, n, lambda p: _stream_file(p, config), lambda: _stream_stdin(config))


def _stream_file(path: Path, config: CorpusConfig) -> Iterator[Item]:
    origin = str(path)
    st = stat_file(path)
    if isinstance(st, Failure):
        yield st
        return
    try:
        fh = path.open("rb")
    except OSError as exc:
        yield Failure(origin, "ingest", f"cannot read: {exc.strerror or exc}")
        return
    with fh:
        try:
            head = fh.read(_HEAD_BYTES)
            fh.seek(0)
        except OSError as exc:
            yield Failure(origin, "ingest", f"cannot read: {exc.strerror or exc}")
            return
        kind = _name_kind(path.name)
        yield from _dispatch(fh, head, origin, kind, _default_source(path.name), config, (path, st.st_size))


def _stream_stdin(config: CorpusConfig) -> Iterator[Item]:
    stream = sys.stdin
    if stream is None:
        yield Failure(STDIN_ORIGIN, "ingest", "no standard input available")
        return
    binary = getattr(stream, "buffer", None)
    try:
        if binary is None:  # a text-only stream some embedders install: bounded, not streamed
            text = stream.read(config.max_record_bytes + 1)
            binary = io.BytesIO(text.encode("utf-8") if isinstance(text, str) else text)
        head = b""
        while len(head) < _HEAD_BYTES and (chunk := binary.read(_HEAD_BYTES - len(head))):
            head += chunk
    except (OSError, ValueError) as exc:
        yield Failure(STDIN_ORIGIN, "ingest", f"cannot read standard input: {exc}")
        return
    if not head.strip():
        yield Failure(STDIN_ORIGIN, "ingest", "empty input (nothing on standard input)")
        return
    reader = io.BufferedReader(_Prefixed(head, binary), buffer_size=_HEAD_BYTES)
    yield from _dispatch(reader, head, STDIN_ORIGIN, None, "stdin", config, None)


def _dispatch(
    stream: IO[bytes],
    head: bytes,
    origin: str,
    kind: Kind | None,
    default_source: str,
    config: CorpusConfig,
    file: tuple[Path, int] | None,
) -> Iterator[Item]:
    """Read ``stream`` (positioned at its start; ``head`` is its first bytes) as ``kind`` or as sniffed."""
    gzipped = head.startswith(_GZIP_MAGIC)
    plain_head = _gunzip_head(head) if gzipped else head
    if kind is None:
        kind = sniff_kind(plain_head)
    elif kind == "json":
        kind = "jsonl" if _looks_jsonl(plain_head) else "whole"
    limit = config.max_record_bytes
    if kind == "warc":
        if sniff_kind(plain_head) != "warc":  # warcio would read any text as a headerless ARC record
            start = " ".join(plain_head[:40].decode("utf-8", "replace").split())
            yield Failure(origin, "ingest", f"not a WARC or ARC archive (it starts with {start!r})")
            return
        yield from read_warc(stream, origin, config)  # warcio reads gzip members itself
        return
    body: IO[bytes] = gzip.GzipFile(fileobj=stream, mode="rb") if gzipped else stream
    if kind == "jsonl":
        yield from read_jsonl(body, origin, default_source, limit)
        return
    if kind == "whole" and file is not None and not gzipped:
        path, size = file
        if size > limit:
            yield Failure(origin, "ingest", _whole_too_large(size, limit, "this file is read whole"))
            return
        compare_config = dataclasses.replace(config.compare, max_input_bytes=limit)
        yield from read_path(path, compare_config)
        return
    try:
        data = body.read(limit + 1)
    except _READ_ERRORS as exc:
        yield Failure(origin, "ingest", f"cannot read: {exc} (a truncated or corrupt file?)")
        return
    if len(data) > limit:
        what = "feeds are parsed whole" if kind == "feed" else "this input is read whole"
        yield Failure(origin, "ingest", _whole_too_large(len(data), limit, what, at_least=True))
        return
    if kind == "feed":
        yield from read_feed(data, origin, default_source)
    else:
        yield from _read_bytes(data, origin, None, default_source)


def read_jsonl(stream: IO[bytes], origin: str, default_source: str, limit: int) -> Iterator[Item]:
    """One article per line, never holding more than one line (at most ``limit`` bytes) in memory."""
    lineno = 0
    seen_any = False
    while True:
        try:
            line = stream.readline(limit + 1)
            too_long = len(line) > limit and not line.endswith(b"\n")
            if too_long:
                line = b""  # drop it, then skip to the end of the line without keeping it
                while (rest := stream.readline(_HEAD_BYTES)) and not rest.endswith(b"\n"):
                    pass
        except _READ_ERRORS as exc:
            yield Failure(
                f"{origin}:{lineno + 1}",
                "ingest",
                f"cannot read past line {lineno}: {exc} (a truncated or corrupt file?); the lines before "
                "it were read",
            )
            return
        if not line and not too_long:
            break
        lineno += 1
        where = f"{origin}:{lineno}"
        if too_long:
            seen_any = True
            yield Failure(
                where,
                "ingest",
                f"line {lineno} is over {limit:,} bytes: not read; raise CorpusConfig(max_record_bytes=...)",
            )
            continue
        if lineno == 1:
            line = line.removeprefix(_UTF8_BOM)
        if not line.strip():
            continue
        seen_any = True
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield Failure(
                where,
                "ingest",
                f"line {lineno} is not valid UTF-8 (byte {exc.start}); JSON Lines must be UTF-8: "
                "re-save the file as UTF-8",
            )
            continue
        try:
            record = json.loads(text)
        except json.JSONDecodeError as exc:
            yield Failure(where, "ingest", f"malformed JSON on line {lineno}: {exc.msg} (column {exc.colno})")
            continue
        if not isinstance(record, Mapping):
            yield Failure(
                where,
                "ingest",
                f"expected a JSON object with a 'text' or 'html' field, got {type(record).__name__}",
            )
            continue
        yield from read_mapping(record, where, default_source)
    if not seen_any:
        yield Failure(origin, "ingest", "empty input (no JSON lines)")


def sniff_kind(head: bytes) -> Kind:
    """The format of data from its first bytes (already un-gzipped)."""
    start = head.removeprefix(_UTF8_BOM).lstrip()
    if start.startswith((b"WARC/", b"filedesc://")):
        return "warc"
    lowered = start[:512].lower()
    if lowered.startswith((b"<rss", b"<feed", b"<rdf:rdf")):
        return "feed"
    if lowered.startswith(b"<?xml"):
        # XHTML also starts with <?xml: a page, not a feed.
        if _HTML_ROOT.search(start[:4096]) and not _FEED_ROOT.search(start[:4096]):
            return "whole"
        return "feed"
    if _looks_jsonl(start):
        return "jsonl"
    return "whole"


def _looks_jsonl(head: bytes) -> bool:
    """A first line that is a whole JSON object: JSON Lines (a pretty-printed document starts with '{' alone)."""
    start = head.removeprefix(_UTF8_BOM).lstrip()
    if not start.startswith(b"{"):
        return False
    first, newline, _ = start.partition(b"\n")
    if not newline:  # one line only, or longer than the head: leave it to the whole-file reader
        return False
    try:
        return isinstance(json.loads(first), dict)
    except ValueError:
        return False


def _gunzip_head(head: bytes) -> bytes:
    try:
        return zlib.decompressobj(wbits=31).decompress(head, _HEAD_BYTES)
    except zlib.error:
        return b""


def _name_kind(name: str) -> Kind | None:
    lowered = name.lower()
    gzipped = lowered.endswith(".gz")
    suffix = Path(lowered.removesuffix(".gz")).suffix
    kind = _NAME_KINDS.get(suffix)
    if gzipped and kind in ("json", "whole"):
        return None  # article.html.gz: look inside
    return kind


def _default_source(name: str) -> str:
    """The file name without extensions, as ``readers`` names an outlet it finds nowhere else."""
    base = name.removesuffix(".gz").removesuffix(".GZ")
    return Path(base).stem or base


def _whole_too_large(size: int, limit: int, what: str, *, at_least: bool = False) -> str:
    more = "more than " if at_least else ""
    return (
        f"input is {more}{size:,} bytes, over max_record_bytes ({limit:,}): {what}; put many articles in "
        "JSON Lines (streamed line by line) or raise CorpusConfig(max_record_bytes=...)"
    )


class _Prefixed(io.RawIOBase):
    """A non-seekable stream whose first bytes were already read to sniff its format."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        super().__init__()
        self._head = head
        self._pos = 0
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._pos < len(self._head):
            chunk = self._head[self._pos : self._pos + len(buffer)]
            self._pos += len(chunk)
        else:
            read1 = getattr(self._rest, "read1", None)
            chunk = read1(len(buffer)) if read1 is not None else self._rest.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)
