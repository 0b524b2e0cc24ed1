"""The gate list marks a truck whose slot has ended (by the service's clock) and that has not
arrived: 已过时段，未到场 (English by the switch), a row class and a badge beside its words, so the
operator records a no-show or a late check-in. A minute before the slot's end it is not marked; a
truck checked in on time is never marked, even long after its slot. (Before: only the no-show
button, the same on every row.) On SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from api.settings import EXTENSION
from tests.api.both_databases import api_database_url  # noqa: F401  (the fixture, both databases)
from tests.api.web_pages import ZH, signed_in

DAY = "2026-11-28"


@pytest.fixture
def operator(app, tokens):
    return signed_in(app, tokens, "operator")


def _set_clock(app, moment: datetime) -> None:
    """The service's clock (HUB_SCHEDULER_PLAN_NOW) set to `moment`, as a training day's."""
    settings = app.extensions[EXTENSION]
    app.extensions[EXTENSION] = settings.model_copy(update={"HUB_SCHEDULER_PLAN_NOW": moment})


def _row(page: str, load_id: str) -> str:
    found = re.search(
        rf'<li class="card gate-row[^"]*"[^>]*data-load-id="{load_id}".*?</li>', page, re.S
    )
    assert found is not None, f"no gate row for {load_id}"
    return found.group(0)


def _gate(operator, headers=ZH) -> str:
    response = operator.get(f"/gate?date={DAY}", headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_truck_past_its_slot_and_not_arrived_is_marked_and_a_checked_in_one_never(
    app, client, tokens, operator, in_force
):
    slots = sorted(in_force["assignments"], key=lambda a: (a["start"], a["load_id"]))
    late, on_time = slots[0], slots[1]
    late_end = datetime.fromisoformat(late["end"])
    on_time_end = datetime.fromisoformat(on_time["end"])

    # A minute before the slot ends: not marked (the truck may still come in its slot).
    _set_clock(app, late_end - timedelta(minutes=1))
    before = _row(_gate(operator), late["load_id"])
    assert 'data-status="scheduled"' in before
    assert "is-overdue" not in before and "已过时段，未到场" not in before

    # A minute after both slots ended: both trucks not come are marked.
    _set_clock(app, max(late_end, on_time_end) + timedelta(minutes=1))
    page = _gate(operator)
    after = _row(page, late["load_id"])
    assert 'class="card gate-row status-row-scheduled is-overdue"' in after
    assert 'data-overdue="true"' in after
    assert '<span class="badge gate-overdue" data-role="overdue">已过时段，未到场</span>' in after
    assert 'data-role="no-show"' in after  # the operator can act on it here
    assert "已过时段，未到场" in _row(page, on_time["load_id"])

    # The other truck is recorded as come on time (its slot's start): never marked since.
    checked = client.post(
        f"/api/v1/loads/{on_time['load_id']}/check-in",
        headers=tokens["operator"],
        json={"at": on_time["start"], "has_pass": True},
    )
    assert checked.status_code == 200, checked.json
    assert checked.json["load"]["status"] == "checked_in"
    page = _gate(operator)
    came = _row(page, on_time["load_id"])
    assert 'data-status="checked_in"' in came
    assert "is-overdue" not in came and "data-overdue" not in came and "已过时段" not in came
    assert "is-overdue" in _row(page, late["load_id"])

    operator.get("/language/en")
    english = _row(_gate(operator, headers={}), late["load_id"])
    assert ">Slot over, not arrived</span>" in english and "is-overdue" in english
    operator.get("/language/zh-CN")

    # Back before the end (a training day's clock set back): no longer marked.
    _set_clock(app, late_end - timedelta(minutes=1))
    assert "is-overdue" not in _row(_gate(operator), late["load_id"])
