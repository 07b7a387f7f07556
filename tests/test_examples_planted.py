"""Check that tests/fixtures/planted_examples.json matches the bundled example story, word for word.

Other tests measure the pipeline against the planted key, so a typo in either the
articles or the answer key would silently turn a real miss into a pass (or the
reverse). This test reads only the raw files -- no storyscope code -- so it
keeps the answer key honest independently of the engine.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PLANTED = json.loads(
    (Path(__file__).resolve().parent / "fixtures" / "planted_examples.json").read_text(encoding="utf-8")
)


def _raw_text(file: str) -> str:
    """The article as a phrase can be found in it: JSON is decoded (its quotes are escaped on disk)."""
    raw = (EXAMPLES / file).read_text(encoding="utf-8")
    if file.endswith(".json"):
        obj = json.loads(raw)
        return obj["title"] + "\n\n" + obj["text"]
    return raw


TEXTS: dict[str, str] = {a["source"]: _raw_text(a["file"]) for a in PLANTED["articles"]}
SOURCES = set(TEXTS)


def _phrase_items() -> list[tuple[str, str, str]]:
    """Every (section, source, verbatim phrase) the answer key claims is in an article."""
    items: list[tuple[str, str, str]] = []
    for section in ("agreements", "omissions", "single_outlet"):
        for entry in PLANTED[section]:
            items += [(section, src, ph) for src, ph in entry["phrases"].items()]
    for section in ("conflicts", "non_conflicts"):
        for entry in PLANTED[section]:
            items += [(section, src, ph) for src, ph in entry["sides"].items()]
    for entry in PLANTED["aliases"]:
        items += [("aliases", src, name) for src, name in entry["names"].items()]
    for entry in PLANTED["framing"]:
        for side in ("loaded", "neutral"):
            items += [("framing", src, ph) for src, ph in entry[side].items()]
    items += [("coreference", e["source"], e["mention"]) for e in PLANTED["coreference"]]
    items += [("dropped", e["source"], e["text"]) for e in PLANTED["dropped"]]
    items += [("boilerplate", e["source"], e["text"]) for e in PLANTED["boilerplate"]]
    return items


@pytest.mark.parametrize(("section", "source", "phrase"), _phrase_items())
def test_phrase_occurs_verbatim(section: str, source: str, phrase: str) -> None:
    assert source in SOURCES, f"{section}: unknown source {source!r}"
    assert phrase in TEXTS[source], f"{section}: {phrase!r} not found in {source}"


def test_four_outlets_with_dates_matching_their_files() -> None:
    assert len(PLANTED["articles"]) == 4
    for art in PLANTED["articles"]:
        raw = (EXAMPLES / art["file"]).read_text(encoding="utf-8")
        assert art["date"] in raw
        assert art["source"] in raw


def test_agreements_cover_every_outlet() -> None:
    assert len(PLANTED["agreements"]) >= 3
    for entry in PLANTED["agreements"]:
        assert set(entry["phrases"]) == SOURCES, entry["desc"]


def test_omitting_outlet_really_leaves_the_fact_out() -> None:
    for entry in PLANTED["omissions"]:
        missing = entry["missing_from"]
        assert set(entry["phrases"]) == SOURCES - {missing}, entry["desc"]
        assert entry["absent_marker"].lower() not in TEXTS[missing].lower(), entry["desc"]
        for src in entry["phrases"]:
            assert entry["absent_marker"].lower() in TEXTS[src].lower(), (src, entry["desc"])


def test_conflicts_have_differing_sides() -> None:
    kinds = {c["kind"] for c in PLANTED["conflicts"]}
    assert {"number", "speaker", "negation"} <= kinds
    for c in PLANTED["conflicts"]:
        if "values" in c:
            assert len(set(c["values"].values())) >= 2, c["desc"]
        if c["kind"] == "speaker":
            assert len(set(c["speakers"].values())) >= 2
            for src in c["sides"]:
                assert c["quote"] in TEXTS[src]


def test_spelling_variant_is_exclusive() -> None:
    """The variant spelling is the only spelling in its outlet, so a match needs fuzzy aliasing."""
    place = next(a for a in PLANTED["aliases"] if a["kind"] == "spelling_variant")
    for src, name in place["names"].items():
        if name != place["entity"]:
            assert not re.search(rf"\b{place['entity']}\b", TEXTS[src])


def test_dropped_lines_are_whole_lines() -> None:
    for entry in PLANTED["dropped"]:
        lines = [line.strip() for line in TEXTS[entry["source"]].splitlines()]
        assert entry["text"] in lines, entry["text"]


def test_single_outlet_fact_is_unique() -> None:
    for entry in PLANTED["single_outlet"]:
        marker = entry["absent_marker"].lower()
        assert marker in TEXTS[entry["source"]].lower()
        for src, text in TEXTS.items():
            if src != entry["source"]:
                assert marker not in text.lower(), src
