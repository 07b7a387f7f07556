"""Every error the API returns is an RFC 9457 problem (``application/problem+json``), never a bare 500.

The handlers map each failure class to one status: malformed JSON 400, a body that
is not JSON 415, schema violations 422, oversized bodies 413 (checked on the declared
``Content-Length`` *and* on the bytes actually received, so chunked uploads are capped
too), unknown stories 404, unknown routes 404 and wrong methods 405. Anything
unexpected still gets a problem body (500) and a logged traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, MutableMapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from storyscope.errors import (
    InputError,
    ModelUnavailableError,
    NoArticlesError,
    StoreError,
    StoryscopeError,
    UnknownStoryError,
)

PROBLEM_MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:storyscope:problem:"
log = logging.getLogger("storyscope.serve")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class FieldError(BaseModel):
    """One schema violation: where (``loc``, e.g. ``["body", "articles", 0, "text"]``) and what."""

    loc: list[str | int]
    msg: str
    type: str


class FailureOut(BaseModel):
    """An input that could not be used, and why (``origin`` is e.g. ``articles[2]``)."""

    origin: str
    stage: str
    reason: str
    article_id: str | None = None


class Problem(BaseModel):
    """An RFC 9457 problem description; ``errors`` and ``failures`` say exactly what was wrong."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="A URI naming the kind of problem ('about:blank' for plain HTTP errors).")
    title: str = Field(description="Short summary of the kind of problem.")
    status: int = Field(ge=400, le=599)
    detail: str = Field(description="What went wrong with this request, and how to fix it.")
    errors: list[FieldError] | None = Field(None, description="Schema violations (422 only).")
    failures: list[FailureOut] | None = Field(
        None, description="Why each article was unusable (422 when no article could be used)."
    )


def problem(
    status: int,
    detail: str,
    *,
    kind: str | None = None,
    headers: dict[str, str] | None = None,
    **extensions: Any,
) -> JSONResponse:
    """A problem response; ``kind`` becomes ``urn:storyscope:problem:<kind>`` (else ``about:blank``)."""
    body: dict[str, Any] = {
        "type": TYPE_PREFIX + kind if kind else "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    body.update({k: v for k, v in extensions.items() if v is not None})
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_MEDIA_TYPE)


def failures_json(failures: tuple | list) -> list[dict[str, Any]]:
    return [
        {"origin": f.origin, "stage": f.stage, "reason": f.reason, "article_id": f.article_id}
        for f in failures
    ]


