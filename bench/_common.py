"""Helpers shared by the bench scripts: machine description, result files and the BASIL reader."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
DATA = ROOT.parent / "shared" / "data"


def machine() -> dict:
    return {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "python": sys.version.split()[0],
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def write_result(name: str, payload: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps({"machine": machine(), **payload}, indent=2) + "\n", encoding="utf-8")
    return path


def basil_stories(data: Path = DATA) -> list[list[dict]]:
    """BASIL triplets (Fan et al., EMNLP 2019) as stories: per story, its articles as dicts with
    ``story`` (the triplet's id), ``uuid``, ``source``, ``title``, ``published`` and ``paragraphs``
    (each body paragraph as one string; the data stores some as lists of sentences)."""
    stories = []
    with open(data / "basil" / "triplets.jsonl", encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            row = json.loads(line)
            story = []
            for item in row["articles"]:
                art = item["article"]
                story.append(
                    {
                        "story": str(row.get("id", n)),
                        "uuid": art.get("uuid"),
                        "source": art.get("source") or "unknown",
                        "title": art.get("title") or "",
                        "published": art.get("date"),
                        "paragraphs": [
                            " ".join(p) if isinstance(p, list) else str(p) for p in art.get("body-paragraphs") or []
                        ],
                    }
                )
            stories.append(story)
    return stories
