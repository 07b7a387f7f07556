"""Quote attribution (who said what) on PolNeAR, storyscope vs textacy side by side.

Data: PolNeAR v1.0 (Newell, Margolin & Ruths, LREC 2018), brat standoff, read from
``<data>/polnear/<split>/``. Several annotators may annotate one article; we use the
**first annotator file per article** (sorted by file name), so each article counts once.

Gold: every ``E`` attribution with a Content span (``Content2`` is joined to it; a
discontinuous content, e.g. a split quote, is one gold item).

Matching, for both systems, one-to-one and greedy by best overlap:
- words are ``\\w+`` runs; content overlap is the Jaccard index of the *positions* of
  the words in the predicted and the gold content (quote marks and "that" hardly
  matter); a content match needs Jaccard >= 0.5;
- a (speaker, content) pair matches when the content matches AND the speaker
  matches: the predicted speaker mention overlaps the gold Source span, or the
  (resolved) speaker string shares a word of 3+ letters with the gold Source text;
- pair metric: gold = attributions with a Source span. A prediction whose content
  matches a source-less gold attribution is neither a true nor a false positive;
  a prediction without a speaker can never be a true positive;
- content metric: all gold attributions, content match only.

Before matching, predictions with the same speaker mention and cue (the parts of a
split quote, or of a quote running over paragraphs) are merged into one, as the gold
joins them; the same rule applies to textacy's triples.

Baseline: ``textacy.extract.triples.direct_quotations`` on the same spaCy docs; it
raises ValueError on an odd number of quote marks: that article gets no output and
is counted. Speed is extraction time only (the spaCy parse is shared and timed apart).

Run:  python bench/bench_quotes.py [--data DIR] [--split dev|train] [--out FILE]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WORD = re.compile(r"\w+")
JACCARD_MIN = 0.5


@dataclass
class Gold:
    words: frozenset[int]  # start offsets of the words of the content
    sources: tuple[tuple[int, int], ...]
    source_text: str


@dataclass
class Pred:
    words: frozenset[int]
    speaker_span: tuple[int, int] | None
    speaker: str | None


def word_starts(text: str, spans) -> frozenset[int]:
    out: set[int] = set()
    for s, e in spans:
        out.update(m.start() + s for m in WORD.finditer(text[s:e]))
    return frozenset(out)


def read_ann(path: Path, text: str) -> list[Gold]:
    spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        if re.fullmatch(r"T\d+", parts[0]):
            label, _, offs = parts[1].partition(" ")
            try:
                segs = [tuple(int(x) for x in seg.split()) for seg in offs.split(";")]
            except ValueError:
                continue
            spans[parts[0]] = (label, [(s, e) for s, e in segs])
        elif re.fullmatch(r"E\d+", parts[0]):
            events.append(dict(kv.split(":", 1) for kv in parts[1].split() if ":" in kv))
    out = []
    for ev in events:
        content = [
            sp
            for role in ("Content", "Content2")
            if role in ev and ev[role] in spans
            for sp in spans[ev[role]][1]
        ]
        if not content:
            continue
        src = spans[ev["Source"]][1] if "Source" in ev and ev["Source"] in spans else []
        out.append(Gold(word_starts(text, content), tuple(src), " ".join(text[s:e] for s, e in src)))
    return out


def load_split(root: Path) -> list[tuple[str, str, list[Gold]]]:
    anns: dict[str, Path] = {}
    for p in sorted((root / "attributions").glob("*.ann")):
        article = p.stem.rsplit("_", 1)[0]
        anns.setdefault(article, p)  # first annotator file per article
    out = []
    for article, ann in sorted(anns.items()):
        text = (root / "text" / f"{article}.txt").read_text(encoding="utf-8")
        out.append((article, text, read_ann(ann, text)))
    return out


def _words_of(name: str | None) -> set[str]:
    return {w.lower() for w in WORD.findall(name or "") if len(w) >= 3}


def speaker_ok(p: Pred, g: Gold) -> bool:
    if not g.sources:
        return False
    if p.speaker_span and any(p.speaker_span[0] < e and s < p.speaker_span[1] for s, e in g.sources):
        return True
    return bool(_words_of(p.speaker) & _words_of(g.source_text))


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def match(preds: list[Pred], golds: list[Gold], pair: bool) -> tuple[int, int, int]:
    """(true positives, predictions counted, gold counted) for one article."""
    cands = []
    for i, p in enumerate(preds):
        for j, g in enumerate(golds):
            jac = jaccard(p.words, g.words)
            if jac >= JACCARD_MIN:
                cands.append((jac, i, j))
    cands.sort(reverse=True)
    used_p: set[int] = set()
    used_g: set[int] = set()
    tp = ignored = 0
    for _jac, i, j in cands:
        if i in used_p or j in used_g:
            continue
        g = golds[j]
        if pair and not g.sources:
            used_p.add(i)
            used_g.add(j)
            ignored += 1
            continue
        if pair and not speaker_ok(preds[i], g):
            continue
        used_p.add(i)
        used_g.add(j)
        tp += 1
    n_gold = sum(1 for g in golds if g.sources) if pair else len(golds)
    return tp, len(preds) - ignored, n_gold


def merge(items: list[tuple[frozenset[int], tuple[int, int] | None, str | None, str | None]]) -> list[Pred]:
    """Join predictions with the same speaker mention and cue (split / multi-paragraph quotes)."""
    groups: dict[object, Pred] = {}
    out: list[Pred] = []
    for k, (words, span, speaker, cue) in enumerate(items):
        key = (span, cue) if span else ("solo", k)
        if key in groups:
            g = groups[key]
            g.words = g.words | words
        else:
            groups[key] = Pred(words, span, speaker)
            out.append(groups[key])
    return out


def storyscope_preds(quotes, text: str, kinds: set[str]) -> list[Pred]:
    return merge(
        [
            (
                word_starts(text, [(q.start, q.end)]),
                (q.speaker_start, q.speaker_end) if q.speaker_start is not None else None,
                q.speaker,
                f"{q.kind}:{q.cue}",
            )
            for q in quotes
            if q.kind in kinds
        ]
    )


def textacy_preds(triples, text: str) -> list[Pred]:
    items = []
    for t in triples:
        content = (t.content[0].idx, t.content[-1].idx + len(t.content[-1]))
        sp = (min(x.idx for x in t.speaker), max(x.idx + len(x) for x in t.speaker))
        cue = " ".join(x.text for x in t.cue) + str(min(x.i for x in t.cue))
        items.append((word_starts(text, [content]), sp, " ".join(x.text for x in t.speaker), cue))
    return merge(items)


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(f, 4),
        "tp": tp,
        "pred": n_pred,
        "gold": n_gold,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--split", default="dev", choices=["dev", "train"])
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "quotes.json")
    ap.add_argument("--limit", type=int, default=0, help="only the first N articles (quick runs)")
    args = ap.parse_args(argv)

    root = args.data / "polnear" / args.split
    if not (root / "attributions").is_dir():
        print(f"PolNeAR not found at {root}; pass --data DIR (the folder holding polnear/)", file=sys.stderr)
        return 2
    from textacy.extract.triples import direct_quotations

    from storyscope.annotate.quotes import extract_quotes
    from storyscope.annotate.sentences import split_sentences
    from storyscope.models import load_spacy

    data = load_split(root)
    if args.limit:
        data = data[: args.limit]
    digest = hashlib.sha256()
    for article, text, _g in data:
        digest.update(article.encode())
        digest.update(text.encode())

    nlp = load_spacy()
    t0 = time.perf_counter()
    docs = list(nlp.pipe([text for _a, text, _g in data], batch_size=16))
    parse_s = time.perf_counter() - t0
    sents = [split_sentences(text, a) for a, text, _g in data]

    systems = {
        "storyscope (direct+indirect)": ("storyscope", {"direct", "indirect"}),
        "storyscope (direct only)": ("storyscope", {"direct"}),
        "textacy direct_quotations": ("textacy", None),
    }
    ours_s = textacy_s = 0.0
    ours_out, textacy_out, textacy_errors = [], [], 0
    for (article, _text, _g), doc, ss in zip(data, docs, sents, strict=True):
        t = time.perf_counter()
        ours_out.append(extract_quotes(doc, ss, article))
        ours_s += time.perf_counter() - t
        t = time.perf_counter()
        try:
            textacy_out.append(list(direct_quotations(doc)))
        except ValueError:
            textacy_out.append([])
            textacy_errors += 1
        textacy_s += time.perf_counter() - t

    results: dict[str, dict] = {}
    for name, (which, kinds) in systems.items():
        totals = {"pair": [0, 0, 0], "content": [0, 0, 0]}
        for k, (_a, text, golds) in enumerate(data):
            if which == "storyscope":
                preds = storyscope_preds(ours_out[k], text, kinds)
            else:
                preds = textacy_preds(textacy_out[k], text)
            for metric, pair in (("pair", True), ("content", False)):
                tp, npred, ngold = match(preds, golds, pair)
                acc = totals[metric]
                acc[0] += tp
                acc[1] += npred
                acc[2] += ngold
        results[name] = {m: prf(*v) for m, v in totals.items()}

    n = len(data)
    speed = {
        "storyscope_articles_per_s": round(n / ours_s, 1) if ours_s else None,
        "storyscope_ms_per_article": round(1000 * ours_s / n, 2) if n else None,
        "textacy_articles_per_s": round(n / textacy_s, 1) if textacy_s else None,
        "textacy_ms_per_article": round(1000 * textacy_s / n, 2) if n else None,
        "spacy_parse_ms_per_article": round(1000 * parse_s / n, 1) if n else None,
    }
    n_gold = sum(len(g) for _a, _t, g in data)
    n_src = sum(1 for _a, _t, gs in data for g in gs if g.sources)
    print(f"PolNeAR {args.split}: {n} articles, {n_gold} gold attributions ({n_src} with a Source)")
    print(
        f"textacy raised ValueError (odd quote marks) on {textacy_errors}/{n} articles -> no output there\n"
    )
    head = f"{'system':32} {'pair P':>7} {'pair R':>7} {'pair F1':>7}   {'cont P':>7} {'cont R':>7} {'cont F1':>7}"
    print(head)
    print("-" * len(head))
    for name, r in results.items():
        p, c = r["pair"], r["content"]
        print(
            f"{name:32} {p['precision']:7.3f} {p['recall']:7.3f} {p['f1']:7.3f}   "
            f"{c['precision']:7.3f} {c['recall']:7.3f} {c['f1']:7.3f}"
        )
    print(
        f"\nspeed (extraction only): storyscope {speed['storyscope_articles_per_s']} articles/s "
        f"({speed['storyscope_ms_per_article']} ms/article), textacy {speed['textacy_articles_per_s']} articles/s "
        f"({speed['textacy_ms_per_article']} ms/article); shared spaCy parse {speed['spacy_parse_ms_per_article']} ms/article"
    )

    report = {
        "benchmark": "quotes",
        "dataset": f"PolNeAR v1.0 {args.split} (first annotator file per article)",
        "data_sha256": digest.hexdigest(),
        "articles": n,
        "gold_attributions": n_gold,
        "gold_with_source": n_src,
        "matching": "content word-position Jaccard >= 0.5; speaker: span overlap or shared word (3+ letters)",
        "results": results,
        "textacy_value_errors": textacy_errors,
        "speed": speed,
        "machine": {
            "platform": platform.platform(),
            "cpu_count": os.cpu_count(),
            "python": sys.version.split()[0],
        },
        "date": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
