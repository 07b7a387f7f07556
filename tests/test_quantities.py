"""Quantities: numbers with units, normalised so outlets' figures can be compared."""

from __future__ import annotations

import pytest

from storyscope.annotate.quantities import extract_quantities, same_amount
from storyscope.annotate.sentences import split_sentences


@pytest.fixture
def quants(nlp):
    def run(text: str):
        qs = extract_quantities(nlp(text), split_sentences(text, "a1"), "a1")
        for q in qs:
            assert text[q.start : q.end] == q.text
            assert q.article_id == "a1"
        return qs

    return run


@pytest.fixture
def one(quants):
    def run(text: str):
        qs = quants(text)
        assert len(qs) == 1, qs
        return qs[0]

    return run


# --------------------------------------------------------------------------- physical units


@pytest.mark.parametrize(
    ("text", "span", "value", "unit", "dim"),
    [
        ("Troops sealed a 14-kilometer strip.", "14-kilometer", 14000, "m", "length"),
        ("The strip is 14km long.", "14km", 14000, "m", "length"),
        ("The strip is 14 km long.", "14 km", 14000, "m", "length"),
        ("The strip is 8.7 miles long.", "8.7 miles", 14001.3, "m", "length"),
        ("The wave rose 300 feet.", "300 feet", 91.44, "m", "length"),
        ("A wall of 5 metres fell.", "5 metres", 5, "m", "length"),
        ("Fire burned 12 square kilometres.", "12 square kilometres", 12e6, "m2", "area"),
        ("Fire burned 40 hectares.", "40 hectares", 4e5, "m2", "area"),
        ("Fire burned 100 acres.", "100 acres", 404685.6, "m2", "area"),
        ("The barge carried 5,000 tonnes of grain.", "5,000 tonnes", 5e6, "kg", "mass"),
        ("Police seized 20 kg of resin.", "20 kg", 20, "kg", "mass"),
        ("The talks lasted 12 hours.", "12 hours", 43200, "s", "duration"),
        ("Gusts reached 120 km/h on the coast.", "120 km/h", 33.333, "m/s", "speed"),
        ("Gusts reached 75 mph on the coast.", "75 mph", 33.528, "m/s", "speed"),
        ("It was 86 degrees Fahrenheit at noon.", "86 degrees Fahrenheit", 30, "C", "temperature"),
        ("It was 30C at noon.", "30C", 30, "C", "temperature"),
        ("The magnitude 6.2 quake struck at dawn.", "magnitude 6.2", 6.2, "magnitude", "magnitude"),
    ],
)
def test_units_are_normalised(one, text, span, value, unit, dim):
    q = one(text)
    assert (q.text, q.unit, q.dimension) == (span, unit, dim)
    assert q.value == pytest.approx(value, rel=1e-3)


def test_the_same_strip_in_three_outlets_agrees(quants):
    a, b, c = (
        quants(t)[0]
        for t in ("Troops sealed a 14-kilometer strip.", "The strip runs 8.7 miles.", "It is 14km long.")
    )
    assert same_amount(a, b, 0.03) is True
    assert same_amount(b, c, 0.03) is True
    assert same_amount(a, b, 0.00001) is False  # 8.7 miles is 14001 m, not 14000


@pytest.mark.parametrize(
    ("text", "span", "value", "unit"),
    [
        ("Prices rose 12% in May.", "12%", 12, "%"),
        ("Prices rose 12 percent.", "12 percent", 12, "%"),
        ("Prices rose 12 per cent.", "12 per cent", 12, "%"),
        ("Support fell 2.5 percentage points.", "2.5 percentage points", 2.5, "pp"),
    ],
)
def test_percent(one, text, span, value, unit):
    q = one(text)
    assert (q.text, q.value, q.unit) == (span, value, unit)


# --------------------------------------------------------------------------- currency


@pytest.mark.parametrize(
    ("text", "span", "value", "unit"),
    [
        ("The repairs cost $4.5 million.", "$4.5 million", 4.5e6, "USD"),
        ("The repairs cost 4.5 million dollars.", "4.5 million dollars", 4.5e6, "USD"),
        ("The fund holds EUR 3bn now.", "EUR 3bn", 3e9, "EUR"),
        ("Tickets cost £200 each.", "£200", 200, "GBP"),
        ("The port got €3 billion in aid.", "€3 billion", 3e9, "EUR"),
        ("The bid was $1.2bn.", "$1.2bn", 1.2e9, "USD"),
        ("The club paid 3 million pounds.", "3 million pounds", 3e6, "GBP"),
        ("The fine was US$250,000.", "US$250,000", 250000, "USD"),
        ("The bill pours nearly a quarter-trillion dollars into research.", "nearly a quarter-trillion dollars", 2.5e11, "USD"),
        ("The port got a half-billion dollars.", "a half-billion dollars", 5e8, "USD"),
    ],
)
def test_currency(one, text, span, value, unit):
    q = one(text)
    assert (q.text, q.unit, q.dimension) == (span, unit, "currency")
    assert q.value == pytest.approx(value)


