"""Scenarios: the shipped ones (read-only) and saved ones with their versions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Response
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from caspian.api.deps import AppState, DbSession, State, WriteToken, saved_lookup
from caspian.api.errors import ApiError
from caspian.api.networks import saved_id
from caspian.api.schemas import ScenarioBody
from caspian.db.models import SavedScenario, ScenarioVersion, now, utc
from caspian.errors import CaspianError

__all__ = ["router"]

router = APIRouter(prefix="/scenarios")

ScenarioId = Annotated[
    str, Path(max_length=200, description="A built-in scenario's name or a saved scenario's id.")
]


def _builtin_document(name: str) -> dict[str, Any]:
    from importlib import resources

    from caspian.io.yamlsafe import load_yaml_text

    text = (resources.files("caspian.scenarios") / "builtin" / f"{name}.yaml").read_text("utf-8")
    data = load_yaml_text(text, origin=f"scenario {name}")
    assert isinstance(data, dict)
    return data


def _iso(value: Any) -> str | None:
    stamp = utc(value)
    return None if stamp is None else stamp.isoformat()


def _builtin_summary(name: str) -> dict[str, Any]:
    from caspian.scenarios import load_scenario

    return {
        "id": name,
        "name": name,
        "description": load_scenario(name).description,
        "builtin": True,
        "read_only": True,
        "version": 1,
        "created_at": None,
        "updated_at": None,
    }


def _summary(row: SavedScenario) -> dict[str, Any]:
    return {
        "id": str(row.id),
        "name": row.name,
        "description": row.description,
        "builtin": False,
        "read_only": False,
        "version": row.version,
        "created_at": _iso(row.created_at),
        "updated_at": _iso(row.updated_at),
    }


def _saved(session: Session, scenario_id: str) -> SavedScenario:
    number = saved_id(scenario_id)
    row = None if number is None else session.get(SavedScenario, number)
    if row is None:
        raise ApiError(
            404,
            "not_found",
            f"no scenario '{scenario_id[:60]}'; list them with GET /api/v1/scenarios",
        )
    return row


def _is_builtin(scenario_id: str) -> bool:
    from caspian.scenarios import builtin_names

    return scenario_id in builtin_names()


def _checked(state: AppState, body: ScenarioBody) -> tuple[dict[str, Any], int]:
    """The document with the body's name and description, validated; and its change count."""
    document = dict(body.document)
    if body.name is not None:
        document["name"] = body.name
    if body.description is not None:
        document["description"] = body.description
    return document, _validate(state, document)


def _validate(state: AppState, document: dict[str, Any]) -> int:
    """Check ``document`` against the schema and the network's ids; its change count."""
    from caspian.scenarios import apply_scenario, parse_scenario

    try:
        scn = parse_scenario(document, origin="document")
        apply_scenario(state.networks.base, scn)
    except CaspianError as exc:
        raise ApiError.from_library(exc, field="document") from None
    return len(scn.changes)


def _name_free(session: Session, name: str, *, own_id: int | None = None) -> None:
    if _is_builtin(name):
        raise ApiError(
            409, "conflict", f"'{name}' is a built-in scenario's name; choose another name"
        )
    found = session.scalars(select(SavedScenario).where(SavedScenario.name == name)).first()
    if found is not None and found.id != own_id:
        raise ApiError(
            409,
            "conflict",
            f"a saved scenario is already named '{name}' (id {found.id}); "
            "choose another name or update that one",
        )


def _full(row: SavedScenario) -> dict[str, Any]:
    return {**_summary(row), "document": row.document}


@router.get("")
def list_scenarios(session: DbSession) -> list[dict[str, Any]]:
    """The built-in scenarios (read-only) and the saved ones."""
    from caspian.scenarios import builtin_names

    saved = session.scalars(select(SavedScenario).order_by(SavedScenario.id))
    return [_builtin_summary(n) for n in builtin_names()] + [_summary(r) for r in saved]


@router.post("/validate")
def validate(document: dict[str, Any], state: State) -> dict[str, Any]:
    """Check a scenario document (the YAML schema as JSON) without saving it."""
    return {"valid": True, "changes": _validate(state, document)}


