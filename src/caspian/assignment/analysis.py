"""Checks and analyses of an assignment result: flow conservation and select-link.

Both work on the result's flows split by (class, origin), which every method returns, so
they behave the same whichever method solved the problem.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix, identity
from scipy.sparse.linalg import spsolve

from caspian.assignment.problem import AssignmentProblem, FloatArray, IntArray
from caspian.assignment.result import AssignmentResult
from caspian.errors import ValidationError

__all__ = ["SelectLink", "conservation_error", "relative_gap", "select_link"]


def _class_demand(result: AssignmentResult, k: int, origin: int) -> FloatArray:
    """Vehicle demand of class ``k`` from ``origin`` to every node (unreachable left out)."""
    p = result.problem
    dem = p.demand[k]
    keep = (dem.origins == origin) & (dem.origins != dem.destinations)
    out = np.zeros(p.n_nodes)
    np.add.at(out, dem.destinations[keep], dem.volumes[keep] * p.pce[k])
    for u in result.unreachable:
        if u.class_name == p.class_names[k] and u.origin == origin:
            out[u.destination] -= u.volume * p.pce[k]
    return out


def conservation_error(result: AssignmentResult) -> float:
    """Largest violation of flow conservation, per class and origin, in demand units.

    For each class and origin the origin's flows must leave the origin with its whole
    demand, deliver each destination's demand there and balance at every other node.
    """
    p = result.problem
    worst = 0.0
    for k, block in enumerate(result.origin_flows):
        for i, r in enumerate(block.origins):
            x = block.flow[i]
            net_out = np.bincount(p.tail, weights=x, minlength=p.n_nodes) - np.bincount(
                p.head, weights=x, minlength=p.n_nodes
            )
            expected = -_class_demand(result, k, int(r))
            expected[r] = -expected.sum()
            worst = max(worst, float(np.max(np.abs(net_out - expected))) / p.pce[k])
    return worst


@dataclass(frozen=True, eq=False)
class SelectLink:
    """The origin–destination flows that use one link, per class (demand units).

    ``origins[k]``, ``destinations[k]`` and ``flows[k]`` list class ``k``'s pairs whose flow
    crosses ``link`` and how much of it does; ``flows[k].sum()`` equals the class's flow on
    the link.
    """

    link: int
    origins: tuple[IntArray, ...]
    destinations: tuple[IntArray, ...]
    flows: tuple[FloatArray, ...]

    def totals(self) -> FloatArray:
        """Per class: the select-link flows summed (equal to the link's class flow)."""
        return np.array([f.sum() for f in self.flows])


def select_link(result: AssignmentResult, link: int) -> SelectLink:
    """Which origin–destination pairs use ``link``, and how much of their flow.

    Flows from one origin are split among destinations in proportion at every node
    (the proportionality condition of Bar-Gera 2010, which makes the split unique at
    equilibrium): of the flow arriving at a node, each outgoing link and the demand ending
    there take their share. The flows found add up to the link's flow exactly.

    Raises
    ------
    ValidationError
        ``link`` is not a link index of the problem.
    """
    p = result.problem
    if not (isinstance(link, int | np.integer) and 0 <= link < p.n_links):
        raise ValidationError(f"link must be a link index in 0..{p.n_links - 1}; got {link!r}")
    origins: list[IntArray] = []
    dests: list[IntArray] = []
    flows: list[FloatArray] = []
    for k, block in enumerate(result.origin_flows):
        o_list: list[int] = []
        d_list: list[IntArray] = []
        f_list: list[FloatArray] = []
        for i, r in enumerate(block.origins):
            x = block.flow[i]
            if x[link] <= 0.0:
                continue
            demand = _class_demand(result, k, int(r))
            share = _reach_shares(p.n_nodes, p.tail, p.head, x, int(r), demand, int(p.head[link]))
            to = np.flatnonzero(share > 0.0)
            o_list.extend([int(r)] * to.size)
            d_list.append(to)
            f_list.append(x[link] * share[to] / p.pce[k])
        origins.append(np.asarray(o_list, dtype=np.int64))
        dests.append(np.concatenate(d_list) if d_list else np.zeros(0, dtype=np.int64))
        flows.append(np.concatenate(f_list) if f_list else np.zeros(0))
    return SelectLink(link, tuple(origins), tuple(dests), tuple(flows))


def _reach_shares(
    n: int,
    tail: IntArray,
    head: IntArray,
    x: FloatArray,
    origin: int,
    demand: FloatArray,
    start: int,
) -> FloatArray:
    """Share of the flow passing node ``start`` that ends at each node (proportional split)."""
    through = np.bincount(head, weights=x, minlength=n)
    through[origin] += demand.sum()
    used = x > 0.0
    rows, cols = tail[used], head[used]
    with np.errstate(divide="ignore", invalid="ignore"):
        prob = np.where(through[rows] > 0, x[used] / through[rows], 0.0)
        end = np.where(through > 0, demand / through, 0.0)
    m = csr_matrix((prob, (rows, cols)), shape=(n, n))
    e = np.zeros(n)
    e[start] = 1.0
    visits = spsolve((identity(n, format="csr") - m).T.tocsc(), e)
    shares: FloatArray = np.clip(visits * end, 0.0, None)
    total = shares.sum()
    return shares / total if total > 0 else shares


def relative_gap(problem: AssignmentProblem, vehicle_flow: FloatArray) -> float:
    """``(TSTT − SPTT) / TSTT`` of single-class link flows computed elsewhere (e.g. by
    another engine), with one all-or-nothing pass at their link times."""
    from caspian.assignment.costs import link_time
    from caspian.assignment.prepare import prepare
    from caspian.assignment.sp import aon_class

    if problem.n_classes != 1:
        raise ValidationError("relative_gap of plain link flows needs a single-class problem")
    prep = prepare(problem, unreachable="report")
    c = prep.classes[0]
    t = link_time(vehicle_flow, problem.congested_time, prep.cap, problem.alpha, problem.beta)
    cost = prep.class_cost(0, t)
    out = np.zeros((c.origins.size, problem.n_links))
    sptt = aon_class(
        prep.indptr, prep.adj, problem.head, problem.tail, cost, problem.first_through_node,
        c.origins, c.od_ptr, c.dests, c.vehicles, out,
    )  # fmt: skip
    tstt = float(vehicle_flow @ cost)
    return (tstt - sptt) / tstt if tstt > 0 else 0.0
