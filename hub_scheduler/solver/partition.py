"""Independent parts of a day: groups of hubs that share no load, relay or pin, solved apart.

Two hubs belong to one part when some load may go to both (its `allowed_hubs`; a load that may go
anywhere joins every hub), when a relay's two loads may go to them, or when a load is pinned or
was placed at one and may go to the other. Capacities are per hub (crews, site capacity), so they
join nothing. A plan of the whole day is then the union of the parts' plans, and each part can
be a separate plan job on the queue (docs/queue.md, issue 11 item 7).
"""

from __future__ import annotations

from hub_scheduler.domain import PlanStatus, Scenario, Schedule


class _Union:
    def __init__(self, items: list[str]):
        self.parent = {i: i for i in items}

    def find(self, x: str) -> str:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def join(self, items: list[str]) -> None:
        roots = [self.find(i) for i in items if i in self.parent]
        for root in roots[1:]:
            self.parent[root] = roots[0]


def _hubs_of(scenario: Scenario) -> dict[str, list[str]]:
    """Each load's possible hubs (pins and previous positions included)."""
    every = [h.id for h in scenario.hubs]
    out = {}
    for load in scenario.loads:
        hubs = list(load.allowed_hubs) if load.allowed_hubs else list(every)
        for position in (load.pinned, load.previous):
            if position is not None:
                hubs.append(position.hub_id)
        out[load.id] = hubs
    return out


def independent_parts(scenario: Scenario) -> list[list[str]]:
    """The hub ids of each independent part, largest part first (ids sorted in a part)."""
    union = _Union([h.id for h in scenario.hubs])
    hubs_of = _hubs_of(scenario)
    for hubs in hubs_of.values():
        union.join(hubs)
    for transfer in scenario.transfers:
        union.join(hubs_of.get(transfer.inbound, []) + hubs_of.get(transfer.outbound, []))
    parts: dict[str, list[str]] = {}
    for hub in scenario.hubs:
        parts.setdefault(union.find(hub.id), []).append(hub.id)
    return sorted((sorted(p) for p in parts.values()), key=lambda p: (-len(p), p))


def split(scenario: Scenario, parts: list[list[str]]) -> list[Scenario]:
    """One scenario per part: its hubs, the loads that may only go there, their relays. A load
    with no hub in the scenario goes with the first part (it is left out there, with its
    reason)."""
    hubs_of = _hubs_of(scenario)
    part_of = {hub_id: i for i, part in enumerate(parts) for hub_id in part}
    out = []
    for i, part in enumerate(parts):
        wanted = set(part)
        loads = [
            ld
            for ld in scenario.loads
            if (part_of.get(next(iter(hubs_of[ld.id]), ""), 0) == i)
            or (i == 0 and not any(h in part_of for h in hubs_of[ld.id]))
        ]
        ids = {ld.id for ld in loads}
        out.append(
            scenario.model_copy(
                update={
                    "name": f"{scenario.name} part {i + 1}/{len(parts)}",
                    "hubs": [h for h in scenario.hubs if h.id in wanted],
                    "loads": loads,
                    "transfers": [
                        t for t in scenario.transfers if t.inbound in ids and t.outbound in ids
                    ],
                }
            )
        )
    return out


def merge(scenario: Scenario, schedules: list[Schedule]) -> Schedule:
    """The day's schedule from its parts' schedules: every assignment and left-out load, the
    solve time of the slowest part; objective, bound and KPIs as the caller's verifier reads
    them from the whole (`verify(scenario, merged)`)."""
    assignments = [a for s in schedules for a in s.assignments]
    unscheduled = [u for s in schedules for u in s.unscheduled]
    bounds = [s.bound for s in schedules]
    return Schedule(
        scenario=scenario.name,
        status=(
            PlanStatus.OPTIMAL
            if schedules and all(s.status is PlanStatus.OPTIMAL for s in schedules)
            else PlanStatus.FEASIBLE
        ),
        objective=sum(s.objective or 0.0 for s in schedules),
        bound=None if any(b is None for b in bounds) else sum(bounds),
        solve_seconds=max((s.solve_seconds for s in schedules), default=0.0),
        assignments=sorted(assignments, key=lambda a: (a.start, a.hub_id, a.dock_id)),
        unscheduled=sorted(unscheduled, key=lambda u: u.load_id),
        kpis={"parts": len(schedules)},
    )
