"""How far a plan of a day may reach past the day's end: a truck that arrives late in the day
(23:30) at a hub open across midnight is planned by that day's plan, its span running into the
next day, rather than left out with WINDOW_TOO_SHORT because the horizon ended at midnight.

The loads of a plan are still those released inside the requested horizon; only the end of the
planning horizon moves, as far as the latest of them may be done (its deadline, else its due,
at least its release plus handling) plus a disinfection and a slot of grid rounding. A later
day's plan sees the span that crosses into it as taken (models.scenario_store: docks blocked).

A load released before a horizon and still waiting for a slot (plannable, placed by no plan in
force, on site or not) is carried into it, looked back `CARRY_DAYS` days (`carry_start`,
`waiting`): the plan takes it (from now at the earliest) or names why not, and the gate lists it
on that day. Without it, a load entered after its release day's plan was never planned.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from datetime import datetime, timedelta

from hub_scheduler.domain import Hub, Load
from hub_scheduler.transitions import PLANNABLE

# How far back a horizon looks for loads released before it and still waiting for a slot.
CARRY_DAYS = 3


def carry_start(start: datetime) -> datetime:
    """The earliest release a load may have to be carried into a horizon starting at `start`."""
    return start - timedelta(days=CARRY_DAYS)


def waiting(loads: Iterable[Load], slotted: Container[str]) -> list[Load]:
    """The loads still waiting for a slot: plannable and not among `slotted` (the ids a plan in
    force places)."""
    return [ld for ld in loads if ld.status in PLANNABLE and ld.id not in slotted]


def reach_end(
    end: datetime, loads: Iterable[Load], hubs: Iterable[Hub], slot_minutes: int
) -> datetime:
    """`end`, or later when a load may be done after it (see the module docstring)."""
    hubs = list(hubs)
    disinfection = max(
        [h.disinfection_minutes for h in hubs]
        + [z.disinfection_minutes or 0 for h in hubs for z in h.zones],
        default=0,
    )
    slot = max([h.slot_minutes or 0 for h in hubs] + [slot_minutes])
    latest = end
    for ld in loads:
        done_by = ld.deadline or max(ld.due, ld.release + timedelta(minutes=ld.handling_minutes))
        extra = max(disinfection, ld.disinfection_minutes or 0) + slot
        latest = max(latest, done_by + timedelta(minutes=extra))
    return latest
