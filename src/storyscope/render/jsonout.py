"""The report as versioned JSON (layout documented in docs/SCHEMA.md, checked by
docs/storyscope-report.schema.json).

Every evidence object carries the cited ``text`` next to its offsets so a
consumer never has to slice articles itself, yet can verify the slice. Keys are
written in a fixed order and lists keep the report's order, so the same report
always gives byte-identical JSON (apart from ``generated``).
"""

from __future__ import annotations

import json
from typing import Any

from storyscope.compare.versions import version_notes
from storyscope.records import (
    SCHEMA_VERSION,
    AnnotatedArticle,
    Conflict,
    CopyGroup,
    Entity,
    Evidence,
    Fact,
    FramingItem,
    LedgerEntry,
    Quote,
    QuoteGroup,
    StoryReport,
    SummarySentence,
    TimelineEvent,
    VersionChain,
)
from storyscope.render._view import ReportView, finite, fmt_date

Json = dict[str, Any]


def report_to_dict(report: StoryReport) -> Json:
    """Plain ``dict``/``list``/``str``/number data, ready for ``json.dumps``."""
    v = ReportView(report)
    return {
        "schema_version": SCHEMA_VERSION,
        "generated": report.generated or None,
        "sources": list(report.sources),
        "articles": [_article(v, a) for a in report.articles],
        "entities": [_entity(v, e) for e in report.entities],
        "facts": [_fact(v, f) for f in report.facts],
        "omissions": [
            {
                "source": o.source,
                "article_ids": list(o.article_ids),
                "fact_id": o.fact_id,
                "reported_by": list(o.reported_by),
            }
            for o in report.omissions
        ],
        "conflicts": [_conflict(v, c) for c in report.conflicts],
        "copies": [_copy_group(v, g) for g in report.copies],
        "versions": [_version_chain(v, c) for c in report.versions],
        "quote_groups": [_quote_group(v, g) for g in report.quote_groups],
        "quote_ledger": [_ledger_entry(v, e) for e in report.quote_ledger],
        "framing": [_framing(v, f) for f in report.framing],
        "timeline": [_timeline(v, t) for t in report.timeline],
        "summary": [_summary(v, s) for s in report.summary],
        "failures": [
            {"origin": f.origin, "stage": f.stage, "reason": f.reason, "article_id": f.article_id}
            for f in report.failures
        ],
        "notices": [
            {"code": n.code, "message": n.message, "article_ids": list(n.article_ids)} for n in report.notices
        ],
    }


def render_json(report: StoryReport) -> str:
    # allow_nan=False: a stray NaN must fail here, not produce JSON other parsers reject.
    return json.dumps(report_to_dict(report), ensure_ascii=False, indent=2, allow_nan=False) + "\n"


# --------------------------------------------------------------------------- pieces


def _evidence(v: ReportView, ev: Evidence) -> Json:
    return {
        "article_id": ev.article_id,
        "sentence_index": ev.sentence_index,
        "start": ev.start,
        "end": ev.end,
        "text": v.cite(ev),
    }


def _evidences(v: ReportView, evs: tuple[Evidence, ...]) -> list[Json]:
    return [_evidence(v, ev) for ev in evs]


def _quote_fields(q: Quote) -> Json:
    return {
        "content": q.content,
        "kind": q.kind,
        "speaker": q.speaker,
        "speaker_text": q.speaker_text,
        "speaker_start": q.speaker_start,
        "speaker_end": q.speaker_end,
        "cue": q.cue,
    }


def _article_quote(text: str, q: Quote) -> Json:
    """A quote inside its article: offsets plus the verbatim slice, like every other span."""
    return {
        "sentence_index": q.sentence_index,
        "start": q.start,
        "end": q.end,
        "text": text[max(0, q.start) : max(0, q.end)],
        **_quote_fields(q),
    }


def _article(v: ReportView, a: AnnotatedArticle) -> Json:
    art = a.article
    return {
        "id": art.id,
        "number": v.number(art.id),
        "source": art.source,
        "title": art.title,
        "published": art.published.isoformat() if art.published else None,
        "language": art.language,  # ISO 639-1, detected when the input did not say; null if unsure
        "url": art.url,
        "origin": art.origin,
        "text": art.text,
        "sentences": [{"index": s.index, "start": s.start, "end": s.end} for s in a.sentences],
        "mentions": [
            {
                "sentence_index": m.sentence_index,
                "start": m.start,
                "end": m.end,
                "text": m.text,
                "label": m.label,
            }
            for m in a.mentions
        ],
        "quotes": [_article_quote(art.text, q) for q in a.quotes],
        "times": [
            {
                "sentence_index": t.sentence_index,
                "start": t.start,
                "end": t.end,
                "text": t.text,
                "date": t.date.isoformat(),
                "granularity": t.granularity,
            }
            for t in a.times
        ],
        "quantities": [
            {
                "sentence_index": q.sentence_index,
                "start": q.start,
                "end": q.end,
                "text": q.text,
                "value": finite(q.value),
                "unit": q.unit,
                "dimension": q.dimension,
            }
            for q in a.quantities
        ],
        "dropped": [{"line_index": d.line_index, "text": d.text, "reason": d.reason} for d in a.dropped],
    }


