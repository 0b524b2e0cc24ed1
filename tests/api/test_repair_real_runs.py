"""The repair of a late truck's slot counts the gate's real runs (`services/repair.py`): a dock a
completed truck really used, to its actual end and the disinfection after it, and a dock a truck
in operation holds beyond its row, are not given to the late truck (H3), so the gate then accepts
its start at the new slot; and the reasons why the new slot is not earlier are read from the plan
after the repair's pushes, so they never name the load's own new slot. (Before: a completed truck
was ignored and the late truck got a slot the gate refused with `dock_in_use`; a pushed load's
old slot was named as the limit.)

One cold dock (LP-COLD1, 30 min disinfection, 15 min grid) and four loads, so every slot is known:
L (09:00), A (10:00), P (12:00, due late enough to be pushed), C (15:00); for the push, a second
dock and one crew, with Q (11:30) on the second dock."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from api.database import db
from hub_scheduler.domain import Scenario
from tests.api.live_day import (
    DAY_START,
    LiveDay,
    assert_true_to_the_database,
    dispose,
    key,
    live_day,
)

T = datetime.fromisoformat
DAY = "2026-11-28T"
TZ = "+08:00"
DISINFECTION = timedelta(minutes=30)


def _at(hhmm: str) -> datetime:
    return T(f"{DAY}{hhmm}{TZ}")


LOADS = [
    ("L901", "09:00", "10:00"),  # L: the late truck
    ("L902", "10:00", "11:00"),  # A: its neighbour on the dock
    ("L903", "12:00", "15:00"),  # P: may be pushed, on time until 15:00
    ("L904", "15:00", "16:00"),  # C
]
# With a second dock and one crew: Q handles 11:30-12:00 there, so no second truck is handled in
# the zone until 12:00 (H6).
WITH_Q = [*LOADS, ("L905", "11:30", "12:00")]


def _cut(xunwu: Scenario, docks: int, crews: int, wanted: list[tuple[str, str, str]]) -> Scenario:
    """Xunwu cut down to hub XW-LP with its first `docks` cold docks (`crews` crews) and the cold
    loads `wanted` (id, release, due), 30 minutes' handling each."""
    hub = next(h for h in xunwu.hubs if h.id == "XW-LP")
    zone = next(z for z in hub.zones if z.id == "LP-COLD")
    zone = zone.model_copy(update={"docks": zone.docks[:docks], "crews": crews})
    hub = hub.model_copy(update={"zones": [zone], "blocked": []})
    template = next(ld for ld in xunwu.loads if ld.temperature == "cold")
    loads = [
        template.model_copy(
            update={
                "id": load_id,
                "enterprise_id": "E01",
                "handling_minutes": 30,
                "release": _at(release),
                "due": _at(due),
                "deadline": None,
                "allowed_hubs": None,
                "vehicle_plate": f"赣B·9{n}000",
            }
        )
        for n, (load_id, release, due) in enumerate(wanted)
    ]
    return xunwu.model_copy(update={"hubs": [hub], "loads": loads, "transfers": []})


def _published(database_url: str, scenario: Scenario) -> LiveDay:
    live = live_day(database_url, scenario)
    job = live.plan()
    assert live.publish(job["id"]).status_code == 200
    return live


@pytest.fixture
def day(migrated_database_url, xunwu):
    """One cold dock (LP-COLD1), the slots L 09:00, A 10:00, P 12:00, C 15:00."""
    live = _published(migrated_database_url, _cut(xunwu, 1, 3, LOADS))
    starts = {a["load_id"]: a["start"] for a in live.in_force()["assignments"]}
    assert starts == {i: f"{DAY}{release}:00{TZ}" for i, release, _ in LOADS}, starts
    yield live
    dispose(live)


@pytest.fixture
def crewed(migrated_database_url, xunwu):
    """Two cold docks and one crew: the slots of `day`, and Q at 11:30 on the dock P is not on."""
    live = _published(migrated_database_url, _cut(xunwu, 2, 1, WITH_Q))
    rows = {a["load_id"]: a for a in live.in_force()["assignments"]}
    starts = {i: a["start"] for i, a in rows.items()}
    assert starts == {i: f"{DAY}{release}:00{TZ}" for i, release, _ in WITH_Q}, starts
    assert rows["L905"]["dock_id"] != rows["L903"]["dock_id"]
    yield live
    dispose(live)


def _dock_busy(body: dict) -> list[tuple[str, str, str, str]]:
    """The H3 limits of a repair's reasons: (dock, start, end, until), times as HH:MM."""
    return [
        (
            r["params"]["dock"],
            *(T(r["params"][k]).strftime("%H:%M") for k in ("start", "end", "until")),
        )
        for r in body["reasons"]
        if (r["rule"], r["code"]) == ("H3", "dock_busy")
    ]


def _gate(day: LiveDay, load_id: str, step: str, at: datetime):
    body = {"at": at.isoformat()} | ({"has_pass": True} if step == "check-in" else {})
    return day.client.post(f"/api/v1/loads/{load_id}/{step}", json=body, headers=day.operator)


def _ok(day: LiveDay, load_id: str, step: str, at: datetime) -> dict:
    response = _gate(day, load_id, step, at)
    assert response.status_code == 200, response.json
    return response.json


