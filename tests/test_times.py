"""Time expressions: found with exact offsets and resolved against the publication date."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyscope.annotate.sentences import split_sentences
from storyscope.annotate.times import extract_times

FRIDAY = dt.date(2026, 3, 6)  # a Friday


def times(text: str, published: dt.date | None = FRIDAY):
    ms = extract_times(text, split_sentences(text, "a1"), published, "a1")
    for m in ms:
        assert text[m.start : m.end] == m.text
        assert m.article_id == "a1"
    return ms


def one(text: str, published: dt.date | None = FRIDAY):
    ms = times(text, published)
    assert len(ms) == 1, ms
    return ms[0]


# --------------------------------------------------------------------------- weekdays


def test_past_weekday_is_the_most_recent_one_before_publication():
    m = one("The ferry ran aground on Wednesday, the harbour master said.")
    assert (m.text, m.date, m.granularity) == ("Wednesday", dt.date(2026, 3, 4), "day")


def test_weekday_of_publication_day_is_that_day():
    assert one("The council voted on Friday to close the pier.").date == FRIDAY


def test_future_weekday_is_the_next_one():
    assert one("The council will vote on Monday.").date == dt.date(2026, 3, 9)
    assert one("The hearing is scheduled for Tuesday.").date == dt.date(2026, 3, 10)


def test_last_and_next_weekday_are_strict():
    assert one("Last Friday the mayor resigned.").date == dt.date(2026, 2, 27)
    m = one("Divers will return next Friday.")
    assert (m.text, m.date) == ("next Friday", dt.date(2026, 3, 13))


def test_nearest_tense_cue_decides_per_expression():
    ms = times("Ms. Varga said on Monday that the board will decide on Thursday.")
    assert [(m.text, m.date) for m in ms] == [
        ("Monday", dt.date(2026, 3, 2)),
        ("Thursday", dt.date(2026, 3, 12)),
    ]


def test_participle_after_future_auxiliary_is_not_past():
    assert one("Much will be asked of the crew on Saturday.").date == dt.date(2026, 3, 7)
    assert one("The crew was asked on Saturday.").date == dt.date(2026, 2, 28)


def test_named_days_are_not_dates():
    assert times("Black Friday sales fell, the Mail on Sunday reported.") == ()


# --------------------------------------------------------------------------- relative days and periods


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Yesterday the dam gave way.", dt.date(2026, 3, 5)),
        ("The road reopens tomorrow.", dt.date(2026, 3, 7)),
        ("A vigil is planned for tonight.", FRIDAY),
        ("Police closed the square this morning.", FRIDAY),
        ("Sirens sounded last night.", dt.date(2026, 3, 5)),
        ("The tug sank two days ago.", dt.date(2026, 3, 4)),
        ("The inquiry opened three weeks ago.", dt.date(2026, 2, 13)),
    ],
)
def test_relative_days(text, date):
    m = one(text)
    assert (m.date, m.granularity) == (date, "day")


def test_capitalised_today_mid_sentence_is_a_title():
    assert times("She told the Today programme nothing.") == ()
    assert one("Today the town is quiet.").date == FRIDAY


@pytest.mark.parametrize(
    ("text", "date", "gran"),
    [
        ("Last year the town grew.", dt.date(2025, 1, 1), "year"),
        ("Prices rose earlier this month.", dt.date(2026, 3, 1), "month"),
        ("The plan takes effect next month.", dt.date(2026, 4, 1), "month"),
        ("The bill passed last week.", dt.date(2026, 2, 1), "month"),  # the week began Mon 23 Feb
        ("The port was sold five years ago.", dt.date(2021, 1, 1), "year"),
    ],
)
def test_relative_periods(text, date, gran):
    m = one(text)
    assert (m.date, m.granularity) == (date, gran)


# --------------------------------------------------------------------------- explicit dates


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("It reopened on 3 March 2026.", dt.date(2026, 3, 3)),
        ("The deal was signed March 3, 2025.", dt.date(2025, 3, 3)),
        ("Records dated 2026-03-01 were lost.", dt.date(2026, 3, 1)),
        ("A memo dated 3/4/2026 surfaced.", dt.date(2026, 3, 4)),  # US order
        ("A memo dated 25/12/2025 surfaced.", dt.date(2025, 12, 25)),  # only day-first makes sense
        ("The strike began Aug. 5, 2024.", dt.date(2024, 8, 5)),
    ],
)
def test_explicit_dates(text, date):
    m = one(text)
    assert (m.date, m.granularity) == (date, "day")


def test_weekday_with_date_is_one_mention():
    m = one("The talks at 3 p.m. on Thursday, March 5, went well.")
    assert (m.text, m.date) == ("Thursday, March 5", dt.date(2026, 3, 5))


def test_month_day_without_year_takes_nearest_year_by_tense():
    assert one("The port closed on March 3.").date == dt.date(2026, 3, 3)
    # Published in January: a past "December 28" is last year's.
    assert one("The port closed on December 28.", dt.date(2026, 1, 5)).date == dt.date(2025, 12, 28)
    # ...and a future "March 3" seen from April is next year's.
    assert one("The trial will open on March 3.", dt.date(2026, 4, 1)).date == dt.date(2027, 3, 3)
    # A deadline ("are due", "must be") lies ahead.
    jan = dt.date(2014, 1, 23)
    assert one("The federal subpoenas are due Feb. 5.", jan).date == dt.date(2014, 2, 5)
    assert one("The state subpoenas must be returned Feb. 3.", jan).date == dt.date(2014, 2, 3)
    assert one("The aide must have known on Jan. 9.", jan).date == dt.date(2014, 1, 9)


def test_invalid_dates_are_skipped():
    assert times("The file said February 30, 2026 and 2026-13-01.") == ()


def test_months_and_years():
    ms = times("Floods came in December. The mayor was elected in 2024. The summit is due in April.")
    assert [(m.text, m.date, m.granularity) for m in ms] == [
        ("December", dt.date(2025, 12, 1), "month"),
        ("2024", dt.date(2024, 1, 1), "year"),
        ("April", dt.date(2026, 4, 1), "month"),
    ]
    m = one("Sales fell in mid-February.")
    assert (m.text, m.date, m.granularity) == ("mid-February", dt.date(2026, 2, 1), "month")
    assert one("It happened in March 2019.").date == dt.date(2019, 3, 1)


def test_numbers_that_are_not_years_are_not_dates():
    assert times("Officials counted 2,026 people and 2026 boats.") == ()
    assert times("Turnout rose to 2,019,000 in the district.") == ()
    assert times("May we ask how many march?") == ()
    assert times("The mill dates from the mid 1930's, and the 1990s were lean.") == ()


def test_without_publication_date_only_absolute_dates():
    ms = times("On Wednesday, after the 3 March 2026 storm and in 2024, yesterday's flood.", None)
    assert [m.text for m in ms] == ["3 March 2026", "2024"]


def test_sentence_index_and_datetime_published():
    text = "The storm hit. Yesterday the pier fell."
    ms = extract_times(text, split_sentences(text, "a1"), dt.datetime(2026, 3, 6, 14, 0), "a1")
    assert [(m.sentence_index, m.date) for m in ms] == [(1, dt.date(2026, 3, 5))]


def test_odd_input():
    assert extract_times("", (), FRIDAY, "a") == ()
    # No sentences given: still works and falls back to sentence 0.
    ms = extract_times("It sank on Wednesday.", (), FRIDAY, "a")
    assert [(m.sentence_index, m.date) for m in ms] == [(0, dt.date(2026, 3, 4))]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [*"0123456789 /-,.aMWdnoy", " March ", " Wednesday ", " in ", " ago ", " last ", "\n"]
        ),
        max_size=40,
    ).map("".join)
)
def test_spans_are_exact_on_arbitrary_text(text):
    for m in extract_times(text, (), FRIDAY, "a"):
        assert text[m.start : m.end] == m.text


def test_reporting_verb_after_the_date_does_not_make_it_past():
    wed = dt.date(2026, 3, 4)
    (m,) = times("A day of mourning will be held on Friday, the regional government said.", wed)
    assert m.date == dt.date(2026, 3, 6)
    # No tense cue at all: the nearer Friday (two days ahead, not five days back).
    (m,) = times("Regional officials announced a day of mourning on Friday.", wed)
    assert m.date == dt.date(2026, 3, 6)
    (m,) = times("The slope collapsed on Tuesday, officials said.", wed)
    assert m.date == dt.date(2026, 3, 3)


def test_untensed_date_in_a_noun_phrase_may_lie_just_ahead():
    may = dt.date(2018, 5, 20)
    # No tense cue for the date (it belongs to "the primary", not to "announced"): this June.
    assert one("Smith, a candidate in the primary on June 3, announced his plan.", may).date == dt.date(2018, 6, 3)
    assert one("The June 3 primary looms.", may).date == dt.date(2018, 6, 3)
    assert one("The primary in June is the first test.", may).date == dt.date(2018, 6, 1)
    # A past cue keeps the past, and an untensed date far ahead is last year's.
    assert one("Voters went to the polls on June 3.", may).date == dt.date(2017, 6, 3)
    assert one("The December 1 shooting is under review.", dt.date(2018, 6, 10)).date == dt.date(2017, 12, 1)
    assert one("The primary in December is the next test.", may).date == dt.date(2017, 12, 1)


def test_a_schedule_in_the_present_tense_is_not_past():
    sep = dt.date(2012, 9, 20)
    m = times("That campaign started Wednesday and runs through Nov. 5 in four states.", sep)
    assert [(x.text, x.date) for x in m] == [("Wednesday", dt.date(2012, 9, 19)), ("Nov. 5", dt.date(2012, 11, 5))]


def test_a_reporting_verb_right_after_the_date_dates_the_saying():
    mon = dt.date(2021, 6, 7)  # a Monday
    (m,) = times("Senator Hale on Sunday said he would oppose the voting bill.", mon)
    assert m.date == dt.date(2021, 6, 6)
    (m,) = times("Senator Hale said Sunday he would oppose the voting bill.", mon)
    assert m.date == dt.date(2021, 6, 6)
