"""Schema-driven fuzzing of the REST API: every operation, generated from its OpenAPI description.

schemathesis sends valid and invalid requests (wrong types, boundary lengths, missing
fields, unknown methods) and checks each answer: never a 5xx, the status and content
type are ones the description lists, and JSON bodies match their declared schema.
"""

from __future__ import annotations

from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis")
pytest.importorskip("fastapi")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.errors import Unsatisfiable  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis import checks as st_checks  # noqa: E402
from schemathesis.config import SchemathesisConfig  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
# Small, so boundary-length strings the fuzzer makes hit 413 fast instead of running NLP on megabytes.
MAX_BODY = 64_000
EXAMPLES_PER_OPERATION = 30


@pytest.fixture(scope="module")
def api_schema(models, tmp_path_factory):
    from storyscope.corpus import Corpus
    from storyscope.serve import create_app

    corpus = Corpus.open(tmp_path_factory.mktemp("api_schema") / "store.db", models=models)
    summary = corpus.ingest([EXAMPLES])
    assert summary.added == 4
    app = create_app(corpus, max_body_bytes=MAX_BODY, models=models)
    # 413 is a correct way to reject a schema-violating body too (the fuzzer makes some huge ones).
    rejected = {"expected-statuses": [400, 404, 405, 413, 415, 422]}
    config = SchemathesisConfig.from_dict({"checks": {"negative_data_rejection": rejected}})
    yield schemathesis.openapi.from_asgi("/openapi.json", app, config=config)
    corpus.close()


# The operations are looped here rather than generated with schemathesis' pytest plugin, whose
# fixture-based loader does not work with pytest 9; each operation gets its own Hypothesis run.
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
def test_api_conforms_to_its_description(api_schema, mode):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    labels = {op.label for op in operations}
    assert {"POST /api/compare", "POST /api/articles", "GET /api/stories", "GET /api/search"} <= labels
    failures: dict[str, str] = {}
    for op in operations:

        @given(case=op.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,  # the same cases every run: a failure here is reproducible
            database=None,
        )
        def check(case):
            # positive_data_acceptance is left out on purpose: a schema-valid article can still be
            # unusable (3 words are too short to compare), which the API answers with a documented 422.
            case.call_and_validate(excluded_checks=[st_checks.positive_data_acceptance])

        try:
            check()
        except Unsatisfiable:  # no parameter and no body (GET /healthz): nothing to make invalid
            assert mode == GenerationMode.NEGATIVE, op.label
        except Exception as exc:  # noqa: BLE001 - collect every operation's failure, then report all
            failures[op.label] = f"{type(exc).__name__}: {str(exc)[:2000]}"  # cases can be megabytes
    assert not failures, "\n\n".join(f"{label}:\n{why}" for label, why in failures.items())


# --------------------------------------------------------------------------- text that reaches the pipeline

# The schema fuzzer's strings are short, so its articles never get past "too short to compare".
# These are long enough to run the whole pipeline (and the store) on odd text.
_WORDS = st.one_of(
    st.sampled_from(
        [
            "The",
            "minister",
            "said",
            "12",
            "people",
            "were",
            "killed",
            "on",
            "Tuesday",
            "in",
            "Kalvarro",
            '"',
            "'",
            "km",
            "1.5",
            "miles",
            "Dr.",
            "U.S.",
            "denied",
            "—",
            "(",
            ")",
            "%",
            "$3m",
            "he",
            "told",
            "\n\n",
        ]
    ),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=14),
)
_TEXT = st.lists(_WORDS, min_size=25, max_size=120).map(" ".join)
_ARTICLE = st.fixed_dictionaries(
    {"text": _TEXT},
    optional={
        "source": st.text(min_size=1, max_size=40),
        "title": st.text(max_size=80),
        "published": st.one_of(st.dates().map(str), st.text(max_size=20)),
        "url": st.one_of(st.just("https://example.test/a"), st.text(max_size=30)),
        "id": st.text(min_size=1, max_size=20),
    },
)


@pytest.fixture(scope="module")
def fuzz_client(models, tmp_path_factory):
    from fastapi.testclient import TestClient

    from storyscope.corpus import Corpus
    from storyscope.serve import create_app

    with Corpus.open(tmp_path_factory.mktemp("api_fuzz") / "store.db", models=models) as corpus:
        yield TestClient(create_app(corpus, models=models))


@given(articles=st.lists(_ARTICLE, min_size=1, max_size=3))
@settings(
    max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None
)
def test_odd_text_through_compare_and_store_never_5xx(fuzz_client, articles):
    r = fuzz_client.post("/api/compare", json={"articles": articles})
    assert r.status_code in (200, 422), r.text[:500]
    if r.status_code == 200:
        assert len(r.json()["articles"]) + len(r.json()["failures"]) >= 1
    r = fuzz_client.post("/api/articles", json={"articles": articles})
    assert r.status_code in (200, 201, 422), r.text[:500]
    for story in fuzz_client.get("/api/stories", params={"limit": 500}).json():
        for path in (story["links"]["report"], story["links"]["page"]):
            assert fuzz_client.get(path).status_code == 200, path
