"""Scale: ingest + story clustering of 1k, 10k and 100k articles; cost per article and peak memory.

Issue 3, acceptance 2: the per-article cost at 100k must be within 2x of that at 1k.

Corpora are built from the real articles in ../shared/data (ECB+, BASIL, AllSides, PolNeAR;
~2,500 articles in ~1,300 stories), replicated and perturbed: the stories are emitted in rounds,
each round in a new shuffled order; each copy of a story gets its proper names rotated to
invented ones (consistently across the story's articles), its numbers scaled, a few words swapped
in each article, outlets drawn from a pool of invented names, and a unique URL.

Dates matter: a story closes ``window_days`` (7) after its last article, so what a new article is
compared with is bounded by how many articles arrive per week, not by the corpus size. Dates are
therefore spread over a span proportional to the size, ``--per-day`` articles a day (75: within the
50-100 a day of a busy news feed), in arrival order; a story's articles land within 3 days. With
~2,500 articles a round (~34 days), the copies of one story never share a window. A corpus whose
dates all fell in one week would measure something else: a single week of 100k articles.

Each size runs ``Corpus.ingest`` (read JSONL -> clean -> embed -> store -> online clustering ->
settle), exactly as ``storyscope ingest`` does, in a fresh subprocess, so peak memory (ru_maxrss
of the child) is per size. Models are loaded and warmed before the clock starts. Reported per
size: articles/s, ms/article, ms/article without the embedding (the embedding is a fixed cost per
article; the rest is what could grow with the corpus), the settle step, peak RSS, stories formed,
and ms/article in the first and last tenth of the run.

Vectors: embedding one lead per article with MiniLM costs a fixed ~30-60 ms an article on this
machine whatever the corpus size, which would make the 100k run last hours. So the runs named
``hnsw`` (every ``--sizes``) embed each *source* article once with MiniLM and replay that vector
for its later copies: the store, the index and the clustering see real vectors with their real
neighbourhoods, and their cost per article is what is measured at each size. The ``hnsw+model``
runs (``--model-sizes``, default 1k and 10k) embed every article, as ``storyscope ingest`` does,
and measure the embedding's cost per article. The acceptance ratio adds that fixed cost to the
machinery's cost at 1k and at 100k. CPU time is reported beside wall time (steadier when the
machine is shared).

Baseline (``--baseline-sizes``, default 1k and 10k): the same ingest with one exact numpy index over
the whole corpus (``CorpusConfig(vector_index="exact", index_bucket_days=0)``), what a user without
an ANN library or date-bucketed search would run: its search is O(n) per article, so its per-article
cost grows with the corpus. storyscope's default searches one HNSW index per 28 days of publication
dates, only in the buckets the article's date window touches.

    python bench/bench_scale.py [--sizes 1000,10000,100000] [--model-sizes 1000,10000] [--quick]
                                [--data DIR] [--workdir DIR]

Exit 2 when the data is missing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import DATA, basil_stories, write_result  # noqa: E402

TARGET_RATIO = 2.0
SEED = 20260301

# --------------------------------------------------------------------------- real articles

Group = list[dict]  # the articles of one real story: title, text, source


def load_groups(data: Path) -> dict[str, list[Group]]:
    """Real stories per dataset (a story = the articles a dataset groups together)."""
    out: dict[str, list[Group]] = {}
    ecb = data / "ecbplus" / "articles.jsonl"
    if ecb.exists():
        by_story: dict[str, Group] = {}
        for row in _jsonl(ecb):
            by_story.setdefault(row["gold_story"], []).append(
                {"title": row.get("title") or "", "text": row["text"], "source": None}
            )
        out["ecbplus"] = list(by_story.values())
    if (data / "basil" / "triplets.jsonl").exists():
        out["basil"] = [
            [{"title": a["title"], "text": "\n\n".join(a["paragraphs"]), "source": None} for a in story]
            for story in basil_stories(data)
        ]
    allsides = data / "allsides" / "stories.jsonl"
    if allsides.exists():
        groups = []
        for row in _jsonl(allsides):
            group = []
            for side in ("left", "center", "right"):
                n = (row.get("news") or {}).get(side)
                if n and n.get("newBody"):
                    group.append(
                        {"title": n.get("newsTitle") or "", "text": "\n\n".join(n["newBody"]), "source": None}
                    )
            if group:
                groups.append(group)
        out["allsides"] = groups
    polnear = data / "polnear"
    if polnear.exists():
        groups = []
        for path in sorted(polnear.glob("*/text/*.txt")):
            title, _, body = path.read_text(encoding="utf-8", errors="replace").strip().partition("\n")
            groups.append([{"title": title.strip(), "text": body.strip(), "source": None}])
        out["polnear"] = groups
    for name in out:
        out[name] = [[a for a in g if len(a["text"]) >= 200] for g in out[name]]
        out[name] = [g for g in out[name] if g]
    return {k: v for k, v in out.items() if v}


def _jsonl(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


# --------------------------------------------------------------------------- perturbation

_SYL_A = [
    "Var",
    "Kel",
    "Dor",
    "Ans",
    "Bri",
    "Mal",
    "Tor",
    "Sel",
    "Quin",
    "Hal",
    "Ost",
    "Ren",
    "Lud",
    "Fen",
    "Cas",
]
_SYL_B = [
    "holm",
    "vik",
    "dane",
    "mere",
    "stad",
    "wick",
    "ford",
    "ello",
    "ari",
    "ovic",
    "sen",
    "berg",
    "ano",
    "ley",
]
NAME_POOL = [a + b for a in _SYL_A for b in _SYL_B]  # 210 invented names
_OUT_A = [
    "Northern",
    "Harbour",
    "Valley",
    "Capital",
    "Coastal",
    "Evening",
    "Morning",
    "Union",
    "Free",
    "Lakeside",
]
_OUT_B = [
    "Herald",
    "Ledger",
    "Courier",
    "Post",
    "Wire",
    "Gazette",
    "Times",
    "Dispatch",
    "Chronicle",
    "Bulletin",
]
OUTLET_POOL = [f"The {a} {b}" for a in _OUT_A for b in _OUT_B]  # 100 invented outlets
_STOP_WORDS = (  # capitalised words that are not names
    "The A An He She It They We In On At But And For This That These Those His Her Their Its Our There Mr Mrs Ms "
    "Dr When While After Before As If Then So Yet Or Not No Yes New One Two Three Monday Tuesday Wednesday "
    "Thursday Friday Saturday Sunday January February March April May June July August September October "
    "November December What Who Why How"
)
_NOT_NAMES = set(_STOP_WORDS.split())
_CAP = re.compile(r"\b[A-Z][a-z]{2,}\b")
_NUM = re.compile(r"\b\d{1,3}(?:,\d{3})+\b|\b\d+\b")  # 1,200 is one number


def _names(group: Group) -> list[str]:
    """The group's most frequent capitalised words that are not also used in lower case."""
    text = " ".join(f"{a['title']} {a['text']}" for a in group)
    lower = set(re.findall(r"\b[a-z]{3,}\b", text))
    counts = Counter(w for w in _CAP.findall(text) if w not in _NOT_NAMES and w.lower() not in lower)
    return [w for w, _ in counts.most_common(8)]


