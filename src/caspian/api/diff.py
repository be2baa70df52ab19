"""What a scenario changes in the network: one human-readable line per changed value.

Compares the base network with the scenario-changed one section by section (nodes, links,
borders, terminals, services, mode costs), so the list shows the scenario's real effect
(a factor becomes the new hours, a closed node closes its links).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from caspian.model.network import Network

__all__ = ["network_diff"]

_SKIP = {"source", "note", "estimate"}


def _key_text(key: Hashable) -> str:
    if isinstance(key, tuple):
        return " ".join(str(k) for k in key)
    return str(key)


def _plain(value: Any) -> Any:
    if isinstance(value, float):
        return None if not math.isfinite(value) else round(value, 6)
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def _shown(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.4g}"
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value) or "none"
    return "none" if value is None else str(value)


def _section(
    section: str,
    label: str,
    before: Mapping[Any, Any],
    after: Mapping[Any, Any],
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for key in sorted(set(before) | set(after), key=_key_text):
        ident = _key_text(key)
        old, new = before.get(key), after.get(key)
        if old is None or new is None:
            what = "added" if old is None else "removed"
            out.append(
                {
                    "section": section,
                    "id": ident,
                    "field": None,
                    "before": None,
                    "after": None,
                    "text": f"{label} {ident}: {what}",
                }
            )
            continue
        for f in dataclasses.fields(old):
            if f.name in _SKIP:
                continue
            a, b = getattr(old, f.name), getattr(new, f.name)
            if a == b:
                continue
            out.append(
                {
                    "section": section,
                    "id": ident,
                    "field": f.name,
                    "before": _plain(a),
                    "after": _plain(b),
                    "text": f"{label} {ident}: {f.name} {_shown(a)} → {_shown(b)}",
                }
            )
    return out


def _keyed(items: Iterable[Any], key: Callable[[Any], Hashable]) -> dict[Hashable, Any]:
    return {key(i): i for i in items}


def network_diff(before: Network, after: Network) -> list[dict[str, Any]]:
    """Every value that differs between ``before`` and ``after``, section by section."""

    def border_key(b: Any) -> Hashable:
        return (b.node, b.mode, f"{b.from_country}->{b.to_country}")

    def transfer_key(t: Any) -> Hashable:
        return (t.node, f"{t.from_layer}->{t.to_layer}", t.method, t.cargo_class)

    def cost_key(c: Any) -> Hashable:
        return (c.mode, c.cargo_class)

    return [
        *_section("nodes", "node", dict(before.nodes), dict(after.nodes)),
        *_section("links", "link", dict(before.links), dict(after.links)),
        *_section(
            "borders",
            "border",
            _keyed(before.borders, border_key),
            _keyed(after.borders, border_key),
        ),
        *_section(
            "terminals",
            "terminal",
            _keyed(before.transfers, transfer_key),
            _keyed(after.transfers, transfer_key),
        ),
        *_section("services", "service", dict(before.services), dict(after.services)),
        *_section(
            "mode_costs",
            "mode cost",
            _keyed(before.mode_costs.values(), cost_key),
            _keyed(after.mode_costs.values(), cost_key),
        ),
    ]
