"""A late truck's check-in on a city day, through the service: how long the whole request takes
(read the plan in force, repair it, say why not earlier, write the rows, audit and events).

    python -m bench.bench_repair_service --trucks 20 --minutes 40
    python -m bench.bench_repair_service --database-url postgresql+psycopg://postgres@127.0.0.1:5432/benchrep

(an empty database: `createdb -h 127.0.0.1 -U postgres benchrep` first; without the option, a
new SQLite file).

The city day (`bench/generate.py`, 3,000 loads, 20 hubs) is stored, planned (`--time-limit`
seconds, one worker) and published in process (the API's test client, the job runner inline);
then `--trucks` scheduled loads spread over the day are checked in `--minutes` after their
slot's start, one request each, back to back (or `--pause` seconds apart), and timed, by an app
whose job runner (`--runner`) says where the plan's figures are counted again after each
check-in (api/figures.py): `thread` (the default, `auto` without Redis: a thread of this
process, once the check-ins pause for half a second), `database` (a worker process: none runs
here, so this is the request alone), `inline` (in the request, after its commit). Reported:
milliseconds per check-in (median, p90, max), what the answers said (the reason codes), and with
`thread` how long after the last check-in the figures were counted (`settled s`) and whether
any were still pending then. `solver/repair.py` alone is timed by `bench.bench_repair`.
"""

from __future__ import annotations

import argparse
import collections
import statistics
import tempfile
import time
from datetime import datetime, timedelta

from api import create_app
from api.database import db
from api.figures import recounter
from bench.generate import generate
from hub_scheduler.services.tokens import issue_token
from models.migrate import upgrade
from models.scenario_store import store_scenario


def _fresh_url(url: str | None) -> str:
    if url:
        return url
    return f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"


def _app(url: str, runner: str, now: str):
    return create_app(
        {"DATABASE_URL": url, "HUB_SCHEDULER_JOB_RUNNER": runner, "HUB_SCHEDULER_PLAN_NOW": now}
    )


def run(
    url: str,
    trucks: int,
    minutes: int,
    time_limit: float,
    runner: str = "thread",
    pause: float = 0.0,
) -> dict:
    scenario = generate("city", seed=0)
    upgrade(url)
    horizon = {"start": scenario.horizon.start.isoformat(), "end": scenario.horizon.end.isoformat()}
    setup = _app(url, "inline", horizon["start"])  # the plan job runs in the request
    uow = db.uow(setup)
    store_scenario(uow, scenario)
    admin = {"Authorization": "Bearer " + issue_token(uow, role="admin", label="b", actor="b")}
    client = setup.test_client()
    body = {"horizon": horizon, "time_limit_s": time_limit, "seed": 1, "workers": 1}
    made = client.post("/api/v1/plans", json=body, headers=admin)
    assert made.status_code in (200, 201, 202), made.json
    plan_id = made.json["id"]
    published = client.post(f"/api/v1/plans/{plan_id}/publish", headers=admin)
    assert published.status_code == 200, published.json
    with uow:
        plan = uow.plans.get(plan_id)
        assert plan is not None
        rows = sorted(plan.schedule.assignments, key=lambda a: a.start)
        loads = {ld.id: ld for ld in uow.loads.get_many({a.load_id for a in rows})}
    db.dispose(setup)
    app = _app(url, runner, horizon["start"])
    client = app.test_client()
    waiting = [a for a in rows if loads[a.load_id].status.value == "scheduled"]
    step = max(1, len(waiting) // trucks)
    times, codes = [], collections.Counter()
    for a in waiting[::step][:trucks]:
        time.sleep(pause)
        at = (a.start + timedelta(minutes=minutes)).isoformat()
        started = time.perf_counter()
        enterprise, load_id = a.load_id.split("/", 1)  # the key below the API: enterprise/id
        answer = client.post(
            f"/api/v1/loads/{load_id}/check-in?enterprise_id={enterprise}",
            json={"at": at},
            headers=admin,
        )
        times.append((time.perf_counter() - started) * 1000)
        if answer.status_code != 200:
            codes[f"HTTP {answer.status_code} {answer.json}"[:200]] += 1
        else:
            codes[(answer.json.get("reason") or {}).get("code", "none")] += 1
    settled = None
    thread = recounter(app)
    if thread is not None:
        started = time.perf_counter()
        assert thread.settle(600)
        settled = time.perf_counter() - started
    with db.uow(app) as reader:
        stored = reader.plans.get(plan_id, with_rows=False)
        pending = stored is not None and stored.figures_pending
    db.dispose(app)
    times.sort()
    return {
        "runner": runner,
        "settled s": settled,
        "figures pending": pending,
        "rows": len(rows),
        "check-ins": len(times),
        "median ms": statistics.median(times),
        "p90 ms": times[int(0.9 * (len(times) - 1))],
        "max ms": times[-1],
        "answers": ", ".join(f"{k} {v}" for k, v in codes.most_common()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trucks", type=int, default=20)
    parser.add_argument("--minutes", type=int, default=40)
    parser.add_argument("--time-limit", type=float, default=5.0)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--runner", choices=("thread", "database", "inline"), default="thread")
    parser.add_argument("--pause", type=float, default=0.0, help="seconds between check-ins")
    args = parser.parse_args()
    url = _fresh_url(args.database_url)
    r = run(url, args.trucks, args.minutes, args.time_limit, args.runner, args.pause)
    print(
        f"city day, {datetime.now():%Y-%m-%d %H:%M}, {url.split(':')[0]}, {r['runner']}, "
        f"{args.pause} s apart"
    )
    print(
        "| rows in plan | check-ins | median ms | p90 ms | max ms | settled s | pending | answers |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |")
    settled = "—" if r["settled s"] is None else f"{r['settled s']:.2f}"
    print(
        f"| {r['rows']} | {r['check-ins']} | {r['median ms']:.0f} | {r['p90 ms']:.0f} "
        f"| {r['max ms']:.0f} | {settled} | {r['figures pending']} | {r['answers']} |"
    )


if __name__ == "__main__":
    main()
