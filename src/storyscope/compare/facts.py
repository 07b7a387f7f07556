"""Align sentences that report the same thing across articles into :class:`Fact` records.

Why this shape:

- Sentence vectors (MiniLM cosine) carry most of the signal, but news sentences about
  one story all look alike to them ("police said", "on Monday"). So the cosine is
  adjusted by what makes a report *specific*: shared named entities and shared numbers
  raise it, two sentences that each name entities but share none lower it, and shared
  content words add a little. A differing number is deliberately *not* penalised:
  "12 people died in Alder" and "15 people were killed in Alder" are one fact with a
  conflict, and the conflict stage can only see it if they are aligned.
- Between each pair of articles an edge needs the pair to be each other's best match
  (score >= ``fact_threshold``) or a very close match (score >= ``fact_threshold_strong``).
- Edges are merged strongest first and a merge is refused when it would put two
  sentences of the same article in one fact. That stops A-B-C chaining from gluing
  unrelated sentences together through a generic middle sentence, and it is the same
  as building connected components and splitting each at its weakest edges.
- Every sentence ends up in exactly one fact; unmatched sentences are single-outlet facts.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from storyscope.config import CompareConfig
from storyscope.records import AnnotatedArticle, Evidence, Fact

# --- score adjustments, tuned together on the AllSides first half and the invented
# tests (bench/bench_summary.py). Raw MiniLM cosine of news paraphrases is ~0.6-0.9;
# same-story but different-fact sentences are ~0.35-0.6, so adjustments of a few
# hundredths decide the borderline cases only.
ENTITY_BONUS = 0.05  # per shared entity word, up to ENTITY_BONUS_MAX
ENTITY_BONUS_MAX = 0.10
ENTITY_MISMATCH_PENALTY = 0.06  # both name entities, none shared
NUMBER_BONUS = 0.05  # at least one number in common
LEXICAL_WEIGHT = 0.10  # times the Jaccard overlap of content-word stems
# Leads of articles about one story report its core event, each outlet in its own words (often
# packed with framing: "A mudslide smashed into ..., and families accuse ... of a botched
# rescue"). Two leads (first LEAD_SENTENCES of their articles) that are each other's best match
# align from this lower score.
LEAD_SENTENCES = 2
LEAD_THRESHOLD = 0.45

_WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*")
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_NUMBER_NAMES = """zero one two three four five six seven eight nine ten eleven twelve thirteen
    fourteen fifteen sixteen seventeen eighteen nineteen twenty"""
NUMBER_WORDS = {w: i for i, w in enumerate(_NUMBER_NAMES.split())}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
# Words too common in news to say that two sentences report the same thing.
_STOP = _words(
    """a an the and or but if of to in on at by for with from as into about over after before than
    that this these those there their they them he she his her him its it we our you your i me my
    is are was were be been being has have had do does did will would could should may might must can
    not no nor so such then also just only very more most other some any all each both few many much
    said says say told according reported report reports added including including while when where
    who whom whose which what why how new year years week day monday tuesday wednesday thursday friday
    saturday sunday mr mrs ms dr people one two three first last"""
)
_ENTITY_STOP = frozenset(
    {"the", "of", "and", "a", "an", "for", "in", "on", "u.s.", "mr.", "mrs.", "ms.", "dr."}
)


@dataclass(frozen=True, slots=True)
class _Feat:
    """What makes a sentence specific, precomputed once per sentence."""

    entities: frozenset[str]
    numbers: frozenset[str]
    stems: frozenset[str]


def stem(word: str) -> str:
    # A crude prefix stem is enough to match "killed"/"killing", "flooded"/"floods"; hyphens go,
    # so "fund-raiser" and "fundraiser", "e-mail" and "email" match.
    w = word.lower().strip("'\u2019-").replace("-", "")
    for suf in ("ing", "ed", "es", "s"):
        if len(w) > len(suf) + 3 and w.endswith(suf):
            return w[: -len(suf)][:7]
    return w[:7]


def number_keys(text: str) -> set[str]:
    """The numbers a text states, written out or not, as comparable keys ("12", "twelve" -> "12")."""
    keys = set()
    for m in _NUMBER.finditer(text):
        raw = m.group().replace(",", "")
        try:
            keys.add(f"{float(raw):g}")
        except ValueError:
            continue
    for w in _WORD.findall(text):
        low = w.lower()
        n = NUMBER_WORDS.get(low)
        if n is None:  # "sixty", "sixty-seven"
            tens, _, unit = low.partition("-")
            u = NUMBER_WORDS.get(unit, 0) if unit else 0
            if tens in _TENS and u < 10 and (u or not unit):
                n = _TENS[tens] + u
        if n is not None and n > 1:  # "one" is mostly a pronoun
            keys.add(f"{float(n):g}")
    return keys


def _features(art: AnnotatedArticle, entity_of: Mapping[tuple[str, int], str]) -> list[_Feat]:
    ents: list[set[str]] = [set() for _ in art.sentences]
    nums: list[set[str]] = [set() for _ in art.sentences]
    n = len(art.sentences)
    for m in art.mentions:
        if not 0 <= m.sentence_index < n:
            continue
        eid = entity_of.get((m.article_id, m.start))
        if eid:
            # A resolved entity is one key whatever each outlet calls it ("Kalvaro"/"Kalvarro").
            ents[m.sentence_index].add(eid)
        else:
            for w in m.text.lower().replace("\u2019", "'").split():
                w = w.strip(".,'\"()")
                if len(w) > 1 and w not in _ENTITY_STOP:
                    ents[m.sentence_index].add(w)
    for q in art.quantities:
        if 0 <= q.sentence_index < n:
            nums[q.sentence_index].add(f"{q.value:.4g}|{q.unit}")
    out = []
    for i, s in enumerate(art.sentences):
        nums[i] |= number_keys(s.text)
        stems = {stem(w) for w in _WORD.findall(s.text) if w.lower() not in _STOP and len(w) > 2}
        out.append(_Feat(frozenset(ents[i]), frozenset(nums[i]), frozenset(stems)))
    return out


def _incidence(fa: Sequence[_Feat], fb: Sequence[_Feat], attr: str) -> tuple[np.ndarray, np.ndarray]:
    """0/1 sentence-by-key matrices of one feature over the keys of both articles."""
    vocab: dict[str, int] = {}
    for f in (*fa, *fb):
        for k in getattr(f, attr):
            vocab.setdefault(k, len(vocab))
    ma = np.zeros((len(fa), max(1, len(vocab))), dtype=np.float32)
    mb = np.zeros((len(fb), max(1, len(vocab))), dtype=np.float32)
    for m, feats in ((ma, fa), (mb, fb)):
        for i, f in enumerate(feats):
            for k in getattr(f, attr):
                m[i, vocab[k]] = 1.0
    return ma, mb


def _adjustments(fa: Sequence[_Feat], fb: Sequence[_Feat]) -> np.ndarray:
    """Entity, number and word-overlap adjustment for every sentence pair (vectorised)."""
    ea, eb = _incidence(fa, fb, "entities")
    shared = ea @ eb.T
    both = np.outer(ea.sum(1) > 0, eb.sum(1) > 0)
    adj = np.where(shared > 0, np.minimum(ENTITY_BONUS * shared, ENTITY_BONUS_MAX), 0.0)
    adj -= np.where(both & (shared == 0), ENTITY_MISMATCH_PENALTY, 0.0)
    na, nb = _incidence(fa, fb, "numbers")
    adj += np.where((na @ nb.T) > 0, NUMBER_BONUS, 0.0)
    sa, sb = _incidence(fa, fb, "stems")
    inter = sa @ sb.T
    union = sa.sum(1)[:, None] + sb.sum(1)[None, :] - inter
    adj += LEXICAL_WEIGHT * np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)
    return adj


def _matrix(vectors: Mapping[str, np.ndarray], art: AnnotatedArticle) -> np.ndarray:
    """The article's sentence vectors, or zeros when missing or malformed (then nothing aligns)."""
    n = len(art.sentences)
    v = vectors.get(art.id)
    if v is None:
        return np.zeros((n, 1), dtype=np.float32)
    v = np.asarray(v, dtype=np.float32)
    if v.ndim != 2 or v.shape[0] != n:
        return np.zeros((n, max(1, v.shape[-1] if v.ndim else 1)), dtype=np.float32)
    return np.nan_to_num(v)


