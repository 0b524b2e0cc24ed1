"""An enterprise changes a load's ETA on its loads page (`POST /loads/<id>/eta`), through the same
checks and service as `PATCH /api/v1/loads/{id}`: the repaired slot and why it is not earlier are
said on the page in Chinese (English by the switch); another enterprise's load is a 404 page; a
bad time is a Chinese error and nothing is written; the form needs its CSRF token. On SQLite and
PostgreSQL. (Before: the pages had no ETA form; only the API could change a load.)

The day is `test_gate_late_reasons.one_dock_day`: load A 10:00 (due 11:00) and B 11:15-12:15 on
the one dock D1 of T1, disinfected 10 min: A arriving 10:45 gets 12:30, dock D1 busy (H3)."""

from __future__ import annotations

import re

from api.web.signin import CSRF_FIELD
from tests.api import test_gate_late_reasons
from tests.api.both_databases import api_database_url  # noqa: F401  (SQLite and PostgreSQL)
from tests.api.web_pages import csrf, signed_in

ZH = {"Accept-Language": "zh-CN"}
PAGE = "/loads?date=2026-11-28"
one_dock_day = test_gate_late_reasons.one_dock_day  # the day above, as a fixture here
ASCII_WORD = re.compile(r"[A-Za-z]")


def _load(client, tokens) -> dict:
    return client.get("/api/v1/loads/A", headers=tokens["enterprise"]).json


def _post(web, data: dict, path: str = "/loads/A/eta?enterprise_id=E01"):
    form = {CSRF_FIELD: csrf(web, PAGE), **data}
    return web.post(path, data=form, headers=ZH)


def _after(web, response) -> str:
    assert response.status_code == 303, response.get_data(as_text=True)
    return web.get(response.headers["Location"], headers=ZH).get_data(as_text=True)


def test_the_loads_page_offers_the_form_for_a_load_that_may_still_change(app, tokens, one_dock_day):
    page = signed_in(app, tokens, "enterprise").get(PAGE, headers=ZH).get_data(as_text=True)
    assert page.count("修改预计到达</summary>") == 2  # A and B, both scheduled
    assert 'action="/loads/A/eta?enterprise_id=E01"' in page
    assert 'name="release" type="datetime-local" required value="2026-11-28T10:00"' in page


def test_a_later_eta_repairs_the_slot_and_says_why_in_chinese_then_english(
    app, client, tokens, one_dock_day
):
    web = signed_in(app, tokens, "enterprise")
    page = _after(web, _post(web, {"release": "2026-11-28T10:45", "due": "2026-11-28T11:00"}))
    assert "车次 A 的预计到达已改为 11-28 10:45。" in page
    said = "测试场站 车位 D1 在 11:15–12:15 已被占用，并需消杀至 12:25（H3）。"
    assert "时段已调整为 11-28 12:30 开始。 没有更早的可用时段，原因： " + said in page
    load = _load(client, tokens)
    assert load["release"] == "2026-11-28T10:45:00+08:00"
    assert load["slot_changed"]["params"]["new_start"] == "2026-11-28T12:30:00+08:00"

    web.get("/language/en?next=/loads")
    page = _after(web, _post(web, {"release": "2026-11-28T10:50", "due": "2026-11-28T11:00"}))
    assert "Load A: the arrival is now 11-28 10:50." in page
    assert "Its slot moved to 11-28 12:30." in page
    assert "测试场站 dock D1 is taken 11:15–12:15 and disinfected until 12:25 (H3)." in page


def test_an_earlier_eta_keeps_the_slot_and_says_so(app, client, tokens, one_dock_day):
    web = signed_in(app, tokens, "enterprise")
    page = _after(web, _post(web, {"release": "2026-11-28T09:30", "due": ""}))
    assert "车次 A 的预计到达已改为 11-28 09:30。" in page
    assert "时段不变：11-28 10:00–11:00。" in page
    assert _load(client, tokens)["due"] == "2026-11-28T11:00:00+08:00"  # an empty due: kept


def test_another_enterprises_load_is_a_404_and_stays_as_it_was(app, client, tokens, one_dock_day):
    other = signed_in(app, tokens, "other_enterprise")
    before = _load(client, tokens)
    for path in ("/loads/A/eta?enterprise_id=E01", "/loads/A/eta", "/loads/E01%2FA/eta"):
        refused = _post(other, {"release": "2026-11-28T10:45"}, path)
        assert refused.status_code == 404, path
        assert "未找到" in refused.get_data(as_text=True)
    assert _load(client, tokens) == before
    own = _post(signed_in(app, tokens, "enterprise"), {"release": "2026-11-28T09:30"})
    assert own.status_code == 303  # the same form, the load's own enterprise


def test_a_bad_time_is_a_chinese_error_and_nothing_changes(app, client, tokens, one_dock_day):
    web = signed_in(app, tokens, "enterprise")
    before = _load(client, tokens)
    cases = [
        ({"release": "明天上午"}, "预计到达：不是有效的日期和时间"),
        ({"release": ""}, "请填写新的预计到达时间。"),
        ({"release": "2026-11-28T12:00", "due": "2026-11-28T11:00"}, "期望完成：不能早于预计到达"),
        (
            {"release": "2036-11-28T10:00", "due": "2036-11-28T11:00"},
            "预计到达：须在今天前后 5 年以内",
        ),
    ]
    for data, words in cases:
        page = _after(web, _post(web, data))
        assert "车次 A 的预计到达未修改。" in page and words in page, data
        said = re.findall(r'<p class="flash flash-error">([^<]*)</p>', page)
        assert len(said) >= 2 and all(ASCII_WORD.search(s.replace(" A ", "")) is None for s in said)
    assert _load(client, tokens) == before


def test_the_form_needs_its_csrf_token(app, client, tokens, one_dock_day):
    web = signed_in(app, tokens, "enterprise")
    before = _load(client, tokens)
    for token in (None, "guess"):
        data = {"release": "2026-11-28T10:45"} | ({CSRF_FIELD: token} if token else {})
        refused = web.post("/loads/A/eta?enterprise_id=E01", data=data, headers=ZH)
        assert refused.status_code == 400
        assert "表单已过期" in refused.get_data(as_text=True)
    assert _load(client, tokens) == before


def test_a_checked_in_load_can_no_longer_change(app, client, tokens, one_dock_day):
    checked = client.post(
        "/api/v1/loads/A/check-in",
        json={"at": "2026-11-28T09:55:00+08:00", "has_pass": True},
        headers=tokens["operator"],
    )
    assert checked.status_code == 200, checked.json
    web = signed_in(app, tokens, "enterprise")
    page = web.get(PAGE, headers=ZH).get_data(as_text=True)
    assert page.count("修改预计到达</summary>") == 1  # B only
    before = _load(client, tokens)
    page = _after(web, _post(web, {"release": "2026-11-28T10:45"}))
    assert "车次“A”当前为" in page and "已不能修改" in page
    assert _load(client, tokens) == before
