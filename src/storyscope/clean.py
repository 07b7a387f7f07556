"""Drop the lines of a news body that are not reporting, and say which and why.

Scraped and pasted articles carry promos, update notes, bylines, share prompts,
photo captions and navigation scraps between the paragraphs. Left in, they
become "facts" only one outlet reports and pollute quotes and summaries. Each
paragraph (line) is tested against a few precise patterns; anything removed is
returned as a :class:`DroppedLine` with its reason, so nothing disappears
silently. The rules are deliberately narrow: a false drop loses reporting,
a missed drop only adds one stray sentence.

Reasons: "title" (the headline, or another headline in Title Case, as the first lines of the body),
"caption", "update_note", "share_prompt", "byline", "promo", "fragment".
"""

from __future__ import annotations

import re
from dataclasses import replace

from storyscope.records import Article, DroppedLine

__all__ = ["clean_article", "classify_line"]

# --------------------------------------------------------------------------- patterns


def _wordset(*chunks: str) -> frozenset[str]:
    return frozenset(" ".join(chunks).split())


_AGENCIES = (
    r"Getty\s+Images|Reuters|REUTERS|AFP|AP|EPA(?:-EFE)?|Shutterstock|Alamy|Bloomberg|ZUMA(?:\s+(?:Press|Wire))?"
    r"|Sipa(?:\s+USA)?|Anadolu(?:\s+Agency)?|Xinhua|Pool|NurPhoto|SOPA\s+Images|LightRocket|Corbis|"
    r"The\s+Associated\s+Press|AP\s+Images|Associated\s+Press|PA(?:\s+Wire)?|Handout|File"
)
_CAPTION_RULES: tuple[re.Pattern[str], ...] = (
    # "Photo: ...", "Image credit: ...", "FILE PHOTO: ...", "Pictured: ..."
    re.compile(
        r"^(?:file\s+)?(?:photo(?:graph)?s?|image|picture|pictured|video|graphic|illustration|caption|credit)"
        r"(?:\s+credit)?\s*(?:\(.{0,40}\))?\s*[:|]",
        re.IGNORECASE,
    ),
    # "(AP Photo/Jane Doe)", "(Photo by X/Getty Images)", "(Image: X)" anywhere
    re.compile(
        r"\((?:[A-Z]{2,8}\s+)?(?:photo(?:graph)?|image|picture|credit|foto)\b[^)]{0,80}\)", re.IGNORECASE
    ),
    # a trailing credit: "... Tuesday. Photograph: Marco Veil/The Herald"
    re.compile(
        r"[.!?]\s+(?:photo(?:graph)?|image|picture|credit)s?(?:\s+credit)?\s*:\s*[^.]{2,80}$", re.IGNORECASE
    ),
    # ends with an agency credit: "... Jane Doe/Getty Images"; cased, since "Pool" and "File" are words
    re.compile(rf"[\w.]\s*/\s*(?:{_AGENCIES})(?:\s+via\s+[\w .]+)?\)?\.?\s*$"),
    re.compile(r"\bvia\s+Getty\s+Images\)?\.?\s*$", re.IGNORECASE),
    re.compile(r"\bREUTERS/[\w .'’-]+(?:/File\s+Photo)?\s*$"),
    re.compile(r"(?:^|[\s(])file\s+photo\)?\.?\s*$", re.IGNORECASE),
    # "(Lena Ortiz/Harbour Wire)" closing the line: photographer/outlet
    re.compile(r"\((?:[A-Z][\w .'’-]{1,40}/){1,2}[A-Z][\w .'’-]{1,40}\)\.?\s*$"),
)
_CAPTION_MAX_WORDS = 70

