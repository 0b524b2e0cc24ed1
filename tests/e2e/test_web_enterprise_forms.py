"""An enterprise's own forms in a real browser (Debian chromium on a real gunicorn, its own server:
it changes data): it changes a load's ETA on the loads page and reads the Chinese confirmation
with the new time in the site's zone, then reports a problem about that load, chosen from its
own loads, and finds the report listed; an id typed instead that is not its own is refused at
its field (axe-core clean, desktop and phone). The browser runs in New York's time zone, so a time
shown in the browser's zone (not the site's, Asia/Shanghai) would be 13 hours off."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from axe_check import serious_violations
from conftest_web import VIEWPORTS, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.db]

DAY = "2026-11-28"
REPORT_TEXT = "卡口说车牌与申报不符，请核对"


@pytest.fixture
def page_far_away(chromium):
    """A Chinese page whose browser clock is in New York (UTC-5 in November)."""
    context = chromium.new_context(
        viewport=VIEWPORTS["desktop"],
        locale="zh-CN",
        timezone_id="America/New_York",
        extra_http_headers={"Accept-Language": "zh-CN"},
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems: list[str] = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(str(e)))
    yield page, problems
    context.close()


def test_an_enterprise_changes_an_eta_then_reports_a_problem_about_that_load(
    web_server, page_far_away
):
    page, problems = page_far_away
    sign_in(page, web_server, "E01")
    page.goto(f"{web_server.base_url}/loads?date={DAY}#my-loads")

    row = page.locator("#loads-table tr:has(details.eta-change)").first
    form = row.locator("details.eta-change")
    load_id = row.get_attribute("data-row-load-id")
    assert row.get_attribute("data-enterprise-id") == "E01"
    form.locator("summary").click()
    release = form.locator("input[name=release]")
    was = datetime.strptime(release.input_value(), "%Y-%m-%dT%H:%M")
    new = was + timedelta(minutes=25)  # later, before its wish: a real change
    due = form.locator("input[name=due]")
    if datetime.strptime(due.input_value(), "%Y-%m-%dT%H:%M") < new + timedelta(minutes=60):
        due.fill((new + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"))
    release.fill(new.strftime("%Y-%m-%dT%H:%M"))
    with page.expect_navigation():
        form.locator("button[type=submit]").click()

    said = page.locator(".flashes").inner_text()
    assert f"车次 {load_id} 的预计到达已改为 {new:%m-%d %H:%M}。" in said, said
    assert re.search(r"时段(不变|已调整为)|将在下一版", said), said
    row = page.locator(f"#loads-table tr[data-row-load-id='{load_id}']")
    assert f"{new:%m-%d %H:%M}" in row.locator("td.slot").first.inner_text()
    stored = web_server.api(f"/api/v1/loads/{load_id}", role="E01").json()
    assert stored["release"] == f"{new:%Y-%m-%dT%H:%M}:00+08:00"  # the site's zone, not New York's

    page.goto(f"{web_server.base_url}/reports")
    offered = page.locator("#load_id option").evaluate_all("os => os.map(o => o.value)")
    assert load_id in offered and "" in offered
    theirs = web_server.api("/api/v1/loads", role="E02", params={"limit": 500}).json()["items"]
    assert not {ld["id"] for ld in theirs} & set(offered)  # E02's loads are not offered
    page.select_option("#kind", "refused_at_checkpoint")
    page.select_option("#load_id", load_id)
    page.fill("#text", REPORT_TEXT)
    with page.expect_navigation():
        page.click("#report-form button[type=submit]")

    said = page.locator(".flashes").inner_text()
    number = re.search(r"报告 (R-[0-9A-Z]{6}) 已提交", said)
    assert number, said
    listed = page.locator("#my-report-list tr", has_text=number.group(1))
    assert REPORT_TEXT in listed.inner_text() and load_id in listed.inner_text()
    assert "卡口被拒" in listed.inner_text() and "尚未答复" in listed.inner_text()
    reports = web_server.api("/api/v1/reports", role="E01").json()["reports"]
    assert [(r["number"], r["load_id"]) for r in reports] == [(number.group(1), load_id)]
    assert problems == []


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_report_forms_typed_load_id_is_accessible_refused_or_not(
    web_server, open_page, viewport
):
    """The report form's second way to name a load (an older one, typed by its id): an id that
    is not the enterprise's is refused at that field in Chinese, and axe-core finds no serious
    or critical violation on the form, before and after."""
    page, console = open_page(viewport)
    sign_in(page, web_server, "E01")
    page.goto(f"{web_server.base_url}/reports")
    assert page.locator("label[for=load_id_typed]").inner_text() == "或输入车次编号"
    assert serious_violations(page) == []
    page.fill("#load_id_typed", "NO-SUCH-LOAD")
    page.fill("#text", "旧车次")
    with page.expect_navigation():
        page.click("#report-form button[type=submit]")
    said = page.locator("#load_id_typed-error").inner_text()
    assert said == "车次：本企业没有车次“NO-SUCH-LOAD”，请从列表中选择或输入本企业的车次编号。"
    assert page.locator("#load_id_typed").get_attribute("aria-invalid") == "true"
    assert serious_violations(page) == []
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 1, "no sideways scrolling"
    assert [p for p in console.problems if "status of 422" not in p] == []
