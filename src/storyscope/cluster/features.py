"""What clustering knows about an article: a text embedding, its proper names and its date.

Names are capitalised words that do not start a sentence, plus numbers: a cheap,
language-agnostic stand-in for named entities that runs at corpus speed (spaCy's NER
is ~25 articles/s on two cores; this is thousands). Two reports of the same kind of
event (two earthquakes, two rehab stays) read alike to an embedding; the names and
numbers (who, where, how many) are what tell them apart.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from storyscope.models import Embedder
from storyscope.records import Article

# Capitalised function words, weekdays and months are not names; "#" marks numbers.
_NOT_NAMES = frozenset(
    [
        "the",
        "a",
        "an",
        "in",
        "on",
        "at",
        "of",
        "for",
        "to",
        "and",
        "or",
        "but",
        "nor",
        "so",
        "yet",
        "he",
        "she",
        "it",
        "they",
        "we",
        "i",
        "you",
        "his",
        "her",
        "its",
        "their",
        "our",
        "my",
        "your",
        "this",
        "that",
        "these",
        "those",
        "there",
        "here",
        "after",
        "before",
        "when",
        "while",
        "as",
        "if",
        "then",
        "than",
        "mr",
        "mrs",
        "ms",
        "dr",
        "mr.",
        "by",
        "with",
        "from",
        "into",
        "over",
        "under",
        "about",
        "against",
        "between",
        "during",
        "without",
        "within",
        "also",
        "not",
        "no",
        "yes",
        "new",
        "one",
        "two",
        "three",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "said",
        "says",
        "according",
        "updated",
        "read",
        "more",
        "photo",
    ]
)
_TOKEN = re.compile(r"[^\W\d_][\w'’-]*|\d[\d,.]*\d|\d|[.!?:]")
_POSSESSIVE = re.compile(r"['’]s$")
#: Characters of title + lead that are embedded (MiniLM reads at most 128 tokens anyway).
LEAD_CHARS = 600


@dataclass(frozen=True, slots=True)
class ArticleFeatures:
    rowid: int
    vector: np.ndarray  # unit-length embedding of title + lead
    names: Mapping[str, int]  # name or "#number" -> count
    published: dt.date | None


def extract_names(text: str) -> dict[str, int]:
    """Proper names (lower-cased) and numbers of a text, with counts."""
    out: Counter[str] = Counter()
    for line in text.splitlines():
        start = True
        for tok in _TOKEN.findall(line):
            if tok in ".!?:":
                start = True
                continue
            if tok[0].isdigit():
                out["#" + tok.replace(",", "")] += 1
            elif tok[0].isupper() and not start:
                key = _POSSESSIVE.sub("", tok.lower())
                if key not in _NOT_NAMES and len(key) > 1:
                    out[key] += 1
            start = False
    return dict(out)


def lead_text(article: Article) -> str:
    """Title and opening of the body: what the story is about, as the embedding sees it."""
    body = " ".join(article.text.split())
    head = f"{article.title}. {body}" if article.title else body
    return head[:LEAD_CHARS]


def embed_leads(articles: Sequence[Article], embedder: Embedder) -> np.ndarray:
    vecs = np.asarray(embedder.encode([lead_text(a) for a in articles]), dtype=np.float32)
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    return vecs / np.where(norms == 0, 1, norms)


def idf(df: int, n_docs: int) -> float:
    return math.log((n_docs + 1) / (df + 1)) + 1.0


def name_vector(names: Mapping[str, int], df: Mapping[str, int], n_docs: int) -> dict[str, float]:
    """Sublinear tf x idf weights, unit length, over an article's names."""
    vec = {n: (1.0 + math.log(c)) * idf(df.get(n, 1), n_docs) for n, c in names.items()}
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {n: v / norm for n, v in vec.items()}


def sparse_cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(n, 0.0) for n, v in a.items())
