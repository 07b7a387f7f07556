"""Shared fixtures: one spaCy load per test session (it is the slow part)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def nlp():
    from storyscope.models import load_spacy

    return load_spacy()


@pytest.fixture(scope="session")
def models(nlp):
    """Models shared by every test that runs the pipeline: spaCy and the sentence model load once."""
    from storyscope.models import Models

    return Models(nlp=nlp)


@pytest.fixture(scope="session")
def example_report(models):
    """The report on the bundled example story (examples/), computed once."""
    from pathlib import Path

    import storyscope

    return storyscope.compare([Path(__file__).resolve().parents[1] / "examples"], models=models)
