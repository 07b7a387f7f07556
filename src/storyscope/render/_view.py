"""Look-ups every renderer needs, computed once per report.

The renderers only *present* a report; they never re-derive findings. What they
share is how articles are numbered for citations (their order in the report,
from 1), how evidence is cited safely, and how long lists are capped, so text,
Markdown and HTML say the same thing in the same order.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from storyscope.compare.entities import name_form
from storyscope.records import Evidence, Fact, StoryReport

T = TypeVar("T")

#: Longest list a text or Markdown section shows before "... and N more".
#: HTML shows everything (it is the drill-down view) except where noted.
CAP = 15

_COVERAGE_RANK = {"all": 3, "some": 2, "one": 1}


def fmt_date(value: dt.date | None, granularity: str = "day") -> str:
    """ISO date cut to what is actually known (``2026-03`` for a month-only date)."""
    if value is None:
        return "undated"
    if granularity == "year":
        return f"{value.year:04d}"
    if granularity == "month":
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def finite(value: float) -> float | None:
    """JSON has no NaN/inf; an unusable number becomes null instead of invalid output."""
    return value if isinstance(value, int | float) and math.isfinite(value) else None


def capped(items: Sequence[T], cap: int = CAP) -> tuple[Sequence[T], int]:
    """The first ``cap`` items and how many were left out."""
    return items[:cap], max(0, len(items) - cap)


def one_line(text: str, limit: int | None = None) -> str:
    """Collapse whitespace (article text keeps its newlines) and optionally shorten."""
    flat = " ".join(text.split())
    if limit is not None and len(flat) > limit:
        return flat[: max(0, limit - 1)].rstrip() + "…"
    return flat


@dataclass
class ReportView:
    """A report plus the indexes the renderers share (built once, read many times)."""

    report: StoryReport
    numbers: dict[str, int] = field(init=False)
    source_of: dict[str, str] = field(init=False)
    texts: dict[str, str] = field(init=False)
    facts_by_id: dict[str, Fact] = field(init=False)
    omitted: set[tuple[str, str]] = field(init=False)
    sentence_fact: dict[tuple[str, int], Fact] = field(init=False)
    conflict_sentences: set[tuple[str, int]] = field(init=False)
    conflicted_facts: set[str] = field(init=False)

    def __post_init__(self) -> None:
        r = self.report
        self.numbers = {}
        for a in r.articles:
            self.numbers.setdefault(a.id, len(self.numbers) + 1)
        self.source_of = {a.id: a.article.source for a in r.articles}
        self.texts = {a.id: a.article.text for a in r.articles}
        self.facts_by_id = {f.id: f for f in r.facts}
        self.omitted = {(o.source, o.fact_id) for o in r.omissions}
        # A sentence can sit in several facts (clauses); colour it by its widest coverage.
        self.sentence_fact = {}
        for fact in r.facts:
            for ev in fact.evidence:
                key = (ev.article_id, ev.sentence_index)
                old = self.sentence_fact.get(key)
                if old is None or _COVERAGE_RANK.get(fact.coverage, 0) > _COVERAGE_RANK.get(old.coverage, 0):
                    self.sentence_fact[key] = fact
        # Only open conflicts mark sentences and facts: a resolved one was settled by a later version.
        self.conflicted_facts = {c.fact_id for c in r.conflicts if c.fact_id and c.status == "open"}
        self.conflict_sentences = {
            (ev.article_id, ev.sentence_index)
            for c in r.conflicts
            if c.status == "open"
            for side in c.sides
            for ev in side.evidence
        }

    # ------------------------------------------------------------------ citing

    def cite(self, ev: Evidence) -> str:
        """The cited text; empty (not a traceback) when evidence points at a missing article."""
        text = self.texts.get(ev.article_id)
        if text is None:
            return ""
        return text[max(0, ev.start) : max(0, ev.end)]

    def number(self, article_id: str) -> int | None:
        return self.numbers.get(article_id)

    def source(self, article_id: str) -> str:
        return self.source_of.get(article_id, article_id)

    def article_numbers(self, evidence: Iterable[Evidence]) -> list[int]:
        """Distinct article numbers cited, in order (unknown articles are skipped)."""
        return sorted({n for ev in evidence if (n := self.numbers.get(ev.article_id)) is not None})

    def markers(self, evidence: Iterable[Evidence]) -> str:
        """``[1][3]``: one marker per cited article, for the terminal."""
        return "".join(f"[{n}]" for n in self.article_numbers(evidence))

    def md_cite(self, ev: Evidence) -> str:
        n = self.numbers.get(ev.article_id)
        return f"[A{n}:s{ev.sentence_index}]" if n is not None else f"[{ev.article_id}:s{ev.sentence_index}]"

    def md_cites(self, evidence: Iterable[Evidence]) -> str:
        """``[A1:s3][A2:s0]``: every distinct cited sentence, in article order."""
        seen: dict[tuple[int, int], Evidence] = {}
        for ev in evidence:
            key = (self.numbers.get(ev.article_id, 10**9), ev.sentence_index)
            seen.setdefault(key, ev)
        return "".join(self.md_cite(seen[k]) for k in sorted(seen))

    # ------------------------------------------------------------------ facts

    def missing_sources(self, fact: Fact) -> tuple[str, ...]:
        """Outlets in the story that do not report this fact."""
        have = set(fact.sources)
        return tuple(s for s in self.report.sources if s not in have)

    def facts_with(self, coverage: str) -> list[Fact]:
        facts = [f for f in self.report.facts if f.coverage == coverage]
        if coverage == "one":
            # "Top" single-outlet facts: those nearest the top of their article (the lead
            # carries what the outlet thinks matters), then by article order.
            facts.sort(key=lambda f: (self._earliest(f), self._first_article(f)))
        return facts

    def _earliest(self, fact: Fact) -> int:
        return min((ev.sentence_index for ev in fact.evidence), default=10**9)

    def _first_article(self, fact: Fact) -> int:
        return min((self.numbers.get(ev.article_id, 10**9) for ev in fact.evidence), default=10**9)

    def date_range(self) -> str:
        dates = sorted(a.article.published for a in self.report.articles if a.article.published)
        if not dates:
            return "no publication dates"
        if dates[0] == dates[-1]:
            return dates[0].isoformat()
        return f"{dates[0].isoformat()} to {dates[-1].isoformat()}"

    def headline(self) -> str:
        n = len(self.report.articles)
        outlets = len(self.report.sources)
        return (
            f"{n} article{'s' if n != 1 else ''} from {outlets} outlet{'s' if outlets != 1 else ''}, "
            f"{self.date_range()}"
        )

    # ------------------------------------------------------------------ languages

    def language(self, article_id: str) -> str:
        """The article's ISO 639-1 code ("en" when unknown, as the pipeline treats it)."""
        for a in self.report.articles:
            if a.id == article_id:
                return a.article.language or "en"
        return "en"

    def languages(self) -> list[str]:
        """Languages of the story's articles, most articles first."""
        counts: dict[str, int] = {}
        for a in self.report.articles:
            lang = a.article.language or "en"
            counts[lang] = counts.get(lang, 0) + 1
        return sorted(counts, key=lambda lang: (-counts[lang], lang))

    def multilingual(self) -> bool:
        return len(self.languages()) > 1

    def cross_language_facts(self) -> list[Fact]:
        """Facts whose sentences come from articles in more than one language, widest first."""
        out = [f for f in self.report.facts if len({self.language(ev.article_id) for ev in f.evidence}) > 1]
        out.sort(key=lambda f: (-len(f.sources), self._first_article(f), self._earliest(f)))
        return out

    def aliased_entities(self) -> list:
        """Entities that outlets name differently (the interesting ones).

        One outlet's "Dawn Johnsen" then "Johnsen" is how articles refer back, not a difference
        between outlets; so is every outlet's "Donald Trump" then "Trump". An entity is listed
        when the outlets' fullest names for it differ: "Kalvarro" / "Kalvaro", or one outlet's
        "Lena Voss" where another only ever writes "Voss".
        """
        return [e for e in self.report.entities if _named_differently(e)]

    def quotes_by_speaker(self) -> list[tuple[str, list]]:
        """Quote groups under their speaker, most-quoted first; unattributed last."""
        groups: dict[str, list] = {}
        for g in self.report.quote_groups:
            groups.setdefault(g.speaker or "", []).append(g)
        order = sorted(groups, key=lambda s: (s == "", -len(groups[s]), s.lower()))
        return [(s or "Unattributed", groups[s]) for s in order]


def _named_differently(entity) -> bool:
    """Whether outlets differ in their fullest names for ``entity`` (see ``aliased_entities``)."""
    forms_of: dict[str, set[str]] = {}
    for n in entity.names:
        forms_of.setdefault(n.source, set()).add(name_form(n.name))
    if len(forms_of) < 2 or len(set().union(*forms_of.values())) < 2:
        return False
    fullest = []
    for forms in forms_of.values():
        # A form that is a part of another form this outlet uses ("trump" of "donald trump") is a
        # reference back; an outlet that only ever writes the short form keeps it.
        fullest.append(frozenset(f for f in forms if not any(set(f.split()) < set(g.split()) for g in forms)))
    return len(set(fullest)) > 1
