"""Quote ledger: every quote of a story grouped across outlets, each outlet's version classified.

Starting from the utterances :func:`storyscope.compare.quotes.group_quotes` found, the
ledger also joins a direct quote with indirect reports of the same words that grouping
left apart (tense and person shift: "We will reopen the bridge" / "she said they would
reopen the bridge"). For each utterance quoted directly by at least one outlet and
reported by at least two, it picks a *reference* version and classifies every outlet's
version against it by a word diff (difflib on case-folded words, punctuation and quote
marks ignored):

- ``verbatim``: the same words;
- ``trimmed``: a contiguous part of the reference, or parts joined by an ellipsis;
- ``altered``: a direct quote with mostly the reference's words but some changed inside the
  quotation marks (including words cut without an ellipsis); ``changed`` lists the
  (reference words, version words) pairs;
- ``paraphrased``: an indirect report, or a direct quote reworded beyond ``altered``;
- ``other_speaker``: attributed to a named person or body other than the reference's speaker
  (compared by surname / name key, so "Governor Marlow" and "Ines Marlow" are one speaker).

The reference is the fullest direct quote that is not itself a trimmed part of another
direct quote, preferring the wording most outlets print (verbatim or trimmed), then length,
then the speaker most outlets name. Preferring support over raw length keeps an outlet that
*added* a word from becoming the yardstick the others are "altered" against.

``paraphrase_as_direct`` flags a direct quote whose wording no other outlet quotes directly
while another outlet reports the same content without quotation marks: possibly a
paraphrase printed as a quote. It is a prompt to check, not a verdict (the indirect report
may as well be the paraphrase of a real quote nobody else printed).
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from storyscope.annotate.speakers import word_set
from storyscope.compare.entities import _is_variant, _UnionFind, name_key
from storyscope.config import CompareConfig
from storyscope.records import (
    AnnotatedArticle,
    Evidence,
    LedgerEntry,
    Quote,
    QuoteGroup,
    QuoteVersion,
    QuoteVersionKind,
)

# --------------------------------------------------------------------------- thresholds (tuned together)
# Hand-set on the fixtures in tests/fixtures/ledger and the bundled example; change one knowing the others.

#: A direct quote is "altered" (not "paraphrased") when at least this share of its words are the
#: reference's words in the reference's order (difflib matching blocks). One changed word in a
#: ten-word quote is 0.9; a reworded sentence that keeps a few function words falls below 0.7.
ALTERED_MIN_SHARE = 0.7
#: Two direct quotes corroborate each other's wording (no paraphrase flag) when this share of the
#: shorter one's words match the other in order: trimmed and altered versions corroborate.
CORROBORATE_SHARE = ALTERED_MIN_SHARE
#: A direct quote and an indirect report that group_quotes left apart are one utterance when this
#: share of the smaller set of content-word stems is shared ...
MERGE_OVERLAP = 0.75
#: ... and at least this many stems are shared (short reports share too little to be sure).
MERGE_MIN_SHARED = 3
#: An utterance enters the ledger when at least this many outlets report it (a quote one outlet
#: alone prints has no other version to compare; it stays in "who said what").
MIN_SOURCES = 2

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})
_WORD = re.compile(r"\w+(?:'\w+)*")
#: A run of words in quote marks inside a reported clause.
_MARKED = re.compile(r"[\"\u201c\u201d]([^\"\u201c\u201d]+)[\"\u201c\u201d]")
_ELLIPSIS = re.compile(r"\[?\s*(?:\.\s*\.\s*\.|\u2026)\s*\]?")

# Function words, pronouns and auxiliaries: what changes between "we will" and "they would".
# Negations are *not* here: "will stop" and "will not stop" must not look alike.
_STOP = word_set(
    "a an the and or but so of to in on at for from by with as into about than then that this these those "
    "it its it's is are was were be been being am will would shall should can could may might must do does "
    "did done has have had having i me my mine we us our ours you your yours he him his she her hers they "
    "them their theirs who whom which what there here also just very said says say told tell added"
)


def _words(text: str) -> list[str]:
    """Case-folded words, quote marks and punctuation dropped, curly apostrophes made straight."""
    return [w.casefold() for w in _WORD.findall(text.translate(_APOSTROPHES))]


def _stem(word: str) -> str:
    """A crude stem, enough to match "counts"/"counted"/"counting" across a tense shift."""
    if word.endswith("'s"):
        word = word[:-2]
    for suffix, keep in (("ing", 4), ("ed", 3), ("es", 4), ("s", 3)):
        if word.endswith(suffix) and len(word) - len(suffix) >= keep and not word.endswith("ss"):
            return word[: -len(suffix)]
    return word


def _content_stems(text: str) -> frozenset[str]:
    return frozenset(_stem(w) for w in _words(text) if w not in _STOP)


# --------------------------------------------------------------------------- word diff


@dataclass(frozen=True, slots=True)
class WordingDiff:
    """A direct quote's wording against the reference: its kind and the changed word runs."""

    kind: QuoteVersionKind  # verbatim | trimmed | altered | paraphrased
    changed: tuple[tuple[str, str], ...] = ()


