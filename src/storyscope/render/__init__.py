"""Render a StoryReport as text, Markdown, JSON or one self-contained HTML file (stub: being written)."""

from __future__ import annotations

import json

from storyscope.records import StoryReport

FORMATS = ("text", "md", "json", "html")


def render(report: StoryReport, fmt: str = "text") -> str:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return json.dumps({"schema_version": report.schema_version, "facts": len(report.facts)})
