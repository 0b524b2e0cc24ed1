"""Races on the live day: two hands on one truck, one dock or one plan at the same moment, with
real threads and real HTTP requests, on SQLite and on PostgreSQL (`migrated_database_url`).

Each test names the end states it allows (the serial orders, or the loser refused), and checks
that the audit log holds exactly the winner's entries and that a refused request got a 409 whose
detail is Chinese (Accept-Language zh-CN). The check-in, an ETA change, a positive case and a
publish take turns on the plan in force (`plans.lock_publishing`, taken first in each).
"""

from __future__ import annotations

import io
import json
import re
import time
from collections import Counter
from datetime import datetime, timedelta
from functools import partial

import pytest
from threads import all_at_once
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from api.database import db
from hub_scheduler.domain import Assignment
from tests.api.live_day import dispose, key, live_day, verify_in_force

pytestmark = [pytest.mark.db, pytest.mark.slow]

T = datetime.fromisoformat
MIN = timedelta(minutes=1)
ZH = {"Accept-Language": "zh-CN"}
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def day(migrated_database_url, xunwu):
    """The Xunwu day planned as of 00:00 and published."""
    live = live_day(migrated_database_url, xunwu)
    assert live.publish(live.plan()["id"]).status_code == 200
    yield live
    dispose(live)


def _zh(headers: dict[str, str]) -> dict[str, str]:
    return {**headers, **ZH}


def _url(a: dict, action: str = "") -> str:
    return f"/api/v1/loads/{a['load_id']}{action}?enterprise_id={a['enterprise_id']}"


def _refused_in_chinese(response) -> None:
    assert response.status_code == 409, (response.status_code, response.get_data(as_text=True))
    assert CHINESE.search(response.json["detail"]), response.json


def _actions(day, target_id: str, target_type: str = "load") -> Counter:
    uow = db.uow(day.app)
    with uow:
        entries = uow.audit.list(target_type=target_type, target_id=target_id, limit=None)
        return Counter(e.action for e in entries)


def _new(before: Counter, after: Counter) -> list[str]:
    return sorted((after - before).elements())


def _truck(day, load_key: str) -> tuple[str, tuple | None, Assignment | None]:
    """The load's status, its pin (hub, dock, start) and its slot in force."""
    uow = db.uow(day.app)
    with uow:
        load = uow.loads.get(load_key)
        held = uow.plans.in_force([load_key]).get(load_key)
    assert load is not None
    pin = (load.pinned.hub_id, load.pinned.dock_id, load.pinned.start) if load.pinned else None
    return load.status.value, pin, held.assignment if held is not None else None


def _at(slot: Assignment | None) -> tuple | None:
    return (slot.hub_id, slot.dock_id, slot.start) if slot is not None else None


def _neighbours(assignments: list[dict], within: timedelta, count: int) -> list[tuple]:
    """`count` pairs (a, b) of trucks one after the other on one dock, b starting less than
    `within` after a, each pair on another dock, from 08:00 on."""
    rows = sorted(assignments, key=lambda a: (a["hub_id"], a["dock_id"], a["start"]))
    pairs, docks = [], set()
    for a, b in zip(rows, rows[1:], strict=False):
        dock = (a["hub_id"], a["dock_id"])
        if (
            dock == (b["hub_id"], b["dock_id"])
            and dock not in docks
            and a["start"][11:16] >= "08:00"
            and T(b["start"]) - T(a["start"]) < within
        ):
            pairs.append((a, b))
            docks.add(dock)
    assert len(pairs) >= count, pairs
    return pairs[:count]


# --- check-in vs an ETA change that moves the slot ------------------------------------------------


