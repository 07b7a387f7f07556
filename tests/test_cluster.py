"""Story clustering: shared-neighbour settling, name features, the vector index, and look-alike events.

Every text here is invented.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyscope.cluster.features import extract_names
from storyscope.cluster.index import DatedIndex, ExactIndex, USearchIndex, make_index
from storyscope.cluster.stories import shared_neighbour_clusters
from storyscope.corpus import Corpus

# --------------------------------------------------------------------------- shared_neighbour_clusters


def clique(members: list[int]) -> dict[int, list[int]]:
    return {a: [b for b in members if b != a] for a in members}


def test_two_cliques_are_two_clusters() -> None:
    knn = {**clique([1, 2, 3, 4]), **clique([11, 12, 13, 14])}
    assert shared_neighbour_clusters(knn, 3, 0.15) == [[1, 2, 3, 4], [11, 12, 13, 14]]


def test_a_single_bridge_does_not_merge_two_cliques() -> None:
    knn = {**clique([1, 2, 3, 4, 5]), **clique([11, 12, 13, 14, 15])}
    knn[5] = [*knn[5], 11]  # one article of each event lists the other among its neighbours
    knn[11] = [*knn[11], 5]
    assert shared_neighbour_clusters(knn, 5, 0.15) == [[1, 2, 3, 4, 5], [11, 12, 13, 14, 15]]


def test_threshold_bounds() -> None:
    knn = {**clique([1, 2, 3]), **clique([7, 8])}
    assert shared_neighbour_clusters(knn, 2, 1.01) == [[1], [2], [3], [7], [8]]  # nothing is that similar
    assert shared_neighbour_clusters(knn, 2, 0.5) == [[1, 2, 3], [7, 8]]
    assert shared_neighbour_clusters({}, 5, 0.15) == []
    assert shared_neighbour_clusters({4: []}, 5, 0.15) == [[4]]


@st.composite
def knn_graphs(draw) -> tuple[dict[int, list[int]], int]:
    k = draw(st.integers(1, 6))
    nodes = draw(st.lists(st.integers(0, 60), min_size=1, max_size=30, unique=True))
    outside = draw(st.lists(st.integers(100, 110), max_size=3, unique=True))  # neighbours not in the region
    pool = nodes + outside
    knn = {
        a: draw(st.lists(st.sampled_from(pool).filter(lambda b, a=a: b != a), max_size=k, unique=True))
        for a in nodes
    }
    return knn, k


@settings(max_examples=100, deadline=None)
@given(graph=knn_graphs(), threshold=st.floats(0.05, 0.9), seed=st.integers(0, 2**32 - 1))
def test_clusters_do_not_depend_on_insertion_order(
    graph: tuple[dict[int, list[int]], int], threshold: float, seed: int
) -> None:
    knn, k = graph
    result = shared_neighbour_clusters(knn, k, threshold)
    rng = random.Random(seed)
    keys = list(knn)
    rng.shuffle(keys)
    shuffled = {a: rng.sample(knn[a], len(knn[a])) for a in keys}
    assert shared_neighbour_clusters(shuffled, k, threshold) == result
    assert shared_neighbour_clusters(knn, k, threshold) == result  # deterministic
    # A partition of the keys, in canonical order.
    flat = [a for cluster in result for a in cluster]
    assert sorted(flat) == sorted(knn) and len(flat) == len(set(flat))
    assert all(cluster == sorted(cluster) for cluster in result)
    assert [c[0] for c in result] == sorted(c[0] for c in result)


# --------------------------------------------------------------------------- names


def test_extract_names() -> None:
    text = (
        "Ferry fire off Varnholm\n"
        "The ferry Northern Star caught fire near Varnholm on Tuesday. Captain Jonas Ekdal's crew "
        "led 1,200 passengers to the boats, and 12 were hurt! Fire chief Lise Hammar’s team said "
        "The Star burned for 3.5 hours in May."
    )
    assert extract_names(text) == {
        "varnholm": 2,  # in the title line (not its first word) and in the body
        "northern": 1,
        "star": 2,
        "jonas": 1,
        "ekdal": 1,  # possessive stripped
        "#1200": 1,  # numbers kept, thousands separators dropped
        "#12": 1,
        "lise": 1,
        "hammar": 1,  # curly possessive too
        "#3.5": 1,
    }
    # Sentence-initial words (Ferry, The, Captain, Fire) and capitalised stop words (Tuesday,
    # The mid-sentence, May) are not names.
    assert extract_names("Rescuers Came. Then Nothing Happened? Yes: Monday.") == {
        "came": 1,
        "nothing": 1,
        "happened": 1,
    }
    assert extract_names("") == {}


# --------------------------------------------------------------------------- vector index


def unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


@pytest.fixture
def onnx_first(models) -> None:
    """Load the embedder (onnxruntime) before usearch: the other order crashes the process
    (see test_recluster_then_ingest_in_one_process)."""
    _ = models.embedder


def test_exact_and_hnsw_indexes_agree(onnx_first) -> None:
    rng = np.random.default_rng(7)
    vecs = unit(rng.normal(size=(400, 48)))
    keys = np.arange(1000, 1400)
    exact, hnsw = ExactIndex(48), USearchIndex(48)
    for index in (exact, hnsw):
        assert len(index) == 0 and len(index.search(vecs[0], 3)[0]) == 0
        index.add(keys[:150], vecs[:150])
        index.add(keys[150:], vecs[150:])
        assert len(index) == 400
    near = unit(vecs[:60] + 0.05 * rng.normal(size=(60, 48)))
    top1 = top5 = 0
    for i, q in enumerate(near):
        (ek, es), (hk, hs) = exact.search(q, 5), hnsw.search(q, 5)
        assert ek[0] == keys[i]
        assert list(es) == sorted(es, reverse=True) and list(hs) == sorted(hs, reverse=True)
        # HNSW is approximate (random 48-d vectors are its hard case): it may miss now and then.
        top1 += hk[0] == keys[i]
        if keys[i] in hk:
            top5 += 1
            assert es[0] == pytest.approx(hs[list(hk).index(keys[i])], abs=1e-4)
    assert top5 >= 55 and top1 >= 54, (top5, top1)
    queries = unit(rng.normal(size=(100, 48)))
    agree = sum(exact.search(q, 1)[0][0] == hnsw.search(q, 1)[0][0] for q in queries)
    assert agree >= 95


@pytest.mark.parametrize("kind", ["exact", "usearch"])
def test_dated_index_is_not_crowded_by_look_alikes_from_other_months(onnx_first, kind) -> None:
    """200 near-copies from earlier months must not push this week's article out of the top 5."""
    rng = np.random.default_rng(3)
    base = unit(rng.normal(size=(1, 32)))[0]
    old = unit(base + 0.01 * rng.normal(size=(200, 32)))
    this_week = unit((base + 0.3 * rng.normal(size=32))[None])[0]
    undated = unit((base + 0.35 * rng.normal(size=32))[None])[0]
    day = dt.date(2026, 6, 15)
    olds = [day - dt.timedelta(days=40 + i) for i in range(200)]
    for bucket_days, found in ((28, True), (0, False)):
        index = DatedIndex(32, kind, bucket_days)
        index.add(np.arange(200), old, olds)
        index.add(np.array([500, 501]), np.vstack([this_week, undated]), [day - dt.timedelta(days=2), None])
        assert len(index) == 202
        keys, sims = index.search(base, 5, day, 7)
        assert (500 in keys.tolist()) is found and (501 in keys.tolist()) is found
        assert list(sims) == sorted(sims, reverse=True)
    everything, _ = DatedIndex(32, kind).search(base, 5)  # empty index, no date
    assert len(everything) == 0