def _split_words(content: str) -> tuple[list[str], frozenset[int]]:
    """The words of a quote and the word positions where an ellipsis stands (a marked cut)."""
    words: list[str] = []
    cuts: set[int] = set()
    for i, part in enumerate(_ELLIPSIS.split(content)):
        if i:
            cuts.add(len(words))
        words.extend(_words(part))
    return words, frozenset(cuts)


def _matched(a: Sequence[str], b: Sequence[str]) -> int:
    return sum(m.size for m in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())


def compare_wording(reference: str, version: str) -> WordingDiff:
    """How a direct quote's words relate to the reference's words (speaker aside)."""
    ref = _words(reference)
    ver, cuts = _split_words(version)
    if not ver:
        return WordingDiff("paraphrased")
    ops = difflib.SequenceMatcher(None, ref, ver, autojunk=False).get_opcodes()
    # Reference words before the version starts or after it ends were left out: that is trimming.
    while ops and ops[0][0] == "delete":
        ops = ops[1:]
    while ops and ops[-1][0] == "delete":
        ops = ops[:-1]
    matched = sum(i2 - i1 for tag, i1, i2, _, _ in ops if tag == "equal")
    changes = [op for op in ops if op[0] != "equal"]
    if not changes:
        return WordingDiff("verbatim" if len(ver) == len(ref) and matched == len(ref) else "trimmed")
    unmarked = [op for op in changes if not (op[0] == "delete" and op[3] in cuts)]
    if not unmarked:
        return WordingDiff("trimmed")  # every gap is marked by an ellipsis
    if matched / len(ver) < ALTERED_MIN_SHARE:
        return WordingDiff("paraphrased")
    pairs = tuple((" ".join(ref[i1:i2]), " ".join(ver[j1:j2])) for _, i1, i2, j1, j2 in unmarked)
    return WordingDiff("altered", pairs)


def _corroborates(a: str, b: str) -> bool:
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return False
    return _matched(wa, wb) / min(len(wa), len(wb)) >= CORROBORATE_SHARE


# --------------------------------------------------------------------------- speakers


class _Speakers:
    """Decides whether two speaker strings name the same person or body.

    Only *named* speakers are compared: a name the articles mention as an entity (any label,
    since the small spaCy model often mislabels unfamiliar names). "he", "officials" or
    "the regional rescue service" name nobody in particular and never make an ``other_speaker``.
    """

    def __init__(self, annotated: Sequence[AnnotatedArticle]) -> None:
        self.known = {k for a in annotated for m in a.mentions if (k := _key(m.text))}
        self._cache: dict[str, str | None] = {}

    def key(self, speaker: str | None) -> str | None:
        if not speaker:
            return None
        if speaker not in self._cache:
            k = _key(speaker)
            self._cache[speaker] = k if k and k in self.known else None
        return self._cache[speaker]

    @staticmethod
    def same(a: str, b: str) -> bool:
        if a == b:
            return True
        wa, wb = a.split(), b.split()
        if wa[-1] == wb[-1] or _is_variant(wa[-1], wb[-1]):
            return True
        return set(wa) <= set(wb) or set(wb) <= set(wa)


def _key(text: str) -> str:
    k = name_key(text)
    return k[4:] if k.startswith("the ") else k


# --------------------------------------------------------------------------- building


