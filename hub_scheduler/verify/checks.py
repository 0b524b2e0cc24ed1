"""The verifier's checks, one function per hard rule (docs/rules.md), plus the structure checks.

Each check reads a `Plan` and yields a `Violation` (findings.py: a code and its params) per
breach, with plain pairwise comparisons and sweeps, so that a wrong plan from a clever solver is
caught by dull code. `CHECKS` lists them all.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
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
    started_at_gate,
)
from hub_scheduler.screening import arrival_moment, failed_checks
from hub_scheduler.verify.findings import Violation
from hub_scheduler.verify.objective import reported_objective_is_true
from hub_scheduler.verify.plan import Placed, Plan, minutes_between, plannable

K = TypeVar("K")

# --- structure -----------------------------------------------------------------------------------


def assignments_name_known_places(plan: Plan) -> Iterator[Violation]:
    """STRUCTURE every assignment names a known load, hub and zone, and a dock of that zone."""
    for a in plan.schedule.assignments:
        if a.load_id not in plan.loads:
            yield Violation.of("unknown_load", load=a.load_id)
        hub = plan.hubs.get(a.hub_id)
        if hub is None:
            yield Violation.of("unknown_hub", load=a.load_id, hub=a.hub_id)
            continue
        zone = hub.zone(a.zone_id)
        if zone is None:
            yield Violation.of("unknown_zone", load=a.load_id, zone=a.zone_id, hub=hub.id)
            continue
        if not any(d.id == a.dock_id for d in zone.docks):
            where = hub.dock_zone(a.dock_id)
            place = {"load": a.load_id, "dock": a.dock_id, "zone": zone.id, "hub": hub.id}
            if where is None:
                yield Violation("unknown_dock", place)
            else:
                yield Violation("dock_in_other_zone", {**place, "other": where.id})
    for u in plan.schedule.unscheduled:
        if u.load_id not in plan.loads:
            yield Violation.of("unknown_unscheduled", load=u.load_id)


def every_load_appears_once(plan: Plan) -> Iterator[Violation]:
    """STRUCTURE each plannable load is assigned or unscheduled once; closed loads are not
    assigned."""
    assigned = Counter(a.load_id for a in plan.schedule.assignments)
    unscheduled = Counter(u.load_id for u in plan.schedule.unscheduled)
    for load in plan.scenario.loads:
        a, u = assigned[load.id], unscheduled[load.id]
        if not plannable(load):
            if a:
                yield Violation.of(
                    "closed_but_assigned", load=load.id, load_status=load.status.value
                )
            continue
        if a + u == 0:
            yield Violation.of("not_planned", load=load.id)
        elif a > 1:
            yield Violation.of("assigned_twice", load=load.id, n=a)
        elif u > 1:
            yield Violation.of("unscheduled_twice", load=load.id, n=u)
        elif a and u:
            yield Violation.of("assigned_and_unscheduled", load=load.id)


def times_follow_handling_and_disinfection(plan: Plan) -> Iterator[Violation]:
    """STRUCTURE end == start + handling and disinfected_at == end + disinfection."""
    for p in plan.placed:
        a = p.assignment
        if a.end != p.end:
            yield Violation.of(
                "wrong_end", load=a.load_id, end=a.end.isoformat(), minutes=p.load.handling_minutes
            )
        if a.disinfected_at != a.end + (p.span_end - p.end):
            yield Violation.of(
                "wrong_disinfected_at",
                load=a.load_id,
                at=a.disinfected_at.isoformat(),
                minutes=minutes_between(p.span_end, p.end),
            )


# --- hard rules ----------------------------------------------------------------------------------


def cold_loads_only_in_cold_zones(plan: Plan) -> Iterator[Violation]:
    """H1 a load lands only in a zone of its own temperature class."""
    for p in plan.placed:
        if p.zone.temperature != p.load.temperature:
            yield Violation.of(
                "wrong_temperature",
                load=p.load.id,
                temperature=p.load.temperature.value,
                zone=p.zone.id,
                hub=p.hub.id,
                zone_temperature=p.zone.temperature.value,
            )


def loads_only_at_active_hubs(plan: Plan) -> Iterator[Violation]:
    """H2 loads go only to hubs whose status is active."""
    for p in plan.placed:
        if p.hub.status != HubStatus.ACTIVE:
            yield Violation.of(
                "hub_not_active", load=p.load.id, hub=p.hub.id, hub_status=p.hub.status.value
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
                yield Violation.of(
                    "dock_overlap",
                    dock=dock_id,
                    hub=hub_id,
                    first=reach.load.id,
                    second=p.load.id,
                    until=reach.span_end.isoformat(),
                    start=p.start.isoformat(),
                )
            if reach is None or p.span_end > reach.span_end:
                reach = p


def loads_inside_their_time_windows(plan: Plan) -> Iterator[Violation]:
    """H4 start >= release; end <= deadline and span in the horizon unless the gate started it."""
    horizon = plan.scenario.horizon
    for p in plan.placed:
        load = p.load
        if p.start < load.release:
            yield Violation.of(
                "before_release",
                load=load.id,
                start=p.start.isoformat(),
                release=load.release.isoformat(),
            )
        if load.deadline is not None and p.end > load.deadline and not started_at_gate(load):
            yield Violation.of(
                "after_deadline",
                load=load.id,
                end=p.end.isoformat(),
                deadline=load.deadline.isoformat(),
            )
        if p.start < horizon.start or (p.span_end > horizon.end and not started_at_gate(load)):
            yield Violation.of(
                "outside_horizon",
                load=load.id,
                start=p.start.isoformat(),
                end=p.span_end.isoformat(),
            )


def nothing_new_starts_before_now(plan: Plan) -> Iterator[Violation]:
    """H4 with the scenario's `now` set, a load that is not pinned starts at `now` or later."""
    now = plan.scenario.settings.now
    if now is None:
        return
    for p in plan.placed:
        if p.start < now and pinned_position(p.load, plan.scenario) is None:
            yield Violation.of(
                "before_now", load=p.load.id, start=p.start.isoformat(), now=now.isoformat()
            )