def perturb_group(group: Group, rnd: int, rng: random.Random) -> list[dict]:
    """One copy of a real story: names rotated (round > 0), numbers scaled, words swapped."""
    mapping = {}
    if rnd > 0:
        names = _names(group)
        mapping = dict(zip(names, rng.sample(NAME_POOL, len(names)), strict=True))
    factor = rng.choice([0.5, 0.7, 0.8, 1.25, 1.5, 2.0]) if rnd > 0 else 1.0
    name_re = re.compile(r"\b(" + "|".join(map(re.escape, mapping)) + r")\b") if mapping else None

    def rewrite(text: str, swaps: int) -> str:
        if name_re:
            text = name_re.sub(lambda m: mapping[m.group(1)], text)
        if factor != 1.0:
            text = _NUM.sub(lambda m: _scale(m.group(0), factor), text)
        if swaps:
            words = text.split(" ")
            for _ in range(swaps):
                if len(words) > 20:
                    i = rng.randrange(10, len(words) - 1)  # past the opening, so the lead stays readable
                    words[i], words[i + 1] = words[i + 1], words[i]
            text = " ".join(words)
        return text

    outlets = rng.sample(OUTLET_POOL, min(len(group), len(OUTLET_POOL)))
    return [
        {"title": rewrite(a["title"], 0), "text": rewrite(a["text"], 3), "source": outlets[i % len(outlets)]}
        for i, a in enumerate(group)
    ]


