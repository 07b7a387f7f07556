"""Clean: each drop reason on invented lines, and the reporting that must survive."""

from __future__ import annotations

import pytest

from storyscope.clean import classify_line, clean_article
from storyscope.records import Article

LEAD = "A landslide blocked the coast road near the fictional town of Dunmere on Tuesday, officials said."
LAST = "Engineers will inspect the slope again on Friday before the road can reopen, the county said."


def body(*middle: str) -> str:
    return "\n\n".join([LEAD, *middle, LAST])


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Sign up for our morning newsletter to get the day's top stories in your inbox.", "promo"),
        ("Subscribe now for unlimited access.", "promo"),
        ("Download our app to get breaking news alerts.", "promo"),
        ("Want more stories like this? Join our weekly briefing.", "promo"),
        ("Get breaking news alerts on your phone.", "promo"),
        ("This story has been updated with new figures from the county.", "update_note"),
        ("Updated 3:45 p.m.", "update_note"),
        ("Updated at 10:12 a.m. ET, March 3, 2026", "update_note"),
        ("UPDATE:", "update_note"),
        ("Correction: An earlier version of this article misspelled the mayor's name.", "update_note"),
        ("Editor's note: This article was amended on March 4.", "update_note"),
        ("By Jane Doe", "byline"),
        ("By JANE DOE and Tom Roe, Harbour Wire", "byline"),
        ("By Jane Doe | Staff Writer", "byline"),
        ("Contributors: Tom Roe, Ada Kim", "byline"),
        ("Additional reporting by Tom Roe in Oristel.", "byline"),
        ("Reporting by Ada Kim; Editing by Tom Roe", "byline"),
        ("The Associated Press contributed to this report.", "byline"),
        ("Share this article", "share_prompt"),
        ("Follow us on Twitter and Facebook", "share_prompt"),
        ("Click to share on Facebook (Opens in new window)", "share_prompt"),
        ("Read more: Storm batters the coast", "share_prompt"),
        ("RELATED: Officials warn of more slides", "share_prompt"),
        ("Advertisement", "share_prompt"),
        ("Facebook Twitter Email", "share_prompt"),
        ("Photo: Rescue workers search the mud on Tuesday.", "caption"),
        ("Rescuers dig through mud on Tuesday. (AP Photo/Jane Doe)", "caption"),
        ("Image: Harbour Times", "caption"),
        ("Credit: Jane Doe", "caption"),
        ("Residents watch the slope from a bridge. Jane Doe/Getty Images", "caption"),
        ("FILE PHOTO: A view of the harbour. REUTERS/Jane Doe/File Photo", "caption"),
        ("A view of the old bridge in 2019. File photo", "caption"),
        ("Crews clear the road. Photograph: Marco Veil/Northgate Herald", "caption"),
        ("Home", "fragment"),
        ("World News", "fragment"),
        ("Skip to main content", "fragment"),
        ("***", "fragment"),
        ("March 3, 2026 10:45 a.m.", "fragment"),
    ],
)
def test_drops_with_reason(line: str, reason: str) -> None:
    art = Article("a1", "Dunmere Post", "Road blocked", body(line))
    cleaned, dropped = clean_article(art)
    assert [(d.reason, d.text) for d in dropped] == [(reason, line)]
    assert dropped[0].article_id == "a1"
    assert cleaned.text == body()


@pytest.mark.parametrize(
    "line",
    [
        "Seven people are still missing.",
        "He resigned.",
        "It rained.",
        "Police declined to comment.",
        '"We will rebuild," she said.',
        "“No.”",
        "“Sign up or get out,” the coach told players before the vote.",
        "By Tuesday, the storm had weakened.",
        "By then, the fire was out.",
        "Subscribers to the water service were not affected, the company said.",
        "The newsletter, published by the union, called for a strike.",
        "Share prices fell 4% on Monday.",
        "Related charges were filed on Tuesday.",
        "Updated figures showed 15 dead.",
        "UPDATE: 9 p.m. -- The county spokesman said the road would stay closed overnight.",
        "The photo was taken on Tuesday by a resident.",
        "Army: 40% fully vaccinated.",
        "Democrats objected.",
        "Mayor resigns",
        "Follow-up talks are planned for Friday.",
        "Jane Doe is a reporter for the Times who was detained in March.",
    ],
)
def test_keeps_genuine_short_sentences_and_quotes(line: str) -> None:
    art = Article("a1", "Dunmere Post", "Road blocked", body(line))
    cleaned, dropped = clean_article(art)
    assert dropped == ()
    assert line in cleaned.text.split("\n\n")


