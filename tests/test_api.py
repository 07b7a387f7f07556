"""The REST API and pages as a client uses them, on a real store; every bad request is a 4xx problem."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
PROBLEM = "application/problem+json"

# An invented event, three outlets; enough sentences that cleaning keeps them.
FERRY = [
    {
        "id": "ferry-coastline",
        "source": "Coastline Daily",
        "title": "Ferry runs aground off Tessaly Point, 40 passengers rescued",
        "published": "2026-05-11",
        "text": (
            "The ferry Marisol ran aground off Tessaly Point early on Sunday, and coastguard crews rescued "
            "all 40 passengers, the Tessaly Coastguard said.\n\n"
            "Captain Ilse Varden said the ship lost power in heavy fog shortly after leaving Brenna harbour. "
            "Two crew members were treated for minor injuries.\n\n"
            "The port authority closed the Brenna ferry route until Tuesday while divers inspect the hull."
        ),
    },
    {
        "id": "ferry-gazette",
        "source": "Brenna Gazette",
        "title": "Fog blamed as Marisol ferry grounds near Tessaly",
        "published": "2026-05-11",
        "text": (
            "Forty-two passengers were taken off the ferry Marisol after it ran aground near Tessaly Point "
            "on Sunday morning, the coastguard said.\n\n"
            "Harbour master Tomas Reyl said thick fog covered the strait when the ferry left Brenna. "
            "Nobody was seriously hurt.\n\n"
            "The Brenna ferry route will stay closed until Wednesday, the port authority said."
        ),
    },
    {
        "id": "ferry-observer",
        "source": "Strait Observer",
        "title": "Coastguard rescues passengers from stranded ferry",
        "published": "2026-05-12",
        "text": (
            "Coastguard boats rescued 40 passengers from the ferry Marisol, which ran aground off Tessaly "
            "Point on Sunday after an engine failure, officials said.\n\n"
            "Captain Ilse Varden told reporters the engines stopped minutes after the ferry left Brenna "
            "harbour in fog. Two crew members had minor injuries.\n\n"
            "Divers will inspect the hull before the route reopens, the port authority said."
        ),
    },
]

UNRELATED = {
    "source": "Valley Courier",
    "title": "Orchard town opens a new library",
    "published": "2026-05-20",
    "text": (
        "The orchard town of Millbrae Vale opened its new public library on Wednesday after two years of "
        "building work, the town council said.\n\n"
        "Librarian Oda Fenn said the library holds 30,000 books and a reading garden for children. "
        "The building was paid for by a regional culture fund."
    ),
}


def example_records() -> list[dict]:
    """The bundled example story as API article objects (read with the library's own readers)."""
    from storyscope.config import CompareConfig
    from storyscope.ingest import read_inputs

    read = read_inputs([EXAMPLES], CompareConfig())
    assert len(read.articles) == 4 and not read.failures
    out = []
    for art in read.articles:
        rec = {k: v for k, v in dataclasses.asdict(art).items() if k != "origin" and v is not None}
        if art.published:
            rec["published"] = art.published.isoformat()
        out.append(rec)
    return out


def assert_problem(response, status: int, kind: str | None = None) -> dict:
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    if kind:
        assert body["type"] == f"urn:storyscope:problem:{kind}", body
    return body


@pytest.fixture(scope="module")
def served(models, tmp_path_factory):
    """A store holding the example story, added through the API, and a client for it."""
    from storyscope.corpus import Corpus
    from storyscope.serve import create_app

    corpus = Corpus.open(tmp_path_factory.mktemp("api") / "store.db", models=models)
    client = TestClient(create_app(corpus, models=models))
    added = client.post("/api/articles", json={"articles": example_records()})
    assert added.status_code == 201, added.text
    assert added.json()["added"] == 4
    yield client
    corpus.close()


@pytest.fixture(scope="module")
def story(served) -> dict:
    stories = served.get("/api/stories").json()
    assert len(stories) == 1, [s["label"] for s in stories]  # the four articles are one story
    return stories[0]


@pytest.fixture
def fresh(models, tmp_path):
    """An empty store of its own, for tests that change the store."""
    from storyscope.corpus import Corpus
    from storyscope.serve import create_app

    with Corpus.open(tmp_path / "fresh.db", models=models) as corpus:
        yield TestClient(create_app(corpus, models=models))


# --------------------------------------------------------------------------- compare


def test_compare_posted_articles_returns_the_report(served):
    r = served.post("/api/compare", json={"articles": FERRY})
    assert r.status_code == 200, r.text[:500]
    assert r.headers["content-type"].startswith("application/json")
    report = r.json()
    assert report["schema_version"]
    assert sorted(report["sources"]) == ["Brenna Gazette", "Coastline Daily", "Strait Observer"]
    assert {a["id"] for a in report["articles"]} == {a["id"] for a in FERRY}
    assert report["facts"] and report["summary"] and not report["failures"]
    # 40 vs 42 passengers is the planted disagreement
    assert any(c["kind"] == "number" for c in report["conflicts"]), report["conflicts"]


@pytest.mark.parametrize(
    ("fmt", "media", "marker"), [("md", "text/markdown", "#"), ("html", "text/html", "<html")]
)
def test_compare_renders_other_formats(served, fmt, media, marker):
    r = served.post(f"/api/compare?format={fmt}", json={"articles": FERRY[:2]})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(media)
    assert marker in r.text[:2000].lower()


def test_compare_reports_unusable_articles_and_compares_the_rest(served):
    articles = [*FERRY[:2], {"source": "Tiny Wire", "text": "Ferry aground."}]
    r = served.post("/api/compare", json={"articles": articles})
    assert r.status_code == 200
    report = r.json()
    assert len(report["articles"]) == 2
    assert [f["origin"] for f in report["failures"]] == ["articles[2]"]


def test_compare_with_nothing_usable_is_a_422_listing_why(served):
    r = served.post("/api/compare", json={"articles": [{"text": "Too short."}, {"html": "<p>nav</p>"}]})
    body = assert_problem(r, 422, "no-usable-articles")
    assert {f["origin"] for f in body["failures"]} == {"articles[0]", "articles[1]"}


# --------------------------------------------------------------------------- store, stories, reports


def test_adding_the_same_articles_again_adds_nothing(served, story):
    r = served.post("/api/articles", json={"articles": example_records()})
    assert r.status_code == 200
    assert r.json()["added"] == 0 and r.json()["duplicates"] == 4
    assert served.get("/api/stories").json() == [story]  # unchanged: same version


def test_story_lists_every_example_article(served, story):
    assert story["size"] == 4 == len(story["article_ids"])
    assert "meridianpost-2026-03-05-kalvaro-mudslide" in story["article_ids"]
    assert "Meridian Post" in story["sources"]
    assert story["links"]["report"] == f"/api/stories/{story['id']}/report"
    assert served.get(f"/api/stories/{story['id']}").json() == story


@pytest.mark.parametrize(
    ("params", "found"),
    [
        ({"since": "2026-03-01", "until": "2026-03-31"}, True),
        ({"since": "2027-01-01"}, False),
        ({"until": "2026-01-31"}, False),
        ({"outlet": "Meridian Post"}, True),
        ({"outlet": "No Such Outlet"}, False),
        ({"q": "landslide"}, True),
        ({"q": "zeppelin"}, False),
        ({"offset": 1}, False),
    ],
)
def test_story_filters(served, story, params, found):
    r = served.get("/api/stories", params=params)
    assert r.status_code == 200
    assert [s["id"] for s in r.json()] == ([story["id"]] if found else [])


def test_story_report_as_json_is_the_report_of_its_articles(served, story):
    r = served.get(story["links"]["report"])
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    report = r.json()
    assert {a["id"] for a in report["articles"]} == set(story["article_ids"])
    assert served.get(story["links"]["report"]).content == r.content  # cached: byte-identical


@pytest.mark.parametrize(
    ("fmt", "media"), [("html", "text/html"), ("md", "text/markdown"), ("text", "text/plain")]
)
def test_story_report_in_other_formats(served, story, fmt, media):
    r = served.get(story["links"]["report"], params={"format": fmt})
    assert r.status_code == 200 and r.headers["content-type"].startswith(media)
    assert "Meridian Post" in r.text


def _loads_nothing_from_the_network(html: str) -> bool:
    remote = re.compile(
        r"<script[^>]+src=[\"']?(https?:)?//|<link[^>]+href=[\"']?(https?:)?//|@import\s+(url\()?[\"']?(https?:)?//",
        re.IGNORECASE,
    )
    return remote.search(html) is None


def test_story_page_and_list_page_are_html_that_work_offline(served, story):
    page = served.get(story["links"]["page"])
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "<html" in page.text.lower() and "Meridian Post" in page.text
    assert _loads_nothing_from_the_network(page.text)
    listing = served.get("/", params={"q": "landslide"})
    assert listing.status_code == 200 and listing.headers["content-type"].startswith("text/html")
    assert f"/stories/{story['id']}" in listing.text
    assert _loads_nothing_from_the_network(listing.text)


def test_search_finds_articles_and_their_story(served, story):
    r = served.get("/api/search", params={"q": "Kalvarro"})
    assert r.status_code == 200
    hits = r.json()
    assert hits and all(h["story_id"] == story["id"] for h in hits)
    assert {h["article_id"] for h in hits} <= set(story["article_ids"])
    assert served.get("/api/search", params={"q": "zeppelin"}).json() == []


@pytest.mark.parametrize("q", ['"unbalanced', "AND OR NOT", "(*)", "near(a b", "^-:", "   "])
def test_search_syntax_never_breaks_the_server(served, q):
    r = served.get("/api/search", params={"q": q})
    assert r.status_code in (200, 422), r.text[:300]
    assert served.get("/api/stories", params={"q": q}).status_code in (200, 422)


def test_new_articles_start_or_join_stories(fresh):
    r = fresh.post("/api/articles", json={"articles": FERRY})
    assert r.status_code == 201
    body = r.json()
    assert body["added"] == 3 and body["stories_created"] == 1 and not body["failures"]
    r = fresh.post("/api/articles", json={"articles": [UNRELATED, {"source": "Tiny Wire", "text": "Short."}]})
    assert r.status_code == 201
    body = r.json()
    assert body["added"] == 1 and body["stories_created"] == 1
    assert [f["origin"] for f in body["failures"]] == ["articles[1]"]
    stories = fresh.get("/api/stories").json()
    assert sorted(s["size"] for s in stories) == [1, 3]


def test_adding_only_unusable_articles_is_a_422(fresh):
    r = fresh.post("/api/articles", json={"articles": [{"text": "Short."}]})
    body = assert_problem(r, 422, "no-usable-articles")
    assert body["failures"][0]["origin"] == "articles[0]"
    assert fresh.get("/api/stories").json() == []


def test_healthz_and_openapi(served):
    assert served.get("/healthz").json()["status"] == "ok"
    spec = served.get("/openapi.json").json()
    assert {
        "/api/compare",
        "/api/articles",
        "/api/stories",
        "/api/stories/{story_id}/report",
        "/api/search",
    } <= set(spec["paths"])
    assert "Problem" in spec["components"]["schemas"]
    compare_422 = spec["paths"]["/api/compare"]["post"]["responses"]["422"]
    assert PROBLEM in compare_422["content"]


# --------------------------------------------------------------------------- bad requests


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/api/stories/no-such-story", "unknown-story"),
        ("/api/stories/no-such-story/report", "unknown-story"),
        ("/stories/no-such-story", "unknown-story"),
        ("/api/no-such-route", None),
    ],
)
def test_unknown_ids_and_routes_are_404_problems(served, path, kind):
    assert_problem(served.get(path), 404, kind)


