"""Cross-article stages on hand-built records: entities, omissions, conflicts, quotes, framing, timeline.

No models are loaded here: every AnnotatedArticle is built by hand, so each test pins one rule.
"""

from __future__ import annotations

import datetime as dt

from storyscope.compare import figures_elsewhere, find_omissions, quote_tails, quoted_elsewhere
from storyscope.compare.conflicts import find_conflicts
from storyscope.compare.entities import entity_for_name, name_key, resolve_entities
from storyscope.compare.framing import find_framing
from storyscope.compare.quotes import group_quotes, same_utterance
from storyscope.compare.timeline import build_timeline
from storyscope.config import CompareConfig
from storyscope.records import (
    AnnotatedArticle,
    Article,
    Evidence,
    Fact,
    Mention,
    Quantity,
    Quote,
    Sentence,
    TimeMention,
)


def make_article(aid: str, source: str, sentences: list[str], title: str = "", **ann) -> AnnotatedArticle:
    text = " ".join(sentences)
    sents, pos = [], 0
    for i, s in enumerate(sentences):
        start = text.index(s, pos)
        sents.append(Sentence(aid, i, start, start + len(s), s))
        pos = start + len(s)
    art = Article(aid, source, title or f"{source} headline", text, dt.date(2026, 3, 4))
    return AnnotatedArticle(art, tuple(sents), **ann)


def mention(a: AnnotatedArticle, text: str, label: str, nth: int = 0) -> Mention:
    body = a.article.text
    start = -1
    for _ in range(nth + 1):
        start = body.index(text, start + 1)
    idx = max(s.index for s in a.sentences if s.start <= start)
    return Mention(a.id, idx, start, start + len(text), text, label)


def fact(fid: str, *arts_and_idx: tuple[AnnotatedArticle, int]) -> Fact:
    evs = tuple(a.sentences[i].evidence for a, i in arts_and_idx)
    sources = tuple(sorted({a.article.source for a, _ in arts_and_idx}))
    return Fact(fid, arts_and_idx[0][0].sentences[arts_and_idx[0][1]].text, evs, sources, "some")


# ------------------------------------------------------------------ entities


def test_name_key_strips_titles_and_accents():
    assert name_key("Governor Inés Marlow") == "ines marlow"
    assert name_key("Theodore J. Boutrous Jr.") == "theodore j boutrous"
    assert name_key("Boutrous Jr.") == "boutrous jr"  # too short to tell
    assert name_key("Mr. Okafor") == "okafor"


def test_entities_merge_surname_title_and_spelling_variant():
    a = make_article("a", "Wire", ["Governor Ines Marlow visited Kalvarro.", "Marlow said the town would recover."])
    b = make_article("b", "Post", ["Governor Marlow toured Kalvaro on Tuesday."])
    a = AnnotatedArticle(a.article, a.sentences, mentions=(
        mention(a, "Ines Marlow", "PERSON"), mention(a, "Kalvarro", "GPE"), mention(a, "Marlow", "PERSON", 1)))
    b = AnnotatedArticle(b.article, b.sentences, mentions=(mention(b, "Marlow", "PERSON"), mention(b, "Kalvaro", "LOC")))
    ents = resolve_entities([a, b])
    by_name = {e.name: e for e in ents}
    assert set(by_name) == {"Ines Marlow", "Kalvarro"} or set(by_name) == {"Ines Marlow", "Kalvaro"}
    person = by_name["Ines Marlow"]
    assert {n.source for n in person.names} == {"Wire", "Post"}
    place = next(e for e in ents if e.label in {"GPE", "LOC"})
    assert set(place.aliases) == {"Kalvarro", "Kalvaro"}
    assert entity_for_name(ents, "Governor Marlow") == person.id


def test_entities_do_not_merge_different_people_with_short_or_distinct_names():
    a = make_article("a", "Wire", ["Anna Berg met Anna Borg in Mali.", "Officials in Bali agreed."])
    a = AnnotatedArticle(a.article, a.sentences, mentions=(
        mention(a, "Anna Berg", "PERSON"), mention(a, "Anna Borg", "PERSON"),
        mention(a, "Mali", "GPE"), mention(a, "Bali", "GPE")))
    ents = resolve_entities([a])
    assert len(ents) == 4


def test_ambiguous_surname_is_not_merged():
    a = make_article("a", "Wire", ["John Smith and Jane Smith arrived.", "Smith said nothing."])
    a = AnnotatedArticle(a.article, a.sentences, mentions=(
        mention(a, "John Smith", "PERSON"), mention(a, "Jane Smith", "PERSON"), mention(a, "Smith", "PERSON", 2)))
    assert len(resolve_entities([a])) == 3


def _people(*names: str) -> list[set[str]]:
    """The person entities resolved from one article naming each of ``names`` once."""
    a = make_article("a", "Wire", [f"{n} spoke." for n in names])
    a = AnnotatedArticle(a.article, a.sentences, mentions=tuple(mention(a, n, "PERSON") for n in names))
    return sorted(({n.name for n in e.names} for e in resolve_entities([a])), key=len)


def test_full_names_with_a_middle_initial_or_a_short_given_name_merge():
    assert _people("Jacob J. Lew", "Jacob Lew") == [{"Jacob J. Lew", "Jacob Lew"}]
    assert _people("Chuck Grassley", "Charles E. Grassley") == [{"Chuck Grassley", "Charles E. Grassley"}]
    assert _people("Tim Murray", "Timothy Murray") == [{"Tim Murray", "Timothy Murray"}]
    assert _people("Ra\u00fal R. Labrador", "Raul Labrador") == [{"Ra\u00fal R. Labrador", "Raul Labrador"}]


