"""Construction: priority orders decoded by the serial scheme; first-come-first-served as the
baseline."""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Callable, Iterator

from hub_scheduler.solver.decode import Decoder, Solution
from hub_scheduler.solver.in_force import in_force_order
from hub_scheduler.solver.instance import LoadData


def release_order(dec: Decoder) -> list[int]:
    """First come, first served: by release, then by the scenario's order."""
    loads = dec.inst.loads
    return sorted(dec.free, key=lambda k: (loads[k].release, k))


def _min_slack_key(ld: LoadData) -> tuple:
    return (ld.due - ld.p, -ld.w, ld.release, ld.key)


def _deadline_first_key(ld: LoadData) -> tuple:
    # Hard deadlines first, then due dates: a load that misses its deadline is lost altogether.
    return (ld.latest_end - ld.p, ld.due - ld.p, -ld.w, ld.key)


def _weighted_due_key(ld: LoadData) -> tuple:
    return ((ld.due - ld.p) - 30.0 * math.log(ld.w + 1), ld.release, ld.key)


def _weighted_shortest_key(ld: LoadData) -> tuple:
    return (-ld.w / ld.p, ld.due, ld.key)


PRIORITY_RULES: list[Callable[[LoadData], tuple]] = [
    _deadline_first_key,
    _min_slack_key,
    _weighted_due_key,
    _weighted_shortest_key,
]


def priority_orders(dec: Decoder) -> Iterator[list[int]]:
    """The priority-dispatch orders tried by the construction, most useful first (each sorted only
    when asked for, so the first plan comes sooner)."""
    loads = dec.inst.loads
    for rule in PRIORITY_RULES:
        yield sorted(dec.free, key=lambda k: rule(loads[k]))
    yield release_order(dec)


def first_come_first_served(dec: Decoder) -> Solution:
    """Each load in release order takes the earliest feasible slot."""
    dec.earliest = True
    try:
        return dec.decode(release_order(dec))
    finally:
        dec.earliest = False


def construct(
    dec: Decoder,
    time_left: Callable[[], float],
    report: Callable[[str, float], None] | None = None,
) -> Solution:
    """The best plan among the priority orders; the first is always decoded, the others while the
    time left holds another decode as long as the slowest so far. On a re-plan the plan in force
    (`in_force.py`) is the first order, so it is always decoded."""
    best: Solution | None = None
    slowest = 0.0
    orders = priority_orders(dec)
    first = next(orders)
    kept = in_force_order(dec, first)
    # First come, first served last: the plan is never worse than the baseline it is compared with
    # (earliest slots can beat cheapest ones, e.g. when an early cheap slot would block a relay).
    for order in itertools.chain([] if kept is None else [kept], [first], orders, [None]):
        if best is not None and time_left() < slowest * 1.2:
            break
        t0 = time.monotonic()
        sol = dec.decode(order) if order is not None else first_come_first_served(dec)
        slowest = max(slowest, time.monotonic() - t0)
        if best is None or sol.objective < best.objective:
            best = sol
            if report is not None:
                report("construct", best.objective)
    assert best is not None  # the first order is always decoded
    return best
