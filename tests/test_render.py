"""Renderers: every format carries the key findings, JSON follows its schema, HTML is safe and self-contained."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from report_factory import make_report
from storyscope.records import (
    SCHEMA_VERSION,
    AnnotatedArticle,
    Article,
    Evidence,
    Fact,
    Sentence,
    StoryReport,
)
from storyscope.render import FORMATS, render, report_to_dict

DOCS = Path(__file__).resolve().parents[1] / "docs"


@pytest.fixture(scope="module")
def report() -> StoryReport:
    return make_report()


@pytest.fixture(scope="module")
def outputs(report: StoryReport) -> dict[str, str]:
    return {fmt: render(report, fmt) for fmt in FORMATS}


def _evidence_objects(node: Any) -> Iterator[dict]:
    """Every dict in the JSON that looks like evidence (has article_id and offsets)."""
    if isinstance(node, dict):
        if {"article_id", "sentence_index", "start", "end"} <= node.keys():
            yield node
        for value in node.values():
            yield from _evidence_objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from _evidence_objects(value)


# --------------------------------------------------------------------------- all formats


def test_unknown_format_names_the_choices(report: StoryReport) -> None:
    with pytest.raises(ValueError) as err:
        render(report, "pdf")
    msg = str(err.value)
    assert "'pdf'" in msg
    for fmt in FORMATS:
        assert fmt in msg


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_carries_the_key_findings(outputs: dict[str, str], fmt: str) -> None:
    out = outputs[fmt]
    for needle in (
        "Coastline Daily",  # outlets
        "Northbay Post",
        "ran aground off Gull Point",  # summary / agreed fact
        "declined to comment",  # single-outlet fact
        "Fifteen passengers",  # conflict side
        "Twelve passengers",
        "Harbour chief Voss",  # quote speaker as one outlet wrote it
        "struck rocks",  # framing term
        "Subscribe to our newsletter",  # dropped line
        "no article text found",  # failure
        "duplicate_article",  # notice
        "2026-03-03",  # timeline date
    ):
        assert needle in out, f"{fmt} output lacks {needle!r}"


@pytest.mark.parametrize("fmt", ["text", "md"])
def test_text_and_markdown_sections_in_order(outputs: dict[str, str], fmt: str) -> None:
    out = outputs[fmt]
    titles = [
        "Summary",
        "Agreed by all",
        "Reported by some",
        "Single-outlet facts",
        "Conflicts",
        "Who said what",
        "Entities with different names per outlet",
        "Framing",
        "Timeline",
        "Dropped lines",
        "Failures and notices",
    ]
    positions = [out.index(t) for t in titles]
    assert positions == sorted(positions)


def test_rendering_odd_reports_does_not_crash() -> None:
    """An empty report, evidence to a missing article and overlapping sentences must still render."""
    art = Article("x", "Solo Gazette", "", "Alpha beta. Gamma.")
    odd = StoryReport(
        articles=(
            AnnotatedArticle(
                art, (Sentence("x", 0, 0, 11, "Alpha beta."), Sentence("x", 1, 5, 99, "beta. Gamma."))
            ),
        ),
        facts=(Fact("f1", "ghost", (Evidence("missing", 0, 0, 5),), ("Nobody",), "one"),),
    )
    for r in (StoryReport(articles=()), odd):
        for fmt in FORMATS:
            assert render(r, fmt)
    assert "Alpha beta." in render(odd, "html")


# --------------------------------------------------------------------------- text and Markdown


def test_text_summary_has_citation_markers_mapping_to_article_list(outputs: dict[str, str]) -> None:
    text = outputs["text"]
    assert "[1] The Harbour Times" in text
    assert "[3] Northbay Post" in text
    assert re.search(r"ran aground off Gull Point on Tuesday, March 3\. \[1\]\[2\]\[3\]", text)
    assert "left out by: Northbay Post (omission)" in text
    assert all(len(line) <= 100 for line in text.splitlines())


def test_text_caps_long_lists() -> None:
    base = make_report()
    aid = base.articles[0].id
    many = tuple(
        Fact(f"x{i}", f"Extra fact {i}.", (Evidence(aid, 0, 0, 5),), ("The Harbour Times",), "one")
        for i in range(40)
    )
    out = render(dataclasses.replace(base, facts=base.facts + many), "text")
    assert "... and 27 more" in out  # 42 single-outlet facts, 15 shown


def test_markdown_citations_tables_and_escaping(outputs: dict[str, str]) -> None:
    md = outputs["md"]
    assert "[A1:s0][A2:s0][A3:s0]" in md
    assert "**A2** Coastline Daily" in md
    assert "| Fact | Text | Coastline Daily | Northbay Post | The Harbour Times |" in md
    assert "✗ omits" in md  # Northbay Post's omission in the coverage matrix
    assert "| **12 passengers** | The Harbour Times |" in md
    assert "| 2026-03-03 |" in md
    assert "<script>" not in md  # escaped as \<script\>
    assert r"\<script\>" in md


# --------------------------------------------------------------------------- JSON


def test_json_round_trips_and_matches_schema(outputs: dict[str, str]) -> None:
    data = json.loads(outputs["json"])
    schema = json.loads((DOCS / "storyscope-report.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)
    assert data["schema_version"] == SCHEMA_VERSION
    assert list(data)[:3] == ["schema_version", "generated", "sources"]
    assert data["sources"] == ["Coastline Daily", "Northbay Post", "The Harbour Times"]


def test_json_schema_rejects_undocumented_fields(outputs: dict[str, str]) -> None:
    data = json.loads(outputs["json"])
    schema = json.loads((DOCS / "storyscope-report.schema.json").read_text(encoding="utf-8"))
    data["facts"][0]["surprise"] = 1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)


def test_every_json_evidence_text_is_the_article_slice(report: StoryReport, outputs: dict[str, str]) -> None:
    data = json.loads(outputs["json"])
    texts = {a["id"]: a["text"] for a in data["articles"]}
    found = list(_evidence_objects(data))
    assert len(found) >= 20
    for ev in found:
        assert "text" in ev, ev
        assert ev["text"] == texts[ev["article_id"]][ev["start"] : ev["end"]]
        assert ev["text"] == report.cite(
            Evidence(ev["article_id"], ev["sentence_index"], ev["start"], ev["end"])
        )
    for a in data["articles"]:
        for s in a["sentences"]:
            assert 0 <= s["start"] <= s["end"] <= len(a["text"])


def test_json_findings_and_ids(outputs: dict[str, str]) -> None:
    data = json.loads(outputs["json"])
    facts = {f["id"]: f for f in data["facts"]}
    assert {f["coverage"] for f in facts.values()} == {"all", "some", "one"}
    assert facts["f3"]["missing_sources"] == ["Northbay Post"]
    assert data["omissions"][0] == {
        "source": "Northbay Post",
        "article_ids": ["np-3"],
        "fact_id": "f3",
        "reported_by": ["Coastline Daily", "The Harbour Times"],
    }
    conflict = data["conflicts"][0]
    assert conflict["kind"] == "number" and conflict["fact_id"] in facts
    assert [s["value"] for s in conflict["sides"]] == ["12 passengers", "15 passengers"]
    assert data["entities"][0]["aliases"] == ["Lena Voss", "Voss"]
    assert data["summary"][0]["article_numbers"] == [1, 2, 3]
    assert data["articles"][0]["dropped"][0]["reason"] == "promo"
    assert data["articles"][2]["published"] is None
    assert data["timeline"][0]["date"] == "2026-03-03"


def test_json_is_deterministic_apart_from_generated(report: StoryReport) -> None:
    again = dataclasses.replace(make_report(), generated="2030-01-01T00:00:00+00:00")
    first, second = report_to_dict(report), report_to_dict(again)
    assert first["generated"] != second["generated"]
    first.pop("generated"), second.pop("generated")
    assert json.dumps(first) == json.dumps(second)
    assert render(report, "json") == render(make_report(), "json")


def test_schema_doc_mentions_every_field() -> None:
    """docs/SCHEMA.md must document every property the JSON Schema allows."""
    schema = json.loads((DOCS / "storyscope-report.schema.json").read_text(encoding="utf-8"))
    doc = (DOCS / "SCHEMA.md").read_text(encoding="utf-8")
    names: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            names.update(node.get("properties", {}))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    missing = sorted(n for n in names if f"`{n}`" not in doc)
    assert not missing, f"SCHEMA.md does not document: {missing}"


# --------------------------------------------------------------------------- HTML


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def test_html_is_self_contained(outputs: dict[str, str]) -> None:
    html = outputs["html"]
    tags = _tags(html)
    for tag, attrs in tags:
        assert "src" not in attrs, f"<{tag} src=...> loads an external resource"
        assert tag not in ("link", "iframe", "object", "embed", "img"), tag
        if tag == "a" and attrs.get("href", "").startswith(("http://", "https://")):
            # The only http(s) URL allowed: a link the reader may follow to the original article.
            assert attrs["href"] == "https://harbourtimes.example/ferry"
    assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", html)
    assert sum(1 for tag, _ in tags if tag == "script") == 1
    assert sum(1 for tag, _ in tags if tag == "style") == 1
    csp = next(
        a["content"] for t, a in tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    )
    assert "default-src 'none'" in csp


def test_html_escapes_article_text_and_urls(outputs: dict[str, str]) -> None:
    html = outputs["html"]
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; photos" in html
    assert "&lt;b&gt;near&lt;/b&gt;" in html  # a title with markup is shown, not rendered
    assert 'href="javascript:' not in html.lower()


def test_html_has_a_span_per_sentence_with_coverage_classes(
    report: StoryReport, outputs: dict[str, str]
) -> None:
    html = outputs["html"]
    spans = {a["id"]: a for t, a in _tags(html) if t == "span" and a.get("id", "").startswith("s-")}
    for art in report.articles:
        for s in art.sentences:
            span = spans[f"s-{art.id}-{s.index}"]
            assert span["data-article"] == art.id and span["data-index"] == str(s.index)
    assert "cov-all" in spans["s-ht-1-0"]["class"]
    assert "cov-some" in spans["s-ht-1-3"]["class"]
    assert "cov-one" in spans["s-cd-2-3"]["class"]
    assert "conflict" in spans["s-cd-2-1"]["class"].split()
    assert "conflict" not in spans["s-cd-2-0"]["class"].split()
    # A sentence points at the same fact in the other articles.
    assert set(spans["s-ht-1-0"]["data-targets"].split()) == {"s-ht-1-0", "s-cd-2-0", "s-np-3-0"}
    for cls in ("highlight", "cov-all", "cov-some", "cov-one", "conflict"):
        assert f".{cls}" in html  # styled, and in the legend


def test_html_citations_and_facts_target_existing_sentences(outputs: dict[str, str]) -> None:
    html = outputs["html"]
    tags = _tags(html)
    ids = {a["id"] for _, a in tags if a.get("id")}
    triggers = [a for _, a in tags if a.get("data-targets")]
    cites = [a for t, a in tags if t == "a" and "cite" in (a.get("class") or "")]
    assert len(cites) >= 6
    assert any(a.get("data-targets") == "s-ht-1-0" for a in cites)  # summary sentence 1, article [1]
    for a in triggers:
        for target in a["data-targets"].split():
            assert target in ids, f"data-targets points at missing element {target}"
    assert re.search(r'<table class="matrix">', html)
    assert "omits" in html


class _ColumnText(HTMLParser):
    """Collects the visible text of each article column body (what the reader sees)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.columns: dict[str, str] = {}
        self._article: str | None = None
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "article":
            self._article = a.get("data-article")
        if tag == "div" and a.get("class") == "col-body":
            self._depth = 1
            self.columns[self._article or ""] = ""
        elif self._depth and tag == "div":
            self._depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self._depth and tag == "div":
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.columns[self._article or ""] += data


