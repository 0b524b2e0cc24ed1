"""Entry screening: each failed check by code, the pass overriding them, all failures at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from builders import at, make_load, make_scenario

# aliased: pytest would try to collect classes whose names start with Test
from hub_scheduler.domain import (
    HealthCode,
    LoadStatus,
    PlanStatus,
    Schedule,
    Screening,
    ScreeningPolicy,
)
from hub_scheduler.domain import TestResult as Outcome
from hub_scheduler.domain import TestType as Kind
from hub_scheduler.screening import failed_checks
from hub_scheduler.solver import solve
from hub_scheduler.solver.eligibility import screening_reason
from hub_scheduler.verify import verify

ARRIVAL = at(600)
POLICY = ScreeningPolicy(required=True)


def screened(**changes) -> Screening:
    """A driver who passes: negative PCR 24 h before arrival, green code, 36.6 °C; `changes`."""
    fields = dict(
        test_type=Kind.PCR,
        test_result=Outcome.NEGATIVE,
        test_time=ARRIVAL - timedelta(hours=24),
        health_code=HealthCode.GREEN,
        body_temperature_c=36.6,
    )
    return Screening(**{**fields, **changes})


def codes(
    screening: Screening | None, policy: ScreeningPolicy = POLICY, **load_fields
) -> list[str]:
    load = make_load(release=600, due=720, screening=screening, **load_fields)
    return [f.code for f in failed_checks(load, policy, ARRIVAL)]


def test_a_negative_recent_test_green_code_and_normal_temperature_pass():
    assert codes(screened()) == []


def test_no_pass_and_no_screening_data_fails_with_no_screening():
    assert codes(None) == ["NO_SCREENING"]


def test_a_valid_pass_without_any_screening_data_lets_the_driver_in():
    assert codes(None, has_pass=True) == []


def test_a_valid_pass_overrides_every_failing_check():
    bad = screened(
        test_result=Outcome.POSITIVE, health_code=HealthCode.RED, body_temperature_c=39.0
    )
    assert codes(bad.model_copy(update={"pass_valid_until": ARRIVAL}), has_pass=True) == []


def test_an_expired_pass_counts_for_nothing():
    expired = screened(
        health_code=HealthCode.YELLOW, pass_valid_until=ARRIVAL - timedelta(minutes=1)
    )
    assert codes(expired, has_pass=True) == ["HEALTH_CODE"]


def test_pass_data_without_the_has_pass_flag_is_not_a_pass():
    assert codes(screened(test_type=None, pass_valid_until=ARRIVAL + timedelta(days=1))) == [
        "NO_TEST"
    ]


@pytest.mark.parametrize("missing", ["test_type", "test_result", "test_time"])
def test_an_incomplete_test_record_fails_with_no_test(missing):
    assert codes(screened(**{missing: None})) == ["NO_TEST"]


def test_a_positive_test_fails():
    assert codes(screened(test_result=Outcome.POSITIVE)) == ["TEST_POSITIVE"]


def test_an_antigen_test_is_refused_when_the_policy_does_not_allow_it():
    load = make_load(release=600, due=720, screening=screened(test_type=Kind.ANTIGEN))
    (failed,) = failed_checks(load, POLICY, ARRIVAL)
    assert failed.code == "TEST_TYPE"
    assert "antigen" in failed.message


def test_an_antigen_test_is_accepted_where_the_policy_allows_it():
    allowing = ScreeningPolicy(required=True, allow_antigen=True)
    assert codes(screened(test_type=Kind.ANTIGEN), allowing) == []


def test_a_test_exactly_48_hours_old_at_arrival_is_still_accepted():
    assert codes(screened(test_time=ARRIVAL - timedelta(hours=48))) == []


def test_a_test_one_minute_older_than_48_hours_is_too_old():
    load = make_load(
        release=600, due=720, screening=screened(test_time=ARRIVAL - timedelta(hours=48, minutes=1))
    )
    (failed,) = failed_checks(load, POLICY, ARRIVAL)
    assert failed.code == "TEST_TOO_OLD"
    assert "48 h" in failed.message


def test_the_test_age_limit_comes_from_the_policy():
    strict = ScreeningPolicy(required=True, max_test_age_hours=24)
    assert codes(screened(test_time=ARRIVAL - timedelta(hours=24)), strict) == []
    assert codes(screened(test_time=ARRIVAL - timedelta(hours=25)), strict) == ["TEST_TOO_OLD"]


def test_a_test_taken_after_the_arrival_fails():
    assert codes(screened(test_time=ARRIVAL + timedelta(hours=1))) == ["TEST_IN_FUTURE"]


@pytest.mark.parametrize("code", [HealthCode.YELLOW, HealthCode.RED, None])
def test_a_health_code_that_is_not_green_fails(code):
    load = make_load(release=600, due=720, screening=screened(health_code=code))
    (failed,) = failed_checks(load, POLICY, ARRIVAL)
    assert failed.code == "HEALTH_CODE"
    assert (code.value if code else "missing") in failed.message


def test_a_missing_body_temperature_fails():
    assert codes(screened(body_temperature_c=None)) == ["NO_TEMPERATURE"]


def test_a_fever_fails_and_the_limit_itself_passes():
    assert codes(screened(body_temperature_c=37.4)) == ["FEVER"]
    assert codes(screened(body_temperature_c=37.3)) == []
    feverish = ScreeningPolicy(required=True, max_body_temperature_c=38.0)
    assert codes(screened(body_temperature_c=37.9), feverish) == []


def test_every_failed_check_is_returned_at_once():
    bad = screened(
        test_time=ARRIVAL - timedelta(hours=60),
        health_code=HealthCode.YELLOW,
        body_temperature_c=38.2,
    )
    assert codes(bad) == ["TEST_TOO_OLD", "HEALTH_CODE", "FEVER"]


def test_a_driver_with_no_data_at_all_fails_every_check_by_name():
    assert codes(Screening()) == ["NO_TEST", "HEALTH_CODE", "NO_TEMPERATURE"]


def test_every_failure_carries_a_readable_message():
    load = make_load(
        release=600,
        due=720,
        screening=screened(
            test_result=Outcome.POSITIVE, health_code=HealthCode.RED, body_temperature_c=38.5
        ),
    )
    messages = {f.code: f.message for f in failed_checks(load, POLICY, ARRIVAL)}
    assert messages == {
        "TEST_POSITIVE": "the test result is positive",
        "HEALTH_CODE": "health code is red, not green",
        "FEVER": "body temperature 38.5 °C is above 37.3 °C",
    }


def test_a_truck_on_site_is_screened_at_its_real_arrival_by_the_planner_and_the_verifier():
    # Expected at 10:00, came at 20:00 with a test taken at 12:00: the gate let him in. A later
    # plan judged the test at 10:00 ("taken after arrival") and left the checked-in truck out;
    # screening is now at the real arrival once the gate recorded it (screening.arrival_moment).
    load = make_load(
        release=600,
        due=1300,
        screening=screened(test_time=at(720)),
        arrived_at=at(1200),
        status=LoadStatus.CHECKED_IN,
    )
    expected = load.model_copy(update={"arrived_at": None, "status": LoadStatus.SCHEDULED})
    assert screening_reason(expected, POLICY) is not None  # judged at 10:00: test after arrival
    assert screening_reason(load, POLICY) is None

    scenario = make_scenario(loads=[load], screening=POLICY)
    plan = solve(scenario, time_limit_s=1, workers=1, seed=1)
    assert [a.load_id for a in plan.assignments] == [load.id]
    schedule = Schedule(
        scenario=scenario.name, status=PlanStatus.FEASIBLE, assignments=plan.assignments
    )
    assert not verify(scenario, schedule).violations