def test_wrong_method_is_a_405_problem(served):
    r = served.delete("/api/stories")
    assert_problem(r, 405)
    assert r.headers["allow"] == "GET"


@pytest.mark.parametrize(
    "body",
    [b'{"articles": [', b"not json at all", b'{"articles": [{"text": "x"}]}}'],
    ids=["truncated", "text", "trailing"],
)
def test_malformed_json_is_a_400_problem(served, body):
    r = served.post("/api/compare", content=body, headers={"content-type": "application/json"})
    assert_problem(r, 400, "malformed-json")


def test_body_that_is_not_utf8_is_a_400_problem(served):
    r = served.post(
        "/api/compare", content=b'{"articles": "\xff\xfe"}', headers={"content-type": "application/json"}
    )
    assert_problem(r, 400, "malformed-json")


def test_body_that_is_not_json_is_a_415_problem(served):
    r = served.post(
        "/api/articles", content=b"articles=1", headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert_problem(r, 415, "unsupported-media-type")


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({}, ["body", "articles"]),
        ({"articles": []}, ["body", "articles"]),
        ({"articles": [{"title": "No body"}]}, ["body", "articles", 0]),
        ({"articles": [{"text": "   \n  "}]}, ["body", "articles", 0]),
        ({"articles": [{"text": 42}]}, ["body", "articles", 0, "text"]),
        ({"articles": [{"text": "x", "source": "s" * 301}]}, ["body", "articles", 0, "source"]),
        ({"articles": [FERRY[0]] * 51}, ["body", "articles"]),
        ([FERRY[0]], ["body"]),
    ],
    ids=[
        "no-articles",
        "empty-list",
        "no-text",
        "blank-text",
        "text-not-string",
        "long-source",
        "51",
        "bare-list",
    ],
)
def test_invalid_bodies_are_422_problems_saying_where(served, body, loc):
    r = served.post("/api/compare", json=body)
    problem = assert_problem(r, 422, "invalid-request")
    assert loc in [e["loc"] for e in problem["errors"]], problem["errors"]


