"""RSS / Atom feed files -> one Article per entry, offline.

A feed is parsed whole with ``feedparser`` from bytes (never a URL or a file name, which
feedparser would fetch). Full-content entries (``content:encoded``, Atom ``<content>``)
are the article body; a headline-only feed gives entries with no text, which are
reported one by one so the user knows to ingest the pages themselves.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator, Mapping
from typing import Any

from storyscope.errors import InputError
from storyscope.ingest.readers import Fields, Item, build_article, domain_of, parse_date
from storyscope.records import Failure, Notice

__all__ = ["entry_fields", "html_to_text", "read_feed"]

_HTML_TYPES = ("text/html", "application/xhtml+xml")
# Elements whose end is a paragraph break in the text; everything else is inline.
_BLOCK_TAGS = frozenset(
    {
        *("p", "div", "br", "hr", "li", "ul", "ol", "dl", "dt", "dd", "table", "tr", "pre", "blockquote"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header", "footer", "figure", "aside"),
    }
)
_DROP_TAGS = ("script", "style", "noscript", "figcaption", "iframe", "object", "template")
_TAG = re.compile(r"<[^>]*>")
_PARA_BREAK = re.compile(r"\n\s*\n")


def read_feed(data: bytes, origin: str, default_source: str) -> Iterator[Item]:
    """Every entry of an RSS/Atom document; a broken feed that still yields entries keeps them."""
    import feedparser

    try:
        parsed = feedparser.parse(data)
    except Exception as exc:  # noqa: BLE001 - feedparser is lenient, but a crash must not end the run
        yield Failure(origin, "ingest", f"the feed could not be parsed ({type(exc).__name__}: {exc})")
        return
    entries = parsed.get("entries") or []
    problem = _bozo_reason(parsed)
    if not entries:
        reason = (
            f"not a readable RSS/Atom feed: {problem}"
            if problem
            else "the feed has no entries (an empty feed, or XML that is not RSS/Atom)"
        )
        yield Failure(origin, "ingest", reason)
        return
    feed = parsed.get("feed") or {}
    feed_source = _text_of(feed.get("title"), feed.get("title_detail")) or domain_of(feed.get("link")) or None
    ids: list[str] = []
    for number, entry in enumerate(entries, 1):
        link = _str(entry.get("link"))
        where = f"{origin}#entry {number}" + (f" <{link}>" if link else "")
        try:
            fields = entry_fields(entry, feed_source, where)
            article, notices = build_article(fields, where, default_source)
        except InputError as exc:
            yield Failure(exc.origin, "ingest", exc.reason)
            continue
        ids.append(article.id)
        yield article
        yield from notices
    if problem:
        yield Notice(
            "feed_malformed",
            f"{origin}: the feed is not well-formed ({problem}); kept the {len(ids)} article(s) the lenient "
            "parser recovered from its entries: check that they are complete",
            tuple(ids),
        )


def entry_fields(entry: Mapping[str, Any], feed_source: str | None, origin: str) -> Fields:
    """Fields of one feed entry; raises :class:`InputError` when it has no text."""
    link = _str(entry.get("link"))
    candidates = [_text_of(c.get("value"), c) for c in entry.get("content") or () if isinstance(c, Mapping)]
    candidates.append(_text_of(entry.get("summary"), entry.get("summary_detail")))
    # Some feeds put a teaser in <content> and the body in <description>, or the reverse: take the longer.
    text = max(candidates, key=len)
    if not text:
        raise InputError(
            origin,
            "feed entry has no text (no content and no summary): a headline-only feed; ingest the "
            "article pages themselves (HTML or WARC)",
        )
    # An aggregator (Google News...) names each item's outlet in <source>.
    item_source = entry.get("source")
    source = _str(item_source.get("title")) if isinstance(item_source, Mapping) else None
    return Fields(
        text=text,
        title=_text_of(entry.get("title"), entry.get("title_detail")),
        source=source or feed_source,
        published=_entry_date(entry),
        url=link,
    )


def _entry_date(entry: Mapping[str, Any]) -> Any:
    """The outlet's own date string first: feedparser's ``*_parsed`` is shifted to UTC.

    "Tue, 03 Mar 2026 23:30 -0500" is 3 March for the outlet but 4 March in UTC; the calendar
    day the outlet gave is what relative dates in the story ("on Tuesday") refer to.
    """
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        if not raw:
            continue
        try:
            return parse_date(raw)
        except ValueError:
            parsed = entry.get(f"{key}_parsed")
            if parsed:
                return dt.date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
            return raw  # build_article turns it into a bad_date Notice
    return None


def _bozo_reason(parsed: Mapping[str, Any]) -> str | None:
    if not parsed.get("bozo"):
        return None
    exc = parsed.get("bozo_exception")
    if exc is None:
        return "malformed feed"
    message = str(exc).strip()
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def _text_of(value: object, detail: object) -> str:
    """Plain text of a feed text construct, converting HTML when its type says so (or it has tags)."""
    text = _str(value) or ""
    if not text:
        return ""
    kind = detail.get("type") if isinstance(detail, Mapping) else None
    if kind in _HTML_TYPES or (kind is None and "<" in text):
        return html_to_text(text)
    return "\n\n".join(" ".join(p.split()) for p in _PARA_BREAK.split(text) if p.strip())


def html_to_text(fragment: str) -> str:
    """A feed's HTML body -> paragraphs separated by blank lines.

    A light conversion rather than trafilatura: feed content is already the article body
    (no navigation to remove), and trafilatura drops lists and short fragments from it.
    """
    if "<" not in fragment:
        return " ".join(html.unescape(fragment).split())
    from lxml import etree
    from lxml import html as lxml_html

    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return " ".join(html.unescape(_TAG.sub(" ", fragment)).split())
    for el in list(root.iter(*_DROP_TAGS)):
        el.drop_tree()
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCK_TAGS:
            el.tail = "\n\n" + (el.tail or "")
            if el.tag.lower() != "br":
                el.text = "\n\n" + (el.text or "")
    paragraphs = (" ".join(p.split()) for p in _PARA_BREAK.split(root.text_content()))
    return "\n\n".join(p for p in paragraphs if p)


def _str(value: object) -> str | None:
    return (value.strip() or None) if isinstance(value, str) else None
