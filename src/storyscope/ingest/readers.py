"""Turn one input (file, stdin, mapping) into Article / Failure / Notice items.

Every reader is a generator of items so that one bad record (a malformed JSONL
line, a JSON object without text) becomes a Failure while its neighbours go on.
Nothing here raises for bad input: :class:`InputError` is caught at the edge of
each record and turned into a :class:`Failure`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import stat
import sys
import warnings
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from storyscope.config import CompareConfig
from storyscope.errors import InputError
from storyscope.ingest.decode import decode_bytes
from storyscope.records import Article, Failure, Notice

Item = Article | Failure | Notice
Kind = Literal["txt", "html", "json", "jsonl"]

STDIN_ORIGIN = "<stdin>"
UNKNOWN_SOURCE = "unknown outlet"

_SUFFIX_KIND: dict[str, Kind] = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "txt",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
_HTML_SNIFF = re.compile(r"<(?:!doctype\s+html|html|head|body|article|main|p|div|meta)\b", re.IGNORECASE)
_TXT_HEADER = re.compile(
    r"^\s*(title|source|outlet|date|published|url|link|id)\s*:\s*(.*?)\s*$", re.IGNORECASE
)
_TXT_HEADER_FIELD = {"outlet": "source", "published": "date", "link": "url"}
# A first line this short with no closing punctuation, followed by the body, is a headline.
_MAX_HEADLINE_CHARS = 200
_SENTENCE_END = (".", "!", "?", '"', "”", "’", "'", ":", ";", "…")
_ID_HASH_CHARS = 12
# trafilatura falls back to any text it can find; a few words ("Home", "Log in") is navigation, not a story.
_MIN_HTML_WORDS = 8


@dataclass(frozen=True, slots=True)
class Fields:
    """What a reader found for one article, before validation."""

    text: str | None
    title: str = ""
    source: str | None = None
    published: Any = None  # str, date, datetime or None; parsed by build_article
    url: str | None = None
    id: str | None = None


# --------------------------------------------------------------------------- entry points


def route_input(
    item: object,
    n: int,
    read_file: Callable[[Path], Iterator[Item]],
    read_stdin: Callable[[], Iterator[Item]],
) -> Iterator[Item]:
    """One input of a run: an Article passes, a mapping is a record, a path is read, '-' is stdin.

    Shared by ``read_inputs`` (one story, files read whole) and ``stream_inputs`` (a corpus,
    files streamed); they differ only in how a file and stdin are read.
    """
    if isinstance(item, Article):
        yield item
    elif isinstance(item, Mapping):
        yield from read_mapping(item, str(item.get("origin") or f"<input {n}>"))
    elif isinstance(item, str | Path):
        if str(item) == "-":
            yield from read_stdin()
            return
        path = Path(item)
        if path.is_dir():
            yield from _read_directory(path, read_file)
        else:
            yield from read_file(path)
    else:
        yield Failure(
            f"<input {n}>",
            "ingest",
            f"cannot read a {type(item).__name__}; give a path, '-' for stdin, an Article or a dict",
        )


def _read_directory(root: Path, read_file: Callable[[Path], Iterator[Item]]) -> Iterator[Item]:
    files = walk_directory(root)
    if not files:
        yield Failure(str(root), "ingest", "directory holds no readable files (hidden files are skipped)")
        return
    got_article = False
    for path in files:
        for out in read_file(path):
            got_article = got_article or isinstance(out, Article)
            yield out
    if not got_article:
        yield Failure(
            str(root), "ingest", f"none of the {len(files)} file(s) in this directory held a readable article"
        )


def stat_file(path: Path) -> os.stat_result | Failure:
    """The file's stat, or a Failure saying why it cannot be read (missing, not a file, empty)."""
    origin = str(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        return Failure(origin, "ingest", "no such file or directory")
    except OSError as exc:
        return Failure(origin, "ingest", f"cannot read: {exc.strerror or exc}")
    if not stat.S_ISREG(st.st_mode):
        return Failure(origin, "ingest", "not a regular file (a device, socket or pipe)")
    if st.st_size == 0:
        return Failure(origin, "ingest", "empty file (0 bytes)")
    return st


def read_path(path: Path, config: CompareConfig) -> Iterator[Item]:
    """Read one regular file; every problem becomes a Failure naming the file."""
    origin = str(path)
    st = stat_file(path)
    if isinstance(st, Failure):
        yield st
        return
    if st.st_size > config.max_input_bytes:
        yield Failure(origin, "ingest", too_large(st.st_size, config.max_input_bytes))
        return
    try:
        with path.open("rb") as fh:
            data = fh.read(config.max_input_bytes + 1)  # bounded even if the file grew since stat
    except OSError as exc:
        yield Failure(origin, "ingest", f"cannot read: {exc.strerror or exc}")
        return
    if len(data) > config.max_input_bytes:
        yield Failure(origin, "ingest", too_large(len(data), config.max_input_bytes))
        return
    yield from _read_bytes(data, origin, _SUFFIX_KIND.get(path.suffix.lower()), path.stem)


def read_stdin(config: CompareConfig) -> Iterator[Item]:
    """Read all of stdin (bounded by ``max_input_bytes``) and sniff its format."""
    stream = sys.stdin
    if stream is None:
        yield Failure(STDIN_ORIGIN, "ingest", "no standard input available")
        return
    limit = config.max_input_bytes
    try:
        buffer = getattr(stream, "buffer", None)  # None for a text-only stream some embedders install
        data = buffer.read(limit + 1) if buffer is not None else stream.read(limit + 1).encode("utf-8")
    except (OSError, ValueError) as exc:
        yield Failure(STDIN_ORIGIN, "ingest", f"cannot read standard input: {exc}")
        return
    if len(data) > limit:
        yield Failure(STDIN_ORIGIN, "ingest", too_large(len(data), limit, at_least=True))
        return
    yield from _read_bytes(data, STDIN_ORIGIN, None, "stdin")


def read_mapping(record: Mapping, origin: str, default_source: str = UNKNOWN_SOURCE) -> Iterator[Item]:
    """A dict with ``id, source, title, published|date, url, text|html``."""
    yield from _article_or_failure(lambda: fields_from_mapping(record, origin), origin, default_source)


def _article_or_failure(
    read_fields: Callable[[], Fields], origin: str, default_source: str
) -> Iterator[Item]:
    """The article and its notices, or the Failure that says why there is none."""
    try:
        article, notices = build_article(read_fields(), origin, default_source)
    except InputError as exc:
        yield Failure(exc.origin, "ingest", exc.reason)
        return
    yield article
    yield from notices


def walk_directory(root: Path) -> list[Path]:
    """Files under ``root``, recursively, sorted, skipping hidden files and folders.

    ``os.walk`` without following symlinked folders, so a link loop cannot hang the run.
    """
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found.extend(Path(dirpath) / f for f in filenames if not f.startswith("."))
    return sorted(found)


def too_large(size: int, limit: int, *, at_least: bool = False) -> str:
    more = "more than " if at_least else ""
    return (
        f"input is {more}{size:,} bytes ({size / 1e6:.1f} MB), over the limit of {limit:,} bytes "
        f"({limit / 1e6:.1f} MB); raise it with CompareConfig(max_input_bytes=...) or --max-input-mb"
    )


# --------------------------------------------------------------------------- formats


def _read_bytes(data: bytes, origin: str, kind: Kind | None, default_source: str) -> Iterator[Item]:
    try:
        decoded = decode_bytes(data, origin)
    except InputError as exc:
        yield Failure(exc.origin, "ingest", exc.reason)
        return
    ids: list[str] = []
    for item in parse_text(decoded.text, origin, kind or sniff(decoded.text), default_source):
        if isinstance(item, Article):
            ids.append(item.id)
        yield item
    if decoded.fallback:
        yield Notice(
            "decoded_with_fallback",
            f"{origin} is not UTF-8; decoded it as {decoded.encoding} (a guess: check names and quotes, "
            "or re-save the file as UTF-8)",
            tuple(ids),
        )


def sniff(text: str) -> Kind:
    """Guess the format of text with no telling file extension."""
    head = text.lstrip()[:4096]
    if head[:1] in "{[":
        try:
            json.loads(text)
            return "json"
        except ValueError:
            lines = [ln for ln in text.splitlines() if ln.strip()]
            if len(lines) > 1 and all(ln.lstrip().startswith("{") for ln in lines):
                return "jsonl"
            return "json"  # report the JSON error rather than read braces as prose
    if _HTML_SNIFF.search(head):
        return "html"
    return "txt"


def parse_text(text: str, origin: str, kind: Kind, default_source: str) -> Iterator[Item]:
    """Parse decoded text of a known format into items."""
    text = text.lstrip("\ufeff")
    if kind == "jsonl":
        yield from _parse_jsonl(text, origin, default_source)
    elif kind == "json":
        yield from _parse_json(text, origin, default_source)
    else:
        yield from _article_or_failure(
            lambda: _txt_fields(text) if kind == "txt" else html_fields(text, origin), origin, default_source
        )


def _parse_json(text: str, origin: str, default_source: str) -> Iterator[Item]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" and all(
            ln.lstrip().startswith("{") for ln in text.splitlines() if ln.strip()
        ):  # JSON Lines saved as .json
            yield from _parse_jsonl(text, origin, default_source)
            return
        yield Failure(
            f"{origin}:{exc.lineno}",
            "ingest",
            f"malformed JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
        )
        return
    if isinstance(data, Mapping):
        yield from _record(data, origin, default_source)
    elif isinstance(data, list):
        if not data:
            yield Failure(origin, "ingest", "the JSON list is empty: no articles")
        for i, rec in enumerate(data):
            yield from _record(rec, f"{origin}[{i}]", default_source)
    else:
        yield Failure(
            origin, "ingest", f"expected a JSON object or a list of objects, got {type(data).__name__}"
        )