@pytest.mark.parametrize(
    "params",
    [
        {"since": "2026-13-01"},
        {"until": "yesterday"},
        {"since": "0"},  # not a Unix timestamp either
        {"until": "1700000000"},
        {"since": "2026-02-30"},
        {"limit": 0},
        {"limit": 501},
        {"offset": -1},
        {"q": "x" * 501},
    ],
)
def test_invalid_query_parameters_are_422_problems(served, params):
    assert_problem(served.get("/api/stories", params=params), 422, "invalid-request")
    assert_problem(served.get("/", params=params), 422, "invalid-request")


def test_unknown_report_format_is_a_422_problem(served, story):
    assert_problem(served.get(story["links"]["report"], params={"format": "pdf"}), 422, "invalid-request")
    assert_problem(served.post("/api/compare?format=pdf", json={"articles": FERRY}), 422, "invalid-request")


def test_empty_search_is_a_422_problem(served):
    assert_problem(served.get("/api/search"), 422, "invalid-request")
    assert_problem(served.get("/api/search", params={"q": ""}), 422, "invalid-request")


@pytest.fixture
def small_limit(models, tmp_path):
    from storyscope.corpus import Corpus
    from storyscope.serve import create_app

    with Corpus.open(tmp_path / "small.db", models=models) as corpus:
        yield TestClient(create_app(corpus, models=models, max_body_bytes=2_000))


