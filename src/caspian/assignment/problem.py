"""The generic traffic-assignment problem: links, delay functions, classes and demand.

One structure serves every solver and every network (TNTP files, the Caspian freight
network): a directed graph of links with a BPR-type delay on each, and one or more
*classes* of demand. A class has its own origin–destination demand (in its own units, e.g.
tonnes), its own fixed cost per unit on each link (money, tolls, distance), its own value of
time (cost units per unit of congested time) and its own passenger-car equivalent (vehicle
units per unit of demand, e.g. trucks per tonne). Congestion is shared: every link's delay
grows with the *vehicle* flow of all classes together.

Link time (the delay function, BPR form)::

    t_a(v) = t0_a * (1 + alpha_a * (v / capacity_a) ** beta_a)

with ``v`` the link's vehicle flow; ``capacity = inf`` makes a link uncongested (``t = t0``).
Class ``k``'s cost of one unit of demand on link ``a`` is
``fixed_cost[k, a] + value_of_time[k] * t_a(v)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from caspian.errors import ValidationError

__all__ = ["AssignmentProblem", "Demand", "FloatArray", "IntArray"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class Demand:
    """One class's origin–destination demand, sparse.

    Parameters
    ----------
    origins, destinations
        0-based node indices, one entry per pair.
    volumes
        Demand of each pair in the class's own units (e.g. tonnes per day); ``>= 0``.
    """

    origins: IntArray
    destinations: IntArray
    volumes: FloatArray

    def __post_init__(self) -> None:
        o = np.ascontiguousarray(self.origins, dtype=np.int64).reshape(-1)
        d = np.ascontiguousarray(self.destinations, dtype=np.int64).reshape(-1)
        v = np.ascontiguousarray(self.volumes, dtype=np.float64).reshape(-1)
        if not (o.shape == d.shape == v.shape):
            raise ValidationError(
                f"demand: origins, destinations and volumes must have the same length; got "
                f"{o.size}, {d.size} and {v.size}"
            )
        object.__setattr__(self, "origins", o)
        object.__setattr__(self, "destinations", d)
        object.__setattr__(self, "volumes", v)

    @property
    def total(self) -> float:
        """The class's total demand."""
        return float(self.volumes.sum())