def test_a_check_in_racing_an_eta_change_pins_the_truck_to_the_slot_in_force(day):
    """Allowed, per truck (checked in 5 minutes before its slot; the ETA moved 50 minutes past
    the slot's start):
    - "check-in first": the truck keeps its slot and is pinned there; the ETA change is refused
      (409: the truck is at the gate); audit: load.check_in only;
    - "ETA first": the slot is repaired past the new ETA, then the truck checks in early and is
      pinned to the repaired slot; audit: load.update, load.repair, load.check_in; or, when the
      day has no room from the new ETA (a relay's or a deadline's limit, in the plan a loaded
      machine makes in 1 s), the slot is withdrawn (NO_SLOT_LEFT) and the truck pinned nowhere.
    Never: the truck pinned to its old slot while the plan in force gives it the new one."""
    shown = day.in_force()["assignments"]
    trucks = sorted(
        (a for a in shown if "09:00" <= a["start"][11:16] <= "15:00"), key=lambda a: a["start"]
    )[::9][:5]
    seen = set()
    for a in trucks:
        load_key, start = key(a), T(a["start"])
        eta = start + 50 * MIN
        before = _actions(day, load_key)

        def check_in(a=a, start=start):
            return day.app.test_client().post(
                _url(a, "/check-in"),
                json={"at": (start - 5 * MIN).isoformat(), "has_pass": True},
                headers=_zh(day.operator),
            )

        def move_eta(a=a, eta=eta):
            return day.app.test_client().patch(
                _url(a),
                json={"release": eta.isoformat(), "due": (eta + 180 * MIN).isoformat()},
                headers=_zh(day.admin),
            )

        checked, moved = all_at_once([check_in, move_eta])
        assert checked.status_code == 200, checked.json
        status, pin, slot = _truck(day, load_key)
        assert status == "checked_in"
        if slot is None:
            # The ETA moved first and the day had no room from it (a relay's or a deadline's
            # limit): the repair withdrew the slot, and the truck checked in is pinned nowhere.
            assert moved.status_code == 200, moved.json
            assert moved.json["slot_changed"]["code"] == "NO_SLOT_LEFT", moved.json
            assert pin is None and checked.json["slot"] is None, (pin, checked.json)
            seen.add("ETA first, no room")
            continue
        assert pin == _at(slot), (a["load_id"], pin, slot)
        assert T(checked.json["slot"]["start"]) == slot.start  # the gate was told that slot
        new = _new(before, _actions(day, load_key))
        if moved.status_code == 200:
            seen.add("ETA first")
            assert slot.start >= eta
            assert new == ["load.check_in", "load.repair", "load.update"], new
        else:
            seen.add("check-in first")
            _refused_in_chinese(moved)
            assert _at(slot) == (a["hub_id"], a["dock_id"], start)
            assert new == ["load.check_in"], new
    assert seen <= {"ETA first", "ETA first, no room", "check-in first"}
    verify_in_force(day)


# --- a positive driver vs a check-in at the dock it closes ----------------------------------------


def test_a_positive_case_racing_a_check_in_at_its_dock_never_leaves_the_truck_on_the_blocked_dock(
    day,
):
    """Allowed, per pair (the positive truck P, then truck X on the same dock; the case reported
    a minute into P's slot blocks that dock for 120 minutes, X checks in 5 minutes early):
    - "check-in first": X checks in at its slot, then the incident moves it off the blocked dock
      (`load.repair`, DOCK_BLOCKED, by the incident);
    - "incident first": the check-in finds its dock blocked and repairs X's slot itself (the
      answer's reason DOCK_BLOCKED, or NO_SLOT_LEFT when the day has no room: X then waits for
      the incident's re-plan).
    Either way: P cancelled, one incident, X checked in, pinned to its slot in force (or neither
    has one), which lies clear of the blocked window; audit of X: load.check_in and one
    load.repair. X carries an override note, but is no contact either way (never audited
    load.contact_override): the incident first, X had not come (a truck still to come is moved,
    not listed); the check-in first, X is listed but already in."""
    pairs = _neighbours(day.in_force()["assignments"], timedelta(minutes=90), 3)
    seen = set()
    # Released together, the check-in mostly wins; one started a little later mostly finds the
    # dock blocked (before the fix, it pinned the truck there).
    for (positive, truck), delay_s in zip(pairs, (0.0, 0.0, 0.3), strict=True):
        at = T(positive["start"]) + MIN
        until = at + timedelta(minutes=120)
        truck_key = key(truck)
        before = _actions(day, truck_key)

        def report(positive=positive, at=at):
            body = {
                "load_id": positive["load_id"],
                "enterprise_id": positive["enterprise_id"],
                "at": at.isoformat(),
                "time_limit_s": 1,
            }
            return day.app.test_client().post(
                "/api/v1/incidents", json=body, headers=_zh(day.admin)
            )

        def check_in(truck=truck, delay_s=delay_s):
            time.sleep(delay_s)
            at = T(truck["start"]) - 5 * MIN
            return day.app.test_client().post(
                _url(truck, "/check-in"),
                json={"at": at.isoformat(), "has_pass": True, "override_note": "放行：复检阴性"},
                headers=_zh(day.operator),
            )

        reported, checked = all_at_once([report, check_in])
        assert reported.status_code == 201, reported.json
        assert checked.status_code == 200, checked.json
        reason = (checked.json.get("reason") or {}).get("code")
        seen.add("check-in first" if reason is None else "incident first")
        # Repaired by the check-in: a new slot, or none left (it waits for the incident's re-plan).
        assert reason in (None, "DOCK_BLOCKED", "NO_SLOT_LEFT", "DEADLINE_PASSED"), checked.json
        status, pin, slot = _truck(day, truck_key)
        why = (truck, positive, checked.json, reported.json["incident"])
        assert status == "checked_in"
        assert pin == _at(slot), (pin, slot, why)
        if slot is not None and (slot.hub_id, slot.dock_id) == (truck["hub_id"], truck["dock_id"]):
            assert slot.start >= until or slot.disinfected_at <= at, slot
        new = _new(before, _actions(day, truck_key))
        assert "load.contact_override" not in new, why
        assert [a for a in new if a != "load.contact_override"] == [
            "load.check_in",
            "load.repair",
        ], why
        assert _truck(day, key(positive))[0] == "cancelled"
    assert seen <= {"incident first", "check-in first"}
    uow = db.uow(day.app)
    with uow:
        assert len(uow.audit.list(action="incident.create", limit=None)) == len(pairs)


