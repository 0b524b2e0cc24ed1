"""A start whose real run leaves its slot, through the API on SQLite and PostgreSQL.

A truck that starts within the gate's clock skew (or early) keeps its slot only while its real
run meets no one: when the run (actual start, planned length, disinfection) reaches into the next
truck's slot on its dock, its row follows the run and the truck behind waits in turn or is
repaired, so that truck's start at its slot in force is not refused (`dock_in_use`; before: the
plan kept both slots and nothing moved the second). A late start's move is held to the rules
the dock does not see (services/start_rules.py): a crew it takes is given back by moving a
scheduled truck; the started truck keeps its row (reality wins, H10) even past its deadline; a
waiting truck its run pushes past its own deadline is left out with the reason; a pinned
scheduled truck a repair moves takes its pin along. Every plan after a step passes the verifier.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from api.database import db
from api.web.audit_messages import LABELS
from hub_scheduler.domain import Position
from tests.api.calls import audit_items, busy_slot
from tests.api.live_day import DAY_START, dispose, key, live_day, verify_in_force

T = datetime.fromisoformat
GRID = timedelta(minutes=15)  # the Xunwu site's slot (settings.slot_minutes)


@pytest.fixture
def day(migrated_database_url, xunwu):
    live = live_day(migrated_database_url, xunwu)
    yield live
    dispose(live)


def _dock(rows: list[dict], a: dict) -> list[dict]:
    same = (r for r in rows if (r["hub_id"], r["dock_id"]) == (a["hub_id"], a["dock_id"]))
    return sorted(same, key=lambda r: r["start"])


def _back_to_back(day) -> tuple[dict, dict]:
    """A published slot (A) and the next one on its dock (B), starting when A's disinfection
    ends: a run of A a few minutes late reaches into B's slot."""
    job = day.plan()
    assert day.publish(job["id"]).status_code == 200
    rows = day.in_force()["assignments"]
    a = busy_slot(rows, within=timedelta(minutes=1))
    on_dock = _dock(rows, a)
    b = on_dock[on_dock.index(a) + 1]
    assert T(b["start"]) == T(a["disinfected_at"]), (a, b)
    return a, b


def _post(day, slot: dict, step: str, at: datetime):
    body = {"at": at.isoformat()} | ({"has_pass": True} if step == "check-in" else {})
    return day.client.post(
        f"/api/v1/loads/{slot['load_id']}/{step}", json=body, headers=day.operator
    )


def _step(day, slot: dict, step: str, at: datetime) -> dict:
    response = _post(day, slot, step, at)
    assert response.status_code == 200, response.json
    return response.json


def _row(day, slot: dict) -> dict | None:
    return next((r for r in day.in_force()["assignments"] if key(r) == key(slot)), None)


def _stored(day, slot: dict):
    uow = db.uow(day.app)
    with uow:
        return uow.loads.get(key(slot))


def _store(day, load) -> None:
    """Set up a load the way a scenario file may give it (a pin, a deadline)."""
    uow = db.uow(day.app)
    with uow:
        uow.loads.update(load)
        uow.commit()


def _up(moment: datetime) -> datetime:
    """The first grid minute at or after `moment`."""
    return moment + (-(moment - T(DAY_START))) % GRID


def test_a_start_within_the_skew_that_overruns_the_next_slot_moves_the_truck_behind(day):
    a, b = _back_to_back(day)
    _step(day, a, "check-in", T(a["start"]))
    _step(day, b, "check-in", T(a["start"]))  # early: pinned at its slot, waiting
    started = T(a["start"]) + timedelta(minutes=3)  # within the skew: on time for the gate

    _step(day, a, "start", started)

    late, new = _row(day, a), _row(day, b)
    assert late is not None and new is not None
    assert T(late["start"]) == _up(started), "the row follows the real run, on the grid"
    assert (new["hub_id"], new["dock_id"]) == (b["hub_id"], b["dock_id"]), "H10"
    assert T(new["start"]) == _up(T(late["disinfected_at"])) > T(b["start"])
    stored_a, stored_b = _stored(day, a), _stored(day, b)
    assert stored_a.slot_changed["code"] == "RUN_OVERLAPS_SLOT", stored_a.slot_changed
    assert stored_a.pinned is not None and stored_a.pinned.start == T(late["start"])
    assert stored_b.slot_changed["code"] == "DOCK_TAKEN_BY_RUN", stored_b.slot_changed
    assert stored_b.slot_changed["params"]["for_load"] == key(a)
    assert stored_b.pinned is not None and stored_b.pinned.start == T(new["start"])
    entries = audit_items(day.client, day.admin, key(b), "load.start_moved")
    assert [e["details"]["code"] for e in entries] == ["DOCK_TAKEN_BY_RUN"]
    verify_in_force(day)

    # A finishes in its planned length; B starts at its slot in force: the gate takes it.
    _step(day, a, "complete", started + (T(a["end"]) - T(a["start"])))
    _step(day, b, "start", T(new["start"]))