@dataclass(frozen=True, eq=False)
class AssignmentProblem:
    """A static (steady-state) multi-class traffic-assignment problem.

    Parameters
    ----------
    n_nodes
        Number of nodes; links and demand use 0-based node indices below it.
    tail, head
        Each link's start and end node.
    congested_time
        ``t0`` of each link's delay function (time units; ``>= 0``).
    capacity
        Each link's capacity in vehicle units per period; ``inf`` = uncongested.
    alpha, beta
        BPR parameters of each link: ``alpha >= 0``; ``beta`` 0 (constant time) or
        ``>= 1`` (values in between have an infinite slope at zero flow and are refused).
    demand
        One :class:`Demand` per class.
    fixed_cost
        Fixed cost per unit of demand, ``(n_classes, n_links)`` or ``(n_links,)`` for all
        classes (default 0): money, tolls, distance… in each class's cost units.
    value_of_time
        Per class: cost units per unit of congested time (default 1; must be ``> 0``).
    pce
        Per class: vehicle units per unit of demand (default 1; must be ``> 0``).
    first_through_node
        Nodes below this index (TNTP zones/centroids) may start or end a trip but not be
        passed through (0: every node may be passed).
    class_names
        Labels of the classes (default ``class0``, ``class1``…).

    Notes
    -----
    The problem is validated once here; the solvers then trust it. Internally each class
    is solved in vehicle units with its fixed cost expressed in time
    (``fixed_cost / value_of_time``), where the problem has an exact convex potential (the
    Beckmann objective, see :func:`caspian.assignment.costs.beckmann`) even when classes
    differ in value of time and PCE.
    """

    n_nodes: int
    tail: IntArray
    head: IntArray
    congested_time: FloatArray
    capacity: FloatArray
    alpha: FloatArray
    beta: FloatArray
    demand: tuple[Demand, ...]
    fixed_cost: FloatArray = field(default_factory=lambda: np.zeros(0))
    value_of_time: FloatArray = field(default_factory=lambda: np.zeros(0))
    pce: FloatArray = field(default_factory=lambda: np.zeros(0))
    first_through_node: int = 0
    class_names: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        n_links = int(np.asarray(self.tail).size)
        set_ = object.__setattr__
        if isinstance(self.demand, Demand):
            set_(self, "demand", (self.demand,))
        else:
            set_(self, "demand", tuple(self.demand))
        n_classes = len(self.demand)
        if n_classes == 0:
            raise ValidationError("assignment problem: give at least one class of demand")
        for name in ("tail", "head"):
            set_(self, name, _ints(getattr(self, name), name, n_links))
        for name in ("congested_time", "capacity", "alpha", "beta"):
            set_(self, name, _floats(getattr(self, name), name, n_links))
        fixed = np.asarray(self.fixed_cost, dtype=np.float64)
        if fixed.size == 0:
            fixed = np.zeros((n_classes, n_links))
        elif fixed.ndim == 1:
            fixed = np.broadcast_to(_floats(fixed, "fixed_cost", n_links), (n_classes, n_links))
        if fixed.shape != (n_classes, n_links):
            raise ValidationError(
                f"fixed_cost must have shape ({n_classes}, {n_links}) (classes, links) or "
                f"({n_links},); got {fixed.shape}"
            )
        set_(self, "fixed_cost", np.ascontiguousarray(fixed, dtype=np.float64))
        for name in ("value_of_time", "pce"):
            value = np.asarray(getattr(self, name), dtype=np.float64).reshape(-1)
            set_(self, name, np.ones(n_classes) if value.size == 0 else value)
            _check_per_class(getattr(self, name), name, n_classes)
        names = tuple(self.class_names) or tuple(f"class{k}" for k in range(n_classes))
        if len(names) != n_classes:
            raise ValidationError(f"class_names: {len(names)} names for {n_classes} classes")
        set_(self, "class_names", names)
        self._validate(n_links)

    def _validate(self, n_links: int) -> None:
        n = self.n_nodes
        if n < 1:
            raise ValidationError(f"n_nodes must be at least 1; got {n}")
        for name in ("tail", "head"):
            arr = getattr(self, name)
            bad = np.flatnonzero((arr < 0) | (arr >= n))
            if bad.size:
                raise ValidationError(
                    f"link {bad[0]}: {name} node {arr[bad[0]]} is outside 0..{n - 1}"
                )
        ct, cap, al, be = self.congested_time, self.capacity, self.alpha, self.beta
        checks = (
            ("congested_time", ct, np.isfinite(ct) & (ct >= 0), ">= 0"),
            ("capacity", cap, ~np.isnan(cap) & (cap > 0), "> 0 (inf allowed)"),
            ("alpha", al, np.isfinite(al) & (al >= 0), ">= 0"),
            ("beta", be, (be == 0) | (np.isfinite(be) & (be >= 1)), "0 or >= 1"),
        )
        for name, arr, ok, valid in checks:
            bad = np.flatnonzero(~ok)
            if bad.size:
                raise ValidationError(
                    f"link {bad[0]} ({self.tail[bad[0]]}->{self.head[bad[0]]}): {name} "
                    f"{arr[bad[0]]} is invalid; it must be {valid}"
                )
        bad_fixed = np.argwhere(~np.isfinite(self.fixed_cost) | (self.fixed_cost < 0))
        if bad_fixed.size:
            k, a = bad_fixed[0]
            raise ValidationError(
                f"class {self.class_names[k]}, link {a}: fixed cost {self.fixed_cost[k, a]} "
                "is invalid; it must be finite and >= 0"
            )
        if not 0 <= self.first_through_node <= n:
            raise ValidationError(
                f"first_through_node must be in 0..{n}; got {self.first_through_node}"
            )
        for k, dem in enumerate(self.demand):
            name = self.class_names[k]
            for label, arr in (("origin", dem.origins), ("destination", dem.destinations)):
                bad = np.flatnonzero((arr < 0) | (arr >= n))
                if bad.size:
                    raise ValidationError(
                        f"class {name}, pair {bad[0]}: {label} node {arr[bad[0]]} is outside "
                        f"0..{n - 1}"
                    )
            bad = np.flatnonzero(~np.isfinite(dem.volumes) | (dem.volumes < 0))
            if bad.size:
                raise ValidationError(
                    f"class {name}, pair {dem.origins[bad[0]]}->{dem.destinations[bad[0]]}: "
                    f"demand {dem.volumes[bad[0]]} is invalid; it must be finite and >= 0"
                )

    @property
    def n_links(self) -> int:
        """Number of links."""
        return int(self.tail.size)

    @property
    def n_classes(self) -> int:
        """Number of classes."""
        return len(self.demand)

    def link_time(self, vehicles: FloatArray) -> FloatArray:
        """Congested time of each link at vehicle flows ``vehicles``."""
        ratio = np.where(np.isinf(self.capacity), 0.0, vehicles / self.capacity)
        return self.congested_time * (1.0 + self.alpha * ratio**self.beta)

    def class_cost(self, vehicles: FloatArray) -> FloatArray:
        """Cost per unit of demand, ``(n_classes, n_links)``, at vehicle flows ``vehicles``."""
        return self.fixed_cost + self.value_of_time[:, None] * self.link_time(vehicles)[None, :]


def _ints(value: object, name: str, n: int) -> IntArray:
    arr = np.asarray(value)
    if arr.shape != (n,):
        raise ValidationError(f"{name} must have one entry per link ({n}); got shape {arr.shape}")
    if arr.size and not np.issubdtype(arr.dtype, np.integer):
        raise ValidationError(f"{name} must hold integer node indices; got {arr.dtype}")
    return np.ascontiguousarray(arr, dtype=np.int64)


def _floats(value: object, name: str, n: int) -> FloatArray:
    arr = np.asarray(value, dtype=np.float64)
    if arr.shape == ():
        arr = np.full(n, float(arr))
    if arr.shape != (n,):
        raise ValidationError(f"{name} must have one entry per link ({n}); got shape {arr.shape}")
    return np.ascontiguousarray(arr)


def _check_per_class(arr: FloatArray, name: str, n_classes: int) -> None:
    if arr.shape != (n_classes,):
        raise ValidationError(f"{name} must have one entry per class ({n_classes}); got {arr.size}")
    bad = np.flatnonzero(~np.isfinite(arr) | (arr <= 0))
    if bad.size:
        raise ValidationError(
            f"{name} of class {bad[0]} is {arr[bad[0]]}; it must be finite and > 0"
        )