def test_pounds_alone_are_a_weight(one):
    q = one("The catch weighed 300 pounds.")
    assert (q.unit, q.dimension) == ("kg", "mass")


def test_different_currencies_are_not_comparable(quants):
    a, b = quants("It cost $5 million, or €5 million.")
    assert same_amount(a, b, 0.5) is None


# --------------------------------------------------------------------------- counts


@pytest.mark.parametrize(
    ("text", "span", "value", "unit"),
    [
        ("Twelve people were killed in the blast.", "Twelve people", 12, "people"),
        ("At least 300 homes were destroyed.", "At least 300 homes", 300, "home"),
        ("More than 1,200 residents fled the valley.", "More than 1,200 residents", 1200, "resident"),
        ("A dozen boats were lost.", "A dozen boats", 12, "boat"),
        ("Officials counted 2,026 people at the shelter.", "2,026 people", 2026, "people"),
        ("Rescuers found 1.2 million people without power.", "1.2 million people", 1.2e6, "people"),
        ("Three hundred and fifty people marched.", "Three hundred and fifty people", 350, "people"),
        ("Twenty-five workers were trapped.", "Twenty-five workers", 25, "worker"),
        ("One person died.", "One person", 1, "people"),
        ("Police arrested 12 Palestinian protesters.", "12 Palestinian protesters", 12, "protester"),
        ("The vaccine reached 60m people.", "60m people", 6e7, "people"),
    ],
)
def test_counts(one, text, span, value, unit):
    q = one(text)
    assert (q.text, q.value, q.unit, q.dimension) == (span, value, unit, "count")


def test_approximation_marker_is_cited_but_value_is_the_number(one):
    q = one("Nearly 40 boats sank.")
    assert (q.text, q.value) == ("Nearly 40 boats", 40)


def test_counts_compare_plural_insensitively(quants):
    (a,) = quants("Twelve people were killed.")
    (b,) = quants("Police said 12 persons died.")
    (c,) = quants("Others said 15 people died.")
    (d,) = quants("Crews saved 12 homes.")
    assert same_amount(a, b, 0.0) is True
    assert same_amount(a, c, 0.1) is False
    assert same_amount(a, d, 0.1) is None


def test_age(one):
    q = one("A 54-year-old fisherman was rescued.")
    assert (q.text, q.value, q.unit, q.dimension) == ("54-year-old", 54, "years", "age")
    # An age bound is an age, not a duration to set against "six months" elsewhere.
    q = one("The shots are for people 65 years and older.")
    assert (q.text, q.value, q.dimension) == ("65 years and older", 65, "age")
    assert one("Children under 12 years of age stay home.").dimension == "age"
    assert one("He served 65 years in prison.").dimension == "duration"


# --------------------------------------------------------------------------- not quantities


@pytest.mark.parametrize(
    "text",
    [
        "The mayor was elected in 2024.",
        "The port closed on March 3 and reopened 4 March.",
        "The meeting starts at 3 p.m. sharp.",
        "It was the third time this year.",
        "The COVID-19 ward and the F-35 jets were closed.",
        "He flew a Boeing 737 to the island.",
        "Call 555-1234 for details.",
        "The tug sank two days ago.",
        "Hundreds of people and dozens of boats waited.",
        "The score was 3-2 after extra time.",
        "The 1990s were good for the town.",
        "One of the men said no one knew.",
        "Two-thirds of voters agreed.",
        "They watched Million Dollar Baby.",
        "The ship was hit at 1100 hours.",
    ],
)
def test_not_quantities(quants, text):
    assert quants(text) == ()


def test_offsets_and_sentence_index(quants):
    text = "The storm hit the coast.\n\nAbout 300 homes were flooded and 14 km of road closed."
    qs = quants(text)
    assert [(q.sentence_index, q.text) for q in qs] == [(1, "About 300 homes"), (1, "14 km")]
    assert text.index("About 300") == qs[0].start


def test_odd_input(nlp):
    assert extract_quantities(nlp(""), (), "a") == ()
    qs = extract_quantities(nlp("Crews saved 12 homes."), (), "a")  # no sentences given
    assert [(q.sentence_index, q.value) for q in qs] == [(0, 12)]


def test_same_amount_zero_values(quants):
    (a,) = quants("Prices rose 0% this month.")
    assert same_amount(a, a, 0.0) is True
