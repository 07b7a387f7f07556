"""Incremental story clustering: every new article joins a story or starts one, then stories settle.

Two steps, both bounded by a neighbourhood so the cost per article stays nearly flat:

1. **Online** (inside the ingest transaction): the vector index proposes the article's
   nearest articles (embedding of title + lead), which are re-scored by a blend of that
   embedding and the overlap of proper names and numbers (tf-idf weighted); the article
   joins the story whose members it matches best on average if that score reaches
   ``join_threshold``, else it starts a story. Candidates outside the date window
   (``window_days`` around the article's date) are never considered: a story closes.
2. **Settle** (every ~1,000 new articles and at the end of an ingest): the stories touched since the last settle, and the
   stories their articles' neighbours belong to, are re-partitioned by average-link
   clustering on shared-nearest-neighbour similarity (how many of two articles' k
   nearest articles they share). That relative measure is what separates two events
   of the same kind (two boxing title defences by one champion): each event's articles
   are each other's nearest neighbours even when the two events read alike. On ECB+
   (bench/bench_cluster.py) the online step alone reaches ~0.88 B-cubed F1; settling
   takes it above 0.90.

Story ids are derived from the earliest member's article id, so a recluster of the same
corpus gives the same ids; when settling splits or merges stories, the largest overlap
keeps its id.
"""

from __future__ import annotations

import hashlib
import heapq
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from storyscope.cluster.features import ArticleFeatures, name_vector, sparse_cosine
from storyscope.cluster.index import DatedIndex
from storyscope.config import CorpusConfig
from storyscope.store import SQLiteStore

Progress = Callable[[int, int | None, str], None]

# Thresholds live in CorpusConfig (tuned together on ECB+ topics 1-25, bench/bench_cluster.py).
MAX_REGION = 20_000  # articles re-partitioned in one settle (beyond: settle in parts)


@dataclass(frozen=True, slots=True)
class Neighbour:
    rowid: int
    score: float


@dataclass(frozen=True, slots=True)
class ClusterStats:
    created: int = 0
    joined: int = 0
    changed: int = 0  # stories whose membership a settle changed


