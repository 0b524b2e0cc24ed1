"""A load the plan itself placed late (after its due, which is no hard limit: H4 knows only the
deadline and the plan's end) is repaired as the planner places it: when something moves it, the
repair may place it late too, as far as the plan reaches (`day_horizon.plan_reach`), and finds
the later free gap on its dock. (Before: the repair worked the plan's end out from the few rows
it read and the load's own due, so the load was `DEADLINE_PASSED` / `horizon_reached` where the
plan had just placed it, though its dock was free later; a full re-plan placed it.)

A small day on SQLite and PostgreSQL: hub XW-LP with one cold dock (LP-COLD1, 30 minutes'
disinfection, 15-minute grid), closed by a blocked window 20:00-23:00; the tardy load L (cold,
allowed at XW-LP only, release 20:00, due 20:30, 30 minutes) is planned 23:00-23:30. The plan
reaches past midnight because of X, a truck released at 23:30 at hub XW-TS (open 22:00-04:00),
due 00:30: the repair of L reads no row of XW-TS."""

from __future__ import annotations

from datetime import datetime

import pytest

from hub_scheduler.domain import BlockedWindow, Scenario
from tests.api.live_day import LiveDay, dispose, live_day, verify_in_force

T = datetime.fromisoformat
DAY = "2026-11-28T"
TZ = "+08:00"


def _at(hhmm: str, day: str = DAY) -> datetime:
    return T(f"{day}{hhmm}{TZ}")


def _small_day(xunwu: Scenario) -> Scenario:
    lp = next(h for h in xunwu.hubs if h.id == "XW-LP")
    cold = next(z for z in lp.zones if z.id == "LP-COLD")
    cold = cold.model_copy(update={"docks": cold.docks[:1]})
    closed = BlockedWindow(
        id="B-EVENING",
        start=_at("20:00"),
        end=_at("23:00"),
        zone_id="LP-COLD",
        dock_id=cold.docks[0].id,
        reason="维修",
    )
    lp = lp.model_copy(update={"zones": [cold], "blocked": [closed]})
    ts = next(h for h in xunwu.hubs if h.id == "XW-TS")
    ts = ts.model_copy(
        update={"zones": [z for z in ts.zones if z.temperature == "ambient"], "blocked": []}
    )
    cold_load = next(ld for ld in xunwu.loads if ld.temperature == "cold")
    warm_load = next(ld for ld in xunwu.loads if ld.temperature == "ambient")
    common = {"enterprise_id": "E01", "handling_minutes": 30, "deadline": None}
    late = cold_load.model_copy(
        update={
            **common,
            "id": "L801",
            "release": _at("20:00"),
            "due": _at("20:30"),
            "allowed_hubs": ["XW-LP"],
            "vehicle_plate": "赣B·98001",
        }
    )
    reach = warm_load.model_copy(
        update={
            **common,
            "id": "L802",
            "release": _at("23:30"),
            "due": _at("00:30", "2026-11-29T"),
            "allowed_hubs": ["XW-TS"],
            "vehicle_plate": "赣B·98002",
        }
    )
    return xunwu.model_copy(update={"hubs": [lp, ts], "loads": [late, reach], "transfers": []})


@pytest.fixture
def day(migrated_database_url, xunwu):
    live = live_day(migrated_database_url, _small_day(xunwu))
    job = live.plan()
    assert live.publish(job["id"]).status_code == 200
    yield live
    dispose(live)


def _check_in(day: LiveDay, load_id: str, at: datetime) -> dict:
    response = day.client.post(
        f"/api/v1/loads/{load_id}/check-in",
        json={"at": at.isoformat(), "has_pass": True},
        headers=day.operator,
    )
    assert response.status_code == 200, response.json
    return response.json


def test_a_load_the_plan_placed_late_is_repaired_into_the_later_free_gap(day):
    slots = day.slots()
    planned = slots["L801"]
    assert T(planned["start"]) == _at("23:00")  # after its due (20:30): tardy in the plan
    assert T(slots["L802"]["disinfected_at"]) > _at("00:00", "2026-11-29T")  # the plan's reach

    body = _check_in(day, "L801", _at("23:05"))  # late: its slot must move

    assert body["reason"]["code"] == "LATE_ARRIVAL", body["reason"]
    new = body["slot"]
    assert new is not None, body["reason"]
    assert T(new["start"]) == _at("23:15")  # the next grid minute, its dock free
    assert T(new["disinfected_at"]) == _at("00:15", "2026-11-29T")  # past midnight, as planned
    assert new["dock_id"] == planned["dock_id"]
    assert day.slots()["L801"]["start"] == new["start"]
    verify_in_force(day)
