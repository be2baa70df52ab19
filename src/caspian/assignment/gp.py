"""Path-based gradient projection (Jayakrishnan et al. 1994), multi-class, in numba.

Each origin–destination pair of each class keeps the few paths it uses and their flows.
An iteration (1) builds one shortest-path tree per (class, origin) at the current costs —
which gives the exact relative gap — and adds each tree path a pair does not have yet;
(2) for every pair, moves flow from its dearer paths to its cheapest one by a Newton step,
``Δ = (c_p − c_q) / Σ_{a ∈ p △ q} t'_a`` (capped at the path's flow), updating link times
at once (Gauss–Seidel); (3) repeats step (2) a few times over all pairs without new trees,
because those passes are much cheaper than trees. Paths whose flow reaches zero are
dropped. Classes share link times in vehicle units, so step (2) is the same for all; a
class's fixed cost (in time units) enters its path costs only.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from numba import njit
from numpy.typing import NDArray

from caspian.assignment.costs import beckmann, link_dtime, link_time
from caspian.assignment.fw import Progress, SolverState
from caspian.assignment.prepare import Prepared
from caspian.assignment.problem import FloatArray, IntArray
from caspian.assignment.sp import tree

__all__ = ["INNER_PASSES", "solve_gp"]

INNER_PASSES = 3
"""Equilibration passes over all pairs after each round of new paths."""


@njit(cache=True, nogil=True)
def _trees(
    indptr: IntArray,
    adj: IntArray,
    head: IntArray,
    tail: IntArray,
    fixed: FloatArray,
    t: FloatArray,
    first_thru: int,
    grp_class: IntArray,
    grp_origin: IntArray,
    od_ptr: IntArray,
    od_dest: IntArray,
    od_dem: FloatArray,
    pred_all: IntArray,
) -> tuple[float, int]:
    """Trees of every (class, origin) group into ``pred_all``; returns (SPTT, path links).

    Groups are independent; they run one after the other (numba threads, tried, were
    slower on this shared 2-core machine under load).
    """
    n = indptr.shape[0] - 1
    n_groups = grp_class.shape[0]
    cost = np.empty((fixed.shape[0], t.shape[0]))
    for k in range(fixed.shape[0]):
        for a in range(t.shape[0]):
            cost[k, a] = fixed[k, a] + t[a]
    sptt = np.zeros(n_groups)
    links = np.zeros(n_groups, dtype=np.int64)
    for g in range(n_groups):
        dist = np.empty(n)
        order = np.empty(n, dtype=np.int64)
        depth = np.zeros(n, dtype=np.int64)
        hk = np.empty(adj.shape[0] + 1)
        hv = np.empty(adj.shape[0] + 1, dtype=np.int64)
        pred = pred_all[g]
        count = tree(
            indptr, adj, head, cost[grp_class[g]], grp_origin[g], first_thru, dist, pred,
            order, hk, hv,
        )  # fmt: skip
        for m in range(1, count):
            v = order[m]
            depth[v] = depth[tail[pred[v]]] + 1
        s = 0.0
        total = 0
        for j in range(od_ptr[g], od_ptr[g + 1]):
            s += od_dem[j] * dist[od_dest[j]]
            total += depth[od_dest[j]]
        sptt[g] = s
        links[g] = total
    return float(sptt.sum()), int(links.sum())


@njit(cache=True, nogil=True, inline="always")
def _set_link(a: int, v: FloatArray, t: FloatArray, dt: FloatArray, t0: FloatArray,
              cap: FloatArray, alpha: FloatArray, beta: FloatArray) -> None:  # fmt: skip
    x = v[a]
    if x < 0.0:  # rounding after many small moves
        x = 0.0
        v[a] = 0.0
    if beta[a] == 0.0:
        t[a] = t0[a] * (1.0 + alpha[a])
        dt[a] = 0.0
        return
    if alpha[a] == 0.0 or t0[a] == 0.0:
        t[a] = t0[a]
        dt[a] = 0.0
        return
    r = x / cap[a]
    b = beta[a]
    if b == 4.0:  # the usual BPR power: multiplications instead of pow()
        rb1 = r * r * r
    elif b == 1.0:
        rb1 = 1.0
    elif b == 2.0:
        rb1 = r
    else:
        rb1 = r ** (b - 1.0)
    t[a] = t0[a] * (1.0 + alpha[a] * rb1 * r)
    dt[a] = t0[a] * alpha[a] * b * rb1 / cap[a]


@njit(cache=True, nogil=True)
def _sweep(
    new_paths: bool,
    tail: IntArray,
    fixed: FloatArray,
    t0: FloatArray,
    cap: FloatArray,
    alpha: FloatArray,
    beta: FloatArray,
    v: FloatArray,
    y: FloatArray,
    t: FloatArray,
    dt: FloatArray,
    grp_class: IntArray,
    grp_origin: IntArray,
    od_ptr: IntArray,
    od_dest: IntArray,
    od_dem: FloatArray,
    pred_all: IntArray,
    od_first: IntArray,
    pool: IntArray,
    p_start: IntArray,
    p_len: IntArray,
    p_flow: FloatArray,
    p_next: IntArray,
    counts: IntArray,
    mark_q: IntArray,
    mark_p: IntArray,
) -> None:
    """One pass over all pairs: (optionally) add tree paths, then equilibrate each pair.

    ``counts`` holds [paths used, pool entries used, stamp] and is updated in place; the
    caller makes room in the pool first.
    """
    n = pred_all.shape[1]
    buf = np.empty(n, dtype=np.int64)
    for g in range(grp_class.shape[0]):
        k = grp_class[g]
        origin = grp_origin[g]
        for j in range(od_ptr[g], od_ptr[g + 1]):
            if new_paths:
                pred = pred_all[g]
                m = 0
                node = od_dest[j]
                while node != origin:
                    e = pred[node]
                    buf[m] = e
                    m += 1
                    node = tail[e]
                if not _has_path(buf, m, od_first[j], pool, p_start, p_len, p_next):
                    pid = counts[0]
                    counts[0] += 1
                    start = counts[1]
                    counts[1] += m
                    for i in range(m):
                        pool[start + i] = buf[m - 1 - i]
                    p_start[pid] = start
                    p_len[pid] = m
                    p_next[pid] = od_first[j]
                    od_first[j] = pid
                    if p_next[pid] < 0:  # the pair's first path carries all its demand
                        p_flow[pid] = od_dem[j]
                        for i in range(m):
                            a = pool[start + i]
                            v[a] += od_dem[j]
                            y[k, a] += od_dem[j]
                            _set_link(a, v, t, dt, t0, cap, alpha, beta)
                        continue
                    p_flow[pid] = 0.0
            if p_next[od_first[j]] >= 0:
                _equilibrate(
                    j, k, fixed, t0, cap, alpha, beta, v, y, t, dt, od_first, pool,
                    p_start, p_len, p_flow, p_next, counts, mark_q, mark_p,
                )  # fmt: skip


@njit(cache=True, nogil=True)
def _has_path(
    buf: IntArray,
    m: int,
    first: int,
    pool: IntArray,
    p_start: IntArray,
    p_len: IntArray,
    p_next: IntArray,
) -> bool:
    """Whether the pair already has the path ``buf[:m]`` (stored destination first)."""
    p = first
    while p >= 0:
        if p_len[p] == m:
            s = p_start[p]
            same = True
            for i in range(m):
                if pool[s + i] != buf[m - 1 - i]:
                    same = False
                    break
            if same:
                return True
        p = p_next[p]
    return False


@njit(cache=True, nogil=True, inline="always")
def _path_cost(p: int, k: int, fixed: FloatArray, t: FloatArray, pool: IntArray,
               p_start: IntArray, p_len: IntArray) -> float:  # fmt: skip
    c = 0.0
    s = p_start[p]
    for i in range(s, s + p_len[p]):
        a = pool[i]
        c += fixed[k, a] + t[a]
    return c


@njit(cache=True, nogil=True)
def _equilibrate(
    j: int,
    k: int,
    fixed: FloatArray,
    t0: FloatArray,
    cap: FloatArray,
    alpha: FloatArray,
    beta: FloatArray,
    v: FloatArray,
    y: FloatArray,
    t: FloatArray,
    dt: FloatArray,
    od_first: IntArray,
    pool: IntArray,
    p_start: IntArray,
    p_len: IntArray,
    p_flow: FloatArray,
    p_next: IntArray,
    counts: IntArray,
    mark_q: IntArray,
    mark_p: IntArray,
) -> None:
    """Move pair ``j``'s flow from its dearer paths to its cheapest (Newton steps)."""
    q = -1
    best = np.inf
    p = od_first[j]
    while p >= 0:
        c = _path_cost(p, k, fixed, t, pool, p_start, p_len)
        if c < best:
            best = c
            q = p
        p = p_next[p]
    qs, qn = p_start[q], p_len[q]
    p = od_first[j]
    while p >= 0:
        if p != q and p_flow[p] > 0.0:
            diff = _path_cost(p, k, fixed, t, pool, p_start, p_len) - _path_cost(
                q, k, fixed, t, pool, p_start, p_len
            )
            if diff > 0.0:
                counts[2] += 1
                stamp = counts[2]
                for i in range(qs, qs + qn):
                    mark_q[pool[i]] = stamp
                slope = 0.0
                ps, pn = p_start[p], p_len[p]
                for i in range(ps, ps + pn):
                    a = pool[i]
                    mark_p[a] = stamp
                    if mark_q[a] != stamp:
                        slope += dt[a]
                for i in range(qs, qs + qn):
                    a = pool[i]
                    if mark_p[a] != stamp:
                        slope += dt[a]
                delta = p_flow[p]
                if slope > 0.0 and diff / slope < delta:
                    delta = diff / slope
                    p_flow[p] -= delta
                else:
                    p_flow[p] = 0.0
                p_flow[q] += delta
                for i in range(ps, ps + pn):
                    a = pool[i]
                    if mark_q[a] != stamp:
                        v[a] -= delta
                        y[k, a] -= delta
                        _set_link(a, v, t, dt, t0, cap, alpha, beta)
                for i in range(qs, qs + qn):
                    a = pool[i]
                    if mark_p[a] != stamp:
                        v[a] += delta
                        y[k, a] += delta
                        _set_link(a, v, t, dt, t0, cap, alpha, beta)
        p = p_next[p]
    # drop the paths left without flow (never the cheapest)
    prev = -1
    p = od_first[j]
    while p >= 0:
        nxt = p_next[p]
        if p != q and p_flow[p] <= 0.0:
            if prev < 0:
                od_first[j] = nxt
            else:
                p_next[prev] = nxt
        else:
            prev = p
        p = nxt


