"""Quote attribution on invented news text (fictional people and places)."""

from __future__ import annotations

import pytest

from storyscope.annotate.quotes import extract_quotes, find_quote_segments
from storyscope.annotate.sentences import split_sentences
from storyscope.records import Quote


@pytest.fixture
def quotes_of(nlp):
    def run(text: str) -> tuple[Quote, ...]:
        qs = extract_quotes(nlp(text), split_sentences(text, "a1"), "a1")
        for q in qs:  # offsets are exact for every quote, always
            assert text[q.start : q.end] == q.content
            assert q.article_id == "a1"
            if q.speaker_start is not None:
                assert text[q.speaker_start : q.speaker_end] == q.speaker_text
        return qs

    return run


def find(qs, fragment: str) -> Quote:
    hits = [q for q in qs if fragment in q.content]
    assert hits, f"no quote containing {fragment!r} in {[q.content for q in qs]}"
    return hits[0]


def test_direct_quote_speaker_after(quotes_of):
    qs = quotes_of(
        '"The harbour will stay closed until the storm passes," Harbourmaster Lena Voss said on Monday.'
    )
    q = find(qs, "harbour will stay closed")
    assert q.kind == "direct"
    assert q.content == "The harbour will stay closed until the storm passes"
    assert q.speaker == "Lena Voss"
    assert q.cue == "say"


def test_direct_quote_speaker_before_with_curly_marks(quotes_of):
    text = "Mayor Tomas Brell told reporters: \u201cWe have never seen water this high in Portvale.\u201d"
    q = find(quotes_of(text), "never seen water")
    assert q.kind == "direct"
    assert q.speaker == "Tomas Brell"
    assert q.cue == "tell"
    assert q.content.endswith("Portvale.")


def test_split_quote_has_one_speaker(quotes_of):
    text = '"We are ready," said Lena Voss, the harbourmaster, "but the boats must wait another day."'
    qs = [q for q in quotes_of(text) if q.kind == "direct"]
    a, b = find(qs, "We are ready"), find(qs, "boats must wait")
    assert a.speaker == b.speaker == "Lena Voss"
    assert (a.speaker_start, a.speaker_end) == (b.speaker_start, b.speaker_end)


def test_quote_running_over_paragraphs(quotes_of):
    text = (
        "Lena Voss spoke at the quay on Tuesday.\n\n"
        '"The sea wall was built for a different century," Voss said. "Nobody planned for this.\n\n'
        '"We will need a new wall, and we will need it before the winter storms arrive."\n\n'
        "The council meets on Friday."
    )
    qs = quotes_of(text)
    second = find(qs, "We will need a new wall")
    assert second.kind == "direct"
    assert second.speaker == "Lena Voss"
    assert second.content.startswith("We will need")


def test_indirect_said_that(quotes_of):
    q = find(quotes_of("The mayor said that the bridge would reopen next week."), "bridge")
    assert q.kind == "indirect"
    assert q.content == "the bridge would reopen next week"
    assert q.cue == "say"
    assert q.speaker_text == "The mayor"


def test_indirect_quote_after_the_clause(quotes_of):
    q = find(quotes_of("The ferry service will resume on Thursday, the operator announced."), "ferry")
    assert q.kind == "indirect"
    assert q.content == "The ferry service will resume on Thursday"
    assert q.speaker == "the operator"


def test_according_to(quotes_of):
    q = find(quotes_of("According to the ministry, the bridge will reopen next week."), "bridge")
    assert q.kind == "indirect"
    assert q.cue == "according to"
    assert q.content == "the bridge will reopen next week"
    assert q.speaker == "the ministry"  # an organisation keeps its surface text


def test_pronoun_resolves_to_full_name(quotes_of):
    text = (
        "Ana Ruiz arrived in Portvale on Tuesday for talks on the harbour dispute.\n\n"
        '"Nobody wants another closure of the harbour," she said.'
    )
    q = find(quotes_of(text), "Nobody wants")
    assert q.speaker_text == "she"
    assert q.speaker == "Ana Ruiz"


def test_pronoun_skips_the_subject_of_reported_speech(quotes_of):
    # "Pavel Dorn" is a subject, but of what Ruiz said: the next "he said" is still Ruiz's.
    text = (
        "Mayor Tomas Brell toured the flooded quay in Portvale on Tuesday.\n\n"
        "He said Pavel Dorn, the harbour master, would probably lose his post if the council voted.\n\n"
        '"We cannot keep rebuilding the same wall every winter," he said.'
    )
    qs = quotes_of(text)
    assert find(qs, "lose his post").speaker == "Tomas Brell"
    q = find(qs, "rebuilding the same wall")
    assert q.speaker_text == "he"
    assert q.speaker == "Tomas Brell"


def test_nominal_resolves_to_person_introduced_with_title(quotes_of):
    text = (
        "Foreign Minister Ana Ruiz met fishermen in Portvale on Tuesday.\n\n"
        "The top diplomat said that the talks would continue until Friday."
    )
    q = find(quotes_of(text), "talks would continue")
    assert q.speaker_text == "The top diplomat"
    assert q.speaker == "Ana Ruiz"