def test_make_index_kinds(onnx_first) -> None:
    assert isinstance(make_index(8, "exact"), ExactIndex)
    assert isinstance(make_index(8, "usearch"), USearchIndex)
    assert isinstance(make_index(8), USearchIndex)  # usearch is a dependency


# --------------------------------------------------------------------------- look-alike events

# Two ferry fires in the same week, in two invented ports: same kind of event, different
# ship, port, people and numbers. A clusterer that reads only "ferry fire" merges them.
VARNHOLM = [
    (
        "Two dead as fire sweeps ferry Aurelle off Varnholm",
        "Varnholm Tidings",
        "2026-05-12",
        "A fire broke out in the engine room of the ferry Aurelle off Varnholm on Tuesday evening, killing "
        "two crew members. All 312 passengers were taken off by lifeboats and fishing vessels. Captain "
        "Jonas Ekdal said smoke filled the lower car deck within minutes. The Varnholm harbour authority "
        "closed the northern fairway overnight.",
    ),
    (
        "Aurelle fire: investigators board burned Varnholm ferry",
        "North Sound Press",
        "2026-05-13",
        "Investigators boarded the burned ferry Aurelle in Varnholm harbour on Wednesday, a day after the "
        "engine-room fire that killed two crew members. Fire chief Lise Hammar said the blaze burned for "
        "six hours. Operator Skarvik Line cancelled its crossings to Holmsund until further notice. Jonas "
        "Ekdal, the captain, praised the 312 passengers for staying calm.",
    ),
    (
        "Skarvik Line suspends Varnholm crossings after Aurelle blaze",
        "Baltic Coast Wire",
        None,
        "Skarvik Line suspended all crossings between Varnholm and Holmsund after the fire on its ferry "
        "Aurelle, which killed two crew members. The company said the Aurelle, built in 1998, had passed "
        "an inspection in March. Lise Hammar of the Varnholm fire service said the engine room was "
        "destroyed.",
    ),
]
CASTRELO = [
    (
        "Blaze on ferry Santa Ilaria injures 87 near Castrelo",
        "Castrelo Journal",
        "2026-05-15",
        "Fire tore through the car deck of the ferry Santa Ilaria as it approached Castrelo on Friday, "
        "injuring 87 people. The 540 passengers were evacuated onto the quay after the ship docked. Port "
        "captain Rui Benavente said a lorry had caught fire on the lower deck. Castrelo hospital treated "
        "most of the injured for smoke inhalation.",
    ),
    (
        "Santa Ilaria fire: minister orders checks on Atlantica Ferries fleet",
        "Atlantic Morning",
        "2026-05-16",
        "Transport minister Clara Mendoza ordered inspections of the whole Atlantica Ferries fleet on "
        "Saturday, a day after 87 people were hurt in the fire on the Santa Ilaria at Castrelo. Rui "
        "Benavente, the Castrelo port captain, said the burned lorry would be examined. The 540 "
        "passengers had all left the ship safely.",
    ),
    (
        "Castrelo ferry fire: lorry blamed for Santa Ilaria blaze",
        "Radio Mar",
        "2026-05-16",
        "A burning lorry started the fire that injured 87 people on the ferry Santa Ilaria at Castrelo, "
        "port captain Rui Benavente said. Atlantica Ferries said the Santa Ilaria would stay out of "
        "service for a month. Clara Mendoza, the transport minister, visited the injured in Castrelo "
        "hospital.",
    ),
]