def _columns(html: str) -> dict[str, str]:
    parser = _ColumnText()
    parser.feed(html)
    return parser.columns


def test_html_columns_show_each_article_verbatim(report: StoryReport, outputs: dict[str, str]) -> None:
    columns = _columns(outputs["html"])
    assert columns == {a.id: a.article.text for a in report.articles}


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from(list("ab <>&\"'/\n.é")), min_size=1, max_size=60),
    cuts=st.lists(st.integers(min_value=0, max_value=60), max_size=6),
)
def test_html_never_lets_article_text_become_markup(text: str, cuts: list[int]) -> None:
    """Whatever the text and however odd the sentence spans, the column shows exactly the text."""
    bounds = sorted({0, len(text), *(min(c, len(text)) for c in cuts)})
    sents = tuple(
        Sentence("a<1>", i, s, e, text[s:e]) for i, (s, e) in enumerate(zip(bounds, bounds[1:], strict=False))
    )
    art = AnnotatedArticle(Article("a<1>", "Out<let>", "<i>t</i>", text, url="javascript:x"), sents)
    html = render(StoryReport(articles=(art,)), "html")
    assert _columns(html) == {"a<1>": text}
    assert [t for t, _ in _tags(html)].count("script") == 1
    assert "<i>" not in html and "<let>" not in html


