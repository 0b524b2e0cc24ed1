"""The plan job list `/plans` (web_timeline.plan_jobs, issue 11) in Debian Chromium against
gunicorn: an operator on a phone sees the demo day's jobs as the API lists them, in Chinese,
filters them by status (a filter with no match says so), and opens a job; a bad filter is named.
No sideways scroll, every field labelled, no console errors, no serious axe-core finding."""

from __future__ import annotations

import re

import pytest
from axe_check import serious_violations
from conftest_web import fits_the_width, screenshot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.db]


def test_an_operator_lists_filters_and_opens_plan_jobs_on_a_phone(web_server, open_page):
    jobs = web_server.api("/api/v1/plans", params={"limit": 100}).json()
    assert jobs["total"] > 0, jobs  # the demo day was planned and published
    succeeded = [j for j in jobs["items"] if j["status"] == "succeeded"]
    assert succeeded

    page, console = open_page(viewport="phone")
    sign_in(page, web_server, "operator")
    page.goto(f"{web_server.base_url}/plans")
    assert page.locator("h1").inner_text() == "排程任务"
    rows = page.locator("#job-list tbody tr")
    assert rows.count() == min(jobs["total"], 25)
    assert page.locator("#job-total").inner_text() == str(jobs["total"])
    first = jobs["items"][0]  # newest first, as the API lists them
    assert rows.first.get_attribute("data-plan") == str(first["id"])
    fits_the_width(page, "/plans", "375 px")
    screenshot(page, "plan-jobs-phone-zh")
    assert serious_violations(page) == []

    page.select_option("#status", "failed")
    with page.expect_navigation():
        page.click("#job-filters button[type=submit]")
    assert "status=failed" in page.url
    failed = [j for j in jobs["items"] if j["status"] == "failed"]
    if failed:
        assert page.locator("#job-list tbody tr").count() == len(failed)
    else:
        assert page.locator("#jobs-empty").inner_text() == "没有符合条件的排程任务。"

    page.goto(f"{web_server.base_url}/plans?status=succeeded")
    shown = page.locator("#job-list tbody tr")
    assert shown.count() == len(succeeded)
    assert {shown.nth(i).get_attribute("data-status") for i in range(shown.count())} == {
        "succeeded"
    }
    with page.expect_navigation():
        shown.first.locator("a").first.click()
    assert re.search(rf"/plans/{succeeded[0]['id']}(\?|$)", page.url), page.url

    assert console.problems == []

    answer = page.goto(f"{web_server.base_url}/plans?status=nonsense&horizon=2026-13-01")
    assert answer.status == 422  # (the browser logs the 422 itself: expected here)
    alerts = page.locator(".alert-error").all_inner_texts()
    assert "状态：须为列表中的一项" in alerts and len(alerts) == 2, alerts
