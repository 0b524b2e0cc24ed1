"""The late-truck repair (`hub_scheduler/solver/repair.py`): how long one repair takes on a day's
plan, and how many candidates it verifies.

    python -m bench.bench_repair --days xunwu county --late 20 --minutes 40
    python -m bench.bench_repair --days county city --late 40 --minutes 40 --push

With `--push` the repair may push every other load of the plan to the right
(`solver/repair.py`'s `repair`, as the service's check-in repair does for trucks not yet on
site), so a load with no gap by its due is put in by an insertion; the table then also says how
many repairs moved other loads.

For each day, a first-come-first-served plan is made (fcfs, fast and feasible), then `--late`
placed loads, spread over the day, are in turn taken out and repaired from their planned start +
`--minutes` (a truck that much late), against the rest of the plan. Reported per day: loads in
the plan, median and 90th-percentile milliseconds per repair, median candidates tried, and how
many found a slot. Each repair verifies every candidate with the whole-plan verifier, so its cost
grows with the plan's size times the candidates tried. Then, apart, the milliseconds of telling
why the slot is not earlier (`solver/why_not_earlier.py`, which every repair of the service runs
after it) and how many limits it names.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from datetime import timedelta
from pathlib import Path

from bench.generate import generate
from hub_scheduler.scenario_file import parse_scenario
from hub_scheduler.solver import fcfs
from hub_scheduler.solver.repair import earliest_slot, repair
from hub_scheduler.solver.why_not_earlier import why_not_earlier

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "xunwu.json"


def _day(name: str):
    if name == "xunwu":
        return parse_scenario(json.loads(FIXTURE.read_text(encoding="utf-8")))
    return generate(name, seed=0)


def measure(name: str, late: int, minutes: int, push: bool = False) -> dict:
    scenario = _day(name)
    plan = fcfs(scenario).assignments
    loads = {ld.id: ld for ld in scenario.loads}
    step = max(1, len(plan) // late)
    times, tried, found_slots, explain, named, pushed = [], [], 0, [], [], 0
    for a in sorted(plan, key=lambda a: a.start)[::step][:late]:
        others = [o for o in plan if o.load_id != a.load_id]
        # Unpinned and with no previous slot, as the service hands a late truck to the repair
        # (a checked-in load's previous slot would pin it there, H10).
        load = loads[a.load_id].model_copy(update={"pinned": None, "previous": None})
        day = scenario.model_copy(
            update={"loads": [ld if ld.id != a.load_id else load for ld in scenario.loads]}
        )
        t0 = time.perf_counter()
        late = a.start + timedelta(minutes=minutes)
        if push:
            found = repair(day, load, others, late, {o.load_id for o in others})
        else:
            found = earliest_slot(day, load, others, late)
        times.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        moved = {m.load_id: m for m in found.moved}
        after = [moved.get(o.load_id, o) for o in others]
        named.append(len(why_not_earlier(day, load, after, late, found.assignment)))
        explain.append((time.perf_counter() - t0) * 1000)
        tried.append(found.tried)
        found_slots += found.assignment is not None
        pushed += bool(found.moved)
    times.sort()
    explain.sort()
    return {
        "day": name,
        "loads_in_plan": len(plan),
        "repairs": len(times),
        "median_ms": round(statistics.median(times), 1),
        "p90_ms": round(times[int(0.9 * (len(times) - 1))], 1),
        "median_tried": statistics.median(tried),
        "found": found_slots,
        "pushed": pushed,
        "max_ms": round(times[-1], 1),
        "explain_median_ms": round(statistics.median(explain), 2),
        "explain_p90_ms": round(explain[int(0.9 * (len(explain) - 1))], 2),
        "median_limits": statistics.median(named),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", nargs="+", default=["xunwu", "county"])
    parser.add_argument("--late", type=int, default=20)
    parser.add_argument("--minutes", type=int, default=40)
    parser.add_argument("--push", action="store_true", help="let the repair push other loads")
    args = parser.parse_args()
    rows = [measure(day, args.late, args.minutes, args.push) for day in args.days]
    print(
        "| day | loads in plan | repairs | median ms | p90 ms | max ms | median candidates "
        "| found | pushed others | why-not-earlier median ms | p90 ms | median limits |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(
            f"| {r['day']} | {r['loads_in_plan']} | {r['repairs']} | {r['median_ms']} "
            f"| {r['p90_ms']} | {r['max_ms']} | {r['median_tried']} | {r['found']} "
            f"| {r['pushed']} | {r['explain_median_ms']} | {r['explain_p90_ms']} "
            f"| {r['median_limits']} |"
        )


if __name__ == "__main__":
    main()
