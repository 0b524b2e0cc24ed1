"""Plan jobs on the queue: what the queue costs, and a day split into parts on 1 and 2 workers.

    python -m bench.bench_queue --time-limit 2 --repeat 3
    python -m bench.bench_queue --province --time-limit 1   # the 10,000-load day, split

1. Overhead: a county day (300 loads) planned in-process (`run_plan` in this process) and through
   the queue (request, a `hub-scheduler worker` process claims and solves it, the result seen by
   polling every 20 ms), without Redis (the database is the queue) and with RQ. Overhead is the
   median queue wall time minus the median in-process wall time (target < 0.5 s).
2. Parts: a day that has parts: the county day with its loads limited to two regions of hubs (two
   counties side by side), each part requested as a plan job restricted to its hubs, solved by 1
   or 2 worker processes, merged and verified as one plan (objective, wall, parts, per-part,
   merge time).
3. `--province`: the generated province day (20 counties x 3 hubs, 10,000 loads) asked for as
   one plan; an RQ worker splits it into 20 part jobs, 1 or 2 worker processes solve them, the
   worker that ends the last part merges and verifies; with a prediction for 8 and 32 workers.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path

from bench.generate import generate, two_regions
from hub_scheduler.records import JobStatus
from hub_scheduler.services import job_parts, job_run
from hub_scheduler.services import jobs as job_service
from hub_scheduler.solver.partition import independent_parts, merge
from hub_scheduler.verify import verify
from models.db import make_engine, make_session_factory
from models.migrate import upgrade
from models.scenario_store import load_scenario, store_scenario
from models.uow import SqlUnitOfWork

REPO = Path(__file__).resolve().parents[1]
REDIS = "redis://127.0.0.1:6379/0"


class Site:
    def __init__(self, url: str, scenario):
        upgrade(url)
        self.url = url
        self.factory = make_session_factory(make_engine(url))
        self.scenario = scenario
        store_scenario(self.uow(), scenario)

    def uow(self):
        return SqlUnitOfWork(self.factory)

    def request(self, runner, time_limit_s: float, hub_ids=None, now=None) -> int:
        h = self.scenario.horizon
        return job_service.request_plan(
            self.uow(),
            runner,
            horizon_start=h.start,
            horizon_end=h.end,
            hub_ids=hub_ids,
            time_limit_s=time_limit_s,
            workers=1,
            seed=1,
            actor="bench",
            config=job_service.JobConfig(now=now),
        ).id

    def wait(self, plan_ids: list[int], timeout: float = 600) -> list:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.uow() as uow:
                plans = [uow.plans.get(i, with_rows=False) for i in plan_ids]
            if all(p.status not in (JobStatus.QUEUED, JobStatus.RUNNING) for p in plans):
                return plans
            time.sleep(0.02)
        raise TimeoutError(plan_ids)


def start_workers(url: str, count: int, queue: str | None) -> list[subprocess.Popen]:
    env = {**os.environ, "DATABASE_URL": url}
    env.pop("REDIS_URL", None)
    if queue:
        env.update(REDIS_URL=REDIS, HUB_SCHEDULER_QUEUE=queue)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "api.cli", "worker"],
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(count)
    ]
    time.sleep(3.0)  # imports and app start, outside the measured time
    return procs


def stop(procs) -> None:
    for p in procs:
        p.terminate()
    for p in procs:
        p.wait(30)


def overhead(tmp: Path, time_limit: float, repeat: int) -> None:
    from api.jobs import DatabaseRunner, RQRunner

    site = Site(f"sqlite:///{tmp / 'overhead.sqlite3'}", generate("county", seed=1))
    inline = job_run.run_inline(site.uow, load_scenario)
    rows = []
    walls = []
    for _ in range(repeat):
        t = time.perf_counter()
        site.request(inline, time_limit)
        walls.append(time.perf_counter() - t)
    base = statistics.median(walls)
    rows.append(("in-process", base, 0.0))
    for label, queue in (("database queue", None), ("RQ (Redis)", f"bench-{uuid.uuid4().hex[:8]}")):
        runner = RQRunner(REDIS, queue) if queue else DatabaseRunner()
        procs = start_workers(site.url, 1, queue)
        try:
            walls = []
            for _ in range(repeat):
                t = time.perf_counter()
                site.wait([site.request(runner, time_limit)])
                walls.append(time.perf_counter() - t)
        finally:
            stop(procs)
        med = statistics.median(walls)
        rows.append((label, med, med - base))
    print(
        f"\nQueue overhead, county day (300 loads), time limit {time_limit:g} s, median of {repeat}"
    )
    print("| run | wall s | overhead s |\n| --- | ---: | ---: |")
    for label, wall, extra in rows:
        print(f"| {label} | {wall:.2f} | {extra:+.2f} |")


def parts(tmp: Path, time_limit: float, province: bool) -> None:
    if province:
        t = time.perf_counter()
        day = generate("province", seed=1)
        found = independent_parts(day)
        print(
            f"\nProvince day: {len(day.loads)} loads, {len(day.hubs)} hubs -> {len(found)} "
            f"independent part(s), largest {len(found[0])} hubs ({time.perf_counter() - t:.1f} s "
            "to generate and split)"
        )
    day = two_regions(generate("county", seed=1))
    found = independent_parts(day)
    print(
        f"\nTwo counties side by side ({len(day.loads)} loads, {len(day.hubs)} hubs, "
        f"{len(found)} parts), time limit {time_limit:g} s per part"
    )
    print("| workers | objective | wall s | parts | per part s | merge s | verified |")
    print("| ---: | ---: | ---: | ---: | --- | ---: | --- |")
    for count in (1, 2):
        from api.jobs import DatabaseRunner

        site = Site(f"sqlite:///{tmp / f'parts-{count}.sqlite3'}", day)
        procs = start_workers(site.url, count, None)
        try:
            t = time.perf_counter()
            ids = [site.request(DatabaseRunner(), time_limit, hub_ids=p) for p in found]
            plans = site.wait(ids)
            solved = time.perf_counter()
            with site.uow() as uow:
                schedules = [uow.plans.get(i).schedule for i in ids]
            whole = load_scenario(site.uow(), day.horizon.start, day.horizon.end)
            merged = merge(whole, schedules)
            report = verify(whole, merged)
            done = time.perf_counter()
        finally:
            stop(procs)
        per_part = ", ".join(f"{(p.finished_at - p.started_at).total_seconds():.1f}" for p in plans)
        print(
            f"| {count} | {report.objective:.0f} | {done - t:.2f} | {len(found)} | {per_part} "
            f"| {done - solved:.2f} | {'yes' if report.ok else 'NO'} |"
        )


def predicted_wall(split_s: float, part_s: list[float], merge_s: float, workers: int) -> float:
    """Split + the parts' makespan on `workers` (longest part first to the least-loaded worker,
    as the queue hands them out) + merge."""
    loads = [0.0] * workers
    for t in sorted(part_s, reverse=True):
        loads[loads.index(min(loads))] += t
    return split_s + max(loads) + merge_s


def province(tmp: Path, time_limit: float) -> None:
    """The province day (20 counties) as one plan request, split by the worker into part jobs on
    RQ and merged, with 1 and 2 worker processes."""
    from api.jobs import RQRunner

    day = generate("province", seed=1)
    print(
        f"\nProvince day: {len(day.loads)} loads, {len(day.hubs)} hubs, "
        f"{len(independent_parts(day))} independent parts; one request (split on the queue), "
        f"time limit {time_limit:g} s per part"
    )
    print(
        "| workers | objective | wall s | parts | split s | per part s (median, max) "
        "| merge s | verified |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | --- | ---: | --- |")
    measured = None
    for count in (1, 2):
        queue = f"bench-{uuid.uuid4().hex[:8]}"
        site = Site(f"sqlite:///{tmp / f'province-{count}.sqlite3'}", day)
        procs = start_workers(site.url, count, queue)
        try:
            t = time.perf_counter()
            # plan as of the day's first minute (the clock may be past the generated day)
            plan_id = site.request(RQRunner(REDIS, queue), time_limit, now=day.horizon.start)
            (plan,) = site.wait([plan_id], timeout=3600)
            wall = time.perf_counter() - t
            parts = job_parts.part_summaries(site.uow(), plan_id)
            with site.uow() as uow:
                rows = uow.plans.list(parts_of=plan_id, limit=None)
                merged = uow.plans.get(plan_id).schedule
            whole = job_run.with_now(
                load_scenario(site.uow(), day.horizon.start, day.horizon.end),
                datetime.fromisoformat(plan.progress["now"]),
            )
            report = verify(whole, merged) if merged is not None else None
        finally:
            stop(procs)
        part_s = [p["seconds"] for p in parts]
        first_part = min(r.started_at for r in rows)
        split_s = (first_part - plan.started_at).total_seconds()
        merge_s = float(plan.progress.get("merge_s", 0.0))
        print(
            f"| {count} | {report.objective if report else float('nan'):.0f} | {wall:.1f} "
            f"| {len(parts)} | {split_s:.1f} | {statistics.median(part_s):.1f}, "
            f"{max(part_s):.1f} | {merge_s:.1f} "
            f"| {'yes' if report is not None and report.ok else 'NO: ' + str(plan.error)} |"
        )
        if count == 1:
            measured = (split_s, part_s, merge_s)
    if measured is not None:
        split_s, part_s, merge_s = measured
        guesses = ", ".join(
            f"{w} workers ~{predicted_wall(split_s, part_s, merge_s, w):.1f} s" for w in (2, 8, 32)
        )
        print(
            "\nPredicted wall (from the 1-worker run: split + longest-part-first makespan of "
            f"the per-part times over W workers + merge): {guesses}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=2.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--province",
        action="store_true",
        help="only the province day: one request split into part jobs on RQ, 1 and 2 workers",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.province:
            province(Path(tmp), args.time_limit)
            return
        overhead(Path(tmp), args.time_limit, args.repeat)
        parts(Path(tmp), args.time_limit, False)


if __name__ == "__main__":
    main()
