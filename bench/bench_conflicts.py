"""How many conflicts storyscope flags on real same-event stories, by type, with every one listed.

Data: BASIL (../shared/data/basil; Fan et al., EMNLP 2019): 50 stories, each told by Fox
News, the New York Times and the Huffington Post on the same day. Outlets covering one event
rarely contradict each other outright, so on this data most flagged conflicts are false
alarms: the count per story is a false-alarm figure to keep low, and the listing (written to
the result file and, with --show, printed) is there to be read: each entry has both sides'
sentences, so a person can judge it. There is no gold standard of contradictions here.

``--dataset allsides`` runs the same count on the 235 AllSides stories (three outlets' opening
paragraphs each, ../shared/data/allsides) and writes ``conflicts_allsides.json``.

Run: python bench/bench_conflicts.py [--data ../shared/data] [--dataset basil|allsides] [--show]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import DATA, basil_stories, write_result  # noqa: E402

KINDS = ("number", "date", "place", "speaker", "negation")


def load_stories(data: Path) -> list[list[dict]]:
    return [
        [
            {
                "id": f"{n}-{i}",
                "source": a["source"],
                "title": a["title"],
                "published": a["published"],
                "text": "\n\n".join(a["paragraphs"]),
            }
            for i, a in enumerate(story)
        ]
        for n, story in enumerate(basil_stories(data))
    ]


def load_allsides(data: Path) -> list[list[dict]]:
    stories = []
    with open(data / "allsides" / "stories.jsonl", encoding="utf-8") as fh:
        for line in fh:
            story = json.loads(line)
            stories.append(
                [
                    {
                        "id": f"{story['id']}-{side}",
                        "source": item.get("newsSource") or side,
                        "title": item.get("newsTitle", ""),
                        "published": (story.get("date") or "")[:10] or None,
                        "text": "\n\n".join(item.get("newBody") or []),
                    }
                    for side, item in story["news"].items()
                ]
            )
    return stories


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--show", action="store_true", help="print every conflict with both sides' sentences")
    ap.add_argument("--dataset", choices=("basil", "allsides"), default="basil")
    args = ap.parse_args()
    wanted = args.data / ("basil/triplets.jsonl" if args.dataset == "basil" else "allsides/stories.jsonl")
    if not wanted.exists():
        print(f"{wanted} not found; nothing to measure", file=sys.stderr)
        return 2

    import storyscope
    from storyscope.models import default_models

    models = default_models().load()
    stories = load_stories(args.data) if args.dataset == "basil" else load_allsides(args.data)
    counts: Counter = Counter()
    listing = []
    t0 = time.perf_counter()
    for n, arts in enumerate(stories):
        try:
            report = storyscope.compare(arts, models=models)
        except storyscope.StoryscopeError as exc:  # e.g. every article empty: nothing to count
            print(f"  story {n}: {exc}", file=sys.stderr)
            continue
        by_id = {a.id: a for a in report.articles}
        for c in report.conflicts:
            counts[c.kind] += 1
            listing.append(
                {
                    "story": n,
                    "kind": c.kind,
                    "status": c.status,
                    "description": c.description,
                    "sides": [
                        {
                            "value": s.value,
                            "sources": list(s.sources),
                            "sentences": [by_id[e.article_id].sentences[e.sentence_index].text for e in s.evidence],
                        }
                        for s in c.sides
                    ],
                }
            )
        print(f"  {n + 1}/{len(stories)} stories", file=sys.stderr, end="\r")
    seconds = time.perf_counter() - t0
    print(f"\nconflicts flagged on {len(stories)} {args.dataset} stories (3 outlets each, one event)")
    print(f"{'kind':10} {'flagged':>8} {'per story':>10}")
    for kind in KINDS:
        print(f"{kind:10} {counts[kind]:8d} {counts[kind] / len(stories):10.2f}")
    total = sum(counts.values())
    print(f"{'all':10} {total:8d} {total / len(stories):10.2f}")
    if args.show:
        for item in listing:
            print(f"\n[{item['story']}] {item['kind']}: {item['description']}")
            for side in item["sides"]:
                for sent in side["sentences"]:
                    print(f"   {side['value'][:30]:30} | {sent[:200]}")
    path = write_result(
        "conflicts" if args.dataset == "basil" else "conflicts_allsides",
        {
            "benchmark": "conflicts flagged on real same-event stories (false-alarm figure; no gold)",
            "data": "BASIL triplets (Fan et al., EMNLP 2019)" if args.dataset == "basil" else "AllSides stories",
            "stories": len(stories),
            "counts": {k: counts[k] for k in KINDS},
            "per_story": round(total / len(stories), 3),
            "seconds": round(seconds, 1),
            "conflicts": listing,
        },
    )
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
