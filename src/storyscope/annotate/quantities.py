"""Numbers with units, normalised so different outlets' figures can be compared.

"a 14-kilometer strip", "14km" and "8.7 miles" all become ~14000 "m"; "$1.2bn" and
"1.2 billion dollars" become 1.2e9 "USD"; "twelve people" and "12 people" become
12 "people". Rule based on purpose: one compiled regex finds every number in the
text, a few anchored regexes read what follows it (scale, unit, currency), and
spaCy's parse is consulted only for the noun a bare number counts. That keeps the
stage to a few milliseconds per article (quantulum3 is ~100x slower).

Canonical units (value is in these): length "m", area "m2", volume "m3", mass "kg",
duration "s", speed "m/s", temperature "C", power "W", percent "%", percentage
points "pp", currency ISO codes ("USD", "EUR", "GBP"...), age "years",
earthquake magnitude "magnitude", counts the counted noun's lemma ("people").

Deliberately not quantities: years, dates ("March 3"), times of day ("3 p.m."),
"two days ago" (a time, handled by ``times``), ordinals, ranges and scores
("3-2"), phone numbers, numbers inside names ("COVID-19", "F-35", "Boeing 737"),
and vague amounts ("hundreds of", "dozens").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from storyscope.annotate.sentences import sentence_locator
from storyscope.records import Quantity, Sentence

# (regex, factor to the canonical unit, canonical unit, dimension), tried in order at the
# position after a number: longer / more specific forms first ("km/h" before "km",
# "square miles" before "miles"). Lower-case symbols are case-sensitive ("m" metre,
# not "M"); words are matched case-insensitively.
_S = r"[\s-]+"  # between the words of a multi-word unit ("square kilometres", "square-mile")
_UNITS: tuple[tuple[str, float, str, str], ...] = (
    # speed
    (r"km/h|kph|kmh|km/hr", 1 / 3.6, "m/s", "speed"),
    (rf"(?i:kilomet(?:er|re)s?{_S}(?:per|an|a){_S}hour)", 1 / 3.6, "m/s", "speed"),
    (r"mph", 0.44704, "m/s", "speed"),
    (rf"(?i:miles?{_S}(?:per|an|a){_S}hour)", 0.44704, "m/s", "speed"),
    (r"(?i:knots?)", 0.514444, "m/s", "speed"),
    (rf"m/s|(?i:met(?:er|re)s?{_S}per{_S}second)", 1.0, "m/s", "speed"),
    # area
    (rf"km2|km²|sq\.?\s?km|(?i:square{_S}kilomet(?:er|re)s?)", 1e6, "m2", "area"),
    (rf"sq\.?\s?mi|(?i:square{_S}miles?)", 2_589_988.11, "m2", "area"),
    (rf"m2|m²|sq\.?\s?m|(?i:square{_S}met(?:er|re)s?)", 1.0, "m2", "area"),
    (rf"sq\.?\s?ft|(?i:square{_S}(?:feet|foot))", 0.09290304, "m2", "area"),
    (r"ha|(?i:hectares?)", 1e4, "m2", "area"),
    (r"(?i:acres?)", 4046.8564224, "m2", "area"),
    # volume
    (rf"m3|m³|(?i:cubic{_S}met(?:er|re)s?)", 1.0, "m3", "volume"),
    (r"(?i:lit(?:er|re)s?)", 1e-3, "m3", "volume"),
    (r"(?i:gallons?)", 0.003785411784, "m3", "volume"),
    (r"(?i:barrels?)", 0.158987294928, "m3", "volume"),
    # mass ("tons" is read as metric: news uses it loosely, and a 10% short-ton gap
    # would otherwise show up as a conflict between "tons" and "tonnes").
    (r"kg|(?i:kilo(?:gram)?s?)", 1.0, "kg", "mass"),
    (r"(?i:grams?)", 1e-3, "kg", "mass"),
    (rf"(?i:(?:metric{_S})?(?:tonnes?|tons?))", 1000.0, "kg", "mass"),
    (r"lbs?|(?i:pounds?)", 0.45359237, "kg", "mass"),
    (r"oz|(?i:ounces?)", 0.028349523125, "kg", "mass"),
    # length
    (r"km|(?i:kilomet(?:er|re)s?)", 1000.0, "m", "length"),
    (r"cm|(?i:centimet(?:er|re)s?)", 0.01, "m", "length"),
    (r"mm|(?i:millimet(?:er|re)s?)", 0.001, "m", "length"),
    (rf"(?i:nautical{_S}miles?)", 1852.0, "m", "length"),
    (r"mi|(?i:miles?)", 1609.344, "m", "length"),
    (r"ft|(?i:feet|foot)", 0.3048, "m", "length"),
    (r"(?i:inch(?:es)?)", 0.0254, "m", "length"),
    (r"yds?|(?i:yards?)", 0.9144, "m", "length"),
    (r"m|(?i:met(?:er|re)s?)", 1.0, "m", "length"),
    # power
    (r"GW|(?i:gigawatts?)", 1e9, "W", "power"),
    (r"MW|(?i:megawatts?)", 1e6, "W", "power"),
    (r"kW|(?i:kilowatts?)", 1e3, "W", "power"),
    # duration
    (r"(?i:seconds?|secs?)", 1.0, "s", "duration"),
    (r"(?i:minutes?|mins?)", 60.0, "s", "duration"),
    (r"hrs?|h|(?i:hours?)", 3600.0, "s", "duration"),
    (r"(?i:days?)", 86400.0, "s", "duration"),
    (r"(?i:weeks?)", 604800.0, "s", "duration"),
    (r"(?i:fortnights?)", 1209600.0, "s", "duration"),
    (r"(?i:months?)", 2629746.0, "s", "duration"),  # mean Gregorian month
    (r"yrs?|(?i:years?)", 31556952.0, "s", "duration"),  # mean Gregorian year
    (r"(?i:decades?)", 315569520.0, "s", "duration"),
)

_CURRENCY_PREFIX = {
    "US$": "USD", "USD": "USD", "$": "USD", "C$": "CAD", "CA$": "CAD", "CAD": "CAD", "A$": "AUD",
    "AU$": "AUD", "AUD": "AUD", "NZ$": "NZD", "HK$": "HKD", "S$": "SGD", "£": "GBP", "GBP": "GBP",
    "€": "EUR", "EUR": "EUR", "¥": "JPY", "JPY": "JPY", "CHF": "CHF", "₹": "INR", "INR": "INR",
    "Rs": "INR", "Rs.": "INR",
}  # fmt: skip
_CURRENCY_WORD = {
    "dollar": "USD", "euro": "EUR", "sterling": "GBP", "pounds sterling": "GBP", "yen": "JPY",
    "yuan": "CNY", "renminbi": "CNY", "rupee": "INR", "franc": "CHF", "ruble": "RUB", "rouble": "RUB",
    "peso": "MXN", "cent": "USD", "pence": "GBP",
}  # fmt: skip
_SUBUNIT = {"cent", "pence"}

_SMALL = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "crore": 1e7, "lakh": 1e5}
_SCALE_ABBR = {"k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "b": 1e9, "bn": 1e9, "tn": 1e12, "trn": 1e12}

_MONTH_WORDS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
#: Counted nouns that are not things counted (multipliers, grammar, units left over).
_NOT_COUNTED = frozenset(
    {"time", "times", "way", "thing", "lot", "kind", "sort", "type", "part", "point", "degree", "percent",
     "cent", "one", "other", "%", "am", "pm", "o'clock", "th", "st", "nd", "rd"}
)  # fmt: skip
#: Counted nouns normalised to one name so "12 people" and "a dozen persons" compare.
_FRACTION = re.compile(r"(?:\s+(?P<n>\d)/(?P<d>\d{1,2})|\u00bd)(?![\d/])")
_TIME_NOUNS = {
    "second": 1.0, "minute": 60.0, "hour": 3600.0, "day": 86400.0, "week": 604800.0,
    "month": 2629746.0, "year": 31556952.0, "decade": 315569520.0,
}  # fmt: skip
_CLOCK_LEFT = re.compile(r"\d\s?:\s?$")
_NOUN_ALIASES = {"person": "people", "persons": "people", "peoples": "people"}


@dataclass(frozen=True, slots=True)
class _Patterns:
    number: re.Pattern[str]
    word: re.Pattern[str]
    currency_prefix: re.Pattern[str]
    scale: re.Pattern[str]
    scale_abbr: re.Pattern[str]
    currency_word: re.Pattern[str]
    percent: re.Pattern[str]
    age: re.Pattern[str]
    age_left: re.Pattern[str]
    temperature: re.Pattern[str]
    magnitude_left: re.Pattern[str]
    magnitude_right: re.Pattern[str]
    unit: re.Pattern[str]
    time_of_day: re.Pattern[str]
    ago: re.Pattern[str]
    approx_left: re.Pattern[str]
    month_left: re.Pattern[str]
    month_right: re.Pattern[str]
    identifier_left: re.Pattern[str]


@functools.cache
def _patterns() -> _Patterns:
    """Compile once, on first use (nothing is compiled at import)."""
    words = "|".join(sorted([*_SMALL, *_TENS, "hundred", *_SCALES, "dozen"], key=len, reverse=True))
    scales_after_a = "dozen|hundred|thousand|million|billion|trillion"
    units = "|".join(f"(?P<u{i}>{rx})" for i, (rx, *_rest) in enumerate(_UNITS))
    cur_prefix = "|".join(re.escape(k) for k in sorted(_CURRENCY_PREFIX, key=len, reverse=True))
    return _Patterns(
        number=re.compile(
            r"(?P<digits>(?<![\w.,/:])(?:\d{1,3}(?:,\d{3})+(?![\d])|\d+)(?:\.\d+)?)"
            # "a quarter-trillion dollars", "half a million": a fraction of a scale word
            rf"|(?P<words>\b(?:(?:an?\s+)?(?:quarter|half)(?:[\s-]+an?)?[\s-]+(?=(?:million|billion|trillion)\b)"
            rf"|an?\s+(?=(?:{scales_after_a})\b))?(?:{words})"
            rf"(?:(?:\s+and\s+|\s+|-)(?:{words}))*\b)",
            re.IGNORECASE,
        ),
        word=re.compile(r"[A-Za-z]+"),
        currency_prefix=re.compile(rf"(?<![\w$£€¥₹])(?:{cur_prefix})\s?$"),
        scale=re.compile(r"\s*(?P<s>thousand|million|billion|trillion|crore|lakh)\b", re.IGNORECASE),
        scale_abbr=re.compile(r"\s?(?P<s>bn|mn|mln|tn|trn|m|b|k)\b(?![-'\u2019]\w)"),
        currency_word=re.compile(
            r"\s*(?:(?:US|U\.S\.|American|Canadian|Australian|Hong\s+Kong|Singapore)\s+)?"
            r"(?P<w>dollars?|euros?|pounds\s+sterling|sterling|yen|yuan|renminbi|rupees?|(?:Swiss\s+)?francs?|"
            r"rubles?|roubles?|pesos?|cents?|pence|pounds?)\b",
            re.IGNORECASE,
        ),
        percent=re.compile(
            r"\s?(?:(?P<pp>percentage[\s-]+points?)|%|(?:percent|per\s?cent|pc)\b)", re.IGNORECASE
        ),
        # "54-year-old", "65 years and older", "18 years of age": an age, not a duration
        age=re.compile(
            r"(?:-|\s+)(?P<u>year|month)s?(?:(?:-|\s+)old\b|\s+(?:and\s+(?:older|over|up|above)|of\s+age)\b)",
            re.IGNORECASE,
        ),
        age_left=re.compile(r"\baged\s+$", re.IGNORECASE),
        temperature=re.compile(
            r"(?:\s?[°º]\s?|\s+degrees?\s+|(?=[CF]\b))(?:(?P<c>C|Celsius|centigrade)|(?P<f>F|Fahrenheit))\b"
        ),
        magnitude_left=re.compile(r"\b(?:magnitude|Richter(?:\s+scale)?)(?:\s+of)?[\s-]+$", re.IGNORECASE),
        magnitude_right=re.compile(r"(?:[\s-]+magnitude\b|\s+on\s+the\s+Richter\b)", re.IGNORECASE),
        unit=re.compile(rf"(?:\s?-\s?|\s+|)(?:{units})(?![A-Za-z0-9²³])"),
        time_of_day=re.compile(
            r"\s?(?:[ap]\.\s?m\.|[ap]m\b|o['\u2019]clock\b|(?:GMT|UTC|BST|EST|EDT|PST|PDT|CET|CEST)\b|hrs\s+(?:GMT|local))",
            re.IGNORECASE,
        ),
        ago=re.compile(r"\s+(?:ago|earlier|later|before|after)\b", re.IGNORECASE),
        approx_left=re.compile(
            r"\b(?:about|around|approximately|roughly|some|nearly|almost|over|under|only|just|"
            r"at\s+least|at\s+most|more\s+than|less\s+than|fewer\s+than|up\s+to|as\s+many\s+as|as\s+much\s+as|"
            r"an\s+estimated|upwards\s+of|just\s+over|just\s+under|close\s+to|in\s+excess\s+of)\s+$",
            re.IGNORECASE,
        ),
        month_left=re.compile(rf"\b(?:{_MONTH_WORDS})\.?\s+$", re.IGNORECASE),
        month_right=re.compile(rf"(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTH_WORDS})\b", re.IGNORECASE),
        identifier_left=re.compile(
            r"(?:\b(?:No|no|Nos|Number|number|Nr|Art|Sec|Vol|Ch|Rule|page|p|pp)\.?\s*|#\s*)$"
        ),
    )


_FRACTIONS = {"quarter": 0.25, "half": 0.5}


def _parse_words(words: str) -> tuple[float, int] | None:
    """Value of a number in words and how many characters of it were used.

    Stops at the first word that cannot continue the number ("two three" -> 2).
    """
    total = 0.0
    current = 0.0
    used = 0
    prev = ""  # kind of the previous word: small, tens, hundred, scale
    seen_any = False
    for m in re.finditer(r"[A-Za-z]+", words):
        w = m.group().lower()
        if w in ("a", "an") and not seen_any:
            current = 1
            prev = "a"
            continue
        if w in ("a", "an") and prev == "fraction":
            continue  # "half a million"
        if w in _FRACTIONS and prev in ("", "a"):
            current = (current or 1) * _FRACTIONS[w]
            prev = "fraction"
            seen_any = True
            used = m.end()
            continue
        if w == "and":
            if prev not in ("hundred", "scale"):
                break
            continue
        if w in _SMALL:
            if prev in ("small", "a"):
                break
            if prev == "tens" and _SMALL[w] >= 10:
                break
            current += _SMALL[w]
            kind = "small"
        elif w in _TENS:
            if prev in ("small", "tens", "a"):
                break
            current += _TENS[w]
            kind = "tens"
        elif w == "hundred":
            if prev == "hundred":
                break
            current = (current or 1) * 100
            kind = "hundred"
        elif w == "dozen":
            if prev in ("hundred", "scale", "dozen"):
                break
            current = (current or 1) * 12
            kind = "dozen"
        elif w in _SCALES:
            if prev == "scale" and current == 0:
                break
            total += (current or 1) * _SCALES[w]
            current = 0
            kind = "scale"
        else:
            break
        prev = kind
        seen_any = True
        used = m.end()
    if not seen_any:
        return None
    return total + current, used


@dataclass(slots=True)
class _Found:
    start: int
    end: int
    value: float
    unit: str
    dimension: str


class _Reader:
    """Reads one article: every number, then what follows it."""

    def __init__(self, doc: Any, text: str | None = None) -> None:
        self.doc = doc
        self.text: str = doc.text if text is None else text
        self.p = _patterns()
        self.has_parse = bool(getattr(doc, "has_annotation", lambda _x: False)("DEP"))

    # ---------------------------------------------------------------- helpers
    def _sentence_start(self, pos: int) -> bool:
        before = self.text[max(0, pos - 40) : pos].rstrip(" \t\"'\u201c\u2018(")
        return not before or before[-1] in ".!?:\n"

    def _counted_noun(self, start: int, end: int, plural: bool = False) -> tuple[int, str] | None:
        """(end offset, lemma) of the noun a bare number counts, from the parse."""
        doc = self.doc
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) == 0 or not self.has_parse:
            return None
        last = span[-1]
        if span.start > 0:
            prev = doc[span.start - 1]
            # "Boeing 737 jets", "Route 66", "Flight 370": a number right after a name is a name.
            if prev.is_title and prev.pos_ in ("PROPN", "NOUN") and not prev.is_sent_start:
                return None
        noun = None
        head = last.head
        if last.dep_ in ("nummod", "compound", "quantmod") and head.i > last.i and head.i - last.i <= 5:
            while head.pos_ == "NUM" and head.head.i > head.i and head.i - last.i <= 5:
                head = head.head
            if head.pos_ == "NOUN" or (head.pos_ == "PROPN" and head.tag_ == "NNPS"):
                noun = head
        if noun is None:
            # The parser missed the link: walk over adjectives and compound nouns ("12 Palestinian civilians").
            for tok in doc[span.end : span.end + 4]:
                if tok.pos_ == "NOUN" and tok.dep_ != "compound":
                    noun = tok
                    break
                if (
                    tok.pos_ == "NOUN"
                    or tok.pos_ == "ADJ"
                    or (tok.pos_ == "PROPN" and tok.ent_type_ == "NORP")
                ):
                    continue
                if tok.text in ("-",):
                    continue
                break
        if noun is None or noun.i < span.end or not noun.is_alpha or noun.sent != last.sent:
            return None
        if plural and noun.tag_ not in ("NNS", "NNPS"):
            return None
        if re.search(r"\d", self.text[end : noun.idx]):
            return None  # "12 Somali and 11 Yemeni pirates": never reach over another number
        lemma = noun.lemma_.lower() or noun.lower_
        if lemma in _NOT_COUNTED or noun.lower_ in _NOT_COUNTED:
            return None
        return noun.idx + len(noun.text), _NOUN_ALIASES.get(lemma, lemma)

    def _unit(
        self,
        start: int,
        q_start: int,
        pos: int,
        value: float,
        currency: str | None,
        scaled: bool,
        negative: bool,
        is_words: bool,
    ) -> _Found | None:
        """The quantity if a unit (or currency, percent, age...) follows the number at ``pos``."""
        text, p = self.text, self.p
        if currency is not None:
            return _Found(q_start, pos, value, currency, "currency")
        if cw := p.currency_word.match(text, pos):
            w = re.sub(r"\s+", " ", cw["w"].lower())
            key = w if w == "pounds sterling" else w.split()[-1]
            if key not in _CURRENCY_WORD and key.endswith("s"):
                key = key[:-1]
            if key == "pound" and scaled:  # "3 million pounds" is money, "300 pounds" a weight
                return _Found(start, cw.end(), value, "GBP", "currency")
            if key in _CURRENCY_WORD:
                v = value / 100 if key in _SUBUNIT else value
                return _Found(start, cw.end(), v, _CURRENCY_WORD[key], "currency")
        if pc := p.percent.match(text, pos):
            if pc["pp"]:
                return _Found(start, pc.end(), value, "pp", "percentage_points")
            return _Found(start, pc.end(), value, "%", "percent")
        if ag := p.age.match(text, pos):
            return _Found(start, ag.end(), value if ag["u"].lower() == "year" else value / 12, "years", "age")
        if (al := p.age_left.search(text, max(0, start - 8), start)) and not p.unit.match(text, pos):
            return _Found(al.start(), pos, value, "years", "age")
        if t := p.temperature.match(text, pos):
            minus = negative or text[max(0, start - 6) : start].lower() == "minus "
            v = -value if minus else value
            return _Found(
                start - 1 if negative else start,
                t.end(),
                v if t["c"] else (v - 32) * 5 / 9,
                "C",
                "temperature",
            )
        if mr := p.magnitude_right.match(text, pos):
            end = mr.end() if "magnitude" in mr.group().lower() else pos
            return _Found(start, end, value, "magnitude", "magnitude")
        if not is_words and (ml := p.magnitude_left.search(text, max(0, start - 25), start)):
            return _Found(ml.start(), pos, value, "magnitude", "magnitude")
        if (u := p.unit.match(text, pos)) and u.lastgroup:
            _rx, factor, unit, dim = _UNITS[int(u.lastgroup[1:])]
            return _Found(start, u.end(), value * factor, unit, dim)
        return None

    # ---------------------------------------------------------------- one number
    def read(self, m: re.Match[str]) -> tuple[_Found | None, int]:
        """The quantity starting at number ``m`` (or None) and where reading stopped."""
        text, p = self.text, self.p
        start, end = m.start(), m.end()
        if m["digits"]:
            raw = m["digits"]
            value = float(raw.replace(",", ""))
            is_words = False
            if fr := _FRACTION.match(text, end):  # "2 1/2 years", "2½"
                den = int(fr["d"] or 0) or 2
                num = int(fr["n"] or 1)
                if num < den:
                    value += num / den
                    end = fr.end()
        else:
            parsed = _parse_words(m["words"])
            if parsed is None:
                return None, end
            value, used = parsed
            end = start + used
            raw = text[start:end]
            is_words = True
            if raw[0].isupper() and not self._sentence_start(start):
                return None, end  # "Million Dollar Baby", "Three Mile Island": a name
        after = text[end : end + 4]

        # ---- things that are not quantities
        prev_char = text[start - 1 : start]
        negative = False
        if not is_words and prev_char in ("-", "\u2212", "\u2013"):
            before_sign = text[start - 2 : start - 1]
            if before_sign.isalnum() or before_sign in ("-", "/"):
                return None, end  # COVID-19, F-35, 1-800-...
            negative = True
        if _CLOCK_LEFT.search(text, max(0, start - 4), start) or re.match(r"[-\u2013/:]\d|\.\d|,\d", after):
            return None, end  # ranges, scores, phone numbers, ratios, clock times
        if p.time_of_day.match(text, end):
            return None, end
        if p.month_left.search(text, max(0, start - 12), start) or p.month_right.match(text, end):
            return None, end  # "March 3", "3rd of March"
        if p.identifier_left.search(text, max(0, start - 10), start):
            return None, end

        cur_m = p.currency_prefix.search(text, max(0, start - 5), start) if not is_words else None
        currency = _CURRENCY_PREFIX[cur_m.group().strip()] if cur_m else None
        q_start = cur_m.start() if cur_m else start

        # ---- scale words ("1.2 million", "$3bn"); abbreviations only where money is meant
        pos = end
        if not is_words and (s := p.scale.match(text, pos)):
            value *= _SCALES[s["s"].lower()]
            pos = s.end()
        elif not is_words and (s := p.scale_abbr.match(text, pos)):
            long_abbr = s["s"] in ("bn", "mn", "mln", "tn", "trn")
            if currency is not None or (long_abbr and p.currency_word.match(text, s.end())):
                value *= _SCALE_ABBR[s["s"]]
                pos = s.end()
            elif s.start() == pos and (noun := self._counted_noun(start, s.end(), plural=True)):
                # "60m doses", "3bn people": a scale before a plural noun (but "a 100m sprint" is metres).
                ap = p.approx_left.search(text, max(0, start - 25), start)
                return _Found(
                    ap.start() if ap else start,
                    noun[0],
                    value * _SCALE_ABBR[s["s"]],
                    noun[1],
                    "count",
                ), noun[0]
        scaled = pos > end or (is_words and any(w in raw.lower() for w in _SCALES))

        if re.fullmatch(r"[0-2]\d[0-5]\d", raw) and re.match(r"\s*(?:hours|hrs)\b", text[pos : pos + 8]):
            return None, pos  # "at 1100 hours": military time of day
        found = self._unit(start, q_start, pos, value, currency, scaled, negative, is_words)
        if found is None:
            # A bare number: a count if it counts a noun; otherwise nothing.
            if re.match(r"[A-Za-z\u00b2\u00b3]|-[A-Za-z]", text[pos : pos + 2]):
                return None, pos  # "1990s", "5G", "10am", "two-thirds", "3rd"
            if (
                not is_words
                and re.fullmatch(r"\d{4}", raw)
                and 1800 <= value <= 2100
                and not p.approx_left.search(text, max(0, start - 25), start)
            ):
                return None, pos  # a year
            if is_words and raw.lower() == "one":
                # "one" is too often a pronoun ("one of the", "no one"): only a direct modifier counts.
                span = self.doc.char_span(start, end, alignment_mode="expand")
                if span is None or span[-1].dep_ != "nummod":
                    return None, pos
            noun = self._counted_noun(start, pos)
            if noun is None:
                return None, pos
            if noun[1] in _TIME_NOUNS:  # "two full weeks": a duration the unit regex could not reach
                found = _Found(start, noun[0], value * _TIME_NOUNS[noun[1]], "s", "duration")
            else:
                found = _Found(start, noun[0], value, noun[1], "count")
        elif found.dimension == "duration" and p.ago.match(text, found.end):
            return None, found.end  # "two days ago", "three weeks later" are times, not amounts
        # Approximation markers belong to the cited text; the value stays the number.
        if found.dimension != "age" and (
            ap := p.approx_left.search(text, max(0, found.start - 25), found.start)
        ):
            found.start = ap.start()
        return found, found.end


def extract_quantities(
    doc, sentences: Sequence[Sentence], article_id: str, *, text: str | None = None
) -> tuple[Quantity, ...]:
    """Every quantity in the parsed text with its value in canonical units; spans are exact offsets.

    ``text`` is ``doc.text`` when the caller has it (spaCy rebuilds ``doc.text`` from every token).
    """
    if text is None:
        text = getattr(doc, "text", None)
    if not text:
        return ()
    reader = _Reader(doc, text)
    sentence_at = sentence_locator(sentences)
    out: list[Quantity] = []
    done_until = 0
    for m in reader.p.number.finditer(text):
        if m.start() < done_until:
            continue
        found, stop = reader.read(m)
        done_until = max(done_until, stop)
        if found is None or found.start < 0 or "\n" in text[found.start : found.end]:
            continue
        if sentences and sentence_at(found.start) != sentence_at(found.end - 1):
            continue
        if out and found.start < out[-1].end:
            continue
        out.append(
            Quantity(
                article_id,
                sentence_at(found.start),
                found.start,
                found.end,
                text[found.start : found.end],
                found.value,
                found.unit,
                found.dimension,
            )
        )
    return tuple(out)


def same_amount(a: Quantity, b: Quantity, tolerance: float) -> bool | None:
    """Whether two quantities state the same amount.

    None when they cannot be compared (different dimension or unit: "12 people" vs
    "12 homes", "$5m" vs "EUR 5m" -- no exchange rates here, so no false conflicts),
    otherwise True when the values agree within ``tolerance`` relative to the larger
    one (rounding: "14 km" vs "8.7 miles" agree at 0.03).
    """
    if a.dimension != b.dimension or a.unit != b.unit:
        return None
    big = max(abs(a.value), abs(b.value))
    if big == 0:
        return True
    return abs(a.value - b.value) <= tolerance * big


# --------------------------------------------------------------------------- Spanish, French, German
#
# Numbers in Spanish, French and German text, normalised to the same canonical units as the English
# ones so "12 personas", "12 personnes" and "12 Menschen" compare with "12 people", and "14
# kilómetros" with "8.7 miles". Regex only (spaCy here is an English model): a number, then a unit
# word or a counted noun right after it. Counted nouns common in news are mapped to the English
# lemma the English reader produces; others keep their own (lower-cased) word and so only compare
# within their language. Decimal commas and thousands dots/spaces follow each language's use.

_FOREIGN_NUMBER_WORDS = {
    "es": "dos:2 tres:3 cuatro:4 cinco:5 seis:6 siete:7 ocho:8 nueve:9 diez:10 once:11 doce:12 trece:13 "
    "catorce:14 quince:15 dieciséis:16 diecisiete:17 dieciocho:18 diecinueve:19 veinte:20 treinta:30 "
    "cuarenta:40 cincuenta:50 sesenta:60 setenta:70 ochenta:80 noventa:90 cien:100 doscientos:200 "
    "doscientas:200 trescientos:300 trescientas:300 quinientos:500 quinientas:500 mil:1000 docena:12",
    "fr": "deux:2 trois:3 quatre:4 cinq:5 six:6 sept:7 huit:8 neuf:9 dix:10 onze:11 douze:12 treize:13 "
    "quatorze:14 quinze:15 seize:16 vingt:20 trente:30 quarante:40 cinquante:50 soixante:60 cent:100 "
    "mille:1000 douzaine:12",
    "de": "zwei:2 drei:3 vier:4 fünf:5 sechs:6 sieben:7 acht:8 neun:9 zehn:10 elf:11 zwölf:12 dreizehn:13 "
    "vierzehn:14 fünfzehn:15 sechzehn:16 siebzehn:17 achtzehn:18 neunzehn:19 zwanzig:20 dreißig:30 "
    "vierzig:40 fünfzig:50 hundert:100 tausend:1000 Dutzend:12",
}
_FOREIGN_SCALES = {
    "es": (("mil millones", 1e9), ("millones", 1e6), ("millón", 1e6), ("mil", 1e3)),
    "fr": (("milliards", 1e9), ("milliard", 1e9), ("millions", 1e6), ("million", 1e6), ("mille", 1e3)),
    "de": (("Milliarden", 1e9), ("Milliarde", 1e9), ("Mrd.", 1e9), ("Millionen", 1e6), ("Million", 1e6),
           ("Mio.", 1e6), ("Tausend", 1e3)),
}  # fmt: skip
# (regex, factor, unit, dimension) after a number (and an optional "de"/"d'" in es/fr).
_FOREIGN_UNITS: tuple[tuple[str, float, str, str], ...] = (
    (r"km/h|(?i:kilómetros\s+por\s+hora|kilomètres[\s-]+(?:par\s+)?heure|Stundenkilometer)", 1 / 3.6, "m/s", "speed"),
    (r"km2|km²|(?i:kilómetros\s+cuadrados|kilomètres\s+carrés|Quadratkilometer(?:n)?)", 1e6, "m2", "area"),
    (r"ha|(?i:hectáreas?|hectares?|Hektar)", 1e4, "m2", "area"),
    (r"km|(?i:kil[óo]metros?|kilomètres?|Kilometer(?:n)?)", 1000.0, "m", "length"),
    (r"cm|(?i:centímetros?|centimètres?|Zentimeter(?:n)?)", 0.01, "m", "length"),
    (r"m|(?i:metros?|mètres?|Meter(?:n)?)", 1.0, "m", "length"),
    (r"kg|(?i:kilos?|kilogramos?|kilogrammes?|Kilogramm|Kilo)", 1.0, "kg", "mass"),
    (r"(?i:toneladas?|tonnes?|Tonnen?)", 1000.0, "kg", "mass"),
    (r"%|(?i:por\s+ciento|pour\s+cent|Prozent)", 1.0, "%", "percent"),
    (r"€|EUR\b|(?i:euros?)", 1.0, "EUR", "currency"),
    (r"\$|USD\b|(?i:dólares|dollars?|Dollar)", 1.0, "USD", "currency"),
    (r"£|GBP\b|(?i:libras(?:\s+esterlinas)?|livres(?:\s+sterling)?|Pfund)", 1.0, "GBP", "currency"),
    (r"(?i:segundos?|secondes?|Sekunden?)", 1.0, "s", "duration"),
    (r"(?i:minutos?|minutes?|Minuten?)", 60.0, "s", "duration"),
    (r"(?i:horas?|heures?|Stunden?)", 3600.0, "s", "duration"),
    (r"(?i:días|jours|Tagen?|Tage)", 86400.0, "s", "duration"),
    (r"(?i:semanas?|semaines?|Wochen?)", 604800.0, "s", "duration"),
    (r"(?i:meses|mes|mois|Monaten?|Monate)", 2629746.0, "s", "duration"),
)  # fmt: skip
#: Counted nouns -> the English lemma the English reader gives the same count. A death toll is
#: counted in people in English copy ("12 people were killed"), so "12 muertos" is 12 "people".
_FOREIGN_NOUNS = {
    "people": "personas persona muertos muertas fallecidos fallecidas desaparecidos desaparecidas "
    "personnes personne morts mortes tués tuées disparus disparues décédés "
    "Menschen Personen Tote Toten Todesopfer Vermisste Vermissten",
    "victim": "víctimas victimes Opfer",
    "injured": "heridos heridas blessés blessées Verletzte Verletzten",
    "resident": "vecinos vecinas residentes habitants Bewohner Anwohner",
    "inhabitant": "habitantes Einwohner Einwohnern",
    "house": "casas maisons Häuser Häusern",
    "home": "viviendas hogares logements Wohnungen",
    "building": "edificios bâtiments immeubles Gebäude Gebäuden",
    "rescuer": "rescatistas socorristas rescatadores secouristes sauveteurs Retter Rettungskräfte Helfer",
    "worker": "trabajadores travailleurs ouvriers Arbeiter",
    "firefighter": "bomberos pompiers Feuerwehrleute",
    "soldier": "soldados soldats Soldaten",
    "police officer": "policías agentes policiers Polizisten",
    "child": "niños niñas enfants Kinder Kindern",
    "family": "familias familles Familien",
    "helicopter": "helicópteros hélicoptères Hubschrauber Helikopter",
    "boat": "barcos botes embarcaciones lanchas bateaux embarcations Boote Booten",
    "ship": "buques navires Schiffe",
    "vessel": "naves vaisseaux",
    "pirate": "piratas pirates Piraten",
    "dog": "perros chiens Hunde",
    "vehicle": "vehículos véhicules Fahrzeuge",
    "year": "años ans Jahre Jahren",
}
_FOREIGN_APPROX = {
    "es": r"\b(?:al\s+menos|por\s+lo\s+menos|unos|unas|más\s+de|menos\s+de|cerca\s+de|casi|alrededor\s+de|"
    r"aproximadamente|hasta)\s+$",
    "fr": r"\b(?:au\s+moins|environ|plus\s+de|moins\s+de|près\s+de|presque|quelque|quelques|jusqu'à|"
    r"jusqu\u2019à)\s+$",
    "de": r"\b(?:mindestens|etwa|rund|ungefähr|mehr\s+als|weniger\s+als|fast|knapp|bis\s+zu|über)\s+$",
}
_FOREIGN_AGE = {
    "es": (r"\b(?:de|con|a\s+los)\s+$", r"^\s+años\b"),
    "fr": (r"(?:,\s*|\bde\s+|\bâgée?\s+de\s+|\bà\s+l'âge\s+de\s+)$", r"^\s+ans\b"),
    "de": (r"\b(?:im\s+Alter\s+von|mit)\s+$", r"^(?:-jährige[nmrs]?\b|\s+Jahren?\b)"),
}
# Clock times and other numbers that are not amounts: "las 5.40", "4h30", "9.25 Uhr", "19 heures".
_FOREIGN_NOT_AFTER = re.compile(r"^(?:[.:,]\d{2}\s*(?:Uhr|h\b)|h\d{2}|\s*Uhr\b|\s+heures?\b(?!\s+de\b)|[.:]\d{2}(?!\d))")
_FOREIGN_NOT_BEFORE = re.compile(r"\b(?:las|la|a\s+la|à|vers|gegen|um)\s+$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _ForeignQuantityPatterns:
    number: re.Pattern[str]
    words: dict[str, float]
    scale: re.Pattern[str]
    scales: dict[str, float]
    unit: re.Pattern[str]
    noun: re.Pattern[str]
    nouns: dict[str, str]
    approx: re.Pattern[str]
    age_left: re.Pattern[str]
    age_right: re.Pattern[str]
    month: re.Pattern[str]


@functools.cache
def _foreign_quantity_patterns(language: str) -> _ForeignQuantityPatterns | None:
    if language not in _FOREIGN_NUMBER_WORDS:
        return None
    from storyscope.annotate.times import _FOREIGN_MONTHS

    words = {}
    for pair in _FOREIGN_NUMBER_WORDS[language].split():
        w, v = pair.split(":")
        words[w.lower()] = float(v)
    word_rx = "|".join(sorted(words, key=len, reverse=True))
    # Thousands grouped by "." or a (narrow) space, decimals after ","; also a plain integer.
    number = re.compile(
        r"(?P<digits>(?<![\w.,/:])\d{1,3}(?:(?:\.|\u00a0|\u202f|\s(?=\d{3}\b))\d{3})+(?:,\d+)?(?![\d])"
        r"|(?<![\w.,/:])\d+(?:,\d+)?(?![\d]))"
        rf"|(?P<words>(?<![\w-])(?:{word_rx})(?![\w-]))",
        re.IGNORECASE,
    )
    scales = {w.lower(): v for w, v in _FOREIGN_SCALES[language]}
    scale = re.compile(
        r"\s+(?P<s>" + "|".join(re.escape(w) for w, _ in _FOREIGN_SCALES[language]) + r")(?!\w)", re.IGNORECASE
    )
    units = "|".join(f"(?P<u{i}>{rx})" for i, (rx, *_r) in enumerate(_FOREIGN_UNITS))
    link = r"(?:\s+de\s+|\s+d['\u2019]|\s*-\s*|\s+|)" if language in ("es", "fr") else r"(?:\s*-\s*|\s+|)"
    nouns = {}
    for lemma, forms in _FOREIGN_NOUNS.items():
        for f in forms.split():
            nouns[f.lower()] = lemma
    # German nouns are capitalised and adjectives come first ("zwei weitere Hänge"): one word may be skipped.
    if language == "de":
        noun = re.compile(r"\s+(?:[a-zäöüß]\w*\s+)?(?P<n>[A-ZÄÖÜ][\w-]*)")
    else:
        noun = re.compile(r"\s+(?P<n>[^\W\d_][\w'-]*)")
    age_left, age_right = _FOREIGN_AGE[language]
    months = _FOREIGN_MONTHS[language].replace(" ", "|")
    month = re.compile(rf"^(?:\.|\s+de|\s+del|)\s*(?:{months})\b", re.IGNORECASE)
    return _ForeignQuantityPatterns(
        number=number,
        words=words,
        scale=scale,
        scales=scales,
        unit=re.compile(rf"{link}(?:{units})(?![^\W\d_])"),
        noun=noun,
        nouns=nouns,
        approx=re.compile(_FOREIGN_APPROX[language], re.IGNORECASE),
        age_left=re.compile(age_left, re.IGNORECASE),
        age_right=re.compile(age_right),
        month=month,
    )


def _foreign_value(raw: str, p: _ForeignQuantityPatterns) -> float | None:
    low = raw.lower()
    if low in p.words:
        return p.words[low]
    digits = re.sub(r"[.\u00a0\u202f\s]", "", raw).replace(",", ".")
    try:
        return float(digits)
    except ValueError:
        return None


def extract_quantities_foreign(
    text: str, sentences: Sequence[Sentence], article_id: str, language: str
) -> tuple[Quantity, ...]:
    """Quantities of a Spanish, French or German text in the English reader's canonical units.

    () for a language without rules: English rules on foreign text would misread words as units.
    """
    p = _foreign_quantity_patterns(language)
    if p is None or not text:
        return ()
    sentence_at = sentence_locator(sentences)
    out: list[Quantity] = []
    for m in p.number.finditer(text):
        start, end = m.span()
        raw = m.group()
        value = _foreign_value(raw, p)
        if value is None:
            continue
        is_words = m["words"] is not None
        after = text[end : end + 16]
        if not is_words and (_FOREIGN_NOT_AFTER.match(after) or _FOREIGN_NOT_BEFORE.search(text, max(0, start - 12), start)):
            continue  # a clock time
        if p.month.match(after) or re.match(r"[^\W\d_]", after[:1]) or re.match(r"-\d|/\d|\.\d|\d", after[:2]):
            continue  # a date ("9 de marzo", "6 mars", "9. März"), an ordinal ("117e"), a range or score
        if not is_words and re.fullmatch(r"\d{4}", raw) and 1800 <= value <= 2100:
            continue  # a year
        pos = end
        if sc := p.scale.match(text, pos):
            value *= p.scales[sc["s"].lower()]
            pos = sc.end()
        found: tuple[int, float, str, str] | None = None  # (end, value, unit, dimension)
        ar = p.age_right.match(text[pos:])
        if ar and (ar.group().startswith("-") or p.age_left.search(text, max(0, start - 25), start)):
            found = (pos + ar.end(), value, "years", "age")  # "de 59 años", "59 ans", "36-jährige"
        elif (u := p.unit.match(text, pos)) and u.lastgroup:
            _rx, factor, unit, dim = _FOREIGN_UNITS[int(u.lastgroup[1:])]
            found = (u.end(), value * factor, unit, dim)
        elif (n := p.noun.match(text, pos)) and (lemma := p.nouns.get(n["n"].lower())):
            if lemma == "year":  # not an age (that was read above): a duration
                found = (n.end(), value * 31556952.0, "s", "duration")
            else:
                found = (n.end(), value, lemma, "count")
        elif (n := p.noun.match(text, pos)) and not is_words:
            word = n["n"]
            if language == "de" or word.islower():
                found = (n.end(), value, word.lower(), "count")  # an unmapped noun compares within its language
        if found is None:
            continue
        q_start = start
        if found[3] != "age" and (ap := p.approx.search(text, max(0, start - 30), start)):
            q_start = ap.start()
        q_end = found[0]
        if "\n" in text[q_start:q_end] or (sentences and sentence_at(q_start) != sentence_at(q_end - 1)):
            continue
        if out and q_start < out[-1].end:
            continue
        out.append(
            Quantity(
                article_id, sentence_at(q_start), q_start, q_end, text[q_start:q_end], found[1], found[2], found[3]
            )
        )
    return tuple(out)
