"""The gate's rules for a truck the plan in force does not place (services/gate.py): an enterprise
off the white-list is not let in (H11, no override), a walk-in gets a gap slot by a repair of the
plan covering its arrival, and no truck starts without a slot while a plan is in force. Without a
published plan covering the time the gate works as before (a county that uses only the gate)."""

from __future__ import annotations

from datetime import date, datetime

from hub_scheduler import load_keys
from hub_scheduler.domain import Enterprise, Load
from hub_scheduler.errors import Conflict, FieldError
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.services.repair import SlotRepair, repair_slot
from hub_scheduler.services.site import site_timezone
from hub_scheduler.solver.eligibility import whitelist_reason

# The repair's reason code for a truck at the gate with no slot in force (a walk-in).
WALK_IN = "WALK_IN"


def refuse_not_whitelisted(uow: UnitOfWork, load: Load, at: datetime) -> None:
    """H11 at the gate: raise Conflict (409, field `enterprise_id`, code `gate_not_whitelisted`,
    or `gate_whitelist_expired` / `gate_whitelist_not_yet_valid` naming the entry's date
    (`_whitelist_refusal`), params `{enterprise, day}`: its name, else its id, and the ISO arrival
    day) when the load's
    enterprise is unknown or not on the white-list on the day of `at` in the site's zone (the
    planner's rule, `whitelist_reason`, judged on the arrival day rather than the release). A
    truck with a slot is refused too (the white-list was revoked since); there is no override:
    the command centre puts the enterprise on the white-list, then the truck is checked in."""
    enterprise = uow.enterprises.get(load.enterprise_id)
    known = {enterprise.id: enterprise} if enterprise is not None else {}
    arriving = load.model_copy(update={"release": at})
    reason = whitelist_reason(arriving, known, site_timezone(uow))
    if reason is None:
        return
    name = enterprise.name or enterprise.id if enterprise is not None else load.enterprise_id
    day = at.astimezone(site_timezone(uow)).date()
    code, params, message = _whitelist_refusal(enterprise, name, day)
    raise Conflict(
        f'load "{load_keys.local(load.id)}" is not checked in: enterprise {name} is not on the '
        f"white-list on {day.isoformat()}",
        [FieldError(field="enterprise_id", message=message, code=code, params=params)],
    )


def _whitelist_refusal(
    enterprise: Enterprise | None, name: str, day: date
) -> tuple[str, dict[str, str], str]:
    """(code, params, English message) of a refusal on `day`: an entry whose validity ended
    (`gate_whitelist_expired`, naming `valid_until`) or has not begun
    (`gate_whitelist_not_yet_valid`, naming `valid_from`) says the date the gate operator and the
    enterprise must see; any other case (unknown, never or no longer listed) is
    `gate_not_whitelisted`. Params `enterprise`, `day` and the date, ISO."""
    params = {"enterprise": name, "day": day.isoformat()}
    until = enterprise.valid_until if enterprise is not None and enterprise.whitelisted else None
    begins = enterprise.valid_from if enterprise is not None and enterprise.whitelisted else None
    if until and day > until:
        params["valid_until"] = until.isoformat()
        return (
            "gate_whitelist_expired",
            params,
            f"the white-list entry of enterprise {name} ended on {params['valid_until']}; the "
            "command centre must extend it before the truck is checked in",
        )
    if begins and day < begins:
        params["valid_from"] = begins.isoformat()
        return (
            "gate_whitelist_not_yet_valid",
            params,
            f"the white-list entry of enterprise {name} starts on {params['valid_from']}; the "
            "command centre must move its start before the truck is checked in",
        )
    return (
        "gate_not_whitelisted",
        params,
        f"enterprise {name} is not on the white-list on {day.isoformat()}; the command centre "
        "must put it on the white-list before the truck is checked in",
    )


def walk_in(uow: UnitOfWork, load: Load, at: datetime, *, actor: str) -> SlotRepair | None:
    """A checked-in truck with no published slot (a walk-in) gets the earliest feasible slot from
    `at` in the published plan covering `at`, by a repair that takes a gap only: a truck that
    never had a slot pushes no booked truck (`repair_slot(push=False)`). The slot is added to the
    plan (the load leaves the plan's unscheduled loads); reason `WALK_IN`, else `NO_SLOT_LEFT` /
    `DEADLINE_PASSED` with `params.cause = WALK_IN`, `planned_start` None. None when no published
    plan covers `at`: the truck stays without a slot, as before."""
    plan = uow.plans.published_for(at)
    if plan is None or plan.id is None:
        return None
    return repair_slot(uow, load, plan.id, None, at, WALK_IN, actor=actor, now=at, push=False)


def refuse_start_without_slot(uow: UnitOfWork, load: Load, at: datetime) -> None:
    """Raise Conflict (409, field `load_id`, code `start_without_slot`, params `{at}` in the
    site's zone) when a published plan covers `at`: a truck with no slot in force would run on no
    dock, unseen by the dock, disinfection and contact checks. The caller calls it only for a
    load with no published slot. Without a plan covering `at` a start stays allowed."""
    if uow.plans.published_for(at) is None:
        return
    when = at.astimezone(site_timezone(uow)).isoformat()
    raise Conflict(
        f'load "{load_keys.local(load.id)}" has no slot in the plan in force, so it cannot start',
        [
            FieldError(
                field="load_id",
                message="has no slot in the plan in force: a re-plan must give it one first, "
                "or ask the command centre",
                code="start_without_slot",
                params={"at": when},
            )
        ],
    )
