"""The Xunwu day served by an app on SQLite and on PostgreSQL, planned as of its first minute, with
helpers that read the plan in force the way a client does (issue 9 tests share them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient

from api import create_app
from api.database import db
from hub_scheduler.domain import Assignment, Scenario, Schedule
from hub_scheduler.services.tokens import issue_token
from hub_scheduler.verify import verify
from models.scenario_store import load_scenario, store_scenario

DAY = "2026-11-28"
DAY_START = "2026-11-28T00:00:00+08:00"
HORIZON = {"start": DAY_START, "end": "2026-11-29T00:00:00+08:00"}


@dataclass
class LiveDay:
    app: Flask
    client: FlaskClient
    admin: dict[str, str]
    operator: dict[str, str]
    enterprise: dict[str, str]

    def plan(self, **body) -> dict:
        """Ask for a plan (the inline runner solves it in the request); the finished job. One
        worker: the search is then bounded by work, so the plan is the same on a loaded machine
        (with two, a busy CI box once moved 7 published trucks where an idle one moves 4)."""
        response = self.client.post(
            "/api/v1/plans",
            json={"horizon": HORIZON, "time_limit_s": 1, "workers": 1, **body},
            headers=self.admin,
        )
        assert response.status_code == 202, response.json
        job = self.client.get(response.headers["Location"], headers=self.admin).json
        assert job["status"] == "succeeded", job
        return job

    def publish(self, plan_id: int):
        return self.client.post(f"/api/v1/plans/{plan_id}/publish", headers=self.admin)

    def in_force(self, day: str = DAY) -> dict:
        response = self.client.get(f"/api/v1/plans/published?date={day}", headers=self.admin)
        assert response.status_code == 200, response.json
        return response.json

    def slots(self, day: str = DAY) -> dict[str, dict]:
        return {a["load_id"]: a for a in self.in_force(day)["assignments"]}

    def check_in(self, load_id: str, at: str) -> dict:
        response = self.client.post(
            f"/api/v1/loads/{load_id}/check-in",
            json={"at": at, "has_pass": True},
            headers=self.operator,
        )
        assert response.status_code == 200, response.json
        assert response.json["passed"], response.json
        return response.json["load"]

    def statuses(self) -> dict[str, str]:
        uow = db.uow(self.app)
        with uow:
            return {ld.id: ld.status.value for ld in uow.loads.list()}


def key(shown: dict) -> str:
    """The key (`enterprise_id/id`, hub_scheduler/load_keys.py) of a load the API shows, or of an
    assignment or unscheduled entry it shows (`load_id` with `enterprise_id` beside it)."""
    return f"{shown['enterprise_id']}/{shown.get('load_id', shown.get('id'))}"


def live_day(database_url: str, xunwu: Scenario) -> LiveDay:
    app = create_app(
        {
            "DATABASE_URL": database_url,
            "HUB_SCHEDULER_JOB_RUNNER": "inline",
            "HUB_SCHEDULER_PLAN_TIME_LIMIT_S": 1.0,
            "HUB_SCHEDULER_PLAN_NOW": DAY_START,
            "TESTING": True,
        }
    )
    uow = db.uow(app)
    store_scenario(uow, xunwu)

    def bearer(role: str, enterprise_id: str | None = None) -> dict[str, str]:
        token = issue_token(uow, role=role, enterprise_id=enterprise_id, label=role, actor="test")
        return {"Authorization": f"Bearer {token}"}

    return LiveDay(
        app, app.test_client(), bearer("admin"), bearer("operator"), bearer("enterprise", "E01")
    )


def verify_in_force(day: LiveDay) -> None:
    """The plan in force passes the verifier against the database as it is now (pins, cancellations,
    hub status), every load once, and every load's status agrees with it."""
    assert_true_to_the_database(day.in_force(), db.uow(day.app), datetime.fromisoformat(DAY_START))


def assert_true_to_the_database(shown: dict, uow, day_start: datetime) -> None:
    """`shown` (GET /plans/published of the day starting at `day_start`) passes the verifier
    against the database `uow` reads, each load at most once, every status agreeing with it."""
    scenario = load_scenario(uow, day_start, day_start + timedelta(days=1), now=day_start)
    # The API shows ids with enterprise_id beside them; the database names loads by key.
    assignments = [
        Assignment.model_validate({**a, "load_id": key(a)}) for a in shown["assignments"]
    ]
    unscheduled = [{**u, "load_id": key(u)} for u in shown["unscheduled"]]
    mine = {a.load_id for a in assignments} | {u["load_id"] for u in unscheduled}
    scenario = scenario.model_copy(
        update={
            "loads": [ld for ld in scenario.loads if ld.id in mine],
            "transfers": [t for t in scenario.transfers if {t.inbound, t.outbound} <= mine],
        }
    )
    schedule = Schedule(
        scenario=scenario.name,
        status="feasible",
        assignments=assignments,
        unscheduled=unscheduled,
    )
    report = verify(scenario, schedule)
    broken = [v.text for v in report.violations if v.rule != "OBJECTIVE"]
    assert broken == [], broken[:10]
    with uow:
        statuses = {ld.id: ld.status.value for ld in uow.loads.list()}
    placed = {a.load_id for a in assignments}
    assert len(placed) == len(assignments)  # no load twice
    for load_id, status in statuses.items():
        if status == "scheduled":
            assert load_id in placed, f"{load_id} is scheduled but has no slot in force"
        if load_id in placed:
            assert status in ("scheduled", "checked_in", "in_operation"), (load_id, status)


def dispose(day: LiveDay) -> None:
    db.dispose(day.app)
