"""``storyscope serve``: a REST API (with an OpenAPI description) and web pages over a corpus.

FastAPI and uvicorn are imported only when an app is built, so importing this
package (the CLI does) stays cheap.

    >>> from storyscope.corpus import Corpus                          # doctest: +SKIP
    >>> app = create_app(Corpus.open("news.db"))                      # any ASGI server
    >>> serve("news.db", port=8000)                                   # or uvicorn, blocking
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from fastapi import FastAPI

    from storyscope.config import CorpusConfig
    from storyscope.corpus import Corpus
    from storyscope.models import Models

#: Request bodies above this many bytes get a 413 problem (``--max-body-mb`` on the CLI).
DEFAULT_MAX_BODY_BYTES = 5_000_000

__all__ = ["DEFAULT_MAX_BODY_BYTES", "create_app", "serve"]


def create_app(
    corpus: Corpus, *, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES, models: Models | None = None
) -> FastAPI:
    """The ASGI app serving ``corpus``; ``models`` (default: the shared ones) run ``/api/compare``."""
    if max_body_bytes < 1:
        raise ValueError(f"max_body_bytes must be positive, got {max_body_bytes}")
    from storyscope.serve.api import build_app

    return build_app(corpus, max_body_bytes=max_body_bytes, models=models)


def serve(
    db: str | Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    config: CorpusConfig | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    log_level: str = "info",
) -> None:
    """Open the store at ``db`` and serve it until interrupted.

    The models are loaded before the server starts listening, so a missing model fails
    at start-up (``ModelUnavailableError``) rather than on every request, and the first
    request is not the slow one. Store errors (``StoreError``) also surface here.
    """
    import uvicorn

    from storyscope.corpus import Corpus
    from storyscope.models import default_models

    models = default_models().load()
    with Corpus.open(db, config=config, models=models) as corpus:
        app = create_app(corpus, max_body_bytes=max_body_bytes, models=models)
        uvicorn.run(app, host=host, port=port, log_level=log_level)
