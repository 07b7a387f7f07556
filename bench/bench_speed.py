"""Speed of a warm ``compare`` of 10 articles of about 600 words, stage by stage.

Data: real articles from BASIL (../shared/data/basil; Fan et al., EMNLP 2019), each cut
to its first ~600 words at a paragraph boundary. Three or four triplets give 10 articles;
they are compared as one "story" (the speed of compare does not depend on whether they
really are one story). "Warm" means the models are loaded and one compare has already run.

Reported side by side:
- the whole compare (median of --runs), and each stage's share (from the progress callback);
- the embedding stage's sentences/s inside compare, next to the model's raw throughput on
  the same sentences (one batched ``encode`` call), and next to the naive baseline a user
  would write first (one ``encode`` call per sentence).

    python bench/bench_speed.py [--data ../shared/data] [--runs 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 2.0


def machine() -> dict:
    return {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "python": sys.version.split()[0],
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def load_articles(data: Path, n: int = 10, words: int = 600) -> list[dict]:
    out = []
    with open(data / "basil" / "triplets.jsonl", encoding="utf-8") as fh:
        for line in fh:
            for item in json.loads(line)["articles"]:
                art = item["article"]
                paras, count = [], 0
                for p in art.get("body-paragraphs") or []:
                    p = " ".join(p) if isinstance(p, list) else str(p)
                    paras.append(p)
                    count += len(p.split())
                    if count >= words:
                        break
                if count < words * 0.8:
                    continue
                out.append(
                    {
                        "id": f"basil-{art.get('uuid', len(out))}",
                        "source": art.get("source", "unknown"),
                        "title": art.get("title", ""),
                        "published": art.get("date"),
                        "text": "\n\n".join(paras),
                    }
                )
                if len(out) == n:
                    return out
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "speed.json")
    args = ap.parse_args()

    import storyscope
    from storyscope.models import Models

    arts = load_articles(args.data)
    n_words = sum(len(a["text"].split()) for a in arts)
    models = Models()
    t0 = time.perf_counter()
    models.load()
    load_s = time.perf_counter() - t0
    storyscope.compare(arts, models=models)  # warm-up

    totals, stages_runs = [], []
    report = None
    for _ in range(args.runs):
        marks: list[tuple[str, float]] = []
        t0 = time.perf_counter()
        report = storyscope.compare(arts, models=models, progress=lambda m, marks=marks: marks.append((m, time.perf_counter())))
        end = time.perf_counter()
        totals.append(end - t0)
        marks.append(("end", end))
        stages_runs.append({marks[i][0]: marks[i + 1][1] - marks[i][1] for i in range(len(marks) - 1)})
    stages = {k: statistics.median(r[k] for r in stages_runs) for k in stages_runs[0]}
    n_sent = sum(len(a.sentences) for a in report.articles)
    sentences = [s.text for a in report.articles for s in a.sentences]

    t0 = time.perf_counter()
    models.embedder.encode(sentences)
    raw_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for s in sentences:
        models.embedder.encode([s])
    naive_s = time.perf_counter() - t0

    total = statistics.median(totals)
    emb = stages.get("embedding sentences", float("nan"))
    result = {
        "machine": machine(),
        "articles": len(arts),
        "words": n_words,
        "sentences": n_sent,
        "runs": args.runs,
        "model_load_seconds": round(load_s, 3),
        "warm_compare_seconds_median": round(total, 3),
        "warm_compare_seconds_all": [round(t, 3) for t in totals],
        "target_seconds": TARGET_SECONDS,
        "meets_target": total <= TARGET_SECONDS,
        "stage_seconds_median": {k: round(v, 4) for k, v in stages.items()},
        "embedding": {
            "in_compare_sent_per_s": round(n_sent / emb, 1),
            "raw_batched_encode_sent_per_s": round(n_sent / raw_s, 1),
            "naive_one_by_one_sent_per_s": round(n_sent / naive_s, 1),
        },
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")

    print(f"warm compare of {len(arts)} articles ({n_words} words, {n_sent} sentences), median of {args.runs}")
    print(f"{'stage':<24}{'seconds':>10}{'share':>9}")
    for k, v in stages.items():
        print(f"{k:<24}{v:>10.3f}{v / total:>9.0%}")
    print(f"{'total':<24}{total:>10.3f}{'':>9}  target <= {TARGET_SECONDS} s: {'yes' if total <= TARGET_SECONDS else 'NO'}")
    print()
    print(f"{'embedding':<34}{'sent/s':>10}{'vs raw':>9}")
    e = result["embedding"]
    for label, key in (
        ("inside compare", "in_compare_sent_per_s"),
        ("raw model, one batched call", "raw_batched_encode_sent_per_s"),
        ("naive, one call per sentence", "naive_one_by_one_sent_per_s"),
    ):
        print(f"{label:<34}{e[key]:>10.1f}{e[key] / e['raw_batched_encode_sent_per_s']:>9.2f}x")
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