@router.post("", status_code=201)
def create(body: ScenarioBody, state: State, session: DbSession, _: WriteToken) -> dict[str, Any]:
    """Save a new scenario (version 1)."""
    document, _count = _checked(state, body)
    name = str(document["name"]).strip()
    _name_free(session, name)
    stamp = now()
    row = SavedScenario(
        name=name,
        description=str(document.get("description", "")),
        version=1,
        document=document,
        created_at=stamp,
        updated_at=stamp,
    )
    row.versions.append(
        ScenarioVersion(
            version=1,
            name=row.name,
            description=row.description,
            document=document,
            created_at=stamp,
        )
    )
    session.add(row)
    _commit(session, name)
    return _full(row)


def _commit(session: Session, name: str) -> None:
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise ApiError(
            409, "conflict", f"a saved scenario is already named '{name}' (saved meanwhile)"
        ) from None


@router.get("/{scenario_id}")
def read(scenario_id: ScenarioId, session: DbSession) -> dict[str, Any]:
    """A scenario with its document."""
    if _is_builtin(scenario_id):
        return {**_builtin_summary(scenario_id), "document": _builtin_document(scenario_id)}
    return _full(_saved(session, scenario_id))


def _read_only(scenario_id: str) -> ApiError:
    return ApiError(
        409,
        "read_only",
        f"'{scenario_id}' is a built-in scenario and cannot be changed; "
        "save a copy under another name (POST /api/v1/scenarios)",
    )


@router.put("/{scenario_id}")
def update(
    scenario_id: ScenarioId,
    body: ScenarioBody,
    state: State,
    session: DbSession,
    _: WriteToken,
) -> dict[str, Any]:
    """Save a new version of a saved scenario (409 if ``version`` is not the stored one)."""
    if _is_builtin(scenario_id):
        raise _read_only(scenario_id)
    row = _saved(session, scenario_id)
    if body.version is not None and body.version != row.version:
        raise ApiError(
            409,
            "conflict",
            f"scenario {row.id} is at version {row.version}, not {body.version}: someone "
            "saved it meanwhile; reload it and apply your changes again",
        )
    document, _count = _checked(state, body)
    name = str(document["name"]).strip()
    _name_free(session, name, own_id=row.id)
    stamp = now()
    row.version += 1
    row.name = name
    row.description = str(document.get("description", ""))
    row.document = document
    row.updated_at = stamp
    session.add(
        ScenarioVersion(
            scenario_id=row.id,
            version=row.version,
            name=name,
            description=row.description,
            document=document,
            created_at=stamp,
        )
    )
    _commit(session, name)
    state.networks.forget(row.id)
    return _full(row)


@router.delete("/{scenario_id}", status_code=204)
def delete(scenario_id: ScenarioId, state: State, session: DbSession, _: WriteToken) -> Response:
    """Delete a saved scenario and its versions."""
    if _is_builtin(scenario_id):
        raise _read_only(scenario_id)
    row = _saved(session, scenario_id)
    session.delete(row)
    session.commit()
    state.networks.forget(row.id)
    return Response(status_code=204)


@router.get("/{scenario_id}/versions")
def versions(scenario_id: ScenarioId, session: DbSession) -> list[dict[str, Any]]:
    """Every saved version of a scenario, newest first."""
    if _is_builtin(scenario_id):
        doc = _builtin_document(scenario_id)
        return [
            {
                "version": 1,
                "name": scenario_id,
                "description": str(doc.get("description", "")),
                "created_at": None,
                "document": doc,
            }
        ]
    row = _saved(session, scenario_id)
    rows = session.scalars(
        select(ScenarioVersion)
        .where(ScenarioVersion.scenario_id == row.id)
        .order_by(ScenarioVersion.version.desc())
    )
    return [
        {
            "version": v.version,
            "name": v.name,
            "description": v.description,
            "created_at": _iso(v.created_at),
            "document": v.document,
        }
        for v in rows
    ]


@router.get("/{scenario_id}/diff")
def diff(scenario_id: ScenarioId, state: State, session: DbSession) -> dict[str, Any]:
    """What the scenario changes in the base network, one line per changed value."""
    from caspian.analysis.compare import new_links
    from caspian.api.diff import network_diff

    if not _is_builtin(scenario_id):
        _saved(session, scenario_id)  # 404 before anything else
    resolved = state.networks.resolve(scenario_id, saved_lookup(session))
    assert resolved is not None
    after = state.networks.network(resolved)
    base = state.networks.base
    return {
        "id": scenario_id,
        "name": resolved.label,
        "changes": network_diff(base, after),
        "new_links": new_links(base, after),
    }