# Notes about the story itself: always meta, whatever follows.
_UPDATE_META = re.compile(
    "|".join(
        (
            r"^this\s+(?:story|article|post|report|page|piece|item)\s+(?:has\s+been|was|is\s+being|will\s+be)\s+"
            r"(?:updated|corrected|revised|amended)",
            r"^(?:an?\s+)?(?:earlier|previous)\s+version\s+of\s+this\s+(?:story|article|report|post)",
            r"^(?:editor['’]?s\s+note|correction|clarification)\s*(?:\([^)]{0,40}\))?\s*[:\-–—]",
            r"^this\s+is\s+an?\s+(?:developing|breaking)\s+(?:news\s+)?story",
        )
    ),
    re.IGNORECASE,
)
_UPDATE_META_MAX_WORDS = 80
# Stamps: "UPDATE:", "Updated 3:45 p.m.", "Published March 3, 2026". Text after the stamp
# is kept when it is itself reporting ("UPDATE: 9 p.m. -- The spokesman said ...").
_UPDATE_STAMP = re.compile(
    r"^(?:updated?|last\s+updated|first\s+published|published|posted|last\s+modified|developing(?:\s+story)?"
    r"|breaking(?:\s+news)?)\b\s*(?:\([^)]{0,40}\))?\s*(?P<sep>[:\-–—,.]*)\s*",
    re.IGNORECASE,
)
_UPDATE_REPORTING_MIN_WORDS = 5
_TIMESTAMP_MAX_WORDS = 24

_SHARE = re.compile(
    "|".join(
        (
            r"^(?:share|share\s+(?:this|the)\s+(?:article|story|page|post)|share\s+(?:on|via)\s+\w+)\s*[:.!]?$",
            r"^(?:click|tap)\s+(?:here\s+)?to\s+(?:share|email|print|tweet|post|copy)",
            r"^follow\s+(?:us|me|him|her|them|@\w+|the\s+\w+)\s+on\b",
            r"^(?:read|see)\s+(?:more|also|the\s+full\s+(?:story|article|report))\b\s*[:.\-–—|]?",
            r"^(?:also\s+read|more\s+on\s+this(?:\s+story)?|more\s+from\s+[\w ]{1,40}|recommended(?:\s+for\s+you)?"
            r"|trending(?:\s+now)?|most\s+(?:read|popular|viewed)|top\s+stories|you\s+may\s+also\s+like"
            r"|continue\s+reading|story\s+continues\s+(?:below|after)[\w ]*|article\s+continues\s+(?:below|after)[\w ]*"
            r"|scroll\s+(?:down\s+)?to\s+continue[\w ]*|skip\s+advertisement|advertisement|sponsored(?:\s+content)?"
            r"|copy\s+(?:the\s+)?link|leave\s+a\s+comment|view\s+comments|comments?|related(?:\s+(?:stories|articles"
            r"|coverage|content|links|reading|topics|news))?)\s*[:.\-–—|]?\s*$",
            r"^related\s*[:\-–—|]",
            r"^(?:watch|listen|more|related|see\s+also|also\s+read|read\s+more|opinion|analysis)\s*:",
        )
    ),
    re.IGNORECASE,
)
# Upper-case section labels ("RELATED", "MORE: ...") are prompts even without the exact wording above.
_SHARE_CAPS = re.compile(r"^(?:RELATED|MORE|WATCH|LISTEN|READ MORE|SEE ALSO|ALSO READ|ADVERTISEMENT)\b")
_SOCIAL_WORDS = _wordset(
    "share facebook twitter x linkedin whatsapp email e-mail print reddit pinterest copy link tweet ",
    "messenger flipboard telegram comments comment save bluesky threads mail sms",
)
_SHARE_MAX_WORDS = 30

