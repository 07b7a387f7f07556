"""Bytes -> text, refusing binary data and guessing an encoding only when the guess is confident.

News files arrive as UTF-8 mostly, sometimes with a BOM (Windows editors) or UTF-16
(Word's "Unicode text"), and now and then in a legacy code page (cp1252, latin-1)
from old archives. Exact encodings are tried first; a statistical guess
(charset_normalizer, installed with trafilatura) is the last resort and is
reported, because a wrong guess silently corrupts names and quotes.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from storyscope.errors import InputError

#: Share of control bytes (other than tab/newline/CR/form feed) above which data is binary.
#: Text in any 8-bit or UTF-8 encoding has almost none; images and archives have many.
_MAX_CONTROL_SHARE = 0.10
#: charset_normalizer's "chaos" (mess) ratio at or below which a guessed encoding is trusted.
#: Its own default for "good enough" is 0.2; clean legacy text scores ~0.0.
_MAX_GUESS_CHAOS = 0.10
# News prose is ~95% letters and spaces and has a space every 5-8 characters.
_MIN_WORDISH_SHARE = 0.75
_MIN_SPACE_SHARE = 0.05
_SNIFF_BYTES = 8192
_TEXT_CONTROLS = {9, 10, 12, 13}

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: its BOM starts the same way
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    fallback: bool  # True when the encoding was guessed, not known


def decode_bytes(data: bytes, origin: str) -> Decoded:
    """Decode ``data`` or raise :class:`InputError` saying why it is not usable text."""
    if not data.strip():
        raise InputError(origin, "empty input (no text at all)")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _non_empty(Decoded(data.decode(encoding), encoding, False), origin)
            except UnicodeDecodeError as exc:
                raise InputError(
                    origin,
                    f"starts with a {encoding} byte-order mark but is not valid {encoding}: {exc.reason}",
                ) from None
    if looks_binary(data):
        raise InputError(
            origin, "binary data, not text (NUL or control bytes); give a .txt, .html, .json or .jsonl file"
        )
    try:
        return _non_empty(Decoded(data.decode("utf-8"), "utf-8", False), origin)
    except UnicodeDecodeError as exc:
        utf8_error = f"invalid UTF-8 at byte {exc.start}"
    guess = _guess(data)
    if guess is None:
        raise InputError(
            origin,
            f"not valid UTF-8 ({utf8_error}) and no other encoding fits with confidence; re-save the file as UTF-8",
        )
    return _non_empty(guess, origin)


def looks_binary(data: bytes) -> bool:
    """NUL bytes, or many control bytes, in the first few KB mean this is not a text file."""
    head = data[:_SNIFF_BYTES]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in _TEXT_CONTROLS)
    return controls / max(len(head), 1) > _MAX_CONTROL_SHARE


def _guess(data: bytes) -> Decoded | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - trafilatura depends on it
        return None
    best = from_bytes(data).best()
    if best is None or best.chaos > _MAX_GUESS_CHAOS:
        return None
    try:
        text = data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    return Decoded(text, best.encoding, True) if _reads_like_prose(text) else None


def _reads_like_prose(text: str) -> bool:
    """A second check on a guess: short byte soups decode "cleanly" in some code page too."""
    if not text:
        return False
    wordish = sum(1 for c in text if c.isalpha() or c.isspace())
    spaces = sum(1 for c in text if c.isspace())
    return wordish / len(text) >= _MIN_WORDISH_SHARE and spaces / len(text) >= _MIN_SPACE_SHARE


def _non_empty(decoded: Decoded, origin: str) -> Decoded:
    if not decoded.text.strip():
        raise InputError(origin, "empty input (only whitespace)")
    return decoded