def _parse_jsonl(text: str, origin: str, default_source: str) -> Iterator[Item]:
    seen_any = False
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        seen_any = True
        where = f"{origin}:{lineno}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Failure(where, "ingest", f"malformed JSON on line {lineno}: {exc.msg} (column {exc.colno})")
            continue
        yield from _record(rec, where, default_source)
    if not seen_any:
        yield Failure(origin, "ingest", "empty input (no JSON lines)")


def _record(rec: object, origin: str, default_source: str) -> Iterator[Item]:
    if not isinstance(rec, Mapping):
        yield Failure(
            origin,
            "ingest",
            f"expected a JSON object with a 'text' or 'html' field, got {type(rec).__name__}",
        )
        return
    yield from read_mapping(rec, origin, default_source)


def fields_from_mapping(rec: Mapping, origin: str) -> Fields:
    """Validate a record's fields; html goes through the same extraction as .html files."""
    text = rec.get("text")
    if isinstance(text, list | tuple) and all(isinstance(p, str) for p in text):
        text = "\n\n".join(p.strip() for p in text if p.strip())  # a list of paragraphs
    if text is not None and not isinstance(text, str):
        raise InputError(origin, f"'text' must be a string or a list of strings, got {type(text).__name__}")
    url = _opt_str(rec.get("url"), "url", origin)
    from_html: Fields | None = None
    if not (text and text.strip()):
        html = rec.get("html")
        if isinstance(html, str) and html.strip():
            from_html = html_fields(html, origin, url)
            text = from_html.text
        else:
            keys = ", ".join(sorted(map(str, rec))) or "none"
            raise InputError(origin, f"record has no 'text' or 'html' to read (its fields: {keys})")
    published = rec.get("published", rec.get("date"))
    raw_id = rec.get("id")
    return Fields(
        text=text,
        title=_opt_str(rec.get("title"), "title", origin) or (from_html.title if from_html else ""),
        source=_opt_str(rec.get("source"), "source", origin) or (from_html.source if from_html else None),
        published=published if published not in (None, "") else (from_html.published if from_html else None),
        url=url or (from_html.url if from_html else None),
        id=None if raw_id in (None, "") else str(raw_id).strip(),
    )


