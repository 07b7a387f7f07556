"""Drop what is not reporting (stub: being written)."""

from __future__ import annotations

from storyscope.records import Article, DroppedLine


def clean_article(article: Article) -> tuple[Article, tuple[DroppedLine, ...]]:
    return article, ()
