"""Group quotes across outlets into utterances: who said what, and who says someone else said it."""

from __future__ import annotations

import difflib
import hashlib
import re
from collections import Counter
from collections.abc import Sequence

from storyscope.compare.entities import EntityLookup, _UnionFind
from storyscope.records import AnnotatedArticle, Entity, Quote, QuoteGroup

_WORD = re.compile(r"[\w']+")

# Two quote contents are the same utterance when their word sequences are this similar
# (difflib ratio) or when one mostly contains the other (a trimmed quote). Tuned on the
# bundled example and hand-written trims/paraphrases; 0.6 keeps "we will rebuild every home"
# with "we will rebuild every single home" and apart from a different sentence by the same speaker.
_SAME_RATIO = 0.6
_CONTAIN = 0.8
_MIN_WORDS = 4


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def same_utterance(a: str, b: str) -> bool:
    return _same(_words(a), _words(b))


class _Words:
    """A quote's words with their set and counts, built once per quote rather than once per pair."""

    __slots__ = ("counts", "set", "words")

    def __init__(self, words: list[str]) -> None:
        self.words = words
        self.set = set(words)
        self.counts = Counter(words)


def _same(wa: list[str], wb: list[str]) -> bool:
    return _same_words(_Words(wa), _Words(wb))


def _same_words(a: _Words, b: _Words) -> bool:
    wa, wb = a.words, b.words
    if min(len(wa), len(wb)) < _MIN_WORDS:
        return wa == wb and bool(wa)
    short, long_ = (a, b) if len(wa) <= len(wb) else (b, a)
    if len(short.set & long_.set) / max(1, len(short.set)) >= _CONTAIN:
        # A trimmed quote is a run of the longer one, in order: two people's different quotes can
        # share most words of a short one as a bag ("I think it shows they are on the wrong side of
        # history" in a long quote with "you'd think", "it" and "on the wrong side of history").
        sm = difflib.SequenceMatcher(None, short.words, long_.words, autojunk=False)
        if sum(m.size for m in sm.get_matching_blocks()) >= _CONTAIN * len(short.words):
            return True
    # difflib's ratio is 2*matches/(len a + len b), and matches never exceed the multiset
    # intersection: most pairs are ruled out by that bound without running difflib.
    ca, cb = a.counts, b.counts
    if len(ca) > len(cb):
        ca, cb = cb, ca
    bound = 2 * sum(min(n, cb[w]) for w, n in ca.items() if w in cb) / (len(wa) + len(wb))
    if bound < _SAME_RATIO:
        return False
    return difflib.SequenceMatcher(None, wa, wb, autojunk=False).ratio() >= _SAME_RATIO


def group_quotes(
    annotated: Sequence[AnnotatedArticle], entities: Sequence[Entity] = ()
) -> tuple[QuoteGroup, ...]:
    """One group per utterance; a group spans outlets when they report the same words.

    A group's speaker is named by its cross-article entity when ``entities`` are given: one
    outlet's "Jeff Zients", another's "Jeffrey Zients" and a later "Zients" are one speaker in
    "who said what", not three.
    """
    canonical = _speaker_names(entities)
    source_of = {a.id: a.article.source for a in annotated}
    quotes: list[Quote] = [q for a in annotated for q in a.quotes]
    words = [_Words(_words(q.content)) for q in quotes]
    key = {i: f"{q.article_id}:{q.start}" for i, q in enumerate(quotes)}
    uf = _UnionFind()
    for i in range(len(quotes)):
        uf.find(key[i])
    for i, qa in enumerate(quotes):
        for j in range(i + 1, len(quotes)):
            qb = quotes[j]
            if qa.article_id != qb.article_id and _same_words(words[i], words[j]):
                uf.union(key[i], key[j])
    groups: dict[str, list[Quote]] = {}
    for i, q in enumerate(quotes):
        groups.setdefault(uf.find(key[i]), []).append(q)
    out = []
    for qs in groups.values():
        qs.sort(key=lambda q: (q.article_id, q.start))
        votes: dict[str, float] = {}
        for q in qs:
            if q.speaker:
                name = canonical(q.speaker)
                votes[name] = votes.get(name, 0.0) + _speaker_weight(q)
        speaker = max(votes, key=lambda s: (votes[s], len(s), s)) if votes else None
        rep = max(qs, key=lambda q: (len(q.content), q.kind == "direct"))
        gid = "Q" + hashlib.sha1("|".join(f"{q.article_id}:{q.start}" for q in qs).encode()).hexdigest()[:10]
        out.append(
            QuoteGroup(
                gid, speaker, rep.content, tuple(qs), tuple(sorted({source_of[q.article_id] for q in qs}))
            )
        )
    out.sort(key=lambda g: (-len(g.sources), g.speaker or "~", g.content))
    return tuple(out)


_PRONOUN_SPEAKERS = frozenset(["he", "she", "they", "it", "him", "her", "them", "i", "we", "you"])


def _speaker_weight(q: Quote) -> float:
    """A speaker reached through a pronoun is half a vote: resolving "he" can pick the wrong man
    ('he asked the congressman if he "fully supported the Obama agenda"'), while a name or a
    description ("the reporter", "a young man") is the outlet's own attribution."""
    text = (q.speaker_text or "").strip().lower()
    return 0.5 if text in _PRONOUN_SPEAKERS else 1.0


def _speaker_names(entities: Sequence[Entity]):
    """``speaker -> the name of its person or organisation entity`` (itself when none fits)."""
    name_of = {e.id: e.name for e in entities}
    lookup = EntityLookup(entities)

    def canonical(speaker: str) -> str:
        eid = lookup(speaker)
        return name_of[eid] if eid else speaker

    return canonical