def test_a_scheduled_truck_after_an_overrun_is_repaired_and_then_starts(day):
    a, b = _back_to_back(day)
    _step(day, a, "check-in", T(a["start"]))
    started = T(a["start"]) + timedelta(minutes=4)

    _step(day, a, "start", started)

    late, new = _row(day, a), _row(day, b)
    assert late is not None and new is not None, "B keeps a slot in force"
    if (new["hub_id"], new["dock_id"]) == (a["hub_id"], a["dock_id"]):
        assert T(new["start"]) >= T(late["disinfected_at"]), (new, late)
    stored = _stored(day, b)
    assert stored.status.value == "scheduled"
    assert stored.slot_changed["code"] == "DOCK_TAKEN_BY_RUN", stored.slot_changed
    assert stored.slot_changed["params"]["new_start"] == new["start"]
    verify_in_force(day)

    # B comes at its new slot and starts there: no refusal.
    _step(day, b, "check-in", T(new["start"]))
    _step(day, b, "start", T(new["start"]))
    verify_in_force(day)


def test_an_early_start_within_the_skew_makes_the_late_truck_before_it_wait(day):
    a, b = _back_to_back(day)
    _step(day, a, "check-in", T(a["start"]))  # A checked in, not started: its truck is late
    _step(day, b, "check-in", T(a["start"]))
    started = T(b["start"]) - timedelta(minutes=3)  # B a little early, before A began

    _step(day, b, "start", started)

    first, waiting = _row(day, b), _row(day, a)
    assert first is not None and waiting is not None
    assert T(first["start"]) == T(b["start"]), "B's row already covers its run"
    assert (waiting["hub_id"], waiting["dock_id"]) == (a["hub_id"], a["dock_id"]), "H10"
    assert T(waiting["start"]) >= T(first["disinfected_at"])
    assert _stored(day, a).slot_changed["code"] == "DOCK_TAKEN_BY_RUN"
    verify_in_force(day)
    _step(day, b, "complete", started + (T(b["end"]) - T(b["start"])))
    _step(day, a, "start", T(waiting["start"]))


def _zone_crews(day) -> dict[tuple[str, str], int]:
    uow = db.uow(day.app)
    with uow:
        return {(h.id, z.id): z.crews for h in uow.hubs.list() for z in h.zones if z.crews}


def _blocked(day, row: dict, until: datetime) -> bool:
    uow = db.uow(day.app)
    with uow:
        hub = uow.hubs.get(row["hub_id"])
    assert hub is not None
    return any(
        w.zone_id in (None, row["zone_id"])
        and w.dock_id in (None, row["dock_id"])
        and w.start < until
        and T(row["start"]) < w.end
        for w in hub.blocked
    )


def _takes_a_crew(day, rows: list[dict]) -> dict:
    """A slot whose run one grid step late meets no other slot on its dock and no blocked
    window, but overlaps as many operations of its zone as the zone has crews (H6)."""
    crews = _zone_crews(day)
    for x in sorted(rows, key=lambda r: (r["start"], r["load_id"])):
        cap = crews.get((x["hub_id"], x["zone_id"]))
        if cap is None:
            continue
        start, end = T(x["start"]) + GRID, T(x["end"]) + GRID
        until = T(x["disinfected_at"]) + GRID
        zone = [
            r
            for r in rows
            if (r["hub_id"], r["zone_id"]) == (x["hub_id"], x["zone_id"]) and key(r) != key(x)
        ]
        if any(
            r["dock_id"] == x["dock_id"]
            and T(r["start"]) < until
            and start < T(r["disinfected_at"])
            for r in zone
        ):
            continue
        moments = [start, *(T(r["start"]) for r in zone if start < T(r["start"]) < end)]
        most = max(sum(T(r["start"]) <= m < T(r["end"]) for r in zone) for m in moments)
        if most >= cap and not _blocked(day, x, until):
            return x
    raise AssertionError("no slot of the demo day takes a crew when it starts late")