_BYLINE_PREFIX = re.compile(
    r"^(?:(?:additional|with|more)\s+reporting\s+by|reporting\s+by|writing\s+by|written\s+by|edited\s+by|editing\s+by"
    r"|compiled\s+by|contributors?\s*:|contributing\s*:|reporters?\s*:|authors?\s*:|by\s*:)",
    re.IGNORECASE,
)
_CONTRIBUTED = re.compile(
    r"\b(?:contributed|also\s+contributed)(?:\s+reporting)?(?:\s+(?:to|for))?\s+this\s+(?:report|story|article)\.?$",
    re.IGNORECASE,
)
_BY = re.compile(r"^by\s+(?P<rest>\S.*)$", re.IGNORECASE)
_BYLINE_MAX_WORDS = 18
# Lower-case words allowed in a byline's tail ("By Jane Doe, staff writer for the Courier").
_BYLINE_LOWER_OK = _wordset(
    "and of the for in at de del della der van von da dos du la le al bin el y und staff writer writers reporter ",
    "reporters correspondent correspondents editor editors senior chief contributor contributing political ",
    "news updated published on am pm a.m. p.m. et gmt utc cet bst est pst with special to photographer ",
    "photographers video producer columnist journalist analyst desk team",
)
_NOT_NAMES = _wordset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july ",
    "august september october november december noon midnight then now this that the early late law far ",
    "contrast comparison default design mistake chance accident nature far all most some",
)
_BIO = re.compile(
    r"^(?:[A-Z][\w.'’-]+\s+){1,3}[A-Z][\w.'’-]+\s+(?:is|was)\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,5}?"
    r"(?:reporter|correspondent|writer|editor|journalist|columnist|contributor|producer|fellow|"
    r"photographer|anchor|host)\b"
)
# ... unless it goes on to report something that happened to the journalist.
_BIO_NEWS = re.compile(
    r"\b(?:was|were|had|has\s+been|have\s+been|died|killed|arrested|detained|injured|said|says|told|according)\b",
    re.IGNORECASE,
)
# An author bio sits at the very end (or, rarely, the top) of the body.
_BIO_EDGE = 3
_BIO_MAX_WORDS = 45

_PROMO_START = re.compile(
    r"^(?:sign\s+up|subscribe\b|download\s+(?:our|the)|get\s+(?:our|the\s+latest|breaking|email|news|the\s+app|alerts"
    r"|unlimited|full\s+access|the\s+\w+\s+newsletter)|join\s+(?:our|us|the\s+conversation)|don['’]t\s+miss"
    r"|never\s+miss|want\s+(?:more|to\s+get|the\s+latest|to\s+stay)|like\s+(?:what\s+you|this\s+(?:story|article))"
    r"|enjoy(?:ed)?\s+this|support\s+(?:our|us|independent|quality)|stay\s+(?:informed|up\s+to\s+date|updated|in\s+the\s+know)"
    r"|try\s+(?:our|it)\s+free|become\s+a\s+(?:member|subscriber|supporter)|already\s+a\s+subscriber|register\s+(?:now|for\s+free|to)"
    r"|(?:we|our\s+\w+)\s+(?:need|rely\s+on)\s+your\s+support|this\s+(?:story|article|content)\s+is\s+(?:available|free)\s+to)",
    re.IGNORECASE,
)
_PROMO_WORD = re.compile(
    r"\b(?:newsletters?|sign\s+up|subscribe|subscription|subscribers?|download\s+(?:our|the)\s+(?:\w+\s+)?app"
    r"|app\s+store|google\s+play|(?:breaking\s+news|push|email|news)\s+alerts?|inbox|free\s+trial|paywall)\b",
    re.IGNORECASE,
)
# ... addressed to the reader: "you/your", or "our" owning the product ("our morning newsletter").
_READER_ADDRESS = re.compile(
    r"\b(?:you|your)\b|\bour\s+(?:[\w-]+\s+){0,3}(?:newsletters?|app|alerts?|podcasts?|journalism|reporting|coverage"
    r"|site|website|emails?|subscribers?|members?)\b",
    re.IGNORECASE,
)
_PROMO_MAX_WORDS = 45

_QUOTE_CHARS = '"“”«»„'
_SPEECH = re.compile(
    r"\b(?:said|says|say|told|tells|added|asked|wrote|writes|stated|explained|according\s+to|insisted|argued|"
    r"claimed|warned|noted|replied|responded|continued|recalled|declared|announced)\b",
    re.IGNORECASE,
)