class StoryClusterer:
    """Assigns stored articles to stories; all state lives in the store except the vector index."""

    def __init__(self, store: SQLiteStore, config: CorpusConfig) -> None:
        self.store = store
        self.config = config
        self._index: DatedIndex | None = None
        self._indexed: set[int] = set()
        self._df: dict[str, int] = {}
        self._n_docs: int | None = None
        self._feature_cache: dict[int, tuple[np.ndarray, dict[str, int], object]] = {}

    # ------------------------------------------------------------------ index and scores

    def _new_index(self, ndim: int) -> DatedIndex:
        return DatedIndex(ndim, self.config.vector_index, self.config.index_bucket_days)

    def _ensure_index(self, ndim: int | None = None) -> DatedIndex | None:
        if self._index is None:
            batches = self.store.iter_vectors()
            first = next(batches, None)
            dim = first[1].shape[1] if first is not None else ndim
            if dim is None:
                return None
            self._index = self._new_index(dim)
            if first is not None:
                for keys, vecs, dates in (first, *batches):
                    self._index.add(keys, vecs, dates)
                    self._indexed.update(keys.tolist())
        return self._index

    def reset_index(self) -> None:
        """Forget the in-memory index and caches (after a rolled-back write, or a recluster)."""
        self._index = None
        self._indexed.clear()
        self._df.clear()
        self._n_docs = None
        self._feature_cache.clear()

    def _features(self, rowids: Sequence[int]) -> dict[int, tuple[np.ndarray, dict[str, int], object]]:
        missing = [r for r in rowids if r not in self._feature_cache]
        if missing:
            if len(self._feature_cache) > 50_000:
                self._feature_cache.clear()
            self._feature_cache.update(self.store.features(missing))
        return {r: self._feature_cache[r] for r in rowids if r in self._feature_cache}

    def _doc_freq(self, names: Iterable[str]) -> dict[str, int]:
        names = set(names)
        missing = [n for n in names if n not in self._df]
        if missing:
            if len(self._df) > 500_000:
                self._df.clear()
                missing = list(names)
            found = self.store.name_df(missing)
            for n in missing:
                self._df[n] = found.get(n, 0)
        return {n: self._df[n] for n in names}

    def _count_docs(self) -> int:
        if self._n_docs is None:
            self._n_docs = self.store.count_features()
        return self._n_docs

    def neighbours(self, rowid: int, count: int) -> list[Neighbour]:
        """The ``count`` best-matching other articles within the date window, best first."""
        index = self._ensure_index()
        feats = self._features([rowid]).get(rowid)
        if index is None or feats is None:
            return []
        vec, names, published = feats
        keys, _ = index.search(vec, self.config.candidates + 1, published, self.config.window_days)
        cand = [int(k) for k in keys if int(k) != rowid]
        cfeats = self._features(cand)
        window = self.config.window_days
        kept = []
        for r in cand:
            f = cfeats.get(r)
            if f is None:
                continue
            if published and f[2] and abs((f[2] - published).days) > window:
                continue
            kept.append((r, f))
        if not kept:
            return []
        n_docs = self._count_docs()
        w = self.config.embedding_weight
        all_names = set(names)
        for _, f in kept:
            all_names.update(f[1])
        df = self._doc_freq(all_names)
        xv = name_vector(names, df, n_docs)
        emb = np.vstack([f[0] for _, f in kept]) @ vec
        out = [
            Neighbour(
                r,
                float(w * e + (1 - w) * sparse_cosine(xv, name_vector(f[1], df, n_docs))),
            )
            for (r, f), e in zip(kept, emb, strict=True)
        ]
        out.sort(key=lambda n: -n.score)
        return out[:count]

    # ------------------------------------------------------------------ online step

    def add(self, feats: Sequence[ArticleFeatures]) -> ClusterStats:
        """Assign newly stored articles (their features already in the store) to stories.

        Runs inside the caller's transaction; the articles of one batch see each other.
        """
        if not feats:
            return ClusterStats()
        index = self._ensure_index(len(feats[0].vector))
        assert index is not None
        new = [f for f in feats if f.rowid not in self._indexed]
        if new:
            index.add(
                np.array([f.rowid for f in new]), np.vstack([f.vector for f in new]), [f.published for f in new]
            )
            self._indexed.update(f.rowid for f in new)
        for f in feats:
            self._feature_cache[f.rowid] = (f.vector, dict(f.names), f.published)
            for n in f.names:
                self._df.pop(n, None)
        self._n_docs = self._count_docs() + len(feats)

        created = joined = 0
        touched: set[str] = set()
        new_ids: set[str] = set()
        existing = self.store.story_ids()
        for f in feats:
            nbrs = self.neighbours(f.rowid, self.config.candidates)
            story_of = self.store.story_of([n.rowid for n in nbrs])
            by_story: dict[str, list[float]] = defaultdict(list)
            for n in nbrs:
                if n.rowid in story_of:
                    by_story[story_of[n.rowid]].append(n.score)
            best, best_score = None, -1.0
            for sid, scores in by_story.items():
                score = float(np.mean(scores))
                if score > best_score:
                    best, best_score = sid, score
            if best is not None and best_score >= self.config.join_threshold:
                sid = best
                if sid not in new_ids:
                    joined += 1
            else:
                sid = self._new_id(f.rowid, existing | new_ids)
                new_ids.add(sid)
                created += 1
            self.store.assign(f.rowid, sid)
            touched.add(sid)
        for sid in touched:
            self._refresh(sid, settled=False)
        return ClusterStats(created=created, joined=joined)

    def _new_id(self, rowid: int, taken: set[str]) -> str:
        aid = self.store.article_ids([rowid]).get(rowid, str(rowid))
        base = "st-" + hashlib.sha1(aid.encode("utf-8")).hexdigest()[:10]
        sid, n = base, 1
        while sid in taken:
            n += 1
            sid = f"{base}-{n}"
        return sid

    def _refresh(self, story_id: str, *, settled: bool) -> None:
        members = self.store.story_members(story_id)
        self.store.refresh_story(story_id, self._label(members), settled=settled)

    def _label(self, members: Sequence[int]) -> str:
        """The title of the member closest to the story's centre: a short, real headline."""
        if not members:
            return ""
        titles = self.store.titles(members)
        feats = self._features(members)
        vecs = [(r, feats[r][0]) for r in members if r in feats]
        if len(vecs) > 1:
            mat = np.vstack([v for _, v in vecs])
            centre = mat.mean(axis=0)
            best = vecs[int(np.argmax(mat @ centre))][0]
        else:
            best = members[0]
        label = " ".join((titles.get(best) or "").split())
        return label if len(label) <= 120 else label[:117].rsplit(" ", 1)[0] + "…"

    # ------------------------------------------------------------------ settle

    def settle(self, *, progress: Progress | None = None) -> ClusterStats:
        """Re-partition the unsettled stories and their neighbourhood; one transaction."""
        unsettled = self.store.unsettled_stories() if self.config.settle else []
        if not unsettled:
            return ClusterStats()
        changed = 0
        for start in range(0, len(unsettled), 2000):
            changed += self._settle_part(unsettled[start : start + 2000], progress)
        return ClusterStats(changed=changed)

    def _settle_part(self, story_ids: Sequence[str], progress: Progress | None) -> int:
        members: dict[str, list[int]] = {sid: self.store.story_members(sid) for sid in story_ids}
        region = {r for rs in members.values() for r in rs}
        knn: dict[int, list[int]] = {}
        for i, r in enumerate(sorted(region)):
            knn[r] = self._snn_neighbours(r)
            if progress and i % 200 == 0:
                progress(i, len(region), "settling stories")
        # Stories of the neighbours join the region (whole), so articles can move between them.
        neighbour_stories = set(self.store.story_of([n for ns in knn.values() for n in ns]).values())
        for sid in neighbour_stories - set(members):
            if len(region) >= MAX_REGION:
                break
            members[sid] = self.store.story_members(sid)
            region.update(members[sid])
        for r in region:
            if r not in knn:
                knn[r] = self._snn_neighbours(r)
        clusters = shared_neighbour_clusters(knn, self.config.snn_k, self.config.snn_threshold)
        with self.store.transaction():
            changed = self._write_partition(members, clusters)
            self.store.mark_settled(members)
        return changed

    def _snn_neighbours(self, rowid: int) -> list[int]:
        floor = self.config.snn_min_score
        return [n.rowid for n in self.neighbours(rowid, self.config.snn_k) if n.score >= floor]

    def _write_partition(self, old: dict[str, list[int]], clusters: list[list[int]]) -> int:
        """Give each new cluster a story id (largest overlap keeps its id) and write the changes."""
        old_of = {r: sid for sid, rs in old.items() for r in rs}
        taken_global = self.store.story_ids() - set(old)
        pairs = []
        for ci, cl in enumerate(clusters):
            counts: dict[str, int] = defaultdict(int)
            for r in cl:
                counts[old_of[r]] += 1
            pairs += [(-n, sid, ci) for sid, n in counts.items()]
        pairs.sort()
        cluster_id: dict[int, str] = {}
        used: set[str] = set()
        for _, sid, ci in pairs:
            if ci not in cluster_id and sid not in used:
                cluster_id[ci] = sid
                used.add(sid)
        for ci, cl in enumerate(clusters):
            if ci not in cluster_id:
                sid = self._new_id(min(cl), taken_global | used)
                cluster_id[ci] = sid
                used.add(sid)
        changed_ids: set[str] = set()
        for ci, cl in enumerate(clusters):
            sid = cluster_id[ci]
            for r in cl:
                if old_of[r] != sid:
                    self.store.assign(r, sid)
                    changed_ids.update((sid, old_of[r]))
        for sid in changed_ids:
            self._refresh(sid, settled=True)
        return len(changed_ids)

    # ------------------------------------------------------------------ recluster

    def recluster(self, *, batch: int = 256, progress: Progress | None = None) -> int:
        """Drop every story and cluster all articles again, oldest first, as an ingest would."""
        rowids = self.store.iter_rowids()
        before = self.store.memberships()
        with self.store.transaction():
            self.store.clear_stories()
        self.reset_index()
        self._index = self._new_index(self._ndim(rowids)) if rowids else None
        self._indexed.clear()
        self._n_docs = 0
        for start in range(0, len(rowids), batch):
            chunk = rowids[start : start + batch]
            feats = self.store.features(chunk)
            items = [ArticleFeatures(r, feats[r][0], feats[r][1], feats[r][2]) for r in chunk if r in feats]
            with self.store.transaction():
                self._n_docs = start  # add() counts this batch in
                self.add(items)
            self.settle()
            if progress:
                progress(min(start + batch, len(rowids)), len(rowids), "reclustering")
        self._restore_ids(before)
        return self.store.count_stories()

    def _restore_ids(self, before: dict[int, str]) -> None:
        """A rebuilt story keeps the id of the old story it shares most articles with (greedy)."""
        overlap: dict[tuple[str, str], int] = defaultdict(int)
        for rowid, sid in self.store.memberships().items():
            if rowid in before:
                overlap[(sid, before[rowid])] += 1
        renames: dict[str, str] = {}
        taken: set[str] = set()
        for (new, old), _ in sorted(overlap.items(), key=lambda kv: (-kv[1], kv[0])):
            if new not in renames and old not in taken:
                renames[new] = old
                taken.add(old)
        renames = {new: old for new, old in renames.items() if new != old}
        if not renames:
            return
        with self.store.transaction():  # two steps, so swapping two ids never collides
            for new in renames:
                self.store.rename_story(new, f"~{new}")
            current = self.store.story_ids()
            for new, old in renames.items():
                target = old if old not in current else self._new_id(min(self.store.story_members(f"~{new}")), current)
                self.store.rename_story(f"~{new}", target)
                current.add(target)

    def _ndim(self, rowids: Sequence[int]) -> int:
        return len(next(iter(self.store.features(rowids[:1]).values()))[0])


