"""The FastAPI app: JSON under ``/api``, HTML pages at ``/`` and ``/stories/{id}``.

Routes are plain ``def`` functions, so FastAPI runs them in its thread pool: NLP work
(compare, ingest, a report not yet cached) must not block the event loop. The
:class:`Corpus` is thread-safe (its store serialises access), so queries go straight
to it; everything that may run the shared spaCy/ONNX models (compare, ingest, computing
a report) takes one ``models_lock``, since spaCy does not promise thread safety and each
compare already uses every core. Story lists, search and cached reports and pages
therefore never wait for a compare running for someone else.

Decisions a client can rely on:
- ``POST /api/compare``: articles that cannot be used (too short, HTML without an
  article) are reported in the report's ``failures`` and the rest are compared; only
  when *none* is usable is the answer a 422 problem listing every failure.
- ``POST /api/articles``: 201 when an article was added, 200 when all were already
  stored, 422 when every article failed.
- Text fields are stored as sent, except lone UTF-16 surrogates (which cannot be
  encoded) become U+FFFD and NUL characters are dropped.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar
from urllib.parse import quote

from fastapi import FastAPI, Path, Query, Response
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from storyscope.config import CompareConfig
from storyscope.errors import NoArticlesError
from storyscope.records import IngestSummary, SearchHit, StoryInfo, StoryReport
from storyscope.serve.problems import (
    BodyLimitMiddleware,
    FailureOut,
    Problem,
    install_problem_handlers,
    problem_responses,
)

if TYPE_CHECKING:  # pragma: no cover
    from storyscope.corpus import Corpus
    from storyscope.models import Models

MAX_COMPARE_ARTICLES = 50
MAX_INGEST_ARTICLES = 500
MAX_TEXT_CHARS = 5_000_000
MAX_LIST_LIMIT = 500
MAX_SEARCH_LIMIT = 100
MAX_OFFSET = 1_000_000_000
MAX_QUERY_CHARS = 500
PAGE_CACHE_SIZE = 64

ReportFormat = Literal["json", "html", "md", "text"]
MEDIA_TYPES: dict[str, str] = {
    "json": "application/json",
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "text": "text/plain; charset=utf-8",
}

_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _sane(value: str) -> str:
    """Lone surrogates (valid in JSON escapes, unencodable in UTF-8) and NULs would break storage."""
    return _SURROGATE.sub("\ufffd", value).replace("\x00", "")


Text = Annotated[str, AfterValidator(_sane)]


# --------------------------------------------------------------------------- request and response models


def _require_text_or_html(schema: dict[str, Any]) -> None:
    schema["anyOf"] = [
        {"required": [name], "properties": {name: {"type": "string", "pattern": r"\S"}}}
        for name in ("text", "html")
    ]


class ArticleIn(BaseModel):
    """One article: plain ``text`` (paragraphs separated by blank lines) or the page's ``html``.

    Unknown fields are ignored, so scraped records can be posted as they are.
    """

    model_config = ConfigDict(json_schema_extra=_require_text_or_html)

    id: Text | None = Field(None, max_length=200, description="Your id; default: a hash of the URL or text.")
    source: Text | None = Field(None, max_length=300, description="The outlet; default: the URL's domain.")
    title: Text | None = Field(None, max_length=2_000)
    published: Text | None = Field(
        None,
        max_length=100,
        description="Publication date, ISO 8601 preferred ('March 3, 2026' works too). "
        "An unreadable date becomes a notice, not an error.",
    )
    url: Text | None = Field(None, max_length=4_000)
    text: Text | None = Field(None, max_length=MAX_TEXT_CHARS, description="The article body.")
    html: Text | None = Field(
        None, max_length=MAX_TEXT_CHARS, description="The article page; its main text is extracted offline."
    )

    @model_validator(mode="after")
    def _has_body(self) -> ArticleIn:
        if not any(v and v.strip() for v in (self.text, self.html)):
            raise PydanticCustomError("missing_text", "an article needs a non-empty 'text' or 'html'")
        return self

    def record(self, origin: str) -> dict[str, Any]:
        """The mapping ``compare``/``Corpus.ingest`` read; ``origin`` names it in failures."""
        fields = self.model_dump(exclude_none=True, include=set(type(self).model_fields))
        return {**fields, "origin": origin}


class CompareRequest(BaseModel):
    articles: list[ArticleIn] = Field(
        min_length=1,
        max_length=MAX_COMPARE_ARTICLES,
        description="The articles of one story (2-50 is useful).",
    )


class IngestRequest(BaseModel):
    articles: list[ArticleIn] = Field(min_length=1, max_length=MAX_INGEST_ARTICLES)


class NoticeOut(BaseModel):
    code: str
    message: str
    article_ids: list[str]


class IngestSummaryOut(BaseModel):
    """What adding the articles did; ``failures`` say which were skipped and why."""

    added: int
    duplicates: int
    failures: list[FailureOut]
    notices: list[NoticeOut]
    stories_created: int
    stories_joined: int
    seconds: float

    @classmethod
    def of(cls, s: IngestSummary) -> IngestSummaryOut:
        return cls(
            added=s.added,
            duplicates=s.duplicates,
            failures=[
                FailureOut(origin=f.origin, stage=f.stage, reason=f.reason, article_id=f.article_id)
                for f in s.failures
            ],
            notices=[
                NoticeOut(code=n.code, message=n.message, article_ids=list(n.article_ids)) for n in s.notices
            ],
            stories_created=s.stories_created,
            stories_joined=s.stories_joined,
            seconds=round(s.seconds, 3),
        )


class StoryLinks(BaseModel):
    self: str
    report: str
    page: str


class StoryOut(BaseModel):
    """A story: which articles clustering grouped together (the comparison is its ``report``)."""

    id: str
    label: str
    size: int
    article_ids: list[str]
    sources: list[str]
    first_published: dt.date | None
    last_published: dt.date | None
    version: int = Field(description="Grows whenever the story's membership changes.")
    updated_at: str
    closed: bool
    links: StoryLinks

    @classmethod
    def of(cls, s: StoryInfo) -> StoryOut:
        sid = quote(s.id, safe="")
        return cls(
            id=s.id,
            label=s.label,
            size=s.size,
            article_ids=list(s.article_ids),
            sources=list(s.sources),
            first_published=s.first_published,
            last_published=s.last_published,
            version=s.version,
            updated_at=s.updated_at,
            closed=s.closed,
            links=StoryLinks(
                self=f"/api/stories/{sid}", report=f"/api/stories/{sid}/report", page=f"/stories/{sid}"
            ),
        )


class SearchHitOut(BaseModel):
    article_id: str
    title: str
    source: str
    published: dt.date | None
    snippet: str
    score: float = Field(description="Higher is better.")
    story_id: str | None

    @classmethod
    def of(cls, h: SearchHit) -> SearchHitOut:
        return cls(
            article_id=h.article_id,
            title=h.title,
            source=h.source,
            published=h.published,
            snippet=h.snippet,
            score=h.score,
            story_id=h.story_id,
        )


class Health(BaseModel):
    status: Literal["ok"]
    version: str


# --------------------------------------------------------------------------- shared parameters

StoryId = Annotated[str, Path(min_length=1, max_length=200, description="A story id from /api/stories.")]
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date_only(value: object) -> object:
    """Pydantic would also read '0' or '1700000000' as Unix timestamps; a date filter is YYYY-MM-DD."""
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value):
        raise PydanticCustomError(
            "date_format", "expected a date as YYYY-MM-DD, got '{value}'", {"value": value}
        )
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date_only)]
Since = Annotated[
    IsoDate | None, Query(description="Stories with an article on or after this date (YYYY-MM-DD).")
]
Until = Annotated[
    IsoDate | None, Query(description="Stories with an article on or before this date (YYYY-MM-DD).")
]
Outlet = Annotated[str | None, Query(max_length=300, description="Stories with an article from this outlet.")]
StoryQuery = Annotated[
    str | None, Query(max_length=MAX_QUERY_CHARS, description="Full-text query over the stories' articles.")
]
Limit = Annotated[int, Query(ge=1, le=MAX_LIST_LIMIT)]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
Format = Annotated[ReportFormat, Query(description="json (the versioned report schema), html, md or text.")]

REPORT_CONTENT: dict[str, Any] = {
    "application/json": {"schema": {"type": "object", "description": "The report (docs/SCHEMA.md)."}},
    "text/html": {"schema": {"type": "string"}},
    "text/markdown": {"schema": {"type": "string"}},
    "text/plain": {"schema": {"type": "string"}},
}
HTML_CONTENT: dict[str, Any] = {"text/html": {"schema": {"type": "string"}}}

T = TypeVar("T")


class _State:
    """The corpus, models, locks and the rendered-report cache one app serves from."""

    def __init__(self, corpus: Corpus, models: Models) -> None:
        self.corpus = corpus
        self.models = models
        config = getattr(corpus, "config", None)
        self.compare_config: CompareConfig = getattr(config, "compare", None) or CompareConfig()
        self.models_lock = threading.Lock()
        self._cache: OrderedDict[tuple[str, int, str], bytes] = OrderedDict()
        self._cache_lock = threading.Lock()

    def read(self, call: Callable[[Corpus], T]) -> T:
        """A query that needs no model (lists, search, story metadata)."""
        return call(self.corpus)

    def work(self, call: Callable[[Corpus], T]) -> T:
        """A corpus call that may run the models (ingest, report)."""
        with self.models_lock:
            return call(self.corpus)

    def rendered(self, story_id: str, kind: str, render: Callable[[StoryInfo, StoryReport], bytes]) -> bytes:
        """A story's report rendered as ``kind``, cached by story version (membership changes evict it)."""
        story = self.read(lambda c: c.story(story_id))
        key = (story.id, story.version, kind)
        with self._cache_lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        story, report = self.work(lambda c: (c.story(story_id), c.report(story_id)))
        body = render(story, report)
        with self._cache_lock:
            self._cache[(story.id, story.version, kind)] = body
            while len(self._cache) > PAGE_CACHE_SIZE:
                self._cache.popitem(last=False)
        return body