def test_oversized_body_is_a_413_problem_by_declared_length(small_limit):
    r = small_limit.post("/api/compare", json={"articles": [{"text": "word " * 1_000}]})
    body = assert_problem(r, 413, "body-too-large")
    assert "2,000" in body["detail"]


def test_oversized_body_is_a_413_problem_when_streamed_without_length(small_limit):
    def chunks():  # no Content-Length: chunked transfer, counted as it arrives
        yield b'{"articles": [{"text": "'
        for _ in range(10):
            yield b"word " * 100
        yield b'"}]}'

    r = small_limit.post("/api/articles", content=chunks(), headers={"content-type": "application/json"})
    assert_problem(r, 413, "body-too-large")


def test_body_under_the_limit_passes(small_limit):
    r = small_limit.post("/api/compare", json={"articles": [{"text": "Short."}]})
    assert_problem(r, 422, "no-usable-articles")  # reached the pipeline: not refused for size


def test_lone_surrogates_in_text_do_not_break_the_store(fresh):
    # JSON may escape a lone UTF-16 surrogate, which no UTF-8 encoder (nor SQLite) accepts.
    text = FERRY[0]["text"].replace("Sunday", "Sunday MARK", 1)
    payload = json.dumps({"articles": [{**FERRY[0], "text": text}]}).replace("MARK", "\\ud800")
    r = fresh.post("/api/articles", content=payload.encode(), headers={"content-type": "application/json"})
    assert r.status_code == 201, r.text[:300]
    story_id = fresh.get("/api/stories").json()[0]["id"]
    assert fresh.get(f"/api/stories/{story_id}/report").status_code == 200


def test_unexpected_errors_are_500_problems_not_tracebacks(models):
    from storyscope.serve import create_app

    class Broken:
        def stories(self, **_kw):
            raise RuntimeError("disk on fire")

    client = TestClient(create_app(Broken(), models=models), raise_server_exceptions=False)  # type: ignore[arg-type]
    body = assert_problem(client.get("/api/stories"), 500, "internal-error")
    assert "disk on fire" not in body["detail"]  # internals are logged, not shown


def test_create_app_refuses_a_nonsense_limit(models):
    from storyscope.serve import create_app

    with pytest.raises(ValueError, match="max_body_bytes"):
        create_app(object(), models=models, max_body_bytes=0)  # type: ignore[arg-type]


def test_concurrent_compare_ingest_and_reads_all_succeed(models, tmp_path):
    """Several clients at once (the thread pool runs them in parallel): no lock-up, no error."""
    from concurrent.futures import ThreadPoolExecutor

    from storyscope.corpus import Corpus
    from storyscope.serve import create_app

    with Corpus.open(tmp_path / "busy.db", models=models) as corpus:
        app = create_app(corpus, models=models)
        calls = [
            ("post", "/api/compare", {"articles": FERRY}),
            ("post", "/api/articles", {"articles": FERRY}),
            ("post", "/api/articles", {"articles": [UNRELATED]}),
            *[("get", "/api/stories", None)] * 6,
            *[("get", "/api/search?q=ferry", None)] * 6,
        ]

        def call(spec):
            method, path, body = spec
            with TestClient(app) as client:
                r = client.post(path, json=body) if method == "post" else client.get(path)
                return path, r.status_code

        with ThreadPoolExecutor(max_workers=6) as pool:
            results = list(pool.map(call, calls))
        assert all(status in (200, 201) for _, status in results), results
        stories = TestClient(app).get("/api/stories").json()
        assert sorted(s["size"] for s in stories) == [1, 3]
        for s in stories:
            assert TestClient(app).get(s["links"]["page"]).status_code == 200
