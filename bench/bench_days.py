"""Generated hub days (county, city, province), methods side by side, each in its own process.

    python -m bench.bench_days --sizes county city province --time-limit 10 60 120

For every size and method: the objective (recomputed by the independent verifier), the loads left
out and their weight, the gap to the method's own bound and to the best bound any method proved,
the improvement over first-come-first-served, the time to the first feasible plan, the wall time,
the process's peak memory, and whether the plan passes the verifier.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.day_shape import SIZES
from bench.generate import generate
from hub_scheduler.domain import Schedule
from hub_scheduler.facts import unscheduled_penalty
from hub_scheduler.scenario_file import write_scenario
from hub_scheduler.verify import verify
from hub_scheduler.verify.checks import barred_everywhere
from hub_scheduler.verify.plan import plannable
from hub_scheduler.weights import load_weight

REPO = Path(__file__).resolve().parents[1]
# Keys a solver may use in `kpis` for the moment its first feasible plan existed.
FIRST_FEASIBLE_KEYS = (
    "first_feasible_s",
    "first_feasible_seconds",
    "time_to_first_feasible_s",
    "construction_seconds",
    "greedy_seconds",
)


def run_method(
    method: str, scenario_file: Path, workdir: Path, time_limit: float, workers: int, seed: int
) -> dict:
    """Run one method in a fresh interpreter (so its peak memory is its own); its JSON result."""
    result_file = workdir / f"{scenario_file.stem}.{method}.json"
    command = [
        sys.executable,
        "-m",
        "bench.run_one",
        method,
        str(scenario_file),
        str(result_file),
        "--time-limit",
        str(time_limit),
        "--workers",
        str(workers),
        "--seed",
        str(seed),
    ]
    try:
        done = subprocess.run(
            command, cwd=REPO, capture_output=True, text=True, timeout=3 * time_limit + 180
        )
    except subprocess.TimeoutExpired:
        return {"method": method, "error": f"no answer within {3 * time_limit + 180:.0f} s"}
    if done.returncode != 0 or not result_file.exists():
        return {"method": method, "error": (done.stderr or "no result")[-400:]}
    return json.loads(result_file.read_text(encoding="utf-8"))


def measure(scenario, result: dict) -> dict:
    """The table row for one method's result, every number from the verifier."""
    row = {
        "method": result["method"],
        "seconds": result.get("seconds"),
        "peak_mib": result.get("peak_mib"),
    }
    if "schedule" not in result:
        row["note"] = result.get("skipped") or result.get("error", "no plan")
        return row
    schedule = Schedule.model_validate(result["schedule"])
    if schedule.status.value in ("unknown", "infeasible") and not schedule.assignments:
        row["note"] = f"no plan found in time ({schedule.status.value})"
        return row
    report = verify(scenario, schedule)
    enterprises = {e.id: e for e in scenario.enterprises}
    placed = {a.load_id for a in schedule.assignments}
    left_out = [ld for ld in scenario.loads if plannable(ld) and ld.id not in placed]
    first = next(
        (schedule.kpis[k] for k in FIRST_FEASIBLE_KEYS if schedule.kpis.get(k) is not None), None
    )
    if first is None and result["method"] == "fcfs":
        first = result.get("seconds")  # a single-pass dispatch: its plan exists when it returns
    row.update(
        objective=report.objective,
        terms=report.terms,
        placed=len(placed),
        unscheduled=len(left_out),
        unscheduled_weight=sum(
            load_weight(ld, enterprises.get(ld.enterprise_id)) for ld in left_out
        ),
        bound=schedule.bound,
        status=schedule.status.value,
        first_feasible_s=first,
        verified=report.ok,
        broken=sorted(report.rules_broken()),
        violations=[v.text for v in report.violations[:5]],
    )
    return row


def barred_penalty(scenario) -> float:
    """S1 that every valid plan pays: loads H11 keeps out of every hub (white-list, screening)."""
    enterprises = {e.id: e for e in scenario.enterprises}
    weight = sum(
        load_weight(ld, enterprises.get(ld.enterprise_id))
        for ld in scenario.loads
        if plannable(ld) and barred_everywhere(scenario, ld, enterprises)
    )
    return unscheduled_penalty(scenario) * weight


def _fmt(value, spec: str = ",.0f", missing: str = "-") -> str:
    return missing if value is None else format(value, spec)


