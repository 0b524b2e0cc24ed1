"""The verifier's checks, one function per hard rule (docs/rules.md), plus the structure checks.

Each check reads a `Plan` and yields a `Violation` per breach, with plain pairwise comparisons and
sweeps, so that a wrong plan from a clever solver is caught by dull code. `CHECKS` lists them all.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from hub_scheduler.domain import (
    Enterprise,
    HubStatus,
    Load,
    Scenario,
)
from hub_scheduler.facts import (
    disinfection_minutes,
    opening_periods,
    pinned_position,
    relay_offset,
    slot_minutes,
)
from hub_scheduler.screening import failed_checks
from hub_scheduler.verify.objective import reported_objective_is_true
from hub_scheduler.verify.plan import (
    STRUCTURE,
    Placed,
    Plan,
    Violation,
    minutes_between,
    plannable,
)

K = TypeVar("K")

# --- structure -----------------------------------------------------------------------------------


def assignments_name_known_places(plan: Plan) -> Iterator[Violation]:
    """STRUCTURE every assignment names a known load, hub and zone, and a dock of that zone."""
    for a in plan.schedule.assignments:
        if a.load_id not in plan.loads:
            yield Violation(STRUCTURE, f"STRUCTURE load {a.load_id} is not in the scenario")
        hub = plan.hubs.get(a.hub_id)
        if hub is None:
            yield Violation(STRUCTURE, f"STRUCTURE load {a.load_id}: unknown hub {a.hub_id}")
            continue
        zone = hub.zone(a.zone_id)
        if zone is None:
            yield Violation(
                STRUCTURE, f"STRUCTURE load {a.load_id}: unknown zone {a.zone_id} at hub {hub.id}"
            )
            continue
        if not any(d.id == a.dock_id for d in zone.docks):
            where = hub.dock_zone(a.dock_id)
            detail = f"is in zone {where.id}" if where else "does not exist"
            yield Violation(
                STRUCTURE,
                f"STRUCTURE load {a.load_id}: dock {a.dock_id} {detail}, not in zone {zone.id} "
                f"at hub {hub.id}",
            )
    for u in plan.schedule.unscheduled:
        if u.load_id not in plan.loads:
            yield Violation(
                STRUCTURE, f"STRUCTURE unscheduled load {u.load_id} is not in the scenario"
            )


def every_load_appears_once(plan: Plan) -> Iterator[Violation]:
    """STRUCTURE each plannable load is assigned or unscheduled once; closed loads are not
    assigned."""
    assigned = Counter(a.load_id for a in plan.schedule.assignments)
    unscheduled = Counter(u.load_id for u in plan.schedule.unscheduled)
    for load in plan.scenario.loads:
        a, u = assigned[load.id], unscheduled[load.id]
        if not plannable(load):
            if a:
                yield Violation(
                    STRUCTURE, f"STRUCTURE load {load.id} is {load.status.value} but assigned"
                )
            continue
        if a + u == 0:
            yield Violation(
                STRUCTURE, f"STRUCTURE load {load.id} is neither assigned nor unscheduled"
            )
        elif a > 1:
            yield Violation(STRUCTURE, f"STRUCTURE load {load.id} is assigned {a} times")
        elif u > 1:
            yield Violation(STRUCTURE, f"STRUCTURE load {load.id} is unscheduled {u} times")
        elif a and u:
            yield Violation(STRUCTURE, f"STRUCTURE load {load.id} is both assigned and unscheduled")


def times_follow_handling_and_disinfection(plan: Plan) -> Iterator[Violation]:
    """STRUCTURE end == start + handling and disinfected_at == end + disinfection."""
    for p in plan.placed:
        a = p.assignment
        if a.end != p.end:
            yield Violation(
                STRUCTURE,
                f"STRUCTURE load {a.load_id}: end {a.end.isoformat()} is not start + "
                f"{p.load.handling_minutes} min",
            )
        if a.disinfected_at != a.end + (p.span_end - p.end):
            yield Violation(
                STRUCTURE,
                f"STRUCTURE load {a.load_id}: disinfected_at {a.disinfected_at.isoformat()} is not "
                f"end + {minutes_between(p.span_end, p.end):g} min",
            )


# --- hard rules ----------------------------------------------------------------------------------


def cold_loads_only_in_cold_zones(plan: Plan) -> Iterator[Violation]:
    """H1 a load lands only in a zone of its own temperature class."""
    for p in plan.placed:
        if p.zone.temperature != p.load.temperature:
            yield Violation(
                "H1",
                f"H1 load {p.load.id} is {p.load.temperature.value} but zone {p.zone.id} at hub "
                f"{p.hub.id} is {p.zone.temperature.value}",
            )


def loads_only_at_active_hubs(plan: Plan) -> Iterator[Violation]:
    """H2 loads go only to hubs whose status is active."""
    for p in plan.placed:
        if p.hub.status != HubStatus.ACTIVE:
            yield Violation(
                "H2", f"H2 load {p.load.id} is at hub {p.hub.id}, which is {p.hub.status.value}"
            )


def one_truck_per_dock_with_disinfection(plan: Plan) -> Iterator[Violation]:
    """H3 on one dock the spans [start, end + disinfection) never overlap."""
    by_dock: dict[tuple[str, str], list[Placed]] = defaultdict(list)
    for p in plan.placed:
        by_dock[(p.hub.id, p.dock.id)].append(p)
    for (hub_id, dock_id), ops in by_dock.items():
        ops.sort(key=lambda p: p.start)
        # Compare each span with the one reaching furthest so far: any overlap shows up there.
        reach: Placed | None = None
        for p in ops:
            if reach is not None and p.start < reach.span_end:
                yield Violation(
                    "H3",
                    f"H3 dock {dock_id} at hub {hub_id}: {reach.load.id} and {p.load.id} overlap "
                    f"({reach.load.id} holds it until {reach.span_end.isoformat()}, "
                    f"{p.load.id} starts {p.start.isoformat()})",
                )
            if reach is None or p.span_end > reach.span_end:
                reach = p


def loads_inside_their_time_windows(plan: Plan) -> Iterator[Violation]:
    """H4 start >= release, end <= deadline when set, and the span inside the horizon."""
    horizon = plan.scenario.horizon
    for p in plan.placed:
        load = p.load
        if p.start < load.release:
            yield Violation(
                "H4",
                f"H4 load {load.id} starts {p.start.isoformat()} before its release "
                f"{load.release.isoformat()}",
            )
        if load.deadline is not None and p.end > load.deadline:
            yield Violation(
                "H4",
                f"H4 load {load.id} ends {p.end.isoformat()} after its deadline "
                f"{load.deadline.isoformat()}",
            )
        if p.start < horizon.start or p.span_end > horizon.end:
            yield Violation(
                "H4",
                f"H4 load {load.id} span {p.start.isoformat()}..{p.span_end.isoformat()} "
                "leaves the horizon",
            )


def nothing_new_starts_before_now(plan: Plan) -> Iterator[Violation]:
    """H4 with the scenario's `now` set, a load that is not pinned starts at `now` or later."""
    now = plan.scenario.settings.now
    if now is None:
        return
    for p in plan.placed:
        if p.start < now and pinned_position(p.load, plan.scenario) is None:
            yield Violation(
                "H4",
                f"H4 load {p.load.id} starts {p.start.isoformat()}, before now {now.isoformat()}",
            )


