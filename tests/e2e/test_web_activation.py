"""Emergency activation from the hub board, in the browser, on its own server (it changes data)."""

from __future__ import annotations

import re

import pytest
from conftest_web import screenshot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.db]

STANDBY_HUB = (
    "XW-SA-N"  # the north expressway service area: standby in the demo day, cold and ambient
)


def test_activating_a_standby_hub_re_plans_onto_it_and_the_new_plan_can_be_published(
    web_server, open_page
):
    page, console = open_page()
    sign_in(page, web_server, "admin")
    card = page.locator(f".hub-card[data-hub-id='{STANDBY_HUB}']")
    assert card.get_attribute("data-status") == "standby"

    card.locator("[data-open-dialog]").click()
    dialog = card.locator("dialog")
    assert dialog.is_visible()
    dialog.locator("textarea").fill("Outbreak on the G45: open the north service area")
    screenshot(page, "board-activation-dialog-desktop")
    dialog.locator("button[type=submit]").click()

    # The new plan's page shows progress, then (polling the job) its timeline.
    page.wait_for_url(re.compile(r"/plans/\d+$"))
    plan_id = int(page.url.rsplit("/", 1)[1])
    assert plan_id != web_server.plan_id
    page.locator("#gantt").wait_for(timeout=90_000)
    screenshot(page, "timeline-after-activation-desktop")

    placed = web_server.api(f"/api/v1/plans/{plan_id}/assignments").json()
    placed = placed["items"] if isinstance(placed, dict) else placed
    assert page.locator("#gantt .bar[data-load-id]").count() == len(placed)
    on_new_hub = page.locator(f".gantt-group[data-hub-id='{STANDBY_HUB}'] .bar[data-load-id]")
    assert on_new_hub.count() > 0, "the re-plan uses the activated hub"
    assert on_new_hub.count() == sum(1 for a in placed if a["hub_id"] == STANDBY_HUB)

    page.click("#publish")
    page.locator("#plan-published").wait_for()
    page.goto(f"{web_server.base_url}/plans/published")
    assert f"#{plan_id}" in page.locator("h1").inner_text()

    page.goto(f"{web_server.base_url}/board")
    assert (
        page.locator(f".hub-card[data-hub-id='{STANDBY_HUB}']").get_attribute("data-status")
        == "active"
    )
    history = page.locator("#activation-history tbody tr").first
    assert "Outbreak on the G45" in history.inner_text()
    assert STANDBY_HUB in history.inner_text()
    screenshot(page, "board-after-activation-desktop")
    assert console.problems == []


def test_an_activation_without_a_reason_is_asked_again_on_the_confirmation_page(
    web_server, open_page
):
    page, console = open_page()
    sign_in(page, web_server, "admin")
    page.goto(f"{web_server.base_url}/board/hubs/XW-SA-S/activate")
    page.locator("textarea#reason").evaluate("t => t.removeAttribute('required')")
    page.click("form.stack button[type=submit]")
    assert page.locator("#reason-error").is_visible()
    page.goto(f"{web_server.base_url}/board")
    assert (
        page.locator(".hub-card[data-hub-id='XW-SA-S']").get_attribute("data-status") == "standby"
    )
    assert console.problems == []


def test_without_javascript_the_confirmation_page_and_the_refreshing_plan_page_do_the_job(
    web_server, open_page
):
    page, console = open_page(javascript=False)
    sign_in(page, web_server, "admin")
    card = page.locator(".hub-card[data-hub-id='XW-SA-S']")
    card.locator("[data-open-dialog]").click()  # no script: the link opens the confirmation page
    page.wait_for_url("**/board/hubs/XW-SA-S/activate")
    page.fill("textarea#reason", "Second wave: open the south service area too")
    page.click("form.stack button[type=submit]")
    page.wait_for_url(re.compile(r"/plans/\d+$"))
    # The running plan's page refreshes itself (<noscript> meta refresh) until the plan is done.
    page.locator("#gantt").wait_for(timeout=90_000)
    plan_id = int(page.url.rsplit("/", 1)[1])
    placed = web_server.api(f"/api/v1/plans/{plan_id}/assignments").json()
    placed = placed["items"] if isinstance(placed, dict) else placed
    assert page.locator("#gantt .bar[data-load-id]").count() == len(placed) > 0
    assert page.locator(".gantt-group[data-hub-id='XW-SA-S']").count() == 1
    assert console.problems == []