def test_different_middle_initials_or_given_names_stay_apart():
    assert len(_people("George W. Bush", "George H. W. Bush")) == 2
    assert len(_people("Jacob Lew", "Jack Lew")) == 2
    # "George Bush" fits both Bushes: it joins neither rather than making them one person.
    assert len(_people("George W. Bush", "George H. W. Bush", "George Bush")) == 3


# ------------------------------------------------------------------ omissions


def test_omission_when_most_other_outlets_report_a_fact():
    arts = [make_article(x, x.upper(), [f"Sentence {x} one.", f"Sentence {x} two."]) for x in "abcd"]
    f_all3 = fact("F1", (arts[0], 0), (arts[1], 0), (arts[2], 0))
    f_two = fact("F2", (arts[0], 1), (arts[1], 1))
    om = find_omissions(arts, [f_all3, f_two], CompareConfig())
    assert [(o.source, o.fact_id) for o in om if o.fact_id == "F1"] == [("D", "F1")]
    # Two of the three others report F2: that is "most others" for C and D.
    assert {o.source for o in om if o.fact_id == "F2"} == {"C", "D"}
    assert find_omissions(arts[:2], [f_two], CompareConfig()) == ()


def test_an_outlet_quoting_the_same_words_elsewhere_did_not_leave_the_fact_out():
    words = "We will rebuild the sea wall before winter comes"
    a = make_article("a", "Wire", [f'"{words}," Marlow said.'])
    b = make_article("b", "Post", [f'"{words}," said Governor Marlow.'])
    # The Herald's one sentence packs the apology and the quote: it aligns with the apology fact only.
    c = make_article("c", "Herald", ["Marlow apologised to the council and promised to rebuild the sea wall before winter comes."])
    quotes = {x.id: Quote(x.id, 0, x.article.text.index(w), x.article.text.index(w) + len(w), w, "direct", "Ines Marlow")
              for x, w in ((a, words), (b, words), (c, "rebuild the sea wall before winter comes"))}
    a, b, c = (AnnotatedArticle(x.article, x.sentences, quotes=(quotes[x.id],)) for x in (a, b, c))
    fact_ab = fact("F1", (a, 0), (b, 0))
    groups = group_quotes([a, b, c])
    assert len(groups) == 1  # the Herald's trimmed quote is the same utterance
    assert find_omissions([a, b, c], [fact_ab], CompareConfig()) != ()
    assert find_omissions([a, b, c], [fact_ab], CompareConfig(), covered=quoted_elsewhere(groups)) == ()


def _quoted(x: AnnotatedArticle, content: str) -> AnnotatedArticle:
    """The article with one direct quote of Ines Marlow's: ``content``, wherever it is in the text."""
    start = x.article.text.index(content)
    idx = max(s.index for s in x.sentences if s.start <= start)
    return AnnotatedArticle(x.article, x.sentences, quotes=(Quote(x.id, idx, start, start + len(content), content, "direct", "Ines Marlow"),))


def test_quoting_another_sentence_of_a_long_quote_does_not_cover_this_one():
    first, second = "We will rebuild the sea wall before winter.", "The council has the money for it now."
    a = make_article("a", "Wire", [f'"{first}', f'{second}" Marlow said.'])
    b = make_article("b", "Post", [f'"{first}', f'{second}" said Governor Marlow.'])
    c = make_article("c", "Herald", [f'Marlow said: "{second}"'])

    a, b, c = _quoted(a, f"{first} {second}"), _quoted(b, f"{first} {second}"), _quoted(c, second)
    groups = group_quotes([a, b, c])
    # The Herald quotes the second sentence only: it still left out the first (the sea wall).
    omitted = find_omissions([a, b, c], [fact("F1", (a, 0), (b, 0))], CompareConfig(), covered=quoted_elsewhere(groups))
    assert [o.source for o in omitted] == ["Herald"]


def test_the_rest_of_a_quote_is_not_an_omission_of_its_own():
    opening, rest = "The world tells us to wait.", "Wait for what?"
    a = make_article("a", "Wire", [f'Marlow said: "{opening}', f'{rest}"'])
    b = make_article("b", "Post", [f'"{opening}', f'{rest}" said Governor Marlow.'])
    c = make_article("c", "Herald", [f'Marlow said: "{opening}"', "The council met."])

    a, b, c = _quoted(a, f"{opening} {rest}"), _quoted(b, f"{opening} {rest}"), _quoted(c, opening)
    assert quote_tails([a, b, c]) == {("a", 1), ("b", 1)}
    facts = [fact("F1", (a, 0), (b, 0), (c, 0)), fact("F2", (a, 1), (b, 1))]
    # The Herald quotes the statement's start only: a trimmed quote, not an omission of "Wait for what?".
    assert find_omissions([a, b, c], facts, CompareConfig()) != ()
    assert find_omissions([a, b, c], facts, CompareConfig(), tails=quote_tails([a, b, c])) == ()
    # Leaving out the whole statement is still the omission of the fact that opens it.
    c2 = make_article("c", "Herald", ["The council met.", "It rained."])
    omitted = find_omissions([a, b, c2], [fact("F1", (a, 0), (b, 0)), facts[1]], CompareConfig(), tails=quote_tails([a, b, c2]))
    assert [(o.source, o.fact_id) for o in omitted] == [("Herald", "F1")]