def _units(v: np.ndarray, art: AnnotatedArticle, clause_vectors: Mapping[tuple[str, int], np.ndarray]):
    """Each sentence's vector followed by its clauses' vectors, and where each sentence's block starts."""
    rows, starts = [], []
    for i, s in enumerate(art.sentences):
        starts.append(sum(len(r) for r in rows))
        rows.append(v[i : i + 1])
        cv = clause_vectors.get((art.id, s.index))
        if cv is not None and cv.ndim == 2 and cv.shape[1] == v.shape[1]:
            rows.append(cv)
    return (np.concatenate(rows) if rows else v), np.asarray(starts, dtype=np.intp)


def pair_scores(
    fa: Sequence[_Feat],
    fb: Sequence[_Feat],
    va: np.ndarray,
    vb: np.ndarray,
    ua: tuple[np.ndarray, np.ndarray] | None = None,
    ub: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """Adjusted similarity of every sentence of one article with every sentence of another.

    With clause units (``ua``/``ub`` from ``_units``), a pair scores the best of its
    sentence-sentence, sentence-clause and clause-clause similarities.
    """
    if va.shape[1] != vb.shape[1] or not len(fa) or not len(fb):
        return np.zeros((len(fa), len(fb))) + _adjustments(fa, fb)
    if ua is not None and ub is not None and (len(ua[0]) > len(fa) or len(ub[0]) > len(fb)):
        full = (ua[0] @ ub[0].T).astype(np.float64)
        sim = np.maximum.reduceat(np.maximum.reduceat(full, ua[1], axis=0), ub[1], axis=1)
    else:
        sim = (va @ vb.T).astype(np.float64)
    return sim + _adjustments(fa, fb)


class _Union:
    """Union-find whose sets remember which articles they hold (to refuse same-article merges)."""

    def __init__(self, nodes: Iterable[tuple[int, int]]) -> None:
        self.parent = {n: n for n in nodes}
        self.arts = {n: {n[0]} for n in self.parent}

    def find(self, n: tuple[int, int]) -> tuple[int, int]:
        while self.parent[n] != n:
            self.parent[n] = self.parent[self.parent[n]]
            n = self.parent[n]
        return n

    def merge(self, a: tuple[int, int], b: tuple[int, int]) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb or self.arts[ra] & self.arts[rb]:
            return False
        if rb < ra:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.arts[ra] |= self.arts.pop(rb)
        return True


def align_facts(
    annotated: Sequence[AnnotatedArticle],
    vectors: Mapping[str, np.ndarray],
    config: CompareConfig,
    entity_of: Mapping[tuple[str, int], str] | None = None,
    clause_vectors: Mapping[tuple[str, int], np.ndarray] | None = None,
) -> tuple[Fact, ...]:
    """Group sentences of different articles that report the same thing; every sentence in one fact.

    ``entity_of`` maps (article id, mention start) to a resolved entity id
    (compare.entities.entity_index), so spelling variants count as the same entity.
    ``clause_vectors`` (pipeline.embed_sentences) let compound sentences align on a clause.
    Result order: most outlets first, then earliest relative position in the articles.
    The result does not depend on the order of ``annotated``.
    """
    arts = sorted(annotated, key=lambda a: a.id)
    mats = [_matrix(vectors, a) for a in arts]
    feats = [_features(a, entity_of or {}) for a in arts]
    units = [_units(m, a, clause_vectors or {}) for m, a in zip(mats, arts, strict=True)]
    nodes = [(ai, s.index) for ai, a in enumerate(arts) for s in a.sentences]
    pos = {(ai, s.index): k for ai, a in enumerate(arts) for k, s in enumerate(a.sentences)}

    edges: list[tuple[float, tuple[int, int], tuple[int, int]]] = []
    for ai in range(len(arts)):
        for bi in range(ai + 1, len(arts)):
            if not arts[ai].sentences or not arts[bi].sentences:
                continue
            sc = pair_scores(feats[ai], feats[bi], mats[ai], mats[bi], units[ai], units[bi])
            best_j = sc.argmax(axis=1)
            best_i = sc.argmax(axis=0)
            for i in range(sc.shape[0]):
                for j in range(sc.shape[1]):
                    s = float(sc[i, j])
                    mutual = best_j[i] == j and best_i[j] == i
                    lead = i < LEAD_SENTENCES and j < LEAD_SENTENCES
                    threshold = min(config.fact_threshold, LEAD_THRESHOLD) if lead else config.fact_threshold
                    if s >= config.fact_threshold_strong or (mutual and s >= threshold):
                        edges.append(
                            (s, (ai, arts[ai].sentences[i].index), (bi, arts[bi].sentences[j].index))
                        )
    # Strongest first; ties broken by node keys so the result is deterministic.
    edges.sort(key=lambda e: (-e[0], e[1], e[2]))
    uf = _Union(nodes)
    for _s, x, y in edges:
        uf.merge(x, y)

    groups: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for n in nodes:
        groups.setdefault(uf.find(n), []).append(n)

    all_sources = {a.article.source for a in arts}
    facts = []
    for members in groups.values():
        members.sort()
        rep = _central(members, arts, mats, pos)
        ev = tuple(_evidence(arts[ai], si) for ai, si in members)
        sources = tuple(sorted({arts[ai].article.source for ai, _ in members}))
        if len(sources) == 1:
            coverage = "one"
        elif len(sources) == len(all_sources):
            coverage = "all"
        else:
            coverage = "some"
        key = "|".join(sorted(f"{e.article_id}:{e.sentence_index}" for e in ev))
        fid = "F" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]
        earliest = min(pos[m] / max(1, len(arts[m[0]].sentences)) for m in members)
        text = arts[rep[0]].sentences[pos[rep]].text
        facts.append((-len(sources), earliest, fid, Fact(fid, text, ev, sources, coverage)))
    facts.sort(key=lambda t: t[:3])
    return tuple(f for *_k, f in facts)


