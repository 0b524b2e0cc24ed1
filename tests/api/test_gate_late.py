"""A truck at the gate after its slot gets the earliest feasible slot from its arrival, by a repair
of the published plan that passes the verifier and moves no other load when a gap by its due
exists, else pushes the fewest later loads of one dock (each audited and marked `slot_changed`);
an early truck is told its wait. (Before: the late truck was pinned to its past slot, on top of
the next truck.)"""

from __future__ import annotations

from datetime import datetime, timedelta

from hub_scheduler.domain import Assignment, LoadStatus, Schedule, Unscheduled
from hub_scheduler.facts import assignment, disinfection_minutes
from hub_scheduler.verify import verify
from models.scenario_store import load_scenario
from tests.api.calls import audit_items, busy_slot, in_force, stored_plan
from tests.api.live_day import key

HORIZON = {"start": "2026-11-28T00:00:00+08:00", "end": "2026-11-29T00:00:00+08:00"}
PASS = {"has_pass": True}
T = datetime.fromisoformat


def _violations(uow, in_force: dict) -> set[str]:
    """What the verifier finds in the plan in force, against the database as it is now."""
    start = datetime.fromisoformat(HORIZON["start"])
    scenario = load_scenario(uow, start, start + timedelta(days=1))
    schedule = Schedule(
        scenario=scenario.name,
        status="feasible",
        # the API shows ids with enterprise_id beside them; the database names loads by key
        assignments=[
            Assignment.model_validate({**a, "load_id": key(a)}) for a in in_force["assignments"]
        ],
        unscheduled=[
            Unscheduled.model_validate({**u, "load_id": key(u)}) for u in in_force["unscheduled"]
        ],
    )
    return {v.text for v in verify(scenario, schedule).violations}


def _check_in(client, tokens, slot: dict, at: str):
    """The operator checks in the truck of `slot`'s load at `at` (ISO), with its pass."""
    return client.post(
        f"/api/v1/loads/{slot['load_id']}/check-in",
        headers=tokens["operator"],
        json={"at": at, **PASS},
    )


def _move_eta(client, tokens, slot: dict, eta: datetime):
    """An admin moves the ETA (`release`) of `slot`'s load."""
    return client.patch(
        f"/api/v1/loads/{slot['load_id']}",
        json={"release": eta.isoformat()},
        headers=tokens["admin"],
    )


def _slot_of(plan: dict, slot: dict) -> dict:
    """The assignment of `slot`'s load in `plan`."""
    return next(a for a in plan["assignments"] if a["load_id"] == slot["load_id"])


def test_a_late_truck_gets_the_earliest_feasible_slot_from_now_and_no_one_else_moves(
    client, tokens, uow, published
):
    slot = busy_slot(published["assignments"])
    before = _violations(uow, published)
    arrived = datetime.fromisoformat(slot["start"]) + timedelta(minutes=40)

    response = _check_in(client, tokens, slot, arrived.isoformat())

    assert response.status_code == 200, response.json
    body = response.json
    new = body["slot"]
    assert datetime.fromisoformat(new["start"]) >= arrived
    assert body["reason"]["code"] == "LATE_ARRIVAL"
    assert body["reason"]["params"]["planned_start"] == slot["start"]
    assert body["reason"]["params"]["new_start"] == new["start"]
    assert body["wait_minutes"] >= 0
    assert body["load"]["pinned"]["start"] == new["start"]
    assert body["load"]["arrived_at"] == arrived.isoformat()

    after = in_force(client, tokens)
    mine = _slot_of(after, slot)
    assert mine == new  # the plan in force shows the new slot, never the impossible one
    # No one else moves, unless the gap came after the due: then only the loads the reason names,
    # later on their own docks.
    # each pushed load by its id with its enterprise (ids are unique per enterprise only)
    pushed = {m["load_id"] for m in body["reason"]["params"]["moved"]}
    old = {a["load_id"]: a for a in published["assignments"]}
    for a in after["assignments"]:
        if a["load_id"] == slot["load_id"]:
            continue
        if a["load_id"] in pushed:
            was = old[a["load_id"]]
            assert a["dock_id"] == was["dock_id"] and T(a["start"]) > T(was["start"])
        else:
            assert a == old[a["load_id"]]
    assert _violations(uow, after) <= before
    assert not any(key(slot) in v for v in _violations(uow, after))


def test_the_repair_is_audited_with_its_reason(client, tokens, published):
    slot = busy_slot(published["assignments"])
    arrived = datetime.fromisoformat(slot["start"]) + timedelta(minutes=40)
    _check_in(client, tokens, slot, arrived.isoformat())
    items = audit_items(client, tokens["admin"], slot["load_id"], "load.repair")
    assert [e["details"]["code"] for e in items] == ["LATE_ARRIVAL"]


