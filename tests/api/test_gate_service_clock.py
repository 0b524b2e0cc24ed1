"""The gate judges "in the future" by the service's clock (HUB_SCHEDULER_PLAN_NOW, a demo or
training day's now) when it runs ahead of the real one, as the incidents do
(`gate_times.gate_time`):
a check-in, start, completion or no-show at the service's now is taken (before: refused, since the
gate compared with the real clock while its pages offered the service's now), one an hour after it
is still refused (422 `arrival_in_future` / `time_in_future` naming `at`); a gate step without a
time is taken at the service's now. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from api.settings import EXTENSION
from api.web.signin import CSRF_FIELD
from hub_scheduler.services.jobs import utc_now
from tests.api.both_databases import api_database_url  # noqa: F401  (the fixture, both databases)
from tests.api.web_pages import ZH, csrf, signed_in

DAY = "2026-11-28"
PASS = {"has_pass": True}


@pytest.fixture
def ahead(app, in_force) -> datetime:
    """The day planned and published; then the service's clock set two days ahead of the real
    one (a demo day run ahead of the calendar), to the minute."""
    moment = (utc_now() + timedelta(days=2)).replace(second=0, microsecond=0)
    settings = app.extensions[EXTENSION]
    app.extensions[EXTENSION] = settings.model_copy(update={"HUB_SCHEDULER_PLAN_NOW": moment})
    return moment


def _slots(in_force: dict) -> list[dict]:
    return sorted(in_force["assignments"], key=lambda a: a["start"])


def _post(client, tokens, slot: dict, step: str, body: dict):
    return client.post(
        f"/api/v1/loads/{slot['load_id']}/{step}", headers=tokens["operator"], json=body
    )


def _refused(response, code: str) -> None:
    assert response.status_code == 422, response.json
    [error] = response.json["errors"]
    assert error["field"] == "at" and error["code"] == code, error


def test_a_check_in_at_the_services_now_passes_and_an_hour_later_is_refused(
    client, tokens, in_force, ahead
):
    first, second, *_ = _slots(in_force)
    later = _post(
        client, tokens, first, "check-in", {"at": (ahead + timedelta(hours=1)).isoformat(), **PASS}
    )
    _refused(later, "arrival_in_future")
    assert datetime.fromisoformat(later.json["errors"][0]["params"]["now"]) == ahead

    now = _post(client, tokens, first, "check-in", {"at": ahead.isoformat(), **PASS})
    assert now.status_code == 200, now.json
    assert now.json["load"]["status"] == "checked_in"
    assert datetime.fromisoformat(now.json["load"]["arrived_at"]) == ahead

    # Without a time: the service's now, not the real clock's.
    unstated = _post(client, tokens, second, "check-in", PASS)
    assert unstated.status_code == 200, unstated.json
    assert datetime.fromisoformat(unstated.json["load"]["arrived_at"]) == ahead


def test_the_gate_steps_take_the_services_now_and_refuse_beyond_it(client, tokens, in_force, ahead):
    first, second, *_ = _slots(in_force)
    assert _post(client, tokens, first, "check-in", {"at": ahead.isoformat(), **PASS}).status_code
    hour_later = {"at": (ahead + timedelta(hours=1)).isoformat()}
    _refused(_post(client, tokens, first, "start", hour_later), "time_in_future")

    started = _post(client, tokens, first, "start", {"at": ahead.isoformat()})
    assert started.status_code == 200, started.json
    assert datetime.fromisoformat(started.json["started_at"]) == ahead
    _refused(_post(client, tokens, first, "complete", hour_later), "time_in_future")
    completed = _post(client, tokens, first, "complete", {})
    assert completed.status_code == 200, completed.json
    assert datetime.fromisoformat(completed.json["completed_at"]) == ahead

    _refused(_post(client, tokens, second, "no-show", hour_later), "time_in_future")
    gone = _post(client, tokens, second, "no-show", {"at": ahead.isoformat()})
    assert gone.status_code == 200 and gone.json["status"] == "no_show", gone.json


def test_the_gate_page_checks_in_at_the_services_now(app, client, tokens, in_force, ahead):
    first = _slots(in_force)[0]
    page = signed_in(app, tokens, "operator")
    data = {CSRF_FIELD: csrf(page, "/gate?date=" + DAY), "date": DAY, "plate": "", "has_pass": "on"}
    response = page.post(f"/gate/loads/{first['load_id']}/check-in", data=data, headers=ZH)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    load = client.get(f"/api/v1/loads/{first['load_id']}", headers=tokens["admin"]).json
    assert load["status"] == "checked_in"
    assert datetime.fromisoformat(load["arrived_at"]) == ahead
