"""Uncertain parameters of the network, as multiplicative factors on edge components.

Every estimated figure that drives a verdict — road and rail speeds by region, unit costs,
clearance hours per crossing and direction, sailing waits, transfer hours — is a
:class:`Param`: a key naming the table row it comes from, and the range of the factor by
which the real value may differ from the table's (from the row's ``_low``/``_high``
columns). The expanded graph records, per edge, which parameter scales which component, so
a Monte Carlo draw or a calibration step rescales arrays without rebuilding the graph.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["COMPONENTS", "Param", "ParamTable"]

COMPONENTS: tuple[str, ...] = ("speed", "cost", "border", "wait", "handling")
"""What a parameter scales: hours moving (and resting), line-haul money, clearance hours,
sailing waits, transfer hours."""


@dataclass(frozen=True, slots=True)
class Param:
    """One uncertain parameter.

    Attributes
    ----------
    key
        Unique name, e.g. ``speed:road:iran``, ``border:bc_astara_road:road:IR>AZ``.
    component
        One of :data:`COMPONENTS`.
    low_factor, high_factor
        Range of the factor on the component (1 = the table's value).
    label
        Human-readable name.
    source
        Where the value and its range come from (the table row's source).
    table, row
        The data table and the row's key (for writing calibrated values back).
    """

    key: str
    component: str
    low_factor: float
    high_factor: float
    label: str
    source: str
    table: str
    row: tuple[str, ...]

    @property
    def uncertain(self) -> bool:
        """Whether the range is wider than the value."""
        return self.high_factor > self.low_factor


@dataclass
class ParamTable:
    """Registers parameters while the graph is built; index 0 means "no parameter"."""

    params: list[Param] = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)

    def add(self, param: Param) -> int:
        """Return the index (1-based) of ``param``, registering it once."""
        found = self.index.get(param.key)
        if found is not None:
            return found
        self.params.append(param)
        self.index[param.key] = len(self.params)
        return len(self.params)


def factor_range(value: float, low: float, high: float) -> tuple[float, float]:
    """Factor range of a value with range ``[low, high]`` (``(1, 1)`` for a zero value)."""
    if value <= 0:
        return 1.0, 1.0
    return low / value, high / value


def inverse_range(value: float, low: float, high: float) -> tuple[float, float]:
    """Factor range on time of a speed ``value`` with range ``[low, high]``."""
    if low <= 0 or high <= 0:
        return 1.0, 1.0
    return value / high, value / low
