"""The command centre in the browser: a positive driver reported by plate, the closed docks,
contacts in local time and the repair plan beside the plan in force, then published."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from conftest_web import screenshot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.db]


def test_the_command_centre_reports_a_positive_driver_and_publishes_the_repair(
    web_server, open_page
):
    slot = min(web_server.published_assignments(), key=lambda a: a["start"])
    plate = web_server.api(f"/api/v1/loads/{slot['load_id']}").json()["vehicle_plate"]
    at = datetime.fromisoformat(slot["start"]) + timedelta(minutes=15)

    page, console = open_page()
    sign_in(page, web_server, "admin")
    page.goto(f"{web_server.base_url}/command")
    page.click("#report-incident")
    page.fill("#vehicle_plate", plate)
    page.fill("#at", at.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#note", "疾控中心通报：司机核酸阳性")
    screenshot(page, "command-report-positive-desktop")
    page.click("#submit-incident")

    page.wait_for_url("**/command/incidents/*")
    assert slot["dock_id"] in page.locator("#blocked-docks").inner_text()
    # The repair plan is made meanwhile; the page follows its progress, then compares.
    page.locator("#compare").wait_for(timeout=90_000)
    incident = web_server.api("/api/v1/incidents").json()[0]
    contacts = [c for c in incident["contacts"] if not c["kind"].startswith("relay_")]
    if contacts:
        first = datetime.fromisoformat(contacts[0]["start"]).strftime("%m-%d %H:%M")
        assert first in page.locator("#contacts").inner_text()
    screenshot(page, "command-incident-repair-desktop")

    page.goto(f"{web_server.base_url}/board")
    assert page.locator("#incident-banner").is_visible()
    page.locator("#incident-banner a").click()
    page.click("#publish-repair")
    page.locator("#repair-published").wait_for()
    published = web_server.api("/api/v1/plans/published", params={"date": "2026-11-28"}).json()
    assert published["plan"]["id"] == incident["plan_id"]
    page.goto(f"{web_server.base_url}/command/incidents")
    assert f"#{incident['id']}" in page.locator("#incident-list").inner_text()
    screenshot(page, "command-incidents-desktop")
    assert console.problems == []
