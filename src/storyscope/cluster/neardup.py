"""Near-duplicate texts (wire copies, reprints) with MinHash + LSH, confirmed exactly.

An agency story run by several outlets is the same text lightly edited: a new headline, the last
paragraph trimmed, a local sentence added, "said" turned into "told reporters". Two *different*
articles about the same event share facts, names and the odd quote, but hardly any run of five
words. So a text is represented by the set of its word 5-shingles and two texts are copies when
those sets overlap heavily. Comparing every pair is quadratic; MinHash signatures and LSH banding
(``datasketch``) find the candidate pairs at a cost per article that does not grow with the corpus,
and each candidate is then confirmed on the exact shingle sets, so estimation noise never makes a copy.

Parameters (:class:`NearDupParams`, measured in bench/bench_copies.py):

- ``shingle_words = 5``: word 5-grams of the normalised text (NFKC, casefolded, only ``\\w+`` words, so
  quote style, punctuation and whitespace do not matter). One changed word touches at most 5 shingles;
  two independent reports of one event share few 5-word runs (a quote, a stock phrase).
- ``num_perm = 128`` and LSH bands ``(42, 3)``: a pair becomes a candidate with probability
  1 - (1 - J^3)^42: 0.04 at Jaccard 0.1, 0.68 at 0.3, 0.94 at 0.4, 0.996 at 0.5. Light edits keep
  Jaccard well above 0.5; a copy trimmed to a third of the original (Jaccard ~0.3) is the weak spot.
- Confirmation: exact Jaccard >= ``min_jaccard`` (0.5), or containment (share of the shorter text's
  shingles found in the longer) >= ``min_containment`` (0.6): a copy cut down from a longer text, or an
  outlet's article that is mostly agency text. On real same-story pairs (ECB+, BASIL, AllSides) 0.6
  misses no pair it should not and calls copies only pairs with >= 50% of the shorter text in shared
  8-word runs; 0.5 finds more partial copies at a small precision cost (bench/bench_copies.py).
- ``min_shingles = 20``: shorter texts (under ~24 words) are never called copies: too little text to
  tell a copy from a shared quote.
- ``lead_words = 60``: a text over 90 words is also indexed by the sketch of its first 60 words, so a
  copy trimmed from the bottom (whole-text Jaccard low, containment high) still becomes a candidate.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = [
    "Match",
    "NearDupIndex",
    "NearDupParams",
    "compare_shingles",
    "Shingled",
    "normalise_words",
    "shingle_hashes",
    "shingle_text",
]

_WORD = re.compile(r"\w+")
# Polynomial hashing of character spans (mod 2**64; the base is odd, so it has an inverse and any
# span's hash is a difference of prefix sums), then the murmur3 64-bit finalizer to mix the bits.
_BASE = 0x100000001B3
_BASE_INV = pow(_BASE, -1, 2**64)
_FMIX1 = np.uint64(0xFF51AFD7ED558CCD)
_FMIX2 = np.uint64(0xC4CEB9FE1A85EC53)


@dataclass(frozen=True, slots=True)
class NearDupParams:
    """How near-duplicates are found; see the module docstring for why these values."""

    shingle_words: int = 5
    num_perm: int = 128
    bands: int = 42
    rows: int = 3
    min_jaccard: float = 0.5
    min_containment: float = 0.6
    min_shingles: int = 20
    lead_words: int = 60
    seed: int = 1

    def __post_init__(self) -> None:
        if self.shingle_words < 1:
            raise ValueError("shingle_words must be at least 1")
        if self.bands * self.rows > self.num_perm:
            raise ValueError("bands * rows must not exceed num_perm")


@dataclass(frozen=True, slots=True)
class Match:
    """A confirmed near-duplicate pair: ``key`` was indexed before; ``new`` is the key being added
    (None for a query)."""

    key: Hashable
    new: Hashable | None
    jaccard: float
    containment: float


def normalise_words(text: str) -> list[str]:
    """The words of a text, as compared: NFKC, casefolded, punctuation and quote style gone."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def shingle_hashes(text: str, k: int = 5) -> np.ndarray:
    """Sorted unique 32-bit hashes of the word k-shingles (the whole text if shorter than k words).

    Each shingle is hashed as the string of its words joined by single spaces, vectorised over the
    whole text; deterministic across processes and platforms, so sketches can be stored.
    """
    return _hash_shingles(normalise_words(text), k)