def _scale(token: str, factor: float) -> str:
    n = int(token.replace(",", ""))
    if 1900 <= n <= 2099 and len(token) == 4:  # a year: keep
        return token
    m = max(1, round(n * factor))
    return f"{m:,}" if "," in token else str(m)


def article_stream(groups: list[Group], per_day: int, seed: int = SEED) -> Iterator[dict]:
    """Endless records: rounds of all stories (a new order each round), dated by arrival."""
    start = dt.date(2024, 1, 1)
    rng = random.Random(seed)
    emitted = 0
    rnd = 0
    while True:
        order = list(range(len(groups)))
        rng.shuffle(order)
        for gi in order:
            day = emitted // per_day
            for ai, art in enumerate(perturb_group(groups[gi], rnd, rng)):
                slug = re.sub(r"[^a-z]", "", art["source"].lower())
                yield {
                    "id": f"r{rnd}-g{gi}-a{ai}",
                    "source": art["source"],
                    "title": art["title"],
                    "published": (start + dt.timedelta(days=day + rng.randint(0, 2))).isoformat(),
                    "url": f"https://{slug}.example/{rnd}/{gi}/{ai}",
                    "text": art["text"],
                }
                emitted += 1
        rnd += 1


def write_corpora(groups: list[Group], sizes: list[int], workdir: Path, per_day: int) -> dict[int, Path]:
    """One JSONL per size; each smaller corpus is the start of the larger ones (same stream)."""
    paths = {n: workdir / f"articles_{n}.jsonl" for n in sizes}
    handles = {n: paths[n].open("w", encoding="utf-8") for n in sizes}
    try:
        for i, rec in enumerate(article_stream(groups, per_day)):
            if i >= max(sizes):
                break
            line = json.dumps(rec, ensure_ascii=False) + "\n"
            for n, fh in handles.items():
                if i < n:
                    fh.write(line)
    finally:
        for fh in handles.values():
            fh.close()
    return paths


# --------------------------------------------------------------------------- one measured run (child)


def _cpu_seconds() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def child(jsonl: Path, db: Path, index: str, batch: int | None, vectors: str) -> dict:
    """Ingest ``jsonl`` into a new store ``db``; runs in its own process.

    ``vectors="model"`` embeds every article's lead with MiniLM, as ``storyscope ingest`` does.
    ``vectors="replay"`` embeds each *source* article once with MiniLM and gives every later copy
    of it (ids ``r<round>-g<story>-a<n>``) that same vector: the clustering, index and store see
    real vectors with the real neighbourhood structure, while the 100k run does not spend an hour
    re-embedding 40 copies of each text. The embedding is one lead of at most 128 tokens per
    article, a fixed cost per article whatever the corpus size; the ``model`` runs measure it.
    """
    import storyscope.corpus as corpus_mod
    from storyscope.config import CorpusConfig
    from storyscope.corpus import Corpus
    from storyscope.models import default_models

    models = default_models()
    embedder = models.embedder
    embedder.encode(["A warm-up sentence about a harbour.", "And a second one."])
    rss_loaded = _maxrss_mb()
    timers = {"embed": 0.0, "embed_cpu": 0.0, "settle": 0.0, "embedded": 0}
    real_embed_leads = corpus_mod.embed_leads
    replayed: dict[str, object] = {}

    def timed_embed_leads(articles, emb):
        t, c = time.perf_counter(), _cpu_seconds()
        try:
            if vectors == "model":
                timers["embedded"] += len(articles)
                return real_embed_leads(articles, emb)
            keys = [a.id.split("-", 1)[-1] for a in articles]  # r3-g17-a2 -> g17-a2
            todo = [i for i, k in enumerate(keys) if k not in replayed]
            if todo:
                timers["embedded"] += len(todo)
                fresh = real_embed_leads([articles[i] for i in todo], emb)
                for j, i in enumerate(todo):
                    replayed[keys[i]] = fresh[j]
            import numpy as np

            return np.stack([replayed[k] for k in keys])
        finally:
            timers["embed"] += time.perf_counter() - t
            timers["embed_cpu"] += _cpu_seconds() - c

    corpus_mod.embed_leads = timed_embed_leads
    overrides: dict = {"vector_index": index}
    if index == "exact":  # the baseline: one brute-force index over the whole corpus
        overrides["index_bucket_days"] = 0
    if batch:
        overrides["batch_size"] = batch
    config = CorpusConfig().with_overrides(**overrides)
    marks: list[tuple[int, float]] = []
    with Corpus.open(db, config=config, models=models) as corpus:
        settle = corpus.clusterer.settle

        def timed_settle(**kw):
            t = time.perf_counter()
            try:
                return settle(**kw)
            finally:
                timers["settle"] += time.perf_counter() - t

        corpus.clusterer.settle = timed_settle  # type: ignore[method-assign]
        started = time.perf_counter()
        cpu_started = _cpu_seconds()

        def progress(done: int, total: int | None, message: str) -> None:
            if message == "ingesting":
                marks.append((done, time.perf_counter() - started))

        summary = corpus.ingest([jsonl], progress=progress)
        seconds = time.perf_counter() - started
        cpu_seconds = _cpu_seconds() - cpu_started
        counts = corpus.count()
        stories = corpus.stories(limit=10**9)
        sizes = [s.size for s in stories]
    return {
        "index": index,
        "articles_in": sum(1 for _ in jsonl.open(encoding="utf-8")),
        "added": summary.added,
        "duplicates": summary.duplicates,
        "rejected": len(summary.failures),
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu_seconds, 2),
        "vectors": vectors,
        "embedded_with_model": timers["embedded"],
        "embed_seconds": round(timers["embed"], 2),
        "embed_cpu_seconds": round(timers["embed_cpu"], 2),
        "settle_seconds": round(timers["settle"], 2),
        "stories": counts["stories"],
        "singleton_stories": sum(1 for s in sizes if s == 1),
        "largest_story": max(sizes, default=0),
        "mean_story_size": round(statistics.mean(sizes), 2) if sizes else 0,
        "rss_after_models_mb": rss_loaded,
        "peak_rss_mb": _maxrss_mb(),
        "store_mb": round(sum(p.stat().st_size for p in db.parent.glob(db.name + "*")) / 1e6, 1),
        "tenths_ms_per_article": _tenths(marks),
        "agreement_with_source_stories": _bcubed({a: s.id for s in stories for a in s.article_ids}),
    }


