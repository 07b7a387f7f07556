"""Annotate each cleaned article: sentences, named entities, quotes, dates, quantities.

spaCy runs once per article over the whole cleaned text, so every span it gives
is already an offset into ``article.text``; each finding is then tied to the
sentence that contains it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace

from storyscope.annotate.quantities import extract_quantities
from storyscope.annotate.quotes import extract_quotes
from storyscope.annotate.sentences import sentence_locator, split_sentences
from storyscope.annotate.times import extract_times
from storyscope.config import CompareConfig
from storyscope.models import Models
from storyscope.records import AnnotatedArticle, Article, DroppedLine, Failure, Mention, Sentence

#: spaCy entity labels kept as named entities (numbers and dates are handled by their own stages).
ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART"})


def entity_mentions(doc, sentences: Sequence[Sentence], article_id: str) -> tuple[Mention, ...]:
    out = []
    sentence_at = sentence_locator(sentences)
    for ent in doc.ents:
        if ent.label_ not in ENTITY_LABELS:
            continue
        text = ent.text.strip()
        if not text or not any(c.isalpha() for c in text):
            continue
        # spaCy often includes a leading "the" or a possessive: keep the name itself.
        start, end = ent.start_char, ent.end_char
        for prefix in ("the ", "The "):
            if text.startswith(prefix):
                start += len(prefix)
                text = text[len(prefix) :]
        for suffix in ("'s", "\u2019s"):
            if text.endswith(suffix):
                end -= len(suffix)
                text = text[: -len(suffix)]
        out.append(Mention(article_id, sentence_at(start), start, end, text, ent.label_))
    return tuple(out)


#: Labels trusted enough to propagate a name to its other occurrences.
_PROPAGATE_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"})


def propagate_mentions(annotated: Sequence[AnnotatedArticle]) -> list[AnnotatedArticle]:
    """Add the mentions NER missed: every name recognised once in the story, found again elsewhere.

    The small spaCy model tags an unfamiliar name in one sentence and misses it in the
    next ("Governor Ines Marlow" ... "Marlow said"), and which sentences it misses differs
    by outlet, which would show up as false omissions and missing aliases. A person's
    surname is propagated too (it is how later references name them).
    """
    labels: dict[str, Counter] = {}
    for a in annotated:
        for m in a.mentions:
            if m.label in _PROPAGATE_LABELS and m.text[:1].isupper() and len(m.text) >= 3:
                labels.setdefault(m.text, Counter())[m.label] += 1
                parts = m.text.split()
                if m.label == "PERSON" and len(parts) > 1 and len(parts[-1]) >= 4 and parts[-1][0].isupper():
                    labels.setdefault(parts[-1], Counter())["PERSON"] += 1
    if not labels:
        return list(annotated)
    label_of = {name: c.most_common(1)[0][0] for name, c in labels.items()}
    pattern = re.compile(
        r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in sorted(label_of, key=len, reverse=True)) + r")(?![\w-])"
    )
    out = []
    for a in annotated:
        taken = [(m.start, m.end) for m in a.mentions]
        sentence_at = sentence_locator(a.sentences)
        extra = []
        for hit in pattern.finditer(a.article.text):
            s, e = hit.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            extra.append(Mention(a.id, sentence_at(s), s, e, hit.group(0), label_of[hit.group(0)]))
            taken.append((s, e))
        if extra:
            a = replace(a, mentions=tuple(sorted((*a.mentions, *extra), key=lambda m: m.start)))
        out.append(a)
    return out


def annotate_articles(
    articles: Sequence[Article],
    dropped: Mapping[str, tuple[DroppedLine, ...]],
    models: Models,
    config: CompareConfig,
) -> tuple[list[AnnotatedArticle], list[Failure]]:
    """Annotate every article; one that fails is reported and the rest go on."""
    nlp = models.nlp
    out: list[AnnotatedArticle] = []
    failures: list[Failure] = []
    docs = nlp.pipe([a.text for a in articles], batch_size=16)
    for art, doc in zip(articles, docs, strict=True):
        try:
            sents = split_sentences(art.text, art.id)
            out.append(
                AnnotatedArticle(
                    article=art,
                    sentences=sents,
                    mentions=entity_mentions(doc, sents, art.id),
                    quotes=extract_quotes(doc, sents, art.id),
                    times=extract_times(art.text, sents, art.published, art.id),
                    quantities=extract_quantities(doc, sents, art.id),
                    dropped=tuple(dropped.get(art.id, ())),
                )
            )
        except Exception as exc:  # noqa: BLE001 - one bad article must not stop the story
            failures.append(Failure(art.origin or art.id, "annotate", f"{type(exc).__name__}: {exc}", art.id))
    return propagate_mentions(out), failures
