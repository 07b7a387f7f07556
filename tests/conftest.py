"""Shared fixtures: one spaCy load per test session (it is the slow part)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def nlp():
    from storyscope.models import load_spacy

    return load_spacy()