def _opt_str(value: object, name: str, origin: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int | float):
        return str(value)
    raise InputError(origin, f"'{name}' must be a string, got {type(value).__name__}")


def _txt_fields(text: str) -> Fields:
    """Plain text: optional ``Title:/Source:/Date:/URL:`` header lines, a blank line, the body.

    Without a Title header, a lone short first line with no closing punctuation
    followed by more text is taken as the headline (how most saved articles start).
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    header: dict[str, str] = {}
    i = 0
    while i < len(lines) and (m := _TXT_HEADER.match(lines[i])):
        key = m.group(1).lower()
        header[_TXT_HEADER_FIELD.get(key, key)] = m.group(2)
        i += 1
    if header and (i == len(lines) or not lines[i].strip()):
        body_lines = lines[i:]
    else:
        header, body_lines = {}, lines
    body = "\n".join(body_lines).strip()
    title = header.get("title", "")
    if not title:
        first, sep, rest = body.partition("\n\n")
        if (
            sep
            and rest.strip()
            and "\n" not in first
            and len(first) <= _MAX_HEADLINE_CHARS
            and not first.rstrip().endswith(_SENTENCE_END)
            and not first.lower().startswith("by ")
        ):
            title, body = first.strip(), rest.strip()
    return Fields(
        text=body,
        title=title,
        source=header.get("source") or None,
        published=header.get("date") or None,
        url=header.get("url") or None,
        id=header.get("id") or None,
    )


def html_fields(html: str, origin: str, url: str | None = None) -> Fields:
    """Main text and metadata of a web page, offline, via trafilatura.

    trafilatura puts each block (paragraph, heading, list item) on its own line;
    they become blank-line separated paragraphs, which ``clean`` relies on.
    """
    try:
        import trafilatura
        from trafilatura.settings import set_date_params
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise InputError(origin, f"reading HTML needs trafilatura: pip install trafilatura ({exc})") from None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            doc = trafilatura.bare_extraction(
                html,
                url=url,
                with_metadata=True,
                include_comments=False,
                include_images=False,
                # No free-text date guessing: a date mentioned in the story is not its publication date.
                date_extraction_params=set_date_params(False),
            )
        except Exception as exc:  # noqa: BLE001 - a parser crash on odd markup must not end the run
            raise InputError(origin, f"the HTML could not be parsed ({type(exc).__name__}: {exc})") from None
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or len(text.split()) < _MIN_HTML_WORDS:
        raise InputError(
            origin,
            "no article text found in the HTML (the page may hold only navigation, need JavaScript, "
            "or be an index page); save the article page itself or pass its text",
        )
    paragraphs = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return Fields(
        text="\n\n".join(paragraphs),
        title=(doc.title or "").strip(),
        source=(doc.sitename or "").strip() or None,
        published=doc.date,
        url=url or doc.url,
    )


# --------------------------------------------------------------------------- records


def build_article(fields: Fields, origin: str, default_source: str) -> tuple[Article, list[Notice]]:
    """Validate fields into an :class:`Article`; a bad date is a Notice, no text is an error."""
    text = (fields.text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise InputError(origin, "no article text (the body is empty)")
    url = fields.url.strip() if fields.url and fields.url.strip() else None
    aid = fields.id or stable_id(url, text)
    notices: list[Notice] = []
    published: dt.date | None = None
    if fields.published not in (None, ""):
        try:
            published = parse_date(fields.published)
        except ValueError:
            notices.append(
                Notice(
                    "bad_date",
                    f"{origin}: could not read the date {str(fields.published)!r}; the article has no "
                    "publication date, so relative dates in it ('on Tuesday') stay unresolved",
                    (aid,),
                )
            )
    source = fields.source or domain_of(url) or default_source or UNKNOWN_SOURCE
    return (
        Article(
            id=aid,
            source=source,
            title=" ".join(fields.title.split()),
            text=text,
            published=published,
            url=url,
            origin=origin,
        ),
        notices,
    )


def parse_date(value: object) -> dt.date:
    """ISO, "March 3, 2026", RFC 2822 ... -> date; raise ValueError when it is not a date.

    Only the calendar date is kept: the day the outlet dated the story, in its own zone.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"not a date: {value!r}")
    s = value.strip()
    try:
        return (
            dt.date.fromisoformat(s[:10]) if re.fullmatch(r"\d{4}-\d{2}-\d{2}([T ].*)?", s) else _dateutil(s)
        )
    except (ValueError, OverflowError) as exc:
        raise ValueError(str(exc)) from None