def spans_inside_one_opening_period(plan: Plan) -> Iterator[Violation]:
    """H5 with opening hours set, the whole span lies inside one opening period (touching periods
    merged, facts.opening_periods)."""
    for p in plan.placed:
        if p.hub.opening_hours is None:
            continue
        start, span_end = p.start.astimezone(UTC), p.span_end.astimezone(UTC)
        # A period that began the day before may still be open (it crosses midnight).
        periods = opening_periods(
            p.hub,
            plan.tz,
            start.astimezone(plan.tz).date() - timedelta(days=1),
            span_end.astimezone(plan.tz).date(),
        )
        assert periods is not None  # None only for a hub without opening hours, skipped above
        if not any(o_start <= start and span_end <= o_end for o_start, o_end in periods):
            local = p.start.astimezone(plan.tz).strftime("%Y-%m-%d %H:%M")
            local_end = p.span_end.astimezone(plan.tz).strftime("%H:%M")
            yield Violation(
                "H5",
                f"H5 load {p.load.id} at hub {p.hub.id} occupies {local}-{local_end} "
                f"({plan.tz.key}), not inside one opening period",
            )


def spans_clear_of_blocked_windows(plan: Plan) -> Iterator[Violation]:
    """H5 the span touches no blocked window of its hub, zone or dock (half-open)."""
    for p in plan.placed:
        for window in p.hub.blocked:
            if window.dock_id is not None:
                applies = window.dock_id == p.dock.id
            elif window.zone_id is not None:
                applies = window.zone_id == p.zone.id
            else:
                applies = True
            if applies and p.start < window.end and window.start < p.span_end:
                what = (
                    f"dock {window.dock_id}"
                    if window.dock_id
                    else f"zone {window.zone_id}"
                    if window.zone_id
                    else "the hub"
                )
                yield Violation(
                    "H5",
                    f"H5 load {p.load.id} at hub {p.hub.id} meets a blocked window of {what} "
                    f"({window.start.isoformat()}..{window.end.isoformat()})",
                )


