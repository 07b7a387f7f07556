"""Render a StoryReport as terminal text, Markdown, JSON or one self-contained HTML page.

Renderers only present what the report holds; none re-derives a finding. The
JSON layout is versioned (``schema_version``) and documented in docs/SCHEMA.md.
Each renderer is imported when first used, so ``from storyscope.render import
FORMATS`` (the CLI's argument parser) stays cheap.
"""

from __future__ import annotations

from importlib import import_module

from storyscope.records import StoryReport
from storyscope.render.jsonout import report_to_dict

FORMATS = ("text", "md", "json", "html")

# format -> (module, function); kept in step with FORMATS by tests/test_render.py.
_RENDERERS: dict[str, tuple[str, str]] = {
    "text": ("storyscope.render.text", "render_text"),
    "md": ("storyscope.render.markdown", "render_markdown"),
    "json": ("storyscope.render.jsonout", "render_json"),
    "html": ("storyscope.render.html", "render_html"),
}

__all__ = ["FORMATS", "render", "report_to_dict"]


def render(report: StoryReport, fmt: str = "text") -> str:
    """The report in ``fmt`` (one of :data:`FORMATS`) as a string."""
    target = _RENDERERS.get(fmt)
    if target is None:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    module, name = target
    return getattr(import_module(module), name)(report)
