"""A slot already over when its plan is published is not announced as one to come for. A plan
computed as of the day's first minute and published at 10:00 (the new-user trial: the demo's
plan, published late in the day, filled the inbox with "slot confirmed" for slots of the small
hours) tells each enterprise of a slot that ended by 10:00 as `slot.expired` (with the publish's
moment), never `slot.confirmed`; a slot still to end is confirmed as before. A truck whose
slot in force moves to a slot already over hears `slot.expired` with its earlier slot, never
`slot.changed`. The inbox page says it in Chinese (English by the switch). On SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import datetime

import pytest

from api.database import db
from api.settings import EXTENSION
from hub_scheduler.services import events
from models.scenario_store import store_scenario
from tests.api.both_databases import api_database_url  # noqa: F401  (the fixture, both databases)
from tests.api.calls import HORIZON
from tests.api.web_pages import ZH, signed_in

T = datetime.fromisoformat
DAY_START = HORIZON["start"]
TEN = T("2026-11-28T10:00:00+08:00")  # the service's clock when the plans are published
EN = {"Accept-Language": "en"}


def _set_clock(app, moment: datetime) -> None:
    """The service's clock (HUB_SCHEDULER_PLAN_NOW) set to `moment`, as a training day's."""
    settings = app.extensions[EXTENSION]
    app.extensions[EXTENSION] = settings.model_copy(update={"HUB_SCHEDULER_PLAN_NOW": moment})


def _plan(client, tokens, **body) -> int:
    response = client.post(
        "/api/v1/plans",
        json={"horizon": HORIZON, "time_limit_s": 1, "workers": 1, **body},
        headers=tokens["admin"],
    )
    assert response.status_code == 202, response.json
    job = client.get(response.headers["Location"], headers=tokens["admin"]).json
    assert job["status"] == "succeeded", job
    return job["id"]


def _publish(client, tokens, plan_id: int) -> None:
    response = client.post(f"/api/v1/plans/{plan_id}/publish", headers=tokens["admin"])
    assert response.status_code == 200, response.json


def _slot_events(app, xunwu, plan_id: int) -> dict[str, list[dict]]:
    """Every enterprise's slot events of the publish of `plan_id`, by type (their data)."""
    uow = db.uow(app)
    with uow:
        found = uow.events.list([events.enterprise(e.id) for e in xunwu.enterprises], limit=None)
    told: dict[str, list[dict]] = {}
    for event in found:
        if event.type.startswith("slot.") and event.data.get("plan_id") == plan_id:
            told.setdefault(event.type, []).append(event.data)
    return told


def _unscheduled(client, tokens, plan_id: int) -> list[dict]:
    response = client.get(f"/api/v1/plans/{plan_id}/unscheduled?limit=500", headers=tokens["admin"])
    assert response.status_code == 200, response.json
    body = response.json
    return body if isinstance(body, list) else body["items"]


def _ended_by(data: dict, moment: datetime) -> bool:
    return T(data["slot"]["end"]) <= moment


@pytest.fixture
def day(app, client, tokens, uow, xunwu):
    """The Xunwu day stored; the service's clock at 10:00."""
    store_scenario(uow, xunwu)
    _set_clock(app, TEN)


def test_a_slot_over_at_the_publish_is_told_as_expired_and_never_confirmed(
    day, app, client, tokens, xunwu
):
    plan_id = _plan(client, tokens, now=DAY_START)  # as of 00:00, published at 10:00

    _publish(client, tokens, plan_id)

    told = _slot_events(app, xunwu, plan_id)
    expired, confirmed = told.get(events.SLOT_EXPIRED, []), told.get(events.SLOT_CONFIRMED, [])
    assert expired and confirmed, sorted(told)  # the day has slots before 10:00 and after
    assert all(_ended_by(e, TEN) for e in expired), expired
    assert not [e for e in confirmed if _ended_by(e, TEN)]
    for e in expired:
        assert e["previous"] is None
        assert T(e["published_at"]) == TEN and e["published_at"].endswith("+08:00")
    # Every slot the plan gives is told once, as one or the other.
    placed = client.get("/api/v1/plans/published?date=2026-11-28", headers=tokens["admin"]).json
    assert len(expired) + len(confirmed) == len(placed["assignments"])


def test_a_slot_in_force_moved_to_a_slot_already_over_is_expired_with_the_earlier_one(
    day, app, client, tokens, xunwu
):
    morning = _plan(client, tokens, now=DAY_START)  # kept for later: slots from 00:00 on
    from_ten = _plan(client, tokens)  # the clock's: nothing before 10:00
    _publish(client, tokens, from_ten)
    assert events.SLOT_EXPIRED not in _slot_events(app, xunwu, from_ten)

    _publish(client, tokens, morning)

    told = _slot_events(app, xunwu, morning)
    expired = told.get(events.SLOT_EXPIRED, [])
    assert all(_ended_by(e, TEN) for e in expired), expired
    moved = [e for e in expired if e["previous"] is not None]
    assert moved, sorted(told)
    for e in moved:
        assert T(e["previous"]["start"]) >= TEN  # the slot it held, from the 10:00 plan
    # The others had no slot in force: the 10:00 plan left them out (their deadline had passed).
    left_out = {u["load_id"] for u in _unscheduled(client, tokens, from_ten)}
    assert {e["load_id"] for e in expired if e["previous"] is None} <= left_out
    for kind in (events.SLOT_CHANGED, events.SLOT_CONFIRMED):
        assert not [e for e in told.get(kind, []) if _ended_by(e, TEN)], kind


def _inbox_pages(enterprise, headers: dict) -> str:
    """Every page of the signed-in enterprise's inbox (50 a page), as one text."""
    pages, offset = [], 0
    while True:
        page = enterprise.get(f"/inbox?offset={offset}", headers=headers).get_data(as_text=True)
        pages.append(page)
        if "Earlier messages" not in page and "更早的消息" not in page:
            return "".join(pages)
        offset += 50


def test_the_inbox_says_an_expired_slot_in_chinese_and_in_english(day, app, client, tokens, xunwu):
    _publish(client, tokens, _plan(client, tokens, now=DAY_START))
    inbox = client.get("/api/v1/inbox?limit=500", headers=tokens["enterprise"]).json
    mine = [e for e in inbox["events"] if e["type"] == events.SLOT_EXPIRED]
    assert mine and all(e["data"]["enterprise_id"] == "E01" for e in mine)
    shown = mine[0]["data"]

    enterprise = signed_in(app, tokens, "enterprise")
    zh = _inbox_pages(enterprise, ZH)
    assert zh.count("时段发布时已过") == len(mine)
    assert f"11-28 10:00 发布的排程给车次 {shown['load_id']}（" in zh
    assert "卡口将按到场时间重新安排时段" in zh
    en = _inbox_pages(enterprise, EN)
    assert en.count("Slot already over") == len(mine)
    assert f"The plan published at 11-28 10:00 gives load {shown['load_id']} (" in en
