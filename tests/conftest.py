"""Shared fixtures: one spaCy load per test session (it is the slow part)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def nlp():
    from storyscope.models import default_models

    return default_models().nlp


@pytest.fixture(scope="session")
def models(nlp):
    """Models shared by every test that runs the pipeline (and the in-process CLI): each loads once."""
    from storyscope.models import default_models

    assert default_models().nlp is nlp
    return default_models()


@pytest.fixture(scope="session")
def example_report(models):
    """The report on the bundled example story (examples/), computed once."""
    from pathlib import Path

    import storyscope

    return storyscope.compare([Path(__file__).resolve().parents[1] / "examples"], models=models)