def report_bytes(report: StoryReport, fmt: str) -> bytes:
    if fmt == "json":
        from storyscope.render import report_to_dict

        return json.dumps(report_to_dict(report), ensure_ascii=False, allow_nan=False).encode("utf-8")
    from storyscope.render import render

    return render(report, fmt).encode("utf-8")


def _pages() -> Any:
    """The page templates, or ``None`` while serve/pages.py does not exist."""
    try:
        return importlib.import_module("storyscope.serve.pages")
    except ModuleNotFoundError as exc:
        if exc.name != "storyscope.serve.pages":
            raise
        return None


def _story_list_html(stories: Sequence[StoryInfo], **filters: Any) -> str:
    pages = _pages()
    if pages is not None:
        return pages.story_list_page(stories, **filters)
    from html import escape

    items = "".join(
        f'<li><a href="/stories/{escape(s.id)}">{escape(s.label)}</a> ({s.size} articles)</li>'
        for s in stories
    )
    return f"<!doctype html><html><head><meta charset='utf-8'><title>storyscope</title></head><body><h1>Stories</h1><ul>{items}</ul></body></html>"


def _story_html(story: StoryInfo, report: StoryReport) -> bytes:
    pages = _pages()
    if pages is not None:
        return pages.story_page(story, report).encode("utf-8")
    return report_bytes(report, "html")