def _evidence(art: AnnotatedArticle, sentence_index: int) -> Evidence:
    for s in art.sentences:
        if s.index == sentence_index:
            return s.evidence
    raise KeyError(sentence_index)  # pragma: no cover - nodes come from the sentences


def _central(
    members: list[tuple[int, int]],
    arts: Sequence[AnnotatedArticle],
    mats: Sequence[np.ndarray],
    pos: Mapping[tuple[int, int], int],
) -> tuple[int, int]:
    """The member most similar to the others (earliest in its article on ties)."""
    if len(members) == 1:
        return members[0]
    dims = {mats[ai].shape[1] for ai, _ in members}
    if len(dims) != 1:
        return min(members, key=lambda m: (pos[m] / max(1, len(arts[m[0]].sentences)), m))
    mat = np.stack([mats[ai][pos[(ai, si)]] for ai, si in members])
    centrality = (mat @ mat.T).sum(axis=1)
    best = max(
        range(len(members)),
        key=lambda k: (
            round(float(centrality[k]), 6),
            -pos[members[k]] / max(1, len(arts[members[k][0]].sentences)),
        ),
    )
    return members[best]


def sentence_fact_index(facts: Iterable[Fact]) -> dict[tuple[str, int], str]:
    """``(article_id, sentence_index) -> fact id``, for stages that start from a sentence."""
    return {(e.article_id, e.sentence_index): f.id for f in facts for e in f.evidence}