def test_an_early_truck_keeps_its_slot_and_is_told_its_wait(client, tokens, published):
    slot = min(published["assignments"], key=lambda a: a["start"])
    # A gate clock with seconds and microseconds: the wait is said to a tenth of a minute.
    arrived = datetime.fromisoformat(slot["start"]) - timedelta(minutes=30, seconds=10.5)
    body = _check_in(client, tokens, slot, arrived.isoformat()).json
    assert body["slot"] == slot
    assert body["wait_minutes"] == 30.2  # not 30.175
    assert body["reason"] is None
    assert body["load"]["pinned"]["start"] == slot["start"]


def test_a_truck_on_time_keeps_its_slot_without_a_wait(client, tokens, published):
    slot = max(published["assignments"], key=lambda a: a["start"])
    body = _check_in(client, tokens, slot, slot["start"]).json
    assert body["slot"] == slot and body["wait_minutes"] == 0 and body["reason"] is None


def _due_tomorrow(client, tokens, slot: dict) -> datetime:
    """The load of `slot` due at 10:00 the next day (its deadline, if any, later still)."""
    due = datetime.fromisoformat(HORIZON["end"]) + timedelta(hours=10)
    patch = {"due": due.isoformat(), "deadline": (due + timedelta(hours=2)).isoformat()}
    patched = client.patch(f"/api/v1/loads/{slot['load_id']}", json=patch, headers=tokens["admin"])
    assert patched.status_code == 200, patched.json
    return due


def test_a_late_truck_due_tomorrow_gets_a_slot_past_midnight(client, tokens, published):
    """The day's plan reaches past midnight as far as the load's due allows (hub_scheduler/
    day_horizon.py), and so does the repair at the gate (the hub is open around the clock)."""
    slot = max(published["assignments"], key=lambda a: a["start"])
    _due_tomorrow(client, tokens, slot)
    arrived = datetime.fromisoformat(HORIZON["end"]) - timedelta(minutes=5)
    body = _check_in(client, tokens, slot, arrived.isoformat()).json
    assert body["reason"]["code"] == "LATE_ARRIVAL", body["reason"]
    assert T(body["slot"]["start"]) >= arrived
    assert body["load"]["pinned"]["start"] == body["slot"]["start"]


def test_a_truck_too_late_for_any_gap_is_unpinned_with_a_reason(client, tokens, published):
    slot = max(published["assignments"], key=lambda a: a["start"])
    # Due the next day (not passed), but every hub is blocked from midnight on: no slot left.
    _due_tomorrow(client, tokens, slot)
    end = datetime.fromisoformat(HORIZON["end"])
    window = {"start": end.isoformat(), "end": (end + timedelta(days=1)).isoformat()}
    for hub in client.get("/api/v1/hubs", headers=tokens["admin"]).json:
        blocked = client.post(
            f"/api/v1/hubs/{hub['id']}/blocked-windows",
            json={**window, "reason": "closed"},
            headers=tokens["admin"],
        )
        assert blocked.status_code == 201, blocked.json
    arrived = datetime.fromisoformat(HORIZON["end"]) - timedelta(minutes=5)
    body = _check_in(client, tokens, slot, arrived.isoformat()).json
    assert body["slot"] is None
    assert body["reason"]["code"] == "NO_SLOT_LEFT"
    assert "deadline" not in body["reason"]["params"]
    assert body["load"]["pinned"] is None
    after = in_force(client, tokens)
    assert slot["load_id"] not in {a["load_id"] for a in after["assignments"]}


# --- an ETA moved: PATCH of `release` on a scheduled load ---------------------------------------


def test_an_eta_moved_past_the_slot_repairs_it_at_once_and_the_old_slot_is_gone(
    client, tokens, uow, published
):
    slot = busy_slot(published["assignments"])
    before = _violations(uow, published)
    eta = datetime.fromisoformat(slot["start"]) + timedelta(minutes=50)

    patched = _move_eta(client, tokens, slot, eta)

    assert patched.status_code == 200, patched.json
    after = in_force(client, tokens)
    mine = _slot_of(after, slot)
    assert datetime.fromisoformat(mine["start"]) >= eta
    assert mine["start"] != slot["start"]
    others = lambda plan: sorted(  # noqa: E731
        (a for a in plan["assignments"] if a["load_id"] != slot["load_id"]),
        key=lambda a: a["load_id"],
    )
    assert others(after) == others(published)
    assert _violations(uow, after) <= before
    items = audit_items(client, tokens["admin"], slot["load_id"], "load.repair")
    assert [(e["details"]["code"], e["details"]["params"]["new_start"]) for e in items] == [
        ("ETA_CHANGED", mine["start"])
    ]


