"""A re-plan after one new load keeps the published trucks where they are (docs/solver.md,
"Stability of a re-plan"). The demo day (Xunwu, 200 loads at 4 hubs) is planned and published, one
load is submitted, the day is planned again: before the re-plan started from the plan in force,
25-84 published trucks changed slot. On SQLite and on PostgreSQL (`migrated_database_url`)."""

from __future__ import annotations

import pytest

from api.database import db
from hub_scheduler.services import events
from tests.api.conftest import load_body
from tests.api.live_day import dispose, key, live_day, verify_in_force

# "A handful": the most published trucks one new load may move (measured 0-4 on this day).
HANDFUL = 5


@pytest.fixture
def day(migrated_database_url, xunwu):
    live = live_day(migrated_database_url, xunwu)
    yield live
    dispose(live)


def _budget_decided(*plans: dict) -> bool:
    """Whether the work budget, not the clock, ended each plan's search (one worker: the same
    plan on a loaded machine as on an idle one). The bounds below are what that budget buys; on
    a machine too loaded to spend it within the 1 s limit the clock cuts the search, the plan
    says so (`search_cut_by_clock`) and may differ (a CI box shared with other jobs once moved
    more than the bound), so there the bound is not asserted; the rest is."""
    return not any(p["kpis"]["search_cut_by_clock"] for p in plans)


def _slots(assignments: list[dict]) -> dict[str, tuple[str, str, str]]:
    return {key(a): (a["hub_id"], a["dock_id"], a["start"]) for a in assignments}


def test_one_new_load_moves_at_most_a_handful_of_published_trucks(day, xunwu):
    first = day.plan()
    assert day.publish(first["id"]).status_code == 200
    before = _slots(day.in_force()["assignments"])
    assert len(before) > 150  # the demo day: most of its 200 loads have a published slot

    # An ordinary load of E01, the same shape as one already on the day (it competes for docks).
    submitted = day.client.post("/api/v1/loads", json=load_body(xunwu, 17), headers=day.enterprise)
    assert submitted.status_code == 201, submitted.json
    new = key(submitted.json)

    again = day.plan()
    rows = day.client.get(f"/api/v1/plans/{again['id']}/assignments", headers=day.admin).json
    after = _slots(rows if isinstance(rows, list) else rows["items"])
    assert new in after, "the new load has room on this day"
    moved = sorted(k for k, slot in before.items() if after.get(k) != slot)
    if _budget_decided(first, again):
        assert len(moved) <= HANDFUL, moved
    # The job's own figure agrees with what the plan shows.
    assert again["kpis"]["moves_against_previous"] == len(moved), again["kpis"]

    assert day.publish(again["id"]).status_code == 200
    assert _slots(day.in_force()["assignments"]) == after
    verify_in_force(day)
    # What the enterprises hear of this publish (the trial's 33 notices): one notice per moved
    # truck, and the new load's confirmation.
    told = _notices(day, xunwu, again["id"])
    assert sorted(told[events.SLOT_CHANGED] + told[events.SLOT_WITHDRAWN]) == moved
    assert told[events.SLOT_CONFIRMED] == [new]


def _notices(day, xunwu, plan_id: int) -> dict[str, list[str]]:
    """The loads (keys) each slot event of the publish of `plan_id` names, by event type."""
    uow = db.uow(day.app)
    with uow:
        audiences = [events.enterprise(e.id) for e in xunwu.enterprises]
        found = uow.events.list(audiences, limit=None)
    told: dict[str, list[str]] = {
        events.SLOT_CHANGED: [],
        events.SLOT_WITHDRAWN: [],
        events.SLOT_CONFIRMED: [],
    }
    for event in found:
        if event.type in told and event.data.get("plan_id") == plan_id:
            told[event.type].append(key(event.data))
    return told


# Five new loads at once (docs/solver.md, "Stability of a re-plan"): the most published trucks the
# re-plan may move. Before the new loads were put into the plan in force by small repairs
# (`in_force.insert_into_plan_in_force`), the first plan was a priority order's that moved 70-100
# trucks and this re-plan moved 37 (SQLite) and 26 (PostgreSQL); now 3-6 (8 runs).
FIVE_BOUND = 12
# Copies of these demo loads (each for its own enterprise, submitted by the admin): the loads
# `bench/replan_new_loads.py` draws for its trial 0, the one that cascaded most there.
FIVE = (139, 118, 22, 53, 74)


def test_five_new_loads_move_few_published_trucks(day, xunwu):
    first = day.plan()
    assert day.publish(first["id"]).status_code == 200
    before = _slots(day.in_force()["assignments"])

    new = []
    for index in FIVE:
        body = load_body(xunwu, index, enterprise_id=xunwu.loads[index].enterprise_id)
        submitted = day.client.post("/api/v1/loads", json=body, headers=day.admin)
        assert submitted.status_code == 201, submitted.json
        new.append(key(submitted.json))

    again = day.plan()
    rows = day.client.get(f"/api/v1/plans/{again['id']}/assignments", headers=day.admin).json
    after = _slots(rows if isinstance(rows, list) else rows["items"])
    moved = sorted(k for k, slot in before.items() if after.get(k) != slot)
    assert all(k in after for k in new), "the five have room on this day"
    if _budget_decided(first, again):
        assert len(moved) <= FIVE_BOUND, moved
    assert again["kpis"]["moves_against_previous"] == len(moved), again["kpis"]
    assert day.publish(again["id"]).status_code == 200
    verify_in_force(day)
