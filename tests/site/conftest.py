"""The site tests' shared browser: one Chromium for the whole session (:mod:`browserkit`)."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browserkit import launch


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    with launch() as b:
        yield b
