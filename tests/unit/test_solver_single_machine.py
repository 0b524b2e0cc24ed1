"""The single-machine fast path asks the timeline whether a dock is plain (no calendar, no capacity
but itself) instead of listing rules: every capacity or calendar turns it off, nothing else does."""

from __future__ import annotations

import itertools
import random

import pytest
from builders import make_hub, make_load, make_scenario, make_zone

from bench.orlib import Instance, to_scenario
from hub_scheduler.solver.planner import _prepare
from hub_scheduler.solver.single_machine import (
    Machine,
    as_single_machine,
    iterated_local_search,
)

TINY = Instance(
    name="tiny-1", processing=(3, 5, 2, 4), weights=(2, 1, 4, 3), due=(4, 6, 3, 9), best=0
)


def one_dock_day(**hub_fields):
    zone = make_zone(crews=hub_fields.pop("crews", None))
    hub = make_hub(zones=[zone], slot_minutes=1, **hub_fields)
    loads = [make_load(f"L{i}", release=0, due=30 * i, handling=20) for i in range(1, 5)]
    return make_scenario(hubs=[hub], loads=loads, horizon_minutes=1440)


def test_an_or_library_instance_takes_the_fast_path():
    machine = as_single_machine(_prepare(to_scenario(TINY)))
    assert machine is not None and sorted(machine.p) == [2, 3, 4, 5]


def test_a_plain_one_dock_day_takes_the_fast_path():
    assert as_single_machine(_prepare(one_dock_day())) is not None


@pytest.mark.parametrize(
    "fields",
    [
        {"crews": 1},  # H6
        {"max_trucks_on_site": 1},  # H8
        {"opening_hours": [("00:00", "23:00")]},  # H5 calendar
        {"blocked": [{"start": 600, "end": 700}]},  # H5 blocked window
    ],
)
def test_any_capacity_or_calendar_turns_the_fast_path_off(fields):
    assert as_single_machine(_prepare(one_dock_day(**fields))) is None


def _cost(m: Machine, seq: list[int]) -> float:
    """The weighted tardiness of `seq` back to back from t0, written out again for the test."""
    t, total = m.t0, 0.0
    for j in seq:
        total += m.w[j] * max(0.0, t + m.p[j] - m.due[j])
        t += m.span[j]
    return total


def _machine(rng: random.Random, n: int) -> Machine:
    span = [rng.randint(1, 12) for _ in range(n)]
    return Machine(
        keys=list(range(n)),
        span=span,
        p=list(span),
        w=[rng.randint(1, 6) for _ in range(n)],
        due=[float(rng.randint(0, 6 * n)) for _ in range(n)],
        t0=0,
        const=0.0,
    )


@pytest.mark.parametrize("case", range(6))
def test_the_previous_engine_reaches_the_optimum_of_a_tiny_machine_by_brute_force(case):
    m = _machine(random.Random(case), 6)
    optimum = min(_cost(m, list(p)) for p in itertools.permutations(range(6)))
    seq, cost, _, _ = iterated_local_search(
        m, list(range(6)), seed=case, budget=200_000, target=lambda: optimum
    )
    assert sorted(seq) == list(range(6))
    assert cost == pytest.approx(_cost(m, seq)) == pytest.approx(optimum)


def test_the_previous_engine_is_reproducible_by_seed_and_budget_and_the_budget_ends_it():
    m = _machine(random.Random(9), 30)
    start = list(range(30))
    runs = [
        iterated_local_search(m, start, seed=4, budget=300_000, target=lambda: -1.0)
        for _ in range(2)
    ]
    assert runs[0] == runs[1]
    seq, cost, kicks, evaluations = runs[0]
    assert evaluations >= 300_000 and kicks > 0
    assert cost == pytest.approx(_cost(m, seq)) and cost <= _cost(m, start)


def test_the_calibration_prints_a_row_per_engine_and_size(capsys):
    from bench.calibrate_search import main

    main(["--sizes", "6", "12", "--seconds", "0.002", "--engines", "dynasearch", "previous"])
    rows = [line for line in capsys.readouterr().out.splitlines() if line.startswith("| ")]
    assert [r.split(" | ")[:2] for r in rows[2:]] == [
        ["| dynasearch", "6"],
        ["| dynasearch", "12"],
        ["| previous", "6"],
        ["| previous", "12"],
    ]
