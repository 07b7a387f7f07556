"""A small hand-built StoryReport (fictional story, fictional outlets) for renderer and CLI tests.

It does not run any stage, so tests that use it do not depend on models or on
how compare() works. It has every kind of finding at least once: facts covered
by all / some / one outlet, an omission, a number conflict, a quote group, an
entity with two names, framing, a timeline event, a summary, a dropped line,
a failure and a notice. One article carries a ``<script>`` tag and another a
``javascript:`` URL, so renderers can be checked for escaping.
"""

from __future__ import annotations

import datetime as dt

from storyscope.records import (
    AnnotatedArticle,
    Article,
    Conflict,
    ConflictSide,
    DroppedLine,
    Entity,
    EntityName,
    Evidence,
    Fact,
    Failure,
    FramingItem,
    Mention,
    Notice,
    Omission,
    Quantity,
    Quote,
    QuoteGroup,
    Sentence,
    StoryReport,
    SummarySentence,
    TimelineEvent,
    TimeMention,
)

HT, CD, NP = "The Harbour Times", "Coastline Daily", "Northbay Post"

SENTENCES = {
    "ht-1": [
        "The ferry Aldmere Star ran aground off Gull Point on Tuesday, March 3.",
        "Twelve passengers were taken to hospital, officials said.",
        '"Everyone acted quickly," said harbour master Lena Voss.',
        "The company will review its safety rules.",
    ],
    "cd-2": [
        "The Aldmere Star ferry struck rocks near Gull Point on Tuesday.",
        "Fifteen passengers were hurt, according to the coastguard.",
        "Harbour chief Voss said everyone acted quickly.",
        "The operator, Bluewake Lines, declined to comment.",
    ],
    "np-3": [
        "A ferry ran aground near Gull Point on Tuesday, March 3.",
        '"Everyone acted quickly," Lena Voss told reporters.',
        "Bluewake Lines said it would review its safety rules.",
        "Readers posted <script>alert('x')</script> & photos of the rescue.",
    ],
}


def _build(article_id: str, paragraphs: list[str]) -> tuple[str, tuple[Sentence, ...]]:
    """Join sentences into a text (two per paragraph) and record each one's offsets."""
    text, sentences = "", []
    for i, s in enumerate(paragraphs):
        if i:
            text += "\n\n" if i % 2 == 0 else " "
        sentences.append(Sentence(article_id, i, len(text), len(text) + len(s), s))
        text += s
    return text, tuple(sentences)


def _span(sent: Sentence, needle: str) -> tuple[int, int]:
    at = sent.text.index(needle)
    return sent.start + at, sent.start + at + len(needle)


