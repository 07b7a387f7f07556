"""Time expressions resolved to calendar dates against the publication date.

Rule based on purpose: a handful of compiled regexes over the whole cleaned text
is ~100x faster than ``dateparser.search_dates`` per sentence, and news dates come
in few shapes. Each match is resolved against ``published`` (relative expressions)
or stands alone (explicit dates); without ``published`` only absolute dates with
a year are kept, because guessing a reference date would invent evidence.

Conventions (news style, AP: a weekday names a day within a week of publication):

- A bare weekday ("on Wednesday", "Wednesday's vote") means the most recent such
  day *on or before* publication in past context, the next one *on or after* it in
  future context (will, scheduled to, expected to...). The publication day itself
  counts both ways: AP copy published on a Wednesday says "on Wednesday", not "today".
- "last Friday" is strictly before publication, "next Monday" strictly after.
- Tense is the nearest tense cue to the expression in its sentence ("He said on
  Monday the council will vote on Friday": Monday past, Friday future). A reporting
  verb (said, told, announced...) is a cue only right before the expression ("said
  on Monday"): elsewhere it dates the *saying*, and in "a day of mourning will be
  held on Friday, officials said" the nearest word is "said". With no cue a bare weekday takes the nearer of the two candidates (the
  past one on a tie); other expressions default to past, the usual case in reporting.
- A month or month-day without a year takes the nearest year on or before
  publication in past context (a day up to a week ahead is still allowed: "was
  postponed to March 5"), on or after it in future context.
- "last week", "this week", "earlier this month" -> month granularity: a week has
  no granularity of its own and a fake exact day would look like a date conflict.
- "two days ago"/"three weeks ago" -> day; "months ago" counted -> month; years -> year.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from storyscope.annotate.sentences import sentence_locator
from storyscope.records import Sentence, TimeMention

Granularity = Literal["day", "month", "year"]

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTH_NUM = {m.lower(): i + 1 for i, m in enumerate(_MONTHS)}
# AP abbreviations, only accepted next to a day number ("Aug. 5").
_MONTH_NUM.update(
    {
        "jan": 1,
        "feb": 2,
        "mar": 3,
        "apr": 4,
        "jun": 6,
        "jul": 7,
        "aug": 8,
        "sep": 9,
        "sept": 9,
        "oct": 10,
        "nov": 11,
        "dec": 12,
    }
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAY_NUM = {w.lower(): i for i, w in enumerate(_WEEKDAYS)}

_SMALL_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Patterns:
    iso: re.Pattern[str]
    slash: re.Pattern[str]
    month_day: re.Pattern[str]
    day_month: re.Pattern[str]
    month_year: re.Pattern[str]
    month: re.Pattern[str]
    month_left: re.Pattern[str]
    year: re.Pattern[str]
    year_left: re.Pattern[str]
    weekday: re.Pattern[str]
    relative_day: re.Pattern[str]
    relative_period: re.Pattern[str]
    ago: re.Pattern[str]
    tense: re.Pattern[str]
    not_weekday_left: re.Pattern[str]
    weekday_left: re.Pattern[str]
    not_weekday_right: re.Pattern[str]


@functools.cache
def _patterns() -> _Patterns:
    """Compile once, on first use (nothing is compiled at import)."""
    month = "|".join(_MONTHS)
    month_abbr = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
    weekday = "|".join(_WEEKDAYS)
    year = r"(?:19|20)\d{2}"
    # A year must not run on into a larger number ("2026,000", "2026.5") or a range.
    year_end = r"(?![\d]|[.,]\d|-\d)"
    numbers = "|".join(sorted(_SMALL_NUMBERS, key=len, reverse=True))
    return _Patterns(
        iso=re.compile(rf"(?<![\d/-])(?P<y>{year})[-/](?P<m>\d{{1,2}})[-/](?P<d>\d{{1,2}})(?![\d/-])"),
        slash=re.compile(r"(?<![\d/.-])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>(?:19|20)\d{2}|\d{2})(?![\d/-])"),
        month_day=re.compile(
            rf"\b(?P<mon>{month}|{month_abbr})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?!:)"
            rf"(?:,?\s+(?P<y>{year})\b{year_end})?"
        ),
        day_month=re.compile(
            rf"(?<![\d.,])\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{month}|{month_abbr})"
            rf"(?![\w])(?:,?\s+(?P<y>{year})\b{year_end})?"
        ),
        month_year=re.compile(rf"\b(?P<mon>{month})\.?,?\s+(?:of\s+)?(?P<y>{year})\b{year_end}"),
        month=re.compile(rf"\b(?P<mon>{month})\b(?!['\u2019]s)(?!\s+\d)"),
        month_left=re.compile(
            r"(?:\b(?P<prep>in|since|by|until|till|through|throughout|during|from|before|after|of|to|between|"
            r"and|or|for)\s+)?(?:\b(?P<q>last|this|next|early|late|mid|the\s+end\s+of|the\s+beginning\s+of|"
            r"the\s+start\s+of|the\s+middle\s+of)(?:-|\s+))?$",
            re.IGNORECASE,
        ),
        # Not "1930's"/"1930s" (decades) nor "2,026%".
        year=re.compile(rf"\b(?P<y>{year})\b{year_end}(?!['\u2019]s\b)(?!\s*(?:%|percent|per\s+cent))"),
        year_left=re.compile(
            r"(?:\b(?:in|since|by|until|till|through|throughout|during|from|before|after|of|between|"
            r"early|late|mid|fiscal|year)|(?:19|20)\d{2}\s+(?:and|to|or|through))[\s-]+$",
            re.IGNORECASE,
        ),
        weekday=re.compile(
            rf"(?:\b(?P<q>last|next|this\s+past|this\s+coming|this|coming|past)\s+)?\b(?P<wd>{weekday})\b"
            r"(?!s\b)",
            re.IGNORECASE,
        ),
        relative_day=re.compile(
            r"\b(?P<w>(?:the\s+)?day\s+before\s+yesterday|(?:the\s+)?day\s+after\s+tomorrow|today|yesterday|"
            r"tomorrow|tonight|this\s+(?:morning|afternoon|evening)|last\s+night)\b",
            re.IGNORECASE,
        ),
        relative_period=re.compile(
            r"\b(?:(?P<adv>earlier|later)\s+)?(?P<rel>last|this|next)\s+(?P<unit>week|month|year)\b(?!-)",
            re.IGNORECASE,
        ),
        ago=re.compile(
            rf"\b(?P<n>\d{{1,3}}|{numbers})\s+(?P<unit>hour|day|week|month|year|decade)s?\s+ago\b",
            re.IGNORECASE,
        ),
        tense=re.compile(
            r"(?P<fut>\b(?:will|won['\u2019]t|shall|would|going\s+to|plans?\s+to|planned\s+to|scheduled|slated|"
            r"set\s+to|set\s+for|due\s+(?:to\s+be|in|on|by|for|back)|(?:is|are)\s+due|must(?!\s+have)|"
            r"expected\s+to|intends?\s+to|upcoming)\b|['\u2019]ll\b)"
            # "runs through Nov. 5", "ends on Friday": a schedule in the present tense is no past
            r"|(?P<pres>\b(?:runs|lasts|continues|ends|expires|begins|starts|opens|closes)\s+"
            r"(?:through|until|till|on|in|by)\b)"
            r"|(?P<rep>\b(?:said|says|told|announced|added|stated|reported|confirmed|claimed|insisted|warned|"
            r"noted|explained)\b)"
            r"|(?P<past>\b(?:was|were|had|did|went|came|took|made|gave|fell|hit|struck|began|left|met|"
            r"won|lost|saw|held|spoke|wrote|sent|found|broke|rose|ran|led|kept|brought|bought|sold|paid|"
            r"(?!(?:need|speed|red|bed|feed|seed|indeed|hundred|proceed|exceed|succeed|breed|shed|"
            r"announced|added|stated|reported|confirmed|claimed|insisted|warned|noted|explained)\b)"
            r"[a-z]{2,}ed)\b)",
            re.IGNORECASE,
        ),
        # "Thursday, March 5": the weekday joins the date's span (looked up leftwards: faster than
        # an optional prefix tried at every position).
        weekday_left=re.compile(rf"\b(?:{weekday}),?\s+$"),
        # Named days that are not dates ("Black Friday", "the Mail on Sunday", "Sunday Times").
        not_weekday_left=re.compile(
            r"\b(?:Black|Good|Ash|Super|Cyber|Holy|Maundy|Bloody|Palm|Giving|Mail\s+on|Independent\s+on)\s+$"
        ),
        not_weekday_right=re.compile(
            r"\s+(?:Times|Telegraph|Mirror|Express|Herald|Post|Mail|Star|Independent|Night\s+Football|"
            r"Morning\s+Futures|Show|Edition)\b"
        ),
    )


# --------------------------------------------------------------------------- date arithmetic


def _add_months(d: dt.date, months: int) -> dt.date:
    """First day of the month ``months`` away from ``d``'s month."""
    idx = d.year * 12 + (d.month - 1) + months
    return dt.date(idx // 12, idx % 12 + 1, 1)


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


# How far ahead of publication a date with no tense cue may fall ("the primary on June 3" in a
# May article is this June, not last year's): news mostly reports the past, so only a near future.
_UNTENSED_AHEAD = dt.timedelta(days=90)


def _year_for_month_day(m: int, d: int, published: dt.date, future: bool | None) -> dt.date | None:
    """The month-day nearest publication on the side the tense points to.

    ``future`` is None when the sentence has no tense cue for the date (a date inside a noun
    phrase, "the primary on June 3, ..."): then the nearer of the two sides wins, the future
    only within ``_UNTENSED_AHEAD``.
    """
    cands = [
        c for y in (published.year - 1, published.year, published.year + 1) if (c := _safe_date(y, m, d))
    ]
    if not cands:
        return None
    after = [c for c in cands if c >= published]
    # Past: allow a few days ahead ("was postponed to March 5", time-zone slack).
    before = [c for c in cands if c <= published + dt.timedelta(days=7)]
    if future:
        return min(after) if after else None
    past = max(before) if before else None
    if (
        future is None
        and after
        and (ahead := min(after)) - published <= _UNTENSED_AHEAD
        and (past is None or ahead - published < published - past)
    ):
        return ahead
    return past


def _year_for_month(m: int, published: dt.date, future: bool | None, q: str) -> dt.date:
    """The month on the side the tense or qualifier points to (untensed: as :func:`_year_for_month_day`)."""
    this = dt.date(published.year, m, 1)
    start_of_pub_month = published.replace(day=1)
    if q == "this":
        return this
    if q == "last":
        return this if this < start_of_pub_month else dt.date(published.year - 1, m, 1)
    if q == "next" or future:
        strict = q == "next"
        if this > start_of_pub_month or (not strict and this == start_of_pub_month):
            return this
        return dt.date(published.year + 1, m, 1)
    if future is None and not q and start_of_pub_month < this <= published + _UNTENSED_AHEAD:
        return this
    return this if this <= start_of_pub_month else dt.date(published.year - 1, m, 1)


def _weekday_date(target: int, published: dt.date, future: bool | None, q: str) -> dt.date:
    if q in ("last", "this past", "past"):
        back = (published.weekday() - target) % 7 or 7
        return published - dt.timedelta(days=back)
    if q in ("next", "coming", "this coming"):
        ahead = (target - published.weekday()) % 7 or 7
        return published + dt.timedelta(days=ahead)
    ahead = (target - published.weekday()) % 7
    back = (published.weekday() - target) % 7
    if future or (future is None and ahead < back):
        return published + dt.timedelta(days=ahead)
    return published - dt.timedelta(days=back)


# --------------------------------------------------------------------------- context


class _Context:
    """Sentence bounds and tense cues around an offset, computed per sentence once."""

    def __init__(self, text: str, sentences: Sequence[Sentence]) -> None:
        self.text = text
        self.sentences = sentences
        self._starts = [s.start for s in sentences]
        self._cues: dict[tuple[int, int], list[tuple[int, int, str, bool]]] = {}

    def bounds(self, start: int, end: int) -> tuple[int, int]:
        import bisect

        if self.sentences:
            i = max(0, bisect.bisect_right(self._starts, start) - 1)
            s = self.sentences[i]
            if s.start <= start and end <= s.end:
                return s.start, s.end
        # No sentence covers it: fall back to the surrounding punctuation.
        left = max(self.text.rfind(c, 0, start) for c in ".!?\n") + 1
        rights = [p for c in ".!?\n" if (p := self.text.find(c, end)) != -1]
        return left, (min(rights) + 1 if rights else len(self.text))

    def is_future(self, start: int, end: int) -> bool | None:
        """Nearest tense cue in the sentence decides (a tie means past); None when there is no cue."""
        key = self.bounds(start, end)
        cues = self._cues.get(key)
        if cues is None:
            cues = [
                (m.start(), m.end(), "fut" if m.group("fut") else "pres" if m.group("pres") else "past",
                 m.group("rep") is not None)
                for m in _patterns().tense.finditer(self.text, key[0], key[1])
                # "will be asked", "is expected to be held": a participle after a future cue is not past.
                if m.group("fut") or not _FUTURE_AUX.search(self.text, max(key[0], m.start() - 25), m.start())
            ]
            self._cues[key] = cues
        best: tuple[int, int] | None = None  # (distance, 0 past / 1 future / 2 present)
        for cs, ce, tense, rep in cues:
            # A reporting verb dates only what it touches: "said Monday", "on Monday said".
            if rep and not (
                (ce <= start and _REPORT_GAP.fullmatch(self.text, ce, start))
                or (cs >= end and _AFTER_GAP.fullmatch(self.text, end, cs))
            ):
                continue
            if ce <= start:
                dist = start - ce
            elif cs >= end:
                dist = cs - end
            else:
                continue
            cand = (dist, {"past": 0, "fut": 1, "pres": 2}[tense])  # on a tie past wins
            if best is None or cand < best:
                best = cand
        return None if best is None or best[1] == 2 else best[1] == 1

    def at_sentence_start(self, start: int) -> bool:
        left, _ = self.bounds(start, start)
        return not self.text[left:start].strip(" \t\"'\u201c\u2018(")


# --------------------------------------------------------------------------- extraction

# What may stand between a reporting verb and the date it gives ("said on Monday", "said Monday").
_REPORT_GAP = re.compile(r"\s+(?:on\s+|late\s+|early\s+)?")
# What may stand between a date and the reporting verb after it ("on Sunday said", "Monday night said").
_AFTER_GAP = re.compile(r"\s+(?:(?:morning|afternoon|evening|night)\s+)?")

_FUTURE_AUX = re.compile(
    r"\b(?:will|would|shall|must|to|['\u2019]ll)\s+(?:not\s+)?(?:be|have\s+been|be\s+being)\s+$", re.I
)

_Cand = tuple[int, int, dt.date, Granularity]


def _explicit(text: str, published: dt.date | None, ctx: _Context) -> list[_Cand]:
    p = _patterns()
    out: list[_Cand] = []
    for m in p.iso.finditer(text):
        if d := _safe_date(int(m["y"]), int(m["m"]), int(m["d"])):
            out.append((m.start(), m.end(), d, "day"))
    for m in p.slash.finditer(text):
        a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
        y = y + 2000 if y < 100 else y
        mon, day = (a, b) if a <= 12 else (b, a)  # US order unless impossible
        if d := _safe_date(y, mon, day):
            out.append((m.start(), m.end(), d, "day"))
    for pat in (p.month_day, p.day_month):
        for m in pat.finditer(text):
            mon = _MONTH_NUM[m["mon"].rstrip(".").lower()]
            day = int(m["d"])
            if m["y"]:
                d = _safe_date(int(m["y"]), mon, day)
            elif published is not None:
                d = _year_for_month_day(mon, day, published, ctx.is_future(m.start(), m.end()))
            else:
                d = None
            if d is not None:
                wd = p.weekday_left.search(text, max(0, m.start() - 12), m.start())
                out.append((wd.start() if wd else m.start(), m.end(), d, "day"))
    for m in p.month_year.finditer(text):
        out.append((m.start(), m.end(), dt.date(int(m["y"]), _MONTH_NUM[m["mon"].lower()], 1), "month"))
    for m in p.year.finditer(text):
        left = p.year_left.search(text, max(0, m.start() - 25), m.start())
        if left is None:
            continue
        out.append((m.start(), m.end(), dt.date(int(m["y"]), 1, 1), "year"))
    return out


def _relative(text: str, published: dt.date, ctx: _Context) -> list[_Cand]:
    p = _patterns()
    out: list[_Cand] = []
    for m in p.month.finditer(text):
        left = p.month_left.search(text, max(0, m.start() - 30), m.start())
        if left is None or not (left["prep"] or left["q"]):
            continue
        q = (left["q"] or "").lower()
        start = left.start("q") if q in ("last", "this", "next", "early", "late", "mid") else m.start()
        qq = q if q in ("last", "this", "next") else ""
        d = _year_for_month(_MONTH_NUM[m["mon"].lower()], published, ctx.is_future(m.start(), m.end()), qq)
        out.append((start, m.end(), d, "month"))
    for m in p.weekday.finditer(text):
        if not m["wd"][0].isupper():
            continue
        if p.not_weekday_left.search(text, max(0, m.start("wd") - 25), m.start("wd")):
            continue
        if p.not_weekday_right.match(text, m.end()):
            continue
        q = re.sub(r"\s+", " ", (m["q"] or "").lower())
        start = m.start() if q else m.start("wd")
        d = _weekday_date(_WEEKDAY_NUM[m["wd"].lower()], published, ctx.is_future(start, m.end()), q)
        out.append((start, m.end(), d, "day"))
    for m in p.relative_day.finditer(text):
        w = re.sub(r"\s+", " ", m["w"].lower())
        # "USA Today", "the Today programme": a capitalised Today mid-sentence is a title.
        if m["w"][0].isupper() and w in ("today", "tonight") and not ctx.at_sentence_start(m.start()):
            continue
        shift = {"yesterday": -1, "tomorrow": 1, "last night": -1}.get(w, 0)
        if w.endswith("before yesterday"):
            shift = -2
        elif w.endswith("after tomorrow"):
            shift = 2
        out.append((m.start(), m.end(), published + dt.timedelta(days=shift), "day"))
    for m in p.relative_period.finditer(text):
        rel, unit = m["rel"].lower(), m["unit"].lower()
        step = {"last": -1, "this": 0, "next": 1}[rel]
        if unit == "year":
            out.append((m.start(), m.end(), dt.date(published.year + step, 1, 1), "year"))
        elif unit == "month":
            out.append((m.start(), m.end(), _add_months(published, step), "month"))
        else:
            monday = published - dt.timedelta(days=published.weekday()) + dt.timedelta(weeks=step)
            out.append((m.start(), m.end(), monday.replace(day=1), "month"))
    for m in p.ago.finditer(text):
        n_txt = m["n"].lower()
        n = int(n_txt) if n_txt.isdigit() else _SMALL_NUMBERS[n_txt]
        unit = m["unit"].lower()
        if unit == "hour":
            out.append((m.start(), m.end(), published - dt.timedelta(days=n // 24), "day"))
        elif unit in ("day", "week"):
            out.append(
                (m.start(), m.end(), published - dt.timedelta(days=n * (7 if unit == "week" else 1)), "day")
            )
        elif unit == "month":
            out.append((m.start(), m.end(), _add_months(published, -n), "month"))
        else:
            years = n * (10 if unit == "decade" else 1)
            if published.year - years >= 1:
                out.append((m.start(), m.end(), dt.date(published.year - years, 1, 1), "year"))
    return out


def _no_overlaps(cands: list[_Cand]) -> list[_Cand]:
    """Longest match wins ("Wednesday, March 4, 2026" over "Wednesday" and "2026")."""
    kept: list[_Cand] = []
    for c in sorted(cands, key=lambda c: (-(c[1] - c[0]), c[0])):
        if all(c[1] <= k[0] or c[0] >= k[1] for k in kept):
            kept.append(c)
    return sorted(kept, key=lambda c: c[0])


def extract_times(
    text: str, sentences: Sequence[Sentence], published: dt.date | None, article_id: str
) -> tuple[TimeMention, ...]:
    """Every time expression in ``text`` with its resolved date; spans are exact offsets."""
    if not text:
        return ()
    if isinstance(published, dt.datetime):
        published = published.date()
    ctx = _Context(text, sentences)
    cands = _explicit(text, published, ctx)
    if published is not None:
        cands += _relative(text, published, ctx)
    sentence_at = sentence_locator(sentences)
    return tuple(
        TimeMention(article_id, sentence_at(s), s, e, text[s:e], d, g)
        for s, e, d, g in _no_overlaps(cands)
    )


# --------------------------------------------------------------------------- Spanish, French, German
#
# The same conventions as the English rules above, for the shapes dates take in Spanish, French and
# German news: "el lunes 9 de marzo", "le vendredi 6 mars 2026", "am Montag, 9. März", bare weekdays
# resolved against publication ("el martes", "mardi", "am Dienstag"), and yesterday/today/tomorrow.
# Tense is the nearest future or past cue in the sentence (future tense endings, "will" verbs,
# "next"); without a cue a bare weekday takes the nearer candidate, as in English. Regexes, not
# dateparser.search_dates: dateparser reads dates into ordinary words ("sept" in French is seven,
# "mar" in Spanish is the sea) and is ~100x slower.

_FOREIGN_MONTHS = {
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
}
_FOREIGN_MONTH_VARIANTS = {"es": {"setiembre": 9}, "fr": {"fevrier": 2, "aout": 8}, "de": {"jänner": 1, "maerz": 3}}
_FOREIGN_WEEKDAYS = {
    "es": "lunes martes miércoles jueves viernes sábado domingo",
    "fr": "lundi mardi mercredi jeudi vendredi samedi dimanche",
    "de": "Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag",
}
_FOREIGN_WEEKDAY_VARIANTS = {"es": {"miercoles": 2, "sabado": 5}, "fr": {}, "de": {"sonnabend": 5}}
# (word, shift in days from publication)
_FOREIGN_RELATIVE = {
    "es": (("anteayer", -2), ("antier", -2), ("ayer", -1), ("anoche", -1), ("hoy", 0), ("pasado mañana", 2)),
    "fr": (("avant-hier", -2), ("hier", -1), ("aujourd'hui", 0), ("aujourd\u2019hui", 0), ("après-demain", 2),
           ("demain", 1)),
    "de": (("vorgestern", -2), ("gestern", -1), ("heute", 0), ("übermorgen", 2), ("morgen", 1)),
}  # fmt: skip
# Qualifiers before / after a weekday: (regex, "last" | "next").
_FOREIGN_QUALIFIER = {
    "es": (r"(?P<ql>pasado|próximo|proximo)\s+$", r"^\s+(?P<qr>pasado|próximo|proximo|que\s+viene)\b"),
    "fr": (r"(?P<ql>)$", r"^\s+(?P<qr>dernier|prochain)\b"),
    "de": (r"\b(?P<ql>letzten|vergangenen|kommenden|nächsten)\s+$", r"(?P<qr>)^"),
}
_QUALIFIER_SENSE = {
    "pasado": "last", "próximo": "next", "proximo": "next", "que viene": "next", "dernier": "last",
    "prochain": "next", "letzten": "last", "vergangenen": "last", "kommenden": "next", "nächsten": "next",
}  # fmt: skip
_FOREIGN_FUTURE = {
    "es": r"\b(?:\w{2,}(?:rá|rán|remos)|va\s+a|van\s+a|esperan?|prevé|prevén|previst[oa]s?|próxim[oa]s?)\b",
    "fr": r"\b(?:\w{2,}(?:ra|ront)|aura|auront|sera|seront|va|vont|prévue?s?|prochaine?s?|devrait|devraient)\b",
    "de": r"\b(?:wird|werden|soll|sollen|geplant|voraussichtlich|nächste[nmrs]?|kommende[nmrs]?)\b",
}
_FOREIGN_PAST = {
    "es": r"\b(?:\w{2,}(?:ó|aron|ieron|aba|aban)|fue|fueron|ha|han|había|habían)\b",
    "fr": r"\b(?:a|ont|est|sont|avait|avaient|était|étaient|fut)\s+(?:\w+\s+)?\w+(?:é|ée|és|ées|i|is|it|u|us|t)\b",
    "de": r"\b(?:hat|haben|ist|sind|war|waren|wurde|wurden|hatte|hatten)\b",
}


@dataclass(frozen=True, slots=True)
class _ForeignPatterns:
    month_num: dict[str, int]
    weekday_num: dict[str, int]
    day_month: re.Pattern[str]
    month_year: re.Pattern[str]
    weekday: re.Pattern[str]
    relative: re.Pattern[str]
    relative_shift: dict[str, int]
    qual_left: re.Pattern[str]
    qual_right: re.Pattern[str]
    future: re.Pattern[str]
    past: re.Pattern[str]


def _fold_accents(word: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


@functools.cache
def _foreign_patterns(language: str) -> _ForeignPatterns | None:
    """Compiled once per language on first use; None for a language without rules."""
    if language not in _FOREIGN_MONTHS:
        return None
    months = {m.lower(): i + 1 for i, m in enumerate(_FOREIGN_MONTHS[language].split())}
    months.update(_FOREIGN_MONTH_VARIANTS[language])
    weekdays = {w.lower(): i for i, w in enumerate(_FOREIGN_WEEKDAYS[language].split())}
    weekdays.update(_FOREIGN_WEEKDAY_VARIANTS[language])
    mon = "|".join(sorted(months, key=len, reverse=True))
    wd = "|".join(sorted(weekdays, key=len, reverse=True))
    year = r"(?:19|20)\d{2}"
    if language == "es":
        day_month = rf"\b(?P<d>\d{{1,2}})\s+de\s+(?P<mon>{mon})\b(?:\s+(?:de|del)\s+(?P<y>{year})\b)?"
        month_year = rf"\b(?P<mon>{mon})\s+(?:de|del)\s+(?P<y>{year})\b"
        # "el lunes", "el lunes 9 de marzo" (the date part is matched by day_month and wins on length)
        weekday = rf"\b(?P<wd>{wd})(?:\s+(?P<d>\d{{1,2}})\s+de\s+(?P<mon>{mon})\b(?:\s+de\s+(?P<y>{year}))?)?"
    elif language == "fr":
        day_month = rf"\b(?P<d>\d{{1,2}}|1er)\s+(?P<mon>{mon})(?![\w-])(?:\s+(?P<y>{year})\b)?"
        month_year = rf"\b(?P<mon>{mon})\s+(?P<y>{year})\b"
        weekday = rf"\b(?P<wd>{wd})(?:\s+(?P<d>\d{{1,2}}|1er)\s+(?P<mon>{mon})(?![\w-])(?:\s+(?P<y>{year})\b)?)?"
    else:
        day_month = rf"\b(?P<d>\d{{1,2}})\.\s*(?P<mon>{mon})\b(?:\s+(?P<y>{year})\b)?"
        month_year = rf"\b(?P<mon>{mon})\s+(?P<y>{year})\b"
        # "am Dienstag", "Dienstagmorgen", "am Montag, 9. März"
        weekday = (
            rf"\b(?P<wd>{wd})(?:morgen|vormittag|mittag|nachmittag|abend|nacht)?\b"
            rf"(?:,?\s+(?:den\s+)?(?P<d>\d{{1,2}})\.\s*(?P<mon>{mon})\b(?:\s+(?P<y>{year}))?)?"
        )
    flags = re.IGNORECASE
    rel = _FOREIGN_RELATIVE[language]
    rel_words = "|".join(re.escape(w) for w, _ in sorted(rel, key=lambda r: -len(r[0])))
    # Spanish "mañana" is also "morning" ("la mañana", "de la mañana"): only "pasado mañana" is kept.
    ql, qr = _FOREIGN_QUALIFIER[language]
    return _ForeignPatterns(
        month_num=months,
        weekday_num=weekdays,
        day_month=re.compile(day_month, flags),
        month_year=re.compile(month_year, flags),
        weekday=re.compile(weekday, flags),
        # German "Morgen" (capitalised) is the morning; lower-case "morgen" is tomorrow.
        relative=re.compile(rf"(?<![\w'\u2019-])(?P<w>{rel_words})(?![\w'\u2019-])", re.IGNORECASE),
        relative_shift={w.lower(): s for w, s in rel},
        qual_left=re.compile(ql, re.IGNORECASE),
        qual_right=re.compile(qr, re.IGNORECASE),
        future=re.compile(_FOREIGN_FUTURE[language], re.IGNORECASE),
        past=re.compile(_FOREIGN_PAST[language], re.IGNORECASE),
    )


def _foreign_tense(p: _ForeignPatterns, text: str, bounds: tuple[int, int], start: int, end: int) -> bool | None:
    """Nearest future or past cue in the sentence: True future, False past, None no cue."""
    best: tuple[int, int] | None = None
    for pat, fut in ((p.future, 1), (p.past, 0)):
        for m in pat.finditer(text, bounds[0], bounds[1]):
            if start <= m.start() < end:
                continue
            dist = start - m.end() if m.end() <= start else m.start() - end
            cand = (max(0, dist), fut)
            if best is None or cand < best:
                best = cand
    return None if best is None else best[1] == 1


def _month_of(p: _ForeignPatterns, word: str) -> int | None:
    w = word.lower()
    return p.month_num.get(w) or p.month_num.get(_fold_accents(w))


def extract_times_foreign(
    text: str, sentences: Sequence[Sentence], published: dt.date | None, article_id: str, language: str
) -> tuple[TimeMention, ...]:
    """Time expressions of a Spanish, French or German text, resolved like the English ones.

    Returns () for a language without rules (better no dates than English rules misreading
    foreign words).
    """
    p = _foreign_patterns(language)
    if p is None or not text:
        return ()
    if isinstance(published, dt.datetime):
        published = published.date()
    ctx = _Context(text, sentences)
    cands: list[_Cand] = []

    def day_date(m: re.Match[str], start: int, end: int) -> dt.date | None:
        mon = _month_of(p, m["mon"])
        day = 1 if m["d"].lower() == "1er" else int(m["d"])
        if mon is None:
            return None
        if m["y"]:
            return _safe_date(int(m["y"]), mon, day)
        if published is None:
            return None
        return _year_for_month_day(mon, day, published, bool(_foreign_tense(p, text, ctx.bounds(start, end), start, end)))

    for m in p.day_month.finditer(text):
        if (d := day_date(m, m.start(), m.end())) is not None:
            cands.append((m.start(), m.end(), d, "day"))
    for m in p.month_year.finditer(text):
        if (mon := _month_of(p, m["mon"])) is not None:
            cands.append((m.start(), m.end(), dt.date(int(m["y"]), mon, 1), "month"))
    for m in p.weekday.finditer(text):
        if m["d"]:
            if (d := day_date(m, m.start(), m.end())) is not None:
                cands.append((m.start(), m.end(), d, "day"))
            continue
        if published is None:
            continue
        wd = p.weekday_num.get(m["wd"].lower()) or p.weekday_num.get(_fold_accents(m["wd"].lower()))
        if wd is None:
            continue
        start, end = m.start(), m.end()
        q = ""
        if (ql := p.qual_left.search(text, max(0, start - 20), start)) and ql["ql"]:
            q, start = _QUALIFIER_SENSE.get(ql["ql"].lower(), ""), ql.start()
        elif (qr := p.qual_right.match(text[end : end + 20])) and qr["qr"]:
            q, end = _QUALIFIER_SENSE.get(re.sub(r"\s+", " ", qr["qr"].lower()), ""), end + qr.end()
        future = _foreign_tense(p, text, ctx.bounds(start, end), start, end)
        cands.append((start, end, _weekday_date(wd, published, future, q), "day"))
    if published is not None:
        for m in p.relative.finditer(text):
            if language == "de" and m["w"] == "Morgen":
                continue  # "am Morgen": the morning, not tomorrow
            shift = p.relative_shift.get(m["w"].lower())
            if shift is not None:
                cands.append((m.start(), m.end(), published + dt.timedelta(days=shift), "day"))
    sentence_at = sentence_locator(sentences)
    return tuple(
        TimeMention(article_id, sentence_at(s), s, e, text[s:e], d, g) for s, e, d, g in _no_overlaps(cands)
    )
