"""Neutral extractive summary: whole sentences taken verbatim from the articles, each citing its fact.

Why extractive: a summary that only ever repeats sentences an outlet actually
printed cannot say what no article says, and each sentence can cite every
outlet that reported the same fact. Neutrality comes from *which* sentences are
chosen: facts several outlets share come first, and sentences that carry an
outlet's voice (loaded words, questions, quotes, first person, hedged claims by
unnamed critics) are penalised in favour of plain, specific reporting.

Selection is maximal marginal relevance (MMR) over the sentence vectors, so two
facts that say nearly the same thing are not both picked. A fact is stated once, by
its best-reading sentence; another outlet's account of the same fact is added only
when most of what it says is new to the summary (a different lead with other details),
and it then cites only itself, since those details rest on that outlet alone.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from storyscope.config import CompareConfig
from storyscope.records import AnnotatedArticle, Conflict, Evidence, Fact, Sentence, SummarySentence

# --- salience weights, tuned together on the first half of the AllSides stories
# (bench/bench_summary.py); the second half is the held-out check. On that data the
# strongest predictors of overlap with the editors' neutral roundup were: wording the
# other outlets share (echo), sentence length, closeness to the other articles
# (support) and outlet count; position matters little there because the data holds
# only article openings, but it is kept for full articles, whose leads carry the news.
W_SOURCES = 0.45  # share of the story's outlets reporting the fact
W_POSITION = 0.30  # early in the article (news is written lead first)
W_CENTRAL = 0.0  # close to the centroid of all sentences (redundant with W_SUPPORT; kept at 0)
W_SUPPORT = 0.60  # mean over the other articles of their closest sentence's cosine
W_ECHO = 1.0  # lexical degree centrality: the wording the whole story keeps returning to
ECHO_CAP = 3.0
W_SPECIFIC = 0.10  # named entities and numbers make a sentence informative
W_LENGTH = 0.90  # a full sentence says more than a fragment (capped at LENGTH_CAP words)
LENGTH_CAP = 50
# Concept coverage (after Gillick & Favre's ICSI summariser): word bigrams that several
# articles share are the story's agreed content; a sentence gains W_CONCEPT per not yet
# covered shared bigram, weighted by (articles sharing it - 1), so MMR prefers sentences
# that add agreed content rather than restating it.
W_CONCEPT = 0.05
#: Another outlet's account of a fact already in the summary is added only when at least this share
#: of its content words is new to the summary. Outlets that report one event in their leads
#: each add details (age, place, charge) the editors' roundup keeps, and one sentence per fact
#: dropped them: on the AllSides tune half, 0.4 raised ROUGE-2 from 0.159 to 0.167 (0.3: 0.166,
#: 0.5: 0.165, 0.7: 0.159). Below ~0.4 the added sentences mostly restate, and read as repetition.
SECOND_ACCOUNT_NOVELTY = 0.4
#: At most this many outlets' accounts of one fact: a third telling of the main event reads as
#: repetition however many details it adds.
MAX_ACCOUNTS = 2
#: Significant single-outlet facts must reach this salience to be added once the minimum is met.
MIN_EXTRA_SALIENCE = 0.35
#: A sentence cut off mid-way ("... after the") or not ending like a sentence reads badly.
TRUNCATED_PENALTY = 0.3
#: Word counts outside this range read badly in a summary (fragments, run-on paragraphs).
MIN_WORDS, MAX_WORDS = 8, 60

#: Words that carry a judgement rather than report; a sentence using them is an outlet's voice.
_LOADED_WORDS = """slammed slams blasted blasts lambasted radical extremist extremists shocking disastrous outrageous
    absurd baseless bombshell chaos chaotic scheme rant meltdown horrific brutal disgraceful shameful
    shameless so-called woke far-left far-right regime propaganda hysteria hysterical sham hoax
    scandal debacle fiasco reckless corrupt disgusting ridiculous insane stunning stunningly devastating
    alarming egregious unhinged lies lied liar smear witch-hunt crackdown embattled"""
LOADED = frozenset(_LOADED_WORDS.split())
#: Function words and news boilerplate that say nothing about the story.
_COMMON = frozenset(
    [
        "that",
        "this",
        "these",
        "those",
        "there",
        "their",
        "they",
        "them",
        "with",
        "from",
        "into",
        "about",
        "over",
        "after",
        "before",
        "than",
        "were",
        "been",
        "being",
        "have",
        "will",
        "would",
        "could",
        "should",
        "might",
        "must",
        "also",
        "just",
        "only",
        "very",
        "more",
        "most",
        "other",
        "some",
        "such",
        "said",
        "says",
        "told",
        "according",
        "while",
        "when",
        "where",
        "which",
        "what",
        "your",
        "have",
        "does",
        "including",
    ]
)
_FIRST_PERSON = re.compile(r"\b(I|I'm|I've|we|We|our|Our|us|my|My)\b")
_QUOTE_CHARS = '"\u201c\u201d'
_WORD = re.compile(r"\w[\w'\u2019-]*")
_HEDGED = re.compile(
    r"^(critics|some|many|experts|observers|opponents|supporters)\s+(say|argue|claim|believe)\b", re.I
)


@dataclass(frozen=True, slots=True)
class _Candidate:
    fact: Fact
    sentence: Sentence
    vector: np.ndarray
    salience: float
    relpos: float
    concepts: Mapping[tuple[str, str], float]  # shared bigram -> weight


def _bigrams(text: str) -> set[tuple[str, str]]:
    words = [w.lower()[:6] for w in _WORD.findall(text)]
    return {(a, b) for a, b in zip(words, words[1:], strict=False) if a not in _COMMON or b not in _COMMON}


def _concept_weights(arts: Mapping[str, AnnotatedArticle]) -> dict[tuple[str, str], float]:
    df: dict[tuple[str, str], int] = {}
    for a in arts.values():
        for bg in set().union(*(_bigrams(x.text) for x in a.sentences)) if a.sentences else ():
            df[bg] = df.get(bg, 0) + 1
    return {bg: float(n - 1) for bg, n in df.items() if n > 1}


def sentence_penalty(text: str) -> float:
    """How much a sentence reads as opinion or as an unusable fragment (0 = plain reporting)."""
    words = _WORD.findall(text)
    n = len(words)
    pen = 0.0
    if n < MIN_WORDS:
        pen += 0.4
    elif n > MAX_WORDS:
        pen += 0.2 + 0.01 * (n - MAX_WORDS)
    stripped = text.rstrip()
    if stripped.endswith("?"):
        pen += 0.5
    if stripped.endswith(("...", "\u2026")) or not stripped.endswith(
        (".", '"', "\u201d", "'", "\u2019", "!")
    ):
        pen += TRUNCATED_PENALTY
    if stripped.endswith("!"):
        pen += 0.3
    quoted = _quoted_share(text)
    if _continues_quote(text):
        pen += 0.2  # the middle of a quote that began in an earlier sentence reads out of context
    if quoted > 0.6:
        pen += 0.4
    elif quoted > 0.3:
        pen += 0.15
    loaded = sum(1 for w in words if w.lower() in LOADED)
    pen += 0.25 * min(loaded, 2)
    if _FIRST_PERSON.search(_unquoted(text)):
        pen += 0.3
    if _HEDGED.match(text.strip()):
        pen += 0.2
    return pen


def _content_words(text: str) -> frozenset[str]:
    return frozenset(
        w[:6] for w in (x.lower() for x in _WORD.findall(text)) if len(w) > 3 and w not in _COMMON
    )


def _unquoted(text: str) -> str:
    return re.sub(r"[\"\u201c][^\"\u201d]*[\"\u201d]", " ", text)


def _continues_quote(text: str) -> bool:
    """The sentence closes a quote it did not open ('We must act now," she said.')."""
    first = next((i for i, c in enumerate(text) if c in _QUOTE_CHARS), None)
    if first is None:
        return False
    if text[first] == "\u201d":
        return True
    return text[first] == '"' and text.count('"') % 2 == 1 and first > 0 and text[first - 1] in ",.!?"


def _quoted_share(text: str) -> float:
    if not any(c in text for c in _QUOTE_CHARS):
        return 0.0
    if _continues_quote(text):  # the words up to the closing mark are quoted too
        close = next(i for i, c in enumerate(text) if c in _QUOTE_CHARS)
        text = '"' + text[:close] + text[close:]
    return 1.0 - len(_unquoted(text).strip()) / max(1, len(text.strip()))


def summarize(
    annotated: Sequence[AnnotatedArticle],
    facts: Sequence[Fact],
    vectors: Mapping[str, np.ndarray],
    config: CompareConfig,
    conflicts: Sequence[Conflict] = (),
) -> tuple[SummarySentence, ...]:
    """5-8 verbatim sentences (fewer if the story has fewer), shared facts first, each citing its fact.

    Where outlets disagree inside a fact (``conflicts``), the sentence is taken from the
    side most outlets are on and cites only the sentences on that side: "12 people died"
    must not cite the outlet that says 15.
    """
    arts = {a.id: a for a in annotated}
    if not any(a.sentences for a in arts.values()):
        return ()
    if not facts:
        # Run standalone (e.g. with only the sentence stages available): align here.
        from storyscope.compare.facts import align_facts

        facts = align_facts(annotated, vectors, config)
    excluded = _minority_evidence(conflicts)
    cands, others = _candidates(arts, facts, vectors, excluded)
    if not cands:
        return ()
    chosen = _mmr(cands, others, config)
    firsts = {c.fact.id: c for c in reversed(chosen)}  # each fact's first (best-reading) sentence
    order = sorted(
        firsts.values(),
        key=lambda c: (-len(c.fact.sources), c.relpos, c.sentence.article_id, c.sentence.index),
    )
    out = []
    for head in order:
        out.append(
            SummarySentence(
                text=_without_dateline(head.sentence.text),
                citations=tuple(e for e in head.fact.evidence if _key(e) not in excluded)
                or head.fact.evidence,
                fact_id=head.fact.id,
            )
        )
        # Further accounts of the same fact follow it, citing only their own sentence.
        out.extend(
            SummarySentence(
                text=_without_dateline(c.sentence.text),
                citations=tuple(
                    e for e in c.fact.evidence if _key(e) == (c.sentence.article_id, c.sentence.index)
                ),
                fact_id=c.fact.id,
            )
            for c in chosen
            if c.fact.id == head.fact.id and c is not head
        )
    return tuple(out)


# "WASHINGTON — ", "KALVARRO, Vestmar (Harbour Wire) - ", "NEW YORK, March 3 (Reuters) - ": where
# and by whom a story was filed, not part of what it reports; a summary drops it (the rest of the
# sentence is still verbatim, and its citation still points at the whole sentence).
_DATELINE = re.compile(
    r"^[A-Z][A-Z.'\u2019-]{2,}(?:\s+[A-Z][A-Z.'\u2019-]+)*"
    r"(?:,\s*[A-Z][\w.]*(?:\s+[\w.]+){0,3})?\s*(?:\([^()\n]{1,40}\))?\s*[-\u2013\u2014]{1,2}\s+(?=[A-Z0-9\"\u201c\u2018'])"
)


def _without_dateline(text: str) -> str:
    m = _DATELINE.match(text)
    return text[m.end() :] if m and len(text) - m.end() >= 20 else text


def _key(e: Evidence) -> tuple[str, int]:
    return (e.article_id, e.sentence_index)


def _minority_evidence(conflicts: Sequence[Conflict]) -> set[tuple[str, int]]:
    """Sentences on the losing side of each conflict (every side but the one most outlets take)."""
    out: set[tuple[str, int]] = set()
    for c in conflicts:
        sides = sorted(c.sides, key=lambda sd: -len(sd.sources))
        if len(sides) > 1 and len(sides[0].sources) > len(sides[1].sources):
            winner = {_key(e) for e in sides[0].evidence}
            out |= {_key(e) for sd in sides[1:] for e in sd.evidence} - winner
        else:  # no majority: no side may be presented as what the outlets agree on
            for sd in sides[1:]:
                out |= {_key(e) for e in sd.evidence}
    return out


def _vector(vectors: Mapping[str, np.ndarray], s: Sentence, n: int) -> np.ndarray | None:
    v = vectors.get(s.article_id)
    if v is None:
        return None
    v = np.asarray(v, dtype=np.float32)
    if v.ndim != 2 or v.shape[0] != n or not 0 <= s.index < n:
        return None
    return np.nan_to_num(v[s.index])


def _echo(arts: Mapping[str, AnnotatedArticle]) -> dict[tuple[str, int], float]:
    keys = [(a.id, x.index) for a in arts.values() for x in a.sentences]
    bags = [_content_words(x.text) for a in arts.values() for x in a.sentences]
    if not keys:
        return {}
    vocab: dict[str, int] = {}
    cols: list[list[int]] = [[vocab.setdefault(w, len(vocab)) for w in bag] for bag in bags]
    m = np.zeros((len(bags), max(1, len(vocab))), dtype=np.float32)
    for i, c in enumerate(cols):
        m[i, c] = 1.0
    sizes = m.sum(1)
    logs = np.log(np.maximum(sizes, 1.0))
    overlap = m @ m.T / np.maximum(logs[:, None] + logs[None, :], 1e-9)
    art = np.array([k[0] for k in keys])
    usable = sizes > 1
    overlap[:, ~usable] = 0.0
    overlap[art[:, None] == art[None, :]] = 0.0  # only the other articles count
    total = overlap.sum(1) / max(1, len(arts) - 1)
    echo = np.minimum(total, ECHO_CAP) / ECHO_CAP
    echo[~usable] = 0.0
    return {k: float(e) for k, e in zip(keys, echo, strict=True)}


def _candidates(
    arts: Mapping[str, AnnotatedArticle],
    facts: Sequence[Fact],
    vectors: Mapping[str, np.ndarray],
    excluded: set[tuple[str, int]] = frozenset(),
) -> tuple[list[_Candidate], dict[str, list[_Candidate]]]:
    """One candidate per fact (its best-reading sentence, scored for salience), and each fact's other sentences."""
    n_outlets = len({a.article.source for a in arts.values()}) or 1
    specific: dict[tuple[str, int], int] = {}
    for a in arts.values():
        for m in (*a.mentions, *a.quantities, *a.times):
            key = (a.id, m.sentence_index)
            specific[key] = specific.get(key, 0) + 1
    all_vecs = [
        v
        for a in arts.values()
        for s in a.sentences
        if (v := _vector(vectors, s, len(a.sentences))) is not None
    ]
    dim = all_vecs[0].shape[0] if all_vecs else 1
    all_vecs = [v for v in all_vecs if v.shape[0] == dim]
    centroid = np.mean(all_vecs, axis=0) if all_vecs else np.zeros(dim, dtype=np.float32)
    centroid /= max(float(np.linalg.norm(centroid)), 1e-9)

    mats = {
        a.id: np.asarray(vectors[a.id], dtype=np.float32)
        for a in arts.values()
        if a.id in vectors
        and np.ndim(vectors[a.id]) == 2
        and np.shape(vectors[a.id]) == (len(a.sentences), dim)
    }

    def support(article_id: str, vec: np.ndarray) -> float:
        """Mean over the other articles of their closest sentence's cosine to ``vec``."""
        sims = [float((m @ vec).max()) for aid, m in mats.items() if aid != article_id and len(m)]
        return float(np.mean(sims)) if sims else 0.0

    # Lexical degree centrality (TextRank's sentence similarity, summed over every sentence of
    # the *other* articles): wording that the whole story keeps coming back to. One sparse
    # product for all sentences instead of a loop per candidate.
    echo_of = _echo(arts)
    concept_w = _concept_weights(arts)

    out = []
    others: dict[str, list[_Candidate]] = {}
    for f in facts:
        best: tuple[float, _Candidate] | None = None
        alts: list[_Candidate] = []
        for e in f.evidence:
            a = arts.get(e.article_id)
            if a is None or not 0 <= e.sentence_index < len(a.sentences) or _key(e) in excluded:
                continue
            s = a.sentences[e.sentence_index]
            if s.index != e.sentence_index:
                s = next((x for x in a.sentences if x.index == e.sentence_index), s)
            vec = _vector(vectors, s, len(a.sentences))
            if vec is None or vec.shape[0] != dim:
                vec = np.zeros(dim, dtype=np.float32)
            relpos = e.sentence_index / max(1, len(a.sentences))
            central = float(vec @ centroid)
            spec = min(specific.get((a.id, s.index), 0) + len(re.findall(r"\d", s.text)) // 2, 4) / 4
            salience = (
                W_SOURCES * len(f.sources) / n_outlets
                + W_POSITION * (1.0 - relpos)
                + W_CENTRAL * central
                + W_SUPPORT * support(a.id, vec)
                + W_SPECIFIC * spec
                + W_ECHO * echo_of.get((a.id, s.index), 0.0)
                + W_LENGTH * min(len(_WORD.findall(s.text)), LENGTH_CAP) / LENGTH_CAP
                - sentence_penalty(s.text)
            )
            # Within a fact prefer the plainest sentence that carries the most agreed content;
            # the most central one wins ties.
            concepts = {bg: concept_w[bg] for bg in _bigrams(s.text) if bg in concept_w}
            quality = salience + W_CONCEPT * sum(concepts.values()) + (0.01 if s.text == f.text else 0.0)
            cand = _Candidate(f, s, vec, salience, relpos, concepts)
            alts.append(cand)
            if best is None or quality > best[0]:
                best = (quality, cand)
        if best is not None:
            out.append(best[1])
            others[f.id] = [c for c in alts if c is not best[1] and c.sentence.text != best[1].sentence.text]
    return out, others


def _mmr(
    cands: list[_Candidate], others: Mapping[str, list[_Candidate]], config: CompareConfig
) -> list[_Candidate]:
    """Greedy MMR; once a fact is chosen, its other outlets' sentences join the pool as second accounts."""
    lam = config.summary_mmr_lambda
    lo = max(0, config.summary_min_sentences)
    hi = max(lo, config.summary_max_sentences)
    pool = sorted(cands, key=lambda c: (-c.salience, c.sentence.article_id, c.sentence.index))
    chosen: list[_Candidate] = []
    told: Counter[str] = Counter()  # accounts chosen per fact
    covered: set[tuple[str, str]] = set()
    covered_words: set[str] = set()
    while pool and len(chosen) < hi:
        best_i, best_score = -1, -np.inf
        for i, c in enumerate(pool):
            n = told[c.fact.id]
            if n and (n >= MAX_ACCOUNTS or not _adds_enough(c, covered_words)):
                continue
            redundancy = max((float(c.vector @ d.vector) for d in chosen), default=0.0)
            gain = W_CONCEPT * sum(w for bg, w in c.concepts.items() if bg not in covered)
            score = lam * (c.salience + gain) - (1 - lam) * redundancy
            if score > best_score:
                best_i, best_score = i, score
        if best_i < 0:
            break
        c = pool[best_i]
        if len(chosen) >= lo and (len(c.fact.sources) < 2 and c.salience < MIN_EXTRA_SALIENCE):
            break
        if not told[c.fact.id]:
            pool.extend(others.get(c.fact.id, ()))
        chosen.append(pool.pop(best_i))
        told[c.fact.id] += 1
        covered.update(c.concepts)
        covered_words |= _content_words(c.sentence.text)
    return chosen


def _adds_enough(c: _Candidate, covered_words: set[str]) -> bool:
    """Whether a second account of a chosen fact says enough that the summary does not yet say."""
    words = _content_words(c.sentence.text)
    return bool(words) and len(words - covered_words) / len(words) >= SECOND_ACCOUNT_NOVELTY
