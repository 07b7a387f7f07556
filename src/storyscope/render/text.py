"""The report for a terminal, built with rich.

``write_text`` prints to any rich Console (so the CLI can print in colour);
``render_text`` records it at a fixed width and returns plain text. Article
text is always wrapped in ``rich.text.Text`` and never parsed as markup, so
"[bold]" or "[/]" inside an article prints as written.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from storyscope.compare.versions import superseded_ids, version_notes
from storyscope.records import Conflict, Evidence, Fact, StoryReport
from storyscope.render._view import CAP, ReportView, capped, fmt_date, one_line

WIDTH = 100

_COVERAGE_STYLE = {"all": "green", "some": "yellow", "one": "cyan"}


def render_text(report: StoryReport, width: int = WIDTH) -> str:
    console = Console(record=True, width=width, force_terminal=False, file=io.StringIO(), color_system=None)
    write_text(report, console)
    # Table grids pad every line to full width; trailing blanks only get in the way of diffs and pipes.
    return "\n".join(line.rstrip() for line in console.export_text(styles=False).splitlines()) + "\n"


def write_text(report: StoryReport, console: Console) -> None:
    """Every section, in the documented order, to ``console``."""
    v = ReportView(report)
    _header(v, console)
    _summary(v, console)
    _agreed(v, console)
    _some(v, console)
    _single(v, console)
    _across_languages(v, console)
    _copies(v, console)
    _conflicts(v, console)
    _versions(v, console)
    _quotes(v, console)
    _ledger(v, console)
    _entities(v, console)
    _framing(v, console)
    _timeline(v, console)
    _dropped(v, console)
    _problems(v, console)


# --------------------------------------------------------------------------- helpers


def _section(console: Console, title: str, count: int | None = None) -> None:
    console.print()
    label = title if count is None else f"{title} ({count})"
    console.rule(Text(label, style="bold"), align="left", characters="─")


def _items(console: Console, rows: Sequence[tuple[str, RenderableType]], more: int = 0) -> None:
    """A bullet list with a hanging indent (wrapped lines align under the text)."""
    if rows:
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True, style="dim")
        grid.add_column(ratio=1)
        for bullet, body in rows:
            grid.add_row(bullet, body)
        console.print(grid)
    if more:
        console.print(Text(f"  ... and {more} more", style="dim"))


def _block(*lines: tuple[int, Text]) -> Group:
    """Lines at given indents; a wrapped line continues at its own indent, not at column 0."""
    return Group(*(Padding(text, (0, 0, 0, indent)) if indent else text for indent, text in lines))


def _none(console: Console, what: str) -> None:
    console.print(Text(f"  {what}", style="dim italic"))


def _cited(v: ReportView, text: str, evidence: Sequence[Evidence], style: str = "") -> Text:
    body = Text(one_line(text), style=style)
    markers = v.markers(evidence)
    if markers:
        body.append(" " + markers, style="dim")
    return body


def _quoted(v: ReportView, ev: Evidence, limit: int = 160) -> Text:
    """An outlet's own words for a side or a quote: «…» [n]."""
    n = v.number(ev.article_id)
    out = Text()
    out.append(v.source(ev.article_id), style="bold")
    out.append(": “" + one_line(v.cite(ev), limit) + "”")
    if n is not None:
        out.append(f" [{n}]", style="dim")
    return out


# --------------------------------------------------------------------------- sections


def _header(v: ReportView, console: Console) -> None:
    r = v.report
    console.print(Text("Story comparison: " + v.headline(), style="bold"))
    if r.generated:
        console.print(Text(f"generated {r.generated} · schema {r.schema_version}", style="dim"))
    rows = []
    for a in r.articles:
        art = a.article
        body = Text()
        body.append(art.source, style="bold")
        body.append(" — " + one_line(art.title or "(untitled)"))
        lang = f"{v.language(art.id)}; " if v.multilingual() else ""
        body.append(f" ({lang}{fmt_date(art.published)}; {len(a.sentences)} sentences; id {art.id})", style="dim")
        rows.append((f"[{v.number(art.id)}]", body))
    _items(console, rows)


def _summary(v: ReportView, console: Console) -> None:
    _section(console, "Summary")
    if not v.report.summary:
        _none(console, "no summary")
        return
    _items(console, [("•", _cited(v, s.text, s.citations)) for s in v.report.summary])


def _agreed(v: ReportView, console: Console) -> None:
    facts = v.facts_with("all")
    _section(console, "Agreed by all", len(facts))
    if not facts:
        _none(console, "no fact is reported by every outlet")
        return
    shown, more = capped(facts)
    _items(console, [("•", _cited(v, f.text, f.evidence).append(_independence(f), style="dim")) for f in shown], more)


