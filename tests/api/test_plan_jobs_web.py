"""The plan job list page (`/plans`, issue 11): Chinese first, status and day filters, paging,
a split job with its parts (the part jobs themselves are not rows), staff only. SQLite and
PostgreSQL."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from bench.generate import two_regions
from hub_scheduler.records import Plan
from models.scenario_store import store_scenario
from tests.api.both_databases import api_database_url  # noqa: F401  (the fixture, both databases)
from tests.api.web_pages import HORIZON, ZH, signed_in

EN = {"Accept-Language": "en"}


def rows(page: str) -> list[tuple[str, str]]:
    """(plan id, status) of each row of the job table."""
    return re.findall(r'<tr data-plan="(\d+)" data-status="(\w+)">', page)


@pytest.fixture
def split_job(client, tokens, uow, xunwu) -> dict:
    """The Xunwu day as two counties, planned with `split: true` in process: a job of 2 parts."""
    store_scenario(uow, two_regions(xunwu, 2))
    asked = client.post(
        "/api/v1/plans",
        json={"horizon": HORIZON, "time_limit_s": 1, "workers": 1, "split": True},
        headers=tokens["admin"],
    )
    assert asked.status_code == 202, asked.json
    job = client.get(asked.headers["Location"], headers=tokens["admin"]).json
    assert job["status"] == "succeeded" and len(job["parts"]) == 2, job
    return job


def test_the_job_list_shows_the_split_job_with_its_parts_in_chinese(app, tokens, split_job):
    client = signed_in(app, tokens, "operator")
    page = client.get("/plans", headers=ZH)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<h1 id="jobs-title">排程任务</h1>' in html
    assert rows(html) == [(str(split_job["id"]), "succeeded")], "parts are not rows of their own"
    for part in split_job["parts"]:
        assert f'data-part="{part["id"]}" data-status="succeeded"' in html
    assert "草稿" in html and "2026-11-28" in html
    assert f"{split_job['objective']:,.0f}" in html
    english = client.get("/plans", headers=EN).get_data(as_text=True)
    assert "Plan jobs" in english and "Draft" in english
    # the plan page links to the list and names its parts
    timeline = client.get(f"/plans/{split_job['id']}", headers=ZH).get_data(as_text=True)
    assert 'id="plan-jobs-link" href="/plans"' in timeline and 'id="plan-parts"' in timeline


def test_filters_by_status_and_day_and_pages(app, tokens, uow, split_job):
    start = datetime.fromisoformat(HORIZON["start"])
    with uow:
        for _ in range(26):  # 26 queued jobs on the next day
            uow.plans.add(
                Plan(
                    horizon_start=start.replace(day=29),
                    horizon_end=start.replace(day=30),
                    requested_at=datetime.now(UTC),
                )
            )
        uow.commit()
    client = signed_in(app, tokens, "admin")
    first = client.get("/plans", headers=ZH).get_data(as_text=True)
    assert len(rows(first)) == 25 and "较早的任务" in first
    second = client.get("/plans?page=2", headers=ZH).get_data(as_text=True)
    assert len(rows(second)) == 2 and "较新的任务" in second
    assert (str(split_job["id"]), "succeeded") in rows(second), "oldest last"
    done = client.get("/plans?status=succeeded", headers=ZH).get_data(as_text=True)
    assert rows(done) == [(str(split_job["id"]), "succeeded")]
    day = client.get("/plans?horizon=2026-11-29&status=queued", headers=ZH).get_data(as_text=True)
    assert len(rows(day)) == 25 and all(s == "queued" for _, s in rows(day))
    none = client.get("/plans?status=failed", headers=ZH).get_data(as_text=True)
    assert rows(none) == [] and "没有符合条件的排程任务。" in none


def test_bad_filters_are_named_and_enterprises_may_not_look(app, tokens, seeded):
    client = signed_in(app, tokens, "admin")
    bad = client.get("/plans?status=done&horizon=tomorrow&page=0", headers=ZH)
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert "状态：须为列表中的一项" in html and "日期：须为如 2026-12-01 的日期" in html
    assert "页码：须为从 1 起的整数" in html
    enterprise = signed_in(app, tokens, "enterprise")
    assert enterprise.get("/plans", headers=ZH).status_code == 403


def _status_cell(page: str, plan_id: int) -> str:
    row = re.search(rf'<tr data-plan="{plan_id}" data-status="\w+">(.*?)</tr>', page, re.S)
    cell = re.search(r'<span class="badge[^"]*">([^<]*)</span>', row.group(1))
    return cell.group(1)


def test_a_plan_replaced_by_a_newer_published_one_is_not_called_a_draft(
    app, tokens, client, uow, xunwu
):
    """(Before: the plan in force until a re-plan was published read 草稿 beside its 发布时间.)"""
    store_scenario(uow, xunwu)
    ids = []
    for _ in range(2):
        asked = client.post(
            "/api/v1/plans", json={"horizon": HORIZON, "time_limit_s": 1}, headers=tokens["admin"]
        )
        ids.append(asked.json["id"])
        published = client.post(f"/api/v1/plans/{ids[-1]}/publish", headers=tokens["admin"])
        assert published.status_code == 200, published.json
    old, new = ids
    assert client.get(f"/api/v1/plans/{old}", headers=tokens["admin"]).json["published"] is False
    page = signed_in(app, tokens, "admin")
    jobs = page.get("/plans", headers=ZH).get_data(as_text=True)
    assert (_status_cell(jobs, old), _status_cell(jobs, new)) == ("已被替换", "已发布")
    timeline = page.get(f"/plans/{old}", headers=ZH).get_data(as_text=True)
    assert 'id="plan-replaced">已被替换<' in timeline and "发布时间" in timeline
    assert 'id="plan-published"' not in timeline
    english = page.get("/plans", headers=EN).get_data(as_text=True)
    assert _status_cell(english, old) == "Replaced"
