"""A failed plan job says why in the reader's language: the job stores a code and its params
(hub_scheduler/services/job_failures.py, migration 0012), the API gives `error_code`,
`error_params` and `error_message` (zh-CN by default, English by Accept-Language) beside the
English `error`, and the pages show the Chinese words. Jobs fail for real: a running job whose
worker died (`fail_stale_jobs` with a past heartbeat), a solver whose output breaks H3 (only the
solver is faked; our own verifier finds it), a solver that raises. A job failed before the codes
keeps its English `error`. On SQLite and PostgreSQL.

(Before: `plans.error` held one English sentence, shown as it was to Chinese readers, with a
crash's exception text in it.)"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient

from api.database import db
from api.problem_words import said_fields
from hub_scheduler.domain import Assignment, Schedule, Unscheduled
from hub_scheduler.errors import Conflict
from hub_scheduler.records import JobStatus
from hub_scheduler.services import job_run
from hub_scheduler.services import jobs as job_service
from hub_scheduler.services.jobs import JobConfig
from models.scenario_store import load_scenario, store_scenario
from tests.api.both_databases import api_database_url  # noqa: F401  (SQLite and PostgreSQL)
from tests.api.conftest import silence
from tests.api.web_pages import HORIZON, ZH, signed_in

EN = {"Accept-Language": "en"}
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def day(uow, seeded, xunwu):
    store_scenario(uow, xunwu)
    return xunwu


def _queued(app, day) -> int:
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
    return plan.stored_id


def _overlapping(scenario, **kwargs) -> Schedule:
    """A solver's output with two cold loads on one dock at the same minute (H3), every other
    load left out: the verifier must refuse it."""
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
        scenario=scenario.name, status="feasible", objective=0.0, assignments=rows, unscheduled=rest
    )


def _job(app, tokens, plan_id: int, headers: dict | None = None) -> dict:
    """The job as the API gives it; without `headers` no Accept-Language is sent (zh-CN)."""
    plain = FlaskClient(app, app.response_class)  # the tests' client would ask for English
    response = plain.get(f"/api/v1/plans/{plan_id}", headers={**tokens["admin"], **(headers or {})})
    assert response.status_code == 200, response.json
    return response.json


def _page(app, tokens, path: str, headers: dict) -> str:
    response = signed_in(app, tokens, "operator").get(path, headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_job_whose_worker_died_says_so_in_chinese_and_in_english(client, tokens, app, day):
    plan_id = _queued(app, day)
    silence(app, plan_id, timedelta(hours=1))
    assert job_service.fail_stale_jobs(db.uow(app), grace_s=120) == [plan_id]

    job = _job(app, tokens, plan_id)
    assert job["status"] == "failed"
    assert job["error_code"] == "job_stale"
    assert job["error_params"] == {"time_limit_s": 1.0, "grace_s": 120.0, "silent_s": 121.0}
    assert job["error_message"] == "排程任务中断（工作进程无响应超过 121 秒），请重新排程。"
    assert "stale heartbeat" in job["error"]  # the English stays for logs and older clients
    english = _job(app, tokens, plan_id, EN)
    assert english["error_message"] == (
        "The plan job stopped: its worker gave no sign of life for more than 121 s."
        " Ask for the plan again."
    )
    assert english["error_code"] == "job_stale" and english["error"] == job["error"]

    for path in ("/plans", f"/plans/{plan_id}"):
        page = _page(app, tokens, path, ZH)
        assert "排程任务中断（工作进程无响应超过 121 秒），请重新排程。" in page, path
        assert "stale heartbeat" not in page, path
    assert "gave no sign of life for more than 121 s" in _page(app, tokens, f"/plans/{plan_id}", EN)


def test_a_plan_the_verifier_refuses_names_the_first_broken_rule(client, tokens, app, day):
    plan = job_run.run_plan(
        lambda: db.uow(app), _queued(app, day), load_scenario=load_scenario, solve=_overlapping
    )
    assert plan.status is JobStatus.FAILED

    job = _job(app, tokens, plan.stored_id)
    params = job["error_params"]
    assert job["error_code"] == "plan_not_verified"
    assert params["rule"] == "H3" and params["finding"] == "dock_overlap" and params["count"] >= 1
    found = params["finding_params"]
    assert found["hub"] == "XW-LP" and {found["first"], found["second"]} <= {
        a.load_id
        for a in _overlapping(
            load_scenario(db.uow(app), day.horizon.start, day.horizon.end)
        ).assignments
    }
    message = job["error_message"]
    assert message.startswith(
        f"排程结果未通过校验，未予保存（{params['count']} 处违反规则，首条：H3 场站 XW-LP"
    )
    assert "时间重叠" in message and message.endswith("），请重新排程。")
    assert "overlap" not in message and "verification" not in message
    assert "failed verification" in job["error"] and "H3" in job["error"]
    english = _job(app, tokens, plan.stored_id, EN)["error_message"]
    assert english.startswith("The plan failed verification and was not kept (broken rules:")
    assert "H3 dock" in english and "overlap" in english

    page = _page(app, tokens, f"/plans/{plan.stored_id}", ZH)
    assert "排程结果未通过校验" in page and "failed verification" not in page


def test_a_crash_names_the_exception_type_never_its_text(client, tokens, app, day):
    def crash(*args, **kwargs):
        raise RuntimeError("password=hunter2 in SELECT * FROM secrets")

    plan = job_run.run_plan(
        lambda: db.uow(app), _queued(app, day), load_scenario=load_scenario, solve=crash
    )
    job = _job(app, tokens, plan.stored_id)
    assert job["error_code"] == "job_crashed" and job["error_params"] == {
        "exception": "RuntimeError"
    }
    assert job["error_message"] == (
        "排程任务运行出错（RuntimeError），请重新排程；如仍失败，请联系管理员查看服务日志。"
    )
    assert "hunter2" in job["error"]  # staff's English keeps the whole story (and the log)
    for path in ("/plans", f"/plans/{plan.stored_id}"):
        page = _page(app, tokens, path, ZH)
        assert "排程任务运行出错（RuntimeError）" in page and "hunter2" not in page, path


def test_a_job_failed_before_the_codes_keeps_its_english_error(client, tokens, app, day):
    plan_id = _queued(app, day)
    uow = db.uow(app)
    with uow:  # as a job failed before migration 0012 was stored: no code, no params
        uow.plans.set_status(
            plan_id, JobStatus.FAILED, finished_at=datetime.now(UTC), error="an old reason"
        )
        uow.commit()
    job = _job(app, tokens, plan_id)
    assert job["error_code"] is None and job["error_params"] is None
    assert job["error_message"] == job["error"] == "an old reason"
    assert "an old reason" in _page(app, tokens, f"/plans/{plan_id}", ZH)


def test_a_plan_that_could_not_be_made_is_a_coded_conflict(app, day, monkeypatch):
    from api.web.i18n import translator
    from hub_scheduler.services.plans import ensure_published_plan

    monkeypatch.setattr("hub_scheduler.solver.solve", _overlapping)
    with pytest.raises(Conflict) as refused:
        ensure_published_plan(
            db.uow(app),
            day.horizon.start,
            day.horizon.end,
            actor="test",
            load_scenario=load_scenario,
            english=translator("en"),
        )
    problem = refused.value
    assert re.fullmatch(r"plan \d+ could not be made", problem.detail)
    [why] = problem.errors
    assert why.code == "plan_failed" and why.params is not None
    assert why.params["status"] == "failed" and why.params["error_code"] == "plan_not_verified"
    assert why.params["error_params"]["finding"] == "dock_overlap"
    [said] = said_fields([why.as_dict()], "zh-CN")
    assert said["message"].startswith("排程结果未通过校验") and "H3 场站 XW-LP" in said["message"]


def test_a_split_job_whose_part_crashed_names_the_part(
    client, tokens, app, uow, xunwu, monkeypatch
):
    """The day as two independent counties, split in process: the part holding the first hub
    crashes in its solver, so the parent job fails `part_failed`, naming that part."""
    from bench.generate import two_regions
    from hub_scheduler import solver

    store_scenario(uow, two_regions(xunwu, 2))
    first, last = xunwu.hubs[0].id, xunwu.hubs[-1].id
    real_solve = solver.solve

    def solve(scenario, **kwargs):
        hubs = {h.id for h in scenario.hubs}
        if first in hubs and last not in hubs:  # the first county's part job, not the whole day
            raise MemoryError("out of memory in part")
        return real_solve(scenario, **kwargs)

    monkeypatch.setattr(solver, "solve", solve)
    asked = client.post(
        "/api/v1/plans",
        json={"horizon": HORIZON, "time_limit_s": 1, "workers": 1, "split": True},
        headers=tokens["admin"],
    )
    assert asked.status_code == 202, asked.json
    job = _job(app, tokens, asked.json["id"])
    assert job["status"] == "failed" and job["error_code"] == "part_failed", job
    [bad] = [p for p in job["parts"] if p["status"] == "failed"]
    assert job["error_params"] == {"count": 1, "parts": [{"id": bad["id"], "status": "failed"}]}
    assert job["error_message"] == (
        f"有 1 个分片任务未成功（#{bad['id']} 失败），无法合并为完整排程，请重新排程。"
    )
    assert bad["error_code"] == "job_crashed"
    assert bad["error_message"].startswith("排程任务运行出错（MemoryError）")
    assert "out of memory" not in job["error_message"] + bad["error_message"]
