"""Wire-copy detection: storyscope's MinHash-LSH detector vs an exact-hash baseline, and its cost at scale.

Originals are real articles from ../shared/data: ECB+ (772 articles, 35 topics x 2 stories), BASIL (50
events x Fox/NYT/HuffPost) and AllSides (235 stories x left/centre/right openings). Bodies only: both
detectors compare article text, never headlines.

A. Real same-story pairs. Every pair of originals of one story (ECB+ ``gold_story``, a BASIL triplet, an
   AllSides story). These are the hard negatives the detector must not call copies -- but ECB+ turns out to
   hold real wire copies too (one AP text on several sites), so gold is not "all negative": a pair is a copy
   when at least half of the shorter text's words lie in verbatim runs of >= 8 words shared with the other
   (difflib on the normalised words). That rule is independent of the detector's shingles/MinHash.

B. Generated reprints. For a sample of originals (>= 80 words), 1-4 reprints each, every reprint with 1-4
   light edits drawn from: a new headline, the last paragraph(s) trimmed, a local paragraph added, a few word
   substitutions ("said" -> "told reporters", "percent" -> "per cent", ...), whitespace and quote-style
   changes, an agency credit line or dateline. The pool is every original (all stories: distractors and hard
   negatives) plus the reprints, added in shuffled order. Gold: a reprint and its original, or two reprints of
   one original, are copies; every other pair involving a reprint is a negative, except pairs whose
   originals are themselves copies by A's rule (ambiguous: not scored, counted). Pairs between two
   originals are scored in A, not here.

C. Cost per article (CPU time) of shingling + MinHash + LSH insert and query (``NearDupIndex.add``) at 10k
   and 100k articles, built by mixing random sentences of the originals (with ~5% words swapped, so texts are
   distinct) and planting 10% reprints; the cost of the last 1,000 articles shows it stays flat.

Baseline: sha1 of the text normalised the way storyscope's ingest already dedupes (case-folded, whitespace
collapsed): an exact duplicate check. Metrics: precision / recall / F1 of copy *pairs*.

    python bench/bench_copies.py [--data ../shared/data] [--sample 400] [--scale 10000,100000]
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import itertools
import json
import random
import re
import resource
import sys
import time
from collections import Counter, defaultdict
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import DATA, basil_stories, write_result  # noqa: E402
from storyscope.cluster.neardup import (  # noqa: E402
    NearDupIndex,
    NearDupParams,
    compare_shingles,
    normalise_words,
    shingle_text,
)
from storyscope.ingest.readers import normalise_text  # noqa: E402

MIN_WORDS = 60  # originals shorter than this are left out (nothing to reprint)
MIN_WORDS_REPRINTED = 80
GOLD_RUN = 8  # verbatim run length (words) for the independent "real copy" rule
GOLD_COVERAGE = 0.5

EDITS = ("headline", "trim", "add_paragraph", "substitute", "cosmetic", "credit")
SUBSTITUTIONS = [
    (r"\bsaid\b", "told reporters"),
    (r"\bpercent\b", "per cent"),
    (r"\bper cent\b", "percent"),
    (r"\bU\.S\.", "US"),
    (r"\bMr\. ", ""),
    (r"\bbecause\b", "as"),
    (r"\bHowever, ", "But "),
    (r"\bon (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b", r"\1"),
    (r"\bthree\b", "3"),
    (r"\btwo\b", "2"),
    (r"\bpolice\b", "officers"),
    (r"\bpeople\b", "residents"),
    (r"\baccording to\b", "said"),
]
AGENCIES = ("Northwind Wire", "Reuters", "Associated Press", "AFP", "Harbour Wire")
LOCAL = (
    "The {place} council said it was following the situation closely.",
    "Residents of {place} were among those affected, a local official said.",
    "This story will be updated as more information becomes available to the {place} desk.",
    "A spokesperson for the {place} regional office declined to comment on Tuesday.",
)
PLACES = ("Ardent Valley", "Portwell", "Lakeshore", "Dunmore", "Kestrel Bay", "Orvane")


# --------------------------------------------------------------------------- data


def load_originals(data: Path) -> list[dict]:
    """[{id, story, dataset, title, paragraphs}] for every usable original article."""
    out: list[dict] = []
    with open(data / "ecbplus" / "articles.jsonl", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            paras = [p for p in r["text"].split("\n") if p.strip()]
            out.append(
                {"id": "ecb:" + r["id"], "story": "ecb:" + r["gold_story"], "dataset": "ecbplus",
                 "title": r.get("title") or "", "paragraphs": paras}
            )
    for story in basil_stories(data):
        for art in story:
            out.append(
                {"id": f"basil:{art['story']}:{art['source']}", "story": "basil:" + art["story"],
                 "dataset": "basil", "title": art["title"], "paragraphs": [p for p in art["paragraphs"] if p.strip()]}
            )
    with open(data / "allsides" / "stories.jsonl", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            for side, n in (r.get("news") or {}).items():
                body = n.get("newBody") or []
                paras = body if isinstance(body, list) else str(body).split("\n")
                out.append(
                    {"id": f"allsides:{r['id']}:{side}", "story": f"allsides:{r['id']}", "dataset": "allsides",
                     "title": n.get("newsTitle") or "", "paragraphs": [str(p) for p in paras if str(p).strip()]}
                )
    seen: set[str] = set()
    usable = []
    for o in out:
        o["text"] = "\n\n".join(o["paragraphs"])
        if len(normalise_words(o["text"])) >= MIN_WORDS and o["id"] not in seen:
            seen.add(o["id"])
            usable.append(o)
    return usable


# --------------------------------------------------------------------------- gold and detectors


def verbatim_coverage(a: str, b: str) -> float:
    """Share of the shorter text's words in verbatim runs of >= GOLD_RUN words found in the other."""
    wa, wb = normalise_words(a), normalise_words(b)
    if len(wa) > len(wb):
        wa, wb = wb, wa
    if not wa:
        return 0.0
    sm = difflib.SequenceMatcher(None, wa, wb, autojunk=False)
    return sum(m.size for m in sm.get_matching_blocks() if m.size >= GOLD_RUN) / len(wa)


