"""Wire copies and reprints: one text under several outlets, counted once.

Five outlets "agreeing" on a fact means little when four of them ran the same agency story. So
``find_copies`` groups the articles of a story whose texts are near-duplicates (MinHash + LSH over
word 5-shingles, every candidate confirmed on the exact shingle sets: cluster/neardup.py) *across
outlets*; two articles of one outlet are versions of one article (compare/versions.py), not copies.
A group names the agency its members credit ("KALVARRO (Harbour Wire) -", "— Reuters"), if any.

``count_independent`` then counts, for each fact, each copy group once: a group is represented by
its credited agency, else by the outlet of its earliest article. Only sentences that are part of the
shared text count as the copy; a sentence an outlet added to the agency text is its own reporting.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from storyscope.cluster.neardup import (
    NearDupIndex,
    NearDupParams,
    Shingled,
    compare_shingles,
    normalise_words,
    shingle_hashes,
    shingle_text,
)
from storyscope.config import CompareConfig
from storyscope.records import AnnotatedArticle, CopyGroup, Fact

# A sentence of a copy is part of the shared text when this share of its 5-shingles (or, under five
# words, all its words in a row) appears in another member of its group.
SHARED_SENTENCE_SHARE = 0.5

_NAME = r"[A-Z][\w&.'’ -]{0,40}?"
# "KALVARRO, Vestmar (Harbour Wire) - ", "NEW YORK (AP) — ", "LONDON, March 4 (Reuters) -"
_DATELINE = re.compile(rf"^[^\n()]{{0,80}}?\((?P<name>{_NAME})\)\s*[-–—:]\s")
_CREDIT_LINES = (
    re.compile(rf"^\s*[-–—]{{1,2}}\s*(?P<name>{_NAME})\s*\.?\s*$"),  # "— Harbour Wire"
    re.compile(rf"^\s*\(?(?:©|\(c\)|copyright)\s*(?:\d{{4}},?\s+)?(?P<name>{_NAME})[.,]?\s*"
               r"(?:all rights reserved\.?)?\)?\s*$", re.IGNORECASE),
    re.compile(rf"^\s*(?:source|credit|via)\s*:\s*(?P<name>{_NAME})\s*\.?\s*$", re.IGNORECASE),
    re.compile(rf"^\s*(?P<name>{_NAME}) contributed to this (?:report|story|article)\.?\s*$"),
    re.compile(r"^\s*\(?(?P<name>Reuters|AP|AFP|dpa)\)?\s*\.?\s*$"),
)
_CANONICAL = {
    "ap": "Associated Press",
    "the associated press": "Associated Press",
    "associated press": "Associated Press",
    "reuters": "Reuters",
    "afp": "AFP",
    "agence france-presse": "AFP",
    "agence france presse": "AFP",
}
# Parentheses that are not credits: "(AP Photo)", "(File)", "(Updated)".
_NOT_A_CREDIT = re.compile(r"photo|file|update|video|image|\d", re.IGNORECASE)


def _params(config: CompareConfig) -> NearDupParams:
    """Copy-detection settings; CompareConfig may carry overrides (copy_min_jaccard, copy_min_containment)."""
    defaults = NearDupParams()
    return replace(
        defaults,
        min_jaccard=getattr(config, "copy_min_jaccard", defaults.min_jaccard),
        min_containment=getattr(config, "copy_min_containment", defaults.min_containment),
    )


def credit_of(text: str, extra_lines: Sequence[str] = ()) -> str | None:
    """The agency or outlet a text credits in its dateline or a credit line, if it names one.

    ``extra_lines`` are lines ``clean`` removed (a trailing "— Harbour Wire" can be dropped as a byline).
    """
    first = text.lstrip().split("\n", 1)[0]
    m = _DATELINE.match(first)
    if m and not _NOT_A_CREDIT.search(m.group("name")):
        return _canonical(m.group("name"))
    lines = [ln for ln in text.strip().split("\n") if ln.strip()]
    for line in [*lines[-2:], *extra_lines]:
        for pattern in _CREDIT_LINES:
            m = pattern.match(line)
            if m and not _NOT_A_CREDIT.search(m.group("name")):
                return _canonical(m.group("name"))
    return None


def _canonical(name: str) -> str:
    clean = " ".join(name.strip(" .,-–—").split())
    return _CANONICAL.get(clean.casefold(), clean)


def find_copies(annotated: Sequence[AnnotatedArticle], config: CompareConfig) -> tuple[CopyGroup, ...]:
    """Groups of articles from different outlets that are one text, lightly edited (input order)."""
    if len({a.article.source for a in annotated}) < 2:
        return ()
    params = _params(config)
    order = {a.id: i for i, a in enumerate(annotated)}
    by_id = {a.id: a for a in annotated}
    shingled = {a.id: shingle_text(a.article.text, params) for a in annotated}
    parent = {a.id: a.id for a in annotated}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for earlier, later in _copy_pairs(annotated, shingled, params):
        if by_id[earlier].article.source != by_id[later].article.source:  # same outlet: a version, not a copy
            ra, rb = root(earlier), root(later)
            if ra != rb:
                parent[max(ra, rb, key=order.__getitem__)] = min(ra, rb, key=order.__getitem__)

    members: dict[str, list[str]] = {}
    for a in annotated:
        members.setdefault(root(a.id), []).append(a.id)
    groups = []
    for ids in members.values():
        sources = sorted({by_id[i].article.source for i in ids})
        if len(ids) < 2 or len(sources) < 2:
            continue
        lowest = min(
            compare_shingles(shingled[x].full, shingled[y].full)[0]
            for n, x in enumerate(ids)
            for y in ids[n + 1 :]
        )
        credits = [
            c
            for i in ids
            if (c := credit_of(by_id[i].article.text, [d.text for d in by_id[i].dropped])) is not None
        ]
        credited = Counter(credits).most_common(1)[0][0] if credits else None
        gid = "W" + hashlib.sha1(",".join(sorted(ids)).encode("utf-8")).hexdigest()[:10]
        groups.append(CopyGroup(gid, tuple(ids), tuple(sources), round(float(lowest), 4), credited))
    return tuple(groups)


def _copy_pairs(
    annotated: Sequence[AnnotatedArticle], shingled: dict[str, Shingled], params: NearDupParams
) -> list[tuple[str, str]]:
    """(earlier id, later id) of confirmed near-duplicates: LSH candidates, or every pair without datasketch."""
    try:
        index = NearDupIndex(params)
    except ImportError:  # a story is small: the exact comparison of every pair is affordable
        pairs = []
        for n, a in enumerate(annotated):
            for b in annotated[n + 1 :]:
                x, y = shingled[a.id].full, shingled[b.id].full
                if min(len(x), len(y)) >= params.min_shingles:
                    jac, cont = compare_shingles(x, y)
                    if jac >= params.min_jaccard or cont >= params.min_containment:
                        pairs.append((a.id, b.id))
        return pairs
    pairs = []
    for a in annotated:
        if a.id in index:  # the same id twice: dedupe normally prevents it
            continue
        pairs.extend((str(m.key), a.id) for m in index.add(a.id, shingled=shingled[a.id]))
    return pairs


def count_independent(
    facts: Sequence[Fact], copies: Sequence[CopyGroup], annotated: Sequence[AnnotatedArticle]
) -> tuple[Fact, ...]:
    """Facts with ``independent_sources``: outlets, each copy group counted once (unchanged if no copies)."""
    if not copies:
        return tuple(facts)
    by_id = {a.id: a for a in annotated}
    order = {a.id: i for i, a in enumerate(annotated)}
    representative: dict[str, str] = {}
    shared: set[tuple[str, int]] = set()
    for group in copies:
        ids = [i for i in group.article_ids if i in by_id]
        if not ids:
            continue
        rep = group.credited or by_id[min(ids, key=lambda i: _age_key(by_id[i], order))].article.source
        for i in ids:
            representative[i] = rep
        shared |= _shared_sentences([by_id[i] for i in ids])
    out = []
    for fact in facts:
        # Each outlet counts as itself if any of its evidence is its own text, else as its copy group.
        own: set[str] = set()
        copied: dict[str, str] = {}
        for ev in fact.evidence:
            art = by_id.get(ev.article_id)
            if art is None:
                continue
            src = art.article.source
            if ev.article_id in representative and (ev.article_id, ev.sentence_index) in shared:
                copied.setdefault(src, representative[ev.article_id])
            else:
                own.add(src)
        counted = {copied[s] if s in copied and s not in own else s for s in fact.sources}
        out.append(replace(fact, independent_sources=tuple(sorted(counted))))
    return tuple(out)


def _age_key(a: AnnotatedArticle, order: dict[str, int]) -> tuple[int, str, int]:
    published = a.article.published
    return (0, published.isoformat(), order[a.id]) if published else (1, "", order[a.id])


def _shared_sentences(group: Sequence[AnnotatedArticle]) -> set[tuple[str, int]]:
    """(article id, sentence index) of the group's sentences that are part of the copied text."""
    k = NearDupParams().shingle_words
    full = {a.id: shingle_hashes(a.article.text, k) for a in group}
    joined = {a.id: " " + " ".join(normalise_words(a.article.text)) + " " for a in group}
    out = set()
    for a in group:
        others = [x.id for x in group if x.id != a.id]
        if not others:
            continue
        other_set = np.unique(np.concatenate([full[o] for o in others]))
        for s in a.sentences:
            words = normalise_words(s.text)
            if not words:
                continue
            if len(words) < k:
                phrase = " " + " ".join(words) + " "
                if any(phrase in joined[o] for o in others):
                    out.add((a.id, s.index))
                continue
            sh = shingle_hashes(s.text, k)
            if np.isin(sh, other_set, assume_unique=True).mean() >= SHARED_SENTENCE_SHARE:
                out.add((a.id, s.index))
    return out
