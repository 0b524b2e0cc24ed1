"""The truck at the gate: check-in (screened again) and the other gate events."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from api.schemas.body import Body
from api.schemas.loads import LoadOut
from hub_scheduler.domain import Assignment, Screening
from hub_scheduler.values import Moment, Text


class CheckInIn(Body):
    """The gate's reading of the driver; without `screening` the submitted data is re-checked."""

    at: Moment | None = None
    screening: Screening | None = None
    has_pass: bool | None = None
    override_note: Text | None = Field(
        default=None,
        description="why a load traced as a contact of an open incident is let in anyway (409 "
        "`gate_incident_contact` without it); audited as `load.contact_override`",
    )


class EventIn(Body):
    at: Moment | None = None


class SlotLimit(BaseModel):
    """One limit that keeps a repaired slot from being earlier (docs/api.md "Why not earlier")."""

    code: str = Field(
        description="other_temperature | deadline_reached | horizon_reached | outside_hours | "
        "blocked_hub | blocked_zone | blocked_dock | relay_place | relay_wait | dock_busy | "
        "crews_full | site_full"
    )
    rule: str = Field(description="the hard rule's id, H1-H8")
    params: dict[str, Any] = Field(
        description="hub, zone, dock, crews, trucks, temperature, and times (start, end, from, "
        "until, deadline) ISO-8601 in the site's zone, as the code needs"
    )
    message: str = Field(description="the limit in the request's language (zh-CN by default)")


class FailedCheckOut(BaseModel):
    code: str = Field(
        description="NO_SCREENING | NO_TEST | TEST_TYPE | TEST_POSITIVE | TEST_TOO_OLD | "
        "TEST_IN_FUTURE | HEALTH_CODE | NO_TEMPERATURE | FEVER"
    )
    params: dict[str, Any] = Field(description="the values the check found and its limit")
    message: str = Field(description="the check in the request's language (zh-CN by default)")


class CheckInOut(BaseModel):
    load: LoadOut
    passed: bool
    failed_checks: list[str] = Field(
        default_factory=list,
        description="why the driver was refused, as `CODE: English words` (kept for older "
        "clients; `checks` says it in the request's language)",
    )
    checks: list[FailedCheckOut] = Field(
        default_factory=list, description="the checks the driver failed; empty: he passed"
    )
    slot: Assignment | None = Field(
        default=None, description="the slot in force now (a late truck's repaired one); null: none"
    )
    wait_minutes: float | None = Field(
        default=None, description="minutes until the slot starts, to a tenth (an early truck waits)"
    )
    reason: dict[str, Any] | None = Field(
        default=None,
        description="why the slot changed: {code: LATE_ARRIVAL | DOCK_BLOCKED | WALK_IN | "
        "NO_SLOT_LEFT | DEADLINE_PASSED, "
        "params: {planned_start, earliest, new_start, new_dock, tried, moved, cause}} (moved: the "
        "loads pushed later to make room, each marked SHIFTED_FOR_REPAIR; WALK_IN: the truck had "
        "no slot in force and got a gap from its arrival in the published plan covering it, "
        "planned_start null, no other load moved; cause: what set the repair off, LATE_ARRIVAL | "
        "DOCK_BLOCKED | WALK_IN, when no slot was found; DEADLINE_PASSED: no slot is "
        "left and the load can no longer be done by its deadline, else its due, named by the "
        "params deadline (site's zone) and deadline_field: deadline | due)",
    )
    reasons: list[SlotLimit] = Field(
        default_factory=list,
        description="why no earlier slot was possible for a repaired slot (a late truck), the "
        "first "
        "binding hard rule at each earlier start on each dock it may use, the new slot's dock "
        "first (at most 8); empty when the slot did not change",
    )
    notice: dict[str, Any] | None = Field(
        default=None,
        description="what the driver is told besides the slot: {code: DUE_PASSED, params: {due}} "
        "when the truck arrived after its due (site's zone); null: nothing",
    )
