"""What a plan's figures following its rows costs: a row edit (a repair, a no-show, a late start)
only marks them stale in its transaction; the job after its commit counts them again
(`services/plan_figures.recount`: read in a snapshot, count, store if newer).

    python -m bench.bench_plan_figures --day city --edits 20 [--database-url URL]

A generated day (`city`: 3,000 loads) is stored in a fresh SQLite file (or the database named),
planned first-come-first-served and published; then `--edits` single-row edits (a load's row moved
15 minutes later, as a repair does) are each committed (the recount held, as a queue holds it), and
each is followed by its recount job. Reported: loads and rows in the plan, the median and
90th-percentile milliseconds of one edit's commit (what the request pays), of the recount job
and of its three steps: reading (in the snapshot), counting, storing.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bench.generate import generate
from hub_scheduler.records import JobStatus, Plan
from hub_scheduler.services.plan_figures import (
    figure_basis,
    follow_rows,
    read_for_recount,
    refigured,
)
from hub_scheduler.solver import fcfs
from models.db import make_engine, make_session_factory
from models.migrate import upgrade
from models.scenario_store import keyed, store_scenario
from models.uow import SqlUnitOfWork


def _stored_day(uow: SqlUnitOfWork, day: str) -> int:
    scenario = generate(day, seed=0)
    store_scenario(uow, scenario)
    scenario = keyed(scenario)
    schedule = fcfs(scenario)
    at = scenario.horizon.start
    with uow:
        plan = uow.plans.add(
            Plan(
                horizon_start=scenario.horizon.start,
                horizon_end=scenario.horizon.end,
                status=JobStatus.SUCCEEDED,
                requested_by="bench",
                requested_at=at,
                schedule=schedule,
            )
        )
        assert plan.id is not None
        uow.plans.publish(plan.id, actor="bench", at=at)
        uow.plans.set_figure_basis(plan.id, figure_basis(scenario, schedule))
        follow_rows(uow, [plan.id])
        uow.commit()
    return plan.id


def _ms(t0: float) -> float:
    return (time.perf_counter() - t0) * 1000


def measure(url: str, day: str, edits: int) -> dict:
    engine = make_engine(url)
    factory = make_session_factory(engine)
    held: list[int] = []  # the recount jobs the commits asked for, run below one at a time
    uow = SqlUnitOfWork(factory, on_stale_figures=held.extend)
    plan_id = _stored_day(uow, day)
    with uow:
        plan = uow.plans.get(plan_id)
    assert plan is not None and plan.schedule is not None
    rows = plan.schedule.assignments
    step = max(1, len(rows) // edits)
    timed: dict[str, list[float]] = {k: [] for k in ("edit", "recount", "read", "count", "store")}
    for row in rows[::step][:edits]:
        moved = row.model_copy(
            update={
                "start": row.start + timedelta(minutes=15),
                "end": row.end + timedelta(minutes=15),
                "disinfected_at": row.disinfected_at + timedelta(minutes=15),
            }
        )
        with uow:
            t0 = time.perf_counter()
            uow.plans.move_assignment(plan_id, moved)
            uow.commit()
            timed["edit"].append(_ms(t0))
        assert held.pop() == plan_id
        # The job, step by step (`recount`: `read_for_recount`, then `store_recount`, which
        # counts and stores).
        t0 = time.perf_counter()
        reading = read_for_recount(SqlUnitOfWork(factory), plan_id)
        assert reading is not None
        timed["read"].append(_ms(t0))
        t1 = time.perf_counter()
        schedule = refigured(reading.schedule, reading.scenario)
        timed["count"].append(_ms(t1))
        t1 = time.perf_counter()
        writer = SqlUnitOfWork(factory)
        with writer:
            assert writer.plans.store_counted_figures(plan_id, schedule, reading.rows_version)
            writer.commit()
        timed["store"].append(_ms(t1))
        timed["recount"].append(_ms(t0))
    engine.dispose()

    def pct(values: list[float]) -> dict:
        values = sorted(values)
        return {
            "median_ms": round(statistics.median(values), 1),
            "p90_ms": round(values[int(0.9 * (len(values) - 1))], 1),
        }

    return {
        "day": day,
        "rows": len(rows),
        "unscheduled": len(plan.schedule.unscheduled),
        "database": engine.dialect.name,
        **{k: pct(v) for k, v in timed.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--day", default="city")
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--database-url", default=None, help="an empty database (default: SQLite)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        upgrade(url)
        print(json.dumps(measure(url, args.day, args.edits), ensure_ascii=False))


if __name__ == "__main__":
    main()
