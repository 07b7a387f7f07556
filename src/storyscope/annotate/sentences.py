"""Sentence splitting with exact character offsets (nupunkt: fast, right on Mr./U.S./a.m./quotes).

Paragraph breaks always end a sentence: news paragraphs are short and a
sentence never runs across one, while punkt alone sometimes joins them.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence

from storyscope.records import Sentence

_TAIL_START = frozenset(")],;:")
_PARA = re.compile(r"\n\s*\n|\n(?=\S)")


def sentence_locator(sentences: Sequence[Sentence]) -> Callable[[int], int]:
    """``offset -> index`` of the sentence containing it (the nearest one before it otherwise).

    The sentence starts are collected once, so locating every mention of an article costs
    one bisect each.
    """
    starts = [s.start for s in sentences]
    return lambda offset: max(0, bisect.bisect_right(starts, offset) - 1)


def split_sentences(text: str, article_id: str) -> tuple[Sentence, ...]:
    """Sentences of ``text``; ``text[s.start:s.end] == s.text`` and spans are trimmed."""
    import nupunkt

    spans: list[tuple[int, int]] = []
    para_start = 0
    for m in [*_PARA.finditer(text), None]:
        para_end = m.start() if m else len(text)
        para = text[para_start:para_end]
        if para.strip():
            for _t, (s, e) in nupunkt.sent_spans_with_text(para):
                spans.append((para_start + s, para_start + e))
        if m:
            para_start = m.end()
    trimmed: list[tuple[int, int]] = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e <= s:
            continue
        # A "sentence" opening with closing punctuation is the tail of the one before, cut after an
        # abbreviation inside brackets: "Steny Hoyer (D-Md." + "), the bill's author."
        if trimmed and text[s] in _TAIL_START and "\n" not in text[trimmed[-1][1] : s]:
            trimmed[-1] = (trimmed[-1][0], e)
        else:
            trimmed.append((s, e))
    return tuple(Sentence(article_id, i, s, e, text[s:e]) for i, (s, e) in enumerate(trimmed))


# Coordinated main clauses: "A mudslide hit Kalvaro on Tuesday, and two days later families are
# accusing the authorities ...". Each side must be a clause of its own (MIN_CLAUSE_WORDS), not a
# list item ("rain, and wind").
_CLAUSE_BREAK = re.compile(r";\s+|,\s+(?=(?:and|but|while|whereas|yet)\s)")
MIN_CLAUSE_WORDS = 6


def split_clauses(sentence: Sentence) -> tuple[tuple[int, int], ...]:
    """Spans (into the article text) of the coordinated clauses of a sentence; () when it has one.

    Fact alignment compares clauses too, because outlets pack two facts into one
    sentence differently, and a sentence's vector is then far from either fact.
    """
    text = sentence.text
    cuts = [0]
    for m in _CLAUSE_BREAK.finditer(text):
        if len(text[cuts[-1] : m.start()].split()) >= MIN_CLAUSE_WORDS:
            cuts.append(m.end())
    spans = [(cuts[i], cuts[i + 1] if i + 1 < len(cuts) else len(text)) for i in range(len(cuts))]
    if len(spans) > 1 and len(text[spans[-1][0] :].split()) < MIN_CLAUSE_WORDS:
        spans[-2] = (spans[-2][0], spans[-1][1])
        spans.pop()
    if len(spans) < 2:
        return ()
    trimmed = []
    for s, e in spans:
        while e > s and text[e - 1] in " ,;":
            e -= 1
        trimmed.append((sentence.start + s, sentence.start + e))
    return tuple(trimmed)
