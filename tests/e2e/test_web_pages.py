"""The web pages in headless Chromium against a real gunicorn on the Xunwu demo day (read-only)."""

from __future__ import annotations

import httpx
import pytest
from conftest_web import REPO, fits_the_width, screenshot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.db]

BROKEN_SHEET = REPO / "fixtures" / "broken" / "bad_date.csv"


def test_signing_in_with_a_token_opens_the_board_and_signing_out_ends_the_session(
    web_server, open_page
):
    page, console = open_page()
    page.goto(f"{web_server.base_url}/board")
    assert "/login" in page.url, "a page needs a session"
    sign_in(page, web_server, "admin")
    assert page.url.endswith("/board")
    assert page.locator(".hub-card").count() == 4
    cookie = next(c for c in page.context.cookies() if c["name"] == "hub_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert web_server.tokens["admin"] not in cookie["value"], "the cookie never holds the token"
    page.click("text=退出")
    page.wait_for_url("**/login")
    page.goto(f"{web_server.base_url}/board")
    assert "/login" in page.url
    assert console.problems == []


def test_an_unknown_token_is_refused_with_a_message(web_server, open_page):
    page, console = open_page(lang="en")
    page.goto(f"{web_server.base_url}/login?with=token")  # the token tab
    page.fill("#token", "hs_not-a-real-token")
    page.click("form.stack button[type=submit]")
    assert page.locator("#login-error").inner_text() == "This token is unknown or has been revoked."
    assert "/login" in page.url


def test_a_form_post_without_its_csrf_token_is_refused(web_server):
    with httpx.Client(base_url=web_server.base_url, timeout=10) as client:
        client.get("/login")
        refused = client.post("/login", data={"token": web_server.tokens["admin"]})
        assert refused.status_code == 400
        assert client.get("/board").status_code == 302, "the refused post signed nobody in"


def test_each_role_is_sent_to_its_own_page_and_kept_off_the_others(web_server, open_page):
    page, _ = open_page()
    sign_in(page, web_server, "E01")
    assert page.url.endswith("/loads")
    response = page.goto(f"{web_server.base_url}/board")
    assert response.status == 403
    page2, _ = open_page()
    sign_in(page2, web_server, "operator")
    assert page2.url.endswith("/board")
    assert page2.locator("[data-open-dialog]").count() == 0, "only admins switch hubs"


def test_the_timeline_shows_exactly_one_bar_per_assignment_of_the_published_plan(
    web_server, open_page
):
    assignments = web_server.published_assignments()
    page, console = open_page()
    sign_in(page, web_server, "admin")
    page.goto(f"{web_server.base_url}/plans/published")
    bars = page.locator("#gantt .bar[data-load-id]")
    shown = bars.evaluate_all(
        "els => els.map(b => [b.dataset.loadId, b.closest('[data-dock-id]').dataset.dockId])"
    )
    assert len(shown) == len(assignments) > 0
    assert sorted(shown) == sorted([a["load_id"], a["dock_id"]] for a in assignments)
    # Every dock of every hub has its row, even the standby ones with no bar.
    hubs = web_server.api("/api/v1/hubs").json()
    hubs = hubs["items"] if isinstance(hubs, dict) else hubs
    docks = {d["id"] for h in hubs for z in h["zones"] for d in z["docks"]}
    rows = set(
        page.locator("#gantt [data-dock-id]").evaluate_all("els => els.map(r => r.dataset.dockId)")
    )
    assert rows == docks
    # Focusing a bar (Tab, or a hover) shows its load, enterprise and times.
    first = bars.first
    first.focus()
    tooltip = page.locator("#bar-tooltip")
    tooltip.wait_for(state="visible")
    assert first.get_attribute("data-load-id") in tooltip.inner_text()
    page.keyboard.press("Escape")
    tooltip.wait_for(state="hidden")
    last = bars.last
    last.dispatch_event("mouseover")
    tooltip.wait_for(state="visible")
    assert last.get_attribute("data-load-id") in tooltip.inner_text()
    assert console.problems == []


def test_a_broken_sheet_shows_every_bad_row_and_column_and_stores_nothing(web_server, open_page):
    before = web_server.api("/api/v1/loads", role="E01", params={"limit": 1000}).json()["total"]
    page, console = open_page()
    sign_in(page, web_server, "E01")
    page.set_input_files("#sheet", str(BROKEN_SHEET))
    page.click("#check-sheet")
    errors = page.locator("#sheet-errors tbody tr")
    errors.first.wait_for()
    cells = errors.evaluate_all("rows => rows.map(r => [r.dataset.row, r.dataset.column])")
    # fixtures/README.md: row 3 release, row 5 due, row 7 test_time.
    assert ["3", "release"] in cells and ["5", "due"] in cells and ["7", "test_time"] in cells
    # the cell as a spreadsheet names it, and the problem in Chinese (translated from its code)
    first = errors.first.locator("td")
    assert first.nth(0).inner_text().strip() == "F3"
    assert "不是日期时间" in first.nth(3).inner_text()
    assert page.locator("#template-xlsx").get_attribute("href").endswith("/loads/template.xlsx")
    assert page.locator("#confirm-import").count() == 0
    screenshot(page, "loads-sheet-errors-desktop")
    after = web_server.api("/api/v1/loads", role="E01", params={"limit": 1000}).json()["total"]
    assert after == before
    assert console.problems == []


def test_an_enterprise_sees_only_its_own_loads(web_server, open_page):
    own = web_server.api("/api/v1/loads", role="E01", params={"limit": 1000}).json()
    page, console = open_page()
    sign_in(page, web_server, "E01")
    rows = page.locator("#loads-table tbody tr")
    owners = rows.evaluate_all("rs => rs.map(r => r.dataset.enterpriseId)")
    assert owners and set(owners) == {"E01"}
    shown = set(rows.evaluate_all("rs => rs.map(r => r.dataset.rowLoadId)"))
    assert shown == {item["id"] for item in own["items"]}
    assert console.problems == []


def test_english_is_chosen_by_accept_language_and_by_the_switch(web_server, open_page):
    page, _ = open_page(lang="en")
    sign_in(page, web_server, "admin")
    assert page.locator("h1").first.inner_text() == "Hub board"
    assert page.locator("html").get_attribute("lang") == "en"
    page.click(".langswitch a[hreflang='zh-CN']")
    assert page.locator("h1").first.inner_text() == "场站看板"
    page.goto(f"{web_server.base_url}/plans/published")
    assert "排程时间轴" in page.locator("h1").first.inner_text()


PAGES = {  # who signs in -> the pages they see, each saved as a screenshot
    None: [("/login", "login")],
    "admin": [("/board", "board"), ("/plans/published", "timeline")],
    "E01": [("/loads", "loads"), ("/reports", "reports")],
}


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_every_page_renders_cleanly_at_desktop_and_phone_width(web_server, open_page, viewport):
    for role, pages in PAGES.items():
        page, console = open_page(viewport)
        if role:
            sign_in(page, web_server, role)
        for path, name in pages:
            page.goto(f"{web_server.base_url}{path}")
            page.wait_for_load_state("networkidle")
            screenshot(page, f"{name}-{viewport}")
            fits_the_width(page, path, f"{viewport} width")
            assert console.problems == [], f"{path}: {console.problems}"


def test_the_board_is_keyboard_reachable(web_server, open_page):
    page, _ = open_page()
    sign_in(page, web_server, "admin")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    # Tab through the page until the first hub switch button has the focus.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.hasAttribute('data-open-dialog')"):
            break
    else:
        pytest.fail("no hub switch button is reachable with Tab")
    page.keyboard.press("Enter")
    dialog = page.locator("dialog[open]")
    dialog.wait_for()
    assert page.evaluate("document.activeElement.tagName") == "TEXTAREA"
    page.keyboard.press("Escape")
    assert page.locator("dialog[open]").count() == 0


def test_the_timeline_exports_its_plan_as_csv_and_xlsx(web_server, open_page, tmp_path):
    page, console = open_page()
    sign_in(page, web_server, "admin")
    page.goto(f"{web_server.base_url}/plans/published")
    with page.expect_download() as csv_download:
        page.click("a[href$='/export.csv']")
    csv_file = tmp_path / "plan.csv"
    csv_download.value.save_as(csv_file)
    text = csv_file.read_text(encoding="utf-8-sig")
    assert len(text.strip().splitlines()) > len(web_server.published_assignments()) // 2
    with page.expect_download() as xlsx_download:
        page.click("a[href$='/export.xlsx']")
    xlsx_file = tmp_path / "plan.xlsx"
    xlsx_download.value.save_as(xlsx_file)
    assert xlsx_file.read_bytes()[:2] == b"PK", "an XLSX file is a zip archive"
    assert console.problems == []
