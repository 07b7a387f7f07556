"""The web pages of ``storyscope serve``: the story list and one story's report.

Both are complete HTML documents built from the same pieces as the standalone
report (render/html.py): the same inline stylesheet and script, the same
Content-Security-Policy (nothing is loaded from the network, so the pages work
offline), and the same escaping of everything that comes from articles. The story
page is the report page plus a header that places it in the corpus: back to the
list, the story's dates and outlets, and the JSON report of the API.

Links point at the API's routes: ``/`` (list, with ``q``/``since``/``until``/
``outlet`` filters), ``/stories/{id}`` and ``/api/stories/{id}/report``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from urllib.parse import quote, urlencode

from storyscope.records import StoryInfo, StoryReport
from storyscope.render._view import fmt_date
from storyscope.render.html import ReportPage, esc, html_document

__all__ = ["story_list_page", "story_page", "story_url"]

#: Width in pixels of the little outlet-coverage bar of each story in the list.
BAR_WIDTH = 144


def story_url(story_id: str) -> str:
    """The story page's path; ids are free text, so they are percent-encoded (``/`` too)."""
    return f"/stories/{quote(story_id, safe='')}"


def _report_url(story_id: str, fmt: str = "json") -> str:
    return f"/api/stories/{quote(story_id, safe='')}/report?{urlencode({'format': fmt})}"


def _date_text(value: dt.date | str | None) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _dates(story: StoryInfo) -> str:
    first, last = story.first_published, story.last_published
    if first is None and last is None:
        return "undated"
    if first == last or last is None:
        return fmt_date(first)
    if first is None:
        return fmt_date(last)
    return f"{fmt_date(first)} – {fmt_date(last)}"


def _when(iso: str) -> str:
    """``2026-03-05T10:00:00+00:00`` as ``2026-03-05 10:00`` (shown as given if it is not ISO)."""
    try:
        return dt.datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError):
        return str(iso)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _coverage_bar(story: StoryInfo, outlets: Sequence[str]) -> str:
    """One slot per outlet on the page (same order in every row), filled where the story has it.

    Reading down a column shows which stories an outlet covered; a row's filled
    share shows how widely the story was covered. Only the outlets are known
    here (StoryInfo has no per-outlet counts), which is what the bar shows.
    """
    n = max(1, len(outlets))
    slot = BAR_WIDTH / n
    gap = 1.5 if slot >= 5 else 0
    have = set(story.sources)
    rects = []
    for i, outlet in enumerate(outlets):
        cls = "on" if outlet in have else "slot"
        state = "covers" if outlet in have else "no article from"
        rects.append(
            f'<rect class="{cls}" x="{i * slot:.2f}" y="0" width="{max(slot - gap, 0.5):.2f}" height="12" '
            f'rx="{1.5 if gap else 0}"><title>{esc(state)} {esc(outlet)}</title></rect>'
        )
    label = f"{len(have)} of {len(outlets)} outlets: {', '.join(story.sources)}"
    return (
        f'<svg class="bar" width="{BAR_WIDTH}" height="12" viewBox="0 0 {BAR_WIDTH} 12" role="img" '
        f'aria-label="{esc(label)}"><title>{esc(label)}</title>{"".join(rects)}</svg>'
    )


def story_list_page(
    stories: Sequence[StoryInfo],
    *,
    query: str | None = None,
    since: dt.date | str | None = None,
    until: dt.date | str | None = None,
    outlet: str | None = None,
) -> str:
    """The story list with its search/filter form (a GET to ``/``); the filters are echoed back."""
    outlets = sorted({s for story in stories for s in story.sources})
    options = "".join(f'<option value="{esc(o)}">' for o in outlets)
    filtered = any(v not in (None, "") for v in (query, since, until, outlet))
    form = (
        '<form class="filters" method="get" action="/" role="search">'
        f'<label>Search<input type="search" name="q" value="{esc(query or "")}" '
        'placeholder="words in the articles"></label>'
        f'<label>Since<input type="date" name="since" value="{esc(_date_text(since))}"></label>'
        f'<label>Until<input type="date" name="until" value="{esc(_date_text(until))}"></label>'
        f'<label>Outlet<input type="text" name="outlet" list="outlets" value="{esc(outlet or "")}"></label>'
        f'<datalist id="outlets">{options}</datalist>'
        '<button type="submit">Filter</button>'
        + ('<a href="/">Clear filters</a>' if filtered else "")
        + "</form>"
    )
    count = f"{len(stories)} {'story' if len(stories) == 1 else 'stories'}"
    header = (
        '<header class="top"><h1>Stories</h1>'
        f'<p class="meta">{count}{" matching the filters" if filtered else ""}'
        + (", newest first. Open one to compare how each outlet covers it." if stories else ".")
        + "</p>"
        f"{form}</header>"
    )
    if not stories:
        empty = (
            "No story matches these filters."
            if filtered
            else "No stories yet: add articles with <code>storyscope ingest</code> or POST /api/articles."
        )
        main = f'<main><p class="empty">{empty}</p></main>'
    else:
        rows = []
        for story in stories:
            state = " · closed" if story.closed else ""
            rows.append(
                f'<tr data-story="{esc(story.id)}">'
                f'<td><a class="story-link" href="{esc(story_url(story.id))}">{esc(story.label)}</a>'
                f'<div class="story-meta">updated {esc(_when(story.updated_at))}{state}</div></td>'
                f'<td class="dates">{esc(_dates(story))}</td>'
                f'<td class="n">{len(story.sources)}</td>'
                f'<td class="n">{story.size}</td>'
                f"<td>{_coverage_bar(story, outlets)}</td></tr>"
            )
        main = (
            '<main><div class="list-wrap"><table class="stories">'
            '<thead><tr><th scope="col">Story</th><th scope="col">Dates</th>'
            '<th scope="col" class="n">Outlets</th><th scope="col" class="n">Articles</th>'
            '<th scope="col">Outlets covering it</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div></main>"
        )
    title = f"Stories ({len(stories)})" + (" – filtered" if filtered else "") + " – storyscope"
    return html_document(title=title, header=header, main=main, script=False, form_action="'self'")


def story_page(story: StoryInfo, report: StoryReport) -> str:
    """One story: the full comparison report under a header that links back to the list."""
    page = ReportPage(report)
    toc, main = page.toc_and_main()
    facts = {c: sum(1 for f in report.facts if f.coverage == c) for c in ("all", "some", "one")}
    stats = (
        f"{_dates(story)} · {_plural(story.size, 'article')} from {_plural(len(story.sources), 'outlet')} · "
        f"{facts['all']} facts reported by all, {facts['some']} by some, {facts['one']} by one · "
        f"{_plural(len(report.conflicts), 'conflict')}"
    )
    header = (
        '<header class="top"><nav class="crumbs"><a href="/">← All stories</a></nav>'
        f"<h1>{esc(story.label)}</h1>"
        f'<p class="meta">{esc(stats)}</p>'
        f'<p class="meta">Outlets: {esc(", ".join(story.sources))} · version {story.version}, '
        f"updated {esc(_when(story.updated_at))}{' · closed' if story.closed else ''}</p>"
        f'<p class="downloads">Report as <a href="{esc(_report_url(story.id))}">JSON</a> · '
        f'<a href="{esc(_report_url(story.id, "md"))}">Markdown</a></p>'
        f"{toc}</header>"
    )
    return html_document(title=f"{story.label} – storyscope", header=header, main=main)