def _evidence(text: str, q: Quote, sentence_bounds: tuple[int, int] | None) -> Evidence:
    """The quote with its attribution: the sentence it starts in, widened to the quote and speaker."""
    start, end = q.start, q.end
    if sentence_bounds is not None:
        start, end = min(start, sentence_bounds[0]), max(end, sentence_bounds[1])
    if q.speaker_start is not None and q.speaker_end is not None:
        para_start = text.rfind("\n", 0, q.start) + 1
        para_end = text.find("\n", q.end)
        para_end = len(text) if para_end < 0 else para_end
        if para_start <= q.speaker_start and q.speaker_end <= para_end:
            start, end = min(start, q.speaker_start), max(end, q.speaker_end)
    return Evidence(q.article_id, q.sentence_index, start, end)


def _merge_groups(
    groups: Sequence[QuoteGroup], source_of: dict[str, str], speakers: _Speakers
) -> list[list[Quote]]:
    """Groups joined when a direct quote in one and an indirect report in the other share content words."""
    uf = _UnionFind()
    for i in range(len(groups)):
        uf.find(str(i))
    members = [[(q, _content_stems(q.content), speakers.key(q.speaker)) for q in g.quotes] for g in groups]
    # Candidate pairs only among groups sharing a stem (an inverted index keeps this linear-ish).
    by_stem: dict[str, set[int]] = {}
    for i, ms in enumerate(members):
        for _, stems, _ in ms:
            for st in stems:
                by_stem.setdefault(st, set()).add(i)
    pairs = {(i, j) for ids in by_stem.values() for i in ids for j in ids if i < j}
    for i, j in sorted(pairs):
        if uf.find(str(i)) != uf.find(str(j)) and any(
            _joins(a, b, source_of) for a in members[i] for b in members[j]
        ):
            uf.union(str(i), str(j))
    merged: dict[str, list[Quote]] = {}
    for i, g in enumerate(groups):
        merged.setdefault(uf.find(str(i)), []).extend(g.quotes)
    return list(merged.values())


_Member = tuple[Quote, frozenset[str], str | None]  # a quote, its content stems, its speaker key


def _joins(a: _Member, b: _Member, source_of: dict[str, str]) -> bool:
    (qa, sa, ka), (qb, sb, kb) = a, b
    if qa.kind == qb.kind or source_of.get(qa.article_id) == source_of.get(qb.article_id):
        return False
    if ka and kb and not _Speakers.same(ka, kb):
        return False  # a wrong merge would invent an "other_speaker"; grouping by words already covers that
    shared = len(sa & sb)
    return shared >= MERGE_MIN_SHARED and shared / max(1, min(len(sa), len(sb))) >= MERGE_OVERLAP


def _dedupe(quotes: Sequence[Quote]) -> list[Quote]:
    """One version per span: a quote inside another quote of the same article is the same report."""
    out = []
    for q in quotes:
        inside = any(
            o.article_id == q.article_id
            and o.start <= q.start
            and q.end <= o.end
            and (o.end - o.start) > (q.end - q.start)
            for o in quotes
        )
        seen = any(o.article_id == q.article_id and (o.start, o.end) == (q.start, q.end) for o in out)
        if not inside and not seen:
            out.append(q)
    return out


def _pick_reference(
    directs: Sequence[Quote], source_of: dict[str, str], speakers: _Speakers, order: dict[str, int]
) -> Quote:
    words = {id(q): _words(q.content) for q in directs}
    diffs = {
        (id(a), id(b)): compare_wording(a.content, b.content).kind
        for a in directs
        for b in directs
        if a is not b
    }

    def is_part(c: Quote) -> bool:  # a trimmed part of a longer direct quote: its full form is the reference
        return any(
            o is not c and diffs[(id(o), id(c))] == "trimmed" and len(words[id(o)]) > len(words[id(c)])
            for o in directs
        )

    candidates = [c for c in directs if not is_part(c)] or list(directs)

    def support(c: Quote) -> int:
        return len(
            {
                source_of[o.article_id]
                for o in directs
                if o is c or diffs[(id(c), id(o))] in ("verbatim", "trimmed")
            }
        )

    named = [k for q in directs if (k := speakers.key(q.speaker))]

    def agreement(c: Quote) -> int:
        k = speakers.key(c.speaker)
        return sum(1 for o in named if speakers.same(k, o)) if k else 0

    return max(
        candidates,
        key=lambda c: (support(c), len(words[id(c)]), agreement(c), -order.get(c.article_id, 0), -c.start),
    )


