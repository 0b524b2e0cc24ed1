"""Reference runs: our solver run long, with seeds, the best objective kept per instance.

    python -m bench.reference --instances county replan --time-limit 300 --workers 2 --seeds 1 2 3
    python -m bench.reference --instances county --methods plain ours+plain --time-limit 600
    python -m bench.reference --instances county@2 --methods ours ours+plain --time-limit 600

Methods (`--methods`, recorded with each run): `ours` (the planner), `plain` (the textbook CP-SAT
model of `bench/baselines.py` alone, no hint) and `ours+plain` (the planner for a tenth of the
limit, then the textbook model hinted with its plan for the rest; the better of the two plans is
kept, so the method is never worse than its start).

Each instance is built the same way every time (the generator's seed; the re-plan's first plan
with one worker and a fixed work budget), and stored with a fingerprint of the scenario, so a
changed generator is noticed instead of compared with a stale number. Every plan is checked by the
verifier and its objective is the verifier's. `bench/data/references.json` keeps, per instance,
the best verified objective any run found and every run (seed, limit, workers, objective, wall
time, when), so the gap of a short plan (`bench_replan`, `bench_docks`) can be re-measured; a new
run replaces the reference only when it finds a better plan.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.day_shape import SIZES
from bench.generate import generate, with_previous
from hub_scheduler.domain import HubStatus, Scenario, Schedule
from hub_scheduler.scenario_file import dump, parse_scenario
from hub_scheduler.verify import verify

REFERENCES = Path(__file__).resolve().parent / "data" / "references.json"
# Re-plan instances as they were built for their reference: their previous positions come from
# our solver's plan, which changes with the solver, so the instance itself is kept.
INSTANCES = Path(__file__).resolve().parent / "data" / "instances"
# The first plan of a re-plan instance: one worker and this many earliest-fit queries (what
# 10 s buys on the nominal machine), so the instance is the same on every machine.
FIRST_PLAN_WORK = 140_000
FIRST_PLAN_SEED = 1


def fingerprint(scenario: Scenario) -> str:
    """A short hash of the scenario as JSON (a changed generator changes it)."""
    return hashlib.sha256(scenario.model_dump_json().encode()).hexdigest()[:16]


def activation(scenario: Scenario, first: Schedule) -> tuple[Scenario, str]:
    """The day after the switch: previous positions set, standby hubs on, busiest hub suspended."""
    after = with_previous(scenario, first)
    counts: dict[str, int] = {}
    for a in first.assignments:
        counts[a.hub_id] = counts.get(a.hub_id, 0) + 1
    busiest = max(counts, key=lambda h: (counts[h], h))
    for hub in after.hubs:
        if hub.status is HubStatus.STANDBY:
            hub.status = HubStatus.ACTIVE
        if hub.id == busiest:
            hub.status = HubStatus.SUSPENDED
    return after, busiest


def first_plan(scenario: Scenario) -> Schedule:
    """The normal day's plan a re-plan starts from: reproducible (one worker, a work budget)."""
    from hub_scheduler.solver import solve

    return solve(
        scenario,
        time_limit_s=120,
        workers=1,
        seed=FIRST_PLAN_SEED,
        work_budget=FIRST_PLAN_WORK,
    )


def replan_instance(
    size: str, seed: int, stability: float | None = None
) -> tuple[Scenario, Scenario, Schedule, str]:
    """(the normal day, the re-plan scenario, the normal day's plan, the suspended hub); the
    re-plan's stability weight is `stability` when given, else the scenario's."""
    scenario = generate(size, seed)
    first = first_plan(scenario)
    after, suspended = activation(scenario, first)
    if stability is not None:
        after.settings.objective.stability = stability
    return scenario, after, first, suspended


def instance_key(kind: str, size: str, seed: int, stability: float | None = None) -> str:
    """`day-county-s1`, `replan-county-s1-w300` (w: the stability weight)."""
    key = f"{kind}-{size}-s{seed}"
    return key if stability is None else f"{key}-w{stability:g}"


def build(name: str, seed: int, store: bool = False) -> tuple[str, Scenario]:
    """An instance by short name: `county`, `city` (days, from the generator) or `replan` /
    `replan-city` (the re-plan after activation with the scenario's stability weight: read from
    `bench/data/instances/<key>.json.gz` when stored there; else built, and stored when
    `store`). `<name>@<n>` takes generator seed n instead of `seed` (`county@2`: the second
    county day, `day-county-s2`)."""
    if "@" in name:
        name, at = name.split("@", 1)
        seed = int(at)
    if not name.startswith("replan"):
        return instance_key("day", name, seed), generate(name, seed)
    size = name.split("-", 1)[1] if "-" in name else "county"
    stability = generate(size, seed).settings.objective.stability
    key = instance_key("replan", size, seed, stability)
    path = INSTANCES / f"{key}.json.gz"
    if not path.exists():
        _, after, _, _ = replan_instance(size, seed)
        if not store:
            return key, after
        path.parent.mkdir(parents=True, exist_ok=True)
        with gzip.open(path, "wt", encoding="utf-8") as f:
            json.dump(dump(after), f, ensure_ascii=False)
    # Always as read back, so the fingerprint is the stored file's.
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return key, parse_scenario(json.load(f))


