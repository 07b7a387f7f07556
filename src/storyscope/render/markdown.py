"""The report as GitHub-flavoured Markdown: same sections as the terminal text.

Citations are ``[A1:s3]`` (article number 1 in the numbered list, sentence
index 3), so a reader can find the sentence in the JSON or HTML. Article text
is untrusted: Markdown and HTML punctuation in it is backslash-escaped, so a
``<script>`` or a ``|`` inside an article cannot become markup or break a table.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from storyscope.compare.versions import superseded_ids, version_notes
from storyscope.records import Conflict, Evidence, Fact, Quote, StoryReport
from storyscope.render._view import CAP, ReportView, capped, fmt_date, one_line

# CommonMark lets any ASCII punctuation be backslash-escaped; these are the ones
# that can start markup mid-line (emphasis, links, code, HTML, tables).
# "_" inside a word never makes emphasis in GFM, so snake_case stays readable.
_MD_SPECIAL = re.compile(r"([\\`*\[\]<>|~]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9]))")
# ...and these only at the start of a list item or cell, where they would open a
# heading, a nested list or an ordered list ("# 1", "- foo", "3. bar").
# "&amp;" in an article must print as written, not as "&".
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")
_MD_LEADING = re.compile(r"^(#|[-+]\s|\d+(?=[.)]\s))")

#: Facts shown in the coverage matrix (shared facts first, so the table stays useful).
MATRIX_ROWS = 30


def md(text: str, limit: int | None = None) -> str:
    """Untrusted text made safe for one Markdown line or table cell."""
    escaped = _MD_ENTITY.sub(r"\\&", _MD_SPECIAL.sub(r"\\\1", one_line(text, limit)))
    m = _MD_LEADING.match(escaped)
    if m:
        # "#" -> "\#", "- " -> "\- ", "3. " -> "3\. "
        cut = m.end()
        escaped = escaped[:cut] + "\\" + escaped[cut:] if m.group(1)[0].isdigit() else "\\" + escaped
    return escaped


def code(text: str) -> str:
    """An id in backticks; backslash escapes do not work inside code spans, so fall back to plain."""
    flat = one_line(text)
    return f"`{flat}`" if "`" not in flat and flat else md(flat)


def render_markdown(report: StoryReport) -> str:
    v = ReportView(report)
    out: list[str] = []
    _header(v, out)
    _summary(v, out)
    _agreed(v, out)
    _some(v, out)
    _single(v, out)
    _across_languages(v, out)
    _copies(v, out)
    _matrix(v, out)
    _conflicts(v, out)
    _versions(v, out)
    _quotes(v, out)
    _ledger(v, out)
    _entities(v, out)
    _framing(v, out)
    _timeline(v, out)
    _dropped(v, out)
    _problems(v, out)
    return "\n".join(out).rstrip() + "\n"


def _section(out: list[str], title: str, count: int | None = None) -> None:
    out.append("")
    out.append(f"## {title}" + (f" ({count})" if count is not None else ""))
    out.append("")


def _more(out: list[str], more: int) -> None:
    if more:
        out.append(f"- *... and {more} more*")


def _none(out: list[str], what: str) -> None:
    out.append(f"*{what}*")


def _header(v: ReportView, out: list[str]) -> None:
    r = v.report
    out.append("# Story comparison")
    out.append("")
    out.append(md(v.headline()) + ".")
    if r.generated:
        out.append(f"Generated {md(r.generated)}, schema {md(r.schema_version)}.")
    out.append("")
    out.append("**Articles** (cited as `[A<article>:s<sentence>]`):")
    out.append("")
    for a in r.articles:
        art = a.article
        line = f"- **A{v.number(art.id)}** {md(art.source)} — *{md(art.title or '(untitled)')}*"
        lang = f"{md(v.language(art.id))}, " if v.multilingual() else ""
        line += f" ({lang}{fmt_date(art.published)}, {len(a.sentences)} sentences, id {code(art.id)})"
        out.append(line)


def _summary(v: ReportView, out: list[str]) -> None:
    _section(out, "Summary")
    if not v.report.summary:
        _none(out, "No summary.")
        return
    for s in v.report.summary:
        out.append(f"- {md(s.text)} {v.md_cites(s.citations)}")


def _fact_line(v: ReportView, f: Fact) -> str:
    return f"{md(f.text)} {v.md_cites(f.evidence)}"


def _agreed(v: ReportView, out: list[str]) -> None:
    facts = v.facts_with("all")
    _section(out, "Agreed by all", len(facts))
    if not facts:
        _none(out, "No fact is reported by every outlet.")
        return
    shown, more = capped(facts)
    out.extend(f"- {_fact_line(v, f)}{_independence(f)}" for f in shown)  # digits only: no escaping
    _more(out, more)


def _some(v: ReportView, out: list[str]) -> None:
    facts = v.facts_with("some")
    _section(out, "Reported by some", len(facts))
    if not facts:
        _none(out, "None.")
        return
    shown, more = capped(facts)
    for f in shown:
        out.append(f"- {_fact_line(v, f)}")
        out.append(f"  - reported by: {md(', '.join(f.sources) + _independence(f))}")
        missing = [
            f"**{md(s)}** (omission)" if (s, f.id) in v.omitted else md(s) for s in v.missing_sources(f)
        ]
        if missing:
            out.append(f"  - left out by: {', '.join(missing)}")
    _more(out, more)


def _single(v: ReportView, out: list[str]) -> None:
    facts = v.facts_with("one")
    _section(out, "Single-outlet facts", len(facts))
    if not facts:
        _none(out, "None.")
        return
    shown, more = capped(facts)
    for f in shown:
        out.append(f"- **{md(f.sources[0] if f.sources else '?')}**: {_fact_line(v, f)}")
    _more(out, more)


def _across_languages(v: ReportView, out: list[str]) -> None:
    """Facts reported in several languages, each outlet's original sentence with its language."""
    if not v.multilingual():
        return  # a one-language story has nothing to show here (and keeps its output unchanged)
    facts = v.cross_language_facts()
    _section(out, "Across languages: " + ", ".join(v.languages()), len(facts))
    if not facts:
        _none(out, "No fact was aligned across languages.")
        return
    shown, more = capped(facts)
    for f in shown:
        out.append(f"- {md(one_line(f.text, 200))}")
        for ev in sorted(f.evidence, key=lambda e: (v.number(e.article_id) or 0, e.sentence_index)):
            out.append(
                f"  - `{v.language(ev.article_id)}` **{md(v.source(ev.article_id))}**: "
                f"“{md(one_line(v.cite(ev), 200))}” {v.md_cite(ev)}"
            )
    _more(out, more)