@njit(cache=True, nogil=True)
def _origin_flows(
    grp_class: IntArray,
    od_ptr: IntArray,
    od_first: IntArray,
    pool: IntArray,
    p_start: IntArray,
    p_len: IntArray,
    p_flow: FloatArray,
    p_next: IntArray,
    out: FloatArray,
) -> None:
    for g in range(grp_class.shape[0]):
        row = out[g]
        for j in range(od_ptr[g], od_ptr[g + 1]):
            p = od_first[j]
            while p >= 0:
                for i in range(p_start[p], p_start[p] + p_len[p]):
                    row[pool[i]] += p_flow[p]
                p = p_next[p]


@njit(cache=True, nogil=True)
def _compact(
    od_first: IntArray,
    pool: IntArray,
    p_start: IntArray,
    p_len: IntArray,
    p_flow: FloatArray,
    p_next: IntArray,
    counts: IntArray,
) -> None:
    """Rewrite the live paths to the front of the pool (dropped paths leave holes)."""
    new_pool = np.empty_like(pool)
    new_start = np.empty_like(p_start)
    new_len = np.empty_like(p_len)
    new_flow = np.empty_like(p_flow)
    new_next = np.empty_like(p_next)
    n_paths = 0
    n_links = 0
    for j in range(od_first.shape[0]):
        p = od_first[j]
        prev = -1
        while p >= 0:
            pid = n_paths
            n_paths += 1
            new_start[pid] = n_links
            new_len[pid] = p_len[p]
            new_flow[pid] = p_flow[p]
            new_next[pid] = -1
            for i in range(p_len[p]):
                new_pool[n_links + i] = pool[p_start[p] + i]
            n_links += p_len[p]
            if prev < 0:
                od_first[j] = pid
            else:
                new_next[prev] = pid
            prev = pid
            p = p_next[p]
    pool[:n_links] = new_pool[:n_links]
    p_start[:n_paths] = new_start[:n_paths]
    p_len[:n_paths] = new_len[:n_paths]
    p_flow[:n_paths] = new_flow[:n_paths]
    p_next[:n_paths] = new_next[:n_paths]
    counts[0] = n_paths
    counts[1] = n_links


