"""Plans as jobs through the API: request, status, results by role, publish, cancel, export,
and the job runner's guarantees (crash -> failed, unverified -> failed, dead worker -> failed)."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest

from api.database import db
from hub_scheduler.domain import Assignment, Schedule, Unscheduled
from hub_scheduler.records import JobStatus
from hub_scheduler.services import job_run
from hub_scheduler.services import jobs as job_service
from hub_scheduler.services.jobs import JobConfig
from models.scenario_store import load_scenario, store_scenario
from tests.api.conftest import silence

HORIZON = {"start": "2026-11-28T00:00:00+08:00", "end": "2026-11-29T00:00:00+08:00"}


@pytest.fixture
def day(uow, seeded, xunwu):
    """The whole Xunwu day stored: hubs, enterprises, 200 loads, transfers, settings."""
    store_scenario(uow, xunwu)
    return xunwu


def _request(client, tokens, **extra):
    return client.post(
        "/api/v1/plans",
        json={"horizon": HORIZON, "time_limit_s": 1, **extra},
        headers=tokens["admin"],
    )


def test_a_plan_request_is_202_with_the_job_location_and_the_job_succeeds(client, tokens, day):
    response = _request(client, tokens)
    assert response.status_code == 202
    location = response.headers["Location"]
    assert location == f"/api/v1/plans/{response.json['id']}"
    job = client.get(location, headers=tokens["operator"]).json
    assert job["status"] == "succeeded", job
    assert job["placed"] + job["unscheduled"] == 200
    assert job["objective"] is not None and job["solver_status"] in ("optimal", "feasible")
    assert job["horizon"]["start"] == HORIZON["start"]
    assert job["progress"]["phase"] == "done"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"horizon": {"start": HORIZON["end"], "end": HORIZON["start"]}}, "horizon.end"),
        ({"horizon": HORIZON, "hub_ids": ["NOWHERE"]}, "hub_ids[0]"),
        ({"horizon": HORIZON, "time_limit_s": 0}, "time_limit_s"),
        ({"horizon": {"start": "2026-11-28"}}, "horizon.start"),
        ({}, "horizon"),
    ],
    ids=["reversed", "unknown-hub", "zero-limit", "no-offset", "missing"],
)
def test_a_bad_plan_request_names_the_field_and_queues_nothing(
    client, tokens, day, uow, body, field
):
    response = client.post("/api/v1/plans", json=body, headers=tokens["admin"])
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json["errors"]]
    with uow:
        assert uow.plans.list() == []


def test_unknown_plans_are_404(client, tokens, day):
    for path in (
        "/api/v1/plans/999",
        "/api/v1/plans/999/assignments",
        "/api/v1/plans/999/unscheduled",
    ):
        assert client.get(path, headers=tokens["admin"]).status_code == 404
    assert client.post("/api/v1/plans/999/publish", headers=tokens["admin"]).status_code == 404


def test_publishing_replaces_the_plan_in_force_and_keeps_history(client, tokens, day):
    first = _request(client, tokens).json["id"]
    second = _request(client, tokens, seed=3).json["id"]
    assert (
        client.get("/api/v1/plans/published?date=2026-11-28", headers=tokens["admin"]).status_code
        == 404
    )
    assert client.post(f"/api/v1/plans/{first}/publish", headers=tokens["admin"]).json["published"]
    in_force = client.get(
        "/api/v1/plans/published?date=2026-11-28", headers=tokens["operator"]
    ).json
    assert in_force["plan"]["id"] == first and in_force["assignments"]
    client.post(f"/api/v1/plans/{second}/publish", headers=tokens["admin"])
    in_force = client.get(
        "/api/v1/plans/published?date=2026-11-28", headers=tokens["operator"]
    ).json
    assert in_force["plan"]["id"] == second
    old = client.get(f"/api/v1/plans/{first}", headers=tokens["admin"]).json
    assert old["status"] == "succeeded" and old["published"] is False
    # loads with a slot in the plan in force are `scheduled`
    placed = in_force["assignments"][0]["load_id"]
    assert (
        client.get(f"/api/v1/loads/{placed}", headers=tokens["admin"]).json["status"] == "scheduled"
    )
    assert (
        client.get("/api/v1/plans/published?date=2026-11-30", headers=tokens["admin"]).status_code
        == 404
    )
    bad = client.get("/api/v1/plans/published?date=tomorrow", headers=tokens["admin"])
    assert bad.status_code == 422 and bad.json["errors"][0]["field"] == "date"


def test_an_enterprise_sees_only_its_own_slots_and_reasons(client, tokens, day):
    plan_id = _request(client, tokens).json["id"]
    client.post(f"/api/v1/plans/{plan_id}/publish", headers=tokens["admin"])
    own = {ld.id for ld in day.loads if ld.enterprise_id == "E01"}
    for path in (f"/api/v1/plans/{plan_id}/assignments", f"/api/v1/plans/{plan_id}/unscheduled"):
        everything = client.get(path, headers=tokens["admin"]).json
        mine = client.get(path, headers=tokens["enterprise"]).json
        assert {row["load_id"] for row in mine} == {row["load_id"] for row in everything} & own
    published = client.get(
        "/api/v1/plans/published?date=2026-11-28", headers=tokens["enterprise"]
    ).json
    assert {a["load_id"] for a in published["assignments"]} <= own
    unscheduled = client.get(f"/api/v1/plans/{plan_id}/unscheduled", headers=tokens["admin"]).json
    assert all(u["reason_code"] and u["reason"] for u in unscheduled)


def test_export_gives_a_csv_or_xlsx_timetable(client, tokens, day):
    plan_id = _request(client, tokens).json["id"]
    csv = client.get(f"/api/v1/plans/{plan_id}/export?format=csv", headers=tokens["operator"])
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    assert "attachment" in csv.headers["Content-Disposition"]
    assert csv.get_data(as_text=True).count("\n") > 100
    xlsx = client.get(f"/api/v1/plans/{plan_id}/export?format=xlsx", headers=tokens["operator"])
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    book = openpyxl.load_workbook(io.BytesIO(xlsx.data))
    assert book.sheetnames[-1] == "未排入" and len(book.sheetnames) >= 2
    hub_sheet = book[book.sheetnames[0]]
    assert "车位作业时刻表" in hub_sheet["A1"].value and "Asia/Shanghai" in hub_sheet["A2"].value
    starts = [c for c in hub_sheet["A"] if c.is_date]
    assert starts and all(c.number_format == "yyyy-mm-dd hh:mm" for c in starts)
    assert "+08:00" in csv.get_data(as_text=True)  # the CSV keeps ISO times with their offset
    english = client.get(
        f"/api/v1/plans/{plan_id}/export?format=xlsx&lang=en", headers=tokens["operator"]
    )
    assert openpyxl.load_workbook(io.BytesIO(english.data)).sheetnames[-1] == "Unscheduled loads"
    bad_lang = client.get(
        f"/api/v1/plans/{plan_id}/export?format=xlsx&lang=fr", headers=tokens["operator"]
    )
    assert bad_lang.status_code == 422
    assert (
        client.get(
            f"/api/v1/plans/{plan_id}/export?format=pdf", headers=tokens["admin"]
        ).status_code
        == 422
    )


def test_a_queued_job_can_be_cancelled_and_then_never_runs(client, tokens, day, app):
    plan_id = _queued(app, day)
    cancelled = client.post(f"/api/v1/plans/{plan_id}/cancel", headers=tokens["admin"])
    assert cancelled.status_code == 200 and cancelled.json["status"] == "cancelled"
    after = job_run.run_plan(lambda: db.uow(app), plan_id, load_scenario=load_scenario)
    assert after.status is JobStatus.CANCELLED
    assert (
        client.post(f"/api/v1/plans/{plan_id}/cancel", headers=tokens["admin"]).status_code == 409
    )
    assert (
        client.post(f"/api/v1/plans/{plan_id}/publish", headers=tokens["admin"]).status_code == 409
    )


def _queued(app, day):
    uow = db.uow(app)
    with uow:
        plan = job_service.queue_plan(
            uow,
            horizon_start=day.horizon.start,
            horizon_end=day.horizon.end,
            actor="test",
            time_limit_s=1,
            config=JobConfig(),
        )
        uow.commit()
    return plan.id


def test_a_job_whose_solver_crashes_is_marked_failed(app, day):
    def crash(*args, **kwargs):
        raise RuntimeError("solver exploded")

    plan = job_run.run_plan(
        lambda: db.uow(app), _queued(app, day), load_scenario=load_scenario, solve=crash
    )
    assert plan.status is JobStatus.FAILED and "solver exploded" in plan.error


def test_a_plan_that_fails_verification_is_never_stored_as_succeeded(app, day):
    def overlapping(scenario, **kwargs):
        """Two cold loads on one dock at the same minute: H3 must catch it."""
        hub = scenario.hub("XW-LP")
        zone = next(z for z in hub.zones if z.temperature.value == "cold")
        loads = [ld for ld in scenario.loads if ld.temperature.value == "cold"][:2]
        start = max(ld.release for ld in loads)
        start = scenario.moment(-(-scenario.minutes(start) // 15) * 15)
        rows = [
            Assignment(
                load_id=ld.id,
                hub_id=hub.id,
                zone_id=zone.id,
                dock_id=zone.docks[0].id,
                start=start,
                end=start + timedelta(minutes=ld.handling_minutes),
                disinfected_at=start + timedelta(minutes=ld.handling_minutes + 30),
            )
            for ld in loads
        ]
        rest = [
            Unscheduled(load_id=ld.id, reason_code="CAPACITY", reason="left out")
            for ld in scenario.loads
            if ld not in loads
        ]
        return Schedule(
            scenario=scenario.name,
            status="feasible",
            objective=0.0,
            assignments=rows,
            unscheduled=rest,
        )

    plan = job_run.run_plan(
        lambda: db.uow(app), _queued(app, day), load_scenario=load_scenario, solve=overlapping
    )
    assert plan.status is JobStatus.FAILED
    assert "verification" in plan.error and "H3" in plan.error


def test_a_job_left_running_by_a_dead_worker_is_marked_failed(client, tokens, app, day):
    plan_id = _queued(app, day)
    silence(app, plan_id, timedelta(hours=1))
    job = client.get(f"/api/v1/plans/{plan_id}", headers=tokens["admin"]).json
    assert job["status"] == "failed" and "stopped" in job["error"]


def test_stale_jobs_are_failed_when_a_runner_starts(app, day):
    plan_id = _queued(app, day)
    uow = db.uow(app)
    with uow:
        uow.plans.set_status(
            plan_id, JobStatus.RUNNING, started_at=datetime.now(UTC) - timedelta(hours=2)
        )
        uow.commit()
    assert job_service.fail_stale_jobs(db.uow(app), grace_s=60) == [plan_id]


def test_progress_records_the_best_objective_so_far(app, day):
    seen = []

    def solve_with_progress(scenario, *, progress=None, **kwargs):
        from hub_scheduler.solver import solve

        def spy(update):
            seen.append(update)
            if progress:
                progress(update)

        return solve(scenario, progress=spy, **kwargs)

    plan = job_run.run_plan(
        lambda: db.uow(app),
        _queued(app, day),
        load_scenario=load_scenario,
        solve=solve_with_progress,
    )
    assert plan.status is JobStatus.SUCCEEDED
    assert seen and "heartbeat" in plan.progress
    assert plan.progress["best_objective"] == plan.schedule.objective


def test_a_jobs_heartbeat_and_clock_are_shown_in_the_sites_zone(client, tokens, app, day):
    """The worker writes `progress.heartbeat` / `progress.now` as UTC text; the API shows them,
    like every other time, in the site's zone (+08:00 for Xunwu), the same instants."""
    plan_id = _request(client, tokens).json["id"]
    beat = datetime(2026, 11, 30, 14, 36, 5, tzinfo=UTC)
    uow = db.uow(app)
    with uow:
        progress = uow.plans.get(plan_id).progress
        uow.plans.set_progress(
            plan_id,
            {**progress, "heartbeat": beat.isoformat(), "now": beat.isoformat(), "phase": "x"},
        )
        uow.commit()
    shown = client.get(f"/api/v1/plans/{plan_id}", headers=tokens["admin"]).json["progress"]
    assert shown["heartbeat"] == "2026-11-30T22:36:05+08:00"
    assert shown["now"] == "2026-11-30T22:36:05+08:00"
    assert shown["phase"] == "x"


def test_the_plan_in_force_without_a_date_is_todays_in_the_sites_zone(client, tokens, published):
    """No `date`: the service's today in the site's zone (the tests' clock is 2026-11-28 00:00
    +08:00, still 11-27 in UTC: a UTC today would find no plan)."""
    today = client.get("/api/v1/plans/published", headers=tokens["admin"])
    assert today.status_code == 200, today.json
    assert today.json["plan"]["id"] == published["plan"]["id"]
    assert today.json["assignments"] == published["assignments"]
