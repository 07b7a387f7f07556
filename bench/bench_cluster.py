"""Story clustering quality on ECB+ (../shared/data/ecbplus): storyscope vs two baselines.

The cluster to find is ``gold_story``: each ECB+ topic holds two different real-world
events of the same kind (two earthquakes, two title defences by one boxer), so the hard
part is keeping look-alike events apart. Thresholds are tuned on topics 1-25 only;
topics 26-35 are reported separately as held out.

storyscope runs exactly as a user's ingest does: articles go through ``Corpus.ingest``
(clean -> features -> online assignment -> settle) into a fresh store, in file order and
in shuffled orders (incremental clustering can depend on arrival order). Articles that
ingest rejects (empty, too short) count as singletons.

Baselines, on the same articles (title + text), thresholds tuned on topics 1-25:
- TF-IDF + agglomerative clustering (scikit-learn, cosine, average linkage);
- MiniLM sentence embeddings (the model storyscope ships; mean of the article's
  sentence vectors) + agglomerative clustering (cosine, average linkage).

Metrics: B-cubed and pairwise precision / recall / F1.

    python bench/bench_cluster.py [--data ../shared/data] [--tune] [--seeds 3]
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import DATA, write_result  # noqa: E402

TUNE_TOPICS = range(1, 26)
TEST_TOPICS = range(26, 36)
TARGET_B3_F1 = 0.90


# --------------------------------------------------------------------------- data and metrics


def load(data: Path) -> list[dict]:
    with open(data / "ecbplus" / "articles.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def as_input(row: dict) -> dict:
    return {
        "id": row["id"],
        "title": row.get("title") or "",
        "text": row["text"],
        "url": row.get("url"),
        "published": row.get("published"),
        "source": None,
    }


def bcubed(gold: list[str], pred: list[str]) -> dict[str, float]:
    g_members: dict[str, set[int]] = defaultdict(set)
    p_members: dict[str, set[int]] = defaultdict(set)
    for i, (g, p) in enumerate(zip(gold, pred, strict=True)):
        g_members[g].add(i)
        p_members[p].add(i)
    prec = rec = 0.0
    for i in range(len(gold)):
        a, b = p_members[pred[i]], g_members[gold[i]]
        inter = len(a & b)
        prec += inter / len(a)
        rec += inter / len(b)
    return _prf(prec / len(gold), rec / len(gold))


def pairwise(gold: list[str], pred: list[str]) -> dict[str, float]:
    tp = fp = fn = 0
    for i, j in itertools.combinations(range(len(gold)), 2):
        same_g, same_p = gold[i] == gold[j], pred[i] == pred[j]
        tp += same_g and same_p
        fp += same_p and not same_g
        fn += same_g and not same_p
    return _prf(tp / (tp + fp) if tp + fp else 0.0, tp / (tp + fn) if tp + fn else 0.0)


def _prf(p: float, r: float) -> dict[str, float]:
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4)}


def scores(rows: list[dict], pred: dict[str, str]) -> dict[str, dict[str, float]]:
    gold = [r["gold_story"] for r in rows]
    labels = [pred.get(r["id"], f"single:{r['id']}") for r in rows]
    return {"bcubed": bcubed(gold, labels), "pairwise": pairwise(gold, labels)}


# --------------------------------------------------------------------------- storyscope


def storyscope_ingest(rows: list[dict], config, models, seed: int | None, tmp: Path) -> tuple[dict, dict]:
    from storyscope.corpus import Corpus

    order = list(rows)
    if seed is not None:
        random.Random(seed).shuffle(order)
    db = tmp / f"ecb-{seed}-{time.time_ns()}.db"
    with Corpus.open(db, config=config, models=models) as corpus:
        started = time.perf_counter()
        summary = corpus.ingest([as_input(r) for r in order])
        seconds = time.perf_counter() - started
        pred = story_map(corpus, summary)
    return pred, {
        "seconds": round(seconds, 2),
        "rejected": len(summary.failures),
        "duplicates": summary.duplicates,
    }


def story_map(corpus, summary) -> dict[str, str]:
    """article id -> story id; a duplicate that was not stored goes with the article it duplicates."""
    pred: dict[str, str] = {}
    for story in corpus.stories(limit=1_000_000):
        for aid in story.article_ids:
            pred[aid] = story.id
    for n in summary.notices:
        if n.code == "duplicate_article" and len(n.article_ids) == 2 and n.article_ids[1] in pred:
            pred[n.article_ids[0]] = pred[n.article_ids[1]]
    return pred


def storyscope_recluster(corpus, config) -> dict[str, str]:
    corpus.clusterer.config = config
    corpus.recluster()
    return {aid: s.id for s in corpus.stories(limit=1_000_000) for aid in s.article_ids}


def tune_storyscope(rows: list[dict], models, tmp: Path) -> tuple[object, list[dict]]:
    """Grid over the clustering thresholds on topics 1-25, reusing stored features (recluster)."""
    from storyscope.config import CorpusConfig
    from storyscope.corpus import Corpus

    grid = []
    with Corpus.open(tmp / "tune.db", models=models) as corpus:
        corpus.ingest([as_input(r) for r in rows])
        for w, k, snn, join in itertools.product(
            [0.2, 0.3, 0.5], [4, 5, 6, 8], [0.1, 0.15, 0.2, 0.25, 0.3], [0.3, 0.4]
        ):
            cfg = CorpusConfig(embedding_weight=w, snn_k=k, snn_threshold=snn, join_threshold=join)
            s = scores(rows, storyscope_recluster(corpus, cfg))
            grid.append(
                {"embedding_weight": w, "snn_k": k, "snn_threshold": snn, "join_threshold": join, **s}
            )
            print(f"  w={w} k={k} snn={snn} join={join}: B3 F1 {s['bcubed']['f1']:.3f}", flush=True)
    best = max(grid, key=lambda g: g["bcubed"]["f1"])
    cfg = CorpusConfig(
        embedding_weight=best["embedding_weight"],
        snn_k=best["snn_k"],
        snn_threshold=best["snn_threshold"],
        join_threshold=best["join_threshold"],
    )
    return cfg, grid


# --------------------------------------------------------------------------- baselines


def agglomerative(matrix: np.ndarray, threshold: float) -> list[int]:
    from sklearn.cluster import AgglomerativeClustering

    dist = np.clip(1.0 - matrix, 0.0, None)
    np.fill_diagonal(dist, 0.0)
    model = AgglomerativeClustering(
        n_clusters=None, distance_threshold=threshold, linkage="average", metric="precomputed"
    )
    return model.fit_predict(dist).tolist()


def tfidf_similarity(rows: list[dict]) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [f"{r.get('title') or ''}\n{r['text']}" for r in rows]
    x = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
    return (x @ x.T).toarray()


def embedding_similarity(rows: list[dict], models) -> np.ndarray:
    from storyscope.annotate.sentences import split_sentences

    vecs = []
    for r in rows:
        text = f"{r.get('title') or ''}\n{r['text']}".strip()
        sents = [s.text for s in split_sentences(text, "x")] or [text or "empty"]
        v = np.asarray(models.embedder.encode(sents)).mean(axis=0)
        vecs.append(v / (np.linalg.norm(v) or 1.0))
    m = np.vstack(vecs)
    return m @ m.T


def baseline(rows_tune: list[dict], rows_test: list[dict], sim) -> dict:
    """Tune the distance threshold on topics 1-25, apply it to 26-35."""
    s_tune, s_test = sim(rows_tune), sim(rows_test)
    best_t, best_f = None, -1.0
    for t in np.arange(0.2, 1.0, 0.025):
        f = scores(rows_tune, label_map(rows_tune, agglomerative(s_tune, t)))["bcubed"]["f1"]
        if f > best_f:
            best_t, best_f = float(t), f
    return {
        "threshold": round(best_t, 3),
        "tune": scores(rows_tune, label_map(rows_tune, agglomerative(s_tune, best_t))),
        "test": scores(rows_test, label_map(rows_test, agglomerative(s_test, best_t))),
    }


def label_map(rows: list[dict], labels: list[int]) -> dict[str, str]:
    return {r["id"]: str(lab) for r, lab in zip(rows, labels, strict=True)}


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument(
        "--tune", action="store_true", help="grid-search the clustering thresholds on topics 1-25"
    )
    ap.add_argument("--seeds", type=int, default=3, help="shuffled arrival orders to run besides file order")
    args = ap.parse_args(argv)
    if not (args.data / "ecbplus" / "articles.jsonl").exists():
        print(f"ECB+ not found under {args.data}; nothing to measure", file=sys.stderr)
        return 2

    from storyscope.config import CorpusConfig
    from storyscope.models import default_models

    models = default_models().load()
    rows = load(args.data)
    tune = [r for r in rows if int(r["gold_topic"]) in TUNE_TOPICS]
    test = [r for r in rows if int(r["gold_topic"]) in TEST_TOPICS]
    result: dict = {"data": "ECB+ topics 1-35", "n_tune": len(tune), "n_test": len(test)}
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        config = CorpusConfig()
        if args.tune:
            config, grid = tune_storyscope(tune, models, tmp)
            result["grid"] = grid
        result["config"] = {
            k: getattr(config, k)
            for k in ("embedding_weight", "join_threshold", "snn_k", "snn_threshold", "window_days")
        }
        runs: dict[str, dict] = {}
        for split, split_rows in (("tune", tune), ("test", test)):
            for seed in [None, *range(args.seeds)]:
                pred, info = storyscope_ingest(split_rows, config, models, seed, tmp)
                runs[f"{split}/{'file order' if seed is None else f'shuffle {seed}'}"] = {
                    **scores(split_rows, pred),
                    **info,
                }
            online = dataclasses.replace(config, settle=False)  # ablation: the online step alone
            pred, info = storyscope_ingest(split_rows, online, models, None, tmp)
            runs[f"{split}/online step only"] = {**scores(split_rows, pred), **info}
        result["storyscope"] = runs
        result["tfidf_agglomerative"] = baseline(tune, test, tfidf_similarity)
        result["minilm_agglomerative"] = baseline(tune, test, lambda rs: embedding_similarity(rs, models))

    def mean_f1(split: str) -> float:
        vals = [v["bcubed"]["f1"] for k, v in runs.items() if k.startswith(split + "/") and "online" not in k]
        return round(float(np.mean(vals)), 4)

    rows_out = [
        ("storyscope (file order)", runs["tune/file order"], runs["test/file order"]),
        ("storyscope (online step only)", runs["tune/online step only"], runs["test/online step only"]),
        (
            "TF-IDF + agglomerative",
            result["tfidf_agglomerative"]["tune"],
            result["tfidf_agglomerative"]["test"],
        ),
        (
            "MiniLM + agglomerative",
            result["minilm_agglomerative"]["tune"],
            result["minilm_agglomerative"]["test"],
        ),
    ]
    print(
        f"\nECB+ story clustering ({len(tune)} tune articles, topics 1-25; {len(test)} held-out, topics 26-35)"
    )
    print(
        f"{'system':32s} | {'B3 P':>6s} {'B3 R':>6s} {'B3 F1':>6s} | {'pair F1':>7s} || held out: {'B3 P':>6s} {'B3 R':>6s} {'B3 F1':>6s} | {'pair F1':>7s}"
    )
    for name, a, b in rows_out:
        print(
            f"{name:32s} | {a['bcubed']['p']:6.3f} {a['bcubed']['r']:6.3f} {a['bcubed']['f1']:6.3f} | {a['pairwise']['f1']:7.3f} ||"
            f" {'':10s}{b['bcubed']['p']:6.3f} {b['bcubed']['r']:6.3f} {b['bcubed']['f1']:6.3f} | {b['pairwise']['f1']:7.3f}"
        )
    result["mean_b3_f1_over_orders"] = {"tune": mean_f1("tune"), "test": mean_f1("test")}
    print(
        f"storyscope B3 F1 averaged over file order + {args.seeds} shuffles: tune {mean_f1('tune')}, held out {mean_f1('test')}"
    )
    best_baseline = max(
        result["tfidf_agglomerative"]["test"]["bcubed"]["f1"],
        result["minilm_agglomerative"]["test"]["bcubed"]["f1"],
    )
    met = mean_f1("test") >= TARGET_B3_F1 and mean_f1("test") > best_baseline
    result["target"] = {"b3_f1": TARGET_B3_F1, "met_on_held_out": met}
    path = write_result("cluster", result)
    print(
        f"target B3 F1 >= {TARGET_B3_F1} and above every baseline on held-out topics: {'met' if met else 'NOT met'}"
    )
    print(f"wrote {path}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
