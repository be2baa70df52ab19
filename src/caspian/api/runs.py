"""The run manager: a bounded pool of worker threads, each driving one run process at a time.

A run is a row in the ``runs`` table. ``submit`` queues it; a worker claims the oldest queued
run with a conditional update (so several server processes can share one database), starts
it in a fresh process (``spawn``), records its progress, and stores the result. Cancel and
the time limit stop the process at once. At start, runs left ``running`` by a server that
stopped are marked failed; queued ones are picked up again.
"""

from __future__ import annotations

import json
import logging
import queue
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from caspian.api.errors import ApiError
from caspian.api.settings import Settings
from caspian.db.models import Run, now, utc

__all__ = ["STOPPED", "TERMINAL", "RunManager", "run_doc"]

log = logging.getLogger("caspian.api.runs")

STOPPED = "server stopped during the run"
TERMINAL = ("done", "failed", "cancelled")
_POLL_S = 0.25


def _iso(value: Any) -> str | None:
    stamp = utc(value)
    return None if stamp is None else stamp.isoformat()


def run_doc(run: Run, *, result: bool = True) -> dict[str, Any]:
    """A run as the API returns it."""
    doc: dict[str, Any] = {
        "id": run.id,
        "kind": run.kind,
        "params": run.params,
        "status": run.status,
        "progress": run.progress,
        "message": run.message,
        "created_at": _iso(run.created_at),
        "started_at": _iso(run.started_at),
        "finished_at": _iso(run.finished_at),
    }
    if result:
        doc["result"] = run.result
    return doc


def _read_lines(process: subprocess.Popen[str], lines: queue.Queue[str | None]) -> None:
    """Feed the process's output lines into ``lines``; ``None`` at the end."""
    assert process.stdout is not None
    try:
        for line in process.stdout:
            lines.put(line)
    except (OSError, ValueError):
        pass
    finally:
        lines.put(None)


def _decode(line: str) -> list[Any] | None:
    try:
        message = json.loads(line)
    except ValueError:
        return None
    return message if isinstance(message, list) and message else None


@dataclass
class _Active:
    process: subprocess.Popen[str]
    started: float
    last_write: float = 0.0
    progress: float = 0.0
    message: str = ""


