"""Quote ledger: each outlet's version of a quote classified, with evidence, in every output format.

The fixture story (tests/fixtures/ledger/: an invented factory fire in Saltmere) plants one case each:
a quote printed verbatim by two outlets and given to the mayor by a third, a trimmed quote (one part
cut, one ellipsis-joined), a word changed inside quotation marks, and a paraphrase printed as a direct
quote. Unit tests on hand-built records cover the word diff and the grouping rules.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

import storyscope
from storyscope.compare.ledger import build_ledger, compare_wording
from storyscope.compare.quotes import group_quotes
from storyscope.config import CompareConfig
from storyscope.records import AnnotatedArticle, Article, LedgerEntry, Mention, Quote, Sentence, StoryReport
from storyscope.render import render, report_to_dict

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "ledger"


@pytest.fixture(scope="module")
def report(models) -> StoryReport:
    return storyscope.compare([FIXTURES], models=models)


def _entry(report: StoryReport, words: str) -> LedgerEntry:
    found = [e for e in report.quote_ledger if words.casefold() in e.reference.casefold()]
    assert len(found) == 1, [e.reference for e in report.quote_ledger]
    return found[0]


def _versions(entry: LedgerEntry) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for q in entry.versions:
        out[q.source] = (*out.get(q.source, ()), q.kind)
    return out


def _assert_evidence(report: StoryReport, entry: LedgerEntry) -> None:
    for q in entry.versions:
        cited = report.cite(q.evidence)
        assert q.content in cited, (q.source, q.content, cited)
        assert report.article(q.article_id).article.source == q.source


# --------------------------------------------------------------------------- the fixture story


def test_verbatim_in_two_outlets_and_given_to_another_speaker(report):
    e = _entry(report, "The fire is under control")
    assert e.speaker == "Aldo Renquist"
    assert _versions(e) == {
        "Dovren Daily": ("verbatim",),
        "Saltmere Gazette": ("verbatim",),
        "Coastline News": ("other_speaker",),
        "Riverside Post": ("paraphrased",),  # "also said the fire was under control but ..."
    }
    (other,) = [q for q in e.versions if q.kind == "other_speaker"]
    assert other.speaker == "Helena Vostrik"
    assert "Mayor Helena Vostrik said" in report.cite(other.evidence)  # the attribution is in the evidence
    (indirect,) = [q for q in e.versions if q.source == "Riverside Post"]
    assert indirect.quote_kind == "indirect"
    # Several outlets quote these words directly: nothing looks like a paraphrase printed as a quote.
    assert not any(q.paraphrase_as_direct for q in e.versions)
    _assert_evidence(report, e)


def test_trimmed_quote_cut_and_ellipsis(report):
    e = _entry(report, "We will find out how this happened, and we will not stop")
    assert e.versions[0].source == "Saltmere Gazette"  # the full quote is the reference
    assert _versions(e) == {
        "Saltmere Gazette": ("verbatim",),
        "Coastline News": ("trimmed",),  # the second half only
        "Riverside Post": ("trimmed",),  # "... how this happened ... until every family ..."
    }
    assert all(not q.changed and not q.paraphrase_as_direct for q in e.versions)
    _assert_evidence(report, e)


def test_altered_quote_records_the_changed_word(report):
    e = _entry(report, "Safety has always been our")
    assert e.reference == "Safety has always been our first priority at this plant"  # two outlets print it
    assert _versions(e) == {
        "Saltmere Gazette": ("verbatim",),
        "Riverside Post": ("verbatim",),
        "Dovren Daily": ("altered",),
    }
    (altered,) = [q for q in e.versions if q.kind == "altered"]
    assert altered.changed == (("first", "top"),)
    assert "our top priority" in report.cite(altered.evidence)
    _assert_evidence(report, e)


def test_paraphrase_printed_as_direct_quote_is_flagged(report):
    e = _entry(report, "through the weekend to watch for hot spots")
    by_source = {q.source: q for q in e.versions}
    direct, indirect = by_source["Riverside Post"], by_source["Saltmere Gazette"]
    assert (direct.quote_kind, direct.paraphrase_as_direct) == ("direct", True)
    assert (indirect.quote_kind, indirect.kind) == ("indirect", "paraphrased")
    assert not indirect.paraphrase_as_direct
    assert report.cite(direct.evidence).startswith('"Crews will stay at the site')
    assert "Renquist said crews would stay" in report.cite(indirect.evidence)
    _assert_evidence(report, e)


def test_only_quotes_reported_by_several_outlets_and_notable_first(report):
    assert len(report.quote_ledger) == 4
    for e in report.quote_ledger:
        assert len({q.source for q in e.versions}) >= 2
        assert any(q.quote_kind == "direct" for q in e.versions)
    # Single-outlet attributions ("..., the Dovren Fire Service said") are not ledger entries.
    assert not any("smoke inhalation" in e.reference for e in report.quote_ledger)
    ids = [e.id for e in report.quote_ledger]
    assert len(set(ids)) == len(ids)


def test_ledger_in_every_format(report):
    text = render(report, "text")
    assert "Quote ledger (4)" in text
    assert "other speaker · Coastline News" in text
    assert "changed: “first” → “top”" in text
    assert "paraphrase printed as a quote?" in text

    md = render(report, "md")
    assert "## Quote ledger (4)" in md
    assert "*altered* · Dovren Daily" in md
    assert "*other speaker* · Coastline News" in md
    assert "paraphrase printed as a quote?" in md

    page = render(report, "html")
    section = page[page.index('<section id="ledger">') :]
    section = section[: section.index("</section>")]
    assert "Quote ledger" in section and section.count('class="card"') == 4
    assert ">other speaker</span>" in section and ">altered</span>" in section
    assert "paraphrase as quote?" in section
    assert "“first” → “top”" in section

    data = json.loads(render(report, "json"))
    schema = json.loads((ROOT / "docs" / "storyscope-report.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    assert data == report_to_dict(report) | {"generated": data["generated"]}
    kinds = {(v["source"], v["kind"]) for e in data["quote_ledger"] for v in e["versions"]}
    expected = {("Coastline News", "other_speaker"), ("Dovren Daily", "altered")}
    expected |= {("Coastline News", "trimmed")}
    assert expected <= kinds
    texts = {a["id"]: a["text"] for a in data["articles"]}
    for e in data["quote_ledger"]:
        for v in e["versions"]:
            ev = v["evidence"]
            assert texts[ev["article_id"]][ev["start"] : ev["end"]] == ev["text"]
            assert v["content"] in ev["text"]
    altered = next(v for e in data["quote_ledger"] for v in e["versions"] if v["kind"] == "altered")
    assert altered["changed"] == [{"reference": "first", "version": "top"}]


def test_example_story_ledger(example_report):
    e = _entry(example_report, "We are racing against time")
    assert e.speaker == "Ines Marlow"
    assert _versions(e) == {
        "Harbour Wire": ("verbatim",),
        "The Vestmar Courier": ("verbatim",),
        "Meridian Post": ("other_speaker",),
    }
    (other,) = [q for q in e.versions if q.kind == "other_speaker"]
    assert other.speaker == "Tomas Brenner"
    _assert_evidence(example_report, e)
    assert "Quote ledger" in render(example_report, "text")


# --------------------------------------------------------------------------- the word diff


@pytest.mark.parametrize(
    ("version", "kind", "changed"),
    [
        ("We will rebuild every home in the Calder quarter.", "verbatim", ()),
        ("we will REBUILD every home in the calder quarter", "verbatim", ()),  # case and punctuation
        ("every home in the Calder quarter", "trimmed", ()),
        ("We will rebuild ... the Calder quarter", "trimmed", ()),
        ("We will rebuild \u2026 in the Calder quarter", "trimmed", ()),
        ("We will rebuild every house in the Calder quarter", "altered", (("home", "house"),)),
        ("We will rebuild every home in the quarter", "altered", (("calder", ""),)),  # cut, no ellipsis
        ("We will rebuild every single home in the Calder quarter", "altered", (("", "single"),)),
        ("The quarter is going to be put back together, house by house", "paraphrased", ()),
    ],
)
def test_compare_wording(version, kind, changed):
    diff = compare_wording("We will rebuild every home in the Calder quarter", version)
    assert (diff.kind, diff.changed) == (kind, changed)


# --------------------------------------------------------------------------- grouping rules on records


def _article(
    aid: str, source: str, text: str, quotes: list[tuple[str, str, str | None]], names=()
) -> AnnotatedArticle:
    """An annotated article with one sentence per line and the given (content, kind, speaker) quotes."""
    sentences, pos = [], 0
    for i, line in enumerate(text.split("\n")):
        sentences.append(Sentence(aid, i, pos, pos + len(line), line))
        pos += len(line) + 1

    def sent_of(start: int) -> int:
        return next(s.index for s in sentences if s.start <= start <= s.end)

    qs = []
    for content, kind, speaker in quotes:
        start = text.index(content)
        end = start + len(content)
        qs.append(Quote(aid, sent_of(start), start, end, content, kind, speaker))  # type: ignore[arg-type]
    mentions = []
    for name in names:
        start = text.index(name)
        mentions.append(Mention(aid, sent_of(start), start, start + len(name), name, "PERSON"))
    art = Article(aid, source, "t", text)
    return AnnotatedArticle(art, tuple(sentences), tuple(mentions), tuple(qs))


def _ledger(*articles: AnnotatedArticle) -> tuple[LedgerEntry, ...]:
    return build_ledger(articles, group_quotes(articles), CompareConfig())


_EVACUATED = "We have evacuated every school in the valley and moved the children to Ostra"
_SCHOOLS = "all schools in the valley had been evacuated and the children moved to Ostra"


def test_direct_and_tense_shifted_indirect_join_one_entry():
    a = _article("a", "Outlet A", f'"{_EVACUATED}," Lena Brix said.', [(_EVACUATED, "direct", "Lena Brix")],
                 ["Lena Brix"])
    b = _article(
        "b", "Outlet B", f"Brix said {_SCHOOLS}.", [(_SCHOOLS, "indirect", "Lena Brix")], ["Brix"],
    )
    assert len(group_quotes([a, b])) == 2  # the word-level grouping leaves them apart...
    (entry,) = _ledger(a, b)  # ... the ledger joins them by content words
    assert [(q.source, q.kind, q.paraphrase_as_direct) for q in entry.versions] == [
        ("Outlet A", "verbatim", True),
        ("Outlet B", "paraphrased", False),
    ]


def test_tense_shift_with_a_different_named_speaker_is_not_joined():
    a = _article("a", "Outlet A", f'"{_EVACUATED}," Lena Brix said.', [(_EVACUATED, "direct", "Lena Brix")],
                 ["Lena Brix"])
    b = _article(
        "b", "Outlet B", f"Oskar Veld said {_SCHOOLS}.", [(_SCHOOLS, "indirect", "Oskar Veld")],
        ["Oskar Veld"],
    )
    assert _ledger(a, b) == ()


def test_unnamed_speakers_are_never_another_speaker():
    quote = "The water came up faster than anyone expected"
    a = _article("a", "Outlet A", f'"{quote}," Governor Ada Mirren said.', [(quote, "direct", "Ada Mirren")],
                 ["Ada Mirren"])
    b = _article("b", "Outlet B", f'"{quote}," an official said.', [(quote, "direct", "an official")])
    c = _article("c", "Outlet C", f'"{quote}," Mirren said.', [(quote, "direct", "Mirren")], ["Mirren"])
    (entry,) = _ledger(a, b, c)
    assert {q.source: q.kind for q in entry.versions} == {
        "Outlet A": "verbatim", "Outlet B": "verbatim", "Outlet C": "verbatim",
    }
    assert entry.speaker == "Ada Mirren"


def test_reference_is_the_wording_most_outlets_print():
    """An outlet that adds a word is the altered one, not the two that print the shorter quote."""
    short = "We will rebuild every home in this town"
    longer = "We will rebuild every single home in this town"
    arts = [
        _article(aid, src, f'"{q}," Ada Mirren said.', [(q, "direct", "Ada Mirren")], ["Ada Mirren"])
        for aid, src, q in (("a", "Outlet A", short), ("b", "Outlet B", longer), ("c", "Outlet C", short))
    ]
    (entry,) = _ledger(*arts)
    assert entry.reference == short
    assert {q.source: (q.kind, q.changed) for q in entry.versions} == {
        "Outlet A": ("verbatim", ()),
        "Outlet C": ("verbatim", ()),
        "Outlet B": ("altered", (("", "single"),)),
    }


def test_single_outlet_and_indirect_only_utterances_are_left_out():
    quote = "The harbour wall will be repaired before the winter storms"
    repaired = "the harbour wall would be repaired"
    a = _article("a", "Outlet A", f'"{quote}," Ada Mirren said.\nShe said {repaired}.',
                 [(quote, "direct", "Ada Mirren"), (repaired, "indirect", "Ada Mirren")], ["Ada Mirren"])
    b = _article("b", "Outlet B", "Mirren said the ferry service would resume on Monday morning.",
                 [("the ferry service would resume on Monday morning", "indirect", "Mirren")], ["Mirren"])
    c = _article("c", "Outlet C", "Mirren said the ferry service would resume on Monday morning.",
                 [("the ferry service would resume on Monday morning", "indirect", "Mirren")], ["Mirren"])
    assert _ledger(a, b, c) == ()


def test_indirect_report_quoting_some_of_the_same_words_corroborates_the_direct_quote():
    marked = 'all schools in the valley had been evacuated and the children moved to "Ostra" at dawn'
    words = 'all schools in the valley had been evacuated and "moved the children" to Ostra'
    a = _article("a", "Outlet A", f'"{_EVACUATED}," Lena Brix said.', [(_EVACUATED, "direct", "Lena Brix")],
                 ["Lena Brix"])
    # a one-word fragment ("Ostra") proves nothing; a run of the quote's words does
    for content, flagged in ((marked, True), (words, False)):
        b = _article("b", "Outlet B", f"Brix said {content}.", [(content, "indirect", "Lena Brix")], ["Brix"])
        (entry,) = _ledger(a, b)
        assert [(q.source, q.paraphrase_as_direct) for q in entry.versions] == [
            ("Outlet A", flagged), ("Outlet B", False)
        ]
