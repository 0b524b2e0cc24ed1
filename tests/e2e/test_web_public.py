"""The public page on a 375 px phone in headless Chromium against a real gunicorn: the hubs'
status in Chinese (a suspended hub reads 暂停), the hotline form, the answer read back by the
reporter's link, and the command centre's reports page; axe-core finds no serious problem."""

from __future__ import annotations

import re

import httpx
import pytest
from axe_check import serious_violations
from conftest_web import fits_the_width, screenshot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.db]


def test_the_public_page_works_on_a_phone_from_status_to_answer(web_server, open_page):
    suspended = httpx.post(
        f"{web_server.base_url}/api/v1/hubs/XW-TS/status",
        json={"status": "suspended", "reason": "e2e drill"},
        headers={"Authorization": f"Bearer {web_server.tokens['admin']}"},
        timeout=60,
    )
    assert suspended.status_code in (200, 202), suspended.text

    page, console = open_page("phone", "zh-CN")
    page.goto(f"{web_server.base_url}/public")
    # The page is cached for a few seconds per worker: reload until the suspension shows.
    card = page.locator('[data-hub-id="XW-TS"]')
    for _ in range(20):
        if card.get_attribute("data-status") == "suspended":
            break
        page.wait_for_timeout(500)
        page.reload()
    assert card.get_attribute("data-status") == "suspended"
    assert "暂停" in card.inner_text()
    assert "今日开放时间" in page.locator('[data-hub-id="XW-LP"]').inner_text()
    fits_the_width(page, "/public", "375 px")
    assert serious_violations(page) == []

    page.select_option("#kind", "refused_at_checkpoint")
    page.select_option("#hub_id", "XW-LP")
    page.fill("#text", "北卡口不让通过，说没有通行证")
    page.fill("#name", "李四")
    page.fill("#phone", "13900000000")
    with page.expect_navigation():
        page.click("#report-form button[type=submit]")
    done = page.locator("#report-done").inner_text()
    number = re.search(r"R-[0-9A-Z]{6}", done).group(0)
    screenshot(page, "public-report-phone")
    fits_the_width(page, "/public (after a report)", "375 px")
    lookup = page.locator("#report-lookup").get_attribute("href")
    page.goto(f"{web_server.base_url}{lookup}")
    assert "尚未答复" in page.locator("#report-answer").inner_text()

    admin, admin_console = open_page("phone", "zh-CN")
    sign_in(admin, web_server, "admin")
    admin.goto(f"{web_server.base_url}/admin/reports?status=open")
    row = admin.locator("#report-list tr", has_text=number)
    row.locator("textarea").fill("已通知北卡口放行")
    with admin.expect_navigation():
        row.locator("button", has_text="发送答复").click()
    screenshot(admin, "admin-reports-phone")
    fits_the_width(admin, "/admin/reports", "375 px")
    assert serious_violations(admin) == []

    page.goto(f"{web_server.base_url}{lookup}")
    assert "已通知北卡口放行" in page.locator("#report-answer").inner_text()
    assert console.problems == [] and admin_console.problems == []
