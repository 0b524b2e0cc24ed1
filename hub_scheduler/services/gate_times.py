"""The gate's times (arrival, start, completion, no-show, and an incident's report time): which
"now" a gate step is judged against, no time in the future, and the steps in their order (a truck
starts after it arrived and completes after it started).

A step typed by hand (`at`) before the step it follows would give a negative dwell or operation,
and wrong "actual" times to the incident trace (contacts are judged at gate times) and to a
re-plan (a dock is blocked by the gate's runs); so it is refused and nothing changes. Gate clocks
may differ by a little (`ARRIVAL_CLOCK_SKEW`): that much either way passes."""

from __future__ import annotations

from datetime import datetime, timedelta

from hub_scheduler import load_keys
from hub_scheduler.domain import Load
from hub_scheduler.errors import Conflict, FieldError, ValidationFailed
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.services.jobs import utc_now
from hub_scheduler.services.site import site_timezone

# The gate's clock (a tablet, a form typed by hand) and the server's may differ by a little: a
# gate time (arrival, start, completion, no-show) up to this long after the server's now is taken
# as it is; a later one is refused, since nothing at the gate happened in the future (an arrival
# would be pinned and planned from that time, a completion would free its dock too early).
ARRIVAL_CLOCK_SKEW = timedelta(minutes=5)

# A gate time later than now: code and what it is called, check-in's (the arrival's) and the
# other steps' (start, complete, no-show).
_ARRIVAL = ("arrival_in_future", "the arrival time", "an arrival")
_GATE_TIME = ("time_in_future", "the gate time", "a gate time")

# The gate time each step's time must not precede: the load's field, by the field the step
# records.
_AFTER = {"started_at": "arrived_at", "completed_at": "started_at"}


def in_order(
    uow: UnitOfWork, load: Load, stamp: str, at: datetime, typed: bool, tolerance: timedelta
) -> datetime:
    """The time to record for the step that records `stamp` (`started_at`, `completed_at`) at
    `at`: a time the operator gave (`typed`) more than `tolerance` before the gate time the step
    follows raises Conflict (409, field `at`, code `time_before_arrival` for a start,
    `time_before_start` for a completion; params `{at, before}` in the site's zone); a time taken
    from the service's clock (a one-tap step) is never earlier than that gate time (a training
    day's clock fixed before an arrival typed later). Other stamps, and a load without that
    earlier time, keep `at`."""
    field = _AFTER.get(stamp)
    before: datetime | None = getattr(load, field) if field is not None else None
    if before is None or at >= before - tolerance:
        return at
    if not typed:
        return before
    tz = site_timezone(uow)
    params = {"at": at.astimezone(tz).isoformat(), "before": before.astimezone(tz).isoformat()}
    shown = load_keys.local(load.id)
    if field == "arrived_at":
        detail = f'load "{shown}" cannot start at {params["at"]}, before its arrival'
        error = FieldError(
            field="at",
            message=f"is before its arrival at the gate ({params['before']})",
            code="time_before_arrival",
            params=params,
        )
    else:
        detail = f'load "{shown}" cannot be completed at {params["at"]}, before its start'
        error = FieldError(
            field="at",
            message=f"is before its start at the gate ({params['before']})",
            code="time_before_start",
            params=params,
        )
    raise Conflict(detail, [error])


def gate_time(at: datetime | None, clock: datetime | None) -> tuple[datetime, datetime]:
    """A gate time and the now it is judged against (both aware datetimes), one rule for the gate
    and the incidents: the time is `at`, else the service's clock (`clock`: a training or demo
    day's configured now, `JobConfig.now` / `api.clock.service_now`; None: the real clock); the
    now is the later of that clock and the real one, so a demo day whose clock runs ahead of the
    real one takes an entry at its own now, and a day set in the past still takes a real-time
    entry. `not_in_future` then refuses a time beyond that now (+ ARRIVAL_CLOCK_SKEW)."""
    real = utc_now()
    now = real if clock is None else max(clock, real)
    return at or clock or real, now


def not_in_future(uow: UnitOfWork, at: datetime, now: datetime, action: str) -> None:
    """A gate time later than now (beyond ARRIVAL_CLOCK_SKEW) is refused, naming `at`: 422 with
    code `arrival_in_future` for a check-in, `time_in_future` for start, complete and no-show
    (and an incident's report time, services/incidents.py);
    params `{at, now}` in the site's zone."""
    if at <= now + ARRIVAL_CLOCK_SKEW:
        return
    tz = site_timezone(uow)
    params = {"at": at.astimezone(tz).isoformat(), "now": now.astimezone(tz).isoformat()}
    code, the_time, a_time = _ARRIVAL if action == "load.check_in" else _GATE_TIME
    raise ValidationFailed(
        f"{the_time} is later than now",
        [
            FieldError(
                field="at",
                message=f"is later than now ({params['now']}): {a_time} cannot be in the future",
                code=code,
                params=params,
            )
        ],
    )