def _entry(
    quotes: Sequence[Quote],
    annotated_by_id: dict[str, AnnotatedArticle],
    source_of: dict[str, str],
    speakers: _Speakers,
    order: dict[str, int],
) -> LedgerEntry | None:
    quotes = _dedupe(quotes)
    directs = [q for q in quotes if q.kind == "direct"]
    if not directs or len({source_of[q.article_id] for q in quotes}) < MIN_SOURCES:
        return None
    ref = _pick_reference(directs, source_of, speakers, order)
    ref_key = speakers.key(ref.speaker)
    if ref_key is None:  # the reference names nobody: compare with the speaker most versions name
        named = Counter(k for q in quotes if (k := speakers.key(q.speaker)))
        top = named.most_common(2)
        ref_key = top[0][0] if top and (len(top) == 1 or top[0][1] > top[1][1]) else None

    versions: list[QuoteVersion] = []
    for q in sorted(quotes, key=lambda q: (q is not ref, order.get(q.article_id, 0), q.start)):
        key = speakers.key(q.speaker)
        changed: tuple[tuple[str, str], ...] = ()
        if ref_key and key and not speakers.same(ref_key, key):
            kind: QuoteVersionKind = "other_speaker"
        elif q.kind == "indirect":
            kind = "paraphrased"
        else:
            diff = compare_wording(ref.content, q.content) if q is not ref else WordingDiff("verbatim")
            kind, changed = diff.kind, diff.changed
        flagged = q.kind == "direct" and _uncorroborated(q, directs, quotes, source_of)
        art = annotated_by_id[q.article_id]
        sent = next((s for s in art.sentences if s.index == q.sentence_index), None)
        versions.append(
            QuoteVersion(
                source=source_of[q.article_id],
                article_id=q.article_id,
                kind=kind,
                quote_kind=q.kind,
                speaker=q.speaker,
                content=q.content,
                evidence=_evidence(art.article.text, q, (sent.start, sent.end) if sent else None),
                changed=changed,
                paraphrase_as_direct=flagged,
            )
        )
    members = "|".join(sorted(f"{q.article_id}:{q.start}" for q in quotes))
    eid = "L" + hashlib.sha1(members.encode()).hexdigest()[:10]
    return LedgerEntry(eid, ref.speaker, ref.content, tuple(versions))


def _uncorroborated(
    q: Quote, directs: Sequence[Quote], quotes: Sequence[Quote], source_of: dict[str, str]
) -> bool:
    """No other outlet quotes these words directly, while another reports them indirectly."""
    src = source_of[q.article_id]
    if any(source_of[o.article_id] != src and _corroborates(q.content, o.content) for o in directs):
        return False
    # An indirect report that puts some of the same words in quote marks ('he stands "squarely
    # behind" his decision') quotes them too.
    words = " ".join(_words(q.content))
    for o in quotes:
        if o.kind == "indirect" and source_of[o.article_id] != src:
            for frag in _MARKED.findall(o.content):
                fw = _words(frag)
                if len(fw) >= 2 and f" {' '.join(fw)} " in f" {words} ":
                    return False
    return any(o.kind == "indirect" and source_of[o.article_id] != src for o in quotes)


def build_ledger(
    annotated: Sequence[AnnotatedArticle], quote_groups: Sequence[QuoteGroup], config: CompareConfig
) -> tuple[LedgerEntry, ...]:
    """Every utterance quoted directly and reported by at least two outlets, each outlet's version classified.

    Notable entries first (any version not verbatim), then those reported by more outlets.
    """
    del config  # thresholds live at the top of this module (tuned together)
    source_of = {a.id: a.article.source for a in annotated}
    by_id = {a.id: a for a in annotated}
    order = {a.id: i for i, a in enumerate(annotated)}
    groups = [g for g in quote_groups if all(q.article_id in by_id for q in g.quotes)]
    speakers = _Speakers(annotated)
    entries = []
    for quotes in _merge_groups(groups, source_of, speakers):
        entry = _entry(quotes, by_id, source_of, speakers, order)
        if entry is not None:
            entries.append(entry)

    def rank(e: LedgerEntry) -> tuple:
        notable = any(v.kind != "verbatim" or v.paraphrase_as_direct for v in e.versions)
        return (not notable, -len({v.source for v in e.versions}), e.speaker or "~", e.reference, e.id)

    return tuple(sorted(entries, key=rank))
