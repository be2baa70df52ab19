"""Path-based gradient projection (Jayakrishnan et al. 1994), multi-class, in numba.

Each origin–destination pair of each class keeps the few paths it uses and their flows.
An iteration

1. goes origin by origin (Gauss–Seidel; the first pass in the groups' order, later ones in
   a seeded random order): a shortest-path tree at the *current* link times, each tree
   path a pair does not have yet added to it (a pair's first path carries all its
   demand), and each pair with several paths equilibrated — flow moves from its dearer
   paths to its cheapest one by a Newton step ``Δ = (c_p − c_q) / Σ_{a ∈ p △ q} t'_a``
   (capped at the path's flow), link times updated at once. On large problems the trees
   of :data:`BLOCK` origins are computed together (on all numba threads) at the times
   when the block starts;
2. repeats the equilibration a few times over all pairs without new trees, because those
   passes are much cheaper than trees;
3. computes the exact relative gap from one tree per (class, origin) at the flows reached
   — once a running estimate (from the trees of step 1) says the target may be near.

Paths whose flow reaches zero are dropped. Classes share link times in vehicle units, so
the Newton step is the same for all; a class's fixed cost (in time units) enters its path
costs only.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from typing import Any

import numba
import numpy as np
from numba import njit, prange
from numpy.typing import NDArray

from caspian.assignment.costs import beckmann, link_dtime, link_time
from caspian.assignment.fw import Progress, SolverState
from caspian.assignment.prepare import Prepared
from caspian.assignment.problem import FloatArray, IntArray
from caspian.assignment.sp import tree

__all__ = ["INNER_PASSES", "solve_gp"]

INNER_PASSES = 3
"""Equilibration passes over all pairs after each round of new paths."""

ORDER_SEED = 20261124
"""Seed of the origin order: the first pass takes groups in their natural order, each later
pass in a fresh random order (the same on every run). A fixed order lets the same origins
always go last, on the most up-to-date times, and the passes stall."""

BLOCK = 8
"""On large problems, trees for this many groups are computed together (in parallel when
numba has several threads) at the times when the block starts, then their pairs are
processed one group after the other. The same results whatever the number of threads."""

EXCESS_OF_TARGET = 0.25
EXCESS_OF_GAP = 0.1
"""A pair takes a new tree path only if it is cheaper than all the pair's paths by more than
``max(EXCESS_OF_TARGET × target gap, EXCESS_OF_GAP × last iteration's gap estimate)``
(relative): moving flow for a smaller gain costs a path and a Newton step and barely
changes the gap. Below the target's quarter nothing is skipped, so the target stays
reachable."""

EXACT_GAP_FROM = 30.0
"""The exact gap (one more tree per group) is computed once the running estimate is at most
this many times the target; above it the iteration's gap is recorded as NaN."""

PARALLEL_MIN_WORK = 200_000
"""From this many (class, origin) groups × links a problem is "large": trees go in blocks of
:data:`BLOCK`, and they and the exact gap's trees run on all numba threads
(``numba.set_num_threads``). Below it, one group's tree at a time, on one thread (thread
start-up would cost more than it saves)."""

TRACK_MAX_ENTRIES = 64_000_000
"""Largest groups × nodes for which each group's previous tree is kept (to skip re-checking
tree paths that did not change); above it every tree path is compared with the pair's."""


@njit(cache=True, nogil=True)
def _sptt(
    indptr: IntArray,
    adj: IntArray,
    head_csr: IntArray,
    fixed: FloatArray,
    t: FloatArray,
    first_thru: int,
    grp_class: IntArray,
    grp_origin: IntArray,
    od_ptr: IntArray,
    od_dest: IntArray,
    od_dem: FloatArray,
) -> float:
    """``Σ demand · cheapest cost`` over all pairs at link times ``t`` (one tree per group)."""
    n = indptr.shape[0] - 1
    cost = np.empty((fixed.shape[0], adj.shape[0]))
    for k in range(fixed.shape[0]):
        for i in range(adj.shape[0]):
            cost[k, i] = fixed[k, adj[i]] + t[adj[i]]
    dist = np.empty(n)
    pred = np.empty(n, dtype=np.int64)
    order = np.empty(n, dtype=np.int64)
    heap_key = np.empty(n)
    heap = np.empty(n, dtype=np.int64)
    pos = np.empty(n, dtype=np.int64)
    is_target = np.zeros(n, dtype=np.bool_)
    s = 0.0
    for g in range(grp_class.shape[0]):
        tree(
            indptr, adj, head_csr, cost[grp_class[g]], grp_origin[g], first_thru,
            od_dest[od_ptr[g] : od_ptr[g + 1]], is_target, dist, pred, order, heap_key, heap,
            pos,
        )  # fmt: skip
        for j in range(od_ptr[g], od_ptr[g + 1]):
            s += od_dem[j] * dist[od_dest[j]]
    return s


@njit(cache=True, nogil=True, parallel=True)
def _sptt_parallel(
    indptr: IntArray,
    adj: IntArray,
    head_csr: IntArray,
    fixed: FloatArray,
    t: FloatArray,
    first_thru: int,
    grp_class: IntArray,
    grp_origin: IntArray,
    od_ptr: IntArray,
    od_dest: IntArray,
    od_dem: FloatArray,
    n_threads: int,
) -> float:
    """:func:`_sptt` on ``n_threads`` threads, thread ``i`` taking groups ``i, i + n, …``.

    Each thread sums its own groups, then the threads' sums are added in thread order:
    the same answer on every run with the same number of threads.
    """
    n = indptr.shape[0] - 1
    cost = np.empty((fixed.shape[0], adj.shape[0]))
    for k in range(fixed.shape[0]):
        for i in range(adj.shape[0]):
            cost[k, i] = fixed[k, adj[i]] + t[adj[i]]
    n_groups = grp_class.shape[0]
    part = np.zeros(n_threads)
    for th in prange(n_threads):
        dist = np.empty(n)
        pred = np.empty(n, dtype=np.int64)
        order = np.empty(n, dtype=np.int64)
        heap_key = np.empty(n)
        heap = np.empty(n, dtype=np.int64)
        pos = np.empty(n, dtype=np.int64)
        is_target = np.zeros(n, dtype=np.bool_)
        s = 0.0
        for g in range(th, n_groups, n_threads):
            tree(
                indptr, adj, head_csr, cost[grp_class[g]], grp_origin[g], first_thru,
                od_dest[od_ptr[g] : od_ptr[g + 1]], is_target, dist, pred, order, heap_key,
                heap, pos,
            )  # fmt: skip
            for j in range(od_ptr[g], od_ptr[g + 1]):
                s += od_dem[j] * dist[od_dest[j]]
        part[th] = s
    total = 0.0
    for th in range(n_threads):
        total += part[th]
    return total


@njit(cache=True, nogil=True, inline="always")
def _set_link(a: int, v: FloatArray, t: FloatArray, dt: FloatArray, t0: FloatArray,
              inv_cap: FloatArray, alpha: FloatArray, beta: FloatArray) -> None:  # fmt: skip
    """Link ``a``'s time and its derivative at its flow ``v[a]`` (negative rounding → 0).

    ``t = t0 + t0·alpha·r^beta`` and ``t' = t0·alpha·beta·r^(beta−1) / capacity`` with
    ``r = v / capacity``; ``beta`` is 0 or ≥ 1 (checked by the problem). Written without
    early returns or conditional stores: that form ran 30 times slower here.
    """
    x = max(v[a], 0.0)
    v[a] = x
    r = x * inv_cap[a]
    b = beta[a]
    if b == 4.0:  # the usual BPR power: multiplications instead of pow()
        rb1 = r * r * r
        rb = rb1 * r
    elif b == 0.0:
        rb1 = 0.0
        rb = 1.0
    elif b == 1.0:
        rb1 = 1.0
        rb = r
    else:
        rb1 = r ** (b - 1.0)
        rb = rb1 * r
    c = t0[a] * alpha[a]
    t[a] = t0[a] + c * rb
    dt[a] = c * b * rb1 * inv_cap[a]


@njit(cache=True, nogil=True)
def _block_trees(
    first_step: int,
    perm: IntArray,
    indptr: IntArray,
    adj: IntArray,
    head_csr: IntArray,
    first_thru: int,
    fixed: FloatArray,
    t: FloatArray,
    grp_class: IntArray,
    grp_origin: IntArray,
    od_ptr: IntArray,
    od_dest: IntArray,
    tree_dist: FloatArray,
    tree_pred: IntArray,
    tree_order: IntArray,
    tree_count: IntArray,
) -> int:
    """Trees of groups ``perm[first_step:first_step + rows]`` at times ``t``, one per row.

    Returns how many (fewer than the rows at the end of ``perm``).
    """
    nb = min(tree_dist.shape[0], perm.shape[0] - first_step)
    for r in range(nb):
        _row_tree(
            r, perm[first_step + r], indptr, adj, head_csr, first_thru, fixed, t, grp_class,
            grp_origin, od_ptr, od_dest, tree_dist, tree_pred, tree_order, tree_count,
        )  # fmt: skip
    return int(nb)


@njit(cache=True, nogil=True, parallel=True)
def _block_trees_parallel(
    first_step: int,
    perm: IntArray,
    indptr: IntArray,
    adj: IntArray,
    head_csr: IntArray,
    first_thru: int,
    fixed: FloatArray,
    t: FloatArray,
    grp_class: IntArray,
    grp_origin: IntArray,
    od_ptr: IntArray,
    od_dest: IntArray,
    tree_dist: FloatArray,
    tree_pred: IntArray,
    tree_order: IntArray,
    tree_count: IntArray,
) -> int:
    """:func:`_block_trees` with the rows shared among numba's threads (same results)."""
    nb = min(tree_dist.shape[0], perm.shape[0] - first_step)
    for r in prange(nb):
        _row_tree(
            r, perm[first_step + r], indptr, adj, head_csr, first_thru, fixed, t, grp_class,
            grp_origin, od_ptr, od_dest, tree_dist, tree_pred, tree_order, tree_count,
        )  # fmt: skip
    return int(nb)


@njit(cache=True, nogil=True)
def _row_tree(
    r: int,
    g: int,
    indptr: IntArray,
    adj: IntArray,
    head_csr: IntArray,
    first_thru: int,
    fixed: FloatArray,
    t: FloatArray,
    grp_class: IntArray,
    grp_origin: IntArray,
    od_ptr: IntArray,
    od_dest: IntArray,
    tree_dist: FloatArray,
    tree_pred: IntArray,
    tree_order: IntArray,
    tree_count: IntArray,
) -> None:
    n = indptr.shape[0] - 1
    k = grp_class[g]
    cost = np.empty(adj.shape[0])
    for i in range(adj.shape[0]):  # in CSR order
        cost[i] = fixed[k, adj[i]] + t[adj[i]]
    heap_key = np.empty(n)
    heap = np.empty(n, dtype=np.int64)
    pos = np.empty(n, dtype=np.int64)
    is_target = np.zeros(n, dtype=np.bool_)
    tree_count[r] = tree(
        indptr, adj, head_csr, cost, grp_origin[g], first_thru,
        od_dest[od_ptr[g] : od_ptr[g + 1]], is_target, tree_dist[r], tree_pred[r],
        tree_order[r], heap_key, heap, pos,
    )  # fmt: skip


@njit(cache=True, nogil=True)
def _gs_pass(
    first_step: int,
    stop_step: int,
    perm: IntArray,
    trees_given: bool,
    tree_dist: FloatArray,
    tree_pred: IntArray,
    tree_order: IntArray,
    tree_count: IntArray,
    indptr: IntArray,
    adj: IntArray,
    head_csr: IntArray,
    tail: IntArray,
    first_thru: int,
    fixed: FloatArray,
    t0: FloatArray,
    inv_cap: FloatArray,
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
    od_first: IntArray,
    pool: IntArray,
    p_start: IntArray,
    p_len: IntArray,
    p_flow: FloatArray,
    p_next: IntArray,
    counts: IntArray,
    mark_q: IntArray,
    mark_p: IntArray,
    prev_pred: NDArray[np.int32],
    tree_pid: IntArray,
    sptt: FloatArray,
    min_excess: float,
) -> int:
    """Origin by origin: a tree at the current times, its new paths, equilibrate the pairs.

    Does groups ``perm[first_step:stop_step]``. With ``trees_given`` their trees are rows
    ``0, 1, …`` of ``tree_*`` (computed by :func:`_block_trees` at the times when the block
    started); otherwise each group's tree is computed here, into row 0, just before its
    pairs. Returns -1 when done, or the step at which the path pool ran out of room
    (``counts[3:5]`` then hold the paths and links it needs; the caller makes room and
    calls again from that step).

    ``prev_pred[g]`` keeps group ``g``'s previous tree (none when it has no rows) and
    ``tree_pid[j]`` the pair's path that was its tree path then: a pair whose tree path
    did not change (no node on it changed predecessor) and whose path is still used skips
    the walk and the comparison with its paths. A pair whose tree changed but which has a
    path within ``min_excess`` (relative) of the tree's cost takes no new path. ``sptt[0]``
    accumulates ``Σ demand ·
    cheapest cost`` with each origin's costs at the time of its tree (an estimate).
    """
    n = indptr.shape[0] - 1
    m_links = t.shape[0]
    depth = np.zeros(n, dtype=np.int64)
    acc = np.zeros(n)
    heap_key = np.empty(0 if trees_given else n)
    heap = np.empty(0 if trees_given else n, dtype=np.int64)
    pos = np.empty(0 if trees_given else n, dtype=np.int64)
    cost = np.empty(0 if trees_given else m_links)
    is_target = np.zeros(0 if trees_given else n, dtype=np.bool_)
    buf = np.empty(n, dtype=np.int64)
    changed = np.ones(n, dtype=np.bool_)
    track = prev_pred.shape[0] > 0
    for step in range(first_step, stop_step):
        g = perm[step]
        k = grp_class[g]
        origin = grp_origin[g]
        row = step - first_step if trees_given else 0
        dist = tree_dist[row]
        pred = tree_pred[row]
        order = tree_order[row]
        if trees_given:
            count = tree_count[row]
        else:
            for i in range(m_links):  # in CSR order
                cost[i] = fixed[k, adj[i]] + t[adj[i]]
            count = tree(
                indptr, adj, head_csr, cost, origin, first_thru,
                od_dest[od_ptr[g] : od_ptr[g + 1]], is_target, dist, pred, order, heap_key,
                heap, pos,
            )  # fmt: skip
        depth[origin] = 0
        for i in range(1, count):
            node = order[i]
            depth[node] = depth[tail[pred[node]]] + 1
        need = 0
        s_g = 0.0
        for j in range(od_ptr[g], od_ptr[g + 1]):
            need += depth[od_dest[j]]
            s_g += od_dem[j] * dist[od_dest[j]]
        n_pairs = od_ptr[g + 1] - od_ptr[g]
        if counts[0] + n_pairs > p_start.shape[0] or counts[1] + need > pool.shape[0]:
            counts[3] = n_pairs
            counts[4] = need
            return step
        sptt[0] += s_g
        if track:
            last = prev_pred[g]
            changed[origin] = False
            for i in range(1, count):
                node = order[i]
                e = pred[node]
                changed[node] = e != last[node] or changed[tail[e]]
                last[node] = e
        loaded = False
        for j in range(od_ptr[g], od_ptr[g + 1]):
            node = od_dest[j]
            first = od_first[j]
            same = -1
            if track and not changed[node] and tree_pid[j] >= 0 and p_flow[tree_pid[j]] >= 0.0:
                same = tree_pid[j]
            m = depth[node]
            if same < 0 and first >= 0 and min_excess > 0.0:
                # not worth a new path if a path the pair has is within min_excess of it
                c_min = np.inf
                p = first
                while p >= 0:
                    c = _path_cost(p, k, fixed, t, pool, p_start, p_len)
                    if c < c_min:
                        c_min = c
                    p = p_next[p]
                if c_min <= dist[node] * (1.0 + min_excess):
                    tree_pid[j] = -1
                    same = first
            if same < 0:
                for i in range(m - 1, -1, -1):  # the tree path, origin first
                    e = pred[node]
                    buf[i] = e
                    node = tail[e]
                if first >= 0:
                    same = _find_path(buf, m, first, pool, p_start, p_len, p_next)
                    tree_pid[j] = same
            if same < 0:  # a new path: the tree's
                pid = counts[0]
                counts[0] += 1
                start = counts[1]
                counts[1] += m
                for i in range(m):
                    pool[start + i] = buf[i]
                p_start[pid] = start
                p_len[pid] = m
                p_next[pid] = first
                od_first[j] = pid
                tree_pid[j] = pid
                if first < 0:  # the pair's first path carries all its demand (loaded below)
                    p_flow[pid] = od_dem[j]
                    acc[od_dest[j]] += od_dem[j]
                    loaded = True
                    continue
                p_flow[pid] = 0.0
            if p_next[od_first[j]] >= 0:
                _equilibrate(
                    j, k, fixed, t0, inv_cap, alpha, beta, v, y, t, dt, od_first, pool,
                    p_start, p_len, p_flow, p_next, counts, mark_q, mark_p,
                )  # fmt: skip
        if loaded:  # first paths: load them along the tree in one backward sweep
            for i in range(count - 1, 0, -1):
                node = order[i]
                f = acc[node]
                if f != 0.0:
                    e = pred[node]
                    v[e] += f
                    y[k, e] += f
                    acc[tail[e]] += f
                    acc[node] = 0.0
                    _set_link(e, v, t, dt, t0, inv_cap, alpha, beta)
            acc[origin] = 0.0
    return -1


@njit(cache=True, nogil=True)
def _inner_pass(
    grp_class: IntArray,
    od_ptr: IntArray,
    fixed: FloatArray,
    t0: FloatArray,
    inv_cap: FloatArray,
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
    """Equilibrate every pair that has more than one path, without new paths."""
    for g in range(grp_class.shape[0]):
        k = grp_class[g]
        for j in range(od_ptr[g], od_ptr[g + 1]):
            if od_first[j] >= 0 and p_next[od_first[j]] >= 0:
                _equilibrate(
                    j, k, fixed, t0, inv_cap, alpha, beta, v, y, t, dt, od_first, pool,
                    p_start, p_len, p_flow, p_next, counts, mark_q, mark_p,
                )  # fmt: skip


@njit(cache=True, nogil=True, inline="always")
def _find_path(
    buf: IntArray,
    m: int,
    first: int,
    pool: IntArray,
    p_start: IntArray,
    p_len: IntArray,
    p_next: IntArray,
) -> int:
    """The pair's path equal to ``buf[:m]`` (origin first), or -1 if it has none."""
    p = first
    while p >= 0:
        if p_len[p] == m:
            s = p_start[p]
            same = True
            for i in range(m):
                if pool[s + i] != buf[i]:
                    same = False
                    break
            if same:
                return p
        p = p_next[p]
    return -1


@njit(cache=True, nogil=True, inline="always")
def _path_cost(p: int, k: int, fixed: FloatArray, t: FloatArray, pool: IntArray,
               p_start: IntArray, p_len: IntArray) -> float:  # fmt: skip
    c = 0.0
    s = p_start[p]
    for i in range(s, s + p_len[p]):
        a = pool[i]
        c += fixed[k, a] + t[a]
    return c


@njit(cache=True, nogil=True, inline="always")
def _equilibrate_two(
    j: int,
    first: int,
    second: int,
    k: int,
    fixed: FloatArray,
    t0: FloatArray,
    inv_cap: FloatArray,
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
    """:func:`_equilibrate` for a pair with exactly two paths (the usual case).

    The two paths' common first and last links cancel out of the cost difference, the
    slope and the move, so only the stretches between them are read: the same step as the
    general case, in fewer reads.
    """
    s1, n1 = p_start[first], p_len[first]
    s2, n2 = p_start[second], p_len[second]
    lead = 0
    while lead < n1 and lead < n2 and pool[s1 + lead] == pool[s2 + lead]:
        lead += 1
    trail = 0
    while (
        trail < n1 - lead
        and trail < n2 - lead
        and pool[s1 + n1 - 1 - trail] == pool[s2 + n2 - 1 - trail]
    ):
        trail += 1
    a1, b1 = s1 + lead, s1 + n1 - trail
    a2, b2 = s2 + lead, s2 + n2 - trail
    c1 = 0.0
    for i in range(a1, b1):
        c1 += fixed[k, pool[i]] + t[pool[i]]
    c2 = 0.0
    for i in range(a2, b2):
        c2 += fixed[k, pool[i]] + t[pool[i]]
    if c1 <= c2:  # the cheaper one is q (the first on ties, as in the general case)
        q, p, qa, qb, pa, pb, diff = first, second, a1, b1, a2, b2, c2 - c1
    else:
        q, p, qa, qb, pa, pb, diff = second, first, a2, b2, a1, b1, c1 - c2
    if p_flow[p] > 0.0 and diff > 0.0:
        counts[2] += 1
        stamp = counts[2]
        for i in range(qa, qb):
            mark_q[pool[i]] = stamp
        slope = 0.0
        for i in range(pa, pb):
            a = pool[i]
            mark_p[a] = stamp
            if mark_q[a] != stamp:
                slope += dt[a]
        for i in range(qa, qb):
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
        for i in range(pa, pb):
            a = pool[i]
            if mark_q[a] != stamp:
                v[a] -= delta
                y[k, a] -= delta
                _set_link(a, v, t, dt, t0, inv_cap, alpha, beta)
        for i in range(qa, qb):
            a = pool[i]
            if mark_p[a] != stamp:
                v[a] += delta
                y[k, a] += delta
                _set_link(a, v, t, dt, t0, inv_cap, alpha, beta)
    if p_flow[p] <= 0.0:  # drop the dearer path once it has no flow
        p_flow[p] = -1.0
        if p == first:
            od_first[j] = second
        else:
            p_next[first] = -1


@njit(cache=True, nogil=True, inline="always")
def _equilibrate(
    j: int,
    k: int,
    fixed: FloatArray,
    t0: FloatArray,
    inv_cap: FloatArray,
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
    first = od_first[j]
    second = p_next[first]
    if p_next[second] < 0:
        _equilibrate_two(
            j, first, second, k, fixed, t0, inv_cap, alpha, beta, v, y, t, dt, od_first, pool,
            p_start, p_len, p_flow, p_next, counts, mark_q, mark_p,
        )  # fmt: skip
        return
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
                        _set_link(a, v, t, dt, t0, inv_cap, alpha, beta)
                for i in range(qs, qs + qn):
                    a = pool[i]
                    if mark_p[a] != stamp:
                        v[a] += delta
                        y[k, a] += delta
                        _set_link(a, v, t, dt, t0, inv_cap, alpha, beta)
        p = p_next[p]
    # drop the paths left without flow (never the cheapest)
    prev = -1
    p = od_first[j]
    while p >= 0:
        nxt = p_next[p]
        if p != q and p_flow[p] <= 0.0:
            p_flow[p] = -1.0  # marks the slot dead until the pool is compacted
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
    tree_pid: IntArray,
) -> None:
    """Rewrite the live paths to the front of the pool (dropped paths leave holes)."""
    remap = np.full(counts[0], -1, dtype=np.int64)
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
            remap[p] = pid
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
    for j in range(tree_pid.shape[0]):
        if tree_pid[j] >= 0:
            tree_pid[j] = remap[tree_pid[j]]


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
        self.counts = np.zeros(5, dtype=np.int64)
        self.tree_pid = np.full(n_od, -1, dtype=np.int64)

    def reserve(self, n_paths: int, n_links: int) -> None:
        """Room for ``n_paths`` more paths of ``n_links`` links in all.

        Compacts first; if the pool is then still more than 3/4 full it doubles, so that
        compactions (a copy of every live path) stay rare.
        """
        used_p, used_l = int(self.counts[0]), int(self.counts[1])
        if used_l + n_links <= self.pool.size and used_p + n_paths <= self.p_start.size:
            return
        _compact(self.od_first, self.pool, self.p_start, self.p_len, self.p_flow,
                 self.p_next, self.counts, self.tree_pid)  # fmt: skip
        need_l = int(self.counts[1]) + n_links
        need_p = int(self.counts[0]) + n_paths
        if 4 * need_l > 3 * self.pool.size:
            self.pool = _grown(self.pool, 2 * need_l)
        if 4 * need_p > 3 * self.p_start.size:
            self.p_start = _grown(self.p_start, 2 * need_p)
            self.p_len = _grown(self.p_len, 2 * need_p)
            self.p_flow = _grown(self.p_flow, 2 * need_p)
            self.p_next = _grown(self.p_next, 2 * need_p)


def _grown(arr: NDArray[Any], need: int) -> NDArray[Any]:
    out = np.empty(max(need, arr.size), dtype=arr.dtype)
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
    head_csr = p.head[prep.adj].astype(np.int64)
    v = np.zeros(p.n_links)
    y = np.zeros((p.n_classes, p.n_links))
    t = link_time(v, t0, cap, al, be)
    dt = link_dtime(v, t0, cap, al, be)
    inv_cap = 1.0 / cap  # 0 where the capacity is infinite
    fixed = np.ascontiguousarray(prep.fixed_time)
    store = _Pool(od_dest.size, 16 * od_dest.size)
    mark_q = np.zeros(p.n_links, dtype=np.int64)
    mark_p = np.zeros(p.n_links, dtype=np.int64)
    track = n_groups * p.n_nodes <= TRACK_MAX_ENTRIES
    prev_pred = np.full((n_groups if track else 0, p.n_nodes), -1, dtype=np.int32)
    state = SolverState(np.zeros((n_groups, p.n_links)), np.inf, 0, [], [], [])
    groups: tuple[IntArray, IntArray, IntArray, IntArray, FloatArray] = (
        grp_class, grp_origin, od_ptr, od_dest, od_dem,
    )  # fmt: skip
    sptt_estimate = np.zeros(1)
    rng = np.random.default_rng(ORDER_SEED)
    last_estimate = 0.0
    threads = numba.get_num_threads()
    big = n_groups * p.n_links >= PARALLEL_MIN_WORK
    block = BLOCK if big else 1
    tree_dist = np.empty((block, p.n_nodes))
    tree_pred = np.empty((block, p.n_nodes), dtype=np.int64)
    tree_order = np.empty((block, p.n_nodes), dtype=np.int64)
    tree_count = np.zeros(block, dtype=np.int64)
    sptt_round: Callable[..., float]
    if threads > 1 and big:
        sptt_round = partial(_sptt_parallel, n_threads=min(threads, n_groups))
        block_trees = _block_trees_parallel
    else:
        sptt_round = _sptt
        block_trees = _block_trees
    for it in range(1, max_iterations + 1):
        sptt_estimate[0] = 0.0
        min_excess = max(EXCESS_OF_TARGET * gap, EXCESS_OF_GAP * last_estimate)
        if it == 1:
            perm = np.arange(n_groups, dtype=np.int64)
        else:
            perm = rng.permutation(n_groups).astype(np.int64)
        step = 0
        while 0 <= step < n_groups:
            if block > 1:
                stop = step + block_trees(
                    step, perm, prep.indptr, prep.adj, head_csr, p.first_through_node, fixed,
                    t, grp_class, grp_origin, od_ptr, od_dest, tree_dist, tree_pred,
                    tree_order, tree_count,
                )  # fmt: skip
            else:
                stop = n_groups
            done = _gs_pass(
                step, stop, perm, block > 1, tree_dist, tree_pred, tree_order, tree_count,
                prep.indptr, prep.adj, head_csr,
                p.tail, p.first_through_node, fixed, t0, inv_cap, al, be, v, y, t, dt, *groups,
                store.od_first, store.pool, store.p_start, store.p_len, store.p_flow,
                store.p_next, store.counts, mark_q, mark_p, prev_pred, store.tree_pid,
                sptt_estimate, min_excess,
            )  # fmt: skip
            if done >= 0:
                store.reserve(int(store.counts[3]), int(store.counts[4]))
                step = done
            else:
                step = stop
        for _ in range(INNER_PASSES):
            _inner_pass(
                grp_class, od_ptr, fixed, t0, inv_cap, al, be, v, y, t, dt, store.od_first,
                store.pool, store.p_start, store.p_len, store.p_flow, store.p_next,
                store.counts, mark_q, mark_p,
            )  # fmt: skip
        # resynchronise link times with the flows (removes drift from many small updates)
        t = link_time(v, t0, cap, al, be)
        dt = link_dtime(v, t0, cap, al, be)
        tstt = float(v @ t) + float(np.sum(fixed * y))
        estimate = (tstt - sptt_estimate[0]) / tstt if tstt > 0 else 0.0
        last_estimate = estimate if np.isfinite(estimate) else 0.0
        state.iterations = it
        if estimate > EXACT_GAP_FROM * gap and it < max_iterations:
            state.gaps.append(np.nan)  # surely not there yet: no trees for the exact gap
            shown = estimate
        else:
            sptt = sptt_round(
                prep.indptr, prep.adj, head_csr, fixed, t, p.first_through_node, *groups
            )
            state.gap = (tstt - sptt) / tstt if tstt > 0 else 0.0
            state.gaps.append(state.gap)
            shown = state.gap
        state.objectives.append(beckmann(v, t0, cap, al, be, float(np.sum(fixed * y))))
        state.seconds.append(time.perf_counter() - start)
        if progress is not None:
            progress(it, shown)
        if state.gap <= gap:
            break
    _origin_flows(
        grp_class, od_ptr, store.od_first, store.pool, store.p_start, store.p_len,
        store.p_flow, store.p_next, state.origin_flow,
    )  # fmt: skip
    return state
