"""The bundled network and its scenario-changed copies, kept in memory for the server's life.

A request names a scenario by built-in name or saved id; never by a file path (no request
value reaches the file system).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from caspian.api.errors import ApiError
from caspian.errors import CaspianError

if TYPE_CHECKING:
    from caspian.model.network import Network
    from caspian.scenarios import Scenario

__all__ = ["NetworkStore", "SavedLookup", "ScenarioRef", "saved_id"]

SavedLookup = Callable[[int], tuple[int, dict[str, Any]] | None]
"""Saved scenario id → (version, document), or ``None`` when there is no such scenario."""


def saved_id(text: str) -> int | None:
    """The saved scenario id ``text`` names (1 to 11 ASCII digits), else ``None``."""
    if 0 < len(text) < 12 and text.isascii() and text.isdigit():
        return int(text)
    return None


@dataclass(frozen=True, slots=True)
class ScenarioRef:
    """A resolved scenario: the cache key, its label and the parsed scenario."""

    key: tuple[str, ...]
    label: str
    scenario: Scenario


class NetworkStore:
    """The base network, and scenario-changed networks in a small LRU cache (thread-safe)."""

    def __init__(self, *, cache_size: int = 16) -> None:
        from caspian.io.tables import load_network
        from caspian.services.export import data_version

        self.base: Network = load_network()
        self.data_version = data_version(None)
        self._cache: OrderedDict[tuple[str, ...], Network] = OrderedDict()
        self._size = max(1, cache_size)
        self._lock = threading.Lock()

    def resolve(
        self, ref: str | None, saved: SavedLookup, *, field: str = "scenario"
    ) -> ScenarioRef | None:
        """The scenario ``ref`` names (built-in name or saved id), or ``None`` for none.

        Raises
        ------
        ApiError
            422 for a name that is neither a built-in nor a saved id (listing the valid ones),
            or a saved document that no longer validates.
        """
        from caspian.scenarios import builtin_names, load_scenario, parse_scenario

        if ref is None or not ref.strip():
            return None
        ref = ref.strip()
        if ref in builtin_names():
            return ScenarioRef(("builtin", ref), ref, load_scenario(ref))
        number = saved_id(ref)
        if number is not None:
            found = saved(number)
            if found is not None:
                version, document = found
                origin = f"saved scenario {ref}"
                try:
                    scn = parse_scenario(document, origin=origin)
                except CaspianError as exc:
                    raise ApiError.from_library(exc, field=field) from None
                return ScenarioRef(("saved", ref, str(version)), scn.name, scn)
        raise ApiError(
            422,
            "unknown_scenario",
            f"Unknown scenario '{ref[:60]}'. Built-in scenarios: {', '.join(builtin_names())}; "
            "or the id of a saved scenario (GET /api/v1/scenarios).",
            field=field,
        )

    def network(self, ref: ScenarioRef | None) -> Network:
        """The base network with ``ref`` applied (checked against the network's ids)."""
        from caspian.scenarios import apply_scenario

        if ref is None:
            return self.base
        with self._lock:
            hit = self._cache.get(ref.key)
            if hit is not None:
                self._cache.move_to_end(ref.key)
                return hit
        try:
            changed = apply_scenario(self.base, ref.scenario)
        except CaspianError as exc:
            raise ApiError.from_library(exc, field="scenario") from None
        with self._lock:
            self._cache[ref.key] = changed
            while len(self._cache) > self._size:
                self._cache.popitem(last=False)
        return changed

    def forget(self, scenario_id: int) -> None:
        """Drop the cached networks of a saved scenario (after an update or delete)."""
        with self._lock:
            for key in [k for k in self._cache if k[:2] == ("saved", str(scenario_id))]:
                del self._cache[key]
