"""The time-indexed LP relaxation of a day, and the lower bound its duals prove (issue 15).

Starts lie on each hub's slot grid (H9), so a plan is a choice, per load, of one option: left out
(S1), or one (zone, grid start) inside its window, opening hours and zone/hub blocks (H4, H5).
The LP takes every option as a variable x in [0, 1], one per load summing to 1, and keeps, at
every grid point t of a zone or hub, the rules as "at most N at once":

- H3 spans [s, s + p + d) covering t: at most the zone's docks not blocked at t (two spans on
  grid starts overlap exactly when one covers the other's start, so the points suffice);
- H6 operations [s, s + p) covering t: at most the zone's crews;
- H8 operations [s, s + p) covering t at a hub: at most its site capacity;
- H7 an outbound started in zone z by t needs its inbound started in z by t - offset;
- H10 a pinned load has its pinned option only (or left out, when it is a relay's outbound).

The cost of an option is the rules' S2 + S3 + S4 + S5 of that start at its cheapest dock (S4
counts unless the previous dock is in the zone and the start is the previous one). Every plan is
an integer point of this LP at no greater cost, so the LP optimum is a lower bound.

The reported number is not the LP solver's objective but the Lagrangian value of its duals: with
multipliers mu >= 0 on the "at most" rows, every load picks its cheapest option under the reduced
costs, and `sum(min) - mu . capacity` is a bound for every mu >= 0, whatever the LP solver's
tolerances or status (at the LP optimum the two agree). The loads H11 bars from every plan add
their S1 as a constant (`Decoder.fixed_cost`).
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from ortools.linear_solver import linear_solver_pb2 as pb  # type: ignore[attr-defined]
from ortools.linear_solver.python import model_builder_helper as mbh

from hub_scheduler.facts import relay_offset
from hub_scheduler.solver.cpsat_model import feasible_starts
from hub_scheduler.solver.decode import Decoder

# Above this many options (variables) or grid-point nonzeros the LP takes longer to build and
# solve than it is worth within a time limit (the county day: 54,000 and 520,000).
MAX_OPTIONS = 200_000
MAX_NONZEROS = 1_500_000
# Less time than this left for GLOP after the build: not worth starting (the county day needs
# 2-4 s).
MIN_SOLVE_S = 1.0


@dataclass
class Relaxation:
    """The LP in flat arrays: option j belongs to load `owner[j]` (loads numbered 0..n-1 in
    `keys`), costs `cost[j]`; row r is `sum coef * x <= cap[r]`."""

    keys: list[int]
    owner: np.ndarray
    cost: np.ndarray
    zone: np.ndarray  # -1 for the left-out option
    start: np.ndarray
    rows: np.ndarray  # nonzeros: row index, column (option), coefficient
    cols: np.ndarray
    coefs: np.ndarray
    cap: np.ndarray
    fixed: float  # S1 (and S4) of loads no plan may place
    pinned_in: list[int] = field(default_factory=list)  # loads that must be placed (no out option)


class _Builder:
    def __init__(self, dec: Decoder):
        self.dec = dec
        self.inst = dec.inst
        self.owner: list[np.ndarray] = []
        self.cost: list[np.ndarray] = []
        self.zone: list[np.ndarray] = []
        self.start: list[np.ndarray] = []
        self.n_options = 0
        # (load key, zone) -> (first column, starts) of that load's options there
        self.at: dict[tuple[int, int], tuple[int, np.ndarray]] = {}
        self.nz_rows: list[np.ndarray] = []
        self.nz_cols: list[np.ndarray] = []
        self.nz_coefs: list[np.ndarray] = []
        self.cap: list[float] = []
        self.row_of: dict[tuple[str, int], int] = {}  # (resource, key) -> first row of its points

    def add_options(self, pos: int, zone: int, starts: np.ndarray, cost: np.ndarray) -> int:
        first = self.n_options
        n = len(starts)
        self.owner.append(np.full(n, pos, dtype=np.int64))
        self.cost.append(cost.astype(np.float64))
        self.zone.append(np.full(n, zone, dtype=np.int64))
        self.start.append(starts.astype(np.int64))
        self.n_options += n
        return first

    def points(self, kind: str, key: int, slot: int, caps: np.ndarray) -> int:
        """The rows of one resource, one per grid point (created once)."""
        if (kind, key) not in self.row_of:
            self.row_of[(kind, key)] = len(self.cap)
            self.cap.extend(float(c) for c in caps)
        return self.row_of[(kind, key)]

    def cover(self, base: int, first: int, starts: np.ndarray, length: int, slot: int) -> None:
        """Options first.. (at `starts`) hold the resource over [s, s + length): one nonzero per
        grid point they cover."""
        if length <= 0 or not len(starts):
            return
        m = -(-length // slot)
        idx = (starts // slot)[:, None] + np.arange(m)[None, :]
        cols = np.arange(first, first + len(starts))[:, None] + np.zeros((1, m), dtype=np.int64)
        self.nz_rows.append((base + idx).ravel())
        self.nz_cols.append(cols.ravel())
        self.nz_coefs.append(np.ones(idx.size))


class _Stopped(Exception):
    pass


def build_relaxation(dec: Decoder, stopped: Callable[[], bool] | None = None) -> Relaxation | None:
    """The time-indexed LP of the day (None above MAX_OPTIONS options or MAX_NONZEROS); the
    build gives up (raises `_Stopped`) as soon as `stopped()` is true."""

    def check() -> None:
        if stopped is not None and stopped():
            raise _Stopped

    inst = dec.inst
    b = _Builder(dec)
    keys = [ld.key for ld in inst.loads if ld.key not in dec.reasons]
    pos_of = {k: i for i, k in enumerate(keys)}
    pinned_in: list[int] = []
    fixed = dec.fixed_cost
    n_points = {h.key: inst.horizon // h.slot + 2 for h in inst.hubs}
    total = nonzeros = 0
    for k in keys:
        ld = inst.loads[k]
        for c in ld.cands:
            n = sum((hi - lo) // c.slot + 1 for lo, hi in feasible_starts(inst, ld, c))
            total += n
            nonzeros += n * -(-(ld.p + c.disinfection) // c.slot)
    if total > MAX_OPTIONS or nonzeros > MAX_NONZEROS:
        return None

    # Each load's (zone, starts, costs) first, so that relays can be matched before any is added.
    opts: dict[int, list[tuple[int, np.ndarray, np.ndarray]]] = {}
    for k in keys:
        check()
        ld = inst.loads[k]
        opts[k] = []
        if any(i < 0 or i in dec.reasons for i, _ in ld.inbounds):
            continue  # its inbound is never placed: only left out (H7)
        for c in ld.cands:
            if k in dec.pinned:
                pc, pdk, ps = dec.pinned[k]
                if pc.zone == c.zone:
                    opts[k].append(
                        (c.zone, np.array([ps]), np.array([dec.cost_at(ld, pc, pdk, ps)]))
                    )
                continue
            pieces = feasible_starts(inst, ld, c)
            if pieces:
                starts = np.concatenate([np.arange(lo, hi + 1, c.slot) for lo, hi in pieces])
                opts[k].append((c.zone, starts, _option_costs(dec, ld, c, starts)))
    # H7 an outbound only in a zone where each of its inbounds may be too (to a fixed point).
    changed = True
    while changed:
        changed = False
        for k in keys:
            ld = inst.loads[k]
            for i, _ in ld.inbounds:
                zones = {z for z, _, _ in opts.get(i, [])}
                kept = [o for o in opts[k] if o[0] in zones]
                if len(kept) != len(opts[k]):
                    opts[k] = kept
                    changed = True
    for k in keys:
        ld = inst.loads[k]
        pos = pos_of[k]
        if k in dec.pinned and not ld.inbounds and opts[k]:
            pinned_in.append(pos)
        else:
            b.add_options(pos, -1, np.array([0]), np.array([dec.unplaced_cost(ld)]))
        for z, starts, cost in opts[k]:
            b.at[(k, z)] = (b.add_options(pos, z, starts, cost), starts)

    for (k, z), (first, starts) in b.at.items():
        check()
        ld = inst.loads[k]
        zone = inst.zones[z]
        hub = inst.hubs[zone.hub]
        c = next(c for c in ld.cands if c.zone == z)
        g = c.slot
        npts = n_points[hub.key]
        free_docks = np.array(
            [
                sum(1 for dk in zone.docks if not _inside(inst.docks[dk].blocked, t))
                for t in range(0, npts * g, g)
            ]
        )
        base = b.points("dock", z, g, free_docks)
        b.cover(base, first, starts, ld.p + c.disinfection, g)
        if zone.crews is not None and zone.crews < len(zone.docks):
            base = b.points("crew", z, g, np.full(npts, zone.crews))
            b.cover(base, first, starts, ld.p, g)
        all_docks = sum(len(inst.zones[zz].docks) for zz in hub.zones)
        if hub.site_cap is not None and hub.site_cap < all_docks:
            base = b.points("site", hub.key, g, np.full(npts, hub.site_cap))
            b.cover(base, first, starts, ld.p, g)

    # H7: started in z by t (outbound) needs started in z by t - offset (inbound).
    for k in keys:
        ld = inst.loads[k]
        for i, gap in ld.inbounds:
            for c in ld.cands:
                if (k, c.zone) not in b.at or (i, c.zone) not in b.at:
                    continue
                fo, so = b.at[(k, c.zone)]
                fi, si = b.at[(i, c.zone)]
                ci = next(x for x in inst.loads[i].cands if x.zone == c.zone)
                off = relay_offset(inst.loads[i].p, ci.disinfection, gap)
                order_o = np.argsort(so, kind="stable")
                order_i = np.argsort(si, kind="stable")
                so_s, si_s = so[order_o], si[order_i]
                row0 = len(b.cap)
                n = len(so_s)
                b.cap.extend([0.0] * n)
                # Row a (t = so_s[a]): outbound options with start <= t, +1 ...
                ra, ca = np.tril_indices(n)
                b.nz_rows.append(row0 + ra)
                b.nz_cols.append(fo + order_o[ca])
                b.nz_coefs.append(np.ones(len(ra)))
                # ... inbound options with start <= t - off, -1.
                upto = np.searchsorted(si_s, so_s - off, side="right")
                rr = np.repeat(np.arange(n), upto)
                cc = np.concatenate([order_i[:u] for u in upto]) if n else np.zeros(0, np.int64)
                b.nz_rows.append(row0 + rr)
                b.nz_cols.append(fi + cc)
                b.nz_coefs.append(-np.ones(len(rr)))

    def cat(parts: list[np.ndarray], dtype) -> np.ndarray:
        return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype=dtype)

    return Relaxation(
        keys=keys,
        owner=cat(b.owner, np.int64),
        cost=cat(b.cost, np.float64),
        zone=cat(b.zone, np.int64),
        start=cat(b.start, np.int64),
        rows=cat(b.nz_rows, np.int64),
        cols=cat(b.nz_cols, np.int64),
        coefs=cat(b.nz_coefs, np.float64),
        cap=np.array(b.cap, dtype=np.float64),
        fixed=fixed,
        pinned_in=pinned_in,
    )


def _inside(blocked: list[tuple[int, int]], t: int) -> bool:
    return any(a <= t < e for a, e in blocked)


def _option_costs(dec: Decoder, ld, c, starts: np.ndarray) -> np.ndarray:
    """S2 + S3 + S4 + S5 of each start in the candidate zone, at its cheapest dock."""
    inst = dec.inst
    cost = ld.w * np.maximum(0.0, starts + ld.p - ld.due) + c.travel_cost
    if ld.wait_coef:
        cost = cost + ld.wait_coef * (starts - dec.release_f[ld.key])
    if ld.load.previous is not None:
        beta = np.full(len(starts), inst.beta)
        prev = ld.previous
        if prev is not None and prev.hub == c.hub and prev.start == int(prev.start):
            kept = inst.dock_index.get((c.hub, prev.dock_id))
            if kept is not None and kept in c.docks:
                beta[starts == int(prev.start)] = 0.0
        cost = cost + beta
    return cost


def lagrangian(rel: Relaxation, mu: np.ndarray) -> float:
    """A lower bound for any mu >= 0 on the rows: each load at its cheapest reduced-cost option."""
    mu = np.maximum(0.0, np.nan_to_num(mu, nan=0.0, posinf=0.0, neginf=0.0))
    reduced = rel.cost + np.bincount(
        rel.cols, weights=rel.coefs * mu[rel.rows], minlength=len(rel.cost)
    )
    n = len(rel.keys)
    best = np.full(n, np.inf)
    np.minimum.at(best, rel.owner, reduced)
    if not np.all(np.isfinite(best)):
        return -math.inf  # a load with no usable option: nothing proven (never expected)
    return float(rel.fixed + best.sum() - float(mu @ rel.cap))


def _request(rel: Relaxation, active: np.ndarray, time_limit_s: float) -> bytes:
    """GLOP's request for the LP restricted to the options in `active` (sorted column indices)."""
    req = pb.MPModelRequest()
    req.solver_type = pb.MPModelRequest.GLOP_LINEAR_PROGRAMMING
    req.solver_time_limit_seconds = max(0.01, time_limit_s)
    # Dual simplex from the slack basis: 0.9 CPU s on the county day against 1.4 for the primal
    # (0.24 against 0.77 on the re-plan), the same optimum.
    req.solver_specific_parameters = (
        "use_preprocessing: false\nuse_dual_simplex: true\ninitial_basis: NONE"
    )
    model = req.model
    for cost in rel.cost[active].tolist():
        v = model.variable.add()
        v.lower_bound = 0.0
        v.upper_bound = 1.0
        v.objective_coefficient = cost
    local = np.full(len(rel.cost), -1, dtype=np.int64)
    local[active] = np.arange(len(active))
    keep = local[rel.cols] >= 0
    rows, cols, coefs = rel.rows[keep], local[rel.cols[keep]], rel.coefs[keep]
    order = np.argsort(rows, kind="stable")
    rows, cols, coefs = rows[order], cols[order], coefs[order]
    bounds = np.searchsorted(rows, np.arange(len(rel.cap) + 1))
    for r in range(len(rel.cap)):
        con = model.constraint.add()
        a, e = bounds[r], bounds[r + 1]
        con.var_index.extend(cols[a:e].tolist())
        con.coefficient.extend(coefs[a:e].tolist())
        con.lower_bound = -math.inf
        con.upper_bound = float(rel.cap[r])
    # One option per load.
    owner = rel.owner[active]
    bounds = np.searchsorted(owner, np.arange(len(rel.keys) + 1))  # options are sorted by owner
    for p in range(len(rel.keys)):
        con = model.constraint.add()
        con.var_index.extend(range(int(bounds[p]), int(bounds[p + 1])))
        con.coefficient.extend([1.0] * int(bounds[p + 1] - bounds[p]))
        con.lower_bound = 1.0
        con.upper_bound = 1.0
    return req.SerializeToString()


