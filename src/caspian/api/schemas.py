"""Request bodies (pydantic 2): the command line's options as JSON, checked at the boundary.

Ranges here keep every request bounded in time (alternatives ≤ 5, uncertainty ≤ 2,000
draws, ≤ 5 via places); the library then checks what only it can (places, cargo, ids).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

__all__ = [
    "MAX_ALTERNATIVES",
    "MAX_DRAWS",
    "RouteBody",
    "RunBody",
    "ScenarioBody",
    "TcdBody",
]

MAX_ALTERNATIVES = 5
MAX_DRAWS = 2000
MAX_SEED = 2**31 - 1

Mode = Literal["road", "rail", "sea", "rail_ferry", "truck_ferry"]
Place = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Country = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2}$")]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, allow_inf_nan=False)


class RouteBody(_Body):
    """A shipment and the planner's options (as ``caspian route``)."""

    origin: Place = Field(alias="from", description="Origin: id, English/Persian name or alias.")
    destination: Place = Field(alias="to", description="Destination: id, name or alias.")
    cargo: Annotated[str, StringConstraints(min_length=1, max_length=100)] = Field(
        "general_container", description="Commodity id or name (GET /api/v1/cargo)."
    )
    tonnes: float = Field(20.0, gt=0, le=10_000_000, description="Shipment size in tonnes.")
    objective: Literal["generalized", "cost", "time", "co2"] = "generalized"
    modes: list[Mode] | None = Field(None, min_length=1, max_length=5)
    avoid: list[Place] = Field(default_factory=list, max_length=20)
    avoid_country: list[Country] = Field(default_factory=list, max_length=20)
    via: list[Place] = Field(default_factory=list, max_length=5)
    include_planned: bool = False
    max_hours: float | None = Field(None, gt=0, le=100_000)
    carbon_price: float = Field(0.0, ge=0, le=100_000, description="USD per tonne CO2e.")
    scenario: Annotated[str, StringConstraints(max_length=200)] | None = Field(
        None, description="Built-in scenario name or saved scenario id."
    )
    alternatives: int = Field(0, ge=0, le=MAX_ALTERNATIVES)
    uncertainty: int = Field(0, ge=0, le=MAX_DRAWS, description="Monte Carlo draws (0 = off).")
    seed: int = Field(0, ge=0, le=MAX_SEED)
    lang: Literal["en", "fa"] = "en"

    def echo(self) -> dict[str, Any]:
        """The query as the response echoes it (``from`` / ``to`` as in the request)."""
        return self.model_dump(by_alias=True)


class TcdBody(RouteBody):
    """A route query plus the routes to chart (``caspian tcd``)."""

    compare: Annotated[str, StringConstraints(max_length=500)] | None = Field(
        None, description="Route specs 'label=modes' separated by ';'."
    )
    alternatives: int = Field(0, ge=0, le=10)


class ScenarioBody(_Body):
    """A scenario to save: a name, a description and the document (the YAML schema as JSON)."""

    name: Annotated[str, StringConstraints(max_length=200)] | None = None
    description: Annotated[str, StringConstraints(max_length=5000)] | None = None
    document: dict[str, Any]
    version: int | None = Field(
        None, ge=1, description="On update: the version edited (409 if a newer one is stored)."
    )


class RunBody(_Body):
    """A long job: its kind and parameters (see GET /api/v1/runs/kinds)."""

    kind: Literal["simulate-border", "simulate-port", "flows-assign"]
    params: dict[str, Any] = Field(default_factory=dict)
