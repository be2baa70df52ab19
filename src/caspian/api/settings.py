"""Settings of the web application (one frozen object passed to :func:`create_app`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["STATIC_DIR", "Settings"]

STATIC_DIR = Path(__file__).resolve().parent.parent / "web" / "static"
"""The single-page interface shipped in the package (served at ``/``)."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Limits and switches of one server.

    Attributes
    ----------
    max_body_bytes
        Largest request body accepted (413 above it).
    cors_origins
        Origins allowed to call the API from another site; empty = CORS closed.
    run_workers
        Runs working at once (each in its own process); the others wait queued.
    run_time_limit_s
        Wall-clock seconds a run may take before it is stopped and marked failed.
    max_queued_runs
        Runs allowed to wait; a new run beyond that is refused with 503.
    network_cache
        Scenario-changed networks kept in memory.
    static_dir
        Folder served at ``/`` (``None``: no interface, the API only).
    """

    max_body_bytes: int = 1_048_576
    cors_origins: tuple[str, ...] = ()
    run_workers: int = 2
    run_time_limit_s: float = 600.0
    max_queued_runs: int = 20
    network_cache: int = 16
    static_dir: Path | None = field(default=STATIC_DIR)