_FRAGMENT_MAX_WORDS = 4
#: A last paragraph of at most this many words that breaks off with an ellipsis ("The requirement
#: will...") is where a feed teaser or scraper cut the text: a stub, not a statement.
_CUT_OFF_MAX_WORDS = 5
_HEADLINE_MAX_WORDS = 16
_CUT_OFF = re.compile(r"(?:\.\.\.|\u2026)[\s\"'\u201d\u2019)\]]*$")
_SENTENCE_PUNCT = re.compile(r"[.!?:;\"“”…]")
_COMMON_VERBS = _wordset(
    "is are was were be been being am has have had do does did will would can could shall should may might must ",
    "say says said go goes went come comes came make makes made take takes took get gets got see sees saw ",
    "know knows knew want wants think thinks give gives gave find finds found tell tells told ask asks ",
    "call calls die dies died kill kills win wins won lose loses lost hit hits rise rises rose fall falls fell ",
    "cut cuts quit quits vote votes sue sues run runs ran set sets put puts back backs",
)
_NAV_PLURALS = _wordset(
    "news sports politics opinions comments videos photos podcasts obituaries events jobs deals games puzzles",
    "newsletters stories articles topics headlines highlights updates links sections results classifieds",
    "listings notices letters reviews features blogs galleries graphics tags settings terms cookies options",
)
_TIMESTAMP_WORDS = _wordset(
    "jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june july august ",
    "september october november december mon tue wed thu fri sat sun monday tuesday wednesday thursday friday ",
    "saturday sunday am pm a.m p.m a.m. p.m. et edt est pt pst pdt gmt utc bst cet cest ist aest",
)
_STAMP_GLUE = frozenset({"at", "on", "--", "-", "–", "—", "|", "·", "•", "/", "last", "first", ":"})
# A long line joined from wrapped lines: lines this long without closing punctuation are wrapped prose.
_WRAP_MIN_CHARS = 40


# --------------------------------------------------------------------------- API


def clean_article(article: Article) -> tuple[Article, tuple[DroppedLine, ...]]:
    """Remove non-reporting paragraphs; the cleaned text has one blank line between paragraphs."""
    units = _units(article.text)
    kept: list[str] = []
    dropped: list[DroppedLine] = []
    title_key = _key(article.title)
    new_title = None
    for pos, (line_index, text) in enumerate(units):
        near_edge = pos < _BIO_EDGE or pos >= len(units) - _BIO_EDGE
        reason = classify_line(text, near_edge=near_edge)
        if reason is None and pos == len(units) - 1 and _is_cut_off(text):
            reason = "fragment"
        if reason is None and title_key and pos < 3 and _key(text) == title_key:
            reason = "title"
        if reason is None and pos == 0 and len(units) > 1 and _is_headline(text):
            reason = "title"  # a print headline or deck above the body, worded unlike the title
            if not title_key or _is_timestamp(article.title.strip()):
                new_title = text.strip()  # the page gave no title (or only a date): this is it
        if reason is None:
            kept.append(text)
        else:
            dropped.append(DroppedLine(article.id, text, reason, line_index))
    cleaned = replace(article, text="\n\n".join(kept))
    if new_title:
        cleaned = replace(cleaned, title=new_title)
    return cleaned, tuple(dropped)