def _bcubed(story_of: dict[str, str]) -> dict[str, float]:
    """B-cubed P/R/F1 of the stories against the real stories the copies came from (id r<round>-g<story>-a<n>).

    A sanity check that speed was not bought by lumping or splitting: the source grouping is not
    perfect gold (two PolNeAR articles may well report one event), but it is a fixed reference.
    """
    gold = {a: a.rsplit("-a", 1)[0] for a in story_of}
    g_members: dict[str, set[str]] = {}
    p_members: dict[str, set[str]] = {}
    for a in story_of:
        g_members.setdefault(gold[a], set()).add(a)
        p_members.setdefault(story_of[a], set()).add(a)
    if not story_of:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    prec = rec = 0.0
    for a in story_of:
        inter = len(p_members[story_of[a]] & g_members[gold[a]])
        prec += inter / len(p_members[story_of[a]])
        rec += inter / len(g_members[gold[a]])
    p, r = prec / len(story_of), rec / len(story_of)
    return {
        "precision": round(p, 3),
        "recall": round(r, 3),
        "f1": round(2 * p * r / (p + r) if p + r else 0.0, 3),
    }


def _maxrss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # KiB on Linux


def _tenths(marks: list[tuple[int, float]]) -> dict[str, float] | None:
    """ms/article over the first and the last tenth of the online phase (from progress marks)."""
    if len(marks) < 20:
        return None
    total = marks[-1][0]

    def rate(lo: int, hi: int) -> float:
        pts = [m for m in marks if lo <= m[0] <= hi]
        (n0, t0), (n1, t1) = pts[0], pts[-1]
        return round(1000 * (t1 - t0) / max(n1 - n0, 1), 2)

    return {"first": rate(0, total // 10), "last": rate(total - total // 10, total)}


# --------------------------------------------------------------------------- parent


def run_child(jsonl: Path, workdir: Path, index: str, batch: int | None, vectors: str) -> dict:
    db = workdir / f"{jsonl.stem}_{index}_{vectors}.db"
    for p in workdir.glob(db.name + "*"):
        p.unlink()
    argv = [sys.executable, __file__, "--child", str(jsonl), "--db", str(db), "--index", index]
    argv += ["--vectors", vectors]
    if batch:
        argv += ["--batch-size", str(batch)]
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"child run failed ({done.returncode}):\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall_seconds_with_model_load"] = round(time.perf_counter() - started, 1)
    for p in workdir.glob(db.name + "*"):
        p.unlink()
    n = max(result["added"], 1)
    result["articles_per_s"] = round(n / result["seconds"], 1)
    result["ms_per_article"] = round(1000 * result["seconds"] / n, 2)
    result["ms_per_article_without_embedding"] = round(
        1000 * (result["seconds"] - result["embed_seconds"]) / n, 2
    )
    result["cpu_ms_per_article_without_embedding"] = round(
        1000 * (result["cpu_seconds"] - result["embed_cpu_seconds"]) / n, 2
    )
    if result["embedded_with_model"]:
        result["embed_ms_per_embedded_article"] = round(
            1000 * result["embed_seconds"] / result["embedded_with_model"], 2
        )
    return result


RUN_NAMES = {("auto", "replay"): "hnsw", ("auto", "model"): "hnsw+model", ("exact", "replay"): "exact-flat"}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000,100000", help="sizes run with replayed vectors")
    ap.add_argument(
        "--model-sizes", default="1000,10000", help="sizes run with MiniLM on every article (slow)"
    )
    ap.add_argument(
        "--baseline-sizes", default="1000,10000", help="sizes also run with the exact (brute-force) index"
    )
    ap.add_argument("--quick", action="store_true", help="a smoke run: sizes 500 and 2000")
    ap.add_argument("--per-day", type=int, default=75, help="articles published per day (default 75)")
    ap.add_argument(
        "--batch-size", type=int, default=None, help="CorpusConfig.batch_size (default: its default)"
    )
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument(
        "--workdir", type=Path, default=None, help="where corpora and stores go (default: a temp dir)"
    )
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--index", default="auto", help=argparse.SUPPRESS)
    ap.add_argument("--vectors", default="model", choices=["model", "replay"], help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.child:
        print(json.dumps(child(args.child, args.db, args.index, args.batch_size, args.vectors)))
        return 0

    def parse(text: str) -> list[int]:
        return sorted(int(x) for x in text.split(",") if x.strip())

    sizes = [500, 2000] if args.quick else parse(args.sizes)
    model_sizes = [500] if args.quick else parse(args.model_sizes)
    baseline = [500, 2000] if args.quick else parse(args.baseline_sizes)
    # The slow model runs above the smallest size go last; results are written after every run.
    plan = [(n, "auto", "replay") for n in sizes]
    plan += [(n, "auto", "model") for n in model_sizes[:1]]
    plan += [(n, "exact", "replay") for n in baseline]
    plan += [(n, "auto", "model") for n in model_sizes[1:]]
    groups_by_set = load_groups(args.data)
    if not groups_by_set:
        print(
            f"no data under {args.data} (expected ecbplus/, basil/, allsides/, polnear/); skipping",
            file=sys.stderr,
        )
        return 2
    groups = [g for name in sorted(groups_by_set) for g in groups_by_set[name]]
    n_real = sum(len(g) for g in groups)
    print(
        f"real articles: {n_real} in {len(groups)} stories "
        f"({', '.join(f'{k} {sum(len(g) for g in v)}' for k, v in sorted(groups_by_set.items()))})"
    )

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="storyscope-scale-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        t = time.perf_counter()
        all_sizes = sorted({n for n, _, _ in plan})
        corpora = write_corpora(groups, all_sizes, workdir, args.per_day)
        print(f"wrote corpora {all_sizes} to {workdir} in {time.perf_counter() - t:.0f} s")
        runs: list[dict] = []
        for n, index, vectors in plan:
            name = RUN_NAMES[(index, vectors)]
            print(f"ingesting {n:,} articles ({name})...", flush=True)
            r = run_child(corpora[n], workdir, index, args.batch_size, vectors)
            r["size"] = n
            r["run"] = name
            r["load_average_1_5_15_min"] = [round(x, 2) for x in os.getloadavg()]  # others on the machine?
            runs.append(r)
            print(
                f"  {r['articles_per_s']} articles/s, {r['ms_per_article']} ms/article "
                f"({r['ms_per_article_without_embedding']} without embedding), peak {r['peak_rss_mb']} MB, "
                f"{r['stories']} stories, {r['seconds']:.0f} s",
                flush=True,
            )
            summary = _ratios(runs)
            path = write_result(
                "scale",
                {
                    "description": "Corpus.ingest (clean, embed, store, cluster, settle) on replicated and "
                    "perturbed real articles; one fresh process per run; models loaded before timing. Runs "
                    "'hnsw' and 'exact' replay each source article's MiniLM vector for its copies; "
                    "'hnsw+model' embeds every article.",
                    "data": {name: sum(len(g) for g in v) for name, v in groups_by_set.items()},
                    "per_day": args.per_day,
                    "batch_size": args.batch_size,
                    "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
                    "complete": len(runs) == len(plan),
                    "runs": runs,
                    "ratio_ms_per_article": {k: v for k, v in summary.items() if k != "lines"},
                },
            )
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)

    _table(runs)
    for line in _ratios(runs)["lines"]:
        print(line)
    print(f"wrote {path}")
    return 0


def _ratios(runs: list[dict]) -> dict:
    """Per-article cost at the largest size over the smallest, the acceptance figure.

    Total cost per article = the corpus machinery (clean, store, index, cluster, settle: measured on
    the replay runs at every size) + one lead embedding (measured on the model runs; a fixed cost).
    """
    replay = {r["size"]: r for r in runs if r["run"] == "hnsw"}
    model = {r["size"]: r for r in runs if r["run"] == "hnsw+model"}
    out: dict = {"target": TARGET_RATIO, "lines": []}
    if len(replay) >= 2:
        small, large = min(replay), max(replay)
        wall = (
            replay[large]["ms_per_article_without_embedding"]
            / replay[small]["ms_per_article_without_embedding"]
        )
        cpu = (
            replay[large]["cpu_ms_per_article_without_embedding"]
            / replay[small]["cpu_ms_per_article_without_embedding"]
        )
        out["without_embedding"] = {"sizes": [large, small], "wall": round(wall, 3), "cpu": round(cpu, 3)}
        out["lines"].append(
            f"\nwithout embedding, ms/article at {large:,} / at {small:,}: {wall:.2f} wall, {cpu:.2f} CPU"
        )
        if model:
            embed = statistics.mean(r["embed_ms_per_embedded_article"] for r in model.values())
            total_small = replay[small]["ms_per_article_without_embedding"] + embed
            total_large = replay[large]["ms_per_article_without_embedding"] + embed
            ratio = total_large / total_small
            out["with_embedding"] = {
                "sizes": [large, small],
                "embed_ms_per_article": round(embed, 2),
                "ms_per_article": [round(total_large, 2), round(total_small, 2)],
                "value": round(ratio, 3),
                "met": ratio <= TARGET_RATIO,
            }
            out["lines"].append(
                f"with one MiniLM lead embedding per article ({embed:.1f} ms): {total_large:.1f} / {total_small:.1f}"
                f" ms = {ratio:.2f} (target <= {TARGET_RATIO}: {'met' if ratio <= TARGET_RATIO else 'NOT met'})"
            )
    if len(model) >= 2:
        small, large = min(model), max(model)
        ratio = model[large]["ms_per_article"] / model[small]["ms_per_article"]
        out["model_runs"] = {"sizes": [large, small], "value": round(ratio, 3)}
        out["lines"].append(f"MiniLM on every article, ms/article at {large:,} / at {small:,}: {ratio:.2f}")
    return out


def _table(runs: list[dict]) -> None:
    head = (
        f"\n{'size':>8} {'run':>10} {'art/s':>7} {'ms/art':>7} {'ms/art-emb':>10} {'cpu-emb':>8} "
        f"{'settle s':>8} {'peak MB':>8} {'stories':>8} {'B3 F1':>6} {'1st/last 10% ms':>16}"
    )
    print(head)
    for r in runs:
        tenths = r["tenths_ms_per_article"]
        t = f"{tenths['first']}/{tenths['last']}" if tenths else "-"
        print(
            f"{r['size']:>8,} {r['run']:>10} {r['articles_per_s']:>7} {r['ms_per_article']:>7} "
            f"{r['ms_per_article_without_embedding']:>10} {r['cpu_ms_per_article_without_embedding']:>8} "
            f"{r['settle_seconds']:>8} {r['peak_rss_mb']:>8} {r['stories']:>8} "
            f"{r['agreement_with_source_stories']['f1']:>6} {t:>16}"
        )


if __name__ == "__main__":
    sys.exit(main())