def verify_in_force(day: LiveDay) -> None:
    """The plan in force passes the verifier against the database as it is now
    (`live_day.verify_in_force`), the rows of completed trucks left out as a re-plan leaves them
    (their real runs hold their docks: `scenario_store._with_gate_runs`)."""
    shown = day.in_force()
    done = {i for i, s in day.statuses().items() if s == "completed"}
    rows = [a for a in shown["assignments"] if key(a) not in done]
    assert_true_to_the_database({**shown, "assignments": rows}, db.uow(day.app), T(DAY_START))


def _rows(day: LiveDay) -> dict[str, dict]:
    return {a["load_id"]: a for a in day.in_force()["assignments"]}


def _late_check_in(day: LiveDay, at: datetime) -> dict:
    """L checks in at `at`, after its slot: the repaired slot, the plan checked by the verifier."""
    body = _ok(day, "L901", "check-in", at)
    assert body["reason"]["code"] == "LATE_ARRIVAL", body["reason"]
    rows = _rows(day)
    new = rows["L901"]
    done = {i for i, s in day.statuses().items() if s == "completed"}
    assert new == body["slot"]
    # no other row of the dock meets the new slot (the trial's two rows at one start)
    assert not [
        a
        for i, a in rows.items()
        if i != "L901"
        and key(a) not in done
        and (a["hub_id"], a["dock_id"]) == (new["hub_id"], new["dock_id"])
        and T(a["start"]) < T(new["disinfected_at"])
        and T(new["start"]) < T(a["disinfected_at"])
    ]
    verify_in_force(day)
    return body


def test_a_late_truck_is_not_given_a_dock_a_completed_truck_is_still_disinfecting(day):
    """A started at 10:00 and completed early, at 10:02: the dock is busy until 10:32. L, at the
    gate at 10:05, gets 10:45 (not 10:15, which the gate would refuse with dock_in_use)."""
    _ok(day, "L902", "check-in", _at("09:55"))
    _ok(day, "L902", "start", _at("10:00"))
    completed = _at("10:02")
    _ok(day, "L902", "complete", completed)
    verify_in_force(day)

    body = _late_check_in(day, _at("10:05"))

    new = body["slot"]
    assert T(new["start"]) >= completed + DISINFECTION
    assert T(new["start"]) == _at("10:45"), new
    # why not earlier: the run as the gate saw it (H3), not a blocked window
    assert _dock_busy(body) == [(new["dock_id"], "10:00", "10:02", "10:32")], body["reasons"]
    started = _gate(day, "L901", "start", T(new["start"]))
    assert started.status_code == 200, started.json  # the gate takes the start at the new slot
    verify_in_force(day)


def test_a_late_truck_is_not_given_a_dock_a_truck_in_operation_holds_past_its_row(day):
    """A started 4 minutes late (within the gate's clock skew: its row stays 10:00-10:30, dock
    disinfected 11:00), so its run holds the dock until 11:04. L, at the gate at 10:10, gets
    11:15 (P pushed to 12:15), not 11:00."""
    _ok(day, "L902", "check-in", _at("09:55"))
    started = _at("10:04")
    _ok(day, "L902", "start", started)
    assert _rows(day)["L902"]["start"] == f"{DAY}10:00:00{TZ}"  # the row did not move

    body = _late_check_in(day, _at("10:10"))

    new = body["slot"]
    assert T(new["start"]) >= started + timedelta(minutes=30) + DISINFECTION
    assert T(new["start"]) == _at("11:15"), new
    assert _dock_busy(body) == [(new["dock_id"], "10:04", "10:34", "11:04")], body["reasons"]
    early = _gate(day, "L901", "start", _at("11:00"))  # what the repair gave before
    assert early.status_code == 409, early.json
    _ok(day, "L902", "complete", _at("10:34"))
    accepted = _gate(day, "L901", "start", T(new["start"]))
    assert accepted.status_code == 200, accepted.json
    verify_in_force(day)


def test_the_reasons_of_a_repair_that_pushes_never_name_the_loads_own_new_slot(crewed):
    """L at the gate at 11:35: at 11:45 the one crew is busy with Q until 12:00 (H6), so L gets
    12:00 on P's dock by pushing P from 12:00 to 13:00 (before a gap with no push at 12:30 on Q's
    dock, after L's due). Why L's slot is not earlier is read from the plan after the push: the
    crew (H6), never P's old slot, which is L's own new one."""
    day = crewed
    p = _rows(day)["L903"]
    body = _late_check_in(day, _at("11:35"))

    new = body["slot"]
    assert (new["dock_id"], new["start"]) == (p["dock_id"], f"{DAY}12:00:00{TZ}"), new
    moved = body["reason"]["params"]["moved"]
    assert [key(m) for m in moved] == ["E01/L903"], moved
    assert _rows(day)["L903"]["start"] == f"{DAY}13:00:00{TZ}"
    named = [
        r
        for r in body["reasons"]
        if r["code"] == "dock_busy"
        and r["params"]["dock"] == new["dock_id"]
        and T(r["params"]["start"]) < T(new["disinfected_at"])
        and T(new["start"]) < T(r["params"]["until"])
    ]
    assert named == [], body["reasons"]
    assert ("H6", "crews_full") in [(r["rule"], r["code"]) for r in body["reasons"]], body[
        "reasons"
    ]
