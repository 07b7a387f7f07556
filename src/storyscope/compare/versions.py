"""Corrections and updates: later versions of one outlet's article, and what changed.

An outlet often publishes a story, then updates or corrects it in place. Both versions
can end up in one comparison (scraped twice, a feed and a page). Read naively, the old
figure and the corrected one look like two reports, and "12 vs 15 injured" becomes a
disagreement between outlets when it is only the outlet correcting itself. So:

- ``find_versions`` groups articles of the *same outlet* that are one article: the same
  URL (query and fragment ignored), or texts whose sentences mostly align (vector cosine
  or character ratio >= ``ALIGN_SIMILARITY``). Versions are ordered by publication date,
  then by their "Updated"/"Correction" notes, then by input order, and the differences
  between consecutive versions are listed sentence by sentence.
- ``resolve_conflicts`` stops superseded versions from counting: evidence from an older
  version is taken out of every conflict side; a conflict that only the older version
  kept alive is shown as resolved (pointing at the newer version's sentence), and one
  that was only between versions of one outlet is not an outlet conflict at all.

Correction and update notes are usually dropped by ``clean`` (reason "update_note"),
so the dropped lines of each article are read as well as its text.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from urllib.parse import urlsplit

import numpy as np

from storyscope.annotate.quantities import same_amount
from storyscope.config import CompareConfig
from storyscope.records import (
    AnnotatedArticle,
    Conflict,
    ConflictSide,
    Evidence,
    Quantity,
    VersionChain,
    VersionChange,
)

# Two sentences are "the same sentence" of two versions when their vectors or their characters
# are this close; two articles are versions when this share of the shorter one's sentences
# (and at least VERSION_MIN_SENTENCES) align. Same-outlet follow-ups on a story share a few
# background paragraphs, far below this share.
ALIGN_SIMILARITY = 0.85
VERSION_MIN_SHARE = 0.6
VERSION_MIN_SENTENCES = 2
# A sentence of the older version that is "changed" (not removed) in the newer one.
CHANGED_COSINE = 0.80
CHANGED_RATIO = 0.60

# A note saying the article corrects an earlier version of itself.
_CORRECTION = re.compile(
    "|".join(
        (
            # At the start of a note or sentence only: "Department of Corrections - ..." is not one.
            r"^\W{0,3}(?:corrections?|clarifications?)\s*(?:\([^)]{0,40}\))?\s*[:\-\u2013\u2014]",
            r"\b(?:an?\s+)?(?:earlier|previous|prior)\s+version\s+of\s+this\s+"
            r"(?:story|article|report|post|piece)\b[^.]{0,120}?\b"
            r"(?:said|stated|misstated|reported|gave|misidentified|misspelled|misquoted|"
            r"incorrectly|wrongly|erroneously|mistakenly|included|omitted)\b",
            r"\bthis\s+(?:story|article|report|post|piece)\s+(?:has\s+been|was|is\s+being)\s+"
            r"(?:corrected|amended|clarified)\b",
            r"\bwe\s+regret\s+the\s+error\b",
        )
    ),
    re.IGNORECASE,
)
# A note saying the article was updated (orders versions published the same day).
_UPDATE = re.compile(
    r"^\s*(?:updated?|last\s+updated)\b|\bthis\s+(?:story|article|report|post|piece)\s+"
    r"(?:has\s+been|was|is\s+being)\s+(?:updated|revised)\b"
    r"|\b(?:an?\s+)?(?:earlier|previous)\s+version\s+of\s+this\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_SPACE = re.compile(r"\s+")


# --------------------------------------------------------------------------- finding versions


def find_versions(
    annotated: Sequence[AnnotatedArticle], vectors: Mapping[str, np.ndarray], config: CompareConfig
) -> tuple[VersionChain, ...]:
    """Chains of versions of one outlet's article, oldest first, with what changed between them."""
    order = {a.id: i for i, a in enumerate(annotated)}
    by_source: dict[str, list[AnnotatedArticle]] = {}
    for a in annotated:
        by_source.setdefault(_source_key(a.article.source), []).append(a)
    mats = {a.id: _unit_rows(vectors, a) for a in annotated}
    chains: list[VersionChain] = []
    for arts in by_source.values():
        if len(arts) < 2:
            continue
        for members in _components(arts, lambda a, b: _are_versions(a, b, mats)):
            if len(members) > 1:
                chains.append(_chain(_ordered(members, order), mats))
    chains.sort(key=lambda c: min(order[a] for a in c.article_ids))
    return tuple(chains)