def _overbooked(ops: Iterable[Placed], capacity: int) -> Iterator[tuple[datetime, list[str]]]:
    """Sweep the operations [start, end): each moment the count first goes above `capacity`."""
    events: list[tuple[datetime, int, str]] = []
    for p in ops:
        events.append((p.start, 1, p.load.id))
        events.append((p.end, -1, p.load.id))
    # Half-open: at equal times an end (-1) is processed before a start (+1).
    events.sort(key=lambda e: (e[0], e[1]))
    active: Counter[str] = Counter()
    count = 0
    for moment, delta, load_id in events:
        count += delta
        active[load_id] += delta
        if not active[load_id]:
            del active[load_id]
        if delta > 0 and count == capacity + 1:
            yield moment, sorted(active)


def _over_capacity(
    plan: Plan, group: Callable[[Placed], K], capacity: Callable[[Placed], int | None]
) -> Iterator[tuple[K, int, datetime, list[str]]]:
    """An "at most N at once" rule: the placed operations grouped by `group` where `capacity` is
    set, and each moment a group first goes above it, as (group, capacity, moment, load ids)."""
    groups: dict[K, list[Placed]] = defaultdict(list)
    for p in plan.placed:
        if capacity(p) is not None:
            groups[group(p)].append(p)
    for key, ops in groups.items():
        cap = capacity(ops[0])
        assert cap is not None  # only operations with a capacity were grouped
        for moment, load_ids in _overbooked(ops, cap):
            yield key, cap, moment, load_ids


def crews_never_overbooked(plan: Plan) -> Iterator[Violation]:
    """H6 at most `crews` operations [start, end) at once in a zone with crews set."""
    zones = _over_capacity(plan, lambda p: (p.hub.id, p.zone.id), lambda p: p.zone.crews)
    for (hub_id, zone_id), crews, moment, load_ids in zones:
        yield Violation(
            "H6",
            f"H6 zone {zone_id} at hub {hub_id}: {len(load_ids)} operations at "
            f"{moment.isoformat()} for {crews} crews ({', '.join(load_ids)})",
        )


def relays_follow_their_inbound(plan: Plan) -> Iterator[Violation]:
    """H7 an assigned outbound has its inbound assigned in its hub and zone, and starts after it."""
    for t in plan.scenario.transfers:
        out = plan.first_placement.get(t.outbound)
        if out is None:
            continue
        inbound = plan.first_placement.get(t.inbound)
        if inbound is None:
            yield Violation(
                "H7", f"H7 outbound {t.outbound} is assigned but its inbound {t.inbound} is not"
            )
            continue
        if (inbound.hub.id, inbound.zone.id) != (out.hub.id, out.zone.id):
            yield Violation(
                "H7",
                f"H7 outbound {t.outbound} is at {out.hub.id}/{out.zone.id} but its inbound "
                f"{t.inbound} is at {inbound.hub.id}/{inbound.zone.id}",
            )
        earliest = inbound.start + timedelta(
            minutes=relay_offset(
                inbound.load.handling_minutes,
                disinfection_minutes(inbound.load, inbound.zone, inbound.hub),
                t.min_gap_minutes,
            )
        )
        if out.start < earliest:
            yield Violation(
                "H7",
                f"H7 outbound {t.outbound} starts {out.start.isoformat()}, before inbound "
                f"{t.inbound} ends, is disinfected and {t.min_gap_minutes} min pass "
                f"({earliest.isoformat()})",
            )


