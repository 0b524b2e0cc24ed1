"""Iterated dynasearch on one machine: the fast step equals the plain-Python reference, the DP finds
the best set of independent moves (held against brute force), the search is a reproducible descent
that never loses, and OR-Library wt40 instance 1 reaches its optimum through the planner."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hub_scheduler.solver.dynasearch import Work, atc_order, descend, iterated_dynasearch
from hub_scheduler.solver.dynasearch_step import (
    BACKWARD,
    FORWARD,
    MOVE_KINDS,
    SWAP,
    Problem,
    apply_moves,
    best_independent_moves,
    best_independent_moves_reference,
    move_deltas,
    move_deltas_reference,
    sequence_cost,
)


@st.composite
def problems(draw, max_n: int = 8):
    """A small machine (spans 1-15 minutes, tardiness measured at p <= span, as with disinfection)
    and a starting sequence."""
    n = draw(st.integers(1, max_n))
    span = draw(st.lists(st.integers(1, 15), min_size=n, max_size=n))
    p = [s - draw(st.integers(0, s - 1)) for s in span]
    w = draw(st.lists(st.integers(1, 10), min_size=n, max_size=n))
    due = draw(st.lists(st.integers(0, 8 * n), min_size=n, max_size=n))
    seq = draw(st.permutations(range(n)))
    return Problem.of(span, p, w, due, t0=draw(st.integers(0, 10))), list(seq)


def random_problem(rng: random.Random, n: int) -> tuple[Problem, list[int]]:
    span = [rng.randint(1, 12) for _ in range(n)]
    p = [max(1, s - rng.randint(0, 3)) for s in span]
    w = [rng.randint(1, 6) for _ in range(n)]
    due = [rng.randint(0, 5 * n) for _ in range(n)]
    seq = list(range(n))
    rng.shuffle(seq)
    return Problem.of(span, p, w, due, t0=rng.randint(0, 5)), seq


def independent_sets(n: int, kinds):
    """Every set of moves on pairwise disjoint position ranges [i, j], with each move's kind."""

    def from_position(a: int):
        yield []
        for i in range(a, n):
            for j in range(i + 1, n):
                for kind in kinds:
                    for rest in from_position(j + 1):
                        yield [(i, j, kind), *rest]

    return from_position(0)


@pytest.mark.parametrize("kinds", [(SWAP,), MOVE_KINDS], ids=["swaps", "swaps+insertions"])
@pytest.mark.parametrize("case", range(12))
def test_one_dynasearch_step_is_the_best_set_of_independent_moves_by_brute_force(kinds, case):
    prob, seq = random_problem(random.Random(case), 3 + case % 5)
    base = sequence_cost(prob, seq)
    brute = min(
        sequence_cost(prob, apply_moves(seq, moves)) for moves in independent_sets(len(seq), kinds)
    )
    delta, kind, cost = move_deltas(prob, np.array(seq), kinds)
    gain, moves = best_independent_moves(delta, kind)
    assert cost == pytest.approx(base)
    assert base + gain == pytest.approx(brute)
    assert sequence_cost(prob, apply_moves(seq, moves)) == pytest.approx(brute)
    # the whole descent goes at least as far as its first step
    _, after = descend(prob, seq, Work(), kinds=kinds)
    assert after <= brute + 1e-9
    ranges = [(i, j) for i, j, _ in moves]
    assert all(a[1] < b[0] for a, b in itertools.pairwise(ranges))


@given(problems())
def test_the_fast_step_equals_the_plain_python_reference(case):
    prob, seq = case
    for kinds in ((SWAP,), (FORWARD, BACKWARD), MOVE_KINDS):
        reference = move_deltas_reference(prob, seq, kinds)
        delta, kind, cost = move_deltas(prob, np.array(seq), kinds)
        assert cost == pytest.approx(sequence_cost(prob, seq))
        for i, j in itertools.combinations(range(len(seq)), 2):
            assert delta[i, j] == pytest.approx(reference[i][j][0], abs=1e-6)
        gain, moves = best_independent_moves(delta, kind)
        ref_gain, _ = best_independent_moves_reference(reference)
        assert gain == pytest.approx(ref_gain, abs=1e-6)
        assert sequence_cost(prob, apply_moves(seq, moves)) == pytest.approx(cost + gain, abs=1e-6)


@given(problems(max_n=12), st.integers(0, 3))
def test_the_search_returns_a_permutation_at_its_evaluated_cost_never_worse_than_the_start(
    case, seed
):
    prob, seq = case
    best, cost = iterated_dynasearch(prob, seq, seed=seed, budget=30_000)
    assert sorted(best) == list(range(prob.n))
    assert cost == pytest.approx(sequence_cost(prob, best))
    assert cost <= sequence_cost(prob, seq) + 1e-9


@given(problems(max_n=6))
def test_the_search_reaches_the_optimum_of_a_tiny_machine(case):
    prob, seq = case
    optimum = min(sequence_cost(prob, p) for p in itertools.permutations(range(prob.n)))
    _, cost = iterated_dynasearch(prob, seq, seed=0, budget=300_000, target=optimum)
    assert cost == pytest.approx(optimum)


def test_the_same_seed_and_budget_give_the_same_sequence_and_work():
    prob, seq = random_problem(random.Random(5), 30)
    runs = []
    for _ in range(2):
        work = Work()
        runs.append(
            (*iterated_dynasearch(prob, seq, seed=3, budget=400_000, work=work), work.moves)
        )
    assert runs[0] == runs[1]
    assert runs[0][2] >= 400_000  # the budget, not a clock, ended it