def solve_relaxation(
    rel: Relaxation,
    time_limit_s: float,
    *,
    on_solver: Callable[[mbh.ModelSolverHelper], None] | None = None,
) -> tuple[float, float | None]:
    """GLOP's dual simplex on the whole LP (presolve off: it costs more than it saves here);
    returns (the Lagrangian bound of its duals, the LP value), or (-inf, None) when it did not
    finish.

    Column generation (the earliest starts first, then the options of negative reduced cost)
    was tried: each round rebuilds and re-solves the LP, and on the county day it took 17-25 s
    to reach what one solve of all options reaches in 4-5 s."""
    solver = mbh.ModelSolverHelper("glop")
    if on_solver is not None:
        on_solver(solver)
    request = _request(rel, np.arange(len(rel.cost)), time_limit_s)
    raw = solver.solve_serialized_request(request)  # type: ignore[arg-type]
    response = pb.MPSolutionResponse.FromString(raw)
    if response.status != pb.MPSOLVER_OPTIMAL:
        return -math.inf, None
    duals = np.asarray(response.dual_value, dtype=np.float64)
    return lagrangian(rel, -duals[: len(rel.cap)]), rel.fixed + response.objective_value


class LpBound:
    """Solves the relaxation with GLOP (it runs outside the GIL) and keeps the proven bound."""

    def __init__(self, dec: Decoder):
        self.dec = dec
        self.bound: float | None = None
        self.lp_value: float | None = None
        self.status: str | None = None
        self.seconds = 0.0
        self._solver: mbh.ModelSolverHelper | None = None
        self._stop = threading.Event()
        self.thread: threading.Thread | None = None

    def _watch(self, solver: mbh.ModelSolverHelper) -> None:
        self._solver = solver
        if self._stop.is_set():
            solver.interrupt_solve()

    def _proved(self, value: float) -> None:
        if math.isfinite(value):
            # Float sums: a hair below, so rounding never lifts the bound above the truth.
            self.bound = value - 1e-7 * abs(value) - 1e-6

    def run(self, time_limit_s: float) -> float | None:
        import time

        t0 = time.monotonic()
        try:
            rel = build_relaxation(self.dec, self._stop.is_set)
            if rel is None:
                self.status = "too large"
                return None
            if time_limit_s - (time.monotonic() - t0) < MIN_SOLVE_S:
                self.status = "not solved in time"
                return None
            value, self.lp_value = solve_relaxation(
                rel, time_limit_s - (time.monotonic() - t0), on_solver=self._watch
            )
            self.status = "optimal" if self.lp_value is not None else "not solved in time"
            if not self._stop.is_set():
                self._proved(value)
        except _Stopped:
            self.status = "not solved in time"
        except Exception:  # noqa: BLE001 - the bound is a nicety; the plan never depends on it
            self.bound = None
        self.seconds = time.monotonic() - t0
        return self.bound

    def start(self, time_limit_s: float) -> None:
        self.thread = threading.Thread(
            target=self.run, args=(time_limit_s,), name="lp-bound", daemon=True
        )
        self.thread.start()

    def running(self) -> bool:
        return self.thread is not None and self.thread.is_alive()

    def finish(self, wait_s: float) -> None:
        """Wait up to `wait_s` for the bound; then stop the LP (what it proved so far stays)."""
        if self.thread is None or not self.thread.is_alive():
            return
        self.thread.join(max(0.0, wait_s))
        if self.thread.is_alive():
            self._stop.set()
            if self._solver is not None:
                self._solver.interrupt_solve()
            self.thread.join(0.1)  # GLOP stops at once; a build in Python at its next load
            if self.thread.is_alive() and self.status is None:
                self.status = "not solved in time"
