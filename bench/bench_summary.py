"""Neutral-summary benchmark on AllSides: storyscope vs lead, LexRank and TextRank, scored with ROUGE.

Each AllSides story has three outlets' article openings (left, centre, right) and the
editors' neutral "roundup". storyscope runs its whole pipeline (``storyscope.compare``)
on the three articles; the summary sentences, joined, are scored against the roundup
with ROUGE-1/2/L F1 (rouge-score, Porter stemming).

Baselines see the same sentences (storyscope's own splitter: nupunkt + paragraph
breaks). Two length rules are reported, both per story and set by storyscope's summary:
- sentences: each baseline gets as many sentences as storyscope's summary has;
- words (the DUC practice, where ROUGE compares equal-length summaries): each baseline adds
  sentences in its own order until it has as many words as storyscope's summary, and the
  last one is cut at that count, so a system that picks longer sentences gains nothing.
``--budget`` chooses the rule the acceptance line uses; both are always computed.
The baselines:
- lead: lead sentences round-robin across the outlets (1st of each, then 2nd of each...),
  the usual multi-document lead baseline;
- LexRank and TextRank from sumy over all the story's sentences, with a plain regex word
  tokenizer and sumy's English Porter stemmer and stop words (no NLTK data needed).

The first half of the stories (file order) is where storyscope's weights were tuned;
the second half is held out. Both are reported.

    python bench/bench_summary.py [--data ../shared/data] [--limit N] [--set fact_threshold=0.6]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import re
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SIDES = ("left", "center", "right")
METRICS = ("rouge1", "rouge2", "rougeL")


class WordTokenizer:
    """What sumy needs from a tokenizer, offline: sentences from storyscope, words by regex."""

    _word = re.compile(r"\w[\w'\u2019-]*")

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        from storyscope.annotate.sentences import split_sentences

        return tuple(s.text for s in split_sentences(paragraph, "x"))

    def to_words(self, sentence: str) -> list[str]:
        return self._word.findall(sentence)


def load_stories(data: Path) -> list[dict]:
    path = data / "allsides" / "stories.jsonl"
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def story_articles(story: dict) -> list[dict]:
    out = []
    for side in SIDES:
        news = story["news"].get(side)
        if not news:
            continue
        body = "\n\n".join(p.strip() for p in news.get("newBody") or [] if p and p.strip())
        out.append(
            {
                "id": f"{story['id']}-{side}",
                "source": news["newsSource"],
                "title": news["newsTitle"],
                "text": body,
            }
        )
    return out


def lead_round_robin(sentences: list[list[str]], k: int) -> list[str]:
    out: list[str] = []
    depth = 0
    while len(out) < k and any(depth < len(s) for s in sentences):
        out.extend(s[depth] for s in sentences if depth < len(s))
        depth += 1
    return out[:k]


def fit_words(pick, n_sentences: int, budget: int) -> list[str]:
    """The shortest ``pick(k)`` reaching ``budget`` words, its words cut at the budget (DUC-style)."""
    words: list[str] = []
    for k in range(1, max(1, n_sentences) + 1):
        words = " ".join(pick(k)).split()
        if len(words) >= budget:
            break
    return [" ".join(words[:budget])]


def sumy_summary(kind: str, sentences: list[list[str]], k: int) -> list[str]:
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    tok = WordTokenizer()
    doc = ObjectDocumentModel([Paragraph([Sentence(s, tok) for s in art]) for art in sentences if art])
    summarizer = (LexRankSummarizer if kind == "lexrank" else TextRankSummarizer)(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    return [str(s) for s in summarizer(doc, k)]


def machine() -> dict:
    return {
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "processor": platform.processor() or platform.machine(),
    }


def mean_scores(rows: list[dict], system: str) -> dict[str, float]:
    return {m: round(statistics.fmean(r[system][m] for r in rows), 4) for m in METRICS} if rows else {}


BUDGETS = {
    "sentences": "baselines get as many sentences as storyscope's summary of the same story",
    "words": "baselines get as many words as storyscope's summary of the same story (last sentence cut)",
}


def summarise_rows(rows: list[dict], systems: tuple[str, ...]) -> dict:
    """Mean scores per split and system, printed as a table."""
    splits = {
        "tune (first half)": [r for r in rows if r["split"] == "tune"],
        "test (second half)": [r for r in rows if r["split"] == "test"],
        "all": rows,
    }
    results: dict = {}
    for split, rs in splits.items():
        if not rs:
            continue
        results[split] = {name: mean_scores(rs, name) for name in systems}
        for name in systems:
            results[split][name]["words"] = round(statistics.fmean(r[name]["words"] for r in rs), 1)
    return results


def print_results(title: str, results: dict, systems: tuple[str, ...]) -> None:
    print(f"\n== {title}")
    for split, res in results.items():
        print(f"{split}")
        print(f"  {'system':<12}{'R-1':>8}{'R-2':>8}{'R-L':>8}{'words':>8}")
        for name in systems:
            s = res[name]
            print(f"  {name:<12}{s['rouge1']:>8.4f}{s['rouge2']:>8.4f}{s['rougeL']:>8.4f}{s['words']:>8.1f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--limit", type=int, default=0, help="only the first N stories (quick runs)")
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="CompareConfig override")
    ap.add_argument(
        "--budget",
        choices=("sentences", "words"),
        default="sentences",
        help="length rule for the acceptance line (both are reported)",
    )
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "summary.json")
    args = ap.parse_args(argv)

    from rouge_score import rouge_scorer

    import storyscope
    from storyscope.annotate.sentences import split_sentences

    overrides = {}
    for item in args.set:
        name, _, value = item.partition("=")
        overrides[name] = type(getattr(storyscope.CompareConfig(), name))(value)
    config = storyscope.CompareConfig().with_overrides(**overrides)

    stories = load_stories(args.data)
    data_sha = hashlib.sha256((args.data / "allsides" / "stories.jsonl").read_bytes()).hexdigest()[:16]
    if args.limit:
        stories = stories[: args.limit]
    half = (len(load_stories(args.data)) + 1) // 2  # the tuning split is fixed by the full file

    t0 = time.perf_counter()
    models = storyscope.Models()
    _ = models.nlp, models.embedder
    load_s = time.perf_counter() - t0

    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    systems = ("storyscope", "lead", "lexrank", "textrank")
    rows_by_rule: dict[str, list[dict]] = {"sentences": [], "words": []}
    pipeline_s = 0.0
    n_sents: list[int] = []
    for pos, story in enumerate(stories):
        arts = story_articles(story)
        reference = " ".join(p.strip() for p in story["roundup"] if p and p.strip())
        t = time.perf_counter()
        report = storyscope.compare(arts, config=config, models=models)
        pipeline_s += time.perf_counter() - t
        ours = [s.text for s in report.summary]
        k = max(1, len(ours))
        n_sents.append(len(ours))
        sents = [[s.text for s in split_sentences(a["text"], a["id"])] for a in arts]
        pickers = {
            "lead": lambda j, sents=sents: lead_round_robin(sents, j),
            "lexrank": lambda j, sents=sents: sumy_summary("lexrank", sents, j),
            "textrank": lambda j, sents=sents: sumy_summary("textrank", sents, j),
        }
        n_total = sum(len(s) for s in sents)
        budget = len(" ".join(ours).split())
        outputs = {"sentences": {"storyscope": ours}, "words": {"storyscope": ours}}
        for name, pick in pickers.items():
            outputs["sentences"][name] = pick(k)
            outputs["words"][name] = fit_words(pick, n_total, budget)
        for rule, outs in outputs.items():
            row: dict = {"id": story["id"], "split": "tune" if pos < half else "test"}
            for name in systems:
                sc = scorer.score(reference, " ".join(outs[name]))
                row[name] = {m: sc[m].fmeasure for m in METRICS}
                row[name]["words"] = len(" ".join(outs[name]).split())
            rows_by_rule[rule].append(row)
        if (pos + 1) % 25 == 0:
            print(f"  {pos + 1}/{len(stories)} stories", file=sys.stderr)

    rows = rows_by_rule["sentences"]
    print(f"\nAllSides summaries vs editors' roundup: {len(rows)} stories, ROUGE F1 (stemmed)")
    results_by_rule: dict[str, dict] = {}
    passed: dict[str, bool] = {}
    for rule, rule_rows in rows_by_rule.items():
        results_by_rule[rule] = results = summarise_rows(rule_rows, systems)
        print_results(f"{rule} budget: {BUDGETS[rule]}", results, systems)
        best_base = max(results["all"][b]["rouge2"] for b in systems[1:])
        passed[rule] = results["all"]["storyscope"]["rouge2"] >= best_base
    ok = passed[args.budget]
    speed = len(rows) / pipeline_s if pipeline_s else 0.0
    print(
        f"\nstoryscope pipeline: {speed:.2f} stories/s ({pipeline_s:.1f}s for {len(rows)}; model load {load_s:.1f}s)"
    )
    print(
        f"summary sentences per story: mean {statistics.fmean(n_sents):.2f}, min {min(n_sents)}, max {max(n_sents)}"
    )
    for rule in rows_by_rule:
        print(
            f"storyscope ROUGE-2 >= best baseline, all stories, {rule} budget: "
            f"{'PASS' if passed[rule] else 'FAIL'}"
        )
    print(f"acceptance ({args.budget} budget): {'PASS' if ok else 'FAIL'}")

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                "benchmark": "summary",
                "date": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
                "machine": machine(),
                "data": {"path": "allsides/stories.jsonl", "sha256_16": data_sha, "stories": len(rows)},
                "config": {k: getattr(config, k) for k in config.__slots__},
                "budget": BUDGETS["sentences"],
                "results": results_by_rule["sentences"],
                "word_budget": {"budget": BUDGETS["words"], "results": results_by_rule["words"]},
                "acceptance": {
                    "rule": f"storyscope ROUGE-2 >= best baseline (all stories), {args.budget} budget",
                    "budget": args.budget,
                    "pass": ok,
                    "pass_by_budget": passed,
                },
                "speed": {
                    "stories_per_s": round(speed, 3),
                    "pipeline_s": round(pipeline_s, 2),
                    "model_load_s": round(load_s, 2),
                },
                "summary_sentences": {
                    "mean": round(statistics.fmean(n_sents), 2),
                    "min": min(n_sents),
                    "max": max(n_sents),
                },
                "per_story": rows,
                "per_story_word_budget": rows_by_rule["words"],
            },
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {args.out.relative_to(REPO) if args.out.is_relative_to(REPO) else args.out}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
