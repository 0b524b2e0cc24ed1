"""The inbox in Debian Chromium against gunicorn (issue 13): an enterprise on a phone sees the
unread count in the nav, opens its inbox, reads its slot confirmations in Chinese with times in
the site's zone, marks all read (the marks and the count go), and reads them in English by the
switch; the admin sees the command centre's latest on the board. No console errors, and axe-core
finds no serious accessibility problem."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from axe_check import serious_violations
from conftest_web import screenshot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.db]
SITE = ZoneInfo("Asia/Shanghai")


def test_an_enterprise_reads_its_inbox_and_marks_all_read_on_a_phone(web_server, open_page):
    inbox = web_server.api("/api/v1/inbox", role="E01").json()
    assert inbox["unread"] > 0, inbox  # the demo day's publish confirmed E01's slots
    confirmed = [e for e in inbox["events"] if e["type"] == "slot.confirmed"]
    assert confirmed

    page, console = open_page(viewport="phone")
    sign_in(page, web_server, "E01")
    badge = page.locator("#nav-inbox .nav-count")
    assert badge.inner_text() == str(inbox["unread"])
    page.click("#nav-inbox")
    page.wait_for_url(re.compile(r"/inbox$"))
    assert page.locator("h1").inner_text() == "消息"
    items = page.locator("#inbox-list li")
    assert items.count() == min(inbox["total"], 50)
    assert page.locator('#inbox-list li[data-unread="true"]').count() == min(inbox["unread"], 50)
    first = confirmed[0]
    item = page.locator(f'#inbox-list li[data-event-id="{first["id"]}"]')
    text = item.inner_text()
    assert "时段已确认" in text and f"车次 {first['data']['load_id']}" in text
    start = datetime.fromisoformat(first["data"]["slot"]["start"]).astimezone(SITE)
    assert start.strftime("%m-%d %H:%M") in text
    for hub in web_server.api("/api/v1/hubs").json():
        text = text.replace(hub["name"] or hub["id"], hub["id"])  # names are data, not words
    assert not re.search(r"[A-Za-z]{3,} [a-z]{3,}", text), text
    screenshot(page, "inbox-phone-zh")
    assert serious_violations(page) == []

    with page.expect_navigation():
        page.click("#mark-all-read")
    assert "消息已全部标为已读" in page.locator(".flashes").inner_text()
    assert page.locator('#inbox-list li[data-unread="true"]').count() == 0
    assert page.locator("#nav-inbox .nav-count").count() == 0
    assert web_server.api("/api/v1/inbox", role="E01").json()["unread"] == 0
    assert web_server.api("/api/v1/inbox", role="E02").json()["unread"] > 0  # not E02's

    with page.expect_navigation():
        page.click(".langswitch a[lang=en]")
    assert "Slot confirmed" in page.locator("#inbox-list").inner_text()
    assert console.problems == []


def test_the_admin_sees_the_command_centres_latest_on_the_board(web_server, open_page):
    page, console = open_page()
    sign_in(page, web_server, "admin")
    page.goto(f"{web_server.base_url}/board")
    latest = page.locator("#board-inbox")
    assert "最新消息" in latest.inner_text() and "排程已发布" in latest.inner_text()
    with page.expect_navigation():
        latest.locator("a").click()
    assert "指挥部消息" in page.locator("main").inner_text()
    assert serious_violations(page) == []
    assert console.problems == []
