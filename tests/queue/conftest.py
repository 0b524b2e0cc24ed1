"""Queue test fixtures: a seeded database, real worker processes, a private RQ queue per test.

Workers are real `hub-scheduler worker` processes (python -m api.cli worker); each test gets its
own queue name on Redis, so parallel runs never see each other's jobs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from datetime import datetime
from pathlib import Path

import pytest

from api.web.i18n import translator
from hub_scheduler.records import JobStatus
from hub_scheduler.scenario_file import parse_scenario
from hub_scheduler.services import jobs as job_service
from models.db import make_engine, make_session_factory
from models.scenario_store import load_scenario, store_scenario
from models.uow import SqlUnitOfWork

REPO = Path(__file__).resolve().parents[2]
XUNWU = REPO / "fixtures" / "xunwu.json"
REDIS = "redis://127.0.0.1:6379/0"
STALE_S = 3.0


class QueueDb:
    """A migrated database with the Xunwu day, and the plan operations the tests need."""

    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        self.factory = make_session_factory(self.engine)
        self.scenario = parse_scenario(json.loads(XUNWU.read_text(encoding="utf-8")))
        store_scenario(self.uow(), self.scenario)

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.factory)

    def day_job(self, time_limit_s: float, workers: int) -> dict:
        """The keyword arguments of a plan job over the whole day (`request_plan`, `queue_plan`)."""
        h = self.scenario.horizon
        return {
            "horizon_start": h.start,
            "horizon_end": h.end,
            "time_limit_s": time_limit_s,
            "workers": workers,
            "actor": "test",
            # The Xunwu day is in the past: plan as of its start, as the API tests do.
            "config": job_service.JobConfig(now=h.start),
        }

    def admin_auth(self) -> dict[str, str]:
        """The headers of a fresh admin token on this database."""
        from hub_scheduler.services.tokens import issue_token

        token = issue_token(
            self.uow(), role="admin", enterprise_id=None, label="queue test", expires_at=None,
            actor="test",
        )  # fmt: skip
        return {"Authorization": f"Bearer {token}"}

    def request(self, runner, time_limit_s: float, **kwargs) -> int:
        # Two workers: the search runs on the clock to its time limit (one worker stops at its
        # work budget, seconds in on this small day), so a long job stays long to be killed.
        job = self.day_job(time_limit_s, workers=2)
        return job_service.request_plan(self.uow(), runner, **job, **kwargs).id

    def publish_inline(self) -> tuple[int, float]:
        """A published plan made in this process (2 s): (id, objective)."""
        from hub_scheduler.services.plans import ensure_published_plan

        h = self.scenario.horizon
        plan = ensure_published_plan(
            self.uow(),
            h.start,
            h.end,
            actor="test",
            load_scenario=load_scenario,
            english=translator("en"),
            time_limit_s=2,
        )
        return plan.id, plan.schedule.objective

    def plan(self, plan_id: int):
        with self.uow() as uow:
            return uow.plans.get(plan_id, with_rows=False)

    def claim_info(self, plan_id: int) -> tuple[str | None, int, datetime | None]:
        from sqlalchemy import select

        from models.tables import PlanRow

        with self.uow() as uow:
            row = uow.session.execute(
                select(PlanRow.worker_id, PlanRow.attempts, PlanRow.heartbeat_at).where(
                    PlanRow.id == plan_id
                )
            ).one()
        return row[0], row[1], row[2]

    def wait(self, plan_id: int, *statuses: JobStatus, timeout: float = 60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            plan = self.plan(plan_id)
            if plan.status in statuses:
                return plan
            time.sleep(0.1)
        raise AssertionError(f"plan {plan_id} is {self.plan(plan_id).status}, not {statuses}")


@pytest.fixture
def queue_db(migrated_database_url) -> QueueDb:
    db = QueueDb(migrated_database_url)
    yield db
    db.engine.dispose()


@pytest.fixture
def queue_name() -> str:
    """A private RQ queue on the shared Redis; emptied afterwards."""
    from redis import Redis
    from rq import Queue

    name = f"test-{uuid.uuid4().hex[:12]}"
    yield name
    connection = Redis.from_url(REDIS)
    Queue(name, connection=connection).delete(delete_jobs=True)
    connection.close()


class Workers:
    """Starts `hub-scheduler worker` processes; stops whatever is left at the end."""

    stale_s = STALE_S
    redis = REDIS

    def __init__(self, database_url: str, tmp_path: Path):
        self.database_url = database_url
        self.tmp_path = tmp_path
        self.procs: list[subprocess.Popen] = []

    def start(self, redis_queue: str | None = None) -> subprocess.Popen:
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "HUB_SCHEDULER_JOB_STALE_S": str(STALE_S),
            "HUB_SCHEDULER_INSTANCE": str(self.tmp_path / "instance"),
        }
        env.pop("REDIS_URL", None)
        if redis_queue is not None:
            env.update({"REDIS_URL": REDIS, "HUB_SCHEDULER_QUEUE": redis_queue})
        log = open(self.tmp_path / f"worker-{len(self.procs)}.log", "w")  # noqa: SIM115
        proc = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "worker"],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        self.procs.append(proc)
        return proc

    def log(self, index: int) -> str:
        return (self.tmp_path / f"worker-{index}.log").read_text(errors="replace")

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait(10)


@pytest.fixture
def workers(migrated_database_url, tmp_path):
    started = Workers(migrated_database_url, tmp_path)
    yield started
    started.stop_all()