def test_an_outlet_giving_the_same_figures_elsewhere_did_not_leave_the_fact_out():
    a = make_article("a", "Wire", ["The 285-120 vote split the Republicans."])
    b = make_article("b", "Post", ["The 285-120 vote was bipartisan but split Republicans."])
    c = make_article("c", "Herald", ["Democrats finally removed the statues, a goal realized in the vote of 285-120."])
    d = make_article("d", "Courier", ["The vote split the Republicans, 20 of whom spoke."])
    fact_ab = fact("F1", (a, 0), (b, 0))
    omitted = find_omissions([a, b, c, d], [fact_ab], CompareConfig(), covered=figures_elsewhere([a, b, c, d]))
    assert [o.source for o in omitted] == ["Courier"]
    # A lone small figure says little about which fact a sentence reports.
    e = make_article("e", "Wire", ["Twenty officers guarded the hall."])
    f = make_article("f", "Post", ["The hall was guarded by 20 officers."])
    g = make_article("g", "Herald", ["20 people signed the petition."])
    omitted = find_omissions([e, f, g], [fact("F2", (e, 0), (f, 0))], CompareConfig(), covered=figures_elsewhere([e, f, g]))
    assert [o.source for o in omitted] == ["Herald"]


# ------------------------------------------------------------------ conflicts


def _q(a: AnnotatedArticle, text: str, value: float, unit: str, dim: str, idx: int = 0) -> Quantity:
    start = a.article.text.index(text)
    return Quantity(a.id, idx, start, start + len(text), text, value, unit, dim)


def test_number_conflict_with_both_sides_and_unit_equivalence_is_not_one():
    a = make_article("a", "Wire", ["At least 12 people were killed on the 14km road."])
    b = make_article("b", "Post", ["At least 15 people were killed on the 8.7 miles road."])
    c = make_article("c", "Herald", ["At least 12 people were killed on the 14-kilometre road."])
    a = AnnotatedArticle(a.article, a.sentences, quantities=(_q(a, "12 people", 12, "people", "count"), _q(a, "14km", 14000, "m", "length")))
    b = AnnotatedArticle(b.article, b.sentences, quantities=(_q(b, "15 people", 15, "people", "count"), _q(b, "8.7 miles", 14001.2, "m", "length")))
    c = AnnotatedArticle(c.article, c.sentences, quantities=(_q(c, "12 people", 12, "people", "count"), _q(c, "14-kilometre", 14000, "m", "length")))
    f = fact("F1", (a, 0), (b, 0), (c, 0))
    conflicts = find_conflicts([a, b, c], [f], (), (), CompareConfig())
    assert [c.kind for c in conflicts] == ["number"]
    sides = {s.value: s.sources for s in conflicts[0].sides}
    assert sides == {"12 people": ("Herald", "Wire"), "15 people": ("Post",)}
    assert all(ev.article_id for s in conflicts[0].sides for ev in s.evidence)


def test_a_bound_and_a_rounded_figure_agree_but_two_tolls_do_not():
    a = make_article("a", "Wire", ["The ad buy cost more than $1 million, the group said."])
    b = make_article("b", "Post", ["The ad buy cost $1.1 million, the group said."])
    c = make_article("c", "Herald", ["The ad buy cost $2 million, the group said."])
    a = AnnotatedArticle(a.article, a.sentences, quantities=(_q(a, "$1 million", 1e6, "USD", "currency"),))
    b = AnnotatedArticle(b.article, b.sentences, quantities=(_q(b, "$1.1 million", 1.1e6, "USD", "currency"),))
    c = AnnotatedArticle(c.article, c.sentences, quantities=(_q(c, "$2 million", 2e6, "USD", "currency"),))
    assert find_conflicts([a, b], [fact("F1", (a, 0), (b, 0))], (), (), CompareConfig()) == ()
    (conflict,) = find_conflicts([a, b, c], [fact("F1", (a, 0), (b, 0), (c, 0))], (), (), CompareConfig())
    assert {s.value for s in conflict.sides} == {"$1 million", "$2 million"}
    # "at least 12" and "at least 15" are two different tolls, not a bound and its value.
    d = make_article("d", "Wire", ["At least 12 people died."])
    e = make_article("e", "Post", ["At least 15 people died."])
    d = AnnotatedArticle(d.article, d.sentences, quantities=(_q(d, "12 people", 12, "people", "count"),))
    e = AnnotatedArticle(e.article, e.sentences, quantities=(_q(e, "15 people", 15, "people", "count"),))
    assert [c.kind for c in find_conflicts([d, e], [fact("F2", (d, 0), (e, 0))], (), (), CompareConfig())] == ["number"]


def test_figures_of_different_things_are_not_a_conflict():
    # The Post gives both figures: six arrests on Wednesday, 47 the night before.
    a = make_article("a", "Wire", ["Police made 47 arrests overnight."])
    b = make_article("b", "Post", ["There were six arrests on Wednesday, compared to 47 the previous night."])
    a = AnnotatedArticle(a.article, a.sentences, quantities=(_q(a, "47 arrests", 47, "arrest", "count"),))
    b = AnnotatedArticle(b.article, b.sentences, quantities=(_q(b, "six arrests", 6, "arrest", "count"),))
    assert find_conflicts([a, b], [fact("F1", (a, 0), (b, 0))], (), (), CompareConfig()) == ()


def test_a_later_article_s_event_is_not_contradicted_by_an_earlier_article():
    def dated(aid: str, source: str, sentence: str, day: str, published: dt.date, when: dt.date):
        a = make_article(aid, source, [sentence])
        art = Article(a.article.id, source, a.article.title, a.article.text, published)
        start = sentence.index(day)
        return AnnotatedArticle(art, a.sentences, times=(TimeMention(aid, 0, start, start + len(day), day, when),))

    # The Wire wrote on Sunday about Sunday's meeting, the Post on Thursday about Thursday's.
    a = dated("a", "Wire", "Marlow and Hale met privately on Sunday.", "Sunday", dt.date(2026, 3, 1), dt.date(2026, 3, 1))
    b = dated("b", "Post", "Marlow and Hale met for an hour on Thursday.", "Thursday", dt.date(2026, 3, 5), dt.date(2026, 3, 5))
    assert find_conflicts([a, b], [fact("F1", (a, 0), (b, 0))], (), (), CompareConfig()) == ()
    # Both written on Thursday, one says the meeting was on Sunday: that is a disagreement.
    c = dated("c", "Herald", "Marlow and Hale met privately on Sunday.", "Sunday", dt.date(2026, 3, 5), dt.date(2026, 3, 1))
    (conflict,) = find_conflicts([b, c], [fact("F2", (b, 0), (c, 0))], (), (), CompareConfig())
    assert conflict.kind == "date"


