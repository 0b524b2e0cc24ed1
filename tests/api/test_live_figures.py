"""A plan's figures stay true on the live day (SQLite and PostgreSQL, through the API):

- a repair that makes a truck late shows on `GET /plans/{id}`, `/plans/published` and the plan
  list: `late_count`, `late_loads`, `on_time_rate` and the objective (the verifier's S1-S5) are
  counted again from the plan's rows after the repair commits, here (the inline runner) before
  the request answers, so no view says `figures_pending` (before the branch: only `placed` and
  `unscheduled` followed, the rest stayed as the solver stored them; test_figures_pending.py and
  test_figures_background.py: the recount off the request);
- a truck that arrived after its slot still counts as late at the gate after a later publish
  gives it another slot (before: "on time" read the check-in repair's `slot_changed`, which the
  publish clears, so the late truck counted as on time against its new slot).
"""

from __future__ import annotations

from datetime import datetime

import pytest

from hub_scheduler.weights import load_weight
from tests.api.both_databases import api_database_url  # noqa: F401  (SQLite and PostgreSQL)
from tests.api.live_plan import (
    SLOT,
    T,
    check_in,
    cold_load,
    cold_plan,
    plan_views,
    publish,
)


def _plan(uow, xunwu, start: datetime, *, add_loads: bool) -> tuple[int, object]:
    """A succeeded plan (not published) placing B1 on TS-COLD1 at `start` and leaving X1 out;
    its id and B1 as stored."""
    booked, other = cold_load(xunwu, "B1"), cold_load(xunwu, "X1")
    return cold_plan(uow, xunwu, [(booked, start)], [other], add_loads=add_loads), booked


def test_a_repair_that_makes_a_truck_late_shows_in_the_plans_late_count_and_objective(
    client, tokens, uow, seeded, xunwu
):
    plan_id, booked = _plan(uow, xunwu, SLOT, add_loads=True)
    published = publish(client, tokens, plan_id)
    # B1 on time; X1 left out: S1 = U * w(X1), nothing late.
    assert published["kpis"]["late_count"] == 0 and published["kpis"]["on_time_rate"] == 1.0
    before = published["objective"]
    assert before > 0

    body = check_in(client, tokens, "B1", "2026-11-28T07:50:00+08:00")

    assert body["reason"]["code"] == "LATE_ARRIVAL"
    new_start = T(body["slot"]["start"])
    end = new_start.timestamp() / 60 + booked.handling_minutes
    minutes_late = end - booked.due.timestamp() / 60
    assert minutes_late > 0
    enterprise = next(e for e in xunwu.enterprises if e.id == booked.enterprise_id)
    weight = load_weight(booked, enterprise)
    for view in plan_views(client, tokens, plan_id):
        assert view["figures_pending"] is False
        kpis = view["kpis"]
        assert kpis["late_count"] == 1
        assert kpis["on_time_rate"] == 0.0
        assert [(x["load_id"], x["minutes_late"]) for x in kpis["late_loads"]] == [
            ("B1", minutes_late)
        ]
        assert kpis["max_wait_minutes"] == (new_start - SLOT).total_seconds() / 60
        assert (kpis["placed"], kpis["unscheduled"]) == (1, 1)
        # S2 grows by B1's weighted lateness; the solver's bound no longer belongs to it.
        assert view["objective"] == pytest.approx(before + weight * minutes_late)
        assert view["bound"] is None and view["gap"] is None


def test_a_truck_that_came_late_still_counts_late_after_a_publish_moves_its_slot(
    client, tokens, uow, seeded, xunwu
):
    first, _ = _plan(uow, xunwu, SLOT, add_loads=True)
    publish(client, tokens, first)
    body = check_in(client, tokens, "B1", "2026-11-28T07:50:00+08:00")
    repaired = T(body["slot"]["start"])
    assert repaired > SLOT

    # A re-plan holding B1 at its repaired slot is published: its slot_changed is cleared.
    second, _ = _plan(uow, xunwu, repaired, add_loads=False)
    publish(client, tokens, second)
    load = client.get("/api/v1/loads/B1", headers=tokens["admin"]).json
    assert load.get("slot_changed") is None  # what "on time" used to read is gone
    assert load["arrival_slot_start"] == "2026-11-28T07:30:00+08:00"

    for view in plan_views(client, tokens, second)[:2]:
        assert view["kpis"]["gate_arrivals"] == 1
        assert view["kpis"]["gate_on_time_rate"] == 0.0  # it came 20 minutes after its slot