# --- a hub suspended vs a publish of a plan using it ----------------------------------------------


def test_a_suspension_racing_a_publish_leaves_no_slot_in_force_at_the_closed_hub(day):
    """Allowed, per round (a new plan placing trucks at XW-TS, published while XW-TS is
    suspended):
    - "suspension first": the publish is refused (409, the hub is closed); the plan is not
      published and no plan.publish entry names it;
    - "publish first": the plan goes in force, then the suspension withdraws its XW-TS slots
      (plan.withdraw replacing it).
    Either way: XW-TS suspended, no slot in force there, the plan in force passes the verifier."""
    seen = set()
    # Released together, the publish mostly wins (the switch commits and tells first); a publish
    # started a little later mostly finds the hub closed. Both are races all the same.
    for seed, delay_s in ((21, 0.0), (22, 0.3)):
        job = day.plan(seed=seed)
        uow = db.uow(day.app)
        with uow:
            computed = uow.plans.get(job["id"]).schedule
        assert any(a.hub_id == "XW-TS" for a in computed.assignments)
        before = _actions(day, "XW-TS", "hub")

        def suspend():
            return day.app.test_client().post(
                "/api/v1/hubs/XW-TS/status",
                json={"status": "suspended", "reason": "疫情封控", "replan": {"time_limit_s": 1}},
                headers=_zh(day.admin),
            )

        def publish(plan_id=job["id"], delay_s=delay_s):
            time.sleep(delay_s)
            return day.app.test_client().post(
                f"/api/v1/plans/{plan_id}/publish", headers=_zh(day.admin)
            )

        suspended, published = all_at_once([suspend, publish])
        assert suspended.status_code == 200, suspended.json
        with uow:
            entries = uow.audit.list(target_type="plan", limit=None)
            publishes = [e for e in entries if e.action == "plan.publish"]
            withdrawals = [e for e in entries if e.action == "plan.withdraw"]
            plan = uow.plans.get(job["id"], with_rows=False)
        named = [e for e in publishes if e.target_id == str(job["id"])]
        from_it = [e for e in withdrawals if e.details["replaced"] == job["id"]]
        if published.status_code == 200:
            seen.add("publish first")
            assert len(named) == 1 and len(from_it) == 1, (named, from_it)
        else:
            seen.add("suspension first")
            _refused_in_chinese(published)
            assert not plan.published and named == [] and from_it == []
        assert _new(before, _actions(day, "XW-TS", "hub")) == ["hub.status"]
        assert not [a for a in day.in_force()["assignments"] if a["hub_id"] == "XW-TS"]
        verify_in_force(day)
        again = day.client.post(
            "/api/v1/hubs/XW-TS/status",
            json={"status": "active", "reason": "解除"},
            headers=day.admin,
        )
        assert again.status_code == 200, again.json
    assert seen <= {"publish first", "suspension first"}


# --- two gate operators, two late trucks, one dock, one minute ------------------------------------