class _Pool:
    """Path storage that grows (and compacts) between sweeps."""

    def __init__(self, n_od: int, n_links_hint: int) -> None:
        self.od_first = np.full(n_od, -1, dtype=np.int64)
        self.pool = np.empty(max(n_links_hint, 16), dtype=np.int64)
        size = max(2 * n_od, 16)
        self.p_start = np.empty(size, dtype=np.int64)
        self.p_len = np.empty(size, dtype=np.int64)
        self.p_flow = np.empty(size)
        self.p_next = np.empty(size, dtype=np.int64)
        self.counts = np.zeros(3, dtype=np.int64)

    def reserve(self, n_paths: int, n_links: int) -> None:
        used_p, used_l = int(self.counts[0]), int(self.counts[1])
        if used_l + n_links > self.pool.size or used_p + n_paths > self.p_start.size:
            _compact(self.od_first, self.pool, self.p_start, self.p_len, self.p_flow,
                     self.p_next, self.counts)  # fmt: skip
            used_p, used_l = int(self.counts[0]), int(self.counts[1])
        if used_l + n_links > self.pool.size:
            self.pool = _grown(self.pool, used_l + n_links)
        if used_p + n_paths > self.p_start.size:
            need = used_p + n_paths
            self.p_start = _grown(self.p_start, need)
            self.p_len = _grown(self.p_len, need)
            self.p_flow = _grown(self.p_flow, need)
            self.p_next = _grown(self.p_next, need)