def _components(
    arts: Sequence[AnnotatedArticle], linked: Callable[[AnnotatedArticle, AnnotatedArticle], bool]
) -> list[list[AnnotatedArticle]]:
    """Connected groups of articles under ``linked`` (union-find; input order kept inside a group)."""
    parent = list(range(len(arts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(arts)):
        for j in range(i + 1, len(arts)):
            if find(i) != find(j) and linked(arts[i], arts[j]):
                parent[find(j)] = find(i)
    groups: dict[int, list[AnnotatedArticle]] = {}
    for i, a in enumerate(arts):
        groups.setdefault(find(i), []).append(a)
    return list(groups.values())


def _source_key(source: str) -> str:
    return _SPACE.sub(" ", source).strip().casefold()


def _url_key(url: str | None) -> str | None:
    """Host (without "www.") and path: query strings and fragments do not make another article."""
    if not url or not url.strip():
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    return f"{host}{path}" if host and path else None


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip().casefold()


def _unit_rows(vectors: Mapping[str, np.ndarray], a: AnnotatedArticle) -> np.ndarray | None:
    """Unit-length sentence vectors of an article, or None when missing or malformed."""
    v = vectors.get(a.id)
    if v is None:
        return None
    v = np.nan_to_num(np.asarray(v, dtype=np.float32))
    if v.ndim != 2 or v.shape[0] != len(a.sentences) or not len(a.sentences):
        return None
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    return v / np.where(norms > 0, norms, 1.0)


def _cosines(ma: np.ndarray | None, mb: np.ndarray | None, na: int, nb: int) -> np.ndarray:
    if ma is None or mb is None or ma.shape[1] != mb.shape[1]:
        return np.zeros((na, nb))
    return (ma @ mb.T).astype(np.float64)


def _ratio(a: str, b: str) -> float:
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return sm.ratio() if sm.real_quick_ratio() >= CHANGED_RATIO and sm.quick_ratio() >= CHANGED_RATIO else 0.0


def _are_versions(a: AnnotatedArticle, b: AnnotatedArticle, mats: Mapping[str, np.ndarray | None]) -> bool:
    ua, ub = _url_key(a.article.url), _url_key(b.article.url)
    if ua and ua == ub:
        return True
    if not a.sentences or not b.sentences:
        return False
    short, long_ = (a, b) if len(a.sentences) <= len(b.sentences) else (b, a)
    ms, ml = mats.get(short.id), mats.get(long_.id)
    if ms is not None and ml is not None and ms.shape[1] == ml.shape[1]:
        aligned = int(((ms @ ml.T).max(axis=1) >= ALIGN_SIMILARITY).sum())
    else:
        # No usable vectors: the same test on characters (slower, so only as the fallback).
        long_texts = [_norm(s.text) for s in long_.sentences]
        aligned = sum(
            any(t == u or _ratio(t, u) >= ALIGN_SIMILARITY for u in long_texts)
            for t in (_norm(s.text) for s in short.sentences)
        )
    return aligned >= VERSION_MIN_SENTENCES and aligned >= VERSION_MIN_SHARE * len(short.sentences)


def _notes(a: AnnotatedArticle) -> list[str]:
    """Where an article may say it was updated or corrected: its dropped notes and its sentences."""
    return [d.text for d in a.dropped] + [s.text for s in a.sentences]


def is_correction(a: AnnotatedArticle) -> bool:
    """The article says it corrects an earlier version of itself."""
    return any(_CORRECTION.search(t) for t in _notes(a))


def _marker_rank(a: AnnotatedArticle) -> int:
    """0: no note, 1: says it was updated, 2: says it was corrected (later than the original)."""
    if is_correction(a):
        return 2
    notes = [d.text for d in a.dropped if d.reason == "update_note"] + [s.text for s in a.sentences]
    return 1 if any(_UPDATE.search(t) for t in notes) else 0


def _ordered(members: list[AnnotatedArticle], order: Mapping[str, int]) -> list[AnnotatedArticle]:
    """Oldest first: by date when every version is dated, else notes before dates; input order last."""
    if all(a.article.published for a in members):
        return sorted(members, key=lambda a: (a.article.published, _marker_rank(a), order[a.id]))
    return sorted(
        members, key=lambda a: (_marker_rank(a), a.article.published or dt.date.max, order[a.id])
    )


def _chain(members: list[AnnotatedArticle], mats: Mapping[str, np.ndarray | None]) -> VersionChain:
    changes: list[VersionChange] = []
    for old, new in zip(members, members[1:], strict=False):
        changes.extend(diff_versions(old, new, mats.get(old.id), mats.get(new.id)))
    return VersionChain(
        source=members[0].article.source,
        article_ids=tuple(a.id for a in members),
        correction=any(is_correction(a) for a in members[1:]),
        changes=tuple(changes),
    )


# --------------------------------------------------------------------------- what changed


def align_versions(
    old: AnnotatedArticle,
    new: AnnotatedArticle,
    mo: np.ndarray | None = None,
    mn: np.ndarray | None = None,
) -> tuple[dict[int, int], set[int]]:
    """Sentence pairs (old position -> new position) and which of them are changed, not identical.

    Identical sentences (whitespace and case aside) pair first, in order; the rest pair
    greedily by similarity when close enough to be one sentence rewritten.
    """
    ot = [_norm(s.text) for s in old.sentences]
    nt = [_norm(s.text) for s in new.sentences]
    pairs: dict[int, int] = {}
    sm = difflib.SequenceMatcher(None, ot, nt, autojunk=False)
    for block in sm.get_matching_blocks():
        for k in range(block.size):
            pairs[block.a + k] = block.b + k
    # Identical sentences that moved.
    free_new: dict[str, list[int]] = {}
    used_new = set(pairs.values())
    for j, t in enumerate(nt):
        if j not in used_new:
            free_new.setdefault(t, []).append(j)
    for i, t in enumerate(ot):
        if i not in pairs and free_new.get(t):
            pairs[i] = free_new[t].pop(0)
    # Rewritten sentences.
    cos = _cosines(mo, mn, len(ot), len(nt))
    rest_old = [i for i in range(len(ot)) if i not in pairs]
    used_new = set(pairs.values())
    rest_new = [j for j in range(len(nt)) if j not in used_new]
    cands = []
    for i in rest_old:
        for j in rest_new:
            c = float(cos[i, j]) if cos.size else 0.0
            r = _ratio(ot[i], nt[j])
            if c >= CHANGED_COSINE or r >= CHANGED_RATIO:
                cands.append((max(c, r), i, j))
    changed: set[int] = set()
    taken: set[int] = set()
    for _score, i, j in sorted(cands, key=lambda t: (-t[0], t[1], t[2])):
        if i in pairs or j in taken:
            continue
        pairs[i] = j
        taken.add(j)
        changed.add(i)
    return pairs, changed


def diff_versions(
    old: AnnotatedArticle,
    new: AnnotatedArticle,
    mo: np.ndarray | None = None,
    mn: np.ndarray | None = None,
) -> list[VersionChange]:
    """Sentences added, removed and changed from ``old`` to ``new``, in the newer version's order."""
    pairs, changed = align_versions(old, new, mo, mn)
    keyed: list[tuple[float, int, VersionChange]] = []
    paired_new = set(pairs.values())
    for i, s in enumerate(old.sentences):
        if i in changed:
            t = new.sentences[pairs[i]]
            note = _note(old, s.index, new, t.index)
            keyed.append((pairs[i], 0, VersionChange("changed", s.evidence, t.evidence, note)))
        elif i not in pairs:
            # Placed after the newer sentence that the preceding kept sentence became.
            prev = max((pairs[k] for k in range(i) if k in pairs), default=-1)
            keyed.append((prev + 0.5, 1, VersionChange("removed", s.evidence, None)))
    for j, t in enumerate(new.sentences):
        if j not in paired_new:
            keyed.append((j, 2, VersionChange("added", None, t.evidence)))
    keyed.sort(key=lambda k: (k[0], k[1]))
    return [c for *_k, c in keyed]


def _num(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.4g}"


def _figure(q: Quantity) -> tuple[str, str]:
    """(the number as written, what follows it): "At least 15 people" -> ("15", " people")."""
    m = _NUMBER.search(q.text)
    if m:
        return m.group(), q.text[m.end() :]
    words = q.text.split()
    return _num(q.value), (" " + " ".join(words[1:])) if len(words) > 1 else f" {q.unit}"


def _note(old: AnnotatedArticle, oi: int, new: AnnotatedArticle, ni: int) -> str:
    """Which figures and dates differ between a sentence and its rewrite: "12 -> 15 people"."""
    notes: list[str] = []
    qo = [q for q in old.quantities if q.sentence_index == oi]
    qn = [q for q in new.quantities if q.sentence_index == ni]
    for a in qo:
        comparable = [b for b in qn if same_amount(a, b, 0.0) is not None]
        if not comparable or any(same_amount(a, b, 0.0) for b in comparable):
            continue
        b = next((b for b in comparable if b not in qo), comparable[0])
        (na, ta), (nb, tb) = _figure(a), _figure(b)
        note = f"{na} -> {nb}{tb}" if _norm(ta) == _norm(tb) else f"{na}{ta} -> {nb}{tb}"
        if note not in notes:
            notes.append(note.strip())
    do = {t.date for t in old.times if t.sentence_index == oi and t.granularity == "day"}
    dn = {t.date for t in new.times if t.sentence_index == ni and t.granularity == "day"}
    if do and dn and do != dn and len(do - dn) == 1 and len(dn - do) == 1:
        notes.append(f"{(do - dn).pop().isoformat()} -> {(dn - do).pop().isoformat()}")
    if not notes and not qo and not qn:
        # No annotated figures: compare the bare numbers written in the two sentences.
        no = _NUMBER.findall(old.sentences[oi].text)
        nn = _NUMBER.findall(new.sentences[ni].text)
        if len(no) == len(nn) and no != nn:
            notes.extend(f"{x} -> {y}" for x, y in zip(no, nn, strict=True) if x != y)
    return "; ".join(notes)


# --------------------------------------------------------------------------- superseded evidence


def superseded_ids(chains: Iterable[VersionChain]) -> frozenset[str]:
    """Articles a later version of the same article replaces (all but the newest of each chain)."""
    return frozenset(aid for c in chains for aid in c.article_ids[:-1])


def version_notes(annotated: Iterable[AnnotatedArticle], chain: VersionChain) -> list[str]:
    """The update and correction notes the chain's newer versions carry (mostly lines ``clean`` dropped)."""
    ids = set(chain.article_ids[1:])
    notes: list[str] = []
    for a in annotated:
        if a.id not in ids:
            continue
        for d in a.dropped:
            if d.reason == "update_note" and (_CORRECTION.search(d.text) or _UPDATE.search(d.text)):
                notes.append(d.text)
        notes.extend(s.text for s in a.sentences if _CORRECTION.search(s.text))
    return list(dict.fromkeys(notes))


def resolve_conflicts(
    conflicts: Sequence[Conflict], chains: Sequence[VersionChain], annotated: Sequence[AnnotatedArticle]
) -> tuple[Conflict, ...]:
    """Conflicts as they stand between the newest versions; resolved ones say by which sentence.

    - Evidence from superseded versions is taken out of every side; a side left empty was held
      only by an older version ("stale").
    - Two or more sides left: still a disagreement between outlets (open, without the stale side).
    - Fewer left and the stale side was a different outlet's position than the rest: the outlet
      corrected itself, so the conflict is shown as ``resolved`` with ``resolved_by`` pointing at
      the newer version's sentence (its aligned sentence, or None when the figure was dropped).
    - Fewer left and no two outlets ever disagreed: only versions of one outlet differed, which
      ``versions[].changes`` shows; it is not an outlet conflict and is left out.
    """
    if not chains:
        return tuple(conflicts)
    stale_ids = superseded_ids(chains)
    if not stale_ids:
        return tuple(conflicts)
    by_id = {a.id: a for a in annotated}
    chain_of = {aid: c for c in chains for aid in c.article_ids}
    out: list[Conflict] = []
    for c in conflicts:
        resolved = _resolve(c, stale_ids, chain_of, by_id)
        if resolved is not None:
            out.append(resolved)
    return tuple(out)


def _resolve(
    c: Conflict,
    stale_ids: frozenset[str],
    chain_of: Mapping[str, VersionChain],
    by_id: Mapping[str, AnnotatedArticle],
) -> Conflict | None:
    if not any(ev.article_id in stale_ids for side in c.sides for ev in side.evidence):
        return c
    source_of = {aid: a.article.source for aid, a in by_id.items()}
    current: list[ConflictSide] = []
    stale: list[ConflictSide] = []
    for side in c.sides:
        evs = tuple(ev for ev in side.evidence if ev.article_id not in stale_ids)
        if evs:
            srcs = tuple(sorted({source_of.get(ev.article_id, ev.article_id) for ev in evs}))
            current.append(ConflictSide(side.value, srcs, evs))
        else:
            stale.append(side)
    # What the newest version of each stale side's article now says in place of the stale sentence.
    replacements: list[tuple[ConflictSide, Evidence | None]] = []
    for side in stale:
        for ev in side.evidence:
            newest = _follow(ev, chain_of.get(ev.article_id), by_id)
            if newest is not None and _holds(by_id[newest.article_id], newest.sentence_index, side, c, by_id):
                return c  # the newest version still says it; only its alignment moved: leave as found
            replacements.append((side, newest))
    if len(current) >= 2:
        if len({s for side in current for s in side.sources}) < 2:
            return None
        return replace(c, sides=tuple(current), description=_redescribe(c, current))
    current_outlets = {s for side in current for s in side.sources}
    stale_outlets = {s for side in stale for s in side.sources}
    if not current_outlets - stale_outlets:
        return None  # only one outlet's versions ever disagreed
    # A newer sentence with a third value (neither side's) keeps the outlets apart.
    for _side, after in replacements:
        if after is None or c.kind not in ("number", "date"):
            continue
        value = _value_in(by_id[after.article_id], after.sentence_index, c, by_id)
        if value is not None:
            new_side = ConflictSide(value, (by_id[after.article_id].article.source,), (after,))
            sides = (*current, new_side)
            return replace(c, sides=sides, description=_redescribe(c, sides))
    newest = [
        by_id[chain_of[ev.article_id].article_ids[-1]]
        for side in stale
        for ev in side.evidence
        if ev.article_id in chain_of and chain_of[ev.article_id].article_ids[-1] in by_id
    ]
    by = _resolving_evidence(current, replacements, stale_outlets, newest)
    outlets = ", ".join(sorted(stale_outlets))
    how = "a later version agrees" if by is not None else "a later version no longer states it"
    return replace(
        c,
        status="resolved",
        resolved_by=by,
        description=f"{c.description} (resolved: {how}; superseded report by {outlets})",
    )


def _follow(
    ev: Evidence, chain: VersionChain | None, by_id: Mapping[str, AnnotatedArticle]
) -> Evidence | None:
    """The sentence of the chain's newest version that the cited older sentence became (None: removed)."""
    if chain is None or ev.article_id not in chain.article_ids:
        return None
    ids = chain.article_ids
    here = ev
    for k in range(ids.index(ev.article_id), len(ids) - 1):
        # Each version is the older side of exactly one step, so its sentence identifies the change.
        step = next(
            (
                ch
                for ch in chain.changes
                if ch.before is not None
                and (ch.before.article_id, ch.before.sentence_index) == (here.article_id, here.sentence_index)
            ),
            None,
        )
        if step is not None:
            if step.after is None:
                return None  # removed
            here = step.after
            continue
        # Unchanged: the newer version has the same sentence.
        old_art, new_art = by_id.get(here.article_id), by_id.get(ids[k + 1])
        if old_art is None or new_art is None or not 0 <= here.sentence_index < len(old_art.sentences):
            return None
        text = _norm(old_art.sentences[here.sentence_index].text)
        same = [s for s in new_art.sentences if _norm(s.text) == text]
        if not same:
            return None
        here = same[0].evidence
    return here


def _side_quantities(side: ConflictSide, by_id: Mapping[str, AnnotatedArticle]) -> list[Quantity]:
    return [
        q
        for ev in side.evidence
        if ev.article_id in by_id
        for q in by_id[ev.article_id].quantities
        if q.sentence_index == ev.sentence_index
    ]


def _holds(
    art: AnnotatedArticle, index: int, side: ConflictSide, c: Conflict, by_id: Mapping[str, AnnotatedArticle]
) -> bool:
    """Whether the newer sentence still states the stale side's value."""
    if not 0 <= index < len(art.sentences):
        return False
    kind = c.kind
    if kind == "number":
        tol = CompareConfig().quantity_tolerance
        theirs = _side_quantities(side, by_id)
        mine = [q for q in art.quantities if q.sentence_index == index]
        return any(same_amount(a, b, tol) for a in theirs for b in mine)
    if kind == "date":
        return any(t.sentence_index == index and t.date.isoformat() == side.value for t in art.times)
    if kind == "negation":
        return False  # cannot tell from the words alone; the newer version decides via its aligned sentence
    return _norm(side.value) in _norm(art.sentences[index].text)


def _value_in(
    art: AnnotatedArticle, index: int, c: Conflict, by_id: Mapping[str, AnnotatedArticle]
) -> str | None:
    """A value of the conflict's kind in the newer sentence that no side holds, as written."""
    if c.kind == "number":
        tol = CompareConfig().quantity_tolerance
        ref = [q for side in c.sides for q in _side_quantities(side, by_id)]
        for q in art.quantities:
            if q.sentence_index != index:
                continue
            comparable = [r for r in ref if same_amount(q, r, tol) is not None]
            if comparable and not any(same_amount(q, r, tol) for r in comparable):
                return q.text
        return None
    values = {side.value for side in c.sides}
    for t in art.times:
        if t.sentence_index == index and t.granularity == "day" and t.date.isoformat() not in values:
            return t.date.isoformat()
    return None


def _resolving_evidence(
    current: Sequence[ConflictSide],
    replacements: Sequence[tuple[ConflictSide, Evidence | None]],
    stale_outlets: set[str],
    newest: Sequence[AnnotatedArticle],
) -> Evidence | None:
    """The newer version's sentence that settles it.

    Its sentence on the remaining side, else what the stale sentence became, else (the figure
    was dropped) a correction note the newer version kept in its text; None when there is none.
    """
    newest_ids = {a.id for a in newest}
    for side in current:
        for ev in side.evidence:
            if ev.article_id in newest_ids:
                return ev
    for _side, ev in replacements:
        if ev is not None:
            return ev
    for a in newest:
        if a.article.source in stale_outlets:
            for s in a.sentences:
                if _CORRECTION.search(s.text):
                    return s.evidence
    return None


def _render_sides(kind: str, sides: Sequence[ConflictSide]) -> str:
    if kind == "negation":
        return " vs ".join(f"{', '.join(s.sources)} {s.value}" for s in sides)
    return " vs ".join(f"{s.value} ({', '.join(s.sources)})" for s in sides)


def _redescribe(c: Conflict, sides: Sequence[ConflictSide]) -> str:
    """The description with the sides as they now stand (conflicts.py writes "<what>: <sides>")."""
    old = _render_sides(c.kind, c.sides)
    if c.description.endswith(old):
        return c.description[: len(c.description) - len(old)] + _render_sides(c.kind, sides)
    return f"{c.description} (now: {_render_sides(c.kind, sides)})"