def _hash_shingles(words: list[str], k: int) -> np.ndarray:
    if not words:
        return np.zeros(0, dtype=np.uint32)
    codes = np.frombuffer(" ".join(words).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    size = len(codes)
    powers = np.empty(size, dtype=np.uint64)
    powers[0] = 1
    inv_powers = np.empty(size, dtype=np.uint64)
    inv_powers[0] = 1
    if size > 1:
        np.cumprod(np.full(size - 1, _BASE, dtype=np.uint64), out=powers[1:])
        np.cumprod(np.full(size - 1, _BASE_INV, dtype=np.uint64), out=inv_powers[1:])
    prefix = np.zeros(size + 1, dtype=np.uint64)
    np.cumsum(codes * powers, out=prefix[1:])
    lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    ends = np.cumsum(lengths + 1) - 1  # index just past each word (its trailing space)
    starts = ends - lengths
    k = min(k, len(words))
    first = starts[: len(words) - k + 1]
    h = (prefix[ends[k - 1 :]] - prefix[first]) * inv_powers[first]
    h ^= h >> np.uint64(33)
    h *= _FMIX1
    h ^= h >> np.uint64(33)
    h *= _FMIX2
    h ^= h >> np.uint64(33)
    return np.unique(h.astype(np.uint32))


def compare_shingles(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """(Jaccard, containment of the smaller set in the larger) of two sorted unique hash arrays."""
    if not len(a) or not len(b):
        return 0.0, 0.0
    inter = len(np.intersect1d(a, b, assume_unique=True))
    union = len(a) + len(b) - inter
    return inter / union, inter / min(len(a), len(b))


@dataclass(frozen=True, slots=True)
class Shingled:
    """A text ready to compare: its shingle hashes, and its lead's when the text is long.

    The lead sketch is what finds a copy cut down from a longer text (agencies' stories are trimmed
    from the bottom): whole-text Jaccard is then low, but the two leads are near-identical.
    """

    full: np.ndarray
    lead: np.ndarray | None = None


def shingle_text(text: str, params: NearDupParams | None = None) -> Shingled:
    """:class:`Shingled` for ``text`` under ``params`` (defaults when None)."""
    p = params or NearDupParams()
    words = normalise_words(text)
    lead = None
    if p.lead_words and len(words) > p.lead_words * 3 // 2:
        lead = _hash_shingles(words[: p.lead_words], p.shingle_words)
    return Shingled(_hash_shingles(words, p.shingle_words), lead)


@dataclass
class NearDupIndex:
    """An incremental near-duplicate index: ``add`` returns the confirmed copies already indexed.

    Each text is indexed by its whole-text sketch and, when long, its lead's; any collision is only a
    candidate, confirmed on the exact shingle sets. ``keep_shingles=False`` keeps only the sketches
    and set sizes (for a very large corpus): candidates are then confirmed on the MinHash estimates.
    """

    params: NearDupParams = field(default_factory=NearDupParams)
    keep_shingles: bool = True
    _lsh: Any = field(init=False, repr=False)
    _template: Any = field(init=False, repr=False)
    _shingles: dict[Hashable, np.ndarray] = field(init=False, repr=False, default_factory=dict)
    _sketches: dict[Hashable, Any] = field(init=False, repr=False, default_factory=dict)
    _sizes: dict[Hashable, int] = field(init=False, repr=False, default_factory=dict)
    #: Candidate pairs checked so far (LSH collisions): what the cost per article depends on.
    candidates_checked: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        from datasketch import MinHash, MinHashLSH  # only imported when copies are looked for

        p = self.params
        # The shingles are hashed already (``int`` passes them through); MinHash only permutes them.
        self._template = MinHash(num_perm=p.num_perm, seed=p.seed, hashfunc=int)
        self._lsh = MinHashLSH(num_perm=p.num_perm, params=(p.bands, p.rows))

    def __len__(self) -> int:
        return len(self._sizes)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._sizes

    def sketch(self, shingles: np.ndarray) -> Any:
        """The MinHash of a shingle-hash array (the template's permutations are reused: cheap)."""
        m = self._template.copy()
        if len(shingles):
            m.update_batch(shingles)
        return m

    def query(self, text: str | None = None, *, shingled: Shingled | None = None) -> list[Match]:
        """Indexed texts that are near-duplicates of ``text`` (confirmed), best first; adds nothing."""
        sh = shingled if shingled is not None else shingle_text(text or "", self.params)
        if len(sh.full) < self.params.min_shingles:
            return []
        return self._matches(None, sh, self._sketch_all(sh))

    def add(self, key: Hashable, text: str | None = None, *, shingled: Shingled | None = None) -> list[Match]:
        """Index ``key`` and return its confirmed near-duplicates among the keys added before it.

        Texts under ``min_shingles`` are not indexed (too short to call a copy); adding a key twice
        raises ValueError, as one key must mean one text.
        """
        if key in self._sizes:
            raise ValueError(f"key already indexed: {key!r}")
        sh = shingled if shingled is not None else shingle_text(text or "", self.params)
        if len(sh.full) < self.params.min_shingles:
            return []
        sketches = self._sketch_all(sh)
        found = self._matches(key, sh, sketches)
        for part, m in enumerate(sketches):
            self._lsh.insert((key, part), m, check_duplication=False)
        self._sizes[key] = len(sh.full)
        if self.keep_shingles:
            self._shingles[key] = sh.full
        else:
            self._sketches[key] = sketches[0]
        return found

    def add_many(self, items: Iterable[tuple[Hashable, str]]) -> list[Match]:
        """``add`` for each (key, text); every confirmed pair."""
        out: list[Match] = []
        for key, text in items:
            out.extend(self.add(key, text))
        return out

    def _sketch_all(self, sh: Shingled) -> list[Any]:
        return [self.sketch(sh.full)] + ([self.sketch(sh.lead)] if sh.lead is not None else [])

    def _matches(self, key: Hashable | None, sh: Shingled, sketches: list[Any]) -> list[Match]:
        p = self.params
        candidates: set[Hashable] = set()
        for m in sketches:
            candidates.update(other for other, _part in self._lsh.query(m))
        self.candidates_checked += len(candidates)
        found = []
        for other in candidates:
            if self.keep_shingles:
                jac, cont = compare_shingles(sh.full, self._shingles[other])
            else:
                # Containment from the Jaccard estimate and the set sizes: |A n B| = J(|A|+|B|)/(1+J).
                jac = float(sketches[0].jaccard(self._sketches[other]))
                na, nb = len(sh.full), self._sizes[other]
                cont = min(1.0, jac * (na + nb) / (1 + jac) / min(na, nb))
            if jac >= p.min_jaccard or cont >= p.min_containment:
                found.append(Match(other, key, jac, cont))
        found.sort(key=lambda x: (-x.jaccard, -x.containment, str(x.key)))
        return found
