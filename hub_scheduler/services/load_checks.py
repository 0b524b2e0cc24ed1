"""Checking a load submission before anything is written: who owns it, what it refers to, its
times, an explicit weight, and the entry checks its driver fails (`screening_failures`).

Used by every way a load arrives (`services/load_submission.py`: one, a batch, a sheet), by a
change (`services/loads.py`) and by the check-in, which screens the driver again
(`services/gate.py`).
"""

from __future__ import annotations

import uuid
from datetime import datetime, tzinfo
from functools import cached_property
from typing import Any

from pydantic import ValidationError

from hub_scheduler import load_keys
from hub_scheduler.domain import Load, LoadStatus, ScreeningPolicy
from hub_scheduler.errors import FieldError, Forbidden
from hub_scheduler.records import Role
from hub_scheduler.scenario_file import pydantic_errors
from hub_scheduler.screening import failed_checks
from hub_scheduler.screening_checks import ScreeningFailure
from hub_scheduler.services.principal import Principal
from hub_scheduler.services.site import site_settings
from hub_scheduler.weights import explicit_weight_problem

# The checks' problems carry a code and its params (the sheet codes of sheets/problems.py), so
# that a page says them in its own language and an API client can tell them apart.
BEFORE_RELEASE = "must not be before release"


def new_load_id() -> str:
    return "L-" + uuid.uuid4().hex[:12]


def _owner(
    data: dict[str, Any], principal: Principal, path: str
) -> tuple[str | None, list[FieldError]]:
    """The enterprise a submitted load belongs to: an enterprise token's own, an admin's choice."""
    given = data.get("enterprise_id")
    if principal.is_enterprise:
        if given and given != principal.enterprise_id:
            raise Forbidden(
                "an enterprise token submits loads only for its own enterprise",
                [
                    FieldError(
                        field=f"{path}enterprise_id",
                        message=f'must be "{principal.enterprise_id}" or left out',
                    )
                ],
            )
        return principal.enterprise_id, []
    if not given:
        return None, [
            FieldError(field=f"{path}enterprise_id", message="is required", code="required")
        ]
    return given, []


class Known:
    """What the checks need, read at most once per submission (a 10,000-row sheet costs three
    queries, a single load as few as it needs: its own enterprise, not the whole list)."""

    def __init__(self, uow, *, many: bool = False):
        self.uow = uow
        self.many = many
        self._enterprise_found: dict[str, bool] = {}

    @cached_property
    def enterprises(self) -> set[str]:
        return {e.id for e in self.uow.enterprises.list()}

    def has_enterprise(self, enterprise_id: str) -> bool:
        if self.many:
            return enterprise_id in self.enterprises
        if enterprise_id not in self._enterprise_found:
            found = self.uow.enterprises.exists(enterprise_id)
            self._enterprise_found[enterprise_id] = found
        return self._enterprise_found[enterprise_id]

    @cached_property
    def hubs(self) -> set[str]:
        return {h.id for h in self.uow.hubs.list()}

    @cached_property
    def policy(self) -> ScreeningPolicy:
        return site_settings(self.uow).screening


def check_load(load: Load, known: Known, path: str = "") -> list[FieldError]:
    """What a submitted load must satisfy beyond its field types: references and times."""
    return check_fields(
        known,
        path,
        enterprise_id=load.enterprise_id,
        release=load.release,
        due=load.due,
        deadline=load.deadline,
        allowed_hubs=load.allowed_hubs,
    )


def check_fields(
    known: Known,
    path: str = "",
    *,
    enterprise_id: str | None = None,
    release: datetime | None = None,
    due: datetime | None = None,
    deadline: datetime | None = None,
    allowed_hubs: list[str] | None = None,
) -> list[FieldError]:
    """`check_load`'s checks on the fields given; a check that needs a field left out (None: a
    sheet cell that could not be read) is skipped."""
    errors: list[FieldError] = []
    if enterprise_id is not None and not known.has_enterprise(enterprise_id):
        errors.append(_unknown(f"{path}enterprise_id", "enterprise", enterprise_id))
    for name, moment in (("due", due), ("deadline", deadline)):
        if release is not None and moment is not None and moment < release:
            errors.append(
                FieldError(field=f"{path}{name}", message=BEFORE_RELEASE, code="before_release")
            )
    for i, hub_id in enumerate(allowed_hubs or []):
        if hub_id not in known.hubs:
            errors.append(_unknown(f"{path}allowed_hubs[{i}]", "hub", hub_id))
    return errors


def _unknown(field: str, what: str, value: str) -> FieldError:
    """A reference to an enterprise or hub the site does not have (code `unknown_<what>`)."""
    return FieldError(
        field=field,
        message=f'unknown {what} "{value}"',
        code=f"unknown_{what}",
        params={"value": value},
    )


RELEASE_PAST = "release_past"


def arrival_warnings(load: Load, now: datetime, zone: tzinfo, path: str = "") -> list[FieldError]:
    """What a submission is told but not refused for (the load form says the same): an arrival
    (`release`) already past at `now`, code `release_past` with the time in the site's `zone`.
    The load is stored all the same (the planner starts nothing before now)."""
    if load.release >= now:
        return []
    release = load.release.astimezone(zone)
    return [
        FieldError(
            field=f"{path}release",
            message=f"the arrival time {release:%Y-%m-%d %H:%M} has already passed",
            code=RELEASE_PAST,
            params={"release": release.isoformat()},
        )
    ]


def with_screening(load: Load, policy: ScreeningPolicy, arrival: datetime | None = None) -> Load:
    """The load carrying `screening_failures`: every entry check its driver fails at arrival.

    A failure does not refuse the submission: the load is kept, with its reasons, and the planner
    leaves it out (H11) until the data is corrected.
    """
    failed: list[ScreeningFailure] = []
    if load.screening is not None or policy.required:
        failed = [
            ScreeningFailure(code=c.code, params=dict(c.params))
            for c in failed_checks(load, policy, arrival or load.release)
        ]
    return load.model_copy(update={"screening_failures": failed})


def build_load(
    data: dict[str, Any], principal: Principal, path: str
) -> tuple[Load | None, list[FieldError]]:
    enterprise_id, errors = _owner(data, principal, path)
    if data.get("priority_weight") is not None:
        errors += weight_errors(data["priority_weight"], principal, f"{path}priority_weight")
    if errors:
        return None, errors
    if enterprise_id is None:  # an enterprise token always has one; kept for the type checker
        return None, [
            FieldError(field=f"{path}enterprise_id", message="is required", code="required")
        ]
    fields = {k: v for k, v in data.items() if v is not None}
    # The key below the API is `enterprise_id/id` (load_keys): ids are unique per enterprise.
    load_id = load_keys.qualify(enterprise_id, data.get("id") or new_load_id())
    fields.update(enterprise_id=enterprise_id, id=load_id, status=LoadStatus.SUBMITTED)
    try:
        return Load.model_validate(fields), []
    except ValidationError as exc:
        return None, pydantic_errors(exc, [path.rstrip(".")] if path else [])


def weight_errors(weight: Any, principal: Principal, field: str) -> list[FieldError]:
    """The explicit-weight rule (weights.explicit_weight_problem) for a sent `priority_weight`."""
    problem = explicit_weight_problem(weight, may_set=principal.role is Role.ADMIN)
    return [FieldError(field=field, message=problem)] if problem else []