def _dateutil(s: str) -> dt.date:
    from dateutil import parser as dparser

    if not re.search(r"\d", s):  # "yesterday", "n/a": dateutil would invent today's date
        raise ValueError(f"no digits in date {s!r}")
    # A fixed default so a missing day/month never silently becomes today's.
    default = dt.datetime(2000, 1, 1)
    try:
        return dparser.parse(s, default=default).date()
    except (ValueError, OverflowError, TypeError):
        # "Published: March 3, 2026" needs fuzzy parsing; insist on a year so noise is not a date.
        if not re.search(r"\b(1[89]|20)\d\d\b", s):
            raise ValueError(f"not a date: {s!r}") from None
        return dparser.parse(s, default=default, fuzzy=True).date()


def domain_of(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname
    except ValueError:
        return None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


def stable_id(url: str | None, text: str) -> str:
    """A short hash of the URL, else of the whitespace/case-folded text: same input, same id."""
    key = f"url:{normalise_url(url)}" if url else f"text:{normalise_text(text)}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:_ID_HASH_CHARS]


def normalise_url(url: str) -> str:
    """Scheme/host case, 'www.', fragments and trailing slashes do not make a different page."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip().lower()
    host = (parts.hostname or "").lower()
    host = host[4:] if host.startswith("www.") else host
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{path}{query}" if host else url.strip().lower()


def normalise_text(text: str) -> str:
    return " ".join(text.casefold().split())
