"""Nearest-neighbour search over article vectors, behind one small interface.

The default is usearch's HNSW graph: search cost grows ~log(n), which is what keeps
the cost per ingested article nearly flat as a corpus grows. :class:`ExactIndex`
(numpy) is the fallback when usearch is not installed, and the reference in tests.
:class:`DatedIndex` keeps one such index per span of publication dates, so that a search
sees only the articles of the weeks it can join.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Sequence
from typing import Protocol

import numpy as np


class VectorIndex(Protocol):
    def add(self, keys: np.ndarray, vectors: np.ndarray) -> None: ...
    def search(self, vector: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
        """(keys, cosine similarities), best first."""
        ...

    def __len__(self) -> int: ...


class ExactIndex:
    """Brute-force cosine search; exact, O(n) per query."""

    def __init__(self, ndim: int) -> None:
        self._keys = np.zeros(0, dtype=np.int64)
        self._vecs = np.zeros((0, ndim), dtype=np.float32)
        self._pending: list[tuple[np.ndarray, np.ndarray]] = []

    def add(self, keys: np.ndarray, vectors: np.ndarray) -> None:
        self._pending.append((np.asarray(keys, dtype=np.int64), np.asarray(vectors, dtype=np.float32)))

    def _flush(self) -> None:
        if self._pending:
            self._keys = np.concatenate([self._keys] + [k for k, _ in self._pending])
            self._vecs = np.vstack([self._vecs] + [v for _, v in self._pending])
            self._pending = []

    def search(self, vector: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
        self._flush()
        if not len(self._keys):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        sims = self._vecs @ np.asarray(vector, dtype=np.float32)
        top = np.argsort(-sims)[:count]
        return self._keys[top], sims[top]

    def __len__(self) -> int:
        return len(self._keys) + sum(len(k) for k, _ in self._pending)


class USearchIndex:
    """HNSW (usearch) with cosine metric; keys are article rowids."""

    def __init__(self, ndim: int) -> None:
        # onnxruntime must be imported before usearch: the other order segfaults when the
        # embedder loads later in the same process (usearch 2.26 + onnxruntime 1.2x, measured).
        with contextlib.suppress(ImportError):
            import onnxruntime  # noqa: F401
        from usearch.index import Index

        self._index = Index(ndim=ndim, metric="cos", dtype="f32")

    def add(self, keys: np.ndarray, vectors: np.ndarray) -> None:
        self._index.add(np.asarray(keys, dtype=np.uint64), np.asarray(vectors, dtype=np.float32))

    def search(self, vector: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
        if not len(self._index):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        m = self._index.search(np.asarray(vector, dtype=np.float32), count)
        return np.asarray(m.keys, dtype=np.int64), 1.0 - np.asarray(m.distances, dtype=np.float32)

    def __len__(self) -> int:
        return len(self._index)


def make_index(ndim: int, kind: str = "auto") -> VectorIndex:
    """``auto``: usearch if installed, else exact numpy search."""
    if kind in ("auto", "usearch"):
        try:
            return USearchIndex(ndim)
        except ImportError:
            if kind == "usearch":
                from storyscope.errors import ModelUnavailableError

                raise ModelUnavailableError("usearch is not installed: pip install usearch") from None
    return ExactIndex(ndim)


class DatedIndex:
    """One vector index per ``bucket_days`` of publication dates; undated articles in their own.

    ``search`` looks in the buckets that the query's date window touches (and the undated one),
    so neighbours from other months cannot crowd the list, and the cost per search depends on
    how much news a few weeks hold, not on the size of the corpus. ``bucket_days=0`` keeps one
    index for everything (dates ignored), the behaviour of a plain index.
    """

    def __init__(self, ndim: int, kind: str = "auto", bucket_days: int = 28) -> None:
        if bucket_days < 0:
            raise ValueError(f"bucket_days must be >= 0, got {bucket_days}")
        self._ndim, self._kind, self._days = ndim, kind, bucket_days
        self._buckets: dict[int | None, VectorIndex] = {}

    def _key(self, date: dt.date | None) -> int | None:
        if not self._days or date is None:
            return None
        return date.toordinal() // self._days

    def add(self, keys: np.ndarray, vectors: np.ndarray, dates: Sequence[dt.date | None]) -> None:
        groups: dict[int | None, list[int]] = {}
        for i, d in enumerate(dates):
            groups.setdefault(self._key(d), []).append(i)
        for bucket, rows in groups.items():
            index = self._buckets.get(bucket)
            if index is None:
                index = self._buckets[bucket] = make_index(self._ndim, self._kind)
            index.add(np.asarray(keys)[rows], np.asarray(vectors)[rows])

    def search(
        self, vector: np.ndarray, count: int, date: dt.date | None = None, window_days: int = 0
    ) -> tuple[np.ndarray, np.ndarray]:
        """(keys, cosines) of the best ``count`` in the buckets within ``window_days`` of ``date``."""
        if date is None or not self._days:
            buckets = list(self._buckets.values())
        else:
            lo = self._key(date - dt.timedelta(days=window_days))
            hi = self._key(date + dt.timedelta(days=window_days))
            assert lo is not None and hi is not None
            buckets = [self._buckets[b] for b in (*range(lo, hi + 1), None) if b in self._buckets]
        found = [b.search(vector, count) for b in buckets if len(b)]
        if not found:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        if len(found) == 1:
            return found[0]
        keys = np.concatenate([k for k, _ in found])
        sims = np.concatenate([s for _, s in found])
        top = np.argsort(-sims, kind="stable")[:count]
        return keys[top], sims[top]

    def __len__(self) -> int:
        return sum(len(b) for b in self._buckets.values())