def _some(v: ReportView, console: Console) -> None:
    facts = v.facts_with("some")
    _section(console, "Reported by some", len(facts))
    if not facts:
        _none(console, "none")
        return
    shown, more = capped(facts)
    rows: list[tuple[str, RenderableType]] = []
    for f in shown:
        lines = [
            (0, _cited(v, f.text, f.evidence)),
            (2, Text("reported by: " + ", ".join(f.sources) + _independence(f), style="dim")),
        ]
        missing = v.missing_sources(f)
        if missing:
            left = Text("left out by: ", style="dim")
            for i, src in enumerate(missing):
                if i:
                    left.append(", ", style="dim")
                notable = (src, f.id) in v.omitted
                left.append(src + (" (omission)" if notable else ""), style="bold red" if notable else "dim")
            lines.append((2, left))
        rows.append(("•", _block(*lines)))
    _items(console, rows, more)


def _single(v: ReportView, console: Console) -> None:
    facts = v.facts_with("one")
    _section(console, "Single-outlet facts", len(facts))
    if not facts:
        _none(console, "none")
        return
    shown, more = capped(facts)
    rows = []
    for f in shown:
        body = Text(f.sources[0] if f.sources else "?", style="bold")
        body.append(": ")
        body.append_text(_cited(v, f.text, f.evidence))
        rows.append(("•", body))
    _items(console, rows, more)


def _across_languages(v: ReportView, console: Console) -> None:
    """Facts reported in several languages, each outlet's original sentence with its language."""
    if not v.multilingual():
        return  # a one-language story has nothing to show here (and keeps its output unchanged)
    facts = v.cross_language_facts()
    _section(console, "Across languages: " + ", ".join(v.languages()), len(facts))
    if not facts:
        _none(console, "no fact was aligned across languages")
        return
    shown, more = capped(facts)
    rows: list[tuple[str, RenderableType]] = []
    for f in shown:
        lines = [(0, Text(one_line(f.text, 200)))]
        for ev in sorted(f.evidence, key=lambda e: (v.number(e.article_id) or 0, e.sentence_index)):
            line = Text(f"[{v.language(ev.article_id)}] ", style="dim")
            lines.append((2, line.append_text(_quoted(v, ev, 200))))
        rows.append(("•", _block(*lines)))
    _items(console, rows, more)


def _independence(f: Fact) -> str:
    """" — 4 outlets (2 independent)" when wire copies stand behind some of a fact's outlets."""
    n, m = len(f.sources), len(f.independent_sources)
    return f" — {n} outlets ({m} independent)" if f.independent_sources and m < n else ""


def _copies(v: ReportView, console: Console) -> None:
    """Outlets that ran one text (an agency story, a reprint): counted once per fact above."""
    groups = v.report.copies
    _section(console, "Wire copies and reprints", len(groups))
    if not groups:
        _none(console, "no two outlets ran the same text")
        return
    rows: list[tuple[str, RenderableType]] = []
    for g in groups:
        body = Text(f"{g.credited} copy" if g.credited else "the same text", style="bold")
        body.append(" run by ")
        body.append(", ".join(f"{v.source(aid)} [{v.number(aid)}]" for aid in g.article_ids))
        body.append(f" (similarity ≥ {g.similarity:.2f}; counted once per fact)", style="dim")
        rows.append(("•", body))
    _items(console, rows)


def _conflicts(v: ReportView, console: Console) -> None:
    conflicts = v.report.conflicts
    _section(console, "Conflicts", len(conflicts))
    if not conflicts:
        _none(console, "no contradictions found")
        return
    shown, more = capped(conflicts)
    rows: list[tuple[str, RenderableType]] = []
    for c in shown:
        head = Text(c.kind, style="bold red" if c.status == "open" else "bold green")
        head.append(f" [{c.status}]", style="dim")
        head.append(": " + one_line(c.description))
        lines = [(0, head), *_resolution(v, c)]
        for side in c.sides:
            value = Text(one_line(side.value), style="bold")
            value.append(" — " + ", ".join(side.sources))
            lines.append((2, value))
            lines.extend((4, _superseded_mark(v, _quoted(v, ev), ev)) for ev in side.evidence[:3])
            if len(side.evidence) > 3:
                lines.append((4, Text(f"... and {len(side.evidence) - 3} more", style="dim")))
        rows.append(("!", _block(*lines)))
    _items(console, rows, more)