def make_report() -> StoryReport:
    """The hand-built report; every offset is computed, so ``text[start:end]`` always holds."""
    texts, sents = {}, {}
    for aid, parts in SENTENCES.items():
        texts[aid], sents[aid] = _build(aid, parts)
    ht, cd, np_ = sents["ht-1"], sents["cd-2"], sents["np-3"]

    def ev(s: Sentence) -> Evidence:
        return s.evidence

    q_ht = Quote(
        "ht-1",
        2,
        *_span(ht[2], "Everyone acted quickly,"),
        "Everyone acted quickly,",
        "direct",
        "Lena Voss",
        "harbour master Lena Voss",
        *_span(ht[2], "harbour master Lena Voss"),
        "said",
    )
    q_cd = Quote(
        "cd-2",
        2,
        *_span(cd[2], "everyone acted quickly"),
        "everyone acted quickly",
        "indirect",
        "Lena Voss",
        "Harbour chief Voss",
        *_span(cd[2], "Harbour chief Voss"),
        "said",
    )
    q_np = Quote(
        "np-3",
        1,
        *_span(np_[1], "Everyone acted quickly,"),
        "Everyone acted quickly,",
        "direct",
        "Lena Voss",
        "Lena Voss",
        *_span(np_[1], "Lena Voss"),
        "told",
    )

    articles = (
        AnnotatedArticle(
            Article(
                "ht-1",
                HT,
                "Ferry runs aground off Gull Point",
                texts["ht-1"],
                dt.date(2026, 3, 3),
                "https://harbourtimes.example/ferry",
                "fixtures/ht.html",
            ),
            ht,
            mentions=(
                Mention("ht-1", 2, *_span(ht[2], "Lena Voss"), "Lena Voss", "PERSON"),
                Mention("ht-1", 0, *_span(ht[0], "Gull Point"), "Gull Point", "LOC"),
            ),
            quotes=(q_ht,),
            times=(
                TimeMention(
                    "ht-1", 0, *_span(ht[0], "Tuesday, March 3"), "Tuesday, March 3", dt.date(2026, 3, 3)
                ),
            ),
            quantities=(
                Quantity(
                    "ht-1",
                    1,
                    *_span(ht[1], "Twelve passengers"),
                    "Twelve passengers",
                    12.0,
                    "passenger",
                    "count",
                ),
            ),
            dropped=(DroppedLine("ht-1", "Subscribe to our newsletter for more harbour news", "promo", 5),),
        ),
        AnnotatedArticle(
            Article(
                "cd-2",
                CD,
                "Ferry hits rocks, 15 hurt",
                texts["cd-2"],
                dt.date(2026, 3, 4),
                None,
                "fixtures/cd.json:2",
            ),
            cd,
            mentions=(Mention("cd-2", 2, *_span(cd[2], "Voss"), "Voss", "PERSON"),),
            quotes=(q_cd,),
            quantities=(
                Quantity(
                    "cd-2",
                    1,
                    *_span(cd[1], "Fifteen passengers"),
                    "Fifteen passengers",
                    15.0,
                    "passenger",
                    "count",
                ),
            ),
        ),
        AnnotatedArticle(
            Article(
                "np-3",
                NP,
                "Ferry aground <b>near</b> Gull Point",
                texts["np-3"],
                None,
                "javascript:alert(1)",
                None,
            ),
            np_,
            mentions=(Mention("np-3", 1, *_span(np_[1], "Lena Voss"), "Lena Voss", "PERSON"),),
            quotes=(q_np,),
        ),
    )

    f_all = Fact("f1", ht[0].text, (ev(ht[0]), ev(cd[0]), ev(np_[0])), (CD, NP, HT), "all")
    f_quote = Fact("f2", ht[2].text, (ev(ht[2]), ev(cd[2]), ev(np_[1])), (CD, NP, HT), "all")
    f_hurt = Fact("f3", ht[1].text, (ev(ht[1]), ev(cd[1])), (CD, HT), "some")
    f_rules = Fact("f4", ht[3].text, (ev(ht[3]), ev(np_[2])), (NP, HT), "some")
    f_decline = Fact("f5", cd[3].text, (ev(cd[3]),), (CD,), "one")
    f_photos = Fact("f6", np_[3].text, (ev(np_[3]),), (NP,), "one")

    return StoryReport(
        articles=articles,
        entities=(
            Entity(
                "e1",
                "PERSON",
                "Lena Voss",
                (
                    EntityName(HT, "Lena Voss", (ev(ht[2]),)),
                    EntityName(CD, "Voss", (ev(cd[2]),)),
                    EntityName(NP, "Lena Voss", (ev(np_[1]),)),
                ),
            ),
            Entity(
                "e2",
                "LOC",
                "Gull Point",
                (
                    EntityName(HT, "Gull Point", (ev(ht[0]),)),
                    EntityName(CD, "Gull Point", (ev(cd[0]),)),
                ),
            ),
        ),
        facts=(f_all, f_quote, f_hurt, f_rules, f_decline, f_photos),
        omissions=(Omission(NP, ("np-3",), "f3", (CD, HT)),),
        conflicts=(
            Conflict(
                "c1",
                "number",
                "f3",
                "how many passengers were hurt",
                (
                    ConflictSide(
                        "12 passengers", (HT,), (Evidence("ht-1", 1, *_span(ht[1], "Twelve passengers")),)
                    ),
                    ConflictSide(
                        "15 passengers", (CD,), (Evidence("cd-2", 1, *_span(cd[1], "Fifteen passengers")),)
                    ),
                ),
            ),
        ),
        quote_groups=(
            QuoteGroup("q1", "Lena Voss", "Everyone acted quickly", (q_ht, q_cd, q_np), (CD, NP, HT)),
        ),
        framing=(
            FramingItem(
                "wording", "f1", ((HT, ("ran aground",)), (CD, ("struck rocks",))), (ev(ht[0]), ev(cd[0]))
            ),
        ),
        timeline=(
            TimelineEvent(
                dt.date(2026, 3, 3),
                "day",
                "The ferry Aldmere Star ran aground off Gull Point.",
                (ev(ht[0]), ev(np_[0])),
                ("ht-1", "np-3"),
            ),
        ),
        summary=(
            SummarySentence(ht[0].text, (ev(ht[0]), ev(cd[0]), ev(np_[0])), "f1"),
            SummarySentence(ht[2].text, (ev(ht[2]), ev(np_[1])), "f2"),
            SummarySentence(cd[1].text, (ev(cd[1]),), "f3"),
        ),
        failures=(Failure("fixtures/broken.html", "ingest", "no article text found in the HTML"),),
        notices=(Notice("duplicate_article", "two inputs had the same text; kept the first", ("cd-2",)),),
        generated="2026-03-05T10:00:00+00:00",
    )