def table(results: dict[str, list[dict]], barred: dict[str, float]) -> str:
    """One row per (size, method); `barred` is each size's unavoidable S1 (see barred_penalty)."""
    lines = [
        "| size | method | objective | less barred S1 | vs FCFS | S2 tardiness | placed "
        "| unscheduled (weight) | gap own bound | gap best bound | first plan s | time s "
        "| peak MiB | verified |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| --- |",
    ]
    for size, rows in results.items():
        fixed = barred[size]
        bounds = [r["bound"] for r in rows if r.get("verified") and r.get("bound") is not None]
        best_bound = max(bounds) if bounds else None
        fcfs = next(
            (r["objective"] for r in rows if r["method"] == "fcfs" and "objective" in r), None
        )
        for r in rows:
            if "objective" not in r:
                lines.append(
                    f"| {size} | {r['method']} | - | - | - | - | - | - | - | - | - "
                    f"| {_fmt(r.get('seconds'), '.1f')} | {_fmt(r.get('peak_mib'))} "
                    f"| {r['note'][:60]} |"
                )
                continue
            obj = r["objective"]
            own = None if r["bound"] is None else 100 * (obj - r["bound"]) / max(1.0, abs(obj))
            best = None if best_bound is None else 100 * (obj - best_bound) / max(1.0, abs(obj))
            # Compare with FCFS on what a method can change: the barred loads' S1 is the same
            # for all.
            vs = None if not fcfs or fcfs == fixed else 100 * (obj - fcfs) / (fcfs - fixed)
            verdict = "yes" if r["verified"] else "NO: " + " ".join(r["broken"])
            lines.append(
                f"| {size} | {r['method']} | {obj:,.0f} | {obj - fixed:,.0f} | {_fmt(vs, '+.1f')}% "
                f"| {r['terms']['S2']:,.0f} | {r['placed']} "
                f"| {r['unscheduled']} ({r['unscheduled_weight']}) | {_fmt(own, '.1f')}% "
                f"| {_fmt(best, '.1f')}% | {_fmt(r['first_feasible_s'], '.2f')} "
                f"| {r['seconds']:.1f} "
                f"| {r['peak_mib']:,.0f} | {verdict} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", choices=list(SIZES), default=list(SIZES))
    parser.add_argument(
        "--time-limit",
        nargs="+",
        type=float,
        default=[10.0],
        help="seconds: one value for all sizes, or one per size",
    )
    parser.add_argument("--methods", nargs="+", default=["ours", "fcfs", "plain"])
    parser.add_argument(
        "--plain-sizes",
        nargs="*",
        default=["county", "city"],
        help="sizes on which the plain CP-SAT model is tried at all",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1, help="the generator's and the solvers' seed")
    parser.add_argument("--json", type=Path, help="also write every row here")
    parser.add_argument("--render", type=Path, help="print the table of a saved --json run")
    args = parser.parse_args(argv)
    if args.render:
        results = json.loads(args.render.read_text(encoding="utf-8"))
        barred = {key: barred_penalty(generate(key.split()[0], args.seed)) for key in results}
        print(table(results, barred))
        return
    limits = args.time_limit * len(args.sizes) if len(args.time_limit) == 1 else args.time_limit
    if len(limits) != len(args.sizes):
        parser.error("give one --time-limit, or one per size")
    results: dict[str, list[dict]] = {}
    barred: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="bench-days-") as tmp:
        workdir = Path(tmp)
        for size, limit in zip(args.sizes, limits, strict=True):
            scenario = generate(size, args.seed)
            scenario_file = workdir / f"{size}.json"
            write_scenario(scenario, scenario_file)
            rows = []
            for method in args.methods:
                if method.startswith("plain") and size not in args.plain_sizes:
                    rows.append(
                        {"method": method, "note": "not tried (too large for the plain model)"}
                    )
                    continue
                result = run_method(method, scenario_file, workdir, limit, args.workers, args.seed)
                rows.append(measure(scenario, result))
                r = rows[-1]
                print(
                    f"{size:>9} {method:>16} {r.get('objective', r.get('note'))} "
                    f"{_fmt(r.get('seconds'), '.1f')} s "
                    f"{'ok' if r.get('verified') else r.get('broken')}",
                    file=sys.stderr,
                    flush=True,
                )
            results[f"{size} ({limit:g} s)"] = rows
            barred[f"{size} ({limit:g} s)"] = barred_penalty(scenario)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    print(f"Generated hub days, seed {args.seed}, {args.workers} worker(s)\n")
    print(table(results, barred))


if __name__ == "__main__":
    main()
