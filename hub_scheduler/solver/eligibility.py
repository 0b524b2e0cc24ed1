"""H11 and the pre-checks: which loads may be planned at all, where, and why not.

Each check returns a reason (code, English sentence, and a detail code with its parameters that
the pages translate; see `hub_scheduler.domain.Unscheduled`) or None; `filter_candidates` gives
every eligible load its candidate (hub, zone) pairs and returns the reasons of the others.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Any

from hub_scheduler.domain import (
    REASON_DETAILS,
    Enterprise,
    Load,
    ReasonCode,
    ScreeningPolicy,
)
from hub_scheduler.screening import arrival_moment, failed_checks
from hub_scheduler.solver.instance import Instance, LoadData, build_candidate
from hub_scheduler.solver.timeline import Timeline


@dataclass(frozen=True)
class Reason:
    """Why a load cannot be placed: `code`, `text` (English), and `detail` (a code from
    `domain.REASON_DETAILS`) with `params` (JSON values) for a translated sentence."""

    code: ReasonCode
    text: str
    detail: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.detail and self.detail not in REASON_DETAILS:
            raise ValueError(f"unknown reason detail {self.detail!r} (add it to REASON_DETAILS)")


def whitelist_reason(
    load: Load, enterprises: Mapping[str, Enterprise], tz: tzinfo
) -> Reason | None:
    """H11 the load's enterprise (looked up in `enterprises` by id) is on the white-list on the
    release date in the site's zone `tz` (validity dates included); the planner's check, also
    used by the services' previews."""
    enterprise = enterprises.get(load.enterprise_id)
    day = load.release.astimezone(tz).date()
    if enterprise is None:
        return Reason(
            ReasonCode.NOT_WHITELISTED,
            f"enterprise {load.enterprise_id} is unknown, so not white-listed",
            "enterprise_unknown",
            {"enterprise": load.enterprise_id},
        )
    if not enterprise.whitelisted_on(day):
        return Reason(
            ReasonCode.NOT_WHITELISTED,
            f"enterprise {enterprise.name or enterprise.id} is not on the white-list on {day}",
            "enterprise_not_listed",
            {"enterprise": enterprise.name or enterprise.id, "day": day.isoformat()},
        )
    return None


def screening_reason(load: Load, policy: ScreeningPolicy) -> Reason | None:
    """H11 entry screening at arrival (`screening.arrival_moment`: the real one once the gate
    recorded it, else the release), when `policy` requires it or the load carries screening
    data; the planner's check, also used by the services' previews."""
    if not (policy.required or load.screening is not None):
        return None
    failed = failed_checks(load, policy, arrival_moment(load))
    if not failed:
        return None
    what = "; ".join(f"{f.code}: {f.message}" for f in failed)
    return Reason(
        ReasonCode.SCREENING_FAILED,
        f"the driver fails entry screening ({what})",
        "screening_failed",
        {"checks": [{"code": f.code, "params": dict(f.params)} for f in failed]},
    )


def enterprise_is_whitelisted(inst: Instance, ld: LoadData) -> Reason | None:
    """H11 the load's enterprise is on the white-list on the release date (validity dates
    included)."""
    return whitelist_reason(ld.load, inst.enterprises, inst.tz)


def driver_passes_screening(inst: Instance, ld: LoadData) -> Reason | None:
    """H11 entry screening at arrival (`screening_reason`), when required or when the load carries
    screening data."""
    return screening_reason(ld.load, inst.scenario.settings.screening)


def hub_and_zone_candidates(inst: Instance, ld: LoadData) -> Reason | None:
    """H1, H2 and H11 (allowed hubs): the active hubs' zones of the load's temperature it may
    use."""
    temperature = ld.load.temperature.value
    allowed = ld.load.allowed_hubs
    matching = inst.open_zones(temperature)
    if not matching:
        return Reason(
            ReasonCode.NO_ZONE_FOR_TEMPERATURE,
            f"no active hub has a {temperature} zone with docks",
            "no_zone",
            {"temperature": temperature},
        )
    if allowed is None:
        usable = matching
    else:
        allowed_keys = {inst.hub_index[h] for h in allowed if h in inst.hub_index}
        usable = [z for z in matching if z.hub in allowed_keys]
    if not usable:
        return Reason(
            ReasonCode.HUB_NOT_ALLOWED,
            f"its allowed hubs ({', '.join(allowed or [])}) have no active {temperature} zone",
            "hubs_not_allowed",
            {"hubs": list(allowed or []), "temperature": temperature},
        )
    ld.cands = [build_candidate(inst, ld, z) for z in usable]
    return None


def window_holds_the_load(inst: Instance, ld: LoadData) -> Reason | None:
    """H4 some grid start at or after the release ends by the deadline, span inside the horizon."""
    ok = []
    for c in ld.cands:
        s = -(-ld.release // c.slot) * c.slot
        if s + ld.p <= ld.latest_end and s + ld.p + c.disinfection <= inst.horizon:
            ok.append(c)
    if not ok:
        limit = (
            "deadline"
            if ld.load.deadline is not None and ld.latest_end < inst.horizon
            else "horizon end"
        )
        return Reason(
            ReasonCode.WINDOW_TOO_SHORT,
            f"{ld.p} min of handling do not fit between its release and its {limit}",
            "window_deadline" if limit == "deadline" else "window_horizon",
            {"minutes": ld.p},
        )
    ld.cands = ok
    return None


def some_opening_fits(inst: Instance, ld: LoadData, empty: Timeline) -> Reason | None:
    """H5 on an empty hub some opening period, clear of blocked windows, holds the load's span."""
    ok = []
    for c in ld.cands:
        if any(
            empty.earliest_start(dk, ld.p, c.disinfection, c.slot, ld.release, ld.latest_end)
            is not None
            for dk in c.docks
        ):
            ok.append(c)
    if not ok:
        return Reason(
            ReasonCode.CLOSED,
            "no opening period (clear of blocked windows) of a suitable hub holds it in its window",
            "closed",
        )
    ld.cands = ok
    return None


PRE_CHECKS = [
    enterprise_is_whitelisted,
    driver_passes_screening,
    hub_and_zone_candidates,
    window_holds_the_load,
]


def filter_candidates(inst: Instance) -> dict[int, Reason]:
    """Give each eligible load its candidates; return the reason for each load that can never be
    placed."""
    reasons: dict[int, Reason] = {}
    empty = Timeline(inst)
    for ld in inst.loads:
        for check in PRE_CHECKS:
            reason = check(inst, ld)
            if reason is not None:
                break
        else:
            reason = some_opening_fits(inst, ld, empty)
        if reason is not None:
            reasons[ld.key] = reason
            ld.cands = []
    return reasons