def _entity(v: ReportView, e: Entity) -> Json:
    return {
        "id": e.id,
        "label": e.label,
        "name": e.name,
        "aliases": list(e.aliases),
        "names": [
            {"source": n.source, "name": n.name, "evidence": _evidences(v, n.evidence)} for n in e.names
        ],
    }


def _fact(v: ReportView, f: Fact) -> Json:
    return {
        "id": f.id,
        "text": f.text,
        "coverage": f.coverage,
        "sources": list(f.sources),
        # Each wire copy group counted once; equal to "sources" when no copies were found.
        "independent_sources": list(f.independent_sources or f.sources),
        "missing_sources": list(v.missing_sources(f)),
        "evidence": _evidences(v, f.evidence),
    }


def _copy_group(v: ReportView, g: CopyGroup) -> Json:
    return {
        "id": g.id,
        "article_ids": list(g.article_ids),
        "article_numbers": [n for aid in g.article_ids if (n := v.number(aid)) is not None],
        "sources": list(g.sources),
        "similarity": finite(g.similarity),
        "credited": g.credited,
    }


def _conflict(v: ReportView, c: Conflict) -> Json:
    return {
        "id": c.id,
        "kind": c.kind,
        "fact_id": c.fact_id,
        "description": c.description,
        "sides": [
            {"value": s.value, "sources": list(s.sources), "evidence": _evidences(v, s.evidence)}
            for s in c.sides
        ],
        "status": c.status,
        "resolved_by": _evidence(v, c.resolved_by) if c.resolved_by is not None else None,
    }


def _version_chain(v: ReportView, c: VersionChain) -> Json:
    return {
        "source": c.source,
        "article_ids": list(c.article_ids),
        "correction": c.correction,
        "notes": version_notes(v.report.articles, c),
        "changes": [
            {
                "kind": ch.kind,
                "before": _evidence(v, ch.before) if ch.before is not None else None,
                "after": _evidence(v, ch.after) if ch.after is not None else None,
                "note": ch.note,
            }
            for ch in c.changes
        ],
    }


def _quote_group(v: ReportView, g: QuoteGroup) -> Json:
    quotes = [
        {
            "article_id": q.article_id,
            "source": v.source(q.article_id),
            **_quote_fields(q),
            "evidence": _evidence(v, Evidence(q.article_id, q.sentence_index, q.start, q.end)),
        }
        for q in g.quotes
    ]
    return {
        "id": g.id,
        "speaker": g.speaker,
        "content": g.content,
        "sources": list(g.sources),
        "quotes": quotes,
    }


def _ledger_entry(v: ReportView, e: LedgerEntry) -> Json:
    return {
        "id": e.id,
        "speaker": e.speaker,
        "reference": e.reference,
        "sources": sorted({q.source for q in e.versions}),
        "versions": [
            {
                "source": q.source,
                "article_id": q.article_id,
                "kind": q.kind,
                "quote_kind": q.quote_kind,
                "speaker": q.speaker,
                "content": q.content,
                "changed": [{"reference": a, "version": b} for a, b in q.changed],
                "paraphrase_as_direct": q.paraphrase_as_direct,
                "evidence": _evidence(v, q.evidence),
            }
            for q in e.versions
        ],
    }


def _framing(v: ReportView, f: FramingItem) -> Json:
    return {
        "kind": f.kind,
        "target": f.target,
        "terms": [{"source": source, "terms": list(terms)} for source, terms in f.terms],
        "evidence": _evidences(v, f.evidence),
    }


def _timeline(v: ReportView, t: TimelineEvent) -> Json:
    return {
        "date": t.date.isoformat(),
        "granularity": t.granularity,
        "label": fmt_date(t.date, t.granularity),
        "text": t.text,
        "article_ids": list(t.article_ids),
        "evidence": _evidences(v, t.evidence),
    }


def _summary(v: ReportView, s: SummarySentence) -> Json:
    return {
        "text": s.text,
        "fact_id": s.fact_id,
        "article_numbers": v.article_numbers(s.citations),
        "citations": _evidences(v, s.citations),
    }
