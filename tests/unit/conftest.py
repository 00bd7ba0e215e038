"""Fixtures for the per-layout tests: a module names its SOURCE_ID, these give the real file."""

from __future__ import annotations

import pytest

from bot.corpus.model import Source
from tests.unit.real_sources import real_source


@pytest.fixture(scope="module")
def source(request: pytest.FixtureRequest) -> Source:
    """The manifest entry of the module's SOURCE_ID, as the loader passes it to its parser."""
    return real_source(request.module.SOURCE_ID)[0]


@pytest.fixture(scope="module")
def raw(request: pytest.FixtureRequest) -> str:
    """The raw text of the module's SOURCE_ID transcript."""
    return real_source(request.module.SOURCE_ID)[1]
