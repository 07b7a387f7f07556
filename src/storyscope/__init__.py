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
from storyscope.render import render

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

