"""The served web pages: escaping, links, echoed filters, plots, and nothing loaded from the network."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from html.parser import HTMLParser

import pytest

from report_factory import CD, HT, NP, make_report
from storyscope.records import Evidence, StoryInfo, StoryReport, TimelineEvent
from storyscope.render import render
from storyscope.serve.pages import story_list_page, story_page, story_url

ARTICLE_URL = "https://harbourtimes.example/ferry"  # the one http(s) link in make_report()


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    handle_startendtag = handle_starttag

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(page: str) -> _Tags:
    parser = _Tags()
    parser.feed(page)
    return parser


def _info(**changes: object) -> StoryInfo:
    base = StoryInfo(
        id="st 1&x",
        label='Ferry <script>alert("x")</script> aground',
        article_ids=("ht-1", "cd-2", "np-3"),
        sources=(CD, NP, HT),
        first_published=dt.date(2026, 3, 3),
        last_published=dt.date(2026, 3, 4),
        version=3,
        updated_at="2026-03-05T10:00:00+00:00",
    )
    return dataclasses.replace(base, **changes)


@pytest.fixture(scope="module")
def report() -> StoryReport:
    return make_report()


@pytest.fixture(scope="module")
def page(report: StoryReport) -> str:
    return story_page(_info(), report)


def _assert_offline(page: str, *, scripts: int) -> None:
    """No tag loads anything; the only absolute links are article links the reader may follow."""
    tags = _parse(page).tags
    for tag, attrs in tags:
        assert "src" not in attrs and "srcset" not in attrs, tag
        assert tag not in ("link", "img", "iframe", "object", "embed", "image", "use"), tag
        for key in ("href", "action", "xlink:href"):
            value = attrs.get(key, "")
            if tag == "a" and value == ARTICLE_URL:
                continue
            assert not re.match(r"\s*([a-z][a-z0-9+.-]*:|//)", value, re.I), f"<{tag} {key}={value!r}>"
    assert not re.search(r"@import|url\(", page)
    assert not re.search(r"(src|href)=\"(https?:)?//", page.replace(f'href="{ARTICLE_URL}"', ""))
    assert sum(tag == "script" for tag, _ in tags) == scripts
    csp = _csp(page)
    assert "default-src 'none'" in csp and "connect-src" not in csp


def _csp(page: str) -> str:
    return next(
        a["content"]
        for t, a in _parse(page).tags
        if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    )


# --------------------------------------------------------------------------- story list


def test_story_list_rows_link_to_stories_with_dates_counts_and_bar() -> None:
    one = _info()
    two = _info(
        id="b/2",
        label="Port strike",
        sources=(HT,),
        article_ids=("z",),
        first_published=None,
        last_published=None,
        closed=True,
    )
    page = story_list_page([one, two])
    parsed = _parse(page)
    links = [a["href"] for t, a in parsed.tags if t == "a" and "story-link" in a.get("class", "")]
    assert links == ["/stories/st%201%26x", "/stories/b%2F2"] == [story_url("st 1&x"), story_url("b/2")]
    text = "".join(parsed.text)
    assert "2026-03-03 – 2026-03-04" in text and "undated" in text
    assert "updated 2026-03-05 10:00" in text and "closed" in text
    rows = re.findall(r"<tr data-story=.*?</tr>", page)
    assert len(rows) == 2
    # Outlets and articles columns, and one filled slot per outlet of the story (3 outlets on the page).
    assert re.findall(r'<td class="n">(\d+)</td>', rows[0]) == ["3", "3"]
    assert re.findall(r'<td class="n">(\d+)</td>', rows[1]) == ["1", "1"]
    assert rows[0].count('<rect class="on"') == 3 and rows[0].count('<rect class="slot"') == 0
    assert rows[1].count('<rect class="on"') == 1 and rows[1].count('<rect class="slot"') == 2
    assert f"covers {HT}" in rows[1] and f"no article from {CD}" in rows[1]


def test_story_list_escapes_labels() -> None:
    page = story_list_page([_info()])
    assert "<script>alert" not in page
    assert "Ferry &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; aground" in page
    _assert_offline(page, scripts=0)


def test_story_list_echoes_filters_in_the_form() -> None:
    page = story_list_page(
        [_info()],
        query='kalvarro "mud" <b>',
        since=dt.date(2026, 3, 1),
        until="2026-03-09",
        outlet="Harbour & Co",
    )
    inputs = {a["name"]: a.get("value", "") for t, a in _parse(page).tags if t == "input"}
    assert inputs == {
        "q": 'kalvarro "mud" <b>',
        "since": "2026-03-01",
        "until": "2026-03-09",
        "outlet": "Harbour & Co",
    }
    form = next(a for t, a in _parse(page).tags if t == "form")
    assert (form["method"], form["action"]) == ("get", "/")
    assert "form-action 'self'" in _csp(page)  # the CSP lets the filter form submit
    assert '<a href="/">Clear filters</a>' in page and "1 story matching the filters" in page
    options = [a["value"] for t, a in _parse(page).tags if t == "option"]
    assert options == sorted(_info().sources)


def test_story_list_without_filters_and_empty() -> None:
    plain = story_list_page([_info()])
    inputs = {a["name"]: a.get("value", "") for t, a in _parse(plain).tags if t == "input"}
    assert set(inputs.values()) == {""}
    assert "Clear filters" not in plain and "1 story," in plain
    assert "No stories yet" in story_list_page([])
    filtered = story_list_page([], outlet="Nobody")
    assert "No story matches these filters" in filtered and "Clear filters" in filtered


# --------------------------------------------------------------------------- story page


def test_story_page_header_links_back_and_to_the_api(page: str) -> None:
    hrefs = [a["href"] for t, a in _parse(page).tags if t == "a" and "href" in a]
    assert "/" in hrefs
    assert "/api/stories/st%201%26x/report?format=json" in hrefs
    assert "<script>alert" not in page and "Ferry &lt;script&gt;" in page
    assert re.search(r"<title>Ferry &lt;script&gt;.*storyscope</title>", page)
    text = "".join(_parse(page).text)
    assert "3 articles from 3 outlets" in text and "2 facts reported by all, 2 by some, 2 by one" in text


def test_story_page_is_the_report_plus_header(report: StoryReport, page: str) -> None:
    """Same sections, citations and sentence ids as the standalone report."""
    standalone = render(report, "html")
    ids = lambda html: {a["id"] for _, a in _parse(html).tags if "id" in a}  # noqa: E731
    assert ids(standalone) <= ids(page)
    for section in ("summary", "articles", "facts", "conflicts", "quotes", "timeline"):
        assert f'<section id="{section}">' in page
    cites = [a for t, a in _parse(page).tags if t == "a" and "cite" in a.get("class", "").split()]
    assert cites and cites[0]["data-targets"] == "s-ht-1-0"
    assert "Twelve passengers" in page and "Fifteen passengers" in page  # the conflict, both sides
    assert "Harbour chief Voss" in page  # who said what


def test_story_page_loads_nothing(page: str) -> None:
    _assert_offline(page, scripts=1)


def test_every_plot_mark_targets_existing_sentences(page: str) -> None:
    tags = _parse(page).tags
    ids = {a["id"] for _, a in tags if "id" in a}
    marks = [(t, a) for t, a in tags if "data-targets" in a and t in ("rect", "g", "path")]
    assert len(marks) >= 10
    for _, a in marks:
        assert a["data-targets"].split()
        assert set(a["data-targets"].split()) <= ids


def test_coverage_matrix_plot_shows_who_reports_and_who_omits(report: StoryReport, page: str) -> None:
    plot = re.search(r'<figure class="plot" id="coverage-plot">.*?</figure>', page, re.S).group(0)
    assert plot.count('<rect class="cell cov-') == sum(len(f.sources) for f in report.facts) == 12
    cells = len(report.facts) * len(report.sources)
    assert plot.count('<rect class="cell') == cells
    assert plot.count('<rect class="cell omit"') == 1 and f"{NP} leaves out f3" in plot
    assert plot.count('class="conflict-mark"') == 1  # f3 is in a conflict
    for source in report.sources:
        assert f">{source}</text>" in plot
    # A square targets that outlet's sentence only.
    assert re.search(rf'data-targets="s-cd-2-1"[^>]*aria-label="{CD} reports f3', plot)
    assert '<table class="matrix">' in page  # the detailed table is still there


def test_timeline_plot_has_a_mark_per_dated_event_and_outlet(report: StoryReport, page: str) -> None:
    plot = re.search(r'<figure class="plot" id="timeline-plot">.*?</figure>', page, re.S).group(0)
    events = re.findall(r'<g class="event" data-targets="([^"]*)"[^>]*aria-label="([^"]*)"', plot)
    # One event, reported by two outlets: one mark in each outlet's lane, with its own sentence.
    assert sorted(events) == [
        ("s-ht-1-0", f"{HT}, 2026-03-03: The ferry Aldmere Star ran aground off Gull Point."),
        ("s-np-3-0", f"{NP}, 2026-03-03: The ferry Aldmere Star ran aground off Gull Point."),
    ]
    assert ">3 Mar</text>" in plot and ">4 Mar<" in plot and ">2026</text>" in plot
    assert plot.count('<path class="pub"') == 2  # two articles have a publication date


def test_timeline_plot_compresses_long_gaps() -> None:
    base = make_report()
    old = TimelineEvent(
        dt.date(2023, 1, 1), "year", "A survey warned of the risk.", (Evidence("cd-2", 3, 0, 5),), ("cd-2",)
    )
    html = render(dataclasses.replace(base, timeline=(old, *base.timeline)), "html")
    svg = re.search(r'<svg class="timeline-plot" width="(\d+)"', html)
    assert svg and int(svg.group(1)) < 600  # three years did not become three thousand pixels
    assert "+3 yr</text>" in html and ">2023<" in html


def test_no_timeline_plot_without_events(report: StoryReport) -> None:
    html = render(dataclasses.replace(report, timeline=()), "html")
    assert "timeline-plot" not in html and "No dated events." in html
