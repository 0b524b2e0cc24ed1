"""After the site changes under a published plan, the manager is offered the re-plan: the hub page
that saved a cut of the opening hours says how many slots no longer fit and carries a button that
starts a re-plan job; the board shows a banner for tomorrow's plan with the reasons (hours cut,
trucks submitted after publishing) and the same button, for an admin. (Before: only a link to the
plan page, and no banner.)"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from api.settings import job_config
from api.web.signin import CSRF_FIELD
from hub_scheduler.domain import LoadStatus
from hub_scheduler.records import JobStatus
from hub_scheduler.services import jobs as job_service
from models.scenario_store import store_scenario
from tests.api.conftest import load_body
from tests.api.web_pages import ZH, csrf, publish_day, signed_in

HUB = "XW-LP"
# The evening before the Xunwu day: the day's plan is tomorrow's.
EVE = "2026-11-27T18:00:00+08:00"


@pytest.fixture
def app_settings():
    return {"HUB_SCHEDULER_PLAN_NOW": EVE}


def _post(page, path: str, data: dict, origin: str):
    return page.post(path, data={CSRF_FIELD: csrf(page, origin), **data}, headers=ZH)


def _cut_hours(admin):
    hours = {"start": "00:00", "end": "06:00"}  # most of the day's slots at this hub are later
    return _post(admin, f"/admin/hubs/{HUB}/hours", hours, f"/admin/hubs/{HUB}")


def _replan(admin, page: str, origin: str):
    """Press the page's re-plan button: the new plan job's page."""
    form = re.search(r'<form method="post" action="/plans/new"[^>]*>(.*?)</form>', page, re.S)
    assert form is not None, "no re-plan button"
    plan_id = re.search(r'name="from_plan" value="(\d+)"', form.group(1)).group(1)
    return _post(admin, "/plans/new", {"from_plan": plan_id}, origin), int(plan_id)


def test_cutting_the_hours_says_how_many_slots_no_longer_fit_and_offers_the_re_plan(
    app, client, tokens, uow, xunwu
):
    published = publish_day(client, tokens, uow, xunwu)
    here = [a for a in published["assignments"] if a["hub_id"] == HUB]
    assert here
    admin = signed_in(app, tokens, "admin")
    saved = _cut_hours(admin)
    assert saved.status_code == 303
    page = admin.get(saved.headers["Location"], headers=ZH).get_data(as_text=True)
    stranded = re.search(r'id="stranded".*?</table>', page, re.S).group(0)
    n = stranded.count("data-load-id=")
    assert 0 < n <= len(here)  # the slots not inside 00:00-06:00
    assert (
        f"现行排程中有 {n} 个车次时段已不再适合本场站当前的设置，请用下方按钮立即重新排程。" in page
    )
    assert f"立即重新排程（排程 {published['plan']['id']}）" in page
    started, plan_id = _replan(admin, page, f"/admin/hubs/{HUB}")
    assert plan_id == published["plan"]["id"]
    new_id = int(re.search(r"/plans/(\d+)$", started.headers["Location"]).group(1))
    assert started.status_code == 303 and new_id > plan_id


def _banner(page: str) -> str | None:
    found = re.search(r'<section class="alert alert-\w+ replan-banner".*?</section>', page, re.S)
    return found.group(0) if found else None


def test_the_board_asks_for_a_re_plan_of_tomorrow_with_the_reasons(app, client, tokens, uow, xunwu):
    published = publish_day(client, tokens, uow, xunwu)
    admin = signed_in(app, tokens, "admin")
    operator = signed_in(app, tokens, "operator")
    assert _banner(admin.get("/board", headers=ZH).get_data(as_text=True)) is None

    body = load_body(xunwu, 0, vehicle_plate="赣B·N0001")
    assert client.post("/api/v1/loads", json=body, headers=tokens["enterprise"]).status_code == 201
    assert _cut_hours(admin).status_code == 303
    hub_page = admin.get(f"/admin/hubs/{HUB}", headers=ZH).get_data(as_text=True)
    cut = re.search(r'id="stranded".*?</table>', hub_page, re.S).group(0).count("data-load-id=")

    page = admin.get("/board", headers=ZH).get_data(as_text=True)
    banner = _banner(page)
    assert banner is not None and 'data-replan-day="2026-11-28"' in banner
    assert "2026-11-28 的现行排程需要重新排程：" in banner
    assert f"{cut} 个车次时段已不再适合场站当前的设置" in banner
    assert "1 辆车在排程发布后提交，尚无时段。" in banner
    assert 'data-role="replan-now"' in banner
    seen = _banner(operator.get("/board", headers=ZH).get_data(as_text=True))
    assert seen is not None and 'data-role="replan-now"' not in seen  # re-planning is an admin's

    started, plan_id = _replan(admin, banner, "/board")
    assert plan_id == published["plan"]["id"] and started.status_code == 303
    assert re.search(r"/plans/(\d+)$", started.headers["Location"])


def test_suspending_a_hub_or_activating_one_asks_for_a_re_plan_of_tomorrow(
    app, client, tokens, uow, xunwu
):
    published = publish_day(client, tokens, uow, xunwu)
    admin = signed_in(app, tokens, "admin")
    held = [a for a in published["assignments"] if a["hub_id"] == HUB]
    switched = _post(admin, f"/board/hubs/{HUB}/suspend", {"reason": "消杀"}, "/board")
    assert switched.status_code == 303
    banner = _banner(admin.get("/board", headers=ZH).get_data(as_text=True))
    assert banner is not None
    # Its trucks lost their slots at once (the plan in force no longer holds them there).
    assert f"<li>{len(held)} 辆车因所在场站关闭已失去时段。</li>" in banner
    opened = _post(admin, "/board/hubs/XW-SA-N/activate", {"reason": "应急"}, "/board")
    assert opened.status_code == 303
    banner = _banner(admin.get("/board", headers=ZH).get_data(as_text=True))
    assert "排程发布后启用的场站尚未安排车辆：" in banner


def test_the_board_says_tomorrow_has_no_plan_and_offers_to_plan_it(app, client, tokens, uow, xunwu):
    """Tomorrow (2026-11-28, by the evening's clock) has trucks but no plan in force at all: the
    board says so with the trucks waiting, in Chinese or in English by the switch, and the
    manager's button plans that day (a job of its horizon); an operator reads it without the
    button. Once the day's plan is published the banner is gone. (Before: a banner only spoke
    when a plan existed.)"""
    store_scenario(uow, xunwu)
    waiting = sum(1 for ld in xunwu.loads if ld.status is LoadStatus.SUBMITTED)
    assert waiting > 0
    admin = signed_in(app, tokens, "admin")
    banner = _banner(admin.get("/board", headers=ZH).get_data(as_text=True))
    assert banner is not None and 'data-no-plan="true"' in banner
    assert 'data-replan-day="2026-11-28"' in banner
    assert "明日（2026-11-28）尚无排程。" in banner
    assert f"已有 {waiting} 辆车提交，等待排程。" in banner
    assert "立即排程 2026-11-28" in banner and 'name="day" value="2026-11-28"' in banner
    seen = _banner(
        signed_in(app, tokens, "operator").get("/board", headers=ZH).get_data(as_text=True)
    )
    assert seen is not None and "尚无排程" in seen and 'data-role="replan-now"' not in seen

    admin.get("/language/en")
    english = _banner(admin.get("/board").get_data(as_text=True))
    assert "Tomorrow (2026-11-28) has no plan yet." in english
    assert f"{waiting} trucks are submitted for the day and wait for a plan." in english
    assert "Plan 2026-11-28 now" in english
    admin.get("/language/zh-CN")

    form = re.search(r'<form method="post" action="/plans/new"[^>]*>(.*?)</form>', banner, re.S)
    started = _post(admin, "/plans/new", {"day": "2026-11-28"}, "/board")
    assert form is not None and started.status_code == 303
    plan_id = int(re.search(r"/plans/(\d+)$", started.headers["Location"]).group(1))
    plan = client.get(f"/api/v1/plans/{plan_id}", headers=tokens["admin"]).json
    assert plan["horizon"]["start"] == "2026-11-28T00:00:00+08:00", plan["horizon"]
    # The job succeeded (inline) and is not published: the banner offers no second plan.
    ready = _banner(admin.get("/board", headers=ZH).get_data(as_text=True))
    assert ready is not None and f'data-plan-job="{plan_id}"' in ready
    assert "明日（2026-11-28）排程已生成，待审核发布。" in ready
    assert f'<a href="/plans/{plan_id}" data-role="pending-plan">审核排程 {plan_id}</a>' in ready
    assert 'data-role="replan-now"' not in ready and "尚无排程" not in ready
    admin.get("/language/en")
    english = _banner(admin.get("/board").get_data(as_text=True))
    assert (
        "The plan for tomorrow (2026-11-28) is ready and waits for review and publishing."
        in english
    )
    assert f"Review plan {plan_id}" in english and 'data-role="replan-now"' not in english
    admin.get("/language/zh-CN")
    published = client.post(f"/api/v1/plans/{plan_id}/publish", headers=tokens["admin"])
    assert published.status_code == 200, published.json
    assert _banner(admin.get("/board", headers=ZH).get_data(as_text=True)) is None


def test_the_board_offers_no_second_plan_while_tomorrows_is_computed(app, tokens, uow, xunwu):
    """A plan job of tomorrow queued or running: the banner says the plan is being computed and
    links to the job, for the manager and the operator, with no button; once the job failed,
    or its runner died (a running job silent past its time limit and grace), the button that
    plans the day is back. (Before: the banner invited a second plan of the same day.)"""
    store_scenario(uow, xunwu)
    start = datetime.fromisoformat("2026-11-28T00:00:00+08:00")
    with uow:
        job = job_service.queue_plan(
            uow,
            horizon_start=start,
            horizon_end=start + timedelta(days=1),
            actor="admin",
            config=job_config(app),
        )
        uow.commit()
    job_id = job.stored_id
    admin = signed_in(app, tokens, "admin")

    def banner(page=admin, headers=ZH) -> str:
        found = _banner(page.get("/board", headers=headers).get_data(as_text=True))
        assert found is not None
        return found

    queued = banner()
    assert f'data-plan-job="{job_id}" data-job-status="queued"' in queued
    assert "明日（2026-11-28）排程正在计算。" in queued and "尚无排程" not in queued
    assert (
        f'<a href="/plans/{job_id}" data-role="pending-plan">查看排程任务 {job_id} 的进度</a>'
        in queued
    )
    assert 'data-role="replan-now"' not in queued and 'name="day"' not in queued
    seen = banner(signed_in(app, tokens, "operator"))
    assert "明日（2026-11-28）排程正在计算。" in seen and f"/plans/{job_id}" in seen
    admin.get("/language/en")
    english = banner(headers={})
    assert "The plan for tomorrow (2026-11-28) is being computed." in english
    assert f"Follow plan job {job_id}" in english
    admin.get("/language/zh-CN")

    with uow:  # a worker took it just now
        uow.plans.set_status(job_id, JobStatus.RUNNING, started_at=datetime.now(UTC))
        uow.commit()
    running = banner()
    assert 'data-job-status="running"' in running and "排程正在计算" in running
    assert 'data-role="replan-now"' not in running

    with uow:  # ... a day ago, and has been silent since: its runner died
        uow.plans.set_status(
            job_id, JobStatus.RUNNING, started_at=datetime.now(UTC) - timedelta(days=1)
        )
        uow.commit()
    stale = banner()
    assert "明日（2026-11-28）尚无排程。" in stale and 'data-role="replan-now"' in stale
    assert "data-plan-job" not in stale

    with uow:
        uow.plans.set_status(job_id, JobStatus.FAILED, finished_at=datetime.now(UTC), error="x")
        uow.commit()
    failed = banner()
    assert "尚无排程" in failed and 'name="day" value="2026-11-28"' in failed
