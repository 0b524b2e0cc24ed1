"""The inbox page (issue 13): every event type as a Chinese title and sentence with its
parameters, times in the site's zone, unread ones marked and counted in the nav, "mark all
read"; an enterprise sees only its own events, the admin the command centre's (also on the
board); English by the switch. On SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest

from api.web.signin import CSRF_FIELD
from hub_scheduler.services import events
from tests.api.both_databases import api_database_url  # noqa: F401  (the fixture, both databases)
from tests.api.web_pages import ZH, csrf, publish_day, signed_in

EN = {"Accept-Language": "en"}
AT = "2026-11-28T09:05:00+08:00"  # payload times are in the site's zone already
SLOT = {
    "hub_id": "XW-LP",
    "zone_id": "Z1",
    "dock_id": "D2",
    "start": AT,
    "end": "2026-11-28T09:35:00+08:00",
}


def _emit_every_type(uow) -> None:
    """One event of every type, as the services write them (E01's, the command centre's and a
    hub's), plus one for E02 that E01 must never see."""
    e01, e02 = events.enterprise("E01"), events.enterprise("E02")
    slot = {"load_id": "L-1", "enterprise_id": "E01", "vehicle_plate": "赣B12345"}
    with uow:
        events.emit(uow, events.SLOT_CONFIRMED, [e01], {**slot, "slot": SLOT, "previous": None})
        events.emit(uow, events.SLOT_CHANGED, [e01], {**slot, "slot": SLOT, "previous": SLOT})
        events.emit(
            uow,
            events.SLOT_WITHDRAWN,
            [e01],
            {
                **slot,
                "slot": None,
                "previous": SLOT,
                "reason": {"code": "HUB_CLOSED", "hub_id": "XW-LP", "message": "closed"},
            },
        )
        events.emit(
            uow,
            events.SCREENING_FAILED,
            [e01, events.COMMAND],
            {
                **slot,
                "at": AT,
                "hub_id": "XW-LP",
                "failed_checks": ["HEALTH_CODE: The health code is yellow", "FEVER: 38.1 °C"],
            },
        )
        events.emit(
            uow,
            events.HUB_STATUS_CHANGED,
            [events.COMMAND, e01],
            {
                "hub_id": "XW-LP",
                "hub_name": "寻乌物流园",
                "from": "active",
                "to": "suspended",
                "reason": "附近发现阳性病例",
            },
        )
        events.emit(
            uow,
            events.INCIDENT_REPORTED,
            [events.COMMAND],
            {
                "incident_id": "INC-7",
                "reported_at": AT,
                "vehicle_plate": "赣B99999",
                "load_id": "L-9",
                "blocked_window_ids": [],
                "cancelled_load_ids": ["L-9"],
                "contacts": 3,
                "hubs_ahead": ["XW-LP"],
                "plan_id": None,
            },
        )
        events.emit(
            uow,
            events.PLAN_PUBLISHED,
            [events.COMMAND],
            {
                "plan_id": 12,
                "horizon": {
                    "start": "2026-11-28T00:00:00+08:00",
                    "end": "2026-11-29T00:00:00+08:00",
                },
                "placed": 40,
                "unscheduled": 2,
                "by_hub": {"XW-LP": 40},
            },
        )
        events.emit(
            uow,
            events.REPORT_ANSWERED,
            [e01],
            {"report_id": 3, "number": "R-3", "answer": "已联系卡口放行"},
        )
        events.emit(
            uow,
            events.SLOT_CONFIRMED,
            [e02],
            {
                "load_id": "L-2",
                "enterprise_id": "E02",
                "vehicle_plate": "赣C55555",
                "slot": SLOT,
                "previous": None,
            },
        )
        uow.commit()


def _list_text(page: str) -> str:
    found = re.search(r'<ol class="inbox" id="inbox-list">(.*?)</ol>', page, re.S)
    assert found, page
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1)))


def _english_words(text: str, scenario) -> list[str]:
    """Runs of two or more English words (ids like XW-LP or L-1 are not words; the fixture's hub
    names are data, in English, and left out)."""
    for hub in scenario.hubs:
        text = text.replace(hub.name or hub.id, hub.id)
    return re.findall(r"\b[A-Za-z]{2,}(?: [A-Za-z]{2,})+\b", text)


@pytest.fixture
def enterprise(app, tokens):
    return signed_in(app, tokens, "enterprise")


def test_an_enterprise_reads_its_events_in_chinese_with_times_in_the_site_zone(
    enterprise, uow, seeded
):
    _emit_every_type(uow)
    page = enterprise.get("/inbox", headers=ZH)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    text = _list_text(html)
    assert "时段已确认" in text and "车次 L-1（赣B12345）已排定" in text
    assert "11-28 09:05–09:35" in text  # the site's zone, not UTC (01:05)
    assert "时段已变更" in text and "原为 11-28 09:05–09:35" in text
    assert "原因：场站已关闭" in text
    assert "查验未通过" in text and "健康码非绿码、发热" in text
    assert "寻乌物流园现为“已暂停”（原为“运行中”）" in text
    assert "您的问题反映 R-3 已有答复：已联系卡口放行" in text
    assert _english_words(text, seeded) == [], _english_words(text, seeded)
    # Only E01's events: not E02's load, nor the command centre's incident or plan
    assert "L-2" not in html and "赣C55555" not in html
    assert "INC-7" not in html and "排程已发布" not in text
    assert html.count('data-unread="true"') == 6
    assert '<span class="nav-count" aria-hidden="true">6</span>' in html
    assert "全部标为已读" in html


