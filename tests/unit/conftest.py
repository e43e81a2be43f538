"""Unit-test fixtures."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest


@pytest.fixture(scope="module", autouse=True)
def _frozen_heap() -> Iterator[None]:
    """Freeze what earlier tests left on the heap, so that a full garbage collection of it does not
    land in the CPU budget of a parse measured here (hostile-input and fuzz tests)."""
    gc.collect()
    gc.freeze()
    yield
    gc.unfreeze()