def test_opposite_bounds_that_overlap_agree():
    a = make_article("a", "Wire", ["The outage lasted more than five hours."])
    b = make_article("b", "Post", ["The outage lasted almost six hours."])
    a = AnnotatedArticle(a.article, a.sentences, quantities=(_q(a, "five hours", 18000, "s", "duration"),))
    b = AnnotatedArticle(b.article, b.sentences, quantities=(_q(b, "six hours", 21600, "s", "duration"),))
    assert find_conflicts([a, b], [fact("F1", (a, 0), (b, 0))], (), (), CompareConfig()) == ()
    # "nearly a quarter-trillion": the bound comes before the fraction of the scale word.
    a = make_article("a", "Wire", ["The bill invests more than $200 billion in research."])
    b = make_article("b", "Post", ["The bill pours nearly a quarter-trillion dollars into research."])
    a = AnnotatedArticle(a.article, a.sentences, quantities=(_q(a, "more than $200 billion", 2e11, "USD", "currency"),))
    b = AnnotatedArticle(b.article, b.sentences, quantities=(_q(b, "nearly a quarter-trillion dollars", 2.5e11, "USD", "currency"),))
    assert find_conflicts([a, b], [fact("F1", (a, 0), (b, 0))], (), (), CompareConfig()) == ()


def test_number_keys_read_written_and_spelled_figures():
    from storyscope.compare.facts import number_keys

    assert number_keys("Sixty-seven Republicans joined 218 Democrats; forty left, one stayed") == {"67", "218", "40"}
    assert number_keys("the sixty-seventh vote, 1,200 people and 3.5 km") == {"1200", "3.5"}


def test_a_spelled_out_figure_in_the_other_sentence_is_a_figure_of_something_else():
    a = make_article("a", "Wire", ["The strike killed two members of the militia."])
    b = make_article("b", "Post", ["The strike, which killed two militia fighters, followed the attack that killed 13 soldiers."])
    a = AnnotatedArticle(a.article, a.sentences, quantities=(_q(a, "two members", 2, "member", "count"),))
    b = AnnotatedArticle(b.article, b.sentences, quantities=(_q(b, "13 soldiers", 13, "member", "count"),))
    assert find_conflicts([a, b], [fact("F1", (a, 0), (b, 0))], (), (), CompareConfig()) == ()


def _place_conflicts_of(first: str, place_a: str, second: str, place_b: str, label: str = "GPE"):
    a = make_article("a", "Wire", [first])
    b = make_article("b", "Post", [second])
    a = AnnotatedArticle(a.article, a.sentences, mentions=(mention(a, place_a, label),))
    b = AnnotatedArticle(b.article, b.sentences, mentions=(mention(b, place_b, label),))
    arts = [a, b]
    found = find_conflicts(arts, [fact("F1", (a, 0), (b, 0))], resolve_entities(arts), (), CompareConfig())
    return [c for c in found if c.kind == "place"]


def test_place_conflict_needs_two_different_places_where_it_happened():
    (c,) = _place_conflicts_of("The slide buried homes in Kalvaro.", "Kalvaro", "The slide buried homes in Oristel.", "Oristel")
    assert {s.value for s in c.sides} == {"Kalvaro", "Oristel"}
    # A part of the other place, an abbreviation, or a place that is not where it happened: none.
    assert not _place_conflicts_of("Voters in Texas chose Hale.", "Texas", "Voters in North Texas chose Hale.", "North Texas")
    assert not _place_conflicts_of("Hale spoke in Kentucky.", "Kentucky", "Hale spoke in Ky. on Monday.", "Ky.")
    assert not _place_conflicts_of(
        "Dallas-based Southwest cancelled 1,000 flights.", "Dallas",
        "Southwest cancelled 1,800 flights, stranding travelers in Ohio.", "Ohio",
    )


def test_places_of_different_sizes_do_not_conflict():
    # A town inside a country, a country inside a region, a town inside a state: not told apart
    # without a gazetteer, so never a conflict; places of one size still are.
    assert not _place_conflicts_of("Guards beat protesters in Oristel.", "Oristel", "Guards beat protesters in Afghanistan.", "Afghanistan")
    assert not _place_conflicts_of("Crowds marched in the Caribbean.", "Caribbean", "Crowds marched in Cuba.", "Cuba", "LOC")
    assert not _place_conflicts_of("The storm hit homes in Texas.", "Texas", "The storm hit homes in Oristel.", "Oristel")
    (c,) = _place_conflicts_of("Guards beat protesters in Cuba.", "Cuba", "Guards beat protesters in Afghanistan.", "Afghanistan")
    assert {s.value for s in c.sides} == {"Cuba", "Afghanistan"}
    (c,) = _place_conflicts_of("The storm hit homes in Ohio.", "Ohio", "The storm hit homes in Texas.", "Texas")
    assert {s.value for s in c.sides} == {"Ohio", "Texas"}


