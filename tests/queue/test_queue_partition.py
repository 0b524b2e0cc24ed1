"""Independent parts of a day: the split keeps every load once, the merged plan is verified."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bench.generate import two_regions
from hub_scheduler.scenario_file import parse_scenario
from hub_scheduler.solver import solve
from hub_scheduler.solver.partition import independent_parts, merge, split
from hub_scheduler.verify import verify

XUNWU = parse_scenario(
    json.loads((Path(__file__).resolve().parents[2] / "fixtures" / "xunwu.json").read_text("utf-8"))
)
HUBS = [h.id for h in XUNWU.hubs]


def test_one_load_that_may_go_anywhere_or_one_relay_across_joins_the_regions():
    scenario = two_regions(XUNWU, 2)
    assert len(independent_parts(scenario)) == 2
    free = scenario.loads[0].model_copy(update={"allowed_hubs": None, "pinned": None})
    joined = scenario.model_copy(update={"loads": [free, *scenario.loads[1:]]})
    assert independent_parts(joined) == [sorted(HUBS)]
    left = next(ld for ld in scenario.loads if ld.allowed_hubs == HUBS[:2])
    right = next(ld for ld in scenario.loads if ld.allowed_hubs == HUBS[2:])
    relay = (
        type(XUNWU.transfers[0])(inbound=left.id, outbound=right.id) if XUNWU.transfers else None
    )
    if relay is not None:
        across = scenario.model_copy(update={"transfers": [*scenario.transfers, relay]})
        assert independent_parts(across) == [sorted(HUBS)]


@settings(max_examples=20, deadline=None)
@given(cut=st.integers(min_value=1, max_value=len(HUBS) - 1))
def test_split_keeps_every_load_once_and_each_part_is_closed(cut):
    scenario = two_regions(XUNWU, cut)
    parts = independent_parts(scenario)
    assert sorted(h for p in parts for h in p) == sorted(HUBS)
    pieces = split(scenario, parts)
    ids = [ld.id for piece in pieces for ld in piece.loads]
    assert sorted(ids) == sorted(ld.id for ld in scenario.loads)
    for piece in pieces:
        hubs = {h.id for h in piece.hubs}
        assert all(set(ld.allowed_hubs) <= hubs for ld in piece.loads)
        loads = {ld.id for ld in piece.loads}
        assert all(t.inbound in loads and t.outbound in loads for t in piece.transfers)
    assert sum(len(p.transfers) for p in pieces) == len(scenario.transfers)


def test_the_merged_plan_of_two_counties_passes_the_verifier_with_the_summed_objective():
    scenario = two_regions(XUNWU, 2)
    parts = independent_parts(scenario)
    assert len(parts) == 2
    schedules = [solve(p, time_limit_s=1, workers=1) for p in split(scenario, parts)]
    merged = merge(scenario, schedules)
    report = verify(scenario, merged)
    assert report.ok, [v.text for v in report.violations][:5]
    assert abs(report.objective - merged.objective) < 1e-6
    assert len(merged.assignments) + len(merged.unscheduled) == len(scenario.loads)
