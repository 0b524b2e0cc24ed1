"""A truck is marked as not come only once its slot in force has started: before that it may still
come, so the gate's no-show is refused (409 `no_show_before_slot`, the slot's start in the site's
zone, nothing written); at or after the start it works as before. The time is the gate's (`at`,
else the service's clock). (Before: a no-show at 00:00 freed an 09:00 slot.)"""

from __future__ import annotations

from datetime import datetime, timedelta

from api.moment_words import moment_words
from tests.api.both_databases import api_database_url  # noqa: F401  (SQLite and PostgreSQL)
from tests.api.calls import audit_items

T = datetime.fromisoformat


def _late_slot(published: dict) -> dict:
    """A slot starting some hours into the day (the service's clock is the day's first minute)."""
    return next(
        a
        for a in sorted(published["assignments"], key=lambda a: a["start"])
        if T(a["start"]).hour >= 3
    )


def _no_show(client, tokens, slot: dict, at: datetime | None, language: str = "zh-CN"):
    return client.post(
        f"/api/v1/loads/{slot['load_id']}/no-show?enterprise_id={slot['enterprise_id']}",
        headers={**tokens["operator"], "Accept-Language": language},
        json={"at": at.isoformat()} if at else {},
    )


def _load(client, tokens, slot: dict) -> dict:
    query = f"?enterprise_id={slot['enterprise_id']}"
    return client.get(f"/api/v1/loads/{slot['load_id']}{query}", headers=tokens["admin"]).json


def test_a_no_show_before_the_slot_starts_is_refused_naming_the_start(client, tokens, published):
    slot = _late_slot(published)

    response = _no_show(client, tokens, slot, T(slot["start"]) - timedelta(minutes=30))

    assert response.status_code == 409, response.json
    [error] = response.json["errors"]
    assert error["code"] == "no_show_before_slot" and error["field"] == "at"
    assert error["params"]["slot_start"] == slot["start"]  # the site's zone, +08:00
    assert moment_words(slot["start"]) in response.json["detail"]  # as a page says
    assert "未到场" in response.json["detail"]
    assert "尚未开始" in error["message"]
    assert _load(client, tokens, slot)["status"] == "scheduled"
    key = f"{slot['enterprise_id']}/{slot['load_id']}"
    assert not audit_items(client, tokens["admin"], key, "load.no_show")
    english = _no_show(client, tokens, slot, T(slot["start"]) - timedelta(minutes=1), "en")
    assert english.status_code == 409 and slot["start"] in english.json["detail"]


def test_a_no_show_at_the_services_clock_before_the_slot_is_refused(client, tokens, published):
    slot = _late_slot(published)  # the clock (HUB_SCHEDULER_PLAN_NOW) is 00:00 that day

    response = _no_show(client, tokens, slot, None)

    assert response.status_code == 409, response.json
    assert response.json["errors"][0]["code"] == "no_show_before_slot"


def test_a_no_show_at_or_after_the_slots_start_frees_it_as_before(client, tokens, published):
    slot = _late_slot(published)
    later = sorted(published["assignments"], key=lambda a: a["start"])[-1]

    at_start = _no_show(client, tokens, slot, T(slot["start"]))
    after = _no_show(client, tokens, later, T(later["start"]) + timedelta(minutes=20))

    assert at_start.status_code == 200, at_start.json
    assert after.status_code == 200, after.json
    assert _load(client, tokens, slot)["status"] == "no_show"
    assert _load(client, tokens, later)["status"] == "no_show"
    # The plan in force frees both docks at once and counts them no more (the trial's no-show
    # was still shown on its dock, and counted placed, until the next publish).
    day = slot["start"][:10]
    now = client.get(f"/api/v1/plans/published?date={day}", headers=tokens["admin"]).json
    held = {(a["enterprise_id"], a["load_id"]) for a in now["assignments"]}
    assert (slot["enterprise_id"], slot["load_id"]) not in held
    assert (later["enterprise_id"], later["load_id"]) not in held
    assert now["plan"]["placed"] == len(now["assignments"]) == len(published["assignments"]) - 2


def test_the_gate_page_says_the_slot_has_not_started_and_redirects_once_it_has(
    app, client, tokens, published, monkeypatch
):
    from api.web.signin import CSRF_FIELD
    from tests.api.web_pages import ZH, csrf, signed_in

    slot = _late_slot(published)
    operator = signed_in(app, tokens, "operator")
    token = csrf(operator, "/gate?date=2026-11-28")
    path = f"/gate/loads/{slot['enterprise_id']}/{slot['load_id']}/no-show"
    form = {CSRF_FIELD: token, "date": "2026-11-28"}
    monkeypatch.setattr("api.web.gate.now", lambda: T(slot["start"]) - timedelta(minutes=10))

    refused = operator.post(path, data=form, headers=ZH)

    assert refused.status_code == 409
    shown = T(slot["start"]).strftime("%Y-%m-%d %H:%M")
    assert f"排定时段 {shown} 尚未开始，不能记为未到场" in refused.get_data(as_text=True)
    assert _load(client, tokens, slot)["status"] == "scheduled"

    monkeypatch.setattr("api.web.gate.now", lambda: T(slot["start"]))
    done = operator.post(path, data=form, headers=ZH)

    assert done.status_code == 303  # post/redirect/get
    assert _load(client, tokens, slot)["status"] == "no_show"