def test_dates_years_apart_date_different_things():
    a = make_article("a", "Wire", ["Marlow broke with the council on Monday over the sea wall."])
    b = make_article("b", "Post", ["Marlow opposed the sea wall planned since the storm of March 3, 2019."])
    ta = TimeMention("a", 0, 36, 42, "Monday", dt.date(2026, 3, 2))
    tb = TimeMention("b", 0, 53, 66, "March 3, 2019", dt.date(2019, 3, 3))
    a = AnnotatedArticle(a.article, a.sentences, times=(ta,))
    b = AnnotatedArticle(b.article, b.sentences, times=(tb,))
    assert find_conflicts([a, b], [fact("F1", (a, 0), (b, 0))], (), (), CompareConfig()) == ()


def test_date_conflict():
    a = make_article("a", "Wire", ["A day of mourning will be held on Friday."])
    b = make_article("b", "Post", ["A day of mourning will be held on Saturday, March 7."])
    ta = TimeMention("a", 0, 34, 40, "Friday", dt.date(2026, 3, 6))
    tb = TimeMention("b", 0, 34, 51, "Saturday, March 7", dt.date(2026, 3, 7))
    a = AnnotatedArticle(a.article, a.sentences, times=(ta,))
    b = AnnotatedArticle(b.article, b.sentences, times=(tb,))
    (c,) = find_conflicts([a, b], [fact("F1", (a, 0), (b, 0))], (), (), CompareConfig())
    assert c.kind == "date" and {s.value for s in c.sides} == {"2026-03-06", "2026-03-07"}


def test_negation_conflict_and_agreeing_negations_are_not():
    a = make_article("a", "Wire", ["An evacuation order was issued on Monday evening."])
    b = make_article("b", "Post", ["No evacuation order was issued before the slide."])
    c = make_article("c", "Herald", ["Officials did not issue an evacuation order."])
    conflicts = find_conflicts([a, b, c], [fact("F1", (a, 0), (b, 0), (c, 0))], (), (), CompareConfig())
    (neg,) = [c for c in conflicts if c.kind == "negation"]
    sides = {s.value: set(s.sources) for s in neg.sides}
    assert sides["says it happened"] == {"Wire"}
    assert "Post" in sides["says it did not happen"]
    assert find_conflicts([b, c], [fact("F2", (b, 0), (c, 0))], (), (), CompareConfig()) == ()


def _negations(*pairs: tuple[str, list[str]], quotes: dict[int, list[tuple[str, str]]] | None = None):
    """Negation conflicts of one fact made of sentence 0 of each (source, sentences) article."""
    arts = []
    for i, (source, sentences) in enumerate(pairs):
        a = make_article(f"n{i}", source, sentences)
        for content, kind in (quotes or {}).get(i, []):
            start = a.article.text.index(content)
            idx = max(s.index for s in a.sentences if s.start <= start)
            q = Quote(a.id, idx, start, start + len(content), content, kind, "someone")
            a = AnnotatedArticle(a.article, a.sentences, quotes=(*a.quotes, q))
        arts.append(a)
    found = find_conflicts(arts, [fact("F1", *[(a, 0) for a in arts])], (), (), CompareConfig())
    return [c for c in found if c.kind == "negation"]


def test_negation_phrases_that_deny_nothing_are_not_conflicts():
    assert not _negations(
        ("Wire", ["This is not the first time the quarter has flooded."]),
        ("Post", ["The quarter has flooded for the first time since 1998."]),
    )
    assert not _negations(
        ("Wire", ["Rescuers brought not only shovels but also two diggers."]),
        ("Post", ["Rescuers brought shovels and two diggers."]),
    )


def test_negation_inside_a_condition_or_a_class_description_is_not_a_conflict():
    assert not _negations(
        ("Wire", ["Judges asked whether schools may punish pupils for speech when they are not at school."]),
        ("Post", ["Judges asked whether schools may punish pupils for speech at school."]),
    )
    assert not _negations(
        ("Wire", ["Hale quit a club that turns away anyone who is not a member of the guild."]),
        ("Post", ["Hale quit the club of the guild, whose member he is."]),
    )
    # The same negation outside a condition still conflicts.
    assert _negations(
        ("Wire", ["The pupils were not at school."]),
        ("Post", ["The pupils were at school."]),
    )


def test_negation_of_a_name_or_of_saying_is_not_a_conflict():
    # The negated word is "satisfy", which "Scalia asked" does not report.
    assert not _negations(("Wire", ["That did not satisfy Justice Scalia."]), ("Post", ["Justice Scalia asked."]))
    # "has not said how she will vote" denies no event; "Marlow said" is not its opposite.
    assert not _negations(
        ("Wire", ["Marlow has not said how she will vote on the harbour plan."]),
        ("Post", ["Marlow said the harbour plan was too costly."]),
    )


def test_a_denial_someone_makes_needs_a_near_identical_report():
    # Brell's own denial against a loosely related report: his claim, not the outlet's.
    assert not _negations(
        ("Wire", ["Brell said on Tuesday he did not send the letter to the council."]),
        ("Post", ["A letter about the quarry was sent from the mayor's office to a newspaper last week."]),
    )
    # The same claim against a report telling nearly the same sentence is a conflict.
    (c,) = _negations(
        ("Wire", ["No evacuation order was issued for the quarter before the slope gave way, residents said."]),
        ("Post", ["An evacuation order was issued for the quarter hours before the slope gave way."]),
    )
    assert {s.value: s.sources for s in c.sides} == {"says it did not happen": ("Wire",), "says it happened": ("Post",)}


def test_a_sentence_with_a_reported_negation_affirms_nothing():
    assert not _negations(
        ("Wire", ["The council never offered Brell the harbour post."]),
        ("Post", ["Many assumed the council offered Brell the harbour post, but its chair said it had not."]),
    )


