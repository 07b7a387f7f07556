"""Exceptions raised by storyscope.

    StoryscopeError            base; catch this to catch everything storyscope raises
    ├── InputError             an input cannot be read (empty, binary, too large, bad encoding, malformed)
    ├── NoArticlesError        nothing usable is left to compare (every input failed)
    ├── ModelUnavailableError  an optional model/backend is not installed (message has the pip line)
    ├── UnknownStoryError      no story with that id in the store (also a KeyError)
    └── StoreError             the store file cannot be opened or is from a newer storyscope

Messages name the bad value and say how to fix it. Per-article problems during
``compare`` do not raise: they become :class:`storyscope.records.Failure` records
and the other articles go on.
"""

from __future__ import annotations


class StoryscopeError(Exception):
    """Base class of every storyscope error."""


class InputError(StoryscopeError):
    """An input could not be turned into an article; ``origin`` says which."""

    def __init__(self, origin: str, reason: str) -> None:
        super().__init__(f"{origin}: {reason}")
        self.origin = origin
        self.reason = reason


class NoArticlesError(StoryscopeError):
    """Every input failed; carries the failures so the caller can show them."""

    def __init__(self, failures: tuple = ()) -> None:
        lines = "; ".join(f"{f.origin}: {f.reason}" for f in failures) or "no input given"
        super().__init__(f"no usable articles to compare ({lines})")
        self.failures = failures


class ModelUnavailableError(StoryscopeError):
    """A model or optional backend is missing; the message carries the install line."""


class UnknownStoryError(StoryscopeError, KeyError):
    """No story with this id in the store."""

    def __init__(self, story_id: str) -> None:
        super().__init__(f"no story {story_id!r} in this store; `storyscope stories` lists them")
        self.story_id = story_id

    def __str__(self) -> str:  # KeyError would quote the whole message
        return str(self.args[0])


class StoreError(StoryscopeError):
    """The store cannot be used: not a storyscope database, a newer schema, or unwritable."""