def _table(out: list[str], header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    out.append("| " + " | ".join(header) + " |")
    out.append("|" + "|".join("---" for _ in header) + "|")
    out.extend("| " + " | ".join(row) + " |" for row in rows)


def _independence(f: Fact) -> str:
    """" — 4 outlets (2 independent)" when wire copies stand behind some of a fact's outlets."""
    n, m = len(f.sources), len(f.independent_sources)
    return f" — {n} outlets ({m} independent)" if f.independent_sources and m < n else ""


def _copies(v: ReportView, out: list[str]) -> None:
    """Outlets that ran one text (an agency story, a reprint): counted once per fact above."""
    groups = v.report.copies
    _section(out, "Wire copies and reprints", len(groups))
    if not groups:
        _none(out, "No two outlets ran the same text.")
        return
    for g in groups:
        what = f"**{md(g.credited)}** copy" if g.credited else "The same text"
        runs = ", ".join(f"{md(v.source(aid))} (A{v.number(aid)})" for aid in g.article_ids)
        out.append(f"- {what} run by {runs}; similarity ≥ {g.similarity:.2f}, counted once per fact")


def _matrix(v: ReportView, out: list[str]) -> None:
    """Outlets x facts: which outlet reports which fact, shared facts first."""
    facts = v.facts_with("all") + v.facts_with("some") + v.facts_with("one")
    _section(out, "Coverage matrix", len(facts))
    if not facts:
        _none(out, "No facts.")
        return
    sources = v.report.sources
    shown, more = capped(facts, MATRIX_ROWS)
    conflicted = v.conflicted_facts
    rows = []
    for f in shown:
        have = set(f.sources)
        cells = []
        for s in sources:
            if s in have:
                cells.append("✓")
            elif (s, f.id) in v.omitted:
                cells.append("✗ omits")
            else:
                cells.append("")
        flag = " ⚠" if f.id in conflicted else ""
        rows.append([f"{code(f.id)}{flag}", md(f.text, 90), *cells])
    _table(out, ["Fact", "Text", *(md(s) for s in sources)], rows)
    if more:
        out.append("")
        out.append(f"*... and {more} more facts (all in the JSON and HTML output).*")


def _conflicts(v: ReportView, out: list[str]) -> None:
    conflicts = v.report.conflicts
    _section(out, "Conflicts", len(conflicts))
    if not conflicts:
        _none(out, "No contradictions found.")
        return
    shown, more = capped(conflicts)
    for c in shown:
        out.append(
            f"**{md(c.kind)}** ({c.status}): {md(c.description)}"
            + (f" (fact {code(c.fact_id)})" if c.fact_id else "")
        )
        out.append("")
        _resolution(v, c, out)
        rows = []
        for side in c.sides:
            quotes = "<br>".join(
                f"“{md(v.cite(ev), 160)}” {v.md_cite(ev)}{_superseded_mark(v, ev)}"
                for ev in side.evidence[:3]
            )
            rows.append([f"**{md(side.value)}**", md(", ".join(side.sources)), quotes])
        _table(out, ["Value", "Outlets", "Evidence"], rows)
        out.append("")
    _more(out, more)
    if out[-1] == "":
        out.pop()


def _resolution(v: ReportView, c: Conflict, out: list[str]) -> None:
    """A resolved conflict says which later version settled it."""
    if c.status != "resolved":
        return
    if c.resolved_by is not None:
        ev = c.resolved_by
        said = f"{md(v.source(ev.article_id))} “{md(v.cite(ev), 200)}” {v.md_cite(ev)}"
        out.append(f"*Resolved* by a later version: {said}")
    else:
        out.append("*Resolved*: a later version no longer states the superseded report.")
    out.append("")


def _superseded_mark(v: ReportView, ev: Evidence) -> str:
    return " *(superseded version)*" if ev.article_id in superseded_ids(v.report.versions) else ""


def _versions(v: ReportView, out: list[str]) -> None:
    """Versions one outlet published of one article (updates, corrections) and what changed."""
    chains = v.report.versions
    _section(out, "Corrections and updates", len(chains))
    if not chains:
        _none(out, "No outlet published more than one version of an article.")
        return
    for ch in chains:
        steps = " → ".join(
            f"A{v.number(aid)} ({fmt_date(v.report.article(aid).article.published)})"
            for aid in ch.article_ids
            if v.number(aid) is not None
        )
        kind = "**correction**" if ch.correction else "update"
        out.append(f"- **{md(ch.source)}**: {len(ch.article_ids)} versions, {steps} — {kind}")
        out.extend(f"  - note: *{md(note, 200)}*" for note in version_notes(v.report.articles, ch))
        shown, more = capped(ch.changes)
        for change in shown:
            parts = [
                f"“{md(v.cite(ev), 160)}” {v.md_cite(ev)}"
                for ev in (change.before, change.after)
                if ev is not None
            ]
            note = f" (**{md(change.note)}**)" if change.note else ""
            out.append(f"  - *{change.kind}*: {' → '.join(parts)}{note}")
        if more:
            out.append(f"  - *... and {more} more changes*")
        if not ch.changes:
            out.append("  - *no sentence changed*")


def _quotes(v: ReportView, out: list[str]) -> None:
    speakers = v.quotes_by_speaker()
    _section(out, "Who said what", len(v.report.quote_groups))
    if not speakers:
        _none(out, "No quotes.")
        return
    shown, more = capped(speakers)
    for speaker, groups in shown:
        out.append(f"- **{md(speaker)}**")
        for g in groups[:5]:
            n_src = len(g.sources)
            out.append(
                f"  - “{md(g.content, 200)}” ({n_src} outlet{'s' if n_src != 1 else ''}: {md(', '.join(g.sources))})"
            )
            for q in g.quotes[:CAP]:
                said = md(q.speaker_text or q.speaker or "?")
                cite = v.md_cite(_quote_ev(q))
                out.append(
                    f"    - {md(v.source(q.article_id))} ({q.kind}, {said}): {md(q.content, 160)} {cite}"
                )
        if len(groups) > 5:
            out.append(f"  - *... and {len(groups) - 5} more quotes*")
    _more(out, more)


def _ledger(v: ReportView, out: list[str]) -> None:
    """Each quote as every outlet printed it, marked against the reference wording (listed first)."""
    entries = v.report.quote_ledger
    _section(out, "Quote ledger", len(entries))
    if not entries:
        _none(out, "No quote is reported by more than one outlet.")
        return
    shown, more = capped(entries)
    for e in shown:
        n_src = len({q.source for q in e.versions})
        out.append(f"- **{md(e.speaker or 'unattributed')}**: “{md(e.reference, 200)}” ({n_src} outlet{'s' if n_src != 1 else ''})")
        for i, q in enumerate(e.versions[:CAP]):
            label = "reference" if i == 0 else q.kind.replace("_", " ")
            line = (
                f"  - *{label}* · {md(q.source)} ({q.quote_kind}, {md(q.speaker or '?')}): "
                f"{md(v.cite(q.evidence), 200)} {v.md_cite(q.evidence)}"
            )
            if q.changed:
                line += " — changed: " + "; ".join(
                    f"{_md_words(a)} → {_md_words(b)}" for a, b in q.changed
                )
            if q.paraphrase_as_direct:
                line += " — ⚠ **paraphrase printed as a quote?** (no other outlet quotes these words)"
            out.append(line)
        if len(e.versions) > CAP:
            out.append(f"  - *... and {len(e.versions) - CAP} more versions*")
    _more(out, more)


def _md_words(words: str) -> str:
    return f"“{md(words, 80)}”" if words else "*(nothing)*"


def _quote_ev(q: Quote) -> Evidence:
    return Evidence(q.article_id, q.sentence_index, q.start, q.end)


def _entities(v: ReportView, out: list[str]) -> None:
    ents = v.aliased_entities()
    _section(out, "Entities with different names per outlet", len(ents))
    if not ents:
        _none(out, "Every entity goes by one name.")
        return
    shown, more = capped(ents)
    for e in shown:
        names = "; ".join(f"{md(n.source)}: *{md(n.name)}* {v.md_cites(n.evidence[:3])}" for n in e.names)
        out.append(f"- **{md(e.name)}** ({md(e.label)}) — {names}")
    _more(out, more)


def _framing(v: ReportView, out: list[str]) -> None:
    items = v.report.framing
    _section(out, "Framing", len(items))
    if not items:
        _none(out, "No framing differences found.")
        return
    shown, more = capped(items)
    for f in shown:
        target = code(f.target)
        if f.target in v.facts_by_id:
            target = f"fact {target} “{md(v.facts_by_id[f.target].text, 90)}”"
        elif f.target in v.numbers:
            target = f"article A{v.numbers[f.target]}"
        terms = "; ".join(
            f"{md(src)}: " + (", ".join(f"“{md(t)}”" for t in ts) if ts else "*(no loaded terms)*")
            for src, ts in f.terms
        )
        out.append(f"- **{md(f.kind)}** ({target}) — {terms} {v.md_cites(f.evidence)}")
    _more(out, more)


def _timeline(v: ReportView, out: list[str]) -> None:
    events = v.report.timeline
    _section(out, "Timeline", len(events))
    if not events:
        _none(out, "No dated events.")
        return
    shown, more = capped(events, CAP * 2)
    rows = []
    for t in shown:
        srcs = sorted({v.source(a) for a in t.article_ids})
        rows.append(
            [fmt_date(t.date, t.granularity), md(t.text, 160), md(", ".join(srcs)), v.md_cites(t.evidence)]
        )
    _table(out, ["Date", "Event", "Outlets", "Evidence"], rows)
    if more:
        out.append("")
        out.append(f"*... and {more} more events.*")


def _dropped(v: ReportView, out: list[str]) -> None:
    _section(out, "Dropped lines", len(v.report.dropped))
    if not v.report.dropped:
        _none(out, "Nothing was dropped while cleaning.")
        return
    for a in v.report.articles:
        if not a.dropped:
            continue
        out.append(f"- **A{v.number(a.id)}** {md(a.article.source)}")
        shown, more = capped(a.dropped, 10)
        out.extend(f"  - *{md(d.reason)}*: {md(d.text, 120)}" for d in shown)
        if more:
            out.append(f"  - *... and {more} more*")


def _problems(v: ReportView, out: list[str]) -> None:
    r = v.report
    _section(out, "Failures and notices", len(r.failures) + len(r.notices))
    if not r.failures and not r.notices:
        _none(out, "None.")
        return
    for f in r.failures:
        out.append(f"- ✗ **{md(f.stage)} failed** for {code(f.origin)}: {md(f.reason)}")
    for n in r.notices:
        nums = "".join(f"[A{v.numbers[a]}]" for a in n.article_ids if a in v.numbers)
        out.append(f"- ℹ **{md(n.code)}**: {md(n.message)} {nums}".rstrip())