def spans_inside_one_opening_period(plan: Plan) -> Iterator[Violation]:
    """H5 with opening hours set, the whole span lies inside one opening period (touching periods
    merged, facts.opening_periods), unless the gate started the load (reality wins: rules.md)."""
    # A hub's periods over two days, worked out once per check (its operations ask again and again).
    known: dict[tuple[str, date, date], list[tuple[datetime, datetime]] | None] = {}
    for p in plan.placed:
        if p.hub.opening_hours is None or started_at_gate(p.load):
            continue
        start, span_end = p.start.astimezone(UTC), p.span_end.astimezone(UTC)
        # A period that began the day before may still be open (it crosses midnight).
        days = (
            start.astimezone(plan.tz).date() - timedelta(days=1),
            span_end.astimezone(plan.tz).date(),
        )
        periods = known.get((p.hub.id, *days)) or opening_periods(p.hub, plan.tz, *days)
        known[(p.hub.id, *days)] = periods
        assert periods is not None  # None only for a hub without opening hours, skipped above
        if not any(o_start <= start and span_end <= o_end for o_start, o_end in periods):
            local = p.start.astimezone(plan.tz).strftime("%Y-%m-%d %H:%M")
            local_end = p.span_end.astimezone(plan.tz).strftime("%H:%M")
            yield Violation.of(
                "outside_hours",
                load=p.load.id,
                hub=p.hub.id,
                start=local,
                end=local_end,
                tz=plan.tz.key,
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
                seen = {
                    "load": p.load.id,
                    "hub": p.hub.id,
                    "start": window.start.isoformat(),
                    "end": window.end.isoformat(),
                }
                if window.dock_id:
                    yield Violation("blocked_dock", {**seen, "dock": window.dock_id})
                elif window.zone_id:
                    yield Violation("blocked_zone", {**seen, "zone": window.zone_id})
                else:
                    yield Violation("blocked_hub", seen)


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
        yield Violation.of(
            "crews_overbooked",
            zone=zone_id,
            hub=hub_id,
            n=len(load_ids),
            at=moment.isoformat(),
            crews=crews,
            loads=load_ids,
        )


def relays_follow_their_inbound(plan: Plan) -> Iterator[Violation]:
    """H7 an assigned outbound has its inbound assigned in its hub and zone, and starts after it."""
    for t in plan.scenario.transfers:
        out = plan.first_placement.get(t.outbound)
        if out is None:
            continue
        inbound = plan.first_placement.get(t.inbound)
        if inbound is None:
            yield Violation.of("inbound_missing", outbound=t.outbound, inbound=t.inbound)
            continue
        if (inbound.hub.id, inbound.zone.id) != (out.hub.id, out.zone.id):
            yield Violation.of(
                "relay_elsewhere",
                outbound=t.outbound,
                out_hub=out.hub.id,
                out_zone=out.zone.id,
                inbound=t.inbound,
                in_hub=inbound.hub.id,
                in_zone=inbound.zone.id,
            )
        earliest = inbound.start + timedelta(
            minutes=relay_offset(
                inbound.load.handling_minutes,
                disinfection_minutes(inbound.load, inbound.zone, inbound.hub),
                t.min_gap_minutes,
            )
        )
        if out.start < earliest:
            yield Violation.of(
                "relay_too_early",
                outbound=t.outbound,
                start=out.start.isoformat(),
                inbound=t.inbound,
                gap=t.min_gap_minutes,
                earliest=earliest.isoformat(),
            )


def site_capacity_never_exceeded(plan: Plan) -> Iterator[Violation]:
    """H8 at most `max_trucks_on_site` operations [start, end) at once at a hub, when set."""
    hubs = _over_capacity(plan, lambda p: p.hub.id, lambda p: p.hub.max_trucks_on_site)
    for hub_id, cap, moment, load_ids in hubs:
        yield Violation.of(
            "site_over_capacity",
            hub=hub_id,
            n=len(load_ids),
            at=moment.isoformat(),
            cap=cap,
            loads=load_ids,
        )


def starts_on_the_slot_grid(plan: Plan) -> Iterator[Violation]:
    """H9 (start - horizon.start) is a whole multiple of the hub's slot minutes."""
    origin = plan.scenario.horizon.start
    for p in plan.placed:
        slot = slot_minutes(p.hub, plan.scenario)
        offset = p.start - origin
        if offset % timedelta(minutes=slot):
            yield Violation.of(
                "off_grid",
                load=p.load.id,
                minutes=minutes_between(p.start, origin),
                slot=slot,
                hub=p.hub.id,
            )


def pinned_loads_stay_put(plan: Plan) -> Iterator[Violation]:
    """H10 a pinned (or frozen, or on-site) load, if assigned, is exactly at its hub, dock and
    start."""
    for p in plan.placed:
        pin = pinned_position(p.load, plan.scenario)
        if pin is None:
            continue
        if (p.hub.id, p.dock.id, p.start) != (pin.hub_id, pin.dock_id, pin.start):
            yield Violation.of(
                "pin_moved",
                load=p.load.id,
                pin_hub=pin.hub_id,
                pin_dock=pin.dock_id,
                pin_start=pin.start.isoformat(),
                hub=p.hub.id,
                dock=p.dock.id,
                start=p.start.isoformat(),
            )


def barred_everywhere(
    scenario: Scenario, load: Load, enterprises: dict[str, Enterprise] | None = None
) -> list[Violation]:
    """Why H11 keeps the load out of every hub (`not_whitelisted`, `fails_screening`, the failed
    checks' codes); empty when it may enter."""
    why = []
    if enterprises is None:
        enterprises = {e.id: e for e in scenario.enterprises}
    enterprise = enterprises.get(load.enterprise_id)
    release_day = load.release.astimezone(ZoneInfo(scenario.timezone)).date()
    if enterprise is None or not enterprise.whitelisted_on(release_day):
        why.append(
            Violation.of(
                "not_whitelisted",
                load=load.id,
                enterprise=load.enterprise_id,
                day=release_day.isoformat(),
            )
        )
    policy = scenario.settings.screening
    if policy.required or load.screening is not None:
        failed = failed_checks(load, policy, arrival_moment(load))
        if failed:
            why.append(
                Violation.of("fails_screening", load=load.id, checks=[f.code for f in failed])
            )
    return why


def only_eligible_loads_planned(plan: Plan) -> Iterator[Violation]:
    """H11 assigned loads are white-listed on the release date, pass screening, at allowed hubs."""
    for p in plan.placed:
        load = p.load
        yield from barred_everywhere(plan.scenario, load, plan.enterprises)
        if load.allowed_hubs is not None and p.hub.id not in load.allowed_hubs:
            yield Violation.of("hub_not_allowed", load=load.id, hub=p.hub.id)


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
