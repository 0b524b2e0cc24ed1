"""Compile a Scenario into integer data: minutes from the horizon start, indices instead of ids.

Everything the construction, the local search, the bound model and the explanations need is read
from the scenario once, here: each plannable load's weight, window and candidate (hub, zone) pairs;
each hub's opening-period occurrences in the scenario's time zone; each dock's blocked intervals.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from hub_scheduler.domain import (
    Enterprise,
    Hub,
    HubStatus,
    Load,
    Position,
    Scenario,
    Zone,
)
from hub_scheduler.facts import (
    disinfection_minutes,
    merged,
    opening_minutes,
    pinned_position,
    slot_minutes,
    started_at_gate,
    unscheduled_penalty,
)
from hub_scheduler.transitions import NOT_PLANNABLE, ON_SITE
from hub_scheduler.travel import travel_minutes
from hub_scheduler.weights import load_weight


@dataclass
class DockData:
    key: int
    id: str
    zone: int  # index into Instance.zones
    blocked: list[tuple[int, int]]  # merged, sorted, half-open minutes (hub + zone + dock windows)


@dataclass
class ZoneData:
    key: int
    id: str
    hub: int
    temperature: str
    crews: int | None
    disinfection: int | None
    docks: list[int]  # dock keys
    blocked: list[tuple[int, int]]  # hub + zone windows (those that hold every dock)
    zone: Zone


@dataclass
class HubData:
    key: int
    id: str
    active: bool
    slot: int
    disinfection: int
    site_cap: int | None
    # None = always open; else sorted disjoint periods [a, b) in minutes, touching ones merged
    # (facts.opening_minutes); a span must fit in one.
    openings: list[tuple[int, int]] | None
    zones: list[int]
    hub: Hub


@dataclass
class Candidate:
    """One (hub, zone) a load may use, with the load-specific numbers there."""

    zone: int
    hub: int
    disinfection: int
    slot: int
    travel_cost: float  # gamma * travel minutes
    # The docks of the zone this load may use (dock keys): the one place a load-to-dock rule
    # narrows (docs/architecture.md "Adding a rule").
    docks: tuple[int, ...] = ()


class Previous(NamedTuple):
    """A load's previous position (S4) in instance terms."""

    hub: int  # hub key
    dock_id: str
    start: float  # minutes from the horizon start (may be fractional: then never kept)


@dataclass
class LoadData:
    key: int
    id: str
    load: Load
    w: int
    p: int
    release: int  # earliest start (ceil of the release, never before the horizon or, unpinned, now)
    due: float  # minutes, may be fractional
    latest_end: int  # deadline (floor) or horizon end
    cands: list[Candidate] = field(default_factory=list)
    previous: Previous | None = None  # when load.previous is set and its hub is known
    pin: Position | None = None  # H10 position, if any
    inbounds: list[tuple[int, int]] = field(default_factory=list)  # (inbound key, min gap)
    outbounds: list[tuple[int, int]] = field(default_factory=list)  # (outbound key, min gap)
    wait_coef: float = 0.0  # alpha * w
    arrival: int = 0  # S3 counts waiting from the real release (ceil), even when now is later


@dataclass
class Instance:
    scenario: Scenario
    horizon: int
    tz: ZoneInfo
    U: float
    alpha: float
    beta: float
    gamma: float
    hubs: list[HubData]
    zones: list[ZoneData]
    docks: list[DockData]
    loads: list[LoadData]  # plannable loads only
    skipped: list[Load]  # not plannable: left out of the plan altogether
    hub_index: dict[str, int]
    dock_index: dict[tuple[int, str], int]  # (hub key, dock id) -> dock key
    enterprises: dict[str, Enterprise] = field(default_factory=dict)

    def open_zones(self, temperature: str) -> list[ZoneData]:
        """The zones of that temperature, with docks, at active hubs (computed once)."""
        cache = self.__dict__.setdefault("_open_zones", {})
        if temperature not in cache:
            cache[temperature] = [
                z
                for z in self.zones
                if z.temperature == temperature and z.docks and self.hubs[z.hub].active
            ]
        return cache[temperature]

    def start_minutes(self, moment: datetime) -> float:
        return (moment - self.scenario.horizon.start).total_seconds() / 60

    def moment(self, minutes: float) -> datetime:
        return self.scenario.horizon.start + timedelta(minutes=minutes)