def problem_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for these statuses, each a Problem as problem+json."""
    schema = {"$ref": "#/components/schemas/Problem"}
    return {
        code: {"description": HTTPStatus(code).phrase, "content": {PROBLEM_MEDIA_TYPE: {"schema": schema}}}
        for code in codes
    }


# --------------------------------------------------------------------------- handlers


def _is_json_content_type(value: str | None) -> bool:
    if not value:
        return False
    mime = value.split(";", 1)[0].strip().lower()
    return mime == "application/json" or (mime.startswith("application/") and mime.endswith("+json"))


async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        where = next(e for e in errors if e.get("type") == "json_invalid")
        why = (where.get("ctx") or {}).get("error", "not valid JSON")
        pos = where.get("loc", ("body", "?"))[-1]
        return problem(
            400, f"the request body is not valid JSON: {why} at character {pos}", kind="malformed-json"
        )
    # FastAPI hands a non-JSON body to validation as raw bytes: the whole body is the wrong type.
    raw_body = any(tuple(e.get("loc", ())) == ("body",) and e.get("type") != "missing" for e in errors)
    if raw_body and not _is_json_content_type(request.headers.get("content-type")):
        got = request.headers.get("content-type") or "no Content-Type"
        return problem(
            415,
            f"the request body must be JSON sent as 'Content-Type: application/json' (got {got})",
            kind="unsupported-media-type",
        )
    items = [
        {
            "loc": [p if isinstance(p, int) else str(p) for p in e.get("loc", ())],
            "msg": e.get("msg", ""),
            "type": e.get("type", ""),
        }
        for e in errors
    ]
    summary = "; ".join(f"{'.'.join(map(str, i['loc'])) or 'request'}: {i['msg']}" for i in items[:5])
    more = f" (and {len(items) - 5} more)" if len(items) > 5 else ""
    return problem(
        422,
        f"the request does not match the API description: {summary}{more}",
        kind="invalid-request",
        errors=items,
    )


async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"no such resource: {request.url.path}; the API is described at /openapi.json"
    elif exc.status_code == 405 and detail == "Method Not Allowed":
        detail = f"{request.method} is not allowed on {request.url.path}"
    kind = getattr(exc, "kind", None)
    if exc.status_code == 400 and detail == "There was an error parsing the body":  # FastAPI's words
        detail, kind = "the request body could not be read as JSON (is it UTF-8?)", "malformed-json"
    return problem(exc.status_code, detail, kind=kind, headers=getattr(exc, "headers", None))


async def _unknown_story(request: Request, exc: UnknownStoryError) -> JSONResponse:
    return problem(404, str(exc), kind="unknown-story")


async def _no_articles(request: Request, exc: NoArticlesError) -> JSONResponse:
    return problem(
        422,
        "no usable article in the request: " + "; ".join(f"{f.origin}: {f.reason}" for f in exc.failures[:5]),
        kind="no-usable-articles",
        failures=failures_json(exc.failures),
    )


async def _input_error(request: Request, exc: InputError) -> JSONResponse:
    return problem(422, str(exc), kind="unusable-input")


async def _unavailable(request: Request, exc: StoryscopeError) -> JSONResponse:
    log.error("storyscope cannot serve the request: %s", exc)
    return problem(503, str(exc), kind="unavailable")


async def _storyscope_error(request: Request, exc: StoryscopeError) -> JSONResponse:
    return problem(422, str(exc), kind="unprocessable")


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return problem(
        500, f"an unexpected error occurred ({type(exc).__name__}); it has been logged", kind="internal-error"
    )


def install_problem_handlers(app: FastAPI) -> None:
    """Register the handlers; Starlette picks the most specific class along the exception's MRO."""
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(UnknownStoryError, _unknown_story)
    app.add_exception_handler(NoArticlesError, _no_articles)
    app.add_exception_handler(InputError, _input_error)
    app.add_exception_handler(ModelUnavailableError, _unavailable)
    app.add_exception_handler(StoreError, _unavailable)
    app.add_exception_handler(StoryscopeError, _storyscope_error)
    app.add_exception_handler(Exception, _unexpected)


# --------------------------------------------------------------------------- body limit


class BodyTooLarge(StarletteHTTPException):
    """Raised from ``receive`` once the streamed body passes the limit.

    An HTTPException so FastAPI's body reader re-raises it as is (it turns other
    exceptions into a generic 400) and the exception handlers make it a 413 problem.
    """

    kind = "body-too-large"

    def __init__(self, limit: int, seen: int, declared: bool = False) -> None:
        said = "declares" if declared else "sent more than"
        super().__init__(
            413,
            f"the request body {said} {seen:,} bytes, over this server's limit of {limit:,} bytes "
            "(storyscope serve --max-body-mb); send fewer or shorter articles per request",
        )


class BodyLimitMiddleware:
    """Refuse bodies over ``max_body_bytes``: early on ``Content-Length``, else while streaming."""

    def __init__(self, app: Callable, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_body_bytes
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            try:
                size = int(declared)
            except ValueError:
                size = -1
            if size < 0:
                await problem(
                    400, "the Content-Length header is not a byte count", kind="bad-content-length"
                )(scope, receive, send)
                return
            if size > limit:
                exc = BodyTooLarge(limit, size, declared=True)
                await problem(413, exc.detail, kind=BodyTooLarge.kind)(scope, receive, send)
                return

        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit, limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge as exc:  # read outside a route (no handler ran): answer here
            if started:
                raise
            await problem(413, exc.detail, kind=BodyTooLarge.kind)(scope, receive, send)
