"""The plan in force (issue 9): how many published slots a re-plan moves, and what publishing
(lock, merge with the gate, verify against the current state) costs.

For each seed: the Xunwu day is planned as of 00:00 and published; then it is re-planned
(a) for the same horizon, (b) for a two-day horizon with `previous` from the plan in force
(issue 9),
(c) for that two-day horizon without `previous` (before issue 9: only a plan of the identical
horizon gave previous positions). Moved = a published load whose hub, dock or start changed, or
which lost its slot. Publish = wall time of POST /plans/{id}/publish in process (SQLite).

    python -m bench.bench_plan_in_force [--seeds 3] [--time-limit 2]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path

from api import create_app
from api.database import db
from hub_scheduler.scenario_file import parse_scenario
from hub_scheduler.services.tokens import issue_token
from hub_scheduler.solver import solve
from models.migrate import upgrade
from models.scenario_store import load_scenario, store_scenario

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "xunwu.json"
DAY = {"start": "2026-11-28T00:00:00+08:00", "end": "2026-11-29T00:00:00+08:00"}
TWO_DAYS = {"start": "2026-11-27T00:00:00+08:00", "end": "2026-11-29T00:00:00+08:00"}


def _moved(before: dict, after: dict) -> int:
    return sum(
        1
        for k, a in before.items()
        if k not in after or (after[k][0], after[k][1], after[k][2]) != (a[0], a[1], a[2])
    )


def _slots(assignments) -> dict:
    return {a.load_id: (a.hub_id, a.dock_id, a.start) for a in assignments}


def run(seed: int, time_limit: float) -> dict:
    folder = tempfile.mkdtemp()
    url = f"sqlite:///{folder}/bench.sqlite3"
    upgrade(url)
    app = create_app(
        {
            "DATABASE_URL": url,
            "HUB_SCHEDULER_JOB_RUNNER": "inline",
            "HUB_SCHEDULER_PLAN_NOW": DAY["start"],
        }
    )
    uow = db.uow(app)
    store_scenario(uow, parse_scenario(json.loads(FIXTURE.read_text("utf-8"))))
    admin = {"Authorization": "Bearer " + issue_token(uow, role="admin", label="b", actor="b")}
    client = app.test_client()

    def plan(horizon: dict, plan_seed: int) -> int:
        body = {"horizon": horizon, "time_limit_s": time_limit, "seed": plan_seed, "workers": 1}
        return client.post("/api/v1/plans", json=body, headers=admin).json["id"]

    def schedule(plan_id: int):
        with uow:
            return uow.plans.get(plan_id).schedule

    first = plan(DAY, seed)
    started = time.perf_counter()
    assert client.post(f"/api/v1/plans/{first}/publish", headers=admin).status_code == 200
    publish_ms = (time.perf_counter() - started) * 1000
    published = _slots(schedule(first).assignments)

    same = _slots(schedule(plan(DAY, seed + 10)).assignments)
    longer = _slots(schedule(plan(TWO_DAYS, seed + 10)).assignments)
    start, end = (datetime.fromisoformat(TWO_DAYS[k]) for k in ("start", "end"))
    blind = load_scenario(uow, start, end)
    blind = blind.model_copy(
        update={"loads": [ld.model_copy(update={"previous": None}) for ld in blind.loads]}
    )
    without = _slots(solve(blind, time_limit_s=time_limit, workers=1, seed=seed + 10).assignments)
    db.dispose(app)
    return {
        "published": len(published),
        "same horizon": _moved(published, same),
        "two days, previous in force": _moved(published, longer),
        "two days, no previous": _moved(published, without),
        "publish ms": publish_ms,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--time-limit", type=float, default=2.0)
    args = parser.parse_args()
    rows = [run(seed, args.time_limit) for seed in range(1, args.seeds + 1)]
    print(f"| measure (median of {len(rows)} seeds, {args.time_limit:g} s per plan) | value |")
    print("| --- | --- |")
    for key in rows[0]:
        value = statistics.median(r[key] for r in rows)
        print(f"| {key} | {value:.0f} |")


if __name__ == "__main__":
    main()