class RunManager:
    """Queue, run, watch and cancel runs; ``start`` and ``stop`` with the server."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self._engine = engine
        self._settings = settings
        self._wake = threading.Condition()
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._active: dict[str, _Active] = {}
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ lifecycle

    def recover(self) -> int:
        """Mark runs left ``running`` by a stopped server as failed; how many there were."""
        with Session(self._engine) as session, session.begin():
            res = session.execute(
                update(Run)
                .where(Run.status == "running")
                .values(status="failed", message=STOPPED, finished_at=now())
            )
            return int(getattr(res, "rowcount", 0) or 0)

    def start(self) -> None:
        """Recover, then start the worker threads."""
        self.recover()
        self._stopping.clear()
        for i in range(max(1, self._settings.run_workers)):
            thread = threading.Thread(target=self._work, name=f"caspian-run-{i}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        """Stop the workers; runs still working are stopped and marked failed."""
        self._stopping.set()
        with self._wake:
            self._wake.notify_all()
        with self._lock:
            active = dict(self._active)
        for run_id, act in active.items():
            self._finish(run_id, "failed", STOPPED)
            self._kill(act.process)
        for thread in self._threads:
            thread.join(timeout=10)
        self._threads.clear()

    # ------------------------------------------------------------------ requests

    def submit(self, kind: str, params: dict[str, Any]) -> Run:
        """Queue a run (parameters already checked); 503 when the queue is full."""
        with Session(self._engine, expire_on_commit=False) as session, session.begin():
            queued = session.scalar(
                select(func.count()).select_from(Run).where(Run.status == "queued")
            )
            if (queued or 0) >= self._settings.max_queued_runs:
                raise ApiError(
                    503,
                    "busy",
                    f"{queued} runs are waiting already; try again when some have finished",
                    headers={"Retry-After": "30"},
                )
            run = Run(
                id=uuid.uuid4().hex,
                kind=kind,
                params=params,
                status="queued",
                progress=0.0,
                message="waiting for a free worker",
                created_at=now(),
            )
            session.add(run)
        with self._wake:
            self._wake.notify()
        return run

    def cancel(self, session: Session, run: Run) -> Run:
        """Cancel a queued or running run (its process is stopped within a moment)."""
        if run.status in TERMINAL:
            raise ApiError(409, "conflict", f"run {run.id} is already {run.status}")
        res = session.execute(
            update(Run)
            .where(Run.id == run.id, Run.status.in_(("queued", "running")))
            .values(status="cancelled", message="cancelled", finished_at=now())
        )
        session.commit()
        if not getattr(res, "rowcount", 0):
            session.refresh(run)
            raise ApiError(409, "conflict", f"run {run.id} is already {run.status}")
        session.refresh(run)
        with self._lock:
            act = self._active.get(run.id)
        if act is not None:
            self._kill(act.process)
        return run

    # ------------------------------------------------------------------ workers

    def _work(self) -> None:
        while not self._stopping.is_set():
            try:
                claimed = self._claim()
            except Exception:  # database away for a moment: retry later
                log.exception("could not claim a run")
                claimed = None
            if claimed is None:
                with self._wake:
                    self._wake.wait(timeout=1.0)
                continue
            try:
                self._execute(*claimed)
            except Exception:
                log.exception("run %s failed in the manager", claimed[0])
                self._finish(claimed[0], "failed", "the run stopped with an internal error")

    def _claim(self) -> tuple[str, str, dict[str, Any]] | None:
        with Session(self._engine) as session, session.begin():
            for run in session.scalars(
                select(Run).where(Run.status == "queued").order_by(Run.created_at).limit(5)
            ):
                res = session.execute(
                    update(Run)
                    .where(Run.id == run.id, Run.status == "queued")
                    .values(status="running", started_at=now(), message="starting")
                )
                if getattr(res, "rowcount", 0) == 1:
                    return run.id, run.kind, dict(run.params)
        return None

    def _execute(self, run_id: str, kind: str, params: dict[str, Any]) -> None:
        process = subprocess.Popen(
            [sys.executable, "-m", "caspian.api.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        act = _Active(process=process, started=time.monotonic())
        with self._lock:
            self._active[run_id] = act
        lines: queue.Queue[str | None] = queue.Queue()
        reader = threading.Thread(target=_read_lines, args=(process, lines), daemon=True)
        try:
            assert process.stdin is not None
            process.stdin.write(json.dumps({"kind": kind, "params": params}))
            process.stdin.close()
            reader.start()
            self._watch(run_id, act, lines)
        finally:
            with self._lock:
                self._active.pop(run_id, None)
            self._kill(process)
            reader.join(timeout=5)

    def _watch(self, run_id: str, act: _Active, lines: queue.Queue[str | None]) -> None:
        limit = self._settings.run_time_limit_s
        last_check = 0.0
        while True:
            if self._stopping.is_set():
                return  # stop() marks the run failed
            message: list[Any] | None = None
            try:
                line = lines.get(timeout=_POLL_S)
            except queue.Empty:
                pass
            else:
                message = ["failed", self._died(act.process)] if line is None else _decode(line)
            if message:
                if message[0] == "progress":
                    self._progress(run_id, act, float(message[1]), str(message[2]))
                elif message[0] == "done":
                    self._finish(run_id, "done", self._took(act), result=message[1])
                    return
                else:
                    self._finish(run_id, "failed", str(message[1]))
                    return
            elapsed = time.monotonic() - act.started
            if elapsed > limit:
                self._kill(act.process)
                self._finish(
                    run_id,
                    "failed",
                    f"stopped at the run-time limit of {limit:g} s; try fewer days or replications",
                )
                return
            if elapsed - last_check >= 1.0:  # cancelled meanwhile (maybe by another server)?
                last_check = elapsed
                if self._status(run_id) != "running":
                    self._kill(act.process)
                    return

    # ------------------------------------------------------------------ helpers

    @staticmethod
    def _took(act: _Active) -> str:
        return f"done in {time.monotonic() - act.started:.1f} s"

    @staticmethod
    def _died(process: subprocess.Popen[str]) -> str:
        try:
            code = process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            code = None
        return f"the run's process stopped unexpectedly (exit code {code})"

    @staticmethod
    def _kill(process: subprocess.Popen[str]) -> None:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=3)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=3)

    def _status(self, run_id: str) -> str | None:
        with Session(self._engine) as session:
            return session.scalar(select(Run.status).where(Run.id == run_id))

    def _progress(self, run_id: str, act: _Active, fraction: float, message: str) -> None:
        fraction = min(max(fraction, 0.0), 1.0)
        now_s = time.monotonic()
        if (
            message == act.message
            and fraction - act.progress < 0.01
            and now_s - act.last_write < 0.5
        ):
            return
        act.progress, act.message, act.last_write = fraction, message, now_s
        with Session(self._engine) as session, session.begin():
            session.execute(
                update(Run)
                .where(Run.id == run_id, Run.status == "running")
                .values(progress=fraction, message=message)
            )

    def _finish(
        self, run_id: str, status: str, message: str, *, result: dict[str, Any] | None = None
    ) -> None:
        values: dict[str, Any] = {"status": status, "message": message, "finished_at": now()}
        if status == "done":
            values.update(progress=1.0, result=result)
        with Session(self._engine) as session, session.begin():
            session.execute(
                update(Run).where(Run.id == run_id, Run.status == "running").values(**values)
            )
