"""Run-size limits: estimate what a run will do before it starts, and refuse runs too large.

A run is refused (:class:`~caspian.errors.ValidationError`, exit code 2 on the command line)
before any work when its estimate exceeds a limit; the message gives the estimate, the
limit and what to reduce. The estimates follow what the engines actually do:

* **border, rail** (numba kernel): one event per arrival plus one per station visited, and
  about :data:`KERNEL_BYTES_PER_ENTITY_BASE` + :data:`KERNEL_BYTES_PER_ENTITY_STATION` × stations
  bytes per truck or wagon of a replication (inputs, per-station times, queues), measured.
* **port** (SimPy): about six events per export wagon, eight per wagon-load of an import
  ship and four per export wagon-load loaded on a ship; about 1 KiB per live process.

Replications running at the same time each hold their own memory, so the number of worker
processes is lowered to fit :data:`MAX_MEMORY_BYTES` (see :func:`workers_within_memory`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from caspian.errors import ValidationError

__all__ = [
    "MAX_DAYS",
    "MAX_EVENTS_CSV_ENTITIES",
    "MAX_KERNEL_EVENTS",
    "MAX_MEMORY_BYTES",
    "MAX_REPLICATIONS",
    "MAX_SIMPY_EVENTS",
    "MAX_SWEEP_POINTS",
    "MAX_WORKERS",
    "RunSize",
    "check_run_size",
    "workers_within_memory",
]

MAX_DAYS = 3660.0
"""Longest horizon accepted (ten years)."""
MAX_REPLICATIONS = 1000
"""Most replications of one run."""
MAX_WORKERS = 64
"""Most worker processes."""
MAX_SWEEP_POINTS = 500
"""Most points of a ``sweep`` grid."""
MAX_KERNEL_EVENTS = 500_000_000
"""Most events of the numba kernel in one command (about 80 s on 2 cores)."""
MAX_SIMPY_EVENTS = 20_000_000
"""Most SimPy events (port model) in one command (about 1–2 min on one core)."""
MAX_MEMORY_BYTES = 2 * 1024**3
"""Most memory the replications running at once may need (2 GiB)."""
MAX_EVENTS_CSV_ENTITIES = 500_000
"""Most trucks, wagons or ships of replication 0 written to ``events.csv`` (``-o``)."""

KERNEL_BYTES_PER_ENTITY_BASE = 160
KERNEL_BYTES_PER_ENTITY_STATION = 85
SIMPY_BYTES_PER_ENTITY = 1536
SIMPY_BYTES_BASE = 64 * 1024**2

_UNITS = {"border": "trucks", "rail": "wagons", "port": "wagons and ships"}


@dataclass(frozen=True)
class RunSize:
    """Estimated size of a run (all replications) of one model.

    Attributes
    ----------
    model
        ``border``, ``rail`` or ``port``.
    entities_per_replication
        Expected trucks, wagons or ships arriving in one replication.
    events_per_replication
        Expected engine events of one replication.
    bytes_per_replication
        Estimated peak memory of one replication.
    replications
        Number of replications.
    """

    model: str
    entities_per_replication: float
    events_per_replication: float
    bytes_per_replication: float
    replications: int

    @property
    def engine(self) -> str:
        """``"kernel"`` (numba) or ``"simpy"``."""
        return "simpy" if self.model == "port" else "kernel"

    @property
    def events(self) -> float:
        """Expected events of all replications."""
        return self.events_per_replication * self.replications


def tandem_size(
    model: str,
    *,
    entities_per_replication: float,
    stations_visited: float,
    stations: int,
    replications: int,
) -> RunSize:
    """Size of a border or rail run from its expected arrivals per replication."""
    n = max(entities_per_replication, 0.0)
    n_upper = n + 5.0 * math.sqrt(n) + 10.0  # Poisson: practically never exceeded
    per_entity = KERNEL_BYTES_PER_ENTITY_BASE + KERNEL_BYTES_PER_ENTITY_STATION * stations
    return RunSize(
        model=model,
        entities_per_replication=n,
        events_per_replication=n * (1.0 + stations_visited),
        bytes_per_replication=n_upper * per_entity,
        replications=replications,
    )


def port_size(
    *,
    export_wagons: float,
    import_ships: float,
    lots_per_ship: float,
    days: float,
    replications: int,
) -> RunSize:
    """Size of a port run from its expected arrivals per replication."""
    import_lots = import_ships * lots_per_ship
    events = 6.0 * export_wagons + 4.0 * export_wagons + 8.0 * import_lots + 96.0 * days
    live = export_wagons + import_ships + import_lots
    return RunSize(
        model="port",
        entities_per_replication=export_wagons + import_ships,
        events_per_replication=events,
        bytes_per_replication=SIMPY_BYTES_BASE + SIMPY_BYTES_PER_ENTITY * live,
        replications=replications,
    )


def _gib(n: float) -> str:
    return f"{n / 1024**3:,.1f} GiB"


def check_run_size(sizes: list[RunSize], *, events_csv: bool = False) -> None:
    """Refuse, before any work, a command whose runs together exceed a limit.

    Parameters
    ----------
    sizes
        One estimate per run the command will make (``compare`` and ``sweep`` make several).
    events_csv
        ``-o`` was given: replication 0 of each run is written to ``events.csv``.

    Raises
    ------
    ValidationError
        Naming the estimate, the limit and what to reduce.
    """
    reduce = "reduce the traffic, --days or --replications"
    for engine, limit in (("kernel", MAX_KERNEL_EVENTS), ("simpy", MAX_SIMPY_EVENTS)):
        mine = [s for s in sizes if s.engine == engine]
        events = sum(s.events for s in mine)
        if not math.isfinite(events) or events > limit:
            biggest = max(mine, key=lambda s: s.events)
            raise ValidationError(
                f"this command would process about {events:,.0f} simulation events "
                f"({biggest.entities_per_replication:,.0f} {_UNITS[biggest.model]} per "
                f"replication × {biggest.replications} replications"
                + (f", {len(mine)} runs" if len(mine) > 1 else "")
                + f"); the limit is {limit:,} events: {reduce}"
            )
    for s in sizes:
        if s.bytes_per_replication > MAX_MEMORY_BYTES:
            raise ValidationError(
                f"one replication of {s.entities_per_replication:,.0f} {_UNITS[s.model]} "
                f"would need about {_gib(s.bytes_per_replication)} of memory; the limit is "
                f"{_gib(MAX_MEMORY_BYTES)}: reduce the traffic or --days"
            )
        if events_csv and s.entities_per_replication > MAX_EVENTS_CSV_ENTITIES:
            raise ValidationError(
                f"-o would write events.csv for {s.entities_per_replication:,.0f} "
                f"{_UNITS[s.model]} (replication 0); the limit is "
                f"{MAX_EVENTS_CSV_ENTITIES:,}: reduce the traffic or --days, or leave out -o"
            )


def workers_within_memory(size: RunSize, workers: int) -> int:
    """The most of ``workers`` processes whose replications fit in :data:`MAX_MEMORY_BYTES`."""
    fit = int(MAX_MEMORY_BYTES // max(size.bytes_per_replication, 1.0))
    return max(1, min(workers, fit))