def test_negation_inside_a_quote_that_spans_sentences_is_the_speaker_s():
    # The closing sentence of a long quote has no opening mark of its own: the quote span says it is quoted.
    tail = "It was not the mayor's decision."
    assert not _negations(
        ("Wire", [tail + '"', "Brell spoke on Tuesday."]),
        ("Post", ["The decision was the mayor's, officials said."]),
        quotes={0: [(tail, "direct")]},
    )
    assert _negations(("Wire", [tail]), ("Post", ["The decision was the mayor's alone."]))


def _quote(a: AnnotatedArticle, content: str, speaker: str, surface: str | None = None) -> Quote:
    start = a.article.text.index(content)
    return Quote(a.id, 0, start, start + len(content), content, "direct", speaker, surface or speaker)


def test_speaker_conflict_across_outlets_resolves_names_through_entities():
    words = "We are racing against time, but the mud is still moving"
    a = make_article("a", "Wire", [f'"{words}," said Governor Ines Marlow.'])
    b = make_article("b", "Post", [f'"{words}," said rescue chief Tomas Brenner.'])
    c = make_article("c", "Courier", [f'"{words}," Marlow said.'])
    a = AnnotatedArticle(a.article, a.sentences, mentions=(mention(a, "Ines Marlow", "PERSON"),), quotes=(_quote(a, words, "Ines Marlow"),))
    b = AnnotatedArticle(b.article, b.sentences, mentions=(mention(b, "Tomas Brenner", "PERSON"),), quotes=(_quote(b, words, "Tomas Brenner"),))
    c = AnnotatedArticle(c.article, c.sentences, mentions=(mention(c, "Marlow", "PERSON"),), quotes=(_quote(c, words, "Marlow"),))
    arts = [a, b, c]
    groups = group_quotes(arts)
    assert len(groups) == 1 and groups[0].sources == ("Courier", "Post", "Wire")
    conflicts = find_conflicts(arts, [], resolve_entities(arts), groups, CompareConfig())
    (sp,) = conflicts
    assert sp.kind == "speaker"
    assert {s.value: s.sources for s in sp.sides} == {"Ines Marlow": ("Courier", "Wire"), "Tomas Brenner": ("Post",)}


def test_who_said_what_names_a_speaker_by_its_entity_across_outlets():
    # One outlet writes "Jeffrey Zients", another "Jeff Zients" and then "Zients", which the small
    # model calls ORG: all three are one speaker, named once.
    a = make_article("a", "Wire", ['"Rules will ease in November for every vaccinated visitor," Jeffrey Zients said.'])
    b = make_article(
        "b",
        "Post",
        ["Coordinator Jeff Zients spoke on Monday.", '"We will protect Americans at every airport," Zients said.'],
    )
    a = AnnotatedArticle(a.article, a.sentences, mentions=(mention(a, "Jeffrey Zients", "PERSON"),),
                         quotes=(_quote(a, "Rules will ease in November for every vaccinated visitor", "Jeffrey Zients"),))
    q = "We will protect Americans at every airport"
    start = b.article.text.index(q)
    b = AnnotatedArticle(b.article, b.sentences, mentions=(mention(b, "Jeff Zients", "PERSON"), mention(b, "Zients", "ORG", 1)),
                         quotes=(Quote("b", 1, start, start + len(q), q, "direct", "Zients", "Zients"),))
    entities = resolve_entities([a, b])
    assert len([e for e in entities if "Zients" in e.name]) == 1
    assert {g.speaker for g in group_quotes([a, b], entities)} == {"Jeffrey Zients"}
    assert {g.speaker for g in group_quotes([a, b])} == {"Jeffrey Zients", "Zients"}  # without entities


def test_a_speaker_reached_through_a_pronoun_is_half_a_vote():
    q = "His conduct is unbecoming of a member of the council"
    a = make_article("a", "Wire", [f'"{q}."'])
    b = make_article("b", "Post", [f'"{q}," said Jon Thompson, a party spokesman.'])
    a = AnnotatedArticle(a.article, a.sentences, quotes=(Quote("a", 0, 1, 1 + len(q), q, "direct", "Tomas Brellingham", "he"),))
    b = AnnotatedArticle(b.article, b.sentences, quotes=(Quote("b", 0, 1, 1 + len(q), q, "direct", "Jon Thompson", "Jon Thompson"),))
    # Equal votes would go to the longer name; the Post names its speaker, the Wire only says "he".
    assert [g.speaker for g in group_quotes([a, b])] == ["Jon Thompson"]


def test_entity_label_comes_from_its_full_name():
    a = make_article("a", "Wire", ["Asa Hutchinson led the review.", "Hutchinson spoke.", "Hutchinson left."])
    a = AnnotatedArticle(a.article, a.sentences, mentions=(
        mention(a, "Asa Hutchinson", "PERSON"), mention(a, "Hutchinson", "ORG", 1), mention(a, "Hutchinson", "ORG", 2)))
    (e,) = resolve_entities([a])
    assert (e.name, e.label) == ("Asa Hutchinson", "PERSON")


def test_lone_surname_labelled_org_stays_apart_without_the_full_name_in_its_article():
    a = make_article("a", "Wire", ["Jeff Zients spoke."])
    b = make_article("b", "Post", ["Zients shares rose."])
    a = AnnotatedArticle(a.article, a.sentences, mentions=(mention(a, "Jeff Zients", "PERSON"),))
    b = AnnotatedArticle(b.article, b.sentences, mentions=(mention(b, "Zients", "ORG"),))
    assert len(resolve_entities([a, b])) == 2


