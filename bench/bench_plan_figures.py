"""What a plan's figures following its rows costs (`services/plan_figures.follow_rows`): the unit of
work counts an edited plan again once, before the commit of a repair, a no-show or a late start.

    python -m bench.bench_plan_figures --day city --edits 20 [--database-url URL]

A generated day (`city`: 3,000 loads) is stored in a fresh SQLite file (or the database named),
planned first-come-first-served and published; then `--edits` single-row edits (a load's row moved
15 minutes later, as a repair does) are each committed, with and without the figures following.
Reported: loads and rows in the plan, the median and 90th-percentile milliseconds of one edit's
commit both ways, and of `follow_rows` alone (what the figures add to each repair).
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
from hub_scheduler.services.plan_figures import figure_basis, follow_rows
from hub_scheduler.solver import fcfs
from models.db import make_engine, make_session_factory
from models.migrate import upgrade
from models.repositories.plan_rows import EDITED_PLANS
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
        uow.commit()
    return plan.id


def _ms(t0: float) -> float:
    return (time.perf_counter() - t0) * 1000


def measure(url: str, day: str, edits: int) -> dict:
    engine = make_engine(url)
    uow = SqlUnitOfWork(make_session_factory(engine))
    plan_id = _stored_day(uow, day)
    with uow:
        plan = uow.plans.get(plan_id)
    assert plan is not None and plan.schedule is not None
    rows = plan.schedule.assignments
    step = max(1, len(rows) // edits)
    timed: dict[str, list[float]] = {"with": [], "without": [], "follow_rows": []}
    for i, row in enumerate(rows[::step][:edits]):
        moved = row.model_copy(
            update={
                "start": row.start + timedelta(minutes=15),
                "end": row.end + timedelta(minutes=15),
                "disinfected_at": row.disinfected_at + timedelta(minutes=15),
            }
        )
        follow = i % 2 == 0
        with uow:
            t0 = time.perf_counter()
            uow.plans.move_assignment(plan_id, moved)
            if not follow:
                assert uow.session is not None
                uow.session.info.pop(EDITED_PLANS, None)
            uow.commit()
            timed["with" if follow else "without"].append(_ms(t0))
        with uow:
            t0 = time.perf_counter()
            follow_rows(uow, [plan_id])
            timed["follow_rows"].append(_ms(t0))
            uow.rollback()
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