def detect_pairs(items: list[tuple[str, str]], params: NearDupParams) -> tuple[set[frozenset], float]:
    """Confirmed pairs from storyscope's index (items added in the given order), and seconds taken."""
    t0 = time.perf_counter()
    index = NearDupIndex(params)
    pairs = set()
    for key, text in items:
        for m in index.add(key, text):
            pairs.add(frozenset((m.key, key)))
    return pairs, time.perf_counter() - t0


def exact_pairs(items: list[tuple[str, str]]) -> set[frozenset]:
    buckets: dict[str, list[str]] = defaultdict(list)
    for key, text in items:
        buckets[hashlib.sha1(normalise_text(text).encode("utf-8")).hexdigest()].append(key)
    return {frozenset(p) for keys in buckets.values() for p in itertools.combinations(keys, 2)}


def prf(predicted: set, gold: set, universe_filter=None) -> dict:
    if universe_filter is not None:
        predicted = {p for p in predicted if universe_filter(p)}
    tp = len(predicted & gold)
    p = tp / len(predicted) if predicted else 1.0
    r = tp / len(gold) if gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "tp": tp, "fp": len(predicted) - tp, "fn": len(gold) - tp}


# --------------------------------------------------------------------------- part A


def real_pairs(originals: list[dict], params: NearDupParams) -> dict:
    by_story: dict[str, list[dict]] = defaultdict(list)
    for o in originals:
        by_story[o["story"]].append(o)
    shingled = {o["id"]: shingle_text(o["text"], params).full for o in originals}
    text = {o["id"]: o["text"] for o in originals}
    story = {o["id"]: o["story"] for o in originals}
    gold: set[frozenset] = set()
    n_pairs = 0
    per_dataset: Counter = Counter()
    exact_scores: list[tuple[float, float, bool]] = []  # (jaccard, containment, gold) of overlapping pairs
    for arts in by_story.values():
        for a, b in itertools.combinations(arts, 2):
            n_pairs += 1
            per_dataset[a["dataset"]] += 1
            # Pairs sharing under 15% of 5-shingles cannot have half their words in 8-word runs: skip difflib.
            jac, cont = compare_shingles(shingled[a["id"]], shingled[b["id"]])
            if cont < 0.15:
                continue
            is_copy = verbatim_coverage(a["text"], b["text"]) >= GOLD_COVERAGE
            exact_scores.append((jac, cont, is_copy))
            if is_copy:
                gold.add(frozenset((a["id"], b["id"])))
    # The confirmation rule alone (exhaustive exact comparison, no LSH) at other containment thresholds.
    sweep = []
    for min_cont in (0.5, 0.6, 0.7, 0.8):
        pred = [g for j, c, g in exact_scores if j >= params.min_jaccard or c >= min_cont]
        tp = sum(pred)
        sweep.append({"min_containment": min_cont, "predicted": len(pred), "tp": tp,
                      "precision": round(tp / len(pred), 4) if pred else 1.0,
                      "recall": round(tp / max(1, sum(g for *_, g in exact_scores)), 4)})
    items = [(o["id"], o["text"]) for o in originals]
    found, secs = detect_pairs(items, params)
    # A detected pair across stories is scored with the same gold rule (ECB+ topics hold two look-alike events).
    for pair in found:
        a, b = tuple(pair)
        if story[a] != story[b] and verbatim_coverage(text[a], text[b]) >= GOLD_COVERAGE:
            gold.add(pair)
    exact = exact_pairs(items)
    ds = {o["id"]: o["dataset"] for o in originals}
    out = {
        "articles": len(originals),
        "same_story_pairs": n_pairs,
        "same_story_pairs_by_dataset": dict(per_dataset),
        "gold_copy_pairs": len(gold),
        "gold_copy_pairs_by_dataset": dict(Counter(ds[next(iter(p))] for p in gold)),
        "storyscope": prf(found, gold),
        "exact_hash": prf(exact, gold),
        "storyscope_seconds": round(secs, 2),
        "exact_confirmation_sweep": sweep,
        "storyscope_false_positives": sorted(
            [sorted(p) + [round(verbatim_coverage(*(text[i] for i in sorted(p))), 3)] for p in found - gold]
        ),
        "storyscope_false_negatives": sorted(
            [sorted(p) + [round(compare_shingles(*(shingled[i] for i in sorted(p)))[1], 3)] for p in gold - found]
        ),
    }
    out["_gold"] = gold  # used by part B, removed before writing
    return out


