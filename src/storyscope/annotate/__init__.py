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

from storyscope.annotate.language import is_english, with_language
from storyscope.annotate.quantities import extract_quantities, extract_quantities_foreign
from storyscope.annotate.quotes import extract_quotes
from storyscope.annotate.sentences import sentence_locator, split_sentences
from storyscope.annotate.times import extract_times, extract_times_foreign
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


#: Lower-case words allowed inside a name in Spanish, French and German ("Servicio Civil de Rescate").
# ("y", "et", "und" are not: "Kalvarro y Dunmere" is two names.)
_NAME_CONNECTORS = frozenset({"de", "del", "la", "las", "los", "du", "des", "le", "von", "vom", "zu", "zur", "der"})
_OPENERS = "\"'\u201c\u2018\u00ab\u201e\u2039("


def foreign_mentions(doc, sentences: Sequence[Sentence], article_id: str) -> tuple[Mention, ...]:
    """Names in a non-English text: spaCy's English NER spans, trimmed to capitalised words.

    The English model on Spanish tags phrases as names ("arrasó el" GPE, "pero el barro"
    PERSON). What survives here is a span's run of capitalised words (with name connectors such
    as "de"), not starting a sentence unless it is several words long: "Vestmar", "Ines Marlow",
    "Servicio Civil de Rescate de Vestmar". Its label is spaCy's guess; across a story the
    English articles' labels outvote it (compare.entities takes the majority), and names the
    English NER found elsewhere in the story are added by :func:`propagate_mentions`.
    """
    out = []
    sentence_at = sentence_locator(sentences)
    starts = {s.start for s in sentences}
    text = doc.text
    for ent in doc.ents:
        if ent.label_ not in _PROPAGATE_LABELS:
            continue
        words = list(re.finditer(r"[^\W\d_][\w'\u2019.-]*", ent.text))
        caps = [i for i, w in enumerate(words) if w.group()[0].isupper()]
        if not caps:
            continue
        run = words[caps[0] : caps[-1] + 1]
        if any(not w.group()[0].isupper() and w.group().lower() not in _NAME_CONNECTORS for w in run):
            continue
        start, end = ent.start_char + run[0].start(), ent.start_char + run[-1].end()
        name = text[start:end].rstrip(".")
        end = start + len(name)
        lead = text[max(0, start - 3) : start].strip(_OPENERS + " ")
        at_start = start in starts or not lead or lead[-1] in ".!?:\n"
        if len(name) < 2 or (at_start and len(run) == 1) or name.isupper() and len(run) == 1 and len(name) > 4:
            continue  # one capitalised word opening a sentence ("Estamos"), or a dateline in capitals
        out.append(Mention(article_id, sentence_at(start), start, end, name, ent.label_))
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


def lead_descriptors(doc, sentences: Sequence[Sentence]) -> tuple[str, ...]:
    """Adjectives and adverbs of the first sentence (framing's "lead" view reads only these)."""
    if not sentences:
        return ()
    end = sentences[0].end
    return tuple(
        dict.fromkeys(t.lower_ for t in doc if t.idx < end and t.pos_ in ("ADJ", "ADV") and t.is_alpha)
    )


def annotate_articles(
    articles: Sequence[Article],
    dropped: Mapping[str, tuple[DroppedLine, ...]],
    models: Models,
    config: CompareConfig,
    *,
    sentences: Sequence[tuple[Sentence, ...] | None] | None = None,
) -> tuple[list[AnnotatedArticle], list[Failure]]:
    """Annotate every article; one that fails is reported and the rest go on.

    ``sentences[i]``, when given and not None, is article i's :func:`split_sentences` already
    done (the pipeline splits first, to embed the sentences while spaCy parses).
    """
    nlp = models.nlp
    out: list[AnnotatedArticle] = []
    failures: list[Failure] = []
    # Language first (a given one is kept): it decides which annotators read the article.
    articles = [with_language(a) for a in articles]
    split = list(sentences) if sentences is not None else [None] * len(articles)
    docs = nlp.pipe([a.text for a in articles], batch_size=16)
    for art, doc, given in zip(articles, docs, split, strict=True):
        try:
            sents = given if given is not None else split_sentences(art.text, art.id)
            if is_english(art.language):
                mentions = entity_mentions(doc, sents, art.id)
                # doc.text is art.text (spaCy keeps every character); passing it saves rebuilding it.
                quotes = extract_quotes(doc, sents, art.id, text=art.text)
                times = extract_times(art.text, sents, art.published, art.id)
                quantities = extract_quantities(doc, sents, art.id, text=art.text)
                descriptors = lead_descriptors(doc, sents)
            else:
                # English rules misread other languages (a parse of Spanish finds no speech verbs,
                # "mar" is not March): language-neutral names, dates and numbers instead; quotes
                # are left to the English-only extractor, so none are claimed here.
                mentions = foreign_mentions(doc, sents, art.id)
                quotes = ()
                times = extract_times_foreign(art.text, sents, art.published, art.id, art.language or "")
                quantities = extract_quantities_foreign(art.text, sents, art.id, art.language or "")
                descriptors = ()  # the English tagger's adjectives of another language mean nothing
            out.append(
                AnnotatedArticle(
                    article=art,
                    sentences=sents,
                    mentions=mentions,
                    quotes=quotes,
                    times=times,
                    quantities=quantities,
                    dropped=tuple(dropped.get(art.id, ())),
                    lead_descriptors=descriptors,
                )
            )
        except Exception as exc:  # noqa: BLE001 - one bad article must not stop the story
            failures.append(Failure(art.origin or art.id, "annotate", f"{type(exc).__name__}: {exc}", art.id))
    return propagate_mentions(out), failures
