"""The gate on a 375 px phone: an operator finds a truck by its plate typed loosely, checks it in
with the driver's screening, sees the late truck's new slot at once, and starts its handling."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from conftest_web import screenshot, sign_in

from tests.api.calls import busy_slot

pytestmark = [pytest.mark.e2e, pytest.mark.db]


def test_an_operator_checks_in_a_late_truck_by_plate_on_a_phone(web_server, open_page):
    slot = busy_slot(web_server.published_assignments())
    load = web_server.api(f"/api/v1/loads/{slot['load_id']}").json()
    typed = load["vehicle_plate"].replace("·", "").lower()  # 赣B·T52D8 typed as 赣bt52d8

    page, console = open_page(viewport="phone")
    sign_in(page, web_server, "operator")
    page.goto(f"{web_server.base_url}/gate")
    page.fill("#plate", typed)
    page.click("#search")
    rows = page.locator("li.gate-row")
    assert rows.count() == 1
    row = rows.first
    assert row.get_attribute("data-load-id") == slot["load_id"]
    assert load["vehicle_plate"] in row.inner_text()

    form = row.locator("form.check-in-form")  # the one truck found: its form is open
    assert form.is_visible()
    form.locator("select[name=test_type]").select_option("pcr")
    form.locator("select[name=test_result]").select_option("negative")
    form.locator("input[name=test_time]").fill("2026-11-27T20:00")
    form.locator("select[name=health_code]").select_option("green")
    form.locator("input[name=body_temperature_c]").fill("36.5")
    arrived = datetime.fromisoformat(slot["start"]) + timedelta(minutes=40)
    form.locator("input[name=at]").fill(arrived.strftime("%Y-%m-%dT%H:%M"))
    screenshot(page, "gate-check-in-form-phone")
    form.locator("button[data-role=check-in]").click()

    page.locator("#check-in-result").wait_for()
    assert "查验通过" in page.locator("#result-title").inner_text()
    pinned = web_server.api(f"/api/v1/loads/{slot['load_id']}").json()["pinned"]
    new_start = datetime.fromisoformat(pinned["start"]).strftime("%H:%M")
    assert new_start in page.locator("#result-late").inner_text()
    assert new_start in page.locator("#result-slot").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scroll
    screenshot(page, "gate-late-truck-new-slot-phone")

    row_id = f"#load-{slot['enterprise_id']}·{slot['load_id']}"  # enterprise and id: one row
    page.locator(f"{row_id} button[data-role=start]").click()
    page.locator(".flash-ok").wait_for()
    row = page.locator(row_id)
    assert row.get_attribute("data-status") == "in_operation"
    assert web_server.api(f"/api/v1/loads/{slot['load_id']}").json()["started_at"]
    screenshot(page, "gate-started-phone")
    assert console.problems == []