def _grown(arr: NDArray[Any], need: int) -> NDArray[Any]:
    out = np.empty(max(need, 2 * arr.size), dtype=arr.dtype)
    out[: arr.size] = arr
    return out


def solve_gp(
    prep: Prepared, *, gap: float, max_iterations: int, progress: Progress | None
) -> SolverState:
    """Path-based gradient projection until the relative gap reaches ``gap``."""
    p = prep.problem
    t0, cap, al, be = p.congested_time, prep.cap, p.alpha, p.beta
    start = time.perf_counter()
    grp_class = np.concatenate(
        [np.full(c.origins.size, k, dtype=np.int64) for k, c in enumerate(prep.classes)]
    )
    grp_origin = np.concatenate([c.origins for c in prep.classes]).astype(np.int64)
    od_dest = np.concatenate([c.dests for c in prep.classes]).astype(np.int64)
    od_dem = np.concatenate([c.vehicles for c in prep.classes])
    ptrs, offset = [np.zeros(1, dtype=np.int64)], 0
    for c in prep.classes:
        ptrs.append(c.od_ptr[1:] + offset)
        offset += int(c.od_ptr[-1])
    od_ptr = np.concatenate(ptrs).astype(np.int64)
    n_groups = grp_class.size
    pred_all = np.empty((n_groups, p.n_nodes), dtype=np.int64)
    v = np.zeros(p.n_links)
    y = np.zeros((p.n_classes, p.n_links))
    t = link_time(v, t0, cap, al, be)
    dt = link_dtime(v, t0, cap, al, be)
    fixed = np.ascontiguousarray(prep.fixed_time)
    store = _Pool(od_dest.size, 8 * od_dest.size)
    mark_q = np.zeros(p.n_links, dtype=np.int64)
    mark_p = np.zeros(p.n_links, dtype=np.int64)
    state = SolverState(np.zeros((n_groups, p.n_links)), np.inf, 0, [], [], [])
    args = (grp_class, grp_origin, od_ptr, od_dest, od_dem, pred_all)
    for it in range(max_iterations + 1):
        sptt, need = _trees(
            prep.indptr, prep.adj, p.head, p.tail, fixed, t, p.first_through_node, *args
        )
        if it > 0:
            tstt = float(v @ t) + float(np.sum(fixed * y))
            state.gap = (tstt - sptt) / tstt if tstt > 0 else 0.0
            state.iterations = it
            state.gaps.append(state.gap)
            state.objectives.append(beckmann(v, t0, cap, al, be, float(np.sum(fixed * y))))
            state.seconds.append(time.perf_counter() - start)
            if progress is not None:
                progress(it, state.gap)
            if state.gap <= gap or it == max_iterations:
                break
        store.reserve(od_dest.size, need)
        for sweep in range(1 + (INNER_PASSES if it > 0 else 0)):
            _sweep(
                sweep == 0, p.tail, fixed, t0, cap, al, be, v, y, t, dt, *args,
                store.od_first, store.pool, store.p_start, store.p_len, store.p_flow,
                store.p_next, store.counts, mark_q, mark_p,
            )  # fmt: skip
        # resynchronise link times with the flows (removes drift from many small updates)
        t = link_time(v, t0, cap, al, be)
        dt = link_dtime(v, t0, cap, al, be)
    _origin_flows(
        grp_class, od_ptr, store.od_first, store.pool, store.p_start, store.p_len,
        store.p_flow, store.p_next, state.origin_flow,
    )  # fmt: skip
    return state