def test_mark_all_read_clears_the_marks_and_the_nav_count(enterprise, uow, seeded):
    _emit_every_type(uow)
    token = csrf(enterprise, "/inbox")
    done = enterprise.post("/inbox/read", data={CSRF_FIELD: token}, headers=ZH)
    assert done.status_code == 303
    html = enterprise.get("/inbox", headers=ZH).get_data(as_text=True)
    assert 'data-unread="true"' not in html and html.count('data-unread="false"') == 6
    assert "nav-count" not in html
    assert "消息已全部标为已读" in html
    assert "0 条未读" in html
    # E02's event is untouched
    other = events.unread_count(uow, _principal("E02"))
    assert other == 1


def _principal(enterprise_id: str):
    from hub_scheduler.records import Role
    from hub_scheduler.services.principal import Principal

    return Principal(role=Role.ENTERPRISE, actor="t", enterprise_id=enterprise_id)


def test_the_admin_reads_the_command_centre_and_sees_the_latest_on_the_board(
    app, tokens, uow, seeded
):
    _emit_every_type(uow)
    admin = signed_in(app, tokens, "admin")
    text = _list_text(admin.get("/inbox", headers=ZH).get_data(as_text=True))
    assert (
        "发现阳性司机" in text and "事件 INC-7（11-28 09:05）：取消 1 车次，密接车辆 3 辆" in text
    )
    assert "2026-11-28 的排程 #12 已生效：40 车有时段，2 车未排上" in text
    assert "赣B12345" in text  # the command centre sees the plate of a failed screening
    assert "L-2" not in text and "R-3" not in text  # no enterprise's own events
    assert _english_words(text, seeded) == [], _english_words(text, seeded)
    board = admin.get("/board", headers=ZH).get_data(as_text=True)
    latest = re.search(r'id="board-inbox">(.*?)</section>', board, re.S).group(1)
    assert "最新消息" in latest and "排程已发布" in latest and "发现阳性司机" in latest
    assert latest.count('class="inbox-item') == 4  # the command centre's four events


def test_an_operator_reads_the_hubs_events_after_a_publish(app, client, tokens, uow, xunwu):
    publish_day(client, tokens, uow, xunwu)
    operator = signed_in(app, tokens, "operator")
    page = operator.get("/inbox", headers=ZH)
    assert page.status_code == 200
    text = _list_text(page.get_data(as_text=True))
    assert "排程已发布" in text and "的排程 #" in text
    assert _english_words(text, xunwu) == []
    board = operator.get("/board", headers=ZH).get_data(as_text=True)
    assert 'id="board-inbox"' not in board  # the board's messages are the command centre's


def test_a_hubs_publish_message_keeps_a_space_after_the_hub_name(app, client, tokens, uow, xunwu):
    """(Before: "已生效：寻乌县物流园区 (county logistics park)共 131 车。")"""
    publish_day(client, tokens, uow, xunwu)
    operator = signed_in(app, tokens, "operator")
    text = _list_text(operator.get("/inbox", headers=ZH).get_data(as_text=True))
    said = re.findall(r"已生效：(.+?) 共 (\d+) 车。", text)
    assert {name for name, _ in said} == {hub.name for hub in xunwu.hubs if hub.status == "active"}
    assert not re.search(r"\S共 \d+ 车", text)


def test_english_by_the_switch(enterprise, uow, seeded):
    _emit_every_type(uow)
    text = _list_text(enterprise.get("/inbox", headers=EN).get_data(as_text=True))
    assert "Slot confirmed" in text and "Load L-1 (赣B12345) has a slot at" in text
    assert "is withdrawn: the hub closed." in text


def test_signed_out_goes_to_sign_in_and_a_bad_offset_is_no_error(app, enterprise, seeded):
    anonymous = app.test_client()
    assert anonymous.get("/inbox").status_code == 302
    assert anonymous.post("/inbox/read").status_code in (302, 303)
    assert enterprise.get("/inbox?offset=abc", headers=ZH).status_code == 200


def test_the_admin_reads_a_contact_let_in_at_the_gate_in_chinese(app, tokens, uow, seeded):
    with uow:
        events.emit(
            uow,
            events.CONTACT_LET_IN,
            [events.COMMAND],
            {
                "load_id": "L-9",
                "enterprise_id": "E01",
                "vehicle_plate": "赣B12345",
                "incident_ids": [7],
                "kinds": ["same_dock_after"],
                "note": "司机复检阴性",
                "at": AT,
                "hub_id": "XW-LP",
                "actor": "gate-1",
            },
        )
        uow.commit()
    admin = signed_in(app, tokens, "admin")
    text = _list_text(admin.get("/inbox", headers=ZH).get_data(as_text=True))
    assert "密接车辆经放行入场" in text
    assert "车次 L-9（赣B12345）为未结束事件 7 的密接车辆，于 11-28 09:05 经卡口人员放行" in text
    assert "司机复检阴性" in text
    assert _english_words(text, seeded) == [], _english_words(text, seeded)
