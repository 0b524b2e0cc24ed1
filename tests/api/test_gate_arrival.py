"""The gate's answers about time: an arrival later than now (beyond a small clock skew) is refused
with a 422 naming `at`, on the API and the gate page, and nothing changes (before: the truck was
checked in at 07:30 while it was 01:31, its slot moved and another truck pushed back); a truck
that comes after its due is told so, also when it is early for its slot (before: only "early: wait
14 min"). On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta

from api.web.signin import CSRF_FIELD
from hub_scheduler.services.gate_times import ARRIVAL_CLOCK_SKEW
from hub_scheduler.services.jobs import utc_now
from tests.api.both_databases import api_database_url  # noqa: F401  (the fixture, both databases)
from tests.api.calls import audit_items
from tests.api.calls import in_force as in_force_now
from tests.api.web_pages import ZH, csrf, signed_in

DAY = "2026-11-28"
EN = {"Accept-Language": "en"}
PASS = {"has_pass": True}


def _first(in_force: dict) -> dict:
    return min(in_force["assignments"], key=lambda a: a["start"])


def _load(client, tokens, slot: dict) -> dict:
    return client.get(f"/api/v1/loads/{slot['load_id']}", headers=tokens["admin"]).json


def _api_check_in(client, tokens, slot: dict, at: datetime):
    return client.post(
        f"/api/v1/loads/{slot['load_id']}/check-in",
        headers=tokens["operator"],
        json={"at": at.isoformat(), **PASS},
    )


def _page_check_in(page, slot: dict, at: datetime, headers: dict):
    local = at.astimezone(datetime.fromisoformat(slot["start"]).tzinfo)
    data = {
        CSRF_FIELD: csrf(page, "/gate?date=" + DAY),
        "date": DAY,
        "plate": "",
        "has_pass": "on",
        "at": local.strftime("%Y-%m-%dT%H:%M"),
    }
    return page.post(f"/gate/loads/{slot['load_id']}/check-in", data=data, headers=headers)


def _unchanged(client, tokens, slot: dict, before: dict, plan_before: dict) -> None:
    """The load, its audit and the plan in force are as they were."""
    after = _load(client, tokens, slot)
    assert after["status"] == "scheduled" and after.get("arrived_at") is None
    assert after == before
    actions = [e["action"] for e in audit_items(client, tokens["admin"], slot["load_id"])]
    assert "load.check_in" not in actions and "load.repair" not in actions
    assert in_force_now(client, tokens)["assignments"] == plan_before["assignments"]


def test_an_arrival_in_the_future_is_refused_naming_at_and_nothing_changes(
    client, tokens, in_force
):
    slot = _first(in_force)
    before = _load(client, tokens, slot)
    plan_before = in_force_now(client, tokens)
    at = utc_now() + timedelta(hours=6)
    response = _api_check_in(client, tokens, slot, at)
    assert response.status_code == 422, response.json
    assert response.mimetype == "application/problem+json"
    [error] = response.json["errors"]
    assert error["field"] == "at" and error["code"] == "arrival_in_future"
    # the times in the site's zone (the fixture's site is Asia/Shanghai)
    assert error["params"]["at"].endswith("+08:00")
    assert datetime.fromisoformat(error["params"]["at"]) == at.replace(
        microsecond=0
    )  # to the second
    assert error["params"]["now"].endswith("+08:00")
    assert "future" in error["message"]
    _unchanged(client, tokens, slot, before, plan_before)


def test_an_arrival_within_the_clock_skew_is_taken(client, tokens, in_force):
    slot = _first(in_force)
    at = utc_now() + ARRIVAL_CLOCK_SKEW - timedelta(minutes=1)
    response = _api_check_in(client, tokens, slot, at)
    assert response.status_code == 200, response.json
    assert _load(client, tokens, slot)["status"] == "checked_in"


def test_the_gate_page_refuses_an_arrival_in_the_future_in_chinese_and_english(
    app, client, tokens, in_force
):
    operator = signed_in(app, tokens, "operator")
    slot = _first(in_force)
    before = _load(client, tokens, slot)
    plan_before = in_force_now(client, tokens)
    at = utc_now() + timedelta(hours=6)
    shown = at.astimezone(datetime.fromisoformat(slot["start"]).tzinfo).strftime("%Y-%m-%d %H:%M")
    response = _page_check_in(operator, slot, at, ZH)
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "入场未登记，请修改标出的字段。" in text
    assert f"到达时间（{shown}）晚于当前时间" in text and "不能填写将来的时间" in text
    response = _page_check_in(operator, slot, at, EN)
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert f"The arrival ({shown}) is later than now" in text
    _unchanged(client, tokens, slot, before, plan_before)


def _due_before(client, tokens, slot: dict) -> datetime:
    """Make the load of `slot` due at its release (before its slot), as T-LATE was."""
    release = datetime.fromisoformat(_load(client, tokens, slot)["release"])
    patched = client.patch(
        f"/api/v1/loads/{slot['load_id']}",
        json={"due": release.isoformat()},
        headers=tokens["admin"],
    )
    assert patched.status_code == 200, patched.json
    return release


def test_an_early_truck_past_its_due_is_told_both_on_the_api(client, tokens, in_force):
    slot = _first(in_force)
    due = _due_before(client, tokens, slot)
    at = datetime.fromisoformat(slot["start"]) - timedelta(minutes=2)
    assert due < at
    body = _api_check_in(client, tokens, slot, at).json
    assert body["reason"] is None and body["wait_minutes"] == 2
    assert body["notice"] == {"code": "DUE_PASSED", "params": {"due": due.isoformat()}}


def test_an_early_truck_past_its_due_is_told_both_on_the_gate_page(app, client, tokens, in_force):
    operator = signed_in(app, tokens, "operator")
    slot = _first(in_force)
    due = _due_before(client, tokens, slot)
    at = datetime.fromisoformat(slot["start"]) - timedelta(minutes=2)
    response = _page_check_in(operator, slot, at, ZH)
    assert response.status_code == 303
    text = operator.get(response.headers["Location"], headers=ZH).get_data(as_text=True)
    assert "提前到达：请等待 2 分钟" in text
    assert f"已过期望完成时间（{due.strftime('%m-%d %H:%M')}）。" in text


def test_a_truck_before_its_due_is_not_told_it_is_late(client, tokens, in_force):
    slot = _first(in_force)
    load = _load(client, tokens, slot)
    at = datetime.fromisoformat(slot["start"]) - timedelta(minutes=5)
    assert at < datetime.fromisoformat(load["due"])
    body = _api_check_in(client, tokens, slot, at).json
    assert body["notice"] is None


def _step(client, tokens, slot: dict, step: str, at: datetime):
    return client.post(
        f"/api/v1/loads/{slot['load_id']}/{step}",
        headers=tokens["operator"],
        json={"at": at.isoformat()},
    )


def _refused_in_future(client, tokens, slot: dict, step: str) -> None:
    """`step` at a time 6 h ahead: 422 naming `at` (code, params in the site's zone), and the
    load and its audit are as they were."""
    before = _load(client, tokens, slot)
    actions_before = audit_items(client, tokens["admin"], slot["load_id"])
    at = utc_now() + timedelta(hours=6)
    response = _step(client, tokens, slot, step, at)
    assert response.status_code == 422, response.json
    assert response.mimetype == "application/problem+json"
    [error] = response.json["errors"]
    assert error["field"] == "at" and error["code"] == "time_in_future"
    assert datetime.fromisoformat(error["params"]["at"]) == at.replace(
        microsecond=0
    )  # to the second
    assert error["params"]["at"].endswith("+08:00") and error["params"]["now"].endswith("+08:00")
    assert _load(client, tokens, slot) == before
    assert audit_items(client, tokens["admin"], slot["load_id"]) == actions_before


def test_start_complete_and_no_show_in_the_future_are_refused_naming_at(client, tokens, in_force):
    slot = _first(in_force)
    _refused_in_future(client, tokens, slot, "no-show")
    assert _api_check_in(client, tokens, slot, utc_now()).status_code == 200
    _refused_in_future(client, tokens, slot, "start")
    assert _step(client, tokens, slot, "start", utc_now()).status_code == 200
    _refused_in_future(client, tokens, slot, "complete")
    # within the clock skew the step is taken, as an arrival is
    soon = utc_now() + ARRIVAL_CLOCK_SKEW - timedelta(minutes=1)
    response = _step(client, tokens, slot, "complete", soon)
    assert response.status_code == 200, response.json
    completed = _load(client, tokens, slot)
    assert completed["status"] == "completed"
    assert datetime.fromisoformat(completed["completed_at"]) == soon.replace(
        microsecond=0
    )  # shown to the second
