"""storyscope: how different news outlets cover the same story, with evidence for every finding.

    >>> import storyscope
    >>> report = storyscope.compare(["examples/"])          # doctest: +SKIP
    >>> print(storyscope.render(report, "md"))              # doctest: +SKIP
"""

from __future__ import annotations

from storyscope.config import CompareConfig
from storyscope.errors import InputError, ModelUnavailableError, NoArticlesError, StoryscopeError
from storyscope.models import Models
from storyscope.pipeline import compare
from storyscope.records import SCHEMA_VERSION, Article, StoryReport

__version__ = "0.1.0"

__all__ = [
    "SCHEMA_VERSION",
    "Article",
    "CompareConfig",
    "InputError",
    "ModelUnavailableError",
    "Models",
    "NoArticlesError",
    "StoryReport",
    "StoryscopeError",
    "__version__",
    "compare",
    "render",
]


def render(report: StoryReport, fmt: str = "text") -> str:
    """The report as ``text`` (plain terminal), ``md``, ``json`` or ``html``."""
    from storyscope.render import render as _render

    return _render(report, fmt)
