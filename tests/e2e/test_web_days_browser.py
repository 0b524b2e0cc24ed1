"""The timeline's days and filters in the browser, then a re-plan both ways compared before
publishing: open the timeline, go to the next day and back, filter by hub, open the compare page.
axe-core clean on each; screenshots in test-artifacts/."""

from __future__ import annotations

import pytest
from axe_check import serious_violations
from conftest_web import screenshot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.db]
DAY = "2026-11-28"


def test_days_filters_and_the_compare_page(web_server, open_page):
    placed = web_server.published_assignments()
    hub = placed[0]["hub_id"]
    page, console = open_page()
    sign_in(page, web_server, "admin")
    page.goto(f"{web_server.base_url}/plans/published?date={DAY}")
    assert page.locator("#gantt .bar[data-load-id]").count() == len(placed)
    assert page.locator("#day-pick").input_value() == DAY
    assert serious_violations(page) == []
    screenshot(page, "timeline-days-desktop")

    page.click("#day-after")
    page.wait_for_url("**/plans/published?date=2026-11-29")
    assert "2026-11-29 尚无已发布的排程" in page.locator("#no-plan").inner_text()
    assert page.locator("#plan-day-day").input_value() == "2026-11-29"
    assert serious_violations(page) == []
    screenshot(page, "timeline-next-day-desktop")
    page.click("#day-before")
    page.wait_for_url(f"**/plans/published?date={DAY}")

    page.select_option("#filter-hub", hub)
    page.click("#filter-apply")
    page.wait_for_url(f"**hub={hub}**")
    bars = page.locator("#gantt .bar[data-load-id]")
    assert bars.count() == sum(1 for a in placed if a["hub_id"] == hub)
    assert set(
        page.eval_on_selector_all("#gantt .gantt-row", "rows => rows.map(r => r.dataset.hubId)")
    ) == {hub}
    # the tooltip reads the bar's row of the operations table
    bars.first.hover()
    tooltip = page.locator("#bar-tooltip")
    tooltip.wait_for(state="visible")
    assert bars.first.get_attribute("data-load-id") in tooltip.inner_text()
    assert serious_violations(page) == []
    screenshot(page, "timeline-one-hub-desktop")

    page.click("#new-plan-both")
    page.wait_for_url("**/plans/compare?a=*&b=*", timeout=30_000)
    page.locator("#compare [data-figure='moved']").nth(1).wait_for(timeout=90_000)
    assert page.locator("#compare section[data-plan-id]").count() == 2
    text = page.locator("#compare").inner_text()
    assert "尽量少调整" in text and "延误最少" in text
    assert serious_violations(page) == []
    screenshot(page, "plan-compare-desktop")
    page.locator("#compare section[data-plan-id] a", has_text="调整了什么及原因").first.click()
    page.wait_for_url("**/plans/*/changes")
    page.locator("#changes-summary").wait_for()
    assert serious_violations(page) == []
    screenshot(page, "plan-changes-desktop")
    assert console.problems == []


def test_the_loads_page_walks_the_days_on_a_phone(web_server, open_page):
    page, console = open_page(viewport="phone")
    sign_in(page, web_server, "admin")
    page.goto(f"{web_server.base_url}/loads?date={DAY}")
    rows = page.locator("#loads-table tbody tr").count()
    assert rows > 0
    page.click("#day-after")
    page.wait_for_url("**/loads?date=2026-11-29*")
    assert page.locator("#loads-table tbody tr").count() == 0
    assert serious_violations(page) == []
    screenshot(page, "loads-next-day-phone")
    assert console.problems == []
