"""The door timetables in headless Chromium against a real gunicorn on the Xunwu demo day:
the page (print CSS, one A4 sheet per dock and shift) and its PDF with Chinese text."""

from __future__ import annotations

import io
import re

import pytest
from conftest_web import screenshot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.db]

HUB = "XW-LP"
HUB_NAME = "寻乌县物流园区"
A4_POINTS = (595, 842)  # 210 x 297 mm


def open_timetable(page, server, query: str = ""):
    page.goto(f"{server.base_url}/plans/{server.plan_id}")
    page.click("#print-timetables summary")
    with page.expect_navigation():
        page.click(f"#print-timetables a:has-text('{HUB_NAME}')")
    assert page.url.endswith(f"/plans/{server.plan_id}/timetable/{HUB}")
    if query:
        page.goto(page.url + query)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_timeline_links_each_hubs_door_sheets_in_chinese(web_server, open_page, viewport):
    page, console = open_page(viewport)
    sign_in(page, web_server, "operator")
    open_timetable(page, web_server)
    assert page.locator("h1").inner_text().startswith("车位作业时刻表 · " + HUB_NAME)
    sheets = page.locator("section.door-sheet").all()
    assert len(sheets) >= 2
    first = sheets[0]
    head = first.locator("thead").inner_text()
    for label in ("时段", "车牌", "企业", "货物", "冷链 / 常温", "消杀完成时间", "接力车辆"):
        assert label in head
    assert re.search(r"(白班|夜班) 2026-11-2\d \d\d:00–\d\d:00", first.inner_text())
    slot = first.locator("tbody tr td.slot").first.inner_text()
    assert re.fullmatch(r"\d\d:\d\d–\d\d:\d\d", slot), "local clock times, not ISO strings"
    # one sheet per dock and shift (the night shifts before and after the day are two shifts)
    keys = [(s.get_attribute("data-dock-id"), s.get_attribute("data-shift-start")) for s in sheets]
    assert len(keys) == len(set(keys))
    body = page.locator("main").inner_text()
    assert not re.search(r"\b(Dock|Plate|Enterprise|Day shift|Night shift|inbound for)\b", body)
    no_overflow = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert no_overflow, "the page itself never scrolls sideways (a wide table scrolls in its card)"
    screenshot(page, f"timetable-{viewport}")
    assert console.problems == []


def test_printing_hides_the_navigation_and_puts_each_sheet_on_its_own_page(web_server, open_page):
    page, _ = open_page()
    sign_in(page, web_server, "admin")
    open_timetable(page, web_server)
    page.emulate_media(media="print")
    assert not page.locator("header.topbar").is_visible()
    assert not page.locator(".page-head").is_visible()
    breaks = page.eval_on_selector_all(
        "section.door-sheet", "els => els.map(e => getComputedStyle(e).breakAfter)"
    )
    assert breaks[:-1] == ["page"] * (len(breaks) - 1) and breaks[-1] == "auto"
    screenshot(page, "timetable-print")


def test_the_pdf_is_a4_in_chinese_with_the_plates_of_the_page(web_server, open_page):
    from pypdf import PdfReader

    page, _ = open_page()
    sign_in(page, web_server, "admin")
    open_timetable(page, web_server, "?dock=LP-AMB1")
    sheets = page.locator("section.door-sheet")
    assert {s.get_attribute("data-dock-id") for s in sheets.all()} == {"LP-AMB1"}
    plates = [p.split("\n")[0] for p in page.locator("td.plate").all_inner_texts()]
    assert plates
    link = page.locator("#timetable-pdf")
    with page.expect_download() as download:
        link.click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= sheets.count()
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == A4_POINTS
    text = "".join(p.extract_text() for p in reader.pages)
    squeezed = re.sub(r"\s+", "", text)
    for word in (HUB_NAME, "车位", "车牌", "消杀完成时间", "白班" if "白班" in text else "夜班"):
        assert word in squeezed, word
    for plate in plates:
        assert re.sub(r"\s+", "", plate) in squeezed, plate


def test_an_unknown_hub_is_a_chinese_404_and_an_enterprise_cannot_open_the_sheets(
    web_server, open_page
):
    page, _ = open_page()
    sign_in(page, web_server, "admin")
    response = page.goto(f"{web_server.base_url}/plans/{web_server.plan_id}/timetable/NOPE")
    assert response.status == 404
    assert "未找到" in page.locator("main").inner_text()
    enterprise, _ = open_page()
    sign_in(enterprise, web_server, "E01")
    response = enterprise.goto(f"{web_server.base_url}/plans/{web_server.plan_id}/timetable/{HUB}")
    assert response.status == 403 or "/login" in enterprise.url
    response = enterprise.request.get(
        f"{web_server.base_url}/plans/{web_server.plan_id}/timetable/{HUB}.pdf"
    )
    assert response.status in (302, 403) and not response.body().startswith(b"%PDF")
