"""A plan's left-out reasons as people read them, set right after the solve (services/job_run.py).

The solver (`solver/eligibility.py`, `solver/explain.py`) says why it left a load out from the
numbers it plans with; two of its answers read wrong on a live day, and are set right here:

- a load whose window held its handling from its release, but no longer from the moment the plan
  starts (`now`, later than the release), is not "time window too short": its deadline has passed.
  It is told `DEADLINE_PASSED`, detail `deadline_before_plan`, params `deadline` and `now` (ISO
  8601 in the site's zone, to the second) and `minutes` (its handling);
- the `start` the solver gives a capacity or pin reason (`capacity_taken`, `capacity_held`,
  `pinned_slot`) as the site's "MM-DD HH:MM" (no year, no zone) is given as ISO 8601 in the
  site's zone, as every other time a reason carries (`reason_words` shows it as the clock).
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from hub_scheduler.domain import ReasonCode, Scenario, Schedule, Unscheduled
from hub_scheduler.moments import iso_moment

DEADLINE_BEFORE_PLAN = "deadline_before_plan"
# Reasons whose `start` the solver writes as the site's "MM-DD HH:MM".
_LOCAL_START = frozenset({"capacity_taken", "capacity_held", "pinned_slot"})


def as_people_read_them(scenario: Scenario, schedule: Schedule) -> Schedule:
    """`schedule` with its left-out reasons set right (see the module); the rest as it is."""
    zone = ZoneInfo(scenario.timezone)
    loads = {ld.id: ld for ld in scenario.loads}
    now = scenario.settings.now
    said = []
    for item in schedule.unscheduled:
        load = loads.get(item.load_id)
        if now is not None and load is not None and _deadline_gone(item, load, now):
            item = _deadline_passed(item, load.deadline, now, zone)  # type: ignore[arg-type]
        elif item.reason_detail in _LOCAL_START and isinstance(
            item.reason_params.get("start"), str
        ):
            start = _local_moment(item.reason_params["start"], scenario.horizon.start, zone)
            if start is not None:
                item = item.model_copy(
                    update={"reason_params": {**item.reason_params, "start": iso_moment(start)}}
                )
        said.append(item)
    return schedule.model_copy(update={"unscheduled": said})


def _deadline_gone(item: Unscheduled, load, now: datetime) -> bool:
    """Left out as a window too short for its handling, which its window held from its release
    but no longer holds from `now`."""
    if item.reason_code is not ReasonCode.WINDOW_TOO_SHORT or load.deadline is None:
        return False
    handling = timedelta(minutes=load.handling_minutes)
    return load.release + handling <= load.deadline < now + handling


def _deadline_passed(item: Unscheduled, deadline: datetime, now: datetime, zone: tzinfo):
    minutes = item.reason_params.get("minutes")
    return item.model_copy(
        update={
            "reason_code": ReasonCode.DEADLINE_PASSED,
            "reason": f"it can no longer be done by its deadline ({deadline.isoformat()}): the "
            f"plan starts at {now.isoformat()}",
            "reason_detail": DEADLINE_BEFORE_PLAN,
            "reason_params": {
                "deadline": iso_moment(deadline, zone),
                "now": iso_moment(now, zone),
                "minutes": minutes,
            },
        }
    )


def _local_moment(text: str, near: datetime, zone: tzinfo) -> datetime | None:
    """The site's "MM-DD HH:MM" as a moment in `zone`, in the year that puts it nearest `near`
    (a horizon across the new year); None for any other text (already ISO, or unreadable)."""
    try:
        shape = datetime.strptime(text, "%m-%d %H:%M")
    except ValueError:
        return None
    found = []
    for year in (near.year - 1, near.year, near.year + 1):
        try:
            found.append(shape.replace(year=year, tzinfo=zone))
        except ValueError:  # 29 February in a year without it
            continue
    return min(found, key=lambda moment: abs(moment - near), default=None)
