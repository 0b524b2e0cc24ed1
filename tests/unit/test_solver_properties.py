"""Property-based: random small days always give plans the verifier accepts, with the objective it
recomputes; random one-dock days small enough to enumerate are solved to the brute-force optimum."""

from __future__ import annotations

import pytest
from builders import (
    job_loads,
    make_enterprise,
    make_hub,
    make_load,
    make_scenario,
    make_zone,
    one_machine_optimum,
    position,
)
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from hub_scheduler.domain import HubStatus, LoadStatus, Location
from hub_scheduler.solver import fcfs, solve
from hub_scheduler.verify import verify

OPENINGS = [
    None,
    [("06:00", "22:00")],
    [("22:00", "06:00")],
    [("00:00", "12:00"), ("13:00", "24:00")],
]


@st.composite
def small_days(draw):
    hubs = []
    for h in range(draw(st.integers(1, 2))):
        zones = []
        for z in range(draw(st.integers(1, 2))):
            docks = [f"H{h}Z{z}D{d}" for d in range(draw(st.integers(1, 2)))]
            zones.append(
                make_zone(
                    f"H{h}Z{z}",
                    draw(st.sampled_from(["ambient", "cold"])),
                    docks=docks,
                    crews=draw(st.sampled_from([None, 1, 2])),
                    disinfection_minutes=draw(st.sampled_from([None, 0, 10])),
                )
            )
        blocked = []
        for _ in range(draw(st.integers(0, 2))):
            a = draw(st.integers(0, 1200))
            zone = draw(st.sampled_from(zones))
            where = draw(st.sampled_from(["hub", "zone", "dock"]))
            block = {"start": a, "end": a + draw(st.integers(15, 240)), "reason": "test"}
            if where == "zone":
                block["zone_id"] = zone.id
            elif where == "dock":
                block["dock_id"] = zone.docks[0].id
            blocked.append(block)
        hubs.append(
            make_hub(
                f"H{h}",
                zones=zones,
                blocked=blocked,
                opening_hours=draw(st.sampled_from(OPENINGS)),
                status=draw(st.sampled_from([HubStatus.ACTIVE] * 4 + [HubStatus.STANDBY])),
                disinfection_minutes=draw(st.sampled_from([0, 15, 20])),
                max_trucks_on_site=draw(st.sampled_from([None, 1, 2])),
                slot_minutes=draw(st.sampled_from([None, 5, 10])),
                location=Location(lat=25.9 + 0.1 * h, lon=115.6 + 0.07 * h),
            )
        )
    loads = []
    n = draw(st.integers(1, 7))
    for i in range(n):
        release = draw(st.integers(0, 1200))
        handling = draw(st.integers(10, 120))
        hub = draw(st.sampled_from(hubs))
        dock = hub.zones[0].docks[0].id
        fields = {}
        if draw(st.integers(0, 5)) == 0:
            fields["deadline"] = release + handling + draw(st.integers(0, 200))
        if draw(st.integers(0, 6)) == 0:
            fields["pinned"] = position(hub.id, dock, 15 * draw(st.integers(0, 80)))
        if draw(st.integers(0, 4)) == 0:
            fields["previous"] = position(hub.id, dock, 15 * draw(st.integers(0, 80)))
            if draw(st.booleans()):
                fields["status"] = LoadStatus.CHECKED_IN
        if draw(st.integers(0, 5)) == 0:
            fields["allowed_hubs"] = [hub.id]
        if draw(st.integers(0, 8)) == 0:
            fields["status"] = LoadStatus.CANCELLED
        if draw(st.booleans()):
            fields["origin"] = Location(
                lat=draw(st.floats(25.5, 26.5)), lon=draw(st.floats(115.2, 116.0))
            )
        loads.append(
            make_load(
                f"L{i}",
                release=release,
                handling=handling,
                due=release + draw(st.integers(0, 300)),
                temperature=draw(st.sampled_from(["ambient", "cold"])),
                priority_weight=draw(st.integers(1, 5)),
                enterprise_id=draw(st.sampled_from(["E1", "E1", "E2"])),
                **fields,
            )
        )
    transfers = []
    if n >= 2 and draw(st.booleans()):
        transfers.append(("L0", "L1", draw(st.sampled_from([0, 15, 30]))))
        loads[1].temperature = loads[0].temperature
    enterprises = [make_enterprise("E1"), make_enterprise("E2", whitelisted=draw(st.booleans()))]
    return make_scenario(
        hubs=hubs,
        loads=loads,
        enterprises=enterprises,
        transfers=transfers,
        horizon_minutes=2880,
        slot_minutes=15,
        objective={
            "stability": draw(st.sampled_from([0, 30])),
            "waiting": draw(st.sampled_from([0, 0.1])),
            "travel": draw(st.sampled_from([0, 0.5])),
        },
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_days())
def test_every_plan_of_a_random_small_day_passes_the_verifier(scenario):
    schedule = solve(scenario, time_limit_s=0.3, workers=1, seed=0)
    report = verify(scenario, schedule)
    assert report.violations == []
    assert schedule.objective == pytest.approx(report.objective)
    assert schedule.bound is None or schedule.bound <= schedule.objective + 1e-6
    baseline = fcfs(scenario)
    assert verify(scenario, baseline).violations == []
    assert schedule.objective <= baseline.objective + 1e-6


