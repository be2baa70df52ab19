"""Running independent tasks on a Dask cluster: a local one by default, or a real one.

Used by the simulation sweeps (``caspian simulate sweep --backend dask``) and the flow
sweeps (``caspian flows sweep``). A local cluster starts one single-threaded worker process
per core (at most one per task); ``scheduler_address`` (``tcp://HOST:PORT``) uses a running
cluster instead — start one with ``dask scheduler`` and ``dask worker tcp://HOST:8786`` on
each machine, all with this package installed. An unreachable scheduler is reported within
:data:`DASK_CONNECT_SECONDS`, never waited on.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

from caspian.errors import ValidationError

__all__ = [
    "BACKENDS",
    "DASK_CONNECT_SECONDS",
    "check_backend",
    "check_scheduler_address",
    "map_local",
    "map_on_dask",
]

T = TypeVar("T")
R = TypeVar("R")

DASK_CONNECT_SECONDS = 5.0
"""How long a sweep waits for a Dask scheduler before giving up."""

BACKENDS = ("local", "dask")
"""Where a sweep runs: a process pool on this machine, or Dask."""


def check_backend(backend: str, scheduler_address: str | None) -> None:
    """Refuse an unknown backend, or a scheduler address without Dask or malformed."""
    if backend not in BACKENDS:
        raise ValidationError(f"unknown backend {backend!r}; valid: {', '.join(BACKENDS)}")
    if scheduler_address is not None:
        if backend != "dask":
            raise ValidationError("--scheduler-address needs --backend dask")
        check_scheduler_address(scheduler_address)


def map_local(
    fn: Callable[[T], R],
    items: Sequence[T],
    *,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    start_method: str | None = None,
) -> list[R]:
    """``[fn(x) for x in items]`` on a process pool of this machine, in order.

    One worker runs in this process. ``start_method`` (e.g. ``"forkserver"``) picks how
    worker processes start; ``fork`` is unsafe once OpenMP threads run (numba, HiGHS).
    """
    n = min(workers or os.cpu_count() or 1, len(items))
    out: list[R] = []
    if n <= 1:
        for i, item in enumerate(items):
            out.append(fn(item))
            if progress is not None:
                progress(i + 1, len(items))
        return out
    ctx = multiprocessing.get_context(start_method) if start_method else None
    with ProcessPoolExecutor(max_workers=n, mp_context=ctx) as pool:
        for i, res in enumerate(pool.map(fn, items)):
            out.append(res)
            if progress is not None:
                progress(i + 1, len(items))
    return out


_SCHEMES = ("tcp", "tls")


def check_scheduler_address(address: str) -> None:
    """Refuse a scheduler address that is not ``tcp://HOST:PORT`` or ``tls://HOST:PORT``."""
    scheme, sep, rest = address.partition("://")
    host, colon, port = rest.rpartition(":")
    ok = sep and scheme in _SCHEMES and colon and host and port.isdigit()
    if not ok or not 1 <= int(port) <= 65535:
        raise ValidationError(
            f"--scheduler-address must look like tcp://HOST:PORT (e.g. tcp://10.0.0.5:8786), "
            f"got {address[:80]!r}"
        )


def _connect(scheduler_address: str) -> Any:
    """A Dask client for the scheduler, or a clear error within :data:`DASK_CONNECT_SECONDS`."""
    import socket

    from distributed import Client

    class _QuietClient(Client):
        """A client that does not try (for 10 s) to close itself when never connected."""

        def __del__(self) -> None:
            pass

    _, _, rest = scheduler_address.partition("://")
    host, _, port = rest.rpartition(":")
    advice = "start it with `dask scheduler`, check the address, or use --backend local"
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=DASK_CONNECT_SECONDS):
            pass
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ValidationError(
            f"could not reach the Dask scheduler at {scheduler_address} within "
            f"{DASK_CONNECT_SECONDS:g} s ({reason}); {advice}"
        ) from None
    try:
        return _QuietClient(  # type: ignore[no-untyped-call]
            scheduler_address, timeout=f"{DASK_CONNECT_SECONDS:g}s", set_as_default=False
        )
    except Exception as exc:  # any failure to connect means the same to a user
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise ValidationError(
            f"could not reach the Dask scheduler at {scheduler_address} within "
            f"{DASK_CONNECT_SECONDS:g} s ({reason}): is it a Dask scheduler? {advice}"
        ) from None


def map_on_dask(
    fn: Callable[[T], R],
    grid: Sequence[T],
    *,
    scheduler_address: str | None = None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[R]:
    """``[fn(x) for x in grid]``, computed on Dask, in order; ``progress(done, total)``."""
    from distributed import Client, LocalCluster

    cluster: Any = None
    if scheduler_address is None:
        cluster = LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=min(workers or os.cpu_count() or 1, len(grid)),
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
        )
        client = Client(cluster)  # type: ignore[no-untyped-call]
    else:
        client = _connect(scheduler_address)
    try:
        futures = client.map(fn, grid, pure=False)
        out: list[R] = []
        for i, fut in enumerate(futures):
            out.append(fut.result())
            if progress is not None:
                progress(i + 1, len(grid))
        return out
    finally:
        client.close()  # type: ignore[no-untyped-call]
        if cluster is not None:
            cluster.close()