def load_references(path: Path = REFERENCES) -> dict:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def reference_for(key: str, scenario: Scenario, path: Path = REFERENCES) -> float | None:
    """The stored best objective of the instance, or None when there is none or the stored
    fingerprint is not this scenario's (the generator changed: re-run the reference)."""
    entry = load_references(path).get(key)
    if entry is None or entry.get("fingerprint") != fingerprint(scenario):
        return None
    return float(entry["best"])


def gap_percent(objective: float, reference: float | None) -> float | None:
    """(objective - reference) / reference in percent; None without a reference."""
    if reference is None:
        return None
    return 100.0 * (objective - reference) / max(1.0, abs(reference))


def _ours(scenario: Scenario, limit: float, workers: int, seed: int) -> Schedule:
    from hub_scheduler.solver import solve

    return solve(scenario, time_limit_s=limit, workers=workers, seed=seed)


def _plain(scenario: Scenario, limit: float, workers: int, seed: int) -> Schedule:
    from bench.baselines import plain_cp_sat

    return plain_cp_sat(scenario, limit, workers, seed)


def _ours_then_plain(scenario: Scenario, limit: float, workers: int, seed: int) -> Schedule:
    """The planner for a tenth of the limit, then the textbook model hinted with its plan."""
    from bench.baselines import plain_cp_sat

    started = time.perf_counter()
    first = _ours(scenario, limit / 10, workers, seed)
    left = max(1.0, limit - (time.perf_counter() - started))
    second = plain_cp_sat(scenario, left, workers, seed, hint=first)
    if not verify(scenario, second).ok:
        return first
    return min((first, second), key=lambda p: verify(scenario, p).objective)


METHODS = {"ours": _ours, "plain": _plain, "ours+plain": _ours_then_plain}


def run(
    names: list[str],
    seeds: list[int],
    time_limit: float,
    workers: int,
    gen_seed: int,
    path: Path = REFERENCES,
    methods: tuple[str, ...] = ("ours",),
) -> dict:
    """Solve each instance with each method and solver seed; merge the verified results into
    `path`."""
    refs = load_references(path)
    for name in names:
        key, scenario = build(name, gen_seed, store=True)
        print(f"{key}: {len(scenario.loads)} loads", file=sys.stderr, flush=True)
        entry = refs.get(key)
        if entry is None or entry.get("fingerprint") != fingerprint(scenario):
            entry = {"fingerprint": fingerprint(scenario), "best": None, "runs": []}
        for method, seed in [(m, seed) for m in methods for seed in seeds]:
            started = time.perf_counter()
            plan = METHODS[method](scenario, time_limit, workers, seed)
            seconds = time.perf_counter() - started
            report = verify(scenario, plan)
            row = {
                "method": method,
                "seed": seed,
                "time_limit_s": time_limit,
                "workers": workers,
                "objective": report.objective,
                "verified": report.ok,
                "seconds": round(seconds, 1),
                "at": datetime.now(UTC).isoformat(timespec="seconds"),
            }
            entry["runs"].append(row)
            if report.ok and (entry["best"] is None or report.objective < entry["best"]):
                entry["best"] = report.objective
                entry["best_run"] = row
            # Stored after every run, so a long series stopped half-way keeps what it found.
            refs[key] = entry
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(refs, indent=1, sort_keys=True) + "\n", encoding="utf-8")
            print(
                f"  {method} seed {seed}: {report.objective:,.0f} ({seconds:.0f} s)"
                f"{'' if report.ok else ' NOT VERIFIED'}",
                file=sys.stderr,
                flush=True,
            )
    return refs


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--instances",
        nargs="+",
        default=["county", "county@2", "replan"],
        help=f"day sizes ({', '.join(SIZES)}) or replan / replan-<size>; <name>@<generator seed>",
    )
    parser.add_argument("--seeds", nargs="+", type=int, default=[1, 2, 3], help="solver seeds")
    parser.add_argument("--gen-seed", type=int, default=1, help="the generator's seed")
    parser.add_argument("--time-limit", type=float, default=300.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=REFERENCES)
    parser.add_argument("--methods", nargs="+", default=["ours"], choices=sorted(METHODS))
    args = parser.parse_args(argv)
    refs = run(
        args.instances,
        args.seeds,
        args.time_limit,
        args.workers,
        args.gen_seed,
        args.out,
        tuple(args.methods),
    )
    print("| instance | reference (best verified) | runs |\n| --- | ---: | ---: |")
    for key, entry in sorted(refs.items()):
        best = "-" if entry["best"] is None else f"{entry['best']:,.0f}"
        print(f"| {key} | {best} | {len(entry['runs'])} |")


if __name__ == "__main__":
    main()