def test_author_bio_only_at_the_edges() -> None:
    bio = "Jane Doe is a senior reporter for the Dunmere Post covering transport."
    middle = [
        "The road carries about 9,000 vehicles a day.",
        "Buses are being diverted inland.",
        "Schools stay open.",
    ]
    _, dropped = clean_article(Article("a", "S", "T", body(*middle, bio)))
    assert [(d.reason, d.text) for d in dropped] == [("byline", bio)]
    assert classify_line(bio, near_edge=False) is None


def test_line_index_and_paragraph_layout() -> None:
    raw = f"{LEAD}\nBy Jane Doe\n\n\n{LAST}\n  \nShare this article\n"
    cleaned, dropped = clean_article(Article("a", "S", "T", raw))
    assert cleaned.text == f"{LEAD}\n\n{LAST}"
    assert [(d.line_index, d.reason) for d in dropped] == [(1, "byline"), (6, "share_prompt")]
    assert all(raw.split("\n")[d.line_index].strip() == d.text for d in dropped)


def test_hard_wrapped_prose_is_joined_not_split() -> None:
    raw = (
        "The county council met on Monday night and voted by a wide margin to\n"
        "fund repairs to the coast road, which has been closed since the landslide\n"
        "on Tuesday.\n\nBy Jane Doe"
    )
    cleaned, dropped = clean_article(Article("a", "S", "T", raw))
    assert cleaned.text.startswith(
        "The county council met on Monday night and voted by a wide margin to fund"
    )
    assert "\n" not in cleaned.text
    assert [d.reason for d in dropped] == ["byline"]


def test_repeated_headline_is_dropped_and_rest_untouched() -> None:
    art = Article("a", "S", "Coast road blocked by landslide", "Coast road blocked by landslide\n\n" + body())
    cleaned, dropped = clean_article(art)
    assert [d.reason for d in dropped] == ["title"]
    assert cleaned.text == body() and cleaned.title == art.title and cleaned.id == art.id


def test_whitespace_is_normalised_and_input_not_mutated() -> None:
    art = Article("a", "S", "T", f"  {LEAD}\u00a0 \r\n\r\n{LAST}  ")
    cleaned, dropped = clean_article(art)
    assert cleaned.text == f"{LEAD}\n\n{LAST}" and dropped == ()
    assert art.text.startswith("  ")


def test_empty_text() -> None:
    cleaned, dropped = clean_article(Article("a", "S", "T", ""))
    assert cleaned.text == "" and dropped == ()


def test_a_short_last_paragraph_cut_off_by_an_ellipsis_is_a_fragment() -> None:
    kept = "The council approved the sea wall on Monday after a long debate..."
    for stub in ("The requirement will...", "\u201cAfter\u2026", '"After...'):
        cleaned, dropped = clean_article(Article("a", "S", "T", "\n\n".join([LEAD, kept, stub])))
        assert [(d.reason, d.text) for d in dropped] == [("fragment", stub)]
        assert cleaned.text.endswith(kept)  # a longer cut-off sentence still says something
    # Inside the body an ellipsis is the writer's, not a cut.
    _, dropped = clean_article(Article("a", "S", "T", body("Then silence...")))
    assert not dropped


def test_a_headline_in_title_case_above_the_body_is_dropped() -> None:
    deck = "Council Backs Sea Wall as Storms Batter Dunmere"
    cleaned, dropped = clean_article(Article("a", "S", "Sea wall approved", "\n\n".join([deck, LEAD, LAST])))
    assert [(d.reason, d.text) for d in dropped] == [("title", deck)]
    assert cleaned.text == f"{LEAD}\n\n{LAST}"
    # Without a title (or with only a date for one) the headline becomes the title.
    for title in ("", "Thursday, December 11, 2008"):
        cleaned, _ = clean_article(Article("a", "S", title, "\n\n".join([deck, LEAD, LAST])))
        assert cleaned.title == deck and cleaned.text == f"{LEAD}\n\n{LAST}"
    # A first line that reads as a sentence, or one in sentence case, stays.
    for first in ("The council backs the sea wall as storms batter Dunmere", "Storms Batter Dunmere Again."):
        _, dropped = clean_article(Article("a", "S", "T", "\n\n".join([first, LEAD, LAST])))
        assert not dropped