def classify_line(text: str, *, near_edge: bool = True) -> str | None:
    """The reason to drop this paragraph, or None to keep it.

    ``near_edge``: the paragraph is among the first or last few of the body, the
    only places an author bio ("Jane Doe is a reporter for ...") appears.
    """
    s = text.strip()
    if not s:
        return None
    words = s.split()
    n = len(words)
    if _is_caption(s):
        return "caption"
    if (_UPDATE_META.search(s) and n <= _UPDATE_META_MAX_WORDS) or _is_update_stamp(s):
        return "update_note"
    if n <= _TIMESTAMP_MAX_WORDS and _is_timestamp(s):  # a bare dateline stamp
        return "update_note" if re.search(r"updated|posted|published", s, re.IGNORECASE) else "fragment"
    if _is_share(s, words):
        return "share_prompt"
    if _is_byline(s, words):
        return "byline"
    if _is_quote(s):
        return None  # quoted speech is reporting even when it mentions a newsletter
    if n <= _PROMO_MAX_WORDS and (
        _PROMO_START.match(s)
        or (_PROMO_WORD.search(s) and _READER_ADDRESS.search(s) and not _SPEECH.search(s))
    ):
        return "promo"
    if near_edge and n <= _BIO_MAX_WORDS and (m := _BIO.match(s)) and not _BIO_NEWS.search(s, m.end()):
        return "byline"
    if _is_fragment(s, words):
        return "fragment"
    return None


# --------------------------------------------------------------------------- rules


def _is_caption(s: str) -> bool:
    if len(s.split()) > _CAPTION_MAX_WORDS:  # captions are short; a long paragraph citing "/AP" is prose
        return False
    return any(rule.search(s) for rule in _CAPTION_RULES)


def _is_update_stamp(s: str) -> bool:
    m = _UPDATE_STAMP.match(s)
    if m is None:
        return False
    rest = s[m.end() :].split()
    stamped = 0
    while stamped < len(rest) and _stamp_token(rest[stamped]):
        stamped += 1
    remainder = [w for w in rest[stamped:] if any(c.isalnum() for c in w)]
    if not (m.group("sep") or stamped or not remainder):
        return False  # "Updated guidance was issued": a sentence, not a stamp
    return len(remainder) < _UPDATE_REPORTING_MIN_WORDS


def _is_share(s: str, words: list[str]) -> bool:
    if len(words) > _SHARE_MAX_WORDS:
        return False
    if _SHARE.match(s) or _SHARE_CAPS.match(s):
        return True
    tokens = [w.strip("|•·,:;()[]").lower() for w in words]
    tokens = [t for t in tokens if t]
    return bool(tokens) and all(t in _SOCIAL_WORDS for t in tokens)


def _is_byline(s: str, words: list[str]) -> bool:
    n = len(words)
    if n <= _BYLINE_MAX_WORDS * 2 and (_BYLINE_PREFIX.match(s) or _CONTRIBUTED.search(s)):
        return True
    m = _BY.match(s)
    if m is None or n > _BYLINE_MAX_WORDS:
        return False
    if s.rstrip().endswith(("?", "!")) or re.search(r"[a-z]{3,}\.\s+\S", s):  # a sentence, not a name list
        return False
    tokens = [t.strip(",|•·—–-()") for t in re.split(r"[\s,|•·]+", m.group("rest"))]
    tokens = [t for t in tokens if t and t not in {"&", "—", "–", "-"}]
    if not tokens or tokens[0].lower().rstrip(".") in _NOT_NAMES or not tokens[0][:1].isupper():
        return False
    if len(tokens) > 1 and tokens[1].lower().rstrip(".") in _NOT_NAMES:
        return False
    for t in tokens:
        if t[:1].isupper() or t[:1].isdigit() or t.lower() in _BYLINE_LOWER_OK or t.startswith("@"):
            continue
        return False
    return True


def _is_quote(s: str) -> bool:
    """A paragraph that quotes someone: it carries quote marks and a speech cue, or opens with a quote."""
    if s[:1] in _QUOTE_CHARS:
        return True
    return any(c in s for c in _QUOTE_CHARS) and bool(_SPEECH.search(s))


def _is_fragment(s: str, words: list[str]) -> bool:
    """An orphan scrap: navigation words, a dateline alone, a bare timestamp or page counter."""
    if not any(ch.isalpha() for ch in s):
        return len(s) < 40  # "***", "—", "2/3", a lone number
    if len(words) > _FRAGMENT_MAX_WORDS or _SENTENCE_PUNCT.search(s):
        return False
    return not any(_verb_like(w) for w in words)


