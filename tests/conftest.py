"""Shared fixtures: the mini reference corridor and the bundled network."""

from __future__ import annotations

from pathlib import Path

import pytest

from caspian.io.tables import load_network
from caspian.model.network import Network

MINI = Path(__file__).parent / "data" / "mini"


@pytest.fixture(scope="session")
def mini_dir() -> Path:
    return MINI


@pytest.fixture(scope="session")
def mini() -> Network:
    return load_network(MINI)


@pytest.fixture(scope="session")
def bundled() -> Network:
    return load_network()
