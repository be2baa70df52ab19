"""Runs: queue long work (simulations), follow its progress (polling or SSE), cancel it."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import StreamingResponse
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from caspian.api.deps import DbSession, State, WriteToken
from caspian.api.errors import ApiError
from caspian.api.runs import TERMINAL, run_doc
from caspian.api.schemas import RunBody
from caspian.db.models import Run
from caspian.errors import CaspianError

__all__ = ["router"]

router = APIRouter(prefix="/runs")

RunId = Annotated[str, Path(max_length=64, description="The run's id (32 hex digits).")]
_SSE_POLL_S = 0.5
_SSE_KEEPALIVE_S = 15.0


def _get(session: Session, run_id: str) -> Run:
    run = session.get(Run, run_id) if len(run_id) == 32 else None
    if run is None:
        raise ApiError(404, "not_found", f"no run '{run_id[:64]}'; list them with GET /api/v1/runs")
    return run


@router.get("/kinds")
def kinds() -> list[dict[str, Any]]:
    """Kinds of run with their config scenarios, defaults, limits and levers."""
    from caspian.api.jobs import kinds_doc

    return kinds_doc()


@router.post("", status_code=202)
def submit(body: RunBody, state: State, _: WriteToken) -> dict[str, Any]:
    """Queue a run; 202 with its id. Parameters are checked before anything is queued."""
    from caspian.api.jobs import check_params

    try:
        params = check_params(body.kind, body.params)
    except CaspianError as exc:
        raise ApiError.from_library(exc, field="params") from None
    return run_doc(state.runs.submit(body.kind, params))


@router.get("")
def list_runs(session: DbSession) -> list[dict[str, Any]]:
    """The 50 newest runs, without their results."""
    rows = session.scalars(select(Run).order_by(Run.created_at.desc()).limit(50))
    return [run_doc(r, result=False) for r in rows]


@router.get("/{run_id}")
def read(run_id: RunId, session: DbSession) -> dict[str, Any]:
    """A run: status, progress, message and, when done, its result."""
    return run_doc(_get(session, run_id))


@router.post("/{run_id}/cancel")
def cancel(run_id: RunId, state: State, session: DbSession, _: WriteToken) -> dict[str, Any]:
    """Cancel a queued or running run (409 when it has finished)."""
    return run_doc(state.runs.cancel(session, _get(session, run_id)))


def _snapshot(state: State, run_id: str) -> dict[str, Any] | None:
    with Session(state.engine) as session:
        run = session.get(Run, run_id)
        return None if run is None else run_doc(run, result=False)


def _event(name: str, data: dict[str, Any]) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


@router.get(
    "/{run_id}/events",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
def events(run_id: RunId, request: Request, state: State, session: DbSession) -> StreamingResponse:
    """Server-Sent Events: ``progress`` on each change, then ``done``, ``failed`` or
    ``cancelled``."""
    _get(session, run_id)

    async def stream() -> AsyncIterator[str]:
        last: tuple[Any, ...] | None = None
        quiet = 0.0
        while True:
            snap = await run_in_threadpool(_snapshot, state, run_id)
            if snap is None:
                yield _event("failed", {"status": "failed", "message": "the run was deleted"})
                return
            key = (snap["status"], snap["progress"], snap["message"])
            if key != last:
                last, quiet = key, 0.0
                brief = {k: snap[k] for k in ("status", "progress", "message")}
                yield _event("progress", brief)
            if snap["status"] in TERMINAL:
                yield _event(snap["status"], snap)
                return
            if quiet >= _SSE_KEEPALIVE_S:
                quiet = 0.0
                yield ": keep-alive\n\n"
            if await request.is_disconnected():
                return
            await asyncio.sleep(_SSE_POLL_S)
            quiet += _SSE_POLL_S

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