@st.composite
def one_dock_days(draw):
    n = draw(st.integers(2, 6))
    jobs = [
        (
            draw(st.integers(0, 120)),
            draw(st.integers(5, 60)),
            draw(st.integers(0, 240)),
            draw(st.integers(1, 9)),
        )
        for _ in range(n)
    ]
    return jobs, draw(st.sampled_from([1, 5])), draw(st.sampled_from([0, 7]))


def one_dock_scenario(day):
    """One hub, one dock: (release, handling, due, weight) jobs, the slot and the disinfection."""
    jobs, slot, disinfection = day
    loads = job_loads(jobs)
    return make_scenario(
        hubs=[make_hub(disinfection_minutes=disinfection)], loads=loads, slot_minutes=slot
    )


@settings(max_examples=25, deadline=None)
@given(one_dock_days())
# Found by a random run: the order search stalled at 690 with 674 one swap away (it sampled moves
# at random and never swept them all); kept so the fix stays fixed.
@example(
    (
        [
            (0, 5, 108, 1),
            (0, 29, 0, 1),
            (0, 33, 0, 1),
            (110, 5, 0, 3),
            (0, 27, 0, 1),
            (0, 22, 0, 1),
        ],
        1,
        7,
    )
)
def test_objective_on_one_dock_equals_brute_force(day):
    jobs, slot, disinfection = day
    scenario = one_dock_scenario(day)
    best = one_machine_optimum(jobs, slot, disinfection)
    schedule = solve(scenario, time_limit_s=30, workers=1, seed=0, work_budget=20_000)
    assert verify(scenario, schedule).violations == []
    assert schedule.objective == pytest.approx(best)


def test_a_late_load_never_ejects_itself_and_double_books_its_dock():
    # Found by the property above: the load was its own blocker and came back twice.
    jobs = [(44, 19, 23, 1), (87, 30, 142, 2), (42, 49, 162, 1)]
    loads = job_loads(jobs)
    scenario = make_scenario(hubs=[make_hub(disinfection_minutes=7)], loads=loads, slot_minutes=1)
    schedule = solve(scenario, time_limit_s=30, workers=1, seed=0, work_budget=20_000)
    assert verify(scenario, schedule).violations == []
    assert schedule.objective == 51  # the brute-force optimum


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_days(), st.integers(0, 1000))
def test_schedule_moves_keep_the_timeline_equal_to_the_placed_spans(scenario, seed):
    # Reinsert, eject of one or two blockers, and eject of a dock's run (`dock_chain`).
    import random

    from hub_scheduler.solver.construct import construct
    from hub_scheduler.solver.local_search import ScheduleMoves
    from hub_scheduler.solver.planner import _prepare

    dec = _prepare(scenario)
    sol = construct(dec, lambda: 1e9)
    moves = ScheduleMoves(dec, sol, random.Random(seed))
    rng = random.Random(seed)
    for _ in range(60):
        if not dec.free:
            break
        k = rng.choice(dec.free)
        blockers = moves.blockers(k)
        chain = moves.dock_chain(k)
        if chain and rng.random() < 0.3:
            # The window repack: a dock's run of loads off with k, put back after it.
            assert all(sol.cand[j] is not None and j != k for j in chain)
            assert [sol.start[j] for j in chain] == sorted(sol.start[j] for j in chain)
            moves.eject(k, chain[: rng.randint(1, 8)], plateau=rng.random() < 0.5)
        elif blockers and rng.random() < 0.7:
            moves.eject(k, rng.sample(blockers, min(2, len(blockers))), plateau=rng.random() < 0.5)
        else:
            moves.reinsert(k)
    inst = dec.inst
    for dock in inst.docks:
        spans = sorted(
            (sol.start[k], sol.start[k] + inst.loads[k].p + sol.cand[k].disinfection)
            for k in range(len(inst.loads))
            if sol.cand[k] is not None and sol.dock[k] == dock.key
        )
        busy_dock = sol.timeline.docks[dock.key]
        busy = sorted(zip(busy_dock.starts, busy_dock.ends, strict=True))
        assert sorted(spans + dock.blocked) == busy
    assert sol.objective == pytest.approx(sum(sol.cost))


def test_an_inbound_goes_where_its_outbound_can_follow_even_if_travel_is_dearer_there():
    # Found by the fixed-seed profile: L0 took the hub nearer its origin (travel cost), where L1
    # (allowed at H0 only) cannot follow, so L1 was left out at the unscheduled penalty.
    hubs = [
        make_hub("H0", location=Location(lat=25.9, lon=115.6)),
        make_hub("H1", location=Location(lat=26.0, lon=115.67)),
    ]
    loads = [
        make_load("L0", release=0, handling=10, due=0, origin=Location(lat=26.0, lon=116.0)),
        make_load("L1", release=0, handling=10, due=0, allowed_hubs=["H0"]),
    ]
    scenario = make_scenario(
        hubs=hubs,
        loads=loads,
        transfers=[("L0", "L1", 0)],
        slot_minutes=15,
        objective={"travel": 0.5},
    )
    schedule = solve(scenario, time_limit_s=0.5, workers=1, seed=0)
    assert verify(scenario, schedule).violations == []
    assert {a.load_id: a.hub_id for a in schedule.assignments} == {"L0": "H0", "L1": "H0"}
    assert schedule.objective <= fcfs(scenario).objective + 1e-6
