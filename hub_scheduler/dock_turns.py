"""Trucks taking turns on one dock (H3: one truck at a time, disinfection after each; H9: starts on
the slot grid; H10: a truck on site keeps its dock), as pure arithmetic on instants.

Shared by the gate (`services/late_start.py`: a truck that starts after its slot) and the re-plan
(`models/pin_shift.py`: checked-in trucks waiting for a dock another truck still holds)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

# [from, until): a dock held, operation and disinfection.
Span = tuple[datetime, datetime]


def on_grid(moment: datetime, origin: datetime, step: timedelta) -> datetime:
    """The first start on the grid of `step` from `origin` at or after `moment` (H9)."""
    return origin + -((origin - moment) // step) * step


def held_by_run(
    started: datetime, whole: timedelta, origin: datetime, step: timedelta
) -> tuple[datetime, Span]:
    """A run the gate started at `started` that holds its dock `whole` (handling, then
    disinfection), as a plan can show it: its start there, the first grid minute at or after
    `started` (a plan's starts lie on the grid; rounded up, never down, so the row never claims
    time before the truck really began), and the span the dock is held, from the real start to
    that row's end plus disinfection (the row covers the real run, which ends no later)."""
    start = on_grid(started, origin, step)
    return start, (started, start + whole)


def wait_in_turn(
    held: Iterable[Span],
    waiting: Iterable[tuple[str, datetime, timedelta]],
    origin: datetime,
    step: timedelta,
) -> dict[str, datetime]:
    """The start of each waiting truck (`(id, start, whole)`: its planned start and how long it
    holds the dock, handling and disinfection) on a dock `held` over those spans: in the order of
    their starts (then ids), a truck whose span meets a held one starts at the first grid minute
    after the last such span ends, again until none meets it; a truck nothing holds keeps its
    start. Each truck then holds the dock in turn, so the next one waits for it too. Every id is
    in the answer (its start, moved or not)."""
    spans = list(held)
    starts: dict[str, datetime] = {}
    for truck, start, whole in sorted(waiting, key=lambda t: (t[1], t[0])):
        while clash := [hi for lo, hi in spans if lo < start + whole and start < hi]:
            start = on_grid(max(clash), origin, step)
        starts[truck] = start
        spans.append((start, start + whole))
    return starts