def shared_neighbour_clusters(knn: dict[int, list[int]], k: int, threshold: float) -> list[list[int]]:
    """Average-link clustering of ``knn``'s keys on shared-nearest-neighbour similarity.

    SNN(a, b) = |N+(a) & N+(b)| / (k + 1), N+ = an article's k neighbours and itself. Pairs
    sharing no neighbour have similarity 0, so the graph is sparse and exact average
    linkage needs only the pairs that share one. Deterministic: ties break on rowid.
    """
    nodes = sorted(knn)
    holders: dict[int, list[int]] = defaultdict(list)
    for a in nodes:
        for n in {a, *knn[a]}:
            holders[n].append(a)
    weight: dict[int, dict[int, float]] = defaultdict(dict)
    for group in holders.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                weight[a][b] = weight[a].get(b, 0.0) + 1.0 / (k + 1)
                weight[b][a] = weight[a][b]
    members: dict[int, list[int]] = {a: [a] for a in nodes}
    heap = [(-w, a, b) for a in nodes for b, w in weight[a].items() if a < b]
    heapq.heapify(heap)
    while heap:
        negw, a, b = heapq.heappop(heap)
        if a not in members or b not in members:
            continue
        avg = weight[a].get(b, 0.0) / (len(members[a]) * len(members[b]))
        if abs(avg + negw) > 1e-12:  # stale entry: a newer one for this pair is in the heap
            continue
        if avg < threshold:
            break
        members[a] += members.pop(b)  # merge b into a; sums of weights add up
        for c, w in weight.pop(b).items():
            weight[c].pop(b, None)
            if c == a:
                continue
            weight[a][c] = weight[a].get(c, 0.0) + w
            weight[c][a] = weight[a][c]
        for c, w in weight[a].items():
            heapq.heappush(heap, (-w / (len(members[a]) * len(members[c])), min(a, c), max(a, c)))
    return sorted((sorted(m) for m in members.values()), key=lambda m: m[0])
