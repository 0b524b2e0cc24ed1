"""OR-Library instances as scenarios: the objective is the instance's weighted tardiness."""

from __future__ import annotations

from bench.orlib import Instance, read_set, to_scenario, weighted_tardiness
from bench.single_dock import edd, plain_single_machine
from hub_scheduler.verify import verify

TINY = Instance(
    name="tiny-1", processing=(3, 5, 2, 4), weights=(2, 1, 4, 3), due=(4, 6, 3, 9), best=0
)


def test_a_set_file_is_read_instance_by_instance_with_its_values(tmp_path):
    numbers = [*range(1, 41), *[1] * 40, *[50] * 40] * 2
    (tmp_path / "wt40.txt").write_text(" ".join(map(str, numbers)))
    (tmp_path / "wtopt40.txt").write_text(" 913\n 1225\n \n")
    first, second = read_set("wt40", tmp_path)
    assert (first.name, first.processing[:3], first.weights[0], first.due[-1], first.best) == (
        "wt40-1",
        (1, 2, 3),
        1,
        50,
        913,
    )
    assert second.best == 1225


def test_the_scenario_objective_of_a_sequence_is_its_weighted_tardiness():
    scenario = to_scenario(TINY)
    plan = edd(scenario)
    order = [int(a.load_id[1:]) - 1 for a in sorted(plan.assignments, key=lambda a: a.start)]
    report = verify(scenario, plan)
    assert report.ok, report.violations
    assert report.objective == weighted_tardiness(TINY, order) > 0


def test_the_textbook_model_finds_the_optimum_of_a_tiny_instance():
    scenario = to_scenario(TINY)
    plan = plain_single_machine(scenario, time_limit_s=2, workers=1)
    report = verify(scenario, plan)
    assert report.ok, report.violations
    from itertools import permutations

    best = min(weighted_tardiness(TINY, list(p)) for p in permutations(range(4)))
    assert report.objective == best


def test_the_work_to_best_of_wt40_instance_1_is_counted_in_moves(capsys):
    from bench.orlib_work import main, work_to_best

    row = work_to_best("wt40", 0, seed=0, budget=50_000_000)
    assert row["cost"] == row["best"] == 913 and 0 < row["moves"] <= 50_000_000
    assert work_to_best("wt40", 0, seed=0, budget=50_000_000)["moves"] == row["moves"]
    main(["--sets", "wt40", "--only", "1", "--seeds", "0", "--budget", "1"])
    assert "| wt40 | 0 | 1/1 |" in capsys.readouterr().out
