"""The per-dock sequence search (`solver/dock_search.py`): it never makes a plan worse, never moves
a pinned or checked-in load, every plan it leaves passes the verifier, and on small two-dock days
the planner with it reaches the brute-force optimum."""

from __future__ import annotations

import itertools

import pytest
from builders import job_loads, make_hub, make_load, make_scenario, make_zone, position
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from hub_scheduler.domain import LoadStatus, PlanStatus
from hub_scheduler.solver import solve
from hub_scheduler.solver.construct import priority_orders
from hub_scheduler.solver.decode import Decoder
from hub_scheduler.solver.dock_search import (
    BACKWARD,
    FORWARD,
    SWAP,
    DockMoves,
    dock_search,
    moved_block,
)
from hub_scheduler.solver.eligibility import filter_candidates
from hub_scheduler.solver.instance import compile_instance
from hub_scheduler.solver.result import to_schedule
from hub_scheduler.verify import verify


class NoClock:
    def out(self) -> bool:
        return False


def decoder(scenario) -> Decoder:
    inst = compile_instance(scenario)
    return Decoder(inst, filter_candidates(inst))


def searched(scenario, order_index: int = 0, budget: int | None = 5_000):
    """(decoder, the plan of the `order_index`-th priority order, the same plan after the dock
    search, the objective before)."""
    dec = decoder(scenario)
    orders = list(priority_orders(dec))
    sol = dec.decode(orders[order_index % len(orders)])
    before = sol.objective
    snapshot = (list(sol.dock), list(sol.start))
    stats: dict = {}
    after = dock_search(
        dec,
        sol,
        clock=NoClock(),
        budget=None if budget is None else dec.placements + budget,
        report=lambda phase, objective: None,
        lower=lambda: 0.0,
        stats=stats,
    )
    return dec, snapshot, after, before, stats


def check_plan(scenario, dec, sol) -> None:
    """The plan passes the verifier, and its objective is the verifier's and the sum of costs."""
    schedule = to_schedule(dec, sol, status=PlanStatus.FEASIBLE, bound=None, seconds=0.0)
    report = verify(scenario, schedule)
    assert report.violations == []
    assert sol.objective == pytest.approx(sum(sol.cost))
    assert sol.objective == pytest.approx(report.objective)


def test_moved_block_applies_the_three_moves():
    assert moved_block([1, 2, 3, 4], SWAP) == [4, 2, 3, 1]
    assert moved_block([1, 2, 3, 4], FORWARD) == [2, 3, 4, 1]
    assert moved_block([1, 2, 3, 4], BACKWARD) == [4, 1, 2, 3]
    assert moved_block([1, 2], SWAP) == [2, 1]


def busy_two_dock_day():
    """Six loads all released at 0 on two docks whose earliest-due order is bad: the heavy, long
    ones are due late but cost most when late."""
    hub = make_hub(zones=[make_zone(docks=("D1", "D2"))], disinfection_minutes=10)
    case = [(0, 60, 60, 1), (0, 50, 70, 1), (0, 20, 90, 5), (0, 30, 95, 5), (0, 40, 100, 1)]
    case += [(0, 25, 110, 6)]
    loads = job_loads(case)
    return make_scenario(hubs=[hub], loads=loads, slot_minutes=5)


def test_a_dock_search_improves_a_bad_order_and_the_plan_verifies():
    scenario = busy_two_dock_day()
    dec, _, sol, before, stats = searched(scenario)
    assert stats["dock_moves_kept"] >= 1
    assert sol.objective < before - 1
    check_plan(scenario, dec, sol)


def test_a_rejected_move_leaves_the_plan_and_its_timeline_exactly_as_before():
    scenario = busy_two_dock_day()
    dec = decoder(scenario)
    sol = dec.decode(next(priority_orders(dec)))
    moves = DockMoves(dec, sol)
    for seq in moves.sequences().values():
        for i, j in itertools.combinations(range(len(seq)), 2):
            for kind in (SWAP, FORWARD, BACKWARD):
                starts, costs, objective = list(sol.start), list(sol.cost), sol.objective
                gain = moves.try_move(list(seq), i, j, kind)
                if gain == 0.0:
                    assert (sol.start, sol.cost, sol.objective) == (starts, costs, objective)
                else:
                    assert sol.objective == pytest.approx(objective - gain)
                    assert sum(sol.cost) == pytest.approx(objective - gain)
                    seq[:] = sorted(seq, key=lambda k: sol.start[k])
    check_plan(scenario, dec, sol)


def test_pinned_and_checked_in_loads_stay_where_they_are():
    hub = make_hub(zones=[make_zone(docks=("D1", "D2"))], disinfection_minutes=10)
    loads = [
        make_load(
            f"L{i}", release=0, handling=30 + 5 * i, due=40 + 10 * i, priority_weight=1 + i % 3
        )
        for i in range(8)
    ]
    loads[2].pinned = position("H1", "D1", 90)
    loads[5].previous = position("H1", "D2", 30)
    loads[5].status = LoadStatus.CHECKED_IN
    scenario = make_scenario(hubs=[hub], loads=loads, slot_minutes=5)
    for index in range(5):
        dec, (docks, starts), sol, before, _ = searched(scenario, index)
        assert dec.pinned  # both are pinned in instance terms
        for k in dec.pinned:
            assert (sol.dock[k], sol.start[k]) == (docks[k], starts[k])
        assert sol.objective <= before + 1e-9
        check_plan(scenario, dec, sol)