# --------------------------------------------------------------------------- part B


def reprint(orig: dict, rng: random.Random, n: int) -> tuple[dict, list[str]]:
    """A lightly edited copy of ``orig`` and the edits applied."""
    edits = rng.sample(EDITS, rng.randint(1, 4))
    paras = list(orig["paragraphs"])
    title = orig["title"]
    for edit in edits:
        if edit == "headline":
            words = title.split() or ["Story"]
            rng.shuffle(words)
            title = "UPDATE: " + " ".join(words[: max(3, len(words) - 2)])
        elif edit == "trim" and len(paras) >= 3:
            del paras[-rng.randint(1, max(1, min(2, len(paras) // 4))) :]
        elif edit == "add_paragraph":
            local = rng.choice(LOCAL).format(place=rng.choice(PLACES))
            paras.insert(rng.randint(1, len(paras)), local)
        elif edit == "substitute":
            body = "\n\n".join(paras)
            done = 0
            for pattern, repl in rng.sample(SUBSTITUTIONS, len(SUBSTITUTIONS)):
                body, k = re.subn(pattern, repl, body, count=rng.randint(1, 2))
                done += k
                if done >= rng.randint(2, 5):
                    break
            paras = body.split("\n\n")
        elif edit == "cosmetic":
            body = "\n\n".join(paras)
            body = body.replace('"', "\u201c", 1).replace('"', "\u201d", 1).replace("'", "\u2019")
            body = re.sub(r"\. ", ".  ", body, count=3)
            paras = [p.strip() for p in body.split("\n\n")]
        elif edit == "credit":
            agency = rng.choice(AGENCIES)
            if rng.random() < 0.5:
                paras[0] = f"{rng.choice(PLACES).upper()} ({agency}) - {paras[0]}"
            else:
                paras.append(f"\u2014 {agency}")
    text = "\n\n".join(paras)
    return {"id": f"{orig['id']}#r{n}", "story": orig["story"], "of": orig["id"], "title": title,
            "text": text}, edits


def synthetic(originals: list[dict], real_gold: set[frozenset], params: NearDupParams, sample: int,
              seed: int) -> dict:
    rng = random.Random(seed)
    eligible = [o for o in originals if len(normalise_words(o["text"])) >= MIN_WORDS_REPRINTED]
    chosen = rng.sample(eligible, min(sample, len(eligible)))
    reprints: list[dict] = []
    edits_of: dict[str, list[str]] = {}
    for o in chosen:
        for n in range(rng.randint(1, 4)):
            r, edits = reprint(o, rng, n)
            reprints.append(r)
            edits_of[r["id"]] = edits
    items = [(o["id"], o["text"]) for o in originals] + [(r["id"], r["text"]) for r in reprints]
    rng.shuffle(items)
    found, secs = detect_pairs(items, params)
    exact = exact_pairs(items)

    origin = {o["id"]: o["id"] for o in originals} | {r["id"]: r["of"] for r in reprints}
    story = {o["id"]: o["story"] for o in originals} | {r["id"]: r["story"] for r in reprints}
    is_reprint = {r["id"] for r in reprints}
    # Gold: same original. Ambiguous (not scored): the originals are real copies of each other.
    gold = set()
    families: dict[str, list[str]] = defaultdict(list)
    for key, _ in items:
        families[origin[key]].append(key)
    for members in families.values():
        if len(members) > 1:
            gold |= {frozenset(p) for p in itertools.combinations(members, 2)}
    gold = {p for p in gold if p & is_reprint}

    def scored(pair: frozenset) -> bool:
        a, b = tuple(pair)
        if not (pair & is_reprint):
            return False  # original-original: part A
        oa, ob = origin[a], origin[b]
        return oa == ob or frozenset((oa, ob)) not in real_gold

    ambiguous = {p for p in found | exact if (p & is_reprint) and not scored(p)}
    hard = {p for p in found if scored(p) and p not in gold and len({story[i] for i in p}) == 1}
    by_edit = {}
    for edit in EDITS:
        pairs = {frozenset((r["id"], r["of"])) for r in reprints if edit in edits_of[r["id"]]}
        by_edit[edit] = {
            "pairs": len(pairs),
            "storyscope_recall": round(len(pairs & found) / len(pairs), 4) if pairs else None,
            "exact_hash_recall": round(len(pairs & exact) / len(pairs), 4) if pairs else None,
        }
    same_story_negatives = sum(
        1
        for r in reprints
        for o in originals
        if o["story"] == r["story"] and o["id"] != r["of"] and frozenset((r["of"], o["id"])) not in real_gold
    )
    return {
        "originals": len(originals),
        "reprinted_originals": len(chosen),
        "reprints": len(reprints),
        "gold_pairs": len(gold),
        "ambiguous_pairs_not_scored": len(ambiguous),
        "same_story_reprint_vs_other_original_pairs": same_story_negatives,
        "storyscope": prf(found, gold, scored),
        "exact_hash": prf(exact, gold, scored),
        "storyscope_same_story_false_positives": len(hard),
        "recall_by_edit": by_edit,
        "storyscope_seconds": round(secs, 2),
        "storyscope_ms_per_article": round(secs / len(items) * 1e3, 3),
    }


# --------------------------------------------------------------------------- part C


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def scale(originals: list[dict], params: NearDupParams, sizes: list[int], seed: int) -> list[dict]:
    split = re.compile(r"(?<=[.!?])\s+")
    sentences = [s for o in originals for p in o["paragraphs"] for s in split.split(p) if len(s.split()) >= 6]
    vocab = sorted({w for s in sentences[:5000] for w in s.split()})
    results = []
    for size in sizes:
        rng = random.Random(seed + size)
        index = NearDupIndex(params)
        made: list[str] = []
        planted = found_planted = 0
        t_shingle = t_add = 0.0
        tail_t = head_t = 0.0
        tail_n = min(1000, size)
        hashes: dict[str, list[int]] = {}
        t_exact = 0.0
        start_rss = rss_mb()
        wall = time.perf_counter()
        for i in range(size):
            if made and rng.random() < 0.1:
                base = made[rng.randrange(len(made))]
                paras = base.split("\n\n")
                if len(paras) > 2:
                    paras = paras[:-1]
                text = "\n\n".join(paras).replace(" said", " told reporters", 1)
                planted += 1
                want = True
            else:
                # Real sentences, 15% of words swapped: two articles that drew the same sentence share
                # about a third of its shingles, as two unrelated articles sharing a stock phrase would.
                words = " ".join(rng.sample(sentences, rng.randint(8, 20))).split()
                for j in range(len(words)):
                    if rng.random() < 0.15:
                        words[j] = rng.choice(vocab)
                text = "\n\n".join(" ".join(words[j : j + 60]) for j in range(0, len(words), 60))
                want = False
            made.append(text)
            # CPU time, not wall time: the machine is shared, and CPU time is what an article costs.
            t0 = time.process_time()
            sh = shingle_text(text, params)
            t1 = time.process_time()
            hits = index.add(i, shingled=sh)
            t2 = time.process_time()
            digest = hashlib.sha1(normalise_text(text).encode("utf-8")).hexdigest()
            hashes.setdefault(digest, []).append(i)
            t3 = time.process_time()
            t_shingle += t1 - t0
            t_add += t2 - t1
            t_exact += t3 - t2
            if i >= size - tail_n:
                tail_t += t2 - t0
            if i < tail_n:
                head_t += t2 - t0
            if want and hits:
                found_planted += 1
        wall = time.perf_counter() - wall
        row = {
            "articles": size,
            "shingle_ms_per_article": round(t_shingle / size * 1e3, 3),
            "minhash_lsh_add_ms_per_article": round(t_add / size * 1e3, 3),
            "total_ms_per_article": round((t_shingle + t_add) / size * 1e3, 3),
            "first_1000_ms_per_article": round(head_t / tail_n * 1e3, 3),
            "last_1000_ms_per_article": round(tail_t / tail_n * 1e3, 3),
            "lsh_candidates_per_article": round(index.candidates_checked / size, 2),
            "exact_hash_ms_per_article": round(t_exact / size * 1e3, 4),
            "planted_reprints": planted,
            "planted_found": found_planted,
            "index_seconds": round(t_shingle + t_add, 1),
            "wall_seconds_incl_generation": round(wall, 1),
            "peak_rss_growth_mb": round(rss_mb() - start_rss, 0),
        }
        print(f"  scale {size}: {row}", flush=True)
        results.append(row)
        del index, made, hashes
    return results


# --------------------------------------------------------------------------- main


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--sample", type=int, default=400, help="originals to reprint (part B)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--scale", default="10000,100000", help="corpus sizes for part C ('' to skip)")
    args = ap.parse_args()

    params = NearDupParams()
    originals = load_originals(args.data)
    print(f"{len(originals)} originals ({dict(Counter(o['dataset'] for o in originals))})", flush=True)

    a = real_pairs(originals, params)
    real_gold = a.pop("_gold")
    b = synthetic(originals, real_gold, params, args.sample, args.seed)
    sizes = [int(x) for x in args.scale.split(",") if x.strip()]
    c = scale(originals, params, sizes, args.seed) if sizes else []

    def row(name: str, m: dict) -> str:
        return f"| {name} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | {m['tp']} | {m['fp']} | {m['fn']} |"

    head = "| system | P | R | F1 | TP | FP | FN |\n|---|---|---|---|---|---|---|"
    print(f"\nA. real same-story pairs: {a['same_story_pairs']} pairs, {a['gold_copy_pairs']} real copies "
          f"(verbatim-run rule) {a['gold_copy_pairs_by_dataset']}")
    print(head)
    print(row("storyscope MinHash-LSH", a["storyscope"]))
    print(row("exact hash (sha1)", a["exact_hash"]))
    print("\nconfirmation rule alone (exhaustive, no LSH), Jaccard >= 0.5 or containment >= x:")
    print("| min containment | predicted | P | R |\n|---|---|---|---|")
    for r in a["exact_confirmation_sweep"]:
        print(f"| {r['min_containment']} | {r['predicted']} | {r['precision']:.3f} | {r['recall']:.3f} |")
    print(f"\nB. generated reprints: {b['reprints']} reprints of {b['reprinted_originals']} originals among "
          f"{b['originals']} originals; {b['gold_pairs']} gold pairs; {b['ambiguous_pairs_not_scored']} ambiguous "
          f"not scored; same-story false positives {b['storyscope_same_story_false_positives']}")
    print(head)
    print(row("storyscope MinHash-LSH", b["storyscope"]))
    print(row("exact hash (sha1)", b["exact_hash"]))
    print("\n| edit | pairs | storyscope R | exact-hash R |\n|---|---|---|---|")
    for edit, m in b["recall_by_edit"].items():
        print(f"| {edit} | {m['pairs']} | {m['storyscope_recall']} | {m['exact_hash_recall']} |")
    if c:
        print("\nC. cost per article (ms)\n| articles | shingle | MinHash+LSH add | total | first 1000 | last 1000 "
              "| candidates/article | exact hash | index s | planted found | RSS growth MB |\n"
              "|---|---|---|---|---|---|---|---|---|---|---|")
        for r in c:
            print(f"| {r['articles']} | {r['shingle_ms_per_article']} | {r['minhash_lsh_add_ms_per_article']} | "
                  f"{r['total_ms_per_article']} | {r['first_1000_ms_per_article']} | {r['last_1000_ms_per_article']} | "
                  f"{r['lsh_candidates_per_article']} | {r['exact_hash_ms_per_article']} | {r['index_seconds']} | "
                  f"{r['planted_found']}/{r['planted_reprints']} | {r['peak_rss_growth_mb']} |")
    path = write_result("copies", {"params": asdict(params), "gold_rule": {"run_words": GOLD_RUN,
                        "coverage": GOLD_COVERAGE}, "sample": args.sample, "seed": args.seed,
                        "real_pairs": a, "reprints": b, "scale": c})
    print(f"\nwrote {path}")


if __name__ == "__main__":
    main()
