"""Cross-language fact alignment: precision and recall of aligned facts on hand-translated pairs.

Data: bench/data/crosslingual.json -- six stories from ECB+ (CC BY 3.0), each two short
excerpts by different outlets about one event (A and B), with hand-marked gold pairs of
sentences that report the same thing; B is translated by hand into Spanish, French and German.

Each condition runs the real pipeline (``storyscope.compare``) on a two-article story and reads
the aligned pairs off ``report.facts`` (a fact holding a sentence of each article is one pair):

- english_only: A + B in English, the pipeline as is (MiniLM): the English-only figure.
- english_only_multilingual: the same with every sentence embedded by the multilingual model
  (what a mixed-language story does to its English pairs).
- crosslingual: A in English + B in es/fr/de, the pipeline as is (language detected per
  article, multilingual vectors because the languages differ).
- crosslingual_minilm: the same with the English MiniLM forced (the naive baseline).
- translation: B in English + its own translation, gold = sentence i with sentence i
  (sentence-level alignment of a faithful translation), multilingual and MiniLM.

Precision = correct pairs / predicted pairs; recall = correct pairs / the most gold pairs one
alignment can hold (each sentence is in one fact, so a sentence matching two gold partners
counts once). Micro-averaged over stories.

Run: python bench/bench_crosslingual.py  (writes bench/results/crosslingual.json; ~1-2 minutes)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, write_result  # noqa: E402
from storyscope import pipeline  # noqa: E402
from storyscope.models import Models, default_models  # noqa: E402
from storyscope.records import Article  # noqa: E402

DATA_FILE = ROOT / "bench" / "data" / "crosslingual.json"
LANGS = ("es", "fr", "de")


def load() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def make_article(aid: str, source: str, title: str, sentences: list[str], published: str) -> Article:
    """One paragraph per sentence, so the report's sentences map back to the data's by offset."""
    return Article(
        id=aid,
        source=source,
        title=title,
        text="\n\n".join(sentences),
        published=dt.date.fromisoformat(published),
        origin=f"bench:{aid}",
    )


def sentence_map(report, article_id: str, sentences: list[str]) -> dict[int, int]:
    """Report sentence index -> data sentence index (by where the data sentence sits in the cleaned text)."""
    ann = report.article(article_id)
    text = ann.article.text
    spans = []
    pos = 0
    for k, s in enumerate(sentences):
        at = text.find(s, pos)
        if at >= 0:
            spans.append((at, at + len(s), k))
            pos = at + len(s)
    out = {}
    for s in ann.sentences:
        for start, end, k in spans:
            if start <= s.start < end:
                out[s.index] = k
    return out


def aligned_pairs(report, a_id: str, b_id: str, a_sents: list[str], b_sents: list[str]) -> set[tuple[int, int]]:
    ma, mb = sentence_map(report, a_id, a_sents), sentence_map(report, b_id, b_sents)
    pairs = set()
    for f in report.facts:
        ia = [ma[e.sentence_index] for e in f.evidence if e.article_id == a_id and e.sentence_index in ma]
        ib = [mb[e.sentence_index] for e in f.evidence if e.article_id == b_id and e.sentence_index in mb]
        pairs |= {(i, j) for i in ia for j in ib}
    return pairs


def max_matching(pairs: set[tuple[int, int]]) -> int:
    """Size of a maximum one-to-one matching (augmenting paths; the sets are tiny)."""
    match_b: dict[int, int] = {}

    def augment(a: int, seen: set[int]) -> bool:
        for x, b in pairs:
            if x != a or b in seen:
                continue
            seen.add(b)
            if b not in match_b or augment(match_b[b], seen):
                match_b[b] = a
                return True
        return False

    return sum(augment(a, set()) for a in sorted({a for a, _ in pairs}))


class _Tally:
    def __init__(self) -> None:
        self.correct = self.predicted = self.possible = 0
        self.seconds = 0.0
        self.runs = 0

    def add(self, pred: set, gold: set, possible: int, seconds: float) -> None:
        self.correct += len(pred & gold)
        self.predicted += len(pred)
        self.possible += possible
        self.seconds += seconds
        self.runs += 1

    def result(self) -> dict:
        p = self.correct / self.predicted if self.predicted else 0.0
        r = self.correct / self.possible if self.possible else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {
            "precision": round(p, 3),
            "recall": round(r, 3),
            "f1": round(f, 3),
            "correct": self.correct,
            "predicted": self.predicted,
            "possible": self.possible,
            "seconds_per_story": round(self.seconds / max(1, self.runs), 3),
        }


def run(models_by_condition: dict[str, Models], stories: list[dict], langs: tuple[str, ...]) -> dict:
    tallies: dict[str, _Tally] = {}
    detected: dict[str, dict[str, int]] = {}

    def one(cond: str, arts: list[Article], a_s: list[str], b_s: list[str], gold: set, possible: int) -> None:
        t0 = time.perf_counter()
        report = pipeline.compare(arts, models=models_by_condition[cond.split(":")[0]])
        secs = time.perf_counter() - t0
        pred = aligned_pairs(report, arts[0].id, arts[1].id, a_s, b_s)
        tallies.setdefault(cond, _Tally()).add(pred, gold, possible, secs)
        return report

    for st in stories:
        gold = {tuple(p) for p in st["gold"]}
        possible = max_matching(gold)
        assert possible == st["max_matching"], (st["id"], possible)
        a = make_article(f"{st['id']}-a", "Outlet A", st["a_title"], st["a"], st["published"])
        b_en = make_article(f"{st['id']}-b-en", "Outlet B", st["b_title"]["en"], st["b"]["en"], st["published"])
        for cond in ("english_only", "english_only_multilingual"):
            one(cond, [a, b_en], st["a"], st["b"]["en"], gold, possible)
        ident = {(i, i) for i in range(len(st["b"]["en"]))}
        for lang in langs:
            b = make_article(f"{st['id']}-b-{lang}", "Outlet B", st["b_title"][lang], st["b"][lang], st["published"])
            for cond in ("crosslingual", "crosslingual_minilm"):
                report = one(f"{cond}:{lang}", [a, b], st["a"], st["b"][lang], gold, possible)
                if cond == "crosslingual":
                    got = report.article(b.id).article.language or "none"
                    detected.setdefault(lang, {}).setdefault(got, 0)
                    detected[lang][got] += 1
            b_src = make_article(f"{st['id']}-b-en-src", "Outlet C", st["b_title"]["en"], st["b"]["en"], st["published"])
            for cond in ("translation", "translation_minilm"):
                one(f"{cond}:{lang}", [b_src, b], st["b"]["en"], st["b"][lang], ident, len(ident))

    out: dict = {}
    for cond, t in tallies.items():
        out[cond] = t.result()
    # Pool the languages of each cross-language condition.
    for base in ("crosslingual", "crosslingual_minilm", "translation", "translation_minilm"):
        pooled = _Tally()
        for lang in langs:
            t = tallies.get(f"{base}:{lang}")
            if t:
                pooled.correct += t.correct
                pooled.predicted += t.predicted
                pooled.possible += t.possible
                pooled.seconds += t.seconds
                pooled.runs += t.runs
        out[f"{base}:all"] = pooled.result()
    out["language_detected"] = detected
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-write", action="store_true", help="print only; do not write bench/results")
    args = ap.parse_args(argv)
    data = load()
    base = default_models().load()
    t0 = time.perf_counter()
    multilingual = base.multilingual
    multilingual.encode(["warm up"])
    load_s = time.perf_counter() - t0
    models = {
        "english_only": base,
        "english_only_multilingual": Models(nlp=base.nlp, embedder=multilingual, multilingual=multilingual),
        "crosslingual": base,
        "crosslingual_minilm": Models(nlp=base.nlp, embedder=base.embedder, multilingual=base.embedder),
        "translation": base,
        "translation_minilm": Models(nlp=base.nlp, embedder=base.embedder, multilingual=base.embedder),
    }
    results = run(models, data["stories"], LANGS)

    rows = [
        ("english_only", "English A + English B, MiniLM (pipeline as is)"),
        ("english_only_multilingual", "English A + English B, multilingual vectors"),
        *[(f"crosslingual:{lg}", f"English A + {lg} B, multilingual (pipeline as is)") for lg in LANGS],
        ("crosslingual:all", "English A + es/fr/de B, multilingual (pooled)"),
        ("crosslingual_minilm:all", "English A + es/fr/de B, English MiniLM (naive)"),
        ("translation:all", "B + its translation (sentence level), multilingual"),
        ("translation_minilm:all", "B + its translation (sentence level), MiniLM"),
    ]
    print(f"{'condition':<58} {'P':>6} {'R':>6} {'F1':>6} {'pairs':>11}")
    for key, label in rows:
        r = results[key]
        print(f"{label:<58} {r['precision']:6.3f} {r['recall']:6.3f} {r['f1']:6.3f} {r['correct']:>4}/{r['predicted']:<3}/{r['possible']:<3}")
    print("language detected (true -> detected: count):", results["language_detected"])
    print(f"multilingual model load: {load_s:.2f}s")
    if not args.no_write:
        path = write_result(
            "crosslingual",
            {
                "data": str(DATA_FILE.relative_to(ROOT)),
                "stories": len(data["stories"]),
                "gold_pairs_possible_per_story_set": sum(s["max_matching"] for s in data["stories"]),
                "multilingual_model": type(multilingual).__name__,
                "multilingual_load_seconds": round(load_s, 2),
                "results": results,
            },
        )
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