def records(event: list[tuple], slug: str) -> list[dict]:
    return [
        {
            "id": f"{slug}-{i}",
            "title": title,
            "source": source,
            "published": date,
            "url": f"https://{source.lower().replace(' ', '')}.example/{slug}-{i}",
            "text": text,
        }
        for i, (title, source, date, text) in enumerate(event)
    ]


def partition(corpus: Corpus) -> dict[str, frozenset[str]]:
    return {s.id: frozenset(s.article_ids) for s in corpus.stories()}


def test_look_alike_events_stay_apart(tmp_path: Path, models) -> None:
    varnholm, castrelo = records(VARNHOLM, "varnholm"), records(CASTRELO, "castrelo")
    # Interleaved, and not in date order: the undated Varnholm report and a later Castrelo one come first.
    order = [varnholm[2], castrelo[2], varnholm[0], castrelo[0], castrelo[1], varnholm[1]]
    with Corpus.open(tmp_path / "x.db", models=models) as corpus:
        summary = corpus.ingest(order)
        assert summary.added == 6 and not summary.failures
        stories = partition(corpus)
        assert sorted(stories.values(), key=sorted) == [
            frozenset(r["id"] for r in castrelo),
            frozenset(r["id"] for r in varnholm),
        ]
        assert corpus.recluster() == 2
        assert partition(corpus) == stories  # same partition, same story ids


def test_new_reports_join_their_own_event(tmp_path: Path, models) -> None:
    """Ingested one event at a time, later reports still find their story and not the other."""
    varnholm, castrelo = records(VARNHOLM, "varnholm"), records(CASTRELO, "castrelo")
    with Corpus.open(tmp_path / "x.db", models=models) as corpus:
        corpus.ingest(varnholm[:2] + castrelo[:2])
        summary = corpus.ingest([varnholm[2], castrelo[2]])
        assert summary.stories_created == 0 and summary.stories_joined == 2
        by_id = {a: sid for sid, ids in partition(corpus).items() for a in ids}
        assert len(set(by_id.values())) == 2
        assert len({by_id[r["id"]] for r in varnholm}) == 1
        assert len({by_id[r["id"]] for r in castrelo}) == 1


def test_recluster_then_ingest_in_one_process(tmp_path: Path, models) -> None:
    """A process that builds the vector index before it embeds anything (recluster, then ingest)
    must not crash: importing usearch before onnxruntime segfaults (usearch 2.26 + onnxruntime 1.32)."""
    varnholm, castrelo = records(VARNHOLM, "varnholm"), records(CASTRELO, "castrelo")
    db = tmp_path / "x.db"
    with Corpus.open(db, models=models) as corpus:
        corpus.ingest(varnholm)
    script = (
        "import json, sys\n"
        "from storyscope.corpus import Corpus\n"
        "with Corpus.open(sys.argv[1]) as corpus:\n"
        "    corpus.recluster()\n"
        "    print(corpus.ingest([json.loads(sys.argv[2])]).added)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(db), json.dumps(castrelo[0])],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
    assert done.stdout.strip() == "1"