def site_capacity_never_exceeded(plan: Plan) -> Iterator[Violation]:
    """H8 at most `max_trucks_on_site` operations [start, end) at once at a hub, when set."""
    hubs = _over_capacity(plan, lambda p: p.hub.id, lambda p: p.hub.max_trucks_on_site)
    for hub_id, cap, moment, load_ids in hubs:
        yield Violation(
            "H8",
            f"H8 hub {hub_id}: {len(load_ids)} trucks on site at {moment.isoformat()}, "
            f"at most {cap} ({', '.join(load_ids)})",
        )


def starts_on_the_slot_grid(plan: Plan) -> Iterator[Violation]:
    """H9 (start - horizon.start) is a whole multiple of the hub's slot minutes."""
    origin = plan.scenario.horizon.start
    for p in plan.placed:
        slot = slot_minutes(p.hub, plan.scenario)
        offset = p.start - origin
        if offset % timedelta(minutes=slot):
            yield Violation(
                "H9",
                f"H9 load {p.load.id} starts {minutes_between(p.start, origin):g} min after the "
                f"horizon start, not on the {slot}-minute grid of hub {p.hub.id}",
            )


def pinned_loads_stay_put(plan: Plan) -> Iterator[Violation]:
    """H10 a pinned (or frozen, or on-site) load, if assigned, is exactly at its hub, dock and
    start."""
    for p in plan.placed:
        pin = pinned_position(p.load, plan.scenario)
        if pin is None:
            continue
        if (p.hub.id, p.dock.id, p.start) != (pin.hub_id, pin.dock_id, pin.start):
            yield Violation(
                "H10",
                f"H10 load {p.load.id} is pinned to {pin.hub_id}/{pin.dock_id} at "
                f"{pin.start.isoformat()} but placed at {p.hub.id}/{p.dock.id} at "
                f"{p.start.isoformat()}",
            )


def barred_everywhere(
    scenario: Scenario, load: Load, enterprises: dict[str, Enterprise] | None = None
) -> list[str]:
    """Why H11 keeps the load out of every hub (white-list, screening); empty when it may enter."""
    why = []
    if enterprises is None:
        enterprises = {e.id: e for e in scenario.enterprises}
    enterprise = enterprises.get(load.enterprise_id)
    release_day = load.release.astimezone(ZoneInfo(scenario.timezone)).date()
    if enterprise is None or not enterprise.whitelisted_on(release_day):
        why.append(f"enterprise {load.enterprise_id} is not white-listed on {release_day}")
    policy = scenario.settings.screening
    if policy.required or load.screening is not None:
        failed = failed_checks(load, policy, load.release)
        if failed:
            why.append(f"fails screening: {', '.join(f.code for f in failed)}")
    return why


def only_eligible_loads_planned(plan: Plan) -> Iterator[Violation]:
    """H11 assigned loads are white-listed on the release date, pass screening, at allowed hubs."""
    for p in plan.placed:
        load = p.load
        for why in barred_everywhere(plan.scenario, load, plan.enterprises):
            yield Violation("H11", f"H11 load {load.id}: {why}")
        if load.allowed_hubs is not None and p.hub.id not in load.allowed_hubs:
            yield Violation(
                "H11", f"H11 load {load.id} is at hub {p.hub.id}, not one of its allowed hubs"
            )


# --- putting it together -------------------------------------------------------------------------

Check = Callable[[Plan], Iterator[Violation]]

# Structure first, then the hard rules by id. Every check the verifier runs is named here.
CHECKS: list[Check] = [
    assignments_name_known_places,
    every_load_appears_once,
    times_follow_handling_and_disinfection,
    cold_loads_only_in_cold_zones,
    loads_only_at_active_hubs,
    one_truck_per_dock_with_disinfection,
    loads_inside_their_time_windows,
    nothing_new_starts_before_now,
    spans_inside_one_opening_period,
    spans_clear_of_blocked_windows,
    crews_never_overbooked,
    relays_follow_their_inbound,
    site_capacity_never_exceeded,
    starts_on_the_slot_grid,
    pinned_loads_stay_put,
    only_eligible_loads_planned,
    reported_objective_is_true,
]
