"""Shared helpers of the simulation tests."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from caspian.simulation.kernel import simulate_tandem

SingleQueue = Callable[..., tuple[np.ndarray, np.ndarray]]


def _single_queue(
    arrival_hours: np.ndarray, service_hours: np.ndarray, *, servers: int
) -> tuple[np.ndarray, np.ndarray]:
    n = arrival_hours.size
    _, queued, start, _, exit_, _ = simulate_tandem(
        arrival_hours,
        np.zeros(n, dtype=np.int64),
        service_hours.reshape(n, 1),
        np.ones((n, 1), dtype=np.bool_),
        pool_of=np.array([[0, 1]]),
        pool_servers=np.array([servers, 1]),
        pool_open_from=np.zeros(2),
        pool_open_to=np.full(2, 24.0),
        parking_capacity=np.array([n + 1, n + 1]),
    )
    return start[:, 0] - queued[:, 0], exit_


@pytest.fixture(scope="session")
def single_queue() -> SingleQueue:
    """G/G/c FCFS queue through the kernel; returns waiting times and exit times."""
    return _single_queue