def test_apposition_and_age_resolve(quotes_of):
    text = (
        "The mayor, Tomas Brell, visited the quay on Monday.\n\n"
        "The 54-year-old warned that the city's funds were running low."
    )
    q = find(quotes_of(text), "funds were running low")
    assert q.speaker == "Tomas Brell"


def test_surname_and_title_surname_resolve(quotes_of):
    text = (
        "Harbourmaster Lena Voss inspected the damage on Monday.\n\n"
        '"The wall held, but only just," Voss said.\n\n'
        "Ms. Voss said the repairs would take a month."
    )
    qs = quotes_of(text)
    assert find(qs, "The wall held").speaker == "Lena Voss"
    assert find(qs, "repairs would take").speaker == "Lena Voss"


def test_indefinite_nominal_is_not_resolved_to_a_person(quotes_of):
    text = "Lena Voss inspected the quay.\n\nA spokesperson for the agency said it would review the decision."
    q = find(quotes_of(text), "review the decision")
    assert q.speaker == "A spokesperson for the agency"


def test_scare_quotes_and_titles_are_not_quotes(quotes_of):
    text = (
        'The so-called "disaster" wall was finished on Monday.\n\n'
        'The council screened "The Harbour Lights" at the town hall.\n\n'
        'Residents watched a film called "The Harbour Lights" and called for a "full inquiry" into the wall.\n\n'
        'Lena Voss called on the council to "act now" and called off a "town meeting" at the quay.'
    )
    assert quotes_of(text) == ()


def test_words_a_naming_verb_quotes_are_the_subject_s_however_short(quotes_of):
    text = (
        'Residents called the new sea wall a "disaster" on Monday.\n\n'
        'Lena Voss went after the council, calling its plan "reckless and late."\n\n'
        'Ines Marlow described the repairs as a "work in progress."'
    )
    got = [(q.content, q.speaker, q.cue, q.kind) for q in quotes_of(text)]
    assert got == [
        ("disaster", "Residents", "call", "direct"),
        ("reckless and late.", "Lena Voss", "call", "direct"),
        ("work in progress.", "Ines Marlow", "describe", "direct"),
    ]


def test_a_short_quote_that_breaks_off_is_not_an_utterance(quotes_of):
    text = '"We will reopen the quay by Friday," Lena Voss said on Monday. "After...'
    assert [q.content for q in quotes_of(text)] == ["We will reopen the quay by Friday"]
    assert [q.content for q in quotes_of('"No." Lena Voss said nothing more.')] == ["No."]


def test_clause_before_a_semicolon_or_dash_is_not_what_the_cue_reports(quotes_of):
    text = (
        "A dozen officers in plain clothes stood watch as the mayor spoke; one warned photographers to stay back.\n\n"
        "Lena Voss appeared to soften her plan for the sea wall -- she said it's important for every town to have one."
    )
    contents = [q.content for q in quotes_of(text)]
    assert not any("stood watch" in c or "appeared to soften" in c for c in contents)
    assert any(c.startswith("it's important") for c in contents)
    # across a comma it is reported speech
    assert [q.content for q in quotes_of("The sea wall will be finished by March, Lena Voss said.")] == [
        "The sea wall will be finished by March"
    ]


def test_a_described_speaker_is_not_guessed_to_be_the_last_person_named(quotes_of):
    text = (
        "Governor Ines Marlow toured the harbour on Monday.\n\n"
        "The lawyer for the harbour board said the board would appeal the ruling.\n\n"
        "The mayor of Dunmere, Tomas Brell, said the town would pay for the repairs."
    )
    qs = quotes_of(text)
    assert find(qs, "appeal the ruling").speaker == "The lawyer for the harbour board"
    assert find(qs, "pay for the repairs").speaker == "Tomas Brell"


def test_the_reporter_asking_is_not_the_person_just_named(quotes_of):
    text = (
        "Rep. Tomas Brell walked to the quay on Friday.\n\n"
        'In the video, the reporter asks, "Do you fully support the sea wall plan, Congressman?"'
    )
    assert [q.speaker for q in quotes_of(text)] == ["the reporter"]


def test_a_response_after_a_colon_is_the_possessor_s_or_the_one_asked(quotes_of):
    text = (
        "Tomas Brell spoke first.\n\n"
        'Host Ines Marlow asked Brell, "Will the sea wall hold this winter?" His response: "We will know by March."\n\n'
        'Lena Voss spoke to the council on Monday. Her reply: "We will rebuild the wall before winter."'
    )
    qs = quotes_of(text)
    assert find(qs, "know by March").speaker == "Tomas Brell"
    assert find(qs, "hold this winter").speaker == "Ines Marlow"
    assert find(qs, "rebuild the wall").speaker == "Lena Voss"


def test_speaker_phrase_keeps_its_brackets_balanced(quotes_of):
    text = "A memo from the Dunmere Office of Legal Counsel (OLC) said that the council must release the plans."
    (q,) = quotes_of(text)
    assert q.speaker_text == "A memo from the Dunmere Office of Legal Counsel (OLC)"