def test_same_utterance_trimmed_and_different():
    assert same_utterance("We will rebuild every home in this town", "We will rebuild every single home in this town")
    assert same_utterance("We will rebuild every home in this town, brick by brick", "rebuild every home in this town")
    assert not same_utterance("We will rebuild every home in this town", "The mud is still moving down the hill")
    # Most words of a short quote inside a long one, but not as a run: two different quotes.
    long_quote = (
        "Hale's people are playing politics with the sea wall. They are wasting money by filing this suit, "
        "and you would think they know it. These guys are on the wrong side of history."
    )
    assert not same_utterance("I think it shows they are on the wrong side of history", long_quote)
    assert same_utterance("They are wasting money by filing this suit", long_quote)


# ------------------------------------------------------------------ framing and timeline


def test_wording_framing_flags_loaded_terms_only_one_outlet_uses():
    a = make_article("a", "Wire", ["Residents criticised the rescue operation."])
    b = make_article("b", "Post", ["Furious residents slammed the botched rescue."])
    items = find_framing([a, b], [fact("F1", (a, 0), (b, 0))], ())
    (w,) = [i for i in items if i.kind == "wording"]
    terms = dict(w.terms)
    assert set(terms["Post"]) >= {"furious", "slammed", "botched"}
    assert terms["Wire"] == ()
    heads = [i for i in items if i.kind == "headline"]
    assert heads  # each headline has at least its outlet's distinctive word


def test_headline_words_the_other_outlets_use_in_their_bodies_do_not_characterise_it():
    a = make_article("a", "Wire", ["Marlow spoke in Kalvarro on Tuesday."], title="Marlow mocks critics of rescue crews")
    b = make_article(
        "b", "Post", ["Marlow spoke in Kalvarro on Tuesday.", "She said critics of the rescue crews were wrong."],
        title="Governor answers Kalvarro questions",
    )
    heads = {i.target: dict(i.terms) for i in find_framing([a, b], [], ()) if i.kind == "headline"}
    # "critics", "rescue", "crews" are in the Post's story too: only "mocks" is the Wire's choice.
    assert heads["a"] == {"Wire": ("mocks",)}
    assert "answers" in heads["b"]["Post"]


def test_a_possessive_or_a_plain_adverb_does_not_characterise_a_headline_or_lead():
    a = make_article("a", "Wire", ["The group recently paid for an ad about the sea wall."], title="Group's ad targets Marlow")
    b = make_article("b", "Post", ["An ad by the group will run in Kalvarro.", "It targets Marlow."], title="Ad runs in Kalvarro")
    parsed = AnnotatedArticle(a.article, a.sentences, lead_descriptors=("recently",))
    items = {(i.kind, i.target): dict(i.terms) for i in find_framing([parsed, b], [], ())}
    assert ("headline", "a") not in items  # "group's" is the Post's "group"
    assert ("lead", "a") not in items  # "recently" says when, not how


def test_lead_characterising_words_are_its_adjectives_and_adverbs():
    a = make_article("a", "Wire", ["A defiant mayor defended the costly sea wall to travelers on Monday."])
    b = make_article("b", "Post", ["The mayor spoke about the sea wall on Monday."])
    parsed = AnnotatedArticle(a.article, a.sentences, lead_descriptors=("defiant", "costly"))
    leads = {i.target: dict(i.terms) for i in find_framing([parsed, b], [], ()) if i.kind == "lead"}
    assert leads["a"] == {"Wire": ("defiant", "costly")}  # not "defended", "travelers"
    # Without a parse (hand-built records) every unshared word still counts.
    leads = {i.target: dict(i.terms) for i in find_framing([a, b], [], ()) if i.kind == "lead"}
    assert {"defended", "travelers"} <= set(leads["a"]["Wire"])


def test_loaded_words_inside_a_direct_quote_are_the_speaker_s_not_the_outlet_s():
    said = "This is a tragedy for the whole valley"
    a = make_article("a", "Wire", [f'"{said}," the mayor said of the slide.', "A ban on assault weapons failed."])
    b = make_article("b", "Post", ["The mayor spoke about the slide.", "A ban on assault rifles failed."])
    start = a.article.text.index(said)
    a = AnnotatedArticle(a.article, a.sentences, quotes=(Quote("a", 0, start, start + len(said), said, "direct", "the mayor"),))
    f = fact("F1", (a, 0), (b, 0))
    kinds = {i.kind for i in find_framing([a, b], [f], ()) if i.kind in ("wording", "vocabulary")}
    assert not kinds
    # the same words in the outlet's own sentence are its wording
    c = make_article("c", "Courier", ["It was a tragedy for the whole valley, the mayor said of the slide."])
    items = [i for i in find_framing([c, b], [fact("F1", (c, 0), (b, 0))], ()) if i.kind == "wording"]
    assert dict(items[0].terms)["Courier"] == ("tragedy",)


def test_naming_ignores_case_and_inflection():
    a = make_article("a", "Wire", ["Republicans met in KALVARRO.", "Ines Marlow spoke."])
    b = make_article("b", "Post", ["The Republican caucus met in Kalvarro.", "Governor Ines Marlow spoke."])
    c = make_article("c", "Herald", ["Republicans met in Kalvarro.", "Ines Marlow-Hale spoke."])
    a = AnnotatedArticle(a.article, a.sentences, mentions=(
        mention(a, "Republicans", "NORP"), mention(a, "KALVARRO", "GPE"), mention(a, "Ines Marlow", "PERSON")))
    b = AnnotatedArticle(b.article, b.sentences, mentions=(
        mention(b, "Republican", "NORP"), mention(b, "Kalvarro", "GPE"), mention(b, "Ines Marlow", "PERSON")))
    c = AnnotatedArticle(c.article, c.sentences, mentions=(
        mention(c, "Republicans", "NORP"), mention(c, "Kalvarro", "GPE"), mention(c, "Ines Marlow-Hale", "PERSON")))
    arts = [a, b, c]
    naming = {i.target for i in find_framing(arts, [], resolve_entities(arts)) if i.kind == "naming"}
    assert not any("Republican" in t or "alvarro" in t.lower() for t in naming)


