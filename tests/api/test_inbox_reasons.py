"""A slot withdrawn at a publish carries the plan's reason detail and params, and the inbox API
says its message in the reader's language with the hub's name (api/inbox.py `said_reasons`),
where it used to give the solver's English sentence with ids and a UTC time."""

from __future__ import annotations

from datetime import UTC, datetime

from api.inbox import said_reasons
from api.web.i18n import translator
from hub_scheduler.records import AudienceKind, Event

ENGLISH = (
    "its pinned slot at XW-TS/TS-AMB3 2026-12-03T07:30:00+00:00 is not available (window, "
    "opening hours, blocked window, grid or another pinned load)"
)


def _withdrawn(reason: dict) -> Event:
    return Event(
        id="e1",
        type="slot.withdrawn",
        at=datetime(2026, 12, 3, 8, 0, tzinfo=UTC),
        audience_kind=AudienceKind("enterprise"),
        audience_id="E02",
        data={"load_id": "L036", "reason": reason},
    )


def test_a_withdrawn_slot_is_said_in_chinese_with_the_hubs_name():
    reason = {
        "code": "CAPACITY",
        "message": ENGLISH,
        "detail": "pinned_slot",
        "params": {"hub": "XW-TS", "dock": "TS-AMB3", "start": "12-03 15:30"},
    }
    names = {"XW-TS": "澄江镇物资中转站"}
    [zh] = said_reasons([_withdrawn(reason)], translator("zh-CN"), names)
    [en] = said_reasons([_withdrawn(reason)], translator("en"), names)
    assert zh.data["reason"]["message"] == (
        "该车锁定的时段（澄江镇物资中转站 车位 TS-AMB3，12-03 15:30 起）不可用"
        "（时间窗、开放时间、封闭时段或其他锁定车辆）。"
    )
    assert "澄江镇物资中转站" in en.data["reason"]["message"]
    assert "XW-TS" not in en.data["reason"]["message"]
    assert (
        zh.data["reason"]["code"] == "CAPACITY" and zh.data["reason"]["params"] == reason["params"]
    )


def test_a_reason_without_a_detail_keeps_its_stored_words():
    old = {"code": "CAPACITY", "message": ENGLISH}  # an event stored before details were kept
    [event] = said_reasons([_withdrawn(old)], translator("zh-CN"), {})
    assert event.data["reason"] == old
