"""The reference store of bench/reference.py: a stored best applies only to the very scenario it
was measured on, and the gap is measured against it."""

from __future__ import annotations

import json

import pytest
from builders import make_load, make_scenario

from bench.reference import fingerprint, gap_percent, instance_key, reference_for


def test_a_reference_applies_only_to_the_scenario_it_was_measured_on(tmp_path):
    scenario = make_scenario(loads=[make_load("L1")])
    other = make_scenario(loads=[make_load("L1", handling=45)])
    path = tmp_path / "references.json"
    key = instance_key("day", "county", 1)
    path.write_text(json.dumps({key: {"fingerprint": fingerprint(scenario), "best": 120.0}}))
    assert reference_for(key, scenario, path) == 120.0
    assert reference_for(key, other, path) is None  # the generator changed: no stale gap
    assert reference_for("day-city-s1", scenario, path) is None


def test_gap_is_relative_to_the_reference():
    assert gap_percent(110.0, 100.0) == pytest.approx(10.0)
    assert gap_percent(100.0, None) is None
    assert instance_key("replan", "county", 1, 300.0) == "replan-county-s1-w300"