def _resolution(v: ReportView, c: Conflict) -> list[tuple[int, Text]]:
    """A resolved conflict says which later version settled it."""
    if c.status != "resolved":
        return []
    line = Text("resolved", style="bold green")
    if c.resolved_by is not None:
        line.append(" by a later version: ")
        line.append_text(_quoted(v, c.resolved_by))
    else:
        line.append(": a later version no longer states the superseded report")
    return [(2, line)]


def _superseded_mark(v: ReportView, body: Text, ev: Evidence) -> Text:
    if ev.article_id in superseded_ids(v.report.versions):
        body.append(" (superseded version)", style="dim italic")
    return body


def _versions(v: ReportView, console: Console) -> None:
    """Versions one outlet published of one article (updates, corrections) and what changed."""
    chains = v.report.versions
    _section(console, "Corrections and updates", len(chains))
    if not chains:
        _none(console, "no outlet published more than one version of an article")
        return
    rows: list[tuple[str, RenderableType]] = []
    for ch in chains:
        head = Text(ch.source, style="bold")
        steps = " → ".join(
            f"[{v.number(aid)}] {fmt_date(v.report.article(aid).article.published)}"
            for aid in ch.article_ids
            if v.number(aid) is not None
        )
        head.append(f": {len(ch.article_ids)} versions, {steps}")
        if ch.correction:
            head.append(" · correction", style="bold yellow")
        else:
            head.append(" · update", style="dim")
        lines = [(0, head)]
        notes = version_notes(v.report.articles, ch)
        lines.extend((2, Text("note: " + one_line(note, 200), style="dim")) for note in notes)
        shown, more = capped(ch.changes)
        for change in shown:
            line = Text(change.kind + ": ", style="bold")
            if change.before is not None:
                line.append_text(_quoted(v, change.before))
            if change.before is not None and change.after is not None:
                line.append(" → ")
            if change.after is not None:
                line.append_text(_quoted(v, change.after))
            if change.note:
                line.append(f" ({change.note})", style="bold yellow")
            lines.append((2, line))
        if more:
            lines.append((2, Text(f"... and {more} more changes", style="dim")))
        if not ch.changes:
            lines.append((2, Text("no sentence changed", style="dim italic")))
        rows.append(("•", _block(*lines)))
    _items(console, rows)


def _quotes(v: ReportView, console: Console) -> None:
    speakers = v.quotes_by_speaker()
    _section(console, "Who said what", len(v.report.quote_groups))
    if not speakers:
        _none(console, "no quotes")
        return
    shown, more = capped(speakers)
    rows: list[tuple[str, RenderableType]] = []
    for speaker, groups in shown:
        lines = [(0, Text(speaker, style="bold"))]
        for g in groups[:5]:
            n_src = len(g.sources)
            said = Text("“" + one_line(g.content, 200) + "”")
            said.append(f" — {n_src} outlet{'s' if n_src != 1 else ''}", style="dim")
            lines.append((2, said))
            for q in g.quotes[:CAP]:
                n = v.number(q.article_id)
                line = Text(v.source(q.article_id), style="bold")
                who = one_line(q.speaker_text or q.speaker or "?")
                line.append(f" ({q.kind}, {who}{' ' + q.cue if q.cue else ''}): ", style="dim")
                line.append(one_line(q.content, 160))
                if n is not None:
                    line.append(f" [{n}]", style="dim")
                lines.append((4, line))
        if len(groups) > 5:
            lines.append((2, Text(f"... and {len(groups) - 5} more quotes", style="dim")))
        rows.append(("•", _block(*lines)))
    _items(console, rows, more)


def _ledger(v: ReportView, console: Console) -> None:
    """Each quote as every outlet printed it, marked against the reference wording."""
    entries = v.report.quote_ledger
    _section(console, "Quote ledger", len(entries))
    if not entries:
        _none(console, "no quote is reported by more than one outlet")
        return
    shown, more = capped(entries)
    rows: list[tuple[str, RenderableType]] = []
    for e in shown:
        head = Text(e.speaker or "unattributed", style="bold")
        head.append(": “" + one_line(e.reference, 200) + "”")
        n_src = len({q.source for q in e.versions})
        head.append(f" — {n_src} outlet{'s' if n_src != 1 else ''}", style="dim")
        lines = [(0, head)]
        for i, q in enumerate(e.versions[:CAP]):
            label = "reference" if i == 0 else q.kind.replace("_", " ")  # versions[0] is the reference
            line = Text(label, style="bold" if q.kind == "verbatim" else "bold red")
            line.append(" · " + q.source, style="bold")
            line.append(f" ({q.quote_kind}, {one_line(q.speaker or '?')}): ", style="dim")
            line.append(one_line(v.cite(q.evidence), 200))
            n = v.number(q.evidence.article_id)
            if n is not None:
                line.append(f" [{n}]", style="dim")
            lines.append((2, line))
            if q.changed:
                changes = "; ".join(f"{_words_or_none(a)} → {_words_or_none(b)}" for a, b in q.changed)
                lines.append((4, Text("changed: " + one_line(changes), style="yellow")))
            if q.paraphrase_as_direct:
                lines.append(
                    (4, Text("⚠ only this outlet quotes these words, another reports them "
                             "without quotation marks: a paraphrase printed as a quote?", style="yellow"))
                )
        if len(e.versions) > CAP:
            lines.append((2, Text(f"... and {len(e.versions) - CAP} more versions", style="dim")))
        rows.append(("•", _block(*lines)))
    _items(console, rows, more)


