"""Entry screening as a policy object: which checks a driver fails at a given arrival time.

A driver passes with a valid unified pass, or with a negative nucleic-acid (PCR) test younger than
`max_test_age_hours` at arrival, a green health code and a normal temperature. An antigen test may
stand in for the PCR test where the policy allows it. Every failed check is returned, not the first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from hub_scheduler.domain import HealthCode, Load, ScreeningPolicy, TestResult, TestType


@dataclass(frozen=True)
class FailedCheck:
    """One failed entry check: its code, an English message, and the values a translated message
    needs (`params`, e.g. {"temperature_c": 37.8, "limit_c": 37.3})."""

    code: str
    message: str
    params: dict[str, Any] = field(default_factory=dict)


def arrival_moment(load: Load) -> datetime:
    """When the driver is screened for the plan: his real arrival once the gate recorded it
    (`arrived_at`: the gate screened him then, with the data he showed), else the load's release
    (the expected arrival). A test taken after the expected arrival but before the real one is
    valid, and a truck on site is not refused by a later plan for an arrival it did not make."""
    return load.arrived_at if load.arrived_at is not None else load.release


def _has_valid_pass(load: Load, arrival: datetime) -> bool:
    if not load.has_pass:
        return False
    until = load.screening.pass_valid_until if load.screening else None
    return until is None or until >= arrival


def failed_checks(load: Load, policy: ScreeningPolicy, arrival: datetime) -> list[FailedCheck]:
    """Every check the load's driver fails on arrival; empty means he may enter."""
    if _has_valid_pass(load, arrival):
        return []
    s = load.screening
    if s is None:
        return [FailedCheck("NO_SCREENING", "no pass and no screening data")]
    failed: list[FailedCheck] = []
    accepted = {TestType.PCR} | ({TestType.ANTIGEN} if policy.allow_antigen else set())
    if s.test_type is None or s.test_time is None or s.test_result is None:
        failed.append(FailedCheck("NO_TEST", "no test result"))
    elif s.test_type not in accepted:
        failed.append(
            FailedCheck(
                "TEST_TYPE",
                f"a {s.test_type.value} test is not accepted here",
                {"test_type": s.test_type.value},
            )
        )
    elif s.test_result is not TestResult.NEGATIVE:
        failed.append(FailedCheck("TEST_POSITIVE", "the test result is positive"))
    elif arrival - s.test_time > timedelta(hours=policy.max_test_age_hours):
        age = (arrival - s.test_time).total_seconds() / 3600
        failed.append(
            FailedCheck(
                "TEST_TOO_OLD",
                f"the test is {age:.0f} h old at arrival (at most {policy.max_test_age_hours} h)",
                {"age_h": round(age), "max_h": policy.max_test_age_hours},
            )
        )
    elif s.test_time > arrival:
        failed.append(FailedCheck("TEST_IN_FUTURE", "the test time is after the arrival"))
    if s.health_code is not HealthCode.GREEN:
        code = s.health_code.value if s.health_code else "missing"
        failed.append(
            FailedCheck("HEALTH_CODE", f"health code is {code}, not green", {"health_code": code})
        )
    if s.body_temperature_c is None:
        failed.append(FailedCheck("NO_TEMPERATURE", "body temperature not taken"))
    elif s.body_temperature_c > policy.max_body_temperature_c:
        failed.append(
            FailedCheck(
                "FEVER",
                f"body temperature {s.body_temperature_c:.1f} °C is above "
                f"{policy.max_body_temperature_c:.1f} °C",
                {
                    "temperature_c": round(s.body_temperature_c, 1),
                    "limit_c": round(policy.max_body_temperature_c, 1),
                },
            )
        )
    return failed
