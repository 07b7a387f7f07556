"""The report as ONE self-contained HTML page (inline CSS and JS, no network).

Articles are untrusted input: every piece of article-derived text goes through
``html.escape`` and links are only made for http(s) URLs. A Content-Security-
Policy with the hashes of our own inline style and script means a browser will
neither load anything from the network nor run any script but ours, even if
something slipped through the escaping.

Each sentence is ``<span class="sent cov-…" id="s-<article_id>-<index>">`` with
data attributes; anything clickable carries ``data-targets`` (sentence ids) and
report.js highlights those sentences (class ``highlight``) and scrolls to them.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import re
from collections.abc import Iterable, Sequence
from functools import cache
from importlib.resources import files

from storyscope.compare.versions import superseded_ids, version_notes
from storyscope.records import AnnotatedArticle, Conflict, Evidence, Fact, StoryReport
from storyscope.render._view import ReportView, fmt_date, one_line

#: Width of one character of a coverage-plot group label (11px, upper case, letter-spaced).
_LABEL_CHAR_W = 7.6

_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_.:-]")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_COVERAGE_LABEL = {"all": "reported by all", "some": "reported by some", "one": "single outlet"}


def _gap_text(days: int) -> str:
    """A compressed gap on the timeline axis, roughly: "41 d", "5 mo", "3 yr"."""
    if days < 60:
        return f"{days} d"
    if days < 730:
        return f"{round(days / 30.4)} mo"
    return f"{round(days / 365.25)} yr"


def esc(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


@cache
def _asset(name: str) -> str:
    return files("storyscope.render").joinpath(name).read_text(encoding="utf-8")


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def html_document(
    *, title: str, header: str, main: str, script: bool = True, form_action: str = "'none'"
) -> str:
    """A complete page with our stylesheet (and script) inline, locked down by a CSP.

    The policy allows only our own inline style and script (by hash) and ``data:``
    images, so the page loads nothing from the network even if a bug let markup
    through. ``form_action`` is ``'self'`` for pages with a search form.
    ``title`` is plain text; ``header`` and ``main`` are markup built by the caller.
    """
    css = _asset("report.css")
    js = _asset("report.js") if script else ""
    script_src = f"'{_sha256(js)}'" if script else "'none'"
    csp = (
        f"default-src 'none'; style-src '{_sha256(css)}'; script-src {script_src}; "
        f"img-src data:; base-uri 'none'; form-action {form_action}"
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(csp)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{esc(title)}</title>\n"
        f"<style>{css}</style>\n</head>\n<body>\n"
        f"{header}\n{main}\n" + (f"<script>{js}</script>\n" if script else "") + "</body>\n</html>\n"
    )


class ReportPage:
    """Builds the page; holds the report view and the sentence-id scheme."""

    def __init__(self, report: StoryReport) -> None:
        self.v = ReportView(report)
        self.r = report
        # Article ids are free text; element ids must be safe in href fragments.
        self.slug: dict[str, str] = {}
        used: set[str] = set()
        for a in report.articles:
            slug = _ID_UNSAFE.sub("_", a.id) or "article"
            if slug in used:
                slug = f"{slug}_{self.v.number(a.id)}"
            used.add(slug)
            self.slug[a.id] = slug

    # ------------------------------------------------------------------ ids and links

    def sid(self, article_id: str, index: int) -> str:
        return f"s-{self.slug.get(article_id, _ID_UNSAFE.sub('_', article_id))}-{index}"

    def targets(self, evidence: Iterable[Evidence]) -> str:
        seen: dict[str, None] = {}
        for ev in evidence:
            seen.setdefault(self.sid(ev.article_id, ev.sentence_index), None)
        return " ".join(seen)

    def cites(self, evidence: Sequence[Evidence]) -> str:
        """One superscript [n] link per cited article, targeting all its cited sentences."""
        by_article: dict[str, list[Evidence]] = {}
        for ev in evidence:
            by_article.setdefault(ev.article_id, []).append(ev)
        links = []
        for aid in sorted(by_article, key=lambda a: self.v.number(a) or 10**9):
            evs = by_article[aid]
            n = self.v.number(aid)
            label = f"[{n}]" if n is not None else f"[{esc(aid)}]"
            sents = ", ".join(f"s{ev.sentence_index}" for ev in evs)
            title = f"{self.v.source(aid)}, sentence {sents}"
            links.append(
                f'<a class="cite" href="#{esc(self.sid(aid, evs[0].sentence_index))}" '
                f'data-targets="{esc(self.targets(evs))}" title="{esc(title)}">{label}</a>'
            )
        return f'<span class="cites">{"".join(links)}</span>' if links else ""

    def clickable(self, text: str, evidence: Sequence[Evidence], title: str = "") -> str:
        t = f' title="{esc(title)}"' if title else ""
        return (
            f'<button type="button" class="link" data-targets="{esc(self.targets(evidence))}"{t}>'
            f"{esc(text)}</button>"
        )

    # ------------------------------------------------------------------ page

    def sections(self) -> list[tuple[str, str, str, int | None]]:
        """(anchor, title, html, count or None) for every section, in reading order."""
        r = self.r
        return [
            ("summary", "Summary", self.summary(), None),
            ("articles", "Articles side by side", self.articles(), None),
            ("facts", "Coverage matrix", self.matrix(), len(r.facts)),
            *self.languages_section(),
            ("copies", "Wire copies and reprints", self.copies(), len(r.copies)),
            ("conflicts", "Conflicts", self.conflicts(), len(r.conflicts)),
            ("versions", "Corrections and updates", self.versions(), len(r.versions)),
            ("quotes", "Who said what", self.quotes(), len(r.quote_groups)),
            ("ledger", "Quote ledger", self.ledger(), len(r.quote_ledger)),
            ("timeline", "Timeline", self.timeline(), len(r.timeline)),
            ("framing", "Framing", self.framing(), len(r.framing)),
            ("entities", "Entities and aliases", self.entities(), len(r.entities)),
            ("dropped", "Dropped lines", self.dropped(), len(r.dropped)),
            ("problems", "Failures and notices", self.problems(), len(r.failures) + len(r.notices)),
        ]

    def toc_and_main(self) -> tuple[str, str]:
        """The section links (for a page header) and the ``<main>`` element with every section."""
        sections = self.sections()
        toc = " ".join(
            f'<a href="#{key}">{esc(title)}' + (f" ({count})" if count is not None else "") + "</a>"
            for key, title, _, count in sections
        )
        body = "\n".join(
            f'<section id="{key}"><h2>{esc(title)}'
            + (f' <span class="count">({count})</span>' if count is not None else "")
            + f"</h2>\n{content}\n</section>"
            for key, title, content, count in sections
        )
        main = (
            f"<main>\n{body}\n"
            "<footer>Made by storyscope. Every finding links to the sentences it rests on; "
            "article text is shown as cleaned, exactly as cited.</footer>\n</main>"
        )
        return f'<nav class="toc">{toc}</nav>', main

    def build(self) -> str:
        toc, main = self.toc_and_main()
        generated = f" · generated {esc(self.r.generated)}" if self.r.generated else ""
        header = (
            '<header class="top"><h1>Story comparison</h1>'
            f'<p class="meta">{esc(self.v.headline())}{generated} · schema {esc(self.r.schema_version)}</p>'
            f"{toc}</header>"
        )
        return html_document(title=f"Story comparison: {self.v.headline()}", header=header, main=main)

    # ------------------------------------------------------------------ sections

    def summary(self) -> str:
        if not self.r.summary:
            return '<p class="empty">No summary.</p>'
        items = "".join(f"<li>{esc(one_line(s.text))}{self.cites(s.citations)}</li>" for s in self.r.summary)
        return f'<ol class="summary">{items}</ol>'

    def articles(self) -> str:
        legend = (
            '<div class="legend">'
            '<span><span class="sw cov-all"></span>reported by all outlets</span>'
            '<span><span class="sw cov-some"></span>reported by some</span>'
            '<span><span class="sw cov-one"></span>single outlet</span>'
            '<span><span class="sw conflict"></span>in a conflict</span>'
            '<span><span class="sw highlight"></span>selected evidence</span>'
            '<span class="hint">Click a sentence to see the same fact in the other articles; '
            "Esc clears.</span></div>"
        )
        cols = "\n".join(self.column(a) for a in self.r.articles)
        return f'{legend}<div class="columns" id="columns">\n{cols}\n</div>'

    def column(self, a: AnnotatedArticle) -> str:
        art = a.article
        n = self.v.number(art.id)
        title = esc(one_line(art.title or "(untitled)"))
        url = art.url or ""
        if url.lower().startswith(("https://", "http://")):
            # A link the reader may follow; never a resource the page loads.
            title = f'<a href="{esc(url)}" rel="noopener noreferrer nofollow" target="_blank">{title}</a>'
        small = [fmt_date(art.published), f"{len(a.sentences)} sentences", f"id {art.id}"]
        lang = ""
        if self.v.multilingual():
            small.insert(0, f"language {self.v.language(art.id)}")
            lang = f' lang="{esc(self.v.language(art.id))}"'  # screen readers and hyphenation
        if url and not url.lower().startswith(("https://", "http://")):
            small.append(f"url {url}")
        head = (
            f'<header><div><span class="num">{n}</span><span class="outlet">{esc(art.source)}</span></div>'
            f'<div class="title">{title}</div><div class="small">{esc(" · ".join(small))}</div></header>'
        )
        return (
            f'<article class="col" id="a-{esc(self.slug[art.id])}" data-article="{esc(art.id)}"{lang}>{head}'
            f'<div class="col-body">{self.sentences(a)}</div></article>'
        )

    def sentences(self, a: AnnotatedArticle) -> str:
        """The whole cleaned text; sentences as spans, the gaps between them as escaped text."""
        text = a.article.text
        out: list[str] = []
        cursor = 0
        for s in sorted(a.sentences, key=lambda s: (s.start, s.index)):
            start, end = max(s.start, cursor), min(max(s.end, 0), len(text))
            if end <= start:
                continue  # overlapping or empty span in odd input: skip, text is still shown
            out.append(esc(text[cursor:start]))
            out.append(self.sentence(a, s.index, text[start:end]))
            cursor = end
        out.append(esc(text[cursor:]))
        return "".join(out)

    def sentence(self, a: AnnotatedArticle, index: int, text: str) -> str:
        key = (a.id, index)
        fact = self.v.sentence_fact.get(key)
        classes = ["sent", f"cov-{fact.coverage}" if fact else "cov-none"]
        conflict = key in self.v.conflict_sentences
        if conflict:
            classes.append("conflict")
        sid = self.sid(a.id, index)
        attrs = [
            f'id="{esc(sid)}"',
            f'class="{" ".join(classes)}"',
            f'data-article="{esc(a.id)}"',
            f'data-index="{index}"',
            'tabindex="0"',
        ]
        if fact is not None:
            attrs.append(f'data-fact="{esc(fact.id)}"')
            attrs.append(f'data-coverage="{esc(fact.coverage)}"')
            attrs.append(f'data-targets="{esc(self.targets(fact.evidence) or sid)}"')
            title = (
                f"{fact.id}: {_COVERAGE_LABEL.get(fact.coverage, fact.coverage)} ({', '.join(fact.sources)})"
            )
            missing = self.v.missing_sources(fact)
            if missing:
                title += f"; not in {', '.join(missing)}"
            if fact.independent_sources and len(fact.independent_sources) < len(fact.sources):
                title += f"; {len(fact.sources)} outlets ({len(fact.independent_sources)} independent)"
        else:
            attrs.append(f'data-targets="{esc(sid)}"')
            title = "not aligned with any fact"
        if conflict:
            title += "; in a conflict"
        attrs.append(f'title="{esc(title)}"')
        return f"<span {' '.join(attrs)}>{esc(text)}</span>"

    def matrix(self) -> str:
        facts: list[Fact] = []
        groups: list[tuple[str, list[Fact]]] = [
            ("Reported by all", self.v.facts_with("all")),
            ("Reported by some", self.v.facts_with("some")),
            ("Single outlet", self.v.facts_with("one")),
        ]
        for _, fs in groups:
            facts.extend(fs)
        if not facts:
            return '<p class="empty">No facts.</p>'
        sources = self.r.sources
        conflicted = self.v.conflicted_facts
        head = "".join(f'<th class="outlet" scope="col">{esc(s)}</th>' for s in sources)
        rows: list[str] = []
        for label, fs in groups:
            if not fs:
                continue
            rows.append(
                f'<tr class="group"><th colspan="{len(sources) + 1}">{esc(label)} ({len(fs)})</th></tr>'
            )
            for f in fs:
                badges = f' <span class="badge cov-{esc(f.coverage)}">{len(f.sources)}/{len(sources)}</span>'
                if f.id in conflicted:
                    badges += ' <span class="badge conflict">conflict</span>'
                if f.independent_sources and len(f.independent_sources) < len(f.sources):
                    badges += (
                        f' <span class="badge copies" title="{len(f.sources)} outlets, counting each wire copy '
                        f'once: {esc(", ".join(f.independent_sources))}">{len(f.sources)} outlets '
                        f'({len(f.independent_sources)} independent)</span>'
                    )
                cells = []
                have = set(f.sources)
                for s in sources:
                    if s in have:
                        evs = [ev for ev in f.evidence if self.v.source(ev.article_id) == s]
                        cells.append(
                            f'<td class="cell"><button type="button" class="dot cov-{esc(f.coverage)}" '
                            f'data-targets="{esc(self.targets(evs))}" title="{esc(s)} reports this" '
                            f'aria-label="{esc(s)} reports this"></button></td>'
                        )
                    elif (s, f.id) in self.v.omitted:
                        cells.append(
                            f'<td class="cell"><span class="omit-mark" title="{esc(s)} leaves this out '
                            'while most others report it">omits</span></td>'
                        )
                    else:
                        cells.append('<td class="cell"></td>')
                text = self.clickable(one_line(f.text, 220), f.evidence, f"{f.id}: show the evidence")
                rows.append(
                    f'<tr id="fact-{esc(f.id)}"><td class="fact">{text}{badges}</td>{"".join(cells)}</tr>'
                )
        return (
            f"{self.matrix_plot(groups)}"
            '<p class="hint">The same facts as a table: rows are facts (aligned sentences), columns are '
            "outlets. Click a fact or a dot to highlight its sentences in the articles.</p>"
            f'<div class="scroll"><table class="matrix"><thead><tr><th scope="col">Fact</th>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>"
        )

    # ------------------------------------------------------------------ plots (inline SVG)

    def matrix_plot(self, groups: list[tuple[str, list[Fact]]]) -> str:
        """Outlets by facts as a grid of squares: who reports what, and what each one leaves out.

        Styled by class only (the CSP forbids inline styles); every filled square
        carries ``data-targets`` so a click shows that outlet's sentences.
        """
        sources = self.r.sources
        conflicted = self.v.conflicted_facts
        # Squares shrink as facts grow so a typical story fits a laptop screen; past that it scrolls.
        step = max(9, min(17, 860 // max(1, sum(len(fs) for _, fs in groups))))
        cell, group_gap = step - 3, 12
        k = cell - 6  # the omission cross
        label_w = min(240, 24 + 8 * max((len(s) for s in sources), default=4))  # bold lane labels
        # Group labels go on the first row where they fit after the previous label: a group of one
        # or two facts is narrower than its label, and labels on one row would overprint.
        placed: list[tuple[list[Fact], int, str]] = []  # a group's facts, its label's row and text
        ends: list[float] = []  # right edge of the last label on each row
        x = label_w
        for label, fs in groups:
            if not fs:
                continue
            text = f"{label.lower()} ({len(fs)})"
            row = next((r for r, end in enumerate(ends) if x >= end), len(ends))
            if row == len(ends):
                ends.append(0.0)
            ends[row] = x + _LABEL_CHAR_W * len(text) + 8
            placed.append((fs, row, text))
            x += len(fs) * step + group_gap
        top = 28 + 13 * max(1, len(ends))
        counts = dict.fromkeys(sources, 0)
        parts: list[str] = []
        x = label_w
        for fs, row, text in placed:
            parts.append(f'<text class="group-label" x="{x}" y="{12 + 13 * row}">{esc(text)}</text>')
            parts.append(
                f'<line class="group-rule" x1="{x}" x2="{x + len(fs) * step - (step - cell)}" '
                f'y1="{top - 12}" y2="{top - 12}"/>'
            )
            for f in fs:
                have = set(f.sources)
                about = f"{f.id}: {one_line(f.text, 160)}"
                if f.id in conflicted:
                    parts.append(
                        f'<circle class="conflict-mark" cx="{x + cell / 2}" cy="{top - 5}" r="3">'
                        f"<title>{esc(f.id)} is in a conflict</title></circle>"
                    )
                for i, s in enumerate(sources):
                    y = top + i * step
                    box = f'x="{x}" y="{y}" width="{cell}" height="{cell}" rx="2"'
                    if s in have:
                        counts[s] += 1
                        evs = [ev for ev in f.evidence if self.v.source(ev.article_id) == s] or f.evidence
                        tip = f"{s} reports {about}"
                        parts.append(
                            f'<rect class="cell cov-{esc(f.coverage)}" {box} data-targets="{esc(self.targets(evs))}" '
                            f'tabindex="0" role="button" aria-label="{esc(tip)}"><title>{esc(tip)}</title></rect>'
                        )
                    elif (s, f.id) in self.v.omitted:
                        tip = f"{s} leaves out {about}"
                        parts.append(
                            f'<rect class="cell omit" {box}><title>{esc(tip)}</title></rect>'
                            f'<path class="omit-x" d="M{x + 3} {y + 3}l{k} {k}m0 -{k}l-{k} {k}"/>'
                        )
                    else:
                        parts.append(f'<rect class="cell none" {box}/>')
                x += step
            x += group_gap
        right = x - group_gap - (step - cell) + 10
        for i, s in enumerate(sources):
            y = top + i * step + cell / 2
            parts.append(f'<text class="lane-label" x="{label_w - 8}" y="{y}">{esc(s)}</text>')
            parts.append(f'<text class="lane-count" x="{right}" y="{y}">{counts[s]} facts</text>')
        width, height = right + 70, top + len(sources) * step + 4
        legend = (
            '<figcaption class="legend">'
            '<span><span class="sw dot-all"></span>reported by all</span>'
            '<span><span class="sw dot-some"></span>by some</span>'
            '<span><span class="sw dot-one"></span>by one outlet</span>'
            '<span><span class="sw omit"></span>left out while most others report it</span>'
            '<span><span class="sw conflict-dot"></span>fact in a conflict</span>'
            '<span class="hint">Each column is a fact; click a square to see that outlet\'s sentence.</span>'
            "</figcaption>"
        )
        return (
            '<figure class="plot" id="coverage-plot"><div class="plot-scroll">'
            f'<svg class="matrix-plot" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
            f'role="img" aria-label="Coverage matrix: outlets by facts">{"".join(parts)}</svg>'
            f"</div>{legend}</figure>"
        )

    def timeline_plot(self) -> str:
        """Dated events on a time axis, one lane per outlet, plus when each article was published.

        Distinct dates get their own tick; long gaps are compressed and labelled
        (a story with one event years earlier must not squash everything else).
        """
        events: dict[tuple[dt.date, str], list] = {}
        grans: dict[dt.date, set[str]] = {}
        for t in self.r.timeline:
            for source in sorted({self.v.source(a) for a in t.article_ids if a in self.v.numbers}):
                events.setdefault((t.date, source), []).append(t)
                grans.setdefault(t.date, set()).add(t.granularity)
        pubs: dict[tuple[dt.date, str], list[AnnotatedArticle]] = {}
        for a in self.r.articles:
            if a.article.published is not None:
                pubs.setdefault((a.article.published, a.article.source), []).append(a)
                grans.setdefault(a.article.published, set()).add("day")
        if not events:
            return ""
        lanes = [s for s in self.r.sources if any(k[1] == s for k in (*events, *pubs))]
        label_w = min(240, 24 + 8 * max(len(s) for s in lanes))  # bold lane labels
        lane_h, top = 28, 6
        axis_y = top + len(lanes) * lane_h + 4
        dates = sorted(grans)
        gran_of = {d: "day" if "day" in gs else "month" if "month" in gs else "year" for d, gs in grans.items()}
        ticks = {
            d: {"day": f"{d.day} {_MONTHS[d.month - 1]}", "month": f"{_MONTHS[d.month - 1]} {d.year}"}.get(g, str(d.year))
            for d, g in gran_of.items()
        }
        xs: dict[dt.date, float] = {}
        parts: list[str] = []
        x = label_w + 28
        for i, d in enumerate(dates):
            if i:
                gap = (d - dates[i - 1]).days
                step = 52 + min(max(gap - 1, 0), 2) * 14
                if gap > 10:
                    # The gap label sits between two tick labels on their line: room for all three.
                    gap_text = "+" + _gap_text(gap)
                    step = max(step, 3.6 * (len(ticks[dates[i - 1]]) + len(ticks[d])) + 6.5 * len(gap_text) + 24)
                    mid = x + step / 2
                    parts.append(
                        f'<path class="axis-break" d="M{mid - 5} {axis_y + 4}l4 -8m3 8l4 -8"/>'
                        f'<text class="gap-label" x="{mid}" y="{axis_y + 18}">{esc(gap_text)}</text>'
                    )
                x += step
            xs[d] = x
        width, height = int(x + 48), axis_y + 36
        for i, s in enumerate(lanes):
            y = top + i * lane_h
            if i % 2 == 0:
                parts.insert(
                    0,
                    f'<rect class="lane" x="{label_w}" y="{y}" width="{width - label_w}" height="{lane_h}"/>',
                )
            parts.append(f'<text class="lane-label" x="{label_w - 8}" y="{y + lane_h / 2}">{esc(s)}</text>')
        parts.append(f'<line class="axis" x1="{label_w}" x2="{width - 8}" y1="{axis_y}" y2="{axis_y}"/>')
        last_year = None
        for d in dates:
            gran = gran_of[d]
            parts.append(f'<line class="grid" x1="{xs[d]}" x2="{xs[d]}" y1="{top}" y2="{axis_y + 3}"/>')
            parts.append(
                f'<text class="tick" x="{xs[d]}" y="{axis_y + 16}"><title>{esc(fmt_date(d, gran))}</title>'
                f"{esc(ticks[d])}</text>"
            )
            if gran == "day" and d.year != last_year:
                parts.append(f'<text class="tick year" x="{xs[d]}" y="{axis_y + 30}">{d.year}</text>')
            last_year = d.year
        for (d, source), arts in sorted(pubs.items()):
            cx, cy = xs[d], top + lanes.index(source) * lane_h + lane_h / 2
            r = 10 if (d, source) in events else 6
            tip = "; ".join(
                f"{source} published “{one_line(a.article.title or '(untitled)', 100)}”" for a in arts
            )
            first = [self.sid(a.id, min(s.index for s in a.sentences)) for a in arts if a.sentences]
            click = (
                f'data-targets="{esc(" ".join(first))}" tabindex="0" role="button" aria-label="{esc(tip)}" '
                if first
                else ""
            )
            parts.append(
                f'<path class="pub" d="M{cx} {cy - r}l{r} {r}l-{r} {r}l-{r} -{r}z" {click}>'
                f"<title>{esc(fmt_date(d))}: {esc(tip)}</title></path>"
            )
        for (d, source), evs in sorted(events.items()):
            cx, cy = xs[d], top + lanes.index(source) * lane_h + lane_h / 2
            evidence = [ev for t in evs for ev in t.evidence if self.v.source(ev.article_id) == source] or [
                ev for t in evs for ev in t.evidence
            ]
            tip = f"{source}, {fmt_date(d, evs[0].granularity)}: " + " / ".join(
                one_line(t.text, 140) for t in evs
            )
            count = f'<text class="count" x="{cx}" y="{cy}">{len(evs)}</text>' if len(evs) > 1 else ""
            parts.append(
                f'<g class="event" data-targets="{esc(self.targets(evidence))}" tabindex="0" role="button" '
                f'aria-label="{esc(tip)}"><title>{esc(tip)}</title>'
                f'<circle cx="{cx}" cy="{cy}" r="{7 if len(evs) > 1 else 6}"/>{count}</g>'
            )
        legend = (
            '<figcaption class="legend">'
            '<span><span class="sw ev-dot"></span>event the outlet reports (number: several)</span>'
            '<span><span class="sw pub-mark"></span>article published</span>'
            '<span class="hint">Click a mark to see its sentences.</span></figcaption>'
        )
        return (
            '<figure class="plot" id="timeline-plot"><div class="plot-scroll">'
            f'<svg class="timeline-plot" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
            f'role="img" aria-label="Timeline of dated events by outlet">{"".join(parts)}</svg>'
            f"</div>{legend}</figure>"
        )

    def languages_section(self) -> list[tuple[str, str, str, int | None]]:
        """The "Across languages" section, only for a story told in more than one language."""
        if not self.v.multilingual():
            return []
        return [("languages", "Across languages", self.across_languages(), len(self.v.cross_language_facts()))]

    def across_languages(self) -> str:
        """Facts reported in several languages, each outlet's original sentence with its language."""
        facts = self.v.cross_language_facts()
        langs = ", ".join(self.v.languages())
        hint = (
            f'<p class="hint">Articles in {esc(langs)}: facts aligned across languages, each with every '
            "outlet's own sentence in its original language.</p>"
        )
        if not facts:
            return hint + '<p class="empty">No fact was aligned across languages.</p>'
        items = []
        for f in facts:
            evs = sorted(f.evidence, key=lambda e: (self.v.number(e.article_id) or 0, e.sentence_index))
            rows = "".join(
                f'<li><span class="muted">{esc(self.v.language(ev.article_id))}</span> '
                f"<strong>{esc(self.v.source(ev.article_id))}</strong>: "
                f'<q lang="{esc(self.v.language(ev.article_id))}">{esc(one_line(self.v.cite(ev)))}</q>'
                f"{self.cites([ev])}</li>"
                for ev in evs
            )
            items.append(f"<li>{self.clickable(one_line(f.text, 200), f.evidence, f.id)}<ul>{rows}</ul></li>")
        return f'{hint}<ul class="languages">{"".join(items)}</ul>'

    def copies(self) -> str:
        """Outlets that ran one text (an agency story, a reprint): counted once per fact."""
        if not self.r.copies:
            return '<p class="empty">No two outlets ran the same text.</p>'
        items = []
        for g in self.r.copies:
            what = f"<strong>{esc(g.credited)}</strong> copy" if g.credited else "The same text"
            runs = ", ".join(
                self.clickable(f"{self.v.source(aid)} [{self.v.number(aid)}]", self._lead(aid), aid)
                for aid in g.article_ids
            )
            items.append(
                f"<li>{what} run by {runs} "
                f'<span class="muted">(similarity ≥ {g.similarity:.2f}; counted once per fact)</span></li>'
            )
        return (
            '<p class="hint">Articles from different outlets that are one text, lightly edited. Each group '
            "counts as one independent source in the coverage matrix.</p>"
            f'<ul class="copies">{"".join(items)}</ul>'
        )

    def _lead(self, article_id: str) -> list[Evidence]:
        """The first sentence of an article, for a click that scrolls to it."""
        for a in self.r.articles:
            if a.id == article_id and a.sentences:
                return [a.sentences[0].evidence]
        return []

    def conflicts(self) -> str:
        if not self.r.conflicts:
            return '<p class="empty">No contradictions found.</p>'
        cards = []
        for c in self.r.conflicts:
            sides = []
            for side in c.sides:
                quotes = "".join(
                    f"<blockquote>{esc(one_line(self.v.cite(ev), 300))}{self.cites([ev])}"
                    f"{self.superseded_mark(ev)}</blockquote>"
                    for ev in side.evidence
                )
                sides.append(
                    f'<div class="side"><div class="value">{esc(side.value)}</div>'
                    f'<div class="muted">{esc(", ".join(side.sources))}</div>{quotes}</div>'
                )
            fact = ""
            if c.fact_id and c.fact_id in self.v.facts_by_id:
                f = self.v.facts_by_id[c.fact_id]
                fact = f'<div class="muted">fact {self.clickable(c.fact_id, f.evidence, one_line(f.text, 200))}</div>'
            all_ev = [ev for side in c.sides for ev in side.evidence]
            cards.append(
                f'<div class="card conflict-card" id="conflict-{esc(c.id)}">'
                f'<h3><span class="badge conflict">{esc(c.kind)}</span> {self.status_badge(c)} '
                f"{self.clickable(one_line(c.description), all_ev, 'show both sides in the articles')}</h3>"
                f'{fact}{self.resolution(c)}<div class="sides">{"".join(sides)}</div></div>'
            )
        return f'<div class="cards">{"".join(cards)}</div>'

    def status_badge(self, c: Conflict) -> str:
        cls = "cov-all" if c.status == "resolved" else "conflict"
        return f'<span class="badge {cls} status" title="conflict status">{esc(c.status)}</span>'

    def resolution(self, c: Conflict) -> str:
        """A resolved conflict names the later version's sentence that settled it."""
        if c.status != "resolved":
            return ""
        if c.resolved_by is None:
            return '<p class="muted">Resolved: a later version no longer states the superseded report.</p>'
        ev = c.resolved_by
        return (
            '<div class="resolved"><strong>Resolved</strong> by a later version of '
            f"{esc(self.v.source(ev.article_id))}:"
            f"<blockquote>{esc(one_line(self.v.cite(ev), 300))}{self.cites([ev])}</blockquote></div>"
        )

    def superseded_mark(self, ev: Evidence) -> str:
        if ev.article_id in superseded_ids(self.r.versions):
            return ' <span class="muted">(superseded version)</span>'
        return ""

    def versions(self) -> str:
        """Each outlet's versions of one article (updates, corrections) and what changed between them."""
        if not self.r.versions:
            return '<p class="empty">No outlet published more than one version of an article.</p>'
        cards = []
        for ch in self.r.versions:
            steps = " → ".join(
                f"[{self.v.number(aid)}] {esc(fmt_date(self.r.article(aid).article.published))}"
                for aid in ch.article_ids
                if self.v.number(aid) is not None
            )
            kind = '<span class="badge conflict">correction</span>'
            if not ch.correction:
                kind = '<span class="badge">update</span>'
            notes = "".join(
                f'<p class="muted">note: {esc(one_line(n, 400))}</p>'
                for n in version_notes(self.r.articles, ch)
            )
            rows = []
            for change in ch.changes:
                cells = []
                for ev in (change.before, change.after):
                    if ev is None:
                        cells.append("<td></td>")
                    else:
                        cells.append(f"<td>{esc(one_line(self.v.cite(ev), 300))}{self.cites([ev])}</td>")
                rows.append(
                    f'<tr><td><span class="badge">{esc(change.kind)}</span></td>{"".join(cells)}'
                    f"<td><strong>{esc(change.note)}</strong></td></tr>"
                )
            table = (
                '<div class="scroll"><table><thead><tr><th>Change</th><th>Older version</th>'
                "<th>Newer version</th><th>Figures</th></tr></thead>"
                f"<tbody>{''.join(rows)}</tbody></table></div>"
                if rows
                else '<p class="empty">No sentence changed.</p>'
            )
            cards.append(
                f'<div class="card version-card"><h3>{esc(ch.source)} {kind} '
                f'<span class="muted">{len(ch.article_ids)} versions: {steps}</span></h3>{notes}{table}</div>'
            )
        return f'<div class="cards">{"".join(cards)}</div>'

    def quotes(self) -> str:
        speakers = self.v.quotes_by_speaker()
        if not speakers:
            return '<p class="empty">No quotes.</p>'
        out = []
        for speaker, groups in speakers:
            items = []
            for g in groups:
                lines = []
                for q in g.quotes:
                    ev = Evidence(q.article_id, q.sentence_index, q.start, q.end)
                    said = q.speaker_text or q.speaker or "unattributed"
                    lines.append(
                        f"<li><strong>{esc(self.v.source(q.article_id))}</strong> "
                        f'<span class="badge">{esc(q.kind)}</span> '
                        f'<span class="muted">{esc(said)}{(" " + esc(q.cue)) if q.cue else ""}:</span> '
                        f"“{esc(one_line(q.content, 300))}”{self.cites([ev])}</li>"
                    )
                n = len(g.sources)
                items.append(
                    f'<div class="quote" id="quote-{esc(g.id)}"><div class="content">'
                    f"“{esc(one_line(g.content, 400))}” "
                    f'<span class="badge">{n} outlet{"s" if n != 1 else ""}</span></div>'
                    f"<ul>{''.join(lines)}</ul></div>"
                )
            out.append(f'<div class="speaker"><h3>{esc(speaker)}</h3>{"".join(items)}</div>')
        return "".join(out)

    def ledger(self) -> str:
        """Each quote as every outlet printed it; the first row is the reference the others are marked by."""
        if not self.r.quote_ledger:
            return '<p class="empty">No quote is reported by more than one outlet.</p>'
        badge = {"verbatim": "cov-all", "trimmed": "cov-some", "paraphrased": "cov-some"}
        cards = []
        for e in self.r.quote_ledger:
            rows = []
            for i, q in enumerate(e.versions):
                label = "reference" if i == 0 else q.kind.replace("_", " ")
                notes = ""
                if q.changed:
                    pairs = "; ".join(
                        f"{_ledger_words(a)} → {_ledger_words(b)}" for a, b in q.changed
                    )
                    notes += f'<div class="muted">changed: {pairs}</div>'
                if q.paraphrase_as_direct:
                    notes += (
                        '<div><span class="badge conflict">paraphrase as quote?</span> '
                        '<span class="muted">no other outlet quotes these words; another reports them '
                        "without quotation marks</span></div>"
                    )
                said = f"{q.quote_kind} · {q.speaker or 'unattributed'}"
                rows.append(
                    f"<tr><td><strong>{esc(q.source)}</strong></td>"
                    f'<td><span class="badge {badge.get(q.kind, "conflict")}">{esc(label)}</span><br>'
                    f'<span class="muted">{esc(said)}</span></td>'
                    f"<td>{self.clickable(one_line(self.v.cite(q.evidence), 400), [q.evidence])}{notes}</td>"
                    f"<td>{self.cites([q.evidence])}</td></tr>"
                )
            n = len({q.source for q in e.versions})
            all_ev = [q.evidence for q in e.versions]
            cards.append(
                f'<div class="card" id="ledger-{esc(e.id)}"><h3>{esc(e.speaker or "unattributed")}: '
                f"{self.clickable('“' + one_line(e.reference, 400) + '”', all_ev, 'show every version')} "
                f'<span class="badge">{n} outlet{"s" if n != 1 else ""}</span></h3>'
                '<div class="scroll"><table><thead><tr><th>Outlet</th><th>Version</th><th>As printed</th>'
                f"<th>Evidence</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div></div>"
            )
        return f'<div class="cards">{"".join(cards)}</div>'

    def timeline(self) -> str:
        if not self.r.timeline:
            return '<p class="empty">No dated events.</p>'
        items = []
        for t in self.r.timeline:
            srcs = ", ".join(sorted({self.v.source(a) for a in t.article_ids}))
            items.append(
                f'<li><span class="date">{esc(fmt_date(t.date, t.granularity))}</span>'
                f"{esc(one_line(t.text))}{self.cites(t.evidence)}"
                f' <span class="muted">— {esc(srcs)}</span></li>'
            )
        return f'{self.timeline_plot()}<ol class="timeline">{"".join(items)}</ol>'

    def framing(self) -> str:
        if not self.r.framing:
            return '<p class="empty">No framing differences found.</p>'
        rows = []
        for f in self.r.framing:
            target = esc(f.target)
            if f.target in self.v.facts_by_id:
                fact = self.v.facts_by_id[f.target]
                target = self.clickable(one_line(fact.text, 160), fact.evidence, f.target)
            elif f.target in self.v.numbers:
                a = self.r.article(f.target)
                target = f"[{self.v.numbers[f.target]}] {esc(one_line(a.article.title, 120))}"
            terms = "<br>".join(
                f"<strong>{esc(src)}</strong>: "
                + (
                    ", ".join(f"“{esc(t)}”" for t in ts)
                    if ts
                    else '<span class="muted">(no loaded terms)</span>'
                )
                for src, ts in f.terms
            )
            rows.append(
                f'<tr><td><span class="badge">{esc(f.kind)}</span></td><td>{target}</td>'
                f"<td>{terms}</td><td>{self.cites(f.evidence)}</td></tr>"
            )
        return (
            '<div class="scroll"><table><thead><tr><th>Kind</th><th>About</th><th>Terms by outlet</th>'
            f"<th>Evidence</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
        )

    def entities(self) -> str:
        if not self.r.entities:
            return '<p class="empty">No entities.</p>'

        def row(e) -> str:
            names = "<br>".join(
                f"<strong>{esc(n.source)}</strong>: {esc(n.name)}{self.cites(n.evidence)}" for n in e.names
            )
            aliases = ", ".join(esc(a) for a in e.aliases)
            return (
                f'<tr id="entity-{esc(e.id)}"><td><strong>{esc(e.name)}</strong></td>'
                f'<td><span class="badge">{esc(e.label)}</span></td><td>{aliases}</td><td>{names}</td></tr>'
            )

        head = "<thead><tr><th>Entity</th><th>Type</th><th>Names</th><th>By outlet</th></tr></thead>"
        aliased = self.v.aliased_entities()
        others = [e for e in self.r.entities if len(e.aliases) <= 1]
        out = ""
        if aliased:
            out += (
                '<h3>Called differently by different outlets</h3><div class="scroll"><table>'
                f"{head}<tbody>{''.join(row(e) for e in aliased)}</tbody></table></div>"
            )
        if others:
            out += (
                f"<details><summary>{len(others)} entities with one name everywhere</summary>"
                f'<div class="scroll"><table>{head}<tbody>{"".join(row(e) for e in others)}</tbody>'
                "</table></div></details>"
            )
        return out

    def dropped(self) -> str:
        if not self.r.dropped:
            return '<p class="empty">Nothing was dropped while cleaning.</p>'
        out = []
        for a in self.r.articles:
            if not a.dropped:
                continue
            lines = "".join(
                f'<li><span class="badge reason">{esc(d.reason)}</span> {esc(one_line(d.text, 400))} '
                f'<span class="muted">(line {d.line_index})</span></li>'
                for d in a.dropped
            )
            out.append(
                f'<h3><span class="num">{self.v.number(a.id)}</span>{esc(a.article.source)} '
                f'<span class="muted">({len(a.dropped)})</span></h3><ul class="plain">{lines}</ul>'
            )
        return "".join(out)

    def problems(self) -> str:
        if not self.r.failures and not self.r.notices:
            return '<p class="empty">None.</p>'
        items = [
            f'<li class="failure"><strong>{esc(f.stage)} failed</strong> for <code>{esc(f.origin)}</code>: '
            f"{esc(f.reason)}</li>"
            for f in self.r.failures
        ]
        for n in self.r.notices:
            nums = "".join(f"[{self.v.numbers[a]}]" for a in n.article_ids if a in self.v.numbers)
            items.append(
                f'<li><span class="badge">{esc(n.code)}</span> {esc(n.message)} '
                f'<span class="muted">{esc(nums)}</span></li>'
            )
        return f'<ul class="plain">{"".join(items)}</ul>'


def _ledger_words(words: str) -> str:
    return f"“{esc(one_line(words, 80))}”" if words else '<span class="muted">(nothing)</span>'


def render_html(report: StoryReport) -> str:
    return ReportPage(report).build()