def test_renderer_table_matches_formats() -> None:
    from storyscope.render import _RENDERERS

    assert tuple(_RENDERERS) == FORMATS


def test_aliases_listed_only_when_several_outlets_name_the_entity(report: StoryReport) -> None:
    from storyscope.records import Entity, EntityName
    from storyscope.render._view import ReportView

    ev = report.entities[0].names[0].evidence
    one_outlet = Entity("e9", "PERSON", "Dawn Johnsen", (EntityName("Hill", "Dawn Johnsen", ev), EntityName("Hill", "Johnsen", ev)))
    r = dataclasses.replace(report, entities=(*report.entities, one_outlet))
    assert [e.id for e in ReportView(r).aliased_entities()] == ["e1"]  # Lena Voss / Voss, by two outlets


def test_aliases_not_listed_when_every_outlet_names_the_entity_alike(report: StoryReport) -> None:
    from storyscope.records import Entity, EntityName
    from storyscope.render._view import ReportView

    ev = report.entities[0].names[0].evidence
    names = [EntityName(src, name, ev) for src in ("Hill", "Post") for name in ("Dawn Johnsen", "Johnsen")]
    alike = Entity("e9", "PERSON", "Dawn Johnsen", tuple(names))
    # Both outlets write "Dawn Johnsen" and then "Johnsen": no outlet names her differently.
    r = dataclasses.replace(report, entities=(*report.entities, alike))
    assert "e9" not in [e.id for e in ReportView(r).aliased_entities()]
    variant = Entity("e8", "GPE", "Kalvarro", (EntityName("Hill", "Kalvarro", ev), EntityName("Post", "Kalvaro", ev)))
    r = dataclasses.replace(report, entities=(*report.entities, variant))
    assert "e8" in [e.id for e in ReportView(r).aliased_entities()]