def test_relay_pairs_keep_their_order_and_zone():
    hub = make_hub(zones=[make_zone(docks=("D1", "D2"))], disinfection_minutes=10)
    loads = [
        make_load(f"L{i}", release=5 * i, handling=20 + 7 * (i % 4), due=30 + 15 * i)
        for i in range(8)
    ]
    scenario = make_scenario(
        hubs=[hub], loads=loads, slot_minutes=5, transfers=[("L6", "L1", 15), ("L7", "L2", 0)]
    )
    for index in range(5):
        dec, _, sol, before, _ = searched(scenario, index)
        assert sol.objective <= before + 1e-9
        check_plan(scenario, dec, sol)


OPENINGS = [None, [("06:00", "22:00")], [("00:00", "02:00"), ("03:00", "24:00")]]


@st.composite
def multi_dock_days(draw):
    """One or two hubs, one or two zones each, one to three docks a zone; crews, site capacity,
    opening hours, blocked windows, slot grids, pins, checked-in loads, previous positions, a
    relay; up to ten loads."""
    hubs = []
    for h in range(draw(st.integers(1, 2))):
        zones = [
            make_zone(
                f"H{h}Z{z}",
                "ambient",
                docks=[f"H{h}Z{z}D{d}" for d in range(draw(st.integers(1, 3)))],
                crews=draw(st.sampled_from([None, None, 1, 2])),
            )
            for z in range(draw(st.integers(1, 2)))
        ]
        blocked = []
        if draw(st.booleans()):
            a = draw(st.integers(0, 400))
            blocked.append(
                {"start": a, "end": a + draw(st.integers(15, 120)), "reason": "test"}
                | {"dock_id": zones[0].docks[0].id}
            )
        hubs.append(
            make_hub(
                f"H{h}",
                zones=zones,
                blocked=blocked,
                opening_hours=draw(st.sampled_from(OPENINGS)),
                disinfection_minutes=draw(st.sampled_from([0, 10, 15])),
                max_trucks_on_site=draw(st.sampled_from([None, None, 2])),
                slot_minutes=draw(st.sampled_from([None, 5])),
            )
        )
    loads = []
    n = draw(st.integers(2, 10))
    for i in range(n):
        release = draw(st.integers(0, 300))
        handling = draw(st.integers(10, 90))
        hub = draw(st.sampled_from(hubs))
        dock = hub.zones[0].docks[-1].id
        fields = {}
        if draw(st.integers(0, 7)) == 0:
            fields["pinned"] = position(hub.id, dock, 15 * draw(st.integers(0, 40)))
        if draw(st.integers(0, 4)) == 0:
            fields["previous"] = position(hub.id, dock, 15 * draw(st.integers(0, 40)))
            if draw(st.integers(0, 2)) == 0:
                fields["status"] = LoadStatus.CHECKED_IN
        if draw(st.integers(0, 5)) == 0:
            fields["deadline"] = release + handling + draw(st.integers(0, 300))
        loads.append(
            make_load(
                f"L{i}",
                release=release,
                handling=handling,
                due=release + draw(st.integers(0, 200)),
                priority_weight=draw(st.integers(1, 5)),
                **fields,
            )
        )
    transfers = []
    if n >= 3 and draw(st.booleans()):
        transfers.append(("L0", "L1", draw(st.sampled_from([0, 15]))))
    return make_scenario(
        hubs=hubs,
        loads=loads,
        transfers=transfers,
        horizon_minutes=1440,
        slot_minutes=15,
        objective={
            "stability": draw(st.sampled_from([0, 30])),
            "waiting": draw(st.sampled_from([0, 0.1])),
        },
    )


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(multi_dock_days(), st.integers(0, 4))
def test_dock_search_never_worsens_keeps_pins_and_every_plan_verifies(scenario, order_index):
    dec, (docks, starts), sol, before, _ = searched(scenario, order_index, budget=None)
    assert sol.objective <= before + 1e-6
    for k in dec.pinned:
        assert (sol.dock[k], sol.start[k]) == (docks[k], starts[k])
    for k in dec.free:
        if sol.cand[k] is not None:
            assert sol.dock[k] == docks[k]  # a move reorders a dock, never changes it
    check_plan(scenario, dec, sol)


def brute_force_two_docks(case, slot: int, disinfection: int) -> float:
    """The least weighted tardiness over every split of the loads between two docks and every
    order on each, each load at its earliest start (regular objective: semi-active plans hold an
    optimum)."""
    best = float("inf")
    n = len(case)
    for order in itertools.permutations(range(n)):
        for mask in range(1 << (n - 1)):  # the first load's dock is D1 by symmetry
            free = [0, 0]
            cost = 0.0
            for pos, i in enumerate(order):
                dock = 0 if pos == 0 else (mask >> (pos - 1)) & 1
                r, p, d, w = case[i]
                s = -(-max(free[dock], r) // slot) * slot
                cost += w * max(0, s + p - d)
                free[dock] = s + p + disinfection
            best = min(best, cost)
    return best


jobs = st.tuples(st.integers(0, 90), st.integers(5, 60), st.integers(0, 150), st.integers(1, 5))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(jobs, min_size=2, max_size=5), st.sampled_from([(1, 0), (5, 10)]))
@example([(0, 60, 60, 1), (0, 50, 70, 1), (0, 20, 90, 5), (0, 30, 95, 5), (0, 40, 100, 1)], (5, 10))
def test_two_docks_reach_the_brute_force_optimum(case, grid):
    slot, disinfection = grid
    hub = make_hub(
        zones=[make_zone(docks=("D1", "D2"))],
        disinfection_minutes=disinfection,
        slot_minutes=slot,
    )
    loads = job_loads(case)
    scenario = make_scenario(hubs=[hub], loads=loads, slot_minutes=slot)
    schedule = solve(scenario, time_limit_s=30, workers=1, seed=0, work_budget=20_000)
    assert verify(scenario, schedule).violations == []
    assert schedule.objective == pytest.approx(brute_force_two_docks(case, slot, disinfection))
