"""Submitting loads from the loads page, in the browser, on its own server (it adds loads)."""

from __future__ import annotations

import pytest
from conftest_web import REPO, screenshot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.db]

GOOD_SHEET = REPO / "fixtures" / "loads_sample.csv"


def _total(server, role: str) -> int:
    return server.api("/api/v1/loads", role=role, params={"limit": 1}).json()["total"]


def test_an_enterprise_submits_one_load_and_sees_it_in_its_list(web_server, open_page):
    before = _total(web_server, "E02")
    page, console = open_page()
    sign_in(page, web_server, "E02")
    page.select_option("#category", "medical_supplies")
    page.select_option("#temperature", "cold")
    page.fill("#handling_minutes", "40")
    page.fill("#release", "2026-11-28T09:00")
    page.fill("#due", "2026-11-28T12:00")
    page.fill("#vehicle_plate", "赣B·E2E01")
    page.fill("#id", "E2E-ONE")
    page.fill("#test_time", "2026-11-27T20:00")
    page.fill("#body_temperature_c", "36.4")
    page.click("#submit-load")
    page.locator(".flash-ok").wait_for()
    row = page.locator("#loads-table tr[data-row-load-id='E2E-ONE']")
    assert row.get_attribute("data-enterprise-id") == "E02"
    assert _total(web_server, "E02") == before + 1
    stored = web_server.api("/api/v1/loads/E2E-ONE", role="E02").json()
    assert stored["release"].startswith("2026-11-28T")
    assert stored["screening"]["health_code"] == "green"
    assert console.problems == []


def test_a_load_whose_wish_comes_before_its_arrival_is_refused_with_the_field_marked(
    web_server, open_page
):
    before = _total(web_server, "E02")
    page, console = open_page(lang="en")
    sign_in(page, web_server, "E02")
    page.fill("#release", "2026-11-28T12:00")
    page.fill("#due", "2026-11-28T09:00")
    page.click("#submit-load")
    page.locator("#submit-errors").wait_for()
    assert page.locator("#due").get_attribute("aria-invalid") == "true"
    assert "release" in page.locator("#due-error").inner_text()
    assert _total(web_server, "E02") == before
    screenshot(page, "loads-form-errors-desktop")
    assert console.problems == []


def test_a_good_sheet_is_checked_first_and_stored_only_on_confirmation(web_server, open_page):
    before = _total(web_server, "admin")
    page, console = open_page()
    sign_in(page, web_server, "admin")
    page.goto(f"{web_server.base_url}/loads")
    page.set_input_files("#sheet", str(GOOD_SHEET))
    page.click("#check-sheet")
    page.locator("#sheet-ok").wait_for()
    assert _total(web_server, "admin") == before, "the dry run stores nothing"
    page.click("#confirm-import")
    page.locator(".flash-ok").wait_for()
    assert _total(web_server, "admin") == before + 20
    assert page.locator("#loads-table tr[data-row-load-id='S001']").count() == 1
    assert console.problems == []


def test_an_enterprise_cancels_its_load_after_confirming_and_the_record_stays(
    web_server, open_page
):
    page, console = open_page()
    sign_in(page, web_server, "E02")
    row = page.locator("#loads-table tr[data-row-load-id='E2E-ONE']")
    page.once("dialog", lambda dialog: dialog.dismiss())
    row.get_by_role("button", name="取消车次 E2E-ONE").click()
    assert web_server.api("/api/v1/loads/E2E-ONE", role="E02").json()["status"] == "submitted"
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        row.get_by_role("button", name="取消车次 E2E-ONE").click()
    page.locator(".flash-ok").wait_for()
    assert web_server.api("/api/v1/loads/E2E-ONE", role="E02").json()["status"] == "cancelled"
    cancelled = page.locator("#loads-table tr[data-row-load-id='E2E-ONE']")
    assert cancelled.locator("button").count() == 0
    assert console.problems == []
