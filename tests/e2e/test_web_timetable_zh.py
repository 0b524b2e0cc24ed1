"""Every page a park manager opens, rendered in zh-CN: no English sentence may show.

Data is not a message: the demo day's names carry English glosses in brackets ("寻乌县物流园区
(county logistics park)"), so bracketed text, ids and plates are taken out before looking.
"""

from __future__ import annotations

import httpx
import pytest
from conftest_web import sign_in
from english_check import english_in, page_text

pytestmark = [pytest.mark.e2e, pytest.mark.db]


PAGES = [
    ("admin", "/board"),
    ("admin", "/plans/published?date=2026-11-28"),
    ("admin", "/plans/{plan_id}"),
    ("admin", "/plans/{plan_id}/timetable/XW-LP"),
    ("admin", "/plans/{plan_id}/timetable/XW-TS?dock=TS-COLD1"),
    ("admin", "/plans/{plan_id}/timetable/NOPE"),  # the 404 page
    ("admin", "/loads"),
    ("admin", "/admin/tokens"),
    ("admin", "/admin/hubs"),
    ("admin", "/admin/hubs/XW-LP"),
    ("admin", "/admin/enterprises"),
    ("admin", "/admin/screening"),
    ("E01", "/loads"),
]


def test_the_detector_finds_english_sentences_and_lets_data_through():
    assert english_in("No plan is published yet.") == ["No plan is published yet"]
    assert english_in("寻乌县物流园区 (county logistics park) · 车位 LP-AMB1 · PDF") == []


@pytest.mark.parametrize(("role", "path"), PAGES)
def test_a_page_in_chinese_shows_no_english_sentence(web_server, open_page, role, path):
    page, _ = open_page(lang="zh-CN")
    sign_in(page, web_server, role)
    page.goto(web_server.base_url + path.format(plan_id=web_server.plan_id))
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert sorted(set(english_in(page_text(page)))) == []


def published(server, language: str) -> list[dict]:
    """The published day's unscheduled loads from the API, asked in `language`."""
    response = httpx.get(
        f"{server.base_url}/api/v1/plans/published",
        params={"date": "2026-11-28"},
        headers={"Authorization": f"Bearer {server.tokens['admin']}", "Accept-Language": language},
        timeout=15,
    )
    assert response.status_code == 200, response.text
    return response.json()["unscheduled"]


def test_the_timeline_writes_each_unscheduled_loads_reason_in_chinese_and_the_api_too(
    web_server, open_page
):
    page, _ = open_page(lang="zh-CN")
    sign_in(page, web_server, "admin")
    page.goto(web_server.base_url + "/plans/published?date=2026-11-28")
    details = page.locator("[data-unscheduled-id] [data-reason-detail]")
    assert details.count() >= 2, "the demo day leaves loads out with a detail each"
    texts = details.all_inner_texts()
    assert any("白名单" in t for t in texts) and any("查验" in t for t in texts), texts
    listed = published(web_server, "zh-CN")
    assert all(u["reason_detail"] and u["message"] for u in listed)
    assert {u["message"] for u in listed} == set(texts)
    english = published(web_server, "en")
    assert any("white-list" in u["message"] for u in english)
