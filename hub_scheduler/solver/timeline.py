"""The resource state of a partial plan and the earliest-fit query the schedule-generation scheme
asks.

Each dock keeps its busy intervals (blocked windows and placed spans [start, end + d)) sorted and
disjoint; each zone with crews and each hub with a site capacity keeps its operations [start, end)
sorted by start. `earliest_start` returns the first start on the slot grid at or after a given
minute
where the load fits every hard rule that depends on other loads (H3, H6, H8) and on the calendar
(H4, H5).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from hub_scheduler.solver.instance import Instance


class Ops:
    """Operations [start, end) sorted by start, for a capacity (crews or trucks on site)."""

    __slots__ = ("starts", "ends", "longest")

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.longest = 0

    def add(self, s: int, e: int) -> None:
        i = bisect_right(self.starts, s)
        self.starts.insert(i, s)
        self.ends.insert(i, e)
        if e - s > self.longest:
            self.longest = e - s

    def remove(self, s: int, e: int) -> None:
        i = bisect_left(self.starts, s)
        while self.ends[i] != e:
            i += 1
        del self.starts[i]
        del self.ends[i]

    def blocker(self, t: int, u: int, cap: int) -> int | None:
        """None when fewer than `cap` operations overlap at every moment of [t, u); else a later
        minute before which no start can fit (the earliest end among the overlapping ones)."""
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
        return min(e for _, e in over)

    def count_at(self, t: int) -> int:
        j = bisect_right(self.starts, t)
        i = bisect_left(self.starts, t - self.longest)
        return sum(1 for k in range(i, j) if self.ends[k] > t)


class Timeline:
    """The busy intervals of every dock, zone (crews) and hub (site capacity) of a partial plan."""

    def __init__(self, inst: Instance) -> None:
        self.inst = inst
        self.dock_s: list[list[int]] = [[a for a, _ in d.blocked] for d in inst.docks]
        self.dock_e: list[list[int]] = [[b for _, b in d.blocked] for d in inst.docks]
        self.crews = [Ops() if z.crews is not None else None for z in inst.zones]
        self.site = [Ops() if h.site_cap is not None else None for h in inst.hubs]
        self.open_starts = [
            None if h.openings is None else [a for a, _ in h.openings] for h in inst.hubs
        ]
        self.horizon = inst.horizon
        # Per dock, what the earliest-fit query reads besides the dock itself (looked up once).
        self.context = []
        for dock in inst.docks:
            zone = inst.zones[dock.zone]
            hub = inst.hubs[zone.hub]
            self.context.append(
                (
                    hub.openings,
                    self.open_starts[zone.hub],
                    self.crews[dock.zone],
                    zone.crews,
                    self.site[zone.hub],
                    hub.site_cap,
                )
            )

    def copy_blank(self) -> Timeline:
        return Timeline(self.inst)

    def place(self, dock: int, s: int, p: int, d: int) -> None:
        starts, ends = self.dock_s[dock], self.dock_e[dock]
        i = bisect_right(starts, s)
        starts.insert(i, s)
        ends.insert(i, s + p + d)
        zone = self.inst.docks[dock].zone
        ops = self.crews[zone]
        if ops is not None:
            ops.add(s, s + p)
        ops = self.site[self.inst.zones[zone].hub]
        if ops is not None:
            ops.add(s, s + p)

    def unplace(self, dock: int, s: int, p: int, d: int) -> None:
        starts = self.dock_s[dock]
        i = bisect_left(starts, s)
        while self.dock_e[dock][i] != s + p + d:
            i += 1
        del starts[i]
        del self.dock_e[dock][i]
        zone = self.inst.docks[dock].zone
        ops = self.crews[zone]
        if ops is not None:
            ops.remove(s, s + p)
        ops = self.site[self.inst.zones[zone].hub]
        if ops is not None:
            ops.remove(s, s + p)

    def earliest_start(
        self, dock: int, p: int, d: int, slot: int, est: int, latest_end: int
    ) -> int | None:
        """The first grid start >= est where [s, s+p+d) fits the dock, its hub's hours, crews and
        site."""
        openings, open_starts, crews_ops, crews, site_ops, site_cap = self.context[dock]
        starts, ends = self.dock_s[dock], self.dock_e[dock]
        span = p + d
        horizon = self.horizon
        t = -(-est // slot) * slot
        n = len(starts)
        while True:
            if t + p > latest_end or t + span > horizon:
                return None
            if openings is not None:
                j = bisect_right(open_starts, t)
                if not any(openings[k][1] >= t + span for k in range(j - 1, -1, -1)):
                    nxt = next((a for a, b in openings[j:] if b - a >= span), None)
                    if nxt is None:
                        return None
                    t = -(-nxt // slot) * slot
                    continue
            # Walk the dock's busy intervals (sorted, disjoint) until the span fits between two.
            moved = False
            i = bisect_right(starts, t) - 1
            if i >= 0 and ends[i] > t:
                t = -(-ends[i] // slot) * slot
                moved = True
            j = i + 1
            while j < n and starts[j] < t + span:
                t = -(-ends[j] // slot) * slot
                moved = True
                j += 1
            if moved:
                continue
            if crews_ops is not None:
                nt = crews_ops.blocker(t, t + p, crews)
                if nt is not None:
                    t = -(-max(nt, t + 1) // slot) * slot
                    continue
            if site_ops is not None:
                nt = site_ops.blocker(t, t + p, site_cap)
                if nt is not None:
                    t = -(-max(nt, t + 1) // slot) * slot
                    continue
            return t

    def fits_at(self, dock: int, p: int, d: int, s: int, latest_end: int, est: int) -> bool:
        """Whether exactly start `s` is free (used for pins and previous positions)."""
        slot = self.inst.hubs[self.inst.zones[self.inst.docks[dock].zone].hub].slot
        if s % slot or s < est:
            return False
        return self.earliest_start(dock, p, d, 1, s, latest_end) == s