def test_quoted_fragment_inside_reported_speech_is_one_quote(quotes_of):
    text = 'Lena Voss said the repairs had been "far too slow" and that the council must act.'
    qs = quotes_of(text)
    assert len(qs) == 1
    assert qs[0].kind == "indirect"
    assert "far too slow" in qs[0].content


def test_odd_number_of_quote_marks_does_not_crash(quotes_of):
    text = (
        '"The harbour is closed," Lena Voss said. "We will reopen it when it is safe.\n\n'
        'The council said "it would meet on Friday.\n\nNo further "details were given.'
    )
    qs = quotes_of(text)
    assert find(qs, "harbour is closed").speaker == "Lena Voss"


def test_empty_and_quote_only_text(quotes_of):
    assert quotes_of("") == ()
    assert quotes_of('"') == ()
    assert quotes_of('""""') == ()


def test_sentence_index_points_at_the_content(nlp):
    text = "The storm passed overnight.\n\nThe mayor said that the bridge would reopen next week."
    sents = split_sentences(text, "a1")
    (q,) = extract_quotes(nlp(text), sents, "a1")
    s = sents[q.sentence_index]
    assert s.start <= q.start < s.end


def test_segments_pair_marks_by_context():
    text = 'He said "yes" and "no" then "maybe\n\n"next'
    segs = find_quote_segments(text)
    assert [text[s.start : s.end] for s in segs] == ["yes", "no", "maybe", "next"]
    assert segs[2].chain == segs[3].chain  # an unclosed paragraph continues in the next


def test_speaker_stays_in_the_cue_s_paragraph_when_the_one_before_has_no_full_stop(quotes_of):
    # The first paragraph ends without a full stop, so the parse runs on into the next one.
    text = (
        "The letter came from council members Pavel Dorn, Ada Kess and Lina Hoft\n\n"
        'Marlow released a statement late Tuesday saying: "We will rebuild the sea wall before winter '
        'comes, whatever the council decides."'
    )
    q = find(quotes_of(text), "rebuild the sea wall")
    assert q.speaker_text == "Marlow"


def test_sentence_cut_after_an_abbreviation_in_brackets_is_rejoined():
    from storyscope.annotate.sentences import split_sentences

    text = 'The wall will stand," said Senator Ines Marlow (D-Md.), the bill\u2019s author. It passed.\n\n(Photo) Next.'
    got = [s.text for s in split_sentences(text, "a")]
    assert got[:2] == ['The wall will stand," said Senator Ines Marlow (D-Md.), the bill\u2019s author.', "It passed."]
    assert all(text[s.start : s.end] == s.text for s in split_sentences(text, "a"))
    assert [s.index for s in split_sentences(text, "a")] == list(range(len(got)))


def test_a_headline_name_before_a_colon_is_the_speaker(quotes_of):
    text = (
        "Marlow camp: The sea wall plan threatens the harbour.\n\n"
        "Correction: An earlier version misspelled the name of the quay.\n\n"
        "Exclusive: Brell Plans to Leave the Council\n\n"
        "Governor Ines Marlow spoke on Monday. Brell did not answer."
    )
    got = [(q.content, q.speaker_text, q.cue) for q in quotes_of(text)]
    assert ("The sea wall plan threatens the harbour", "Marlow camp", ":") in got
    assert not [g for g in got if g[1] in ("Correction", "Exclusive")]


def test_a_name_right_before_a_subjectless_cue_is_the_speaker(quotes_of):
    # The parser makes "Tom Brell" an apposition of "Ines Marlow" and leaves "said" without a subject.
    text = (
        "Tuesday in Kalvarro, while on the campaign trail for his wife Governor Ines Marlow, "
        "former mayor Tom Brell said his wife was uniquely qualified to rebuild the sea wall."
    )
    (q,) = quotes_of(text)
    assert (q.speaker_text, q.cue) == ("former mayor Tom Brell", "say")
    # A time of day is never the speaker ("4:40 p.m. says"), an age is ("the 46-year-old said").
    text = "4:40 p.m.  Council candidate Tom Brell says, win or lose in the vote, he is staying in the race."
    assert [q.speaker for q in quotes_of(text)] == ["Tom Brell"]
    text = 'Tom Brell spoke first. "The wall will hold this winter," said the 46-year-old.'
    assert [q.speaker_text for q in quotes_of(text)] == ["the 46-year-old"]


def test_an_unattributed_quote_naming_the_last_speaker_is_not_theirs(quotes_of):
    text = (
        '"We will rebuild the sea wall before winter," Governor Ines Marlow said on Monday.\n\n'
        '"Marlow has lost touch with the town and its fishermen."\n\n'
        '"The money for the wall is already in the budget for next year."'
    )
    speakers = [q.speaker for q in quotes_of(text)]
    assert speakers[0] == "Ines Marlow"
    assert speakers[1] is None  # words about Marlow, not more of hers