def test_naming_ignores_an_outlet_that_only_uses_the_surname():
    a = make_article("a", "Wire", ["Donald Trump spoke."])
    b = make_article("b", "Post", ["Trump spoke."])
    c = make_article("c", "Herald", ["Trumpp spoke."])  # a different spelling is still a naming difference
    a = AnnotatedArticle(a.article, a.sentences, mentions=(mention(a, "Donald Trump", "PERSON"),))
    b = AnnotatedArticle(b.article, b.sentences, mentions=(mention(b, "Trump", "PERSON"),))
    c = AnnotatedArticle(c.article, c.sentences, mentions=(mention(c, "Trumpp", "PERSON"),))
    assert not [i for i in find_framing([a, b], [], resolve_entities([a, b])) if i.kind == "naming"]
    (item,) = [i for i in find_framing([a, b, c], [], resolve_entities([a, b, c])) if i.kind == "naming"]
    assert dict(item.terms)["Herald"] == ("Trumpp",)


def test_naming_ignores_middle_initials_and_short_given_names():
    a = make_article("a", "Wire", ["Mark D. Sheridan spoke."])
    b = make_article("b", "Post", ["Mark Sheridan spoke."])
    c = make_article("c", "Herald", ["Mark Sheriden spoke."])
    a = AnnotatedArticle(a.article, a.sentences, mentions=(mention(a, "Mark D. Sheridan", "PERSON"),))
    b = AnnotatedArticle(b.article, b.sentences, mentions=(mention(b, "Mark Sheridan", "PERSON"),))
    c = AnnotatedArticle(c.article, c.sentences, mentions=(mention(c, "Mark Sheriden", "PERSON"),))
    assert not [i for i in find_framing([a, b], [], resolve_entities([a, b])) if i.kind == "naming"]
    assert [i for i in find_framing([a, b, c], [], resolve_entities([a, b, c])) if i.kind == "naming"]


def test_timeline_groups_same_date_and_fact_across_articles():
    a = make_article("a", "Wire", ["The slide hit on Tuesday."])
    b = make_article("b", "Post", ["The slide hit yesterday."])
    day = dt.date(2026, 3, 3)
    a = AnnotatedArticle(a.article, a.sentences, times=(TimeMention("a", 0, 17, 24, "Tuesday", day),))
    b = AnnotatedArticle(b.article, b.sentences, times=(TimeMention("b", 0, 14, 23, "yesterday", day),))
    f = fact("F1", (a, 0), (b, 0))
    (ev,) = build_timeline([a, b], [f], {("a", 0): "F1", ("b", 0): "F1"})
    assert ev.date == day and ev.article_ids == ("a", "b")
    assert ev.evidence[0] == Evidence("a", 0, 0, len("The slide hit on Tuesday."))


def test_timeline_drops_a_month_that_a_date_of_the_same_sentence_falls_in():
    text = "With the vote due this month, the council met on Tuesday; the wall was first proposed in May."
    a = make_article("a", "Wire", [text])
    at = lambda w: (text.index(w), text.index(w) + len(w))  # noqa: E731
    a = AnnotatedArticle(a.article, a.sentences, times=(
        TimeMention("a", 0, *at("this month"), "this month", dt.date(2026, 3, 1), "month"),
        TimeMention("a", 0, *at("Tuesday"), "Tuesday", dt.date(2026, 3, 3)),
        TimeMention("a", 0, *at("May"), "May", dt.date(2025, 5, 1), "month"),
    ))
    rows = build_timeline([a], [], {})
    assert [(e.date, e.granularity) for e in rows] == [(dt.date(2025, 5, 1), "month"), (dt.date(2026, 3, 3), "day")]


def test_timeline_row_reads_as_a_sentence_that_carries_the_date():
    # The fact is worded by the Wire, which gives no date; the Post's sentence dates it.
    a = make_article("a", "Wire", ["Hale would likely chair the harbour committee."])
    b = make_article("b", "Post", ["Hale could take the harbour committee chair this year."])
    b = AnnotatedArticle(b.article, b.sentences, times=(TimeMention("b", 0, 44, 53, "this year", dt.date(2026, 1, 1), "year"),))
    f = Fact("F1", a.sentences[0].text, (a.sentences[0].evidence, b.sentences[0].evidence), ("Post", "Wire"), "all")
    (ev,) = build_timeline([a, b], [f], {("a", 0): "F1", ("b", 0): "F1"})
    assert ev.text == b.sentences[0].text


def test_speaker_resolved_only_from_a_pronoun_does_not_make_a_conflict():
    words = "We are racing against time, but the mud is still moving"
    a = make_article("a", "Wire", [f'"{words}," said Governor Ines Marlow.'])
    b = make_article("b", "Post", [f'"{words}," he said.'])
    a = AnnotatedArticle(a.article, a.sentences, mentions=(mention(a, "Ines Marlow", "PERSON"),), quotes=(_quote(a, words, "Ines Marlow"),))
    b = AnnotatedArticle(b.article, b.sentences, mentions=(), quotes=(_quote(b, words, "Tomas Brenner", "he"),))
    ents = resolve_entities([a, b]) + resolve_entities([AnnotatedArticle(
        b.article, b.sentences, mentions=(Mention("b", 0, 0, 0, "Tomas Brenner", "PERSON"),))])
    assert find_conflicts([a, b], [], ents, group_quotes([a, b]), CompareConfig()) == ()