def test_the_search_stops_at_its_target():
    prob, seq = random_problem(random.Random(2), 20)
    work = Work()
    _, cost = iterated_dynasearch(prob, seq, seed=0, budget=10**9, target=10**12, work=work)
    assert work.kicks == 0 and cost <= sequence_cost(prob, seq)


def test_a_problem_needs_one_value_per_job():
    with pytest.raises(ValueError, match="one entry per job"):
        Problem.of([1, 2], [1], [1, 1], [0, 0])


def test_or_library_wt40_instance_1_reaches_its_optimum_through_the_planner_with_dynasearch():
    from bench.orlib import read_set, to_scenario
    from hub_scheduler.solver import solve
    from hub_scheduler.verify import verify

    instance = read_set("wt40")[0]
    scenario = to_scenario(instance)
    schedule = solve(scenario, time_limit_s=5, workers=1, seed=0, work_budget=300_000)
    assert schedule.kpis["search_engine"] == "dynasearch"
    assert schedule.kpis["search_cut_by_clock"] is False
    assert verify(scenario, schedule).violations == []
    assert schedule.objective == instance.best == 913


def test_the_previous_engine_is_still_there_for_the_benchmark():
    from bench.orlib import read_set, to_scenario
    from hub_scheduler.solver import solve
    from hub_scheduler.solver.single_machine import use_engine

    scenario = to_scenario(read_set("wt40")[0])
    with use_engine("previous"):
        schedule = solve(scenario, time_limit_s=5, workers=1, seed=0, work_budget=50_000)
    assert schedule.kpis["search_engine"] == "previous"
    with pytest.raises(ValueError, match="unknown engine"), use_engine("annealing"):
        pass


@given(problems(max_n=10), st.sampled_from([0.5, 1.0, 2.0]))
def test_the_apparent_tardiness_cost_order_is_a_permutation(case, k):
    prob, _ = case
    assert sorted(atc_order(prob, k)) == list(range(prob.n))


def test_the_apparent_tardiness_cost_order_puts_the_urgent_heavy_job_first():
    prob = Problem.of(span=[5, 5, 5], p=[5, 5, 5], w=[1, 9, 1], due=[100, 5, 100])
    assert atc_order(prob)[0] == 1


def test_a_dock_with_more_jobs_than_dynasearch_holds_gets_the_previous_engine(monkeypatch):
    from bench.orlib import Instance, to_scenario
    from hub_scheduler.solver import dynasearch, solve

    tiny = Instance(
        name="tiny-1", processing=(3, 5, 2, 4), weights=(2, 1, 4, 3), due=(4, 6, 3, 9), best=0
    )
    monkeypatch.setattr(dynasearch, "MAX_JOBS", 3)
    schedule = solve(to_scenario(tiny), time_limit_s=2, workers=1, seed=0, work_budget=1_000)
    assert schedule.kpis["search_engine"] == "previous"


def test_a_descent_counts_three_evaluations_a_pair_the_fixed_cost_and_each_paying_pair():
    from hub_scheduler.solver.dynasearch import PAYING_PAIR_COST, STEP_OVERHEAD
    from hub_scheduler.solver.dynasearch_step import EPS, Grids, best_set, pair_deltas

    prob, seq = random_problem(random.Random(11), 25)
    work = Work()
    final, cost = descend(prob, seq, work)
    # Replay the descent step by step with the step's own parts and count by hand.
    g, arr, expected, steps = Grids(25), np.array(seq), 0, 0
    while True:
        values, kind, _ = pair_deltas(prob, arr, MOVE_KINDS, g)
        paying = int((values < -EPS).sum())
        expected += 3 * 25 * 24 // 2 + STEP_OVERHEAD + PAYING_PAIR_COST * paying
        steps += 1
        gain, moves = best_set(25, g.i, g.j, values, kind)
        if gain >= -EPS or not moves:
            break
        arr = np.array(apply_moves(arr.tolist(), moves))
    assert steps > 1 and (work.steps, work.moves) == (steps, expected)
    assert final == arr.tolist() and cost == pytest.approx(sequence_cost(prob, final))


def test_a_nominal_second_of_dynasearch_is_a_few_times_the_first_steps_of_wt100():
    """MOVES_PER_SECOND buys many descents of a 100-job machine, not a handful (the old 4 million
    bought about 200 steps a second where an idle core takes about 3,000)."""
    from hub_scheduler.solver.dynasearch import MOVES_PER_SECOND, STEP_OVERHEAD

    per_step = 3 * 100 * 99 // 2 + STEP_OVERHEAD
    assert MOVES_PER_SECOND // per_step >= 1_000


def test_the_search_ends_after_forty_fruitless_kicks_a_job_when_the_budget_is_not_the_limit():
    from hub_scheduler.solver.dynasearch import STOP_AFTER_MIN, STOP_AFTER_PER_JOB

    prob, seq = random_problem(random.Random(8), 7)
    improved_at: list[int] = []
    work = Work()
    _, cost = iterated_dynasearch(
        prob,
        seq,
        seed=1,
        budget=10**12,
        target=-1.0,
        on_improve=lambda _: improved_at.append(work.kicks),
        work=work,
    )
    assert work.kicks - improved_at[-1] == max(STOP_AFTER_MIN, STOP_AFTER_PER_JOB * 7)
    assert work.moves < 10**8  # a few thousand steps, not the budget
    optimum = min(sequence_cost(prob, list(p)) for p in itertools.permutations(range(7)))
    assert cost == pytest.approx(optimum)
