"""Lower bounds: each load alone on an empty hub (instant), and CP-SAT on the relaxed model (a
thread)."""

from __future__ import annotations

import threading

from ortools.sat.python import cp_model

from hub_scheduler.solver.cpsat_model import add_hint, build_model
from hub_scheduler.solver.decode import Decoder, Solution
from hub_scheduler.solver.timeline import Timeline

# Above this many loads the model takes longer to build than it is worth within a time limit.
MAX_MODEL_LOADS = 4000


def trivial_bound(dec: Decoder) -> float:
    """Sum over loads of the least each can cost: alone on an empty hub, or left out."""
    inst = dec.inst
    empty = Timeline(inst)
    total = 0.0
    for ld in inst.loads:
        out = dec.unplaced_cost(ld)
        if ld.key in dec.reasons:
            total += out
        elif ld.key in dec.pinned:
            c, dk, s = dec.pinned[ld.key]
            total += min(out, dec.cost_at(ld, c, dk, s))
        else:
            best = dec.best_place(empty, ld, ld.release, ld.latest_end)
            total += out if best is None else min(out, best.cost)
    return total


class _StopWatcher:
    """Stops CP-SAT (`stop_search`, safe from another thread) when the plan's clock is stopped
    (a cancel): CP-SAT's own limit only knows the time, not the cancel."""

    def __init__(self, solver: cp_model.CpSolver, clock, every_s: float = 0.1):
        self.done = threading.Event()
        stopped = getattr(clock, "stopped", None)
        if stopped is None:
            return

        def watch() -> None:
            while not self.done.wait(every_s):
                if stopped():
                    solver.stop_search()
                    return

        threading.Thread(target=watch, name="cpsat-stop", daemon=True).start()


class BoundRunner:
    """Builds the relaxed CP-SAT model and solves it in a background thread for part of the time."""

    def __init__(
        self,
        dec: Decoder,
        hint: Solution,
        *,
        workers: int,
        seed: int,
        clock,
        share: float = 0.9,
        deterministic_s: float | None = None,
    ):
        self.dec = dec
        # A copy: the search goes on changing its solution while the model is built.
        self.hint = Solution(
            cand=list(hint.cand), dock=list(hint.dock), start=list(hint.start), cost=list(hint.cost)
        )
        self.chosen: dict[int, tuple[int, int]] | None = (
            None  # the model's best (zone, start) per load
        )
        self.workers = workers
        self.seed = seed
        self.clock = clock
        self.share = share
        # CP-SAT's own work measure (about seconds), so a work-bounded solve is not stretched to
        # its wall-clock limit by the bound.
        self.deterministic_s = deterministic_s
        self.bound: float | None = None
        self.value: float | None = None
        self.status: str | None = None
        self.solver: cp_model.CpSolver | None = None
        self.thread = threading.Thread(target=self._run, name="cpsat-bound", daemon=True)

    def start(self) -> None:
        if len(self.dec.free) + len(self.dec.pinned) > MAX_MODEL_LOADS:
            return
        self.thread.start()

    def run_here(self) -> None:
        """Solve in the calling thread (one worker: no search runs beside it)."""
        if len(self.dec.free) + len(self.dec.pinned) <= MAX_MODEL_LOADS:
            self._run()

    def _run(self) -> None:
        try:
            m = build_model(self.dec)
            add_hint(m, self.dec, self.hint)
            # CP-SAT may run a little past its limit (presolve): leave it a margin.
            budget = self.clock.left() * self.share - 0.1
            if budget <= 0.1:
                return
            solver = cp_model.CpSolver()
            solver.parameters.max_time_in_seconds = budget
            if self.deterministic_s is not None:
                # Presolve can run long past a deterministic limit: a wall cap too (with one
                # worker the bound never changes the plan, only the reported bound).
                solver.parameters.max_deterministic_time = self.deterministic_s
                solver.parameters.max_time_in_seconds = min(budget, 4 * self.deterministic_s)
            solver.parameters.num_workers = max(1, self.workers)
            solver.parameters.random_seed = self.seed
            # Probing in presolve can eat seconds on these models and buys little bound.
            solver.parameters.cp_model_probing_level = 0
            self.solver = solver
            watcher = _StopWatcher(solver, self.clock)
            try:
                status = solver.solve(m.cp)
            finally:
                watcher.done.set()
            self.status = solver.status_name(status)
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                self.bound = solver.best_objective_bound / m.scale + m.constant
                self.value = solver.objective_value / m.scale + m.constant
                self.chosen = {
                    k: (z, solver.value(m.start[k]))
                    for (k, z), lit in m.use.items()
                    if solver.boolean_value(lit)
                }
        except Exception:  # noqa: BLE001 - the bound is a nicety; the plan never depends on it
            self.bound = None

    def finish(self, clock) -> None:
        """Wait for the solve (it ends by its own limit); stop it if the plan's time is up."""
        if not self.thread.is_alive():
            return
        self.thread.join(max(0.0, clock.left()))
        if self.thread.is_alive() and self.solver is not None:
            self.solver.stop_search()
            self.thread.join(1.0)
