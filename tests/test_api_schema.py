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
from hypothesis.errors import Unsatisfiable  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis import checks as st_checks  # noqa: E402
from schemathesis.config import SchemathesisConfig  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
# Small, so boundary-length strings the fuzzer makes hit 413 fast instead of running NLP on megabytes.
MAX_BODY = 64_000
EXAMPLES_PER_OPERATION = 20


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