def _words_or_none(words: str) -> str:
    return f"“{one_line(words, 80)}”" if words else "(nothing)"


def _entities(v: ReportView, console: Console) -> None:
    ents = v.aliased_entities()
    _section(console, "Entities with different names per outlet", len(ents))
    if not ents:
        _none(console, "every entity goes by one name")
        return
    shown, more = capped(ents)
    rows: list[tuple[str, RenderableType]] = []
    for e in shown:
        head = Text(e.name, style="bold")
        head.append(f" ({e.label})", style="dim")
        lines = [(0, head)]
        for n in e.names:
            line = Text(f"{n.source}: ", style="dim")
            line.append(n.name)
            line.append(" " + v.markers(n.evidence), style="dim")
            lines.append((2, line))
        rows.append(("•", _block(*lines)))
    _items(console, rows, more)


def _framing(v: ReportView, console: Console) -> None:
    items = v.report.framing
    _section(console, "Framing", len(items))
    if not items:
        _none(console, "no framing differences found")
        return
    shown, more = capped(items)
    rows: list[tuple[str, RenderableType]] = []
    for f in shown:
        target = f.target
        if f.target in v.facts_by_id:
            target = f"{f.target}: " + one_line(v.facts_by_id[f.target].text, 90)
        elif f.target in v.numbers:
            target = f"article [{v.numbers[f.target]}]"
        head = Text(f.kind, style="bold")
        head.append(" — " + one_line(target))
        lines = [(0, head)]
        for source, terms in f.terms:
            line = Text(f"{source}: ", style="dim")
            if terms:
                line.append(", ".join(f"“{t}”" for t in terms))
            else:
                line.append("(no loaded terms)", style="dim italic")
            lines.append((2, line))
        rows.append(("•", _block(*lines)))
    _items(console, rows, more)


def _timeline(v: ReportView, console: Console) -> None:
    events = v.report.timeline
    _section(console, "Timeline", len(events))
    if not events:
        _none(console, "no dated events")
        return
    shown, more = capped(events, CAP * 2)
    rows = [(fmt_date(t.date, t.granularity), _cited(v, t.text, t.evidence)) for t in shown]
    _items(console, rows, more)


def _dropped(v: ReportView, console: Console) -> None:
    _section(console, "Dropped lines", len(v.report.dropped))
    if not v.report.dropped:
        _none(console, "nothing was dropped while cleaning")
        return
    rows: list[tuple[str, RenderableType]] = []
    for a in v.report.articles:
        if not a.dropped:
            continue
        shown, more = capped(a.dropped, 10)
        lines = [(0, Text(a.article.source, style="bold"))]
        for d in shown:
            line = Text(f"{d.reason}: ", style="dim")
            line.append(one_line(d.text, 160))
            lines.append((2, line))
        if more:
            lines.append((2, Text(f"... and {more} more", style="dim")))
        rows.append((f"[{v.number(a.id)}]", _block(*lines)))
    _items(console, rows)


def _problems(v: ReportView, console: Console) -> None:
    r = v.report
    _section(console, "Failures and notices", len(r.failures) + len(r.notices))
    if not r.failures and not r.notices:
        _none(console, "none")
        return
    rows = []
    for f in r.failures:
        body = Text(f"{f.stage} failed", style="bold red")
        body.append(f" for {f.origin}: {one_line(f.reason)}")
        rows.append(("✗", body))
    for n in r.notices:
        body = Text(n.code, style="bold yellow")
        body.append(": " + one_line(n.message))
        nums = [f"[{v.numbers[a]}]" for a in n.article_ids if a in v.numbers]
        if nums:
            body.append(" " + "".join(nums), style="dim")
        rows.append(("i", body))
    _items(console, rows)
