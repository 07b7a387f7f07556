"""Speed of a warm ``compare`` of 10 articles of about 600 words, stage by stage.

Data: real articles from BASIL (../shared/data/basil; Fan et al., EMNLP 2019), each cut
to its first ~600 words at a paragraph boundary. Three or four triplets give 10 articles;
they are compared as one "story" (the speed of compare does not depend on whether they
really are one story). "Warm" means the models are loaded and one compare has already run.

Reported side by side:
- the whole compare (median of --runs), and each stage's share (from the progress callback),
  in wall-clock and in CPU seconds of this process (``time.process_time``; all threads), with
  the load average: on a shared machine the wall times rise with the load, the CPU ones much less;
- the embedding stage's sentences/s inside compare, next to the model's raw throughput on
  the same sentences (one batched ``encode`` call), and next to the naive baseline a user
  would write first (one ``encode`` call per sentence).

Compare embeds every sentence plus the clauses of compound sentences (about 18% more texts
here), and it starts embedding before spaCy parses, on the cores spaCy leaves free: so the
"embedding sentences" stage is only what is left after annotating, and the in-compare rate
is taken from the embedder's own timing (start of the first batch to end of the last),
counted in sentences and in texts, against the raw rate on exactly the same texts.

    python bench/bench_speed.py [--data ../shared/data] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import DATA, RESULTS, basil_stories, machine  # noqa: E402

TARGET_SECONDS = 2.0


def load_articles(data: Path, n: int = 10, words: int = 600) -> list[dict]:
    out = []
    for story in basil_stories(data):
        for art in story:
            paras, count = [], 0
            for p in art["paragraphs"]:
                paras.append(p)
                count += len(p.split())
                if count >= words:
                    break
            if count < words * 0.8:
                continue
            out.append(
                {
                    "id": f"basil-{art['uuid'] or len(out)}",
                    "source": art["source"],
                    "title": art["title"],
                    "published": art["published"],
                    "text": "\n\n".join(paras),
                }
            )
            if len(out) == n:
                return out
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out", type=Path, default=RESULTS / "speed.json")
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

    load_before = os.getloadavg()
    totals, cpu_totals, stages_runs, cpu_runs, emb_runs = [], [], [], [], []
    report = None
    for _ in range(args.runs):
        marks: list[tuple[str, float, float]] = []
        t0, c0 = time.perf_counter(), time.process_time()
        report = storyscope.compare(
            arts,
            models=models,
            progress=lambda m, marks=marks: marks.append((m, time.perf_counter(), time.process_time())),
        )
        end, cend = time.perf_counter(), time.process_time()
        totals.append(end - t0)
        cpu_totals.append(cend - c0)
        marks.append(("end", end, cend))
        stages_runs.append({marks[i][0]: marks[i + 1][1] - marks[i][1] for i in range(len(marks) - 1)})
        cpu_runs.append({marks[i][0]: marks[i + 1][2] - marks[i][2] for i in range(len(marks) - 1)})
        stats = getattr(models.embedder, "last_stats", None)
        if stats:
            emb_runs.append(stats)
    load_after = os.getloadavg()
    stages = {k: statistics.median(r[k] for r in stages_runs) for k in stages_runs[0]}
    cpu_stages = {k: statistics.median(r[k] for r in cpu_runs) for k in cpu_runs[0]}
    n_sent = sum(len(a.sentences) for a in report.articles)
    sentences = [s.text for a in report.articles for s in a.sentences]
    from storyscope.pipeline import _embedding_texts

    texts, _keys = _embedding_texts([(a.id, a.article.text, a.sentences) for a in report.articles])

    t0 = time.perf_counter()
    models.embedder.encode(sentences)
    raw_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    models.embedder.encode(texts)
    raw_texts_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for s in sentences:
        models.embedder.encode([s])
    naive_s = time.perf_counter() - t0

    total = statistics.median(totals)
    # In compare the embedding runs beside spaCy: its own timing, not the leftover stage.
    emb = (
        statistics.median(r["seconds"] for r in emb_runs)
        if emb_runs
        else stages.get("embedding sentences", float("nan"))
    )
    result = {
        "machine": machine(),
        "articles": len(arts),
        "words": n_words,
        "sentences": n_sent,
        "runs": args.runs,
        "model_load_seconds": round(load_s, 3),
        "warm_compare_seconds_median": round(total, 3),
        "warm_compare_seconds_all": [round(t, 3) for t in totals],
        "warm_compare_cpu_seconds_median": round(statistics.median(cpu_totals), 3),
        "load_average_1_5_15": {
            "before": [round(x, 2) for x in load_before],
            "after": [round(x, 2) for x in load_after],
        },
        "target_seconds": TARGET_SECONDS,
        "meets_target": total <= TARGET_SECONDS,
        "stage_seconds_median": {k: round(v, 4) for k, v in stages.items()},
        "stage_cpu_seconds_median": {k: round(v, 4) for k, v in cpu_stages.items()},
        "embedding": {
            "texts_embedded": len(texts),
            "tokens_embedded": emb_runs[-1]["tokens"] if emb_runs else None,
            "in_compare_seconds_overlapping_annotation": round(emb, 3),
            "in_compare_sent_per_s": round(n_sent / emb, 1),
            "in_compare_texts_per_s": round(len(texts) / emb, 1),
            "raw_batched_encode_sent_per_s": round(n_sent / raw_s, 1),
            "raw_batched_encode_texts_per_s": round(len(texts) / raw_texts_s, 1),
            "naive_one_by_one_sent_per_s": round(n_sent / naive_s, 1),
        },
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")

    print(f"warm compare of {len(arts)} articles ({n_words} words, {n_sent} sentences), median of {args.runs}")
    print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} ({os.cpu_count()} cores)")
    print(f"{'stage':<24}{'seconds':>10}{'share':>9}{'cpu s':>9}")
    for k, v in stages.items():
        print(f"{k:<24}{v:>10.3f}{v / total:>9.0%}{cpu_stages[k]:>9.3f}")
    print(
        f"{'total':<24}{total:>10.3f}{'':>9}{statistics.median(cpu_totals):>9.3f}"
        f"  target <= {TARGET_SECONDS} s: {'yes' if total <= TARGET_SECONDS else 'NO'}"
    )
    print()
    e = result["embedding"]
    print(
        f"embedding: {e['texts_embedded']} texts ({n_sent} sentences + clauses), "
        f"{e['in_compare_seconds_overlapping_annotation']:.3f} s inside compare, beside spaCy"
    )
    print(f"{'embedding':<34}{'sent/s':>10}{'vs raw':>9}")
    for label, key in (
        ("inside compare (beside spaCy)", "in_compare_sent_per_s"),
        ("raw model, one batched call", "raw_batched_encode_sent_per_s"),
        ("naive, one call per sentence", "naive_one_by_one_sent_per_s"),
    ):
        print(f"{label:<34}{e[key]:>10.1f}{e[key] / e['raw_batched_encode_sent_per_s']:>9.2f}x")
    print(f"{'texts/s inside compare':<34}{e['in_compare_texts_per_s']:>10.1f}")
    print(f"{'texts/s raw, same texts':<34}{e['raw_batched_encode_texts_per_s']:>10.1f}")
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
