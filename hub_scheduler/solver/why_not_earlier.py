"""Why a repaired load's new slot is not earlier (a late truck, an ETA moved later): for every dock
the load may use, the hard rules that rule out each earlier start (the first binding limit at
each), as detail codes
with parameters (`domain.REASON_DETAILS`, the vocabulary of the planner's reasons: the pages and
the API write them from the catalogue `why_<code>`, `reason_words.limit_words`).

On each dock the starts tried are the load's earliest start there (`earliest`: the arrival or
the new ETA, on the hub's slot grid), then the grid minute after each limit found lifts, up to
the new start. The new slot's dock names each limit met; another dock the last one (the limit
that keeps it from any start before the new one). At each start the rules are asked in this
order and the first that binds is the limit:

- H4 `deadline_reached` / `horizon_reached`: the handling ends after the deadline, the span after
  the planned period (the walk on that dock stops);
- H5 `outside_hours`: the span is not inside one opening period (params `from`, `until`: when the
  hub closes and opens again for a span this long); `blocked_hub` / `blocked_zone` /
  `blocked_dock`: a blocked window of the hub, the zone or the dock (`from`, `until`; its typed
  reason and case data are never named);
- H7 `relay_place` (a relay's trucks at one hub and zone: `hub`, `zone` of the partner),
  `relay_wait` (an outbound: `until` its inbound's dock is disinfected plus the gap),
  `relay_before` (an inbound: done and disinfected, plus the gap, before its outbound's `start`);
- H3 `dock_busy`: another operation holds the dock (`start`, `end`, `until`: its handling and its
  disinfection; never whose it is);
- H6 `crews_full`: the zone's `crews` crews are all at work from `from` until `until` (a crew
  frees);
- H8 `site_full`: `trucks` trucks on site from `from` until `until`.

A dock of the other temperature class where nothing else would bind at the earliest start gives
one H1 `other_temperature` per zone. Every time is ISO-8601 in the site's zone. Each limit is
computed from the plan's spans directly (a few comparisons per operation of the hub), so the
explanation costs a fraction of the repair, which verifies every candidate it tries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hub_scheduler.domain import (
    REASON_DETAILS,
    Assignment,
    BlockedWindow,
    Hub,
    HubStatus,
    Load,
    Scenario,
    Zone,
)
from hub_scheduler.facts import disinfection_minutes, opening_periods, slot_minutes

MAX_STEPS = 4  # limits named on the new slot's dock
MAX_WALK = 24  # starts tried on one dock
MAX_LIMITS = 8  # limits in one answer (the new slot's dock first)
_MINUTE = timedelta(minutes=1)


@dataclass(frozen=True)
class Limit:
    """One limit: `code` (a `domain.REASON_DETAILS` code), `rule` (the hard rule's id, "H3") and
    `params` (JSON values; times ISO-8601 in the site's zone)."""

    code: str
    rule: str
    params: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.code not in REASON_DETAILS:
            raise ValueError(f"unknown reason detail {self.code!r} (add it to REASON_DETAILS)")

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "rule": self.rule, "params": dict(self.params)}


def _grid(moment: datetime, origin: datetime, step: int) -> datetime:
    minutes = (moment - origin).total_seconds() / 60
    return origin + timedelta(minutes=-(-minutes // step) * step)


@dataclass
class _Dock:
    """What one dock's walk reads: the load's numbers there and the hub's plan."""

    hub: Hub
    zone: Zone
    dock: str
    p: timedelta
    span: timedelta
    step: int
    openings: list[tuple[datetime, datetime]] | None
    here: list[Assignment]  # the hub's operations
    on_dock: list[Assignment]  # the dock's
    in_zone: list[Assignment]  # the zone's


class _Walk:
    def __init__(self, scenario: Scenario, load: Load, others: list[Assignment]) -> None:
        self.scenario = scenario
        self.load = load
        self.tz = ZoneInfo(scenario.timezone)
        self.by_hub: dict[str, list[Assignment]] = {}
        for a in others:
            self.by_hub.setdefault(a.hub_id, []).append(a)
        placed = {a.load_id: a for a in others}
        # H7: the placed inbounds of the load (assignment, min gap), and its placed outbounds.
        self.inbounds = [
            (placed[t.inbound], t.min_gap_minutes)
            for t in scenario.transfers
            if t.outbound == load.id and t.inbound in placed
        ]
        self.outbounds = [
            (placed[t.outbound], t.min_gap_minutes)
            for t in scenario.transfers
            if t.inbound == load.id and t.outbound in placed
        ]
        self.openings: dict[str, list[tuple[datetime, datetime]] | None] = {}

    def local(self, moment: datetime) -> str:
        return moment.astimezone(self.tz).isoformat()

    def dock(self, hub: Hub, zone: Zone, dock: str) -> _Dock:
        if hub.id not in self.openings:
            h = self.scenario.horizon
            self.openings[hub.id] = opening_periods(
                hub,
                self.tz,
                h.start.astimezone(self.tz).date() - timedelta(days=1),
                h.end.astimezone(self.tz).date(),
            )
        p = timedelta(minutes=self.load.handling_minutes)
        d = timedelta(minutes=disinfection_minutes(self.load, zone, hub))
        here = self.by_hub.get(hub.id, [])
        return _Dock(
            hub,
            zone,
            dock,
            p,
            p + d,
            slot_minutes(hub, self.scenario),
            self.openings[hub.id],
            here,
            [a for a in here if a.dock_id == dock],
            [a for a in here if a.zone_id == zone.id],
        )

    def chain(self, at: _Dock, t: datetime, cap: datetime) -> list[tuple[Limit, datetime | None]]:
        """The limits met from start `t` on, each from the grid minute after the one before
        lifts, until a start at or after `cap` (at most `MAX_WALK`): [] when `t` itself fits."""
        out: list[tuple[Limit, datetime | None]] = []
        origin = self.scenario.horizon.start
        while t < cap and len(out) < MAX_WALK:
            found = self.first_limit(at, t)
            if found is None:
                break  # a start the repair did not take (a relay partner, a push)
            out.append(found)
            until = found[1]
            if until is None:
                break
            nxt = _grid(until, origin, at.step)
            t = nxt if nxt > t else _grid(t + _MINUTE, origin, at.step)
        return out

    def first_limit(self, at: _Dock, t: datetime) -> tuple[Limit, datetime | None] | None:
        """The first rule that rules out a start at `t` on the dock, with the moment before which
        that rule leaves no start (None: no later start either); None when none binds."""
        for check in (
            self._window,
            self._hours,
            self._blocked,
            self._relay,
            self._dock_busy,
            self._crews,
            self._site,
        ):
            found = check(at, t)
            if found is not None:
                return found
        return None

    def _window(self, at: _Dock, t: datetime) -> tuple[Limit, datetime | None] | None:
        """H4 the deadline and the planned period."""
        deadline = self.load.deadline
        if deadline is not None and t + at.p > deadline:
            return Limit("deadline_reached", "H4", {"deadline": self.local(deadline)}), None
        end = self.scenario.horizon.end
        if t + at.span > end:
            return Limit("horizon_reached", "H4", {"end": self.local(end)}), None
        return None

    def _hours(self, at: _Dock, t: datetime) -> tuple[Limit, datetime | None] | None:
        """H5 the span inside one opening period."""
        if at.openings is None:
            return None
        u = t + at.span
        if any(a <= t and u <= b for a, b in at.openings):
            return None
        # Closed from the end of the period holding t (or of the last one before it) until a
        # period long enough for the span opens (periods are sorted, touching ones merged).
        holding = next((b for a, b in at.openings if a <= t < b), None)
        closed = holding or max((b for _, b in at.openings if b <= t), default=t)
        again = next((a for a, b in at.openings if a > t and b - a >= at.span), None)
        until = again if again is not None else self.scenario.horizon.end
        params = {"hub": at.hub.id, "from": self.local(closed), "until": self.local(until)}
        return Limit("outside_hours", "H5", params), again

    def _blocked(self, at: _Dock, t: datetime) -> tuple[Limit, datetime | None] | None:
        """H5 the blocked windows of the hub, the zone and the dock."""
        u = t + at.span
        hits: list[BlockedWindow] = [
            w for w in at.hub.blocked if w.start < u and t < w.end and _applies(w, at)
        ]
        if not hits:
            return None
        w = min(hits, key=lambda w: (w.start, w.end))
        params: dict[str, Any] = {"hub": at.hub.id}
        if w.dock_id is not None:
            code = "blocked_dock"
            params["dock"] = w.dock_id
        elif w.zone_id is not None:
            code = "blocked_zone"
            params["zone"] = w.zone_id
        else:
            code = "blocked_hub"
        params |= {"from": self.local(w.start), "until": self.local(w.end)}
        return Limit(code, "H5", params), w.end

    def _relay(self, at: _Dock, t: datetime) -> tuple[Limit, datetime | None] | None:
        """H7 an outbound at its inbound's hub and zone, after its inbound's dock is clean."""
        for inbound, gap in self.inbounds:
            if (inbound.hub_id, inbound.zone_id) != (at.hub.id, at.zone.id):
                params = {"hub": inbound.hub_id, "zone": inbound.zone_id}
                return Limit("relay_place", "H7", params), None
            ready = inbound.disinfected_at + timedelta(minutes=gap)
            if t < ready:
                return Limit("relay_wait", "H7", {"until": self.local(ready)}), ready
        for outbound, gap in self.outbounds:
            # an inbound leaves its dock disinfected (plus the gap) before its outbound starts
            if (outbound.hub_id, outbound.zone_id) != (at.hub.id, at.zone.id):
                params = {"hub": outbound.hub_id, "zone": outbound.zone_id}
                return Limit("relay_place", "H7", params), None
            if t + at.span + timedelta(minutes=gap) > outbound.start:
                return Limit("relay_before", "H7", {"start": self.local(outbound.start)}), None
        return None

    def _dock_busy(self, at: _Dock, t: datetime) -> tuple[Limit, datetime | None] | None:
        """H3 one truck per dock, disinfected between trucks."""
        u = t + at.span
        busy = [a for a in at.here if a.dock_id == at.dock and a.start < u and t < a.disinfected_at]
        if not busy:
            return None
        a = min(busy, key=lambda a: a.start)
        params = {
            "hub": at.hub.id,
            "zone": at.zone.id,
            "dock": at.dock,
            "start": self.local(a.start),
            "end": self.local(a.end),
            "until": self.local(a.disinfected_at),
        }
        return Limit("dock_busy", "H3", params), a.disinfected_at

    def _crews(self, at: _Dock, t: datetime) -> tuple[Limit, datetime | None] | None:
        """H6 at most `crews` operations at once in the zone."""
        cap = at.zone.crews
        if cap is None:
            return None
        full = _full(at.in_zone, cap, t, t + at.p)
        if full is None:
            return None
        since, until = full
        params = {
            "hub": at.hub.id,
            "zone": at.zone.id,
            "crews": cap,
            "from": self.local(since),
            "until": self.local(until),
        }
        return Limit("crews_full", "H6", params), until

    def _site(self, at: _Dock, t: datetime) -> tuple[Limit, datetime | None] | None:
        """H8 at most `max_trucks_on_site` operations at once at the hub."""
        cap = at.hub.max_trucks_on_site
        if cap is None:
            return None
        full = _full(at.here, cap, t, t + at.p)
        if full is None:
            return None
        since, until = full
        params = {
            "hub": at.hub.id,
            "trucks": cap,
            "from": self.local(since),
            "until": self.local(until),
        }
        return Limit("site_full", "H8", params), until


def _applies(window: BlockedWindow, at: _Dock) -> bool:
    """Whether a blocked window holds the dock: its own, its zone's or the whole hub's."""
    if window.dock_id is not None:
        return window.dock_id == at.dock
    return window.zone_id is None or window.zone_id == at.zone.id


def _full(
    ops: Iterable[Assignment], cap: int, t: datetime, u: datetime
) -> tuple[datetime, datetime] | None:
    """(the first moment in [t, u) when `cap` operations [start, end) already run, the first end
    among those running then), or None when there is always room. No start before that end can
    hold [start, start + (u - t)): every one of them still runs."""
    over = [(a.start, a.end) for a in ops if a.start < u and t < a.end]
    if len(over) < cap:
        return None
    events = sorted({t, *(s for s, _ in over if s > t)})
    for moment in events:
        running = [e for s, e in over if s <= moment < e]
        if len(running) >= cap:
            return moment, min(running)
    return None


def why_not_earlier(
    scenario: Scenario,
    load: Load,
    others: list[Assignment],
    earliest: datetime,
    new: Assignment | None,
) -> list[Limit]:
    """The limits that keep `load` from starting before `new` (None: no slot was found, so up to
    the end of the planned period), from `earliest` on (module docstring), each once, at most
    `MAX_LIMITS`: the new slot's dock's limits up to the new start (the first `MAX_STEPS`);
    then one H1 limit per zone of the other temperature class that is free at the earliest
    start; then, for each other dock, the limit that keeps it from any start before the new one
    (the last one its walk meets), those that leave no later start (a deadline, a relay) first,
    then those lifting first.

    `scenario` and `others` are those the repair read (`solver/repair.py`: the hubs, the other
    loads' slots, the relays)."""
    walk = _Walk(scenario, load, others)
    cap = new.start if new is not None else scenario.horizon.end
    allowed = set(load.allowed_hubs) if load.allowed_hubs else None
    mine: list[Limit] = []
    rest: list[tuple[bool, datetime, int, Limit]] = []
    wrong_class: list[Limit] = []
    order = 0
    for hub in scenario.hubs:
        if hub.status is not HubStatus.ACTIVE or (allowed is not None and hub.id not in allowed):
            continue
        for zone in hub.zones:
            other_class = zone.temperature != load.temperature
            free_dock = False
            for dock in zone.docks:
                at = walk.dock(hub, zone, dock.id)
                t = _grid(earliest, scenario.horizon.start, at.step)
                if other_class:
                    free_dock = free_dock or (t < cap and walk.first_limit(at, t) is None)
                    continue
                chain = walk.chain(at, t, cap)
                if not chain:
                    continue
                order += 1
                if new is not None and (new.hub_id, new.dock_id) == (hub.id, dock.id):
                    mine.extend(limit for limit, _ in chain[:MAX_STEPS])
                else:
                    # the limit that keeps the dock from any start before the new one
                    limit, until = chain[-1]
                    rest.append((until is not None, until or cap, order, limit))
            if free_dock:
                params = {
                    "hub": hub.id,
                    "zone": zone.id,
                    "temperature": load.temperature.value,
                    "zone_temperature": zone.temperature.value,
                }
                wrong_class.append(Limit("other_temperature", "H1", params))
    # The other docks' limits: those that leave no later start (a deadline, a relay) first, then
    # those lifting first.
    rest.sort(key=lambda r: r[:3])
    out: list[Limit] = []
    seen: set[str] = set()
    for limit in [*mine, *wrong_class, *(r[3] for r in rest)]:
        key = repr((limit.code, sorted(limit.params.items())))
        if key in seen:
            continue
        seen.add(key)
        out.append(limit)
    return out[:MAX_LIMITS]