# --------------------------------------------------------------------------- the app


def build_app(corpus: Corpus, *, max_body_bytes: int, models: Models | None = None) -> FastAPI:
    from storyscope import __version__
    from storyscope.pipeline import compare

    if models is None:
        from storyscope.models import default_models

        models = default_models()
    state = _State(corpus, models)
    app = FastAPI(
        # FastAPI's /docs and /redoc pages load their scripts from a CDN; the server must work offline,
        # so only the machine-readable description is served (/openapi.json).
        docs_url=None,
        redoc_url=None,
        title="storyscope",
        version=__version__,
        summary="How different news outlets cover the same story, with evidence for every finding.",
        description=(
            "Compare posted articles, add articles to a store that groups them into stories, list and search "
            "stories, and read each story's report. Errors are RFC 9457 problems (application/problem+json). "
            f"Request bodies are limited to {max_body_bytes:,} bytes."
        ),
    )
    app.state.storyscope = state
    install_problem_handlers(app)
    app.add_middleware(BodyLimitMiddleware, max_body_bytes=max_body_bytes)

    body_errors = problem_responses(400, 413, 415, 422)

    @app.get("/healthz", response_model=Health, tags=["meta"])
    def healthz() -> Health:
        """Liveness: the process answers (does not touch the store)."""
        return Health(status="ok", version=__version__)

    @app.post(
        "/api/compare",
        tags=["compare"],
        responses={200: {"description": "The report", "content": REPORT_CONTENT}, **body_errors},
    )
    def compare_articles(body: CompareRequest, format: Format = "json") -> Response:
        """Compare the posted articles as one story and return the report (nothing is stored).

        Unusable articles are listed in the report's ``failures``; if none is usable: 422.
        """
        records = [a.record(f"articles[{i}]") for i, a in enumerate(body.articles)]
        with state.models_lock:
            report = compare(records, config=state.compare_config, models=state.models)
        return Response(report_bytes(report, format), media_type=MEDIA_TYPES[format])

    @app.post(
        "/api/articles",
        status_code=201,
        response_model=IngestSummaryOut,
        tags=["store"],
        responses={
            200: {"description": "Nothing new: every article was already stored", "model": IngestSummaryOut},
            **body_errors,
        },
    )
    def add_articles(body: IngestRequest, response: Response) -> IngestSummaryOut:
        """Add articles to the store; each joins a story or starts one. Idempotent (same URL or text)."""
        records = [a.record(f"articles[{i}]") for i, a in enumerate(body.articles)]
        summary = state.work(lambda c: c.ingest(records))
        if summary.added == 0 and summary.duplicates == 0:
            raise NoArticlesError(summary.failures)
        if summary.added == 0:
            response.status_code = 200
        return IngestSummaryOut.of(summary)

    @app.get(
        "/api/stories", response_model=list[StoryOut], tags=["stories"], responses=problem_responses(422)
    )
    def list_stories(
        since: Since = None,
        until: Until = None,
        outlet: Outlet = None,
        q: StoryQuery = None,
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> list[StoryOut]:
        """Stories, newest first, filtered by date range, outlet and a full-text query."""
        stories = state.read(
            lambda c: c.stories(
                since=since,
                until=until,
                outlet=outlet or None,
                query=(q or "").strip() or None,
                limit=limit,
                offset=offset,
            )
        )
        return [StoryOut.of(s) for s in stories]

    @app.get(
        "/api/stories/{story_id}",
        response_model=StoryOut,
        tags=["stories"],
        responses=problem_responses(404, 422),
    )
    def get_story(story_id: StoryId) -> StoryOut:
        """One story's metadata (its articles and outlets)."""
        return StoryOut.of(state.read(lambda c: c.story(story_id)))

    @app.get(
        "/api/stories/{story_id}/report",
        tags=["stories"],
        responses={
            200: {"description": "The report", "content": REPORT_CONTENT},
            **problem_responses(404, 422),
        },
    )
    def get_report(story_id: StoryId, format: Format = "json") -> Response:
        """A story's compare report; computed on first request, then cached until the story changes."""
        body = state.rendered(story_id, format, lambda _s, r: report_bytes(r, format))
        return Response(body, media_type=MEDIA_TYPES[format])

    @app.get(
        "/api/search", response_model=list[SearchHitOut], tags=["stories"], responses=problem_responses(422)
    )
    def search_articles(
        q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY_CHARS, description="Words to look for.")],
        limit: Annotated[int, Query(ge=1, le=MAX_SEARCH_LIMIT)] = 20,
    ) -> list[SearchHitOut]:
        """Articles matching a full-text query, best first, with a snippet and their story."""
        if not q.strip():
            return []
        return [SearchHitOut.of(h) for h in state.read(lambda c: c.search(q, limit=limit))]

    @app.get(
        "/",
        response_class=HTMLResponse,
        tags=["pages"],
        responses={200: {"content": HTML_CONTENT}, **problem_responses(422)},
    )
    def story_list_page(
        since: Since = None,
        until: Until = None,
        outlet: Outlet = None,
        q: StoryQuery = None,
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> HTMLResponse:
        """The story list as a web page (works offline: no external scripts, styles or fonts)."""
        query = (q or "").strip() or None
        stories = state.read(
            lambda c: c.stories(
                since=since, until=until, outlet=outlet or None, query=query, limit=limit, offset=offset
            )
        )
        return HTMLResponse(_story_list_html(stories, query=query, since=since, until=until, outlet=outlet))

    @app.get(
        "/stories/{story_id}",
        response_class=HTMLResponse,
        tags=["pages"],
        responses={200: {"content": HTML_CONTENT}, **problem_responses(404, 422)},
    )
    def story_page(story_id: StoryId) -> HTMLResponse:
        """One story's report as a web page."""
        return HTMLResponse(state.rendered(story_id, "page", _story_html))

    def openapi() -> dict[str, Any]:
        """FastAPI's description plus the Problem schema the error responses refer to."""
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                summary=app.summary,
                description=app.description,
                routes=app.routes,
            )
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            problem_schema = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
            components.update(problem_schema.pop("$defs", {}))
            components["Problem"] = problem_schema
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app