def test_a_late_start_that_takes_a_crew_moves_a_scheduled_truck_of_its_zone(day):
    job = day.plan()
    assert day.publish(job["id"]).status_code == 200
    a = _takes_a_crew(day, day.in_force()["assignments"])
    _step(day, a, "check-in", T(a["start"]))
    started = T(a["start"]) + timedelta(minutes=8)  # beyond the skew: a late start

    _step(day, a, "start", started)

    late = _row(day, a)
    assert late is not None and T(late["start"]) == T(a["start"]) + GRID, "reality wins"
    verify_in_force(day)  # crews (H6) included: before, the zone had one operation too many
    uow = db.uow(day.app)
    with uow:
        moved = [
            ld
            for ld in uow.loads.list()
            if ld.slot_changed is not None
            and ld.slot_changed["params"].get("for_load") == key(a)
            and "MOVED_FOR_STARTED_RUN"
            in (ld.slot_changed["code"], ld.slot_changed["params"].get("cause"))
        ]
    assert moved, "a scheduled truck of the zone gave its crew back"
    assert {ld.slot_changed["params"]["rule"] for ld in moved} == {"H6"}
    assert all(ld.status.value == "scheduled" for ld in moved)
    entries = audit_items(day.client, day.admin, moved[0].id, "load.repair")
    assert entries[-1]["details"]["params"]["rule"] == "H6"
    assert set(entries[-1]["details"]["params"]) <= set(LABELS), "the audit page says each"


def test_a_late_start_past_its_own_deadline_keeps_its_row(day):
    a, b = _back_to_back(day)
    stored = _stored(day, a)
    _store(day, stored.model_copy(update={"deadline": T(a["end"]) + timedelta(minutes=5)}))
    _step(day, a, "check-in", T(a["start"]))

    _step(day, a, "start", T(a["start"]) + timedelta(minutes=8))

    late = _row(day, a)
    assert late is not None, "a truck at the dock keeps its row (H10 wins over its deadline)"
    assert T(late["start"]) == T(a["start"]) + GRID
    assert T(late["end"]) > _stored(day, a).deadline
    verify_in_force(day)


def test_a_waiting_truck_pushed_past_its_deadline_is_left_out_with_the_reason(day):
    a, b = _back_to_back(day)
    stored = _stored(day, b)
    _store(day, stored.model_copy(update={"deadline": T(b["end"]) + timedelta(minutes=5)}))
    _step(day, a, "check-in", T(a["start"]))
    _step(day, b, "check-in", T(a["start"]))

    _step(day, a, "start", T(a["start"]) + timedelta(minutes=8))

    assert _row(day, b) is None, "no slot on its dock ends by its deadline"
    left = {key(u): u for u in day.in_force()["unscheduled"]}
    assert key(b) in left
    stored = _stored(day, b)
    assert stored.status.value == "checked_in" and stored.pinned is None
    assert stored.slot_changed["code"] == "DEADLINE_PASSED", stored.slot_changed
    assert stored.slot_changed["params"]["cause"] == "MOVED_FOR_STARTED_RUN"
    verify_in_force(day)


def test_a_pinned_scheduled_truck_a_late_start_repairs_takes_its_pin_along(day):
    a, b = _back_to_back(day)
    stored = _stored(day, b)
    pin = Position(hub_id=b["hub_id"], dock_id=b["dock_id"], start=T(b["start"]))
    _store(day, stored.model_copy(update={"pinned": pin}))
    _step(day, a, "check-in", T(a["start"]))

    _step(day, a, "start", T(a["start"]) + timedelta(minutes=8))

    new = _row(day, b)
    stored = _stored(day, b)
    assert stored.slot_changed["code"] == "DOCK_TAKEN_BY_LATE_START", stored.slot_changed
    if new is None:
        assert stored.pinned is None
    else:
        assert T(new["start"]) != T(b["start"])
        assert stored.pinned == Position(
            hub_id=new["hub_id"], dock_id=new["dock_id"], start=T(new["start"])
        )
    verify_in_force(day)