def test_an_eta_moved_earlier_keeps_the_slot(client, tokens, published):
    slot = busy_slot(published["assignments"])
    eta = datetime.fromisoformat(slot["start"]) - timedelta(hours=3)
    patched = _move_eta(client, tokens, slot, eta)
    assert patched.status_code == 200, patched.json
    after = in_force(client, tokens)
    assert _slot_of(after, slot) == slot


# --- no gap by the due: the fewest later loads of the dock are pushed --------------------------


def _cold_row(uow, xunwu, at: datetime, owners: tuple[str, ...] | None = None) -> None:
    """Three cold trucks on the toll station's one cold dock (35 min + 30 min disinfection):
    C1 07:00 (due 08:00), C2 08:15 (due 12:00), C3 11:00 after the dock's 10:00-11:00 deep
    clean (due 12:30); published. `owners`: each truck's enterprise (else the template's)."""
    template = next(ld for ld in xunwu.loads if ld.temperature.value == "cold")
    hub = next(h for h in xunwu.hubs if h.id == "XW-TS")
    zone = next(z for z in hub.zones if z.id == "TS-COLD")
    day = T("2026-11-28T07:00:00+08:00")
    loads, rows = [], []
    for i, (begin, due) in enumerate([(0, 60), (75, 300), (240, 330)], start=1):
        start = day + timedelta(minutes=begin)
        owner = owners[i - 1] if owners else template.enterprise_id
        load = template.model_copy(
            update={
                "id": f"{owner}/C{i}",  # stored by key (load_keys)
                "enterprise_id": owner,
                "release": start,
                "due": day + timedelta(minutes=due),
                "deadline": None,
                "allowed_hubs": ["XW-TS"],
                "has_pass": True,
                "status": LoadStatus.SCHEDULED,
            }
        )
        loads.append(load)
        rows.append(
            assignment(
                load.id, (hub.id, zone.id, "TS-COLD1"), start, load.handling_minutes,
                disinfection_minutes(load, zone, hub),
            )
        )  # fmt: skip
    with uow:
        for load in loads:
            uow.loads.add(load)
        uow.commit()
    stored_plan(
        uow, Schedule(scenario="xunwu", status="feasible", assignments=rows), at, publish=True
    )


def test_with_no_gap_by_its_due_a_late_truck_pushes_the_next_trucks_of_its_dock(
    client, tokens, uow, seeded, xunwu
):
    _cold_row(uow, xunwu, T("2026-11-28T07:00:00+08:00"))
    published = in_force(client, tokens)
    old = {a["load_id"]: a for a in published["assignments"]}

    response = client.post(
        "/api/v1/loads/C1/check-in",
        headers=tokens["operator"],
        json={"at": "2026-11-28T07:20:00+08:00", **PASS},
    )

    assert response.status_code == 200, response.json
    body = response.json
    # 07:30, the first grid minute from the arrival, not the first gap (after C3, long past its
    # due): C2 moves 30 minutes (still before the deep clean and its due), C3 stays.
    assert body["slot"]["start"] == "2026-11-28T07:30:00+08:00"
    assert body["reason"]["code"] == "LATE_ARRIVAL"
    pushed = body["reason"]["params"]["moved"]
    assert pushed == [{"load_id": "C2", "enterprise_id": "E04"}]  # the gate sees whose it is
    moved = [m["load_id"] for m in pushed]
    after = {a["load_id"]: a for a in in_force(client, tokens)["assignments"]}
    assert after["C1"] == body["slot"]
    for load_id in moved:
        assert after[load_id]["dock_id"] == "TS-COLD1"
        assert T(after[load_id]["start"]) > T(old[load_id]["start"])
        shown = client.get(f"/api/v1/loads/{load_id}", headers=tokens["admin"]).json
        changed = shown["slot_changed"]
        assert changed["code"] == "SHIFTED_FOR_REPAIR"
        assert changed["params"]["for_load"] == {"load_id": "C1", "enterprise_id": "E04"}
        assert changed["params"]["new_start"] == after[load_id]["start"]  # the site's zone
        assert changed["params"]["planned_start"] == old[load_id]["start"]
        assert changed["params"]["shift_minutes"] == 30
        items = audit_items(client, tokens["admin"], load_id, "load.repair")
        assert [e["details"]["code"] for e in items] == ["SHIFTED_FOR_REPAIR"]
    assert after["C3"] == old["C3"]
    assert not _violations(uow, {"assignments": list(after.values()), "unscheduled": []})
