"""The resource state of a partial plan and the earliest-fit query the schedule-generation scheme
asks.

Every resource a placed load holds is one entry of the dock's list, with one contract
(`blocker / place / unplace`): the dock itself (H3: spans [start, end + d), sorted and disjoint,
blocked windows included), the zone's crews (H6) and the hub's site capacity (H8), both "at most N
operations [start, end) at once". A new "at most N at once" rule is one more `AtMostAtOnce` entry
in `Timeline.__init__`. `earliest_start` returns the first start on the slot grid at or after a
given minute where the load fits its hub's calendar (H4, H5) and every entry of its dock.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import Protocol

from hub_scheduler.solver.instance import Instance


def _up(t: int, slot: int) -> int:
    """The first grid minute at or after t."""
    return -(-t // slot) * slot


class Resource(Protocol):
    """Something a placed load holds; the earliest-fit query asks each one in turn."""

    def blocker(self, t: int, p: int, d: int, slot: int) -> int | None:
        """None when a load of `p` handling and `d` disinfection minutes fits at start t; else a
        later minute before which no start can fit."""

    def place(self, s: int, p: int, d: int) -> None: ...

    def unplace(self, s: int, p: int, d: int) -> None: ...


class DockBusy:
    """H3 one dock's busy intervals (blocked windows and spans [s, s + p + d)), sorted, disjoint."""

    __slots__ = ("starts", "ends")

    def __init__(self, blocked: list[tuple[int, int]]) -> None:
        self.starts = [a for a, _ in blocked]
        self.ends = [b for _, b in blocked]

    def blocker(self, t: int, p: int, d: int, slot: int) -> int | None:
        # Walk the busy intervals until the span fits between two: the grid start after the walk.
        starts, ends = self.starts, self.ends
        span = p + d
        moved = False
        i = bisect_right(starts, t) - 1
        if i >= 0 and ends[i] > t:
            t = _up(ends[i], slot)
            moved = True
        j = i + 1
        n = len(starts)
        while j < n and starts[j] < t + span:
            t = _up(ends[j], slot)
            moved = True
            j += 1
        return t if moved else None

    def place(self, s: int, p: int, d: int) -> None:
        i = bisect_right(self.starts, s)
        self.starts.insert(i, s)
        self.ends.insert(i, s + p + d)

    def unplace(self, s: int, p: int, d: int) -> None:
        i = bisect_left(self.starts, s)
        while self.ends[i] != s + p + d:
            i += 1
        del self.starts[i]
        del self.ends[i]


class AtMostAtOnce:
    """At most `cap` operations [start, end) at once (H6 crews of a zone, H8 trucks on a site);
    the operations are kept sorted by start. Disinfection does not count."""

    __slots__ = ("cap", "starts", "ends", "longest")

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.longest = 0

    def place(self, s: int, p: int, d: int) -> None:
        e = s + p
        i = bisect_right(self.starts, s)
        self.starts.insert(i, s)
        self.ends.insert(i, e)
        if p > self.longest:
            self.longest = p

    def unplace(self, s: int, p: int, d: int) -> None:
        e = s + p
        i = bisect_left(self.starts, s)
        while self.ends[i] != e:
            i += 1
        del self.starts[i]
        del self.ends[i]

    def blocker(self, t: int, p: int, d: int, slot: int) -> int | None:
        """None when fewer than `cap` operations overlap at every moment of [t, t + p); else the
        earliest end among the overlapping ones."""
        cap, u = self.cap, t + p
        starts, ends = self.starts, self.ends
        j = bisect_left(starts, u)
        i = bisect_left(starts, t - self.longest)
        over = [(starts[k], ends[k]) for k in range(i, j) if ends[k] > t]
        if len(over) < cap:
            return None
        events = []
        count = 0
        for s, e in over:
            if s <= t:
                count += 1
            else:
                events.append((s, 1))
            if e < u:
                events.append((e, -1))
        peak = count
        if peak < cap:
            # Half-open: at equal times an end comes before a start.
            events.sort()
            for _, delta in events:
                count += delta
                if count > peak:
                    peak = count
                    if peak >= cap:
                        break
        if peak < cap:
            return None
        return max(min(e for _, e in over), t + 1)


class Timeline:
    """The resources of every dock of a partial plan: per dock, the list of what a load there
    holds (the dock, its zone's crews, its hub's site capacity, shared between docks)."""

    def __init__(self, inst: Instance) -> None:
        self.inst = inst
        self.horizon = inst.horizon
        self.docks = [DockBusy(d.blocked) for d in inst.docks]
        crews = [None if z.crews is None else AtMostAtOnce(z.crews) for z in inst.zones]
        site = [None if h.site_cap is None else AtMostAtOnce(h.site_cap) for h in inst.hubs]
        self.resources: list[list[Resource]] = []
        self.openings: list[list[tuple[int, int]] | None] = []
        self.open_starts: list[list[int] | None] = []
        for dock in inst.docks:
            zone = inst.zones[dock.zone]
            hub = inst.hubs[zone.hub]
            shared = [r for r in (crews[zone.key], site[hub.key]) if r is not None]
            self.resources.append([self.docks[dock.key], *shared])
            self.openings.append(hub.openings)
            self.open_starts.append(None if hub.openings is None else [a for a, _ in hub.openings])

    def copy_blank(self) -> Timeline:
        return Timeline(self.inst)

    def plain(self, dock: int) -> bool:
        """Whether the dock is always open, never blocked and bound by no capacity but itself: a
        load there starts as soon as the dock is free (the single-machine fast path's question)."""
        return (
            self.openings[dock] is None
            and not self.inst.docks[dock].blocked
            and len(self.resources[dock]) == 1
        )

    def place(self, dock: int, s: int, p: int, d: int) -> None:
        for r in self.resources[dock]:
            r.place(s, p, d)

    def unplace(self, dock: int, s: int, p: int, d: int) -> None:
        for r in self.resources[dock]:
            r.unplace(s, p, d)

    def earliest_start(
        self, dock: int, p: int, d: int, slot: int, est: int, latest_end: int
    ) -> int | None:
        """The first grid start >= est where [s, s+p+d) fits the hub's hours and every resource of
        the dock, ending by `latest_end` (handling) and the horizon (span); None if there is
        none."""
        openings, open_starts = self.openings[dock], self.open_starts[dock]
        resources = self.resources[dock]
        span = p + d
        horizon = self.horizon
        t = _up(est, slot)
        while True:
            if t + p > latest_end or t + span > horizon:
                return None
            if openings is not None:
                # Periods are disjoint (touching ones merged): only the last one starting at or
                # before t can hold the span.
                assert open_starts is not None  # built together with openings
                j = bisect_right(open_starts, t)
                if j == 0 or openings[j - 1][1] < t + span:
                    nxt = next((a for a, b in openings[j:] if b - a >= span), None)
                    if nxt is None:
                        return None
                    t = _up(nxt, slot)
                    continue
            for r in resources:
                nt = r.blocker(t, p, d, slot)
                if nt is not None:
                    t = _up(nt, slot)
                    break
            else:
                return t

    def fits_at(self, dock: int, p: int, d: int, s: int, latest_end: int, est: int) -> bool:
        """Whether exactly start `s` is free (used for pins and previous positions)."""
        slot = self.inst.hubs[self.inst.zones[self.inst.docks[dock].zone].hub].slot
        if s % slot or s < est:
            return False
        return self.earliest_start(dock, p, d, 1, s, latest_end) == s
