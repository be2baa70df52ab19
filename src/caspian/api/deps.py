"""Request dependencies: the app's state, a database session, the write token."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from caspian.api.errors import ApiError
from caspian.db.tokens import TokenInfo, verify_token

if TYPE_CHECKING:
    from caspian.api.networks import NetworkStore, ScenarioRef
    from caspian.api.runs import RunManager
    from caspian.api.settings import Settings

__all__ = ["AppState", "DbSession", "ResultCache", "State", "WriteToken", "saved_lookup"]


class ResultCache:
    """Results of a pure computation, by their parameters (small LRU, thread-safe)."""

    def __init__(self, size: int = 32) -> None:
        import threading
        from collections import OrderedDict

        self._items: OrderedDict[str, Any] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, params: dict[str, Any], compute: Any) -> Any:
        """The cached result of ``compute(params)``, computing it once."""
        import json

        key = json.dumps(params, sort_keys=True)
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = compute(params)
        with self._lock:
            self._items[key] = value
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return value


@dataclass(slots=True)
class AppState:
    """Everything one server holds: settings, database, networks, the run manager."""

    settings: Settings
    engine: Engine
    networks: NetworkStore
    runs: RunManager
    database: str
    flows: ResultCache


def _state(request: Request) -> AppState:
    state: AppState = request.app.state.caspian
    return state


State = Annotated[AppState, Depends(_state)]


def _session(state: State) -> Iterator[Session]:
    with Session(state.engine, expire_on_commit=False) as session:
        yield session


DbSession = Annotated[Session, Depends(_session)]


def _token(request: Request, session: DbSession) -> TokenInfo:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    challenge = {"WWW-Authenticate": "Bearer"}
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(
            401,
            "unauthorized",
            "writing needs a token: send 'Authorization: Bearer <token>'; "
            "make one with: caspian token create --name NAME",
            headers=challenge,
        )
    info = verify_token(session, token.strip())
    if info is None:
        raise ApiError(
            401,
            "unauthorized",
            "the token is unknown or revoked; make one with: caspian token create --name NAME",
            headers=challenge,
        )
    return info


WriteToken = Annotated[TokenInfo, Depends(_token)]


def saved_lookup(session: Session) -> Any:
    """A :data:`~caspian.api.networks.SavedLookup` reading saved scenarios from ``session``."""
    from caspian.db.models import SavedScenario

    def lookup(scenario_id: int) -> tuple[int, dict[str, Any]] | None:
        row = session.get(SavedScenario, scenario_id)
        return None if row is None else (row.version, row.document)

    return lookup


def scenario_network(state: AppState, session: Session, ref: str | None) -> tuple[Any, Any]:
    """The network a request's ``scenario`` names, and the resolved scenario (or ``None``)."""
    resolved: ScenarioRef | None = state.networks.resolve(ref, saved_lookup(session))
    return state.networks.network(resolved), resolved
