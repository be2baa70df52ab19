"""Web API under load: 50 concurrent clients sending route requests to ``caspian serve``.

Starts ``caspian serve`` (uvicorn, one process, a temporary SQLite database) on a free port,
then 50 asyncio clients (httpx) send ``POST /api/v1/route`` for ``SECONDS`` seconds, each
with a random origin–destination pair (seed 20261124) among pairs the planner can route.
Reported: requests per second, p50 / p99 latency and errors (status ≥ 500 or no answer).

Peers measured in the same run: ``GET /api/v1/health`` under the same load (what FastAPI +
uvicorn cost with no work: the framework's floor) and the same route queries planned in
this process without HTTP (the library's own speed). Clients and server share the machine's
two cores, so the client's own CPU use is inside the figures.

``python -m benchmarks.bench_web [SECONDS]`` (default 60).
"""

from __future__ import annotations

import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

CLIENTS = 50
SECONDS = 60.0
SEED = 20261124
PAIRS = 200


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pairs() -> list[dict[str, Any]]:
    """Route requests the planner answers (cities and ports, random cargo and tonnes)."""
    from caspian.errors import CaspianError
    from caspian.io.tables import load_network
    from caspian.routing.search import plan_route

    network = load_network()
    rng = random.Random(SEED)
    places = sorted(n.id for n in network.nodes.values() if n.kind in ("city", "port"))
    cargo = ("wheat", "general_container", "tea", "steel")
    cargo = tuple(c for c in cargo if c in network.commodities) or ("general_container",)
    out: list[dict[str, Any]] = []
    while len(out) < PAIRS:
        a, b = rng.sample(places, 2)
        body = {"from": a, "to": b, "cargo": rng.choice(cargo), "tonnes": rng.choice((20, 1000))}
        try:
            plan_route(network, a, b, cargo=body["cargo"], tonnes=body["tonnes"])
        except CaspianError:
            continue
        out.append(body)
    return out


def _library_rate(pairs: list[dict[str, Any]]) -> tuple[float, float]:
    """Route queries per second and median ms, planned in this process (warm)."""
    from caspian.io.tables import load_network
    from caspian.routing.search import plan_route

    network = load_network()
    for body in pairs[:40]:  # warm the compiled kernels
        plan_route(network, body["from"], body["to"], cargo=body["cargo"], tonnes=body["tonnes"])
    times = []
    for body in pairs * 3:
        t0 = time.perf_counter()
        plan_route(network, body["from"], body["to"], cargo=body["cargo"], tonnes=body["tonnes"])
        times.append(time.perf_counter() - t0)
    return len(times) / sum(times), statistics.median(times) * 1000


async def _load(base: str, seconds: float, make: Any) -> tuple[int, int, list[float], float]:
    import httpx

    latencies: list[float] = []
    errors = 0
    rng = random.Random(SEED)
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    async with httpx.AsyncClient(base_url=base, timeout=30.0, limits=limits) as client:
        deadline = time.perf_counter() + seconds

        async def one_client() -> None:
            nonlocal errors
            while time.perf_counter() < deadline:
                t0 = time.perf_counter()
                try:
                    r = await make(client, rng)
                    ok = r.status_code < 500
                except httpx.HTTPError:
                    ok = False
                latencies.append(time.perf_counter() - t0)
                errors += not ok

        start = time.perf_counter()
        await asyncio.gather(*(one_client() for _ in range(CLIENTS)))
        wall = time.perf_counter() - start
    return len(latencies), errors, latencies, wall


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def main(seconds: float | None = None) -> None:
    """Print the markdown table."""
    if seconds is None:
        seconds = float(sys.argv[1]) if len(sys.argv) > 1 and __name__ == "__main__" else SECONDS
    pairs = _pairs()
    lib_rate, lib_ms = _library_rate(pairs)
    port = _free_port()
    folder = Path(tempfile.mkdtemp(prefix="caspian-bench-web-"))
    cmd = [
        sys.executable, "-m", "caspian", "serve", "--port", str(port),
        "--database-url", f"sqlite:///{folder / 'bench.sqlite3'}",
    ]  # fmt: skip
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    server = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        import httpx

        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{base}/api/v1/health", timeout=2)
                break
            except httpx.TransportError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("caspian serve did not start") from None
                time.sleep(0.2)

        async def route(client: Any, rng: random.Random) -> Any:
            return await client.post("/api/v1/route", json=rng.choice(pairs))

        async def health(client: Any, rng: random.Random) -> Any:
            return await client.get("/api/v1/health")

        asyncio.run(_load(base, 5.0, route))  # warm-up: compiled kernels, caches
        rows = []
        for label, make, secs in (
            ("`GET /api/v1/health` (framework floor)", health, min(seconds, 20.0)),
            ("`POST /api/v1/route`", route, seconds),
        ):
            n, errors, lat, wall = asyncio.run(_load(base, secs, make))
            rows.append((label, secs, n, n / wall, _pct(lat, 0.5), _pct(lat, 0.99), errors))
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        f"\n{CLIENTS} concurrent clients, one uvicorn process, SQLite; {PAIRS} route "
        f"queries (seed {SEED})\n"
    )
    print("| load | seconds | requests | requests/s | p50 ms | p99 ms | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, secs, n, rate, p50, p99, errors in rows:
        print(f"| {label} | {secs:g} | {n:,} | {rate:,.0f} | {p50:,.1f} | {p99:,.1f} | {errors} |")
    print(
        f"| same route queries in-process, no HTTP (library, 1 thread) | — | {len(pairs) * 3:,} "
        f"| {lib_rate:,.0f} | {lib_ms:.2f} | — | — |"
    )


if __name__ == "__main__":
    main()