def test_two_late_trucks_checked_in_at_one_dock_in_the_same_minute_get_slots_that_do_not_clash(
    day,
):
    """Allowed, per pair (two trucks one after the other on a dock, both arriving 5 minutes after
    the second one's slot, checked in by two operators at once): either is repaired first
    ("first truck first", "second truck first"); each is checked in, pinned to its own slot in
    force (none: no slot left), the two never overlapping on a dock (the plan in force passes the
    verifier); audit of each: load.check_in and load.repair."""
    pairs = _neighbours(day.in_force()["assignments"], timedelta(minutes=90), 3)
    for first, second in pairs:
        at = T(second["start"]) + 5 * MIN
        befores = [_actions(day, key(t)) for t in (first, second)]

        def check_in(truck, at=at):
            return day.app.test_client().post(
                _url(truck, "/check-in"),
                json={"at": at.isoformat(), "has_pass": True},
                headers=_zh(day.operator),
            )

        answers = all_at_once([partial(check_in, first), partial(check_in, second)])
        assert [a.status_code for a in answers] == [200, 200], [a.json for a in answers]
        slots = []
        for truck, before in zip((first, second), befores, strict=True):
            status, pin, slot = _truck(day, key(truck))
            assert status == "checked_in"
            assert pin == _at(slot), (truck["load_id"], pin, slot)
            # Repaired, or (the other's repair went first and left its slot, 5 min late, within
            # the gate's clock skew) checked in at its slot: either order is a right answer.
            assert _new(before, _actions(day, key(truck))) in (
                ["load.check_in", "load.repair"],
                ["load.check_in"],
            )
            slots.append(slot)
        a, b = slots
        if a is not None and b is not None and (a.hub_id, a.dock_id) == (b.hub_id, b.dock_id):
            assert a.disinfected_at <= b.start or b.disinfected_at <= a.start, (a, b)
        verify_in_force(day)


# --- a sheet import vs a batch with the same ids --------------------------------------------------


def _loads(ids: list[str]) -> list[dict]:
    return [
        {
            "id": load_id,
            "enterprise_id": "E01",
            "category": "medical_supplies",
            "temperature": "ambient",
            "handling_minutes": 30,
            "release": "2026-11-28T10:00:00+08:00",
            "due": "2026-11-28T12:00:00+08:00",
            "has_pass": True,
        }
        for load_id in ids
    ]


def test_a_sheet_import_racing_a_batch_with_an_id_in_common_stores_one_of_them_whole(day):
    """Allowed, per round (enterprise E01: a batch of ids A, B and a sheet of ids B, C):
    - "batch first": A and B stored by the batch (one load.batch entry); the sheet refused whole,
      C not stored;
    - "sheet first": B and C stored by the sheet (one load.import entry); the batch refused whole,
      A not stored.
    The loser is a 409 in Chinese when it met the winner's rows at its insert, or a 422 naming
    its row's id when it read them first (the serial order): never a 500, never half a file."""
    seen = set()
    for round_ in range(4):
        a, b, c = (f"RACE-{round_}-{n}" for n in "ABC")
        boundary, sheet = encode_multipart(
            {"file": FileStorage(io.BytesIO(json.dumps(_loads([b, c])).encode()), "loads.json")}
        )

        def batch(a=a, b=b):
            return day.app.test_client().post(
                "/api/v1/loads/batch", json=_loads([a, b]), headers=_zh(day.enterprise)
            )

        def upload(sheet=sheet, boundary=boundary):
            return day.app.test_client().post(
                "/api/v1/loads/import",
                data=sheet,
                headers=_zh(day.enterprise),
                content_type=f"multipart/form-data; boundary={boundary}",
            )

        batched, imported = all_at_once([batch, upload])
        codes = (batched.status_code, imported.status_code)
        assert codes in [(201, 409), (201, 422), (409, 201), (422, 201)], (
            batched.json,
            imported.json,
        )
        winner, loser = (batched, imported) if batched.status_code == 201 else (imported, batched)
        seen.add("batch first" if winner is batched else "sheet first")
        if loser.status_code == 409:
            _refused_in_chinese(loser)
        else:
            assert CHINESE.search(loser.json["detail"]), loser.json
            assert any(b in json.dumps(e, ensure_ascii=False) for e in loser.json["errors"]), (
                loser.get_data(as_text=True)
            )
        uow = db.uow(day.app)
        with uow:
            stored = {i for i in (a, b, c) if uow.loads.get(f"E01/{i}") is not None}
            entries = [
                e
                for e in uow.audit.list(limit=None)
                if e.action in ("load.batch", "load.import", "load.create")
                and any(i in json.dumps(e.details) for i in (a, b, c))
            ]
        expected = {a, b} if winner is batched else {b, c}
        assert stored == expected
        assert len(entries) == 1, [(e.action, e.details) for e in entries]
        named = {ref["load_id"].split("/")[-1] for ref in entries[0].details["load_ids"]}
        assert named == expected
    assert seen <= {"batch first", "sheet first"}