def compile_instance(scenario: Scenario) -> Instance:
    """The scenario as integer data; candidates are not yet filtered for eligibility (see
    eligibility.py)."""
    tz = ZoneInfo(scenario.timezone)
    h0 = scenario.horizon.start
    horizon = math.floor((scenario.horizon.end - h0).total_seconds() / 60)
    weights = scenario.settings.objective

    def lo(moment: datetime) -> int:
        return math.floor((moment - h0).total_seconds() / 60)

    def hi(moment: datetime) -> int:
        return math.ceil((moment - h0).total_seconds() / 60)

    hubs: list[HubData] = []
    zones: list[ZoneData] = []
    docks: list[DockData] = []
    hub_index: dict[str, int] = {}
    dock_index: dict[tuple[int, str], int] = {}
    for hub in scenario.hubs:
        if hub.id in hub_index:
            continue
        hk = len(hubs)
        hub_index[hub.id] = hk
        hub_blocked = [
            (lo(b.start), hi(b.end)) for b in hub.blocked if b.zone_id is None and b.dock_id is None
        ]
        hd = HubData(
            key=hk,
            id=hub.id,
            active=hub.status is HubStatus.ACTIVE,
            slot=slot_minutes(hub, scenario),
            disinfection=hub.disinfection_minutes,
            site_cap=hub.max_trucks_on_site,
            openings=opening_minutes(hub, scenario),
            zones=[],
            hub=hub,
        )
        hubs.append(hd)
        for zone in hub.zones:
            zk = len(zones)
            zone_blocked = hub_blocked + [
                (lo(b.start), hi(b.end))
                for b in hub.blocked
                if b.zone_id == zone.id and b.dock_id is None
            ]
            zd = ZoneData(
                key=zk,
                id=zone.id,
                hub=hk,
                temperature=zone.temperature.value,
                crews=zone.crews,
                disinfection=zone.disinfection_minutes,
                docks=[],
                blocked=merged(zone_blocked),
                zone=zone,
            )
            zones.append(zd)
            hd.zones.append(zk)
            for dock in zone.docks:
                if (hk, dock.id) in dock_index:
                    continue
                dk = len(docks)
                dock_index[(hk, dock.id)] = dk
                own = [(lo(b.start), hi(b.end)) for b in hub.blocked if b.dock_id == dock.id]
                docks.append(
                    DockData(key=dk, id=dock.id, zone=zk, blocked=merged(zone_blocked + own))
                )
                zd.docks.append(dk)

    enterprises = {e.id: e for e in scenario.enterprises}
    now = scenario.settings.now
    not_before = hi(now) if now is not None else 0
    loads: list[LoadData] = []
    skipped: list[Load] = []
    by_id: dict[str, int] = {}
    for load in scenario.loads:
        if load.status in NOT_PLANNABLE or load.id in by_id:
            skipped.append(load)
            continue
        w = load_weight(load, enterprises.get(load.enterprise_id))
        # A truck the gate started runs as it runs: its deadline bounds no plan (the verifier's
        # H4 says the same, "Reality wins"), or a re-plan would leave a working truck out.
        bounded = load.deadline is not None and not started_at_gate(load)
        latest = min(horizon, lo(load.deadline)) if bounded and load.deadline else horizon
        pin = pinned_position(load, scenario)
        # Nothing new starts in the past: an unpinned load is released at `now` at the earliest;
        # a truck on site without a slot (carried: day_horizon.py) from its arrival.
        arrived = hi(load.arrived_at) if load.arrived_at and load.status in ON_SITE else 0
        earliest = max(0, hi(load.release), *((not_before, arrived) if pin is None else ()))
        ld = LoadData(
            key=len(loads),
            id=load.id,
            load=load,
            w=w,
            p=load.handling_minutes,
            release=earliest,
            due=(load.due - h0).total_seconds() / 60,
            latest_end=latest,
            pin=pin,
            wait_coef=weights.waiting * w,
            arrival=max(0, hi(load.release)),
        )
        if load.previous is not None and load.previous.hub_id in hub_index:
            ld.previous = Previous(
                hub_index[load.previous.hub_id],
                load.previous.dock_id,
                (load.previous.start - h0).total_seconds() / 60,
            )
        by_id[load.id] = ld.key
        loads.append(ld)

    for t in scenario.transfers:
        i, o = by_id.get(t.inbound), by_id.get(t.outbound)
        if o is None:
            continue
        if i is None:
            # The inbound is not part of the plan: the outbound can never be placed (H7).
            loads[o].inbounds.append((-1, t.min_gap_minutes))
            continue
        loads[o].inbounds.append((i, t.min_gap_minutes))
        loads[i].outbounds.append((o, t.min_gap_minutes))

    return Instance(
        scenario=scenario,
        horizon=horizon,
        tz=tz,
        U=unscheduled_penalty(scenario),
        alpha=weights.waiting,
        beta=weights.stability,
        gamma=weights.travel,
        hubs=hubs,
        zones=zones,
        docks=docks,
        loads=loads,
        skipped=skipped,
        hub_index=hub_index,
        dock_index=dock_index,
        enterprises=enterprises,
    )


def build_candidate(inst: Instance, ld: LoadData, zone: ZoneData) -> Candidate:
    hd = inst.hubs[zone.hub]
    hub, hub_zone = hd.hub, zone.zone
    travel = travel_minutes(ld.load.origin, hub.location) if inst.gamma else 0
    return Candidate(
        zone=zone.key,
        hub=zone.hub,
        disinfection=disinfection_minutes(ld.load, hub_zone, hub),
        slot=hd.slot,
        travel_cost=inst.gamma * travel,
        docks=tuple(zone.docks),
    )