def _is_headline(s: str) -> bool:
    """A line in headline style: short, no closing punctuation, its longer words capitalised
    ("Report Sees Guns as Path to Safety in Schools")."""
    words = s.split()
    if not 3 <= len(words) <= _HEADLINE_MAX_WORDS or s.rstrip()[-1:] in ".!?:;,\"'\u201d\u2019)":
        return False
    long_words = [w for w in words if len(w.strip("'\"\u2018\u2019\u201c\u201d")) > 3]
    return len(long_words) >= 2 and all(w.strip("'\"\u2018\u2019\u201c\u201d")[:1].isupper() for w in long_words)


def _is_cut_off(s: str) -> bool:
    """A short paragraph that breaks off mid-sentence with an ellipsis (a truncated teaser's tail)."""
    return bool(_CUT_OFF.search(s)) and len(re.findall(r"\w+", s)) <= _CUT_OFF_MAX_WORDS


def _verb_like(word: str) -> bool:
    w = word.strip("()[],'’").rstrip("-")
    low = w.lower()
    if low in _COMMON_VERBS:
        return True
    # Lower-case inflected words are verbs or participles far more often than navigation labels;
    # "-s" counts too ("Mayor resigns") unless it is a plural section name ("World news").
    if not w.islower() or len(w) < 4:
        return False
    if low.endswith(("ed", "ing")):
        return True
    return low.endswith("s") and not low.endswith(("ss", "us", "is")) and low not in _NAV_PLURALS


def _is_timestamp(s: str) -> bool:
    """A date/time and nothing else: "March 3, 2026 10:45 a.m. ET", "05/03/2013 11:00 AM"."""
    tokens = s.split()
    return any(c.isdigit() for c in s) and bool(tokens) and all(_stamp_token(t) for t in tokens)


def _stamp_token(token: str) -> bool:
    t = token.strip(",;()[]").lower()
    if not t or t in _STAMP_GLUE:
        return True
    if t.rstrip(".") in _TIMESTAMP_WORDS or t in _TIMESTAMP_WORDS:
        return True
    # digits with time/date separators, "9:56", "05/03/2013", "1:32pm", "18th"; and the words joining stamps
    return bool(
        re.fullmatch(r"[\d:./\-–]+(?:[ap]\.?m\.?)?|\d+(?:st|nd|rd|th)|updated:?|posted:?|published:?", t)
    )


# --------------------------------------------------------------------------- paragraphs


def _units(text: str) -> list[tuple[int, str]]:
    """Paragraphs as (index of their first line in the raw body, text with spaces normalised).

    Blank lines separate paragraphs. Inside a block, each line is its own paragraph
    (single-newline bodies), unless the block is hard-wrapped prose, whose lines are joined.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    units: list[tuple[int, str]] = []
    block: list[tuple[int, str]] = []
    for i, raw in enumerate([*lines, ""]):
        line = " ".join(raw.replace("\xa0", " ").split())
        if line:
            block.append((i, line))
            continue
        if block:
            if _is_wrapped([b[1] for b in block]):
                units.append((block[0][0], " ".join(b[1] for b in block)))
            else:
                units.extend(block)
            block = []
    return units


def _is_wrapped(lines: list[str]) -> bool:
    """Hard-wrapped prose: most lines but the last stop mid-sentence and are long."""
    if len(lines) < 2:
        return False
    body = lines[:-1]
    open_ended = sum(1 for ln in body if not ln.endswith((".", "!", "?", '"', "”", ":", "’")))
    long_lines = sum(1 for ln in body if len(ln) >= _WRAP_MIN_CHARS)
    return open_ended / len(body) >= 0.6 and long_lines / len(body) >= 0.6


def _key(s: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", s.casefold()).split())
