"""Pins on a generated day: a few loads pinned by a manager, the first trucks already checked in,
all consistent with docks, crews and site capacity."""

from __future__ import annotations

import random

from bench.day_shape import HORIZON_MINUTES, SLOT, moment
from hub_scheduler.domain import Hub, Load, LoadStatus, Position, Scenario, Zone
from hub_scheduler.facts import disinfection_minutes, opening_minutes


class _PinBook:
    """Keeps generated pins mutually consistent: dock spans, crews and site capacity."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.spans: dict[tuple[str, str], list[tuple[int, int]]] = {}
        self.ops: dict[str, list[tuple[int, int, str]]] = {}

    def try_pin(self, rng: random.Random, load: Load, hub: Hub) -> Position | None:
        zone = next((z for z in hub.zones if z.temperature is load.temperature), None)
        if zone is None:
            return None
        slot = hub.slot_minutes or SLOT
        release = self.scenario.minutes(load.release)
        first = -(-release // slot) * slot
        d = disinfection_minutes(load, zone, hub)
        occurrences = opening_minutes(hub, self.scenario)
        if occurrences is None:  # always open
            occurrences = [(0, HORIZON_MINUTES)]
        for start in range(first, first + 6 * slot, slot):
            end, span_end = start + load.handling_minutes, start + load.handling_minutes + d
            if load.deadline is not None and end > self.scenario.minutes(load.deadline):
                return None
            if span_end > HORIZON_MINUTES or not any(
                a <= start and span_end <= b for a, b in occurrences
            ):
                continue
            for dock in rng.sample(zone.docks, len(zone.docks)):
                if self._fits(hub, zone, dock.id, start, end, span_end):
                    self.spans.setdefault((hub.id, dock.id), []).append((start, span_end))
                    self.ops.setdefault(hub.id, []).append((start, end, zone.id))
                    return Position(hub_id=hub.id, dock_id=dock.id, start=moment(start))
        return None

    def _fits(
        self, hub: Hub, zone: Zone, dock_id: str, start: int, end: int, span_end: int
    ) -> bool:
        for w in hub.blocked:
            applies = (
                w.dock_id == dock_id if w.dock_id else (w.zone_id == zone.id if w.zone_id else True)
            )
            if (
                applies
                and start < self.scenario.minutes(w.end)
                and self.scenario.minutes(w.start) < span_end
            ):
                return False
        if any(start < b and a < span_end for a, b in self.spans.get((hub.id, dock_id), [])):
            return False
        at_hub = [(a, b, z) for a, b, z in self.ops.get(hub.id, []) if start < b and a < end]
        # Conservative: count every pinned op overlapping the window as simultaneous.
        if zone.crews is not None and sum(z == zone.id for *_, z in at_hub) + 1 > zone.crews:
            return False
        return hub.max_trucks_on_site is None or len(at_hub) + 1 <= hub.max_trucks_on_site


def pin_some(rng: random.Random, scenario: Scenario, active: list[Hub]) -> None:
    """About 2% pinned by a manager and the first trucks of the day already checked in."""
    in_relay = {x for t in scenario.transfers for x in (t.inbound, t.outbound)}
    book = _PinBook(scenario)
    hubs = {h.id: h for h in active}
    trusted = {e.id for e in scenario.enterprises if e.whitelisted and e.valid_until is None}
    for load in scenario.loads:
        if (
            load.id in in_relay
            or load.status is not LoadStatus.SUBMITTED
            or load.deadline is not None
            or not load.has_pass
            or load.enterprise_id not in trusted
        ):
            continue
        early = scenario.minutes(load.release) < 7 * 60
        if rng.random() >= (0.2 if early else 0.015):
            continue
        choices = [hubs[h] for h in (load.allowed_hubs or hubs) if h in hubs]
        if not choices:
            continue
        pin = book.try_pin(rng, load, rng.choice(choices))
        if pin is None:
            continue
        if early:
            load.status = LoadStatus.CHECKED_IN
            load.previous = pin
        else:
            load.pinned = pin
