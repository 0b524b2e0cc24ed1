"""The repair's prefilters skip only what the verifier would refuse (`solver/repair.py`).

Before asking the verifier, `earliest_slot` skips candidates that overlap a dock's span or one
of its blocked windows (H3, H5), lie outside an opening period (H5), are at a hub that is not
active (H2), or are in the wrong place or too early or late for a placed relay partner (H7); and
it asks the verifier on the hub's part of the plan only. These tests compare it with brute
force on small random days: every dock of every hub, every slot-grid minute from `earliest`,
each judged by the verifier on the WHOLE plan. The earliest start the brute force accepts is the
start the repair returns; a prefilter that wrongly skipped a feasible start, or a part check
that missed a rule, would fail here.
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from hub_scheduler.domain import PlanStatus, Schedule
from hub_scheduler.facts import assignment, disinfection_minutes
from hub_scheduler.solver import fcfs
from hub_scheduler.solver.repair import earliest_slot, repair
from hub_scheduler.verify import verify
from tests.unit.builders import assign, at, make_hub, make_load, make_scenario, make_zone

SLOT = 15


def _violations(scenario, assignments) -> set[str]:
    schedule = Schedule(scenario=scenario.name, status=PlanStatus.FEASIBLE, assignments=assignments)
    return {v.text for v in verify(scenario, schedule).violations}


@st.composite
def _days(draw):
    """One to three hubs (one may be on standby), docks with blocked windows, opening hours,
    crews, and relays in both directions around the load that is repaired."""
    windows = draw(
        st.lists(
            st.tuples(
                st.sampled_from([{}, {"zone_id": "Z1"}, {"dock_id": "D1"}, {"dock_id": "D2"}]),
                st.integers(0, 20 * 4),
                st.integers(1, 12),
            ),
            max_size=3,
        )
    )
    blocked = [{**where, "start": a * 15, "end": (a + n) * 15} for where, a, n in windows]
    hubs = [
        make_hub(
            "H1",
            zones=[make_zone(docks=["D1", "D2"], crews=draw(st.sampled_from([None, 1])))],
            disinfection_minutes=draw(st.sampled_from([0, 10, 20])),
            opening_hours=draw(st.sampled_from([None, [("06:00", "22:00")], [("08:00", "12:00")]])),
            blocked=blocked,
        )
    ]
    if draw(st.booleans()):
        hubs.append(make_hub("H2", zones=[make_zone("Z1", docks=["D1"])]))
    if draw(st.booleans()):
        hubs.append(make_hub("H3", zones=[make_zone("Z1", docks=["D1"])], status="standby"))
    loads = []
    for i in range(draw(st.integers(2, 8))):
        release = draw(st.integers(0, 18 * 4)) * 15
        handling = draw(st.sampled_from([30, 45, 60]))
        due = release + handling + draw(st.integers(0, 240))
        # The due is no limit (S2 pays for lateness); only some loads have a hard deadline (H4),
        # at or after the due.
        after_due = draw(st.one_of(st.none(), st.integers(0, 8 * 60)))
        deadline = None if after_due is None else due + after_due
        loads.append(
            make_load(f"L{i + 1}", release=release, due=due, handling=handling, deadline=deadline)
        )
    transfers = []
    if draw(st.booleans()):
        transfers.append(("L1", "L2", draw(st.sampled_from([0, 15, 25]))))
    if draw(st.booleans()) and len(loads) > 2:
        transfers.append(("L3", "L1", draw(st.sampled_from([0, 20]))))
    scenario = make_scenario(hubs=hubs, loads=loads, transfers=transfers)
    return scenario, draw(st.sampled_from(["L1", "L2", "L3"])), draw(st.integers(0, 600))


def _brute_force_earliest(scenario, load, others, earliest):
    """The earliest grid start from `earliest` at which the whole plan verifies with no new
    violation, over every dock of the load's temperature at every hub; None when none."""
    before = _violations(scenario, others)
    first = -(-int((earliest - scenario.horizon.start).total_seconds() // 60) // SLOT) * SLOT
    horizon = int((scenario.horizon.end - scenario.horizon.start).total_seconds() // 60)
    for minute in range(first, horizon, SLOT):
        start = scenario.horizon.start + timedelta(minutes=minute)
        for hub in scenario.hubs:
            for zone in hub.zones:
                if zone.temperature != load.temperature:
                    continue
                for dock in zone.docks:
                    candidate = assignment(
                        load.id,
                        (hub.id, zone.id, dock.id),
                        start,
                        load.handling_minutes,
                        disinfection_minutes(load, zone, hub),
                    )
                    if not (_violations(scenario, [*others, candidate]) - before):
                        return start
    return None


def _taken_out(scenario, pick, late):
    plan = fcfs(scenario).assignments
    slot = next((a for a in plan if a.load_id == pick), None)
    if slot is None:
        return None
    others = [a for a in plan if a.load_id != pick]
    load = next(ld for ld in scenario.loads if ld.id == pick)
    return load, others, slot.start + timedelta(minutes=late)


@settings(max_examples=60, deadline=None)
@given(day=_days())
def test_the_repaired_gap_is_the_earliest_start_the_whole_plan_verifier_accepts(day):
    scenario, pick, late = day
    taken = _taken_out(scenario, pick, late)
    if taken is None:
        return
    load, others, earliest = taken

    found = earliest_slot(scenario, load, others, earliest).assignment

    expected = _brute_force_earliest(scenario, load, others, earliest)
    event("found" if found else "none")
    assert (found.start if found else None) == expected
    if found is not None:
        assert not (_violations(scenario, [*others, found]) - _violations(scenario, others))


@settings(max_examples=25, deadline=None)
@given(day=_days())
@example(  # an outbound whose inbound is placed: its start waits for the relay's min gap
    day=(
        make_scenario(
            hubs=[make_hub("H1", zones=[make_zone(docks=["D1", "D2"])], disinfection_minutes=10)],
            loads=[
                make_load("L1", release=0, due=600, handling=30),
                make_load("L2", release=0, due=600, handling=30),
            ],
            transfers=[("L1", "L2", 25)],
        ),
        "L2",
        0,
    )
)
def test_a_pushing_repair_verifies_on_the_whole_plan(day):
    scenario, pick, late = day
    taken = _taken_out(scenario, pick, late)
    if taken is None:
        return
    load, others, earliest = taken

    fixed = repair(scenario, load, others, earliest, {a.load_id for a in others})

    # Late is allowed: whenever the whole plan takes the load somewhere (after its due too), the
    # repair places it, no later than that gap (an insertion only ever starts earlier).
    expected = _brute_force_earliest(scenario, load, others, earliest)
    if expected is not None:
        assert fixed.assignment is not None
        assert fixed.assignment.start <= expected
        event("late" if fixed.assignment.end > load.due else "on time")
    new = {a.load_id: a for a in fixed.moved}
    after = [new.get(a.load_id, a) for a in others]
    placed = [*after, fixed.assignment] if fixed.assignment else after
    assert not (_violations(scenario, placed) - _violations(scenario, others))


# Each prefilter at its edge: the one feasible start lies exactly on the boundary it checks, so a
# prefilter a minute too strict finds nothing (or later), and the brute force agrees with the edge.


def _relay_day(gap: int):
    return make_scenario(
        hubs=[make_hub("H1", zones=[make_zone(docks=["D1", "D2"])], disinfection_minutes=10)],
        loads=[
            make_load("L1", release=0, due=600, handling=30),
            make_load("L2", release=0, due=600, handling=30),
        ],
        transfers=[("L1", "L2", gap)],
    )


def _check_edge(scenario, load_id, others, earliest, expected):
    load = next(ld for ld in scenario.loads if ld.id == load_id)
    found = earliest_slot(scenario, load, others, at(earliest)).assignment
    assert found is not None and found.start == at(expected)
    assert _brute_force_earliest(scenario, load, others, at(earliest)) == at(expected)


def test_an_inbound_may_start_as_late_as_its_placed_outbound_allows():
    day = _relay_day(gap=20)  # offset: 30 handling + 10 disinfection + 20 gap = 60 minutes
    _check_edge(day, "L1", [assign(day, "L2", 300, dock_id="D2")], earliest=240, expected=240)


def test_an_outbound_starts_at_the_first_grid_minute_after_its_inbound_and_the_relay_gap():
    # inbound 0-30, disinfected at 40, +35 gap: 75, on the grid; 75 is no moment a dock frees,
    # and before the relay's limits were candidates the repair found no start at all
    day = _relay_day(gap=35)
    _check_edge(day, "L2", [assign(day, "L1", 0)], earliest=0, expected=75)


def test_a_load_past_its_due_takes_the_later_free_gap_and_only_its_deadline_stops_it():
    """The due (60) has passed at the earliest start (240): the gap after the dock's other
    operation is taken all the same; a hard deadline before that gap leaves no slot."""
    day = make_scenario(
        hubs=[make_hub("H1", zones=[make_zone(docks=["D1"])], disinfection_minutes=10)],
        loads=[
            make_load("L1", release=0, due=60, handling=30),
            make_load("L2", release=0, due=600, handling=60),
        ],
    )
    others = [assign(day, "L2", 240)]  # 240-300, disinfected at 310
    _check_edge(day, "L1", others, earliest=240, expected=315)
    fixed = repair(day, day.loads[0], others, at(240), {"L2"})
    assert fixed.assignment is not None and fixed.assignment.end > day.loads[0].due
    hard = day.model_copy(
        update={"loads": [day.loads[0].model_copy(update={"deadline": at(330)}), day.loads[1]]}
    )
    assert earliest_slot(hard, hard.loads[0], others, at(240)).assignment is None
    assert _brute_force_earliest(hard, hard.loads[0], others, at(240)) is None


def test_a_span_may_end_exactly_when_the_hub_closes():
    day = make_scenario(
        hubs=[make_hub("H1", opening_hours=[("08:00", "12:00")], disinfection_minutes=10)],
        loads=[make_load("L1", release=0, due=900, handling=35)],
    )
    _check_edge(day, "L1", [], earliest=11 * 60 + 15, expected=11 * 60 + 15)  # 11:15 + 45 = 12:00


def test_a_span_may_end_exactly_when_a_blocked_window_begins():
    day = make_scenario(
        hubs=[
            make_hub(
                "H1",
                disinfection_minutes=10,
                blocked=[{"dock_id": "D1", "start": 600, "end": 660}],
            )
        ],
        loads=[make_load("L1", release=0, due=900, handling=35)],
    )
    _check_edge(day, "L1", [], earliest=555, expected=555)  # 9:15 + 45 = 10:00, the window's start
    _check_edge(day, "L1", [], earliest=570, expected=660)  # inside it: after the window
