"""How the repair (`solver/repair.py`) asks the independent verifier about one candidate slot:
on the part of the plan the candidate can affect (`hub_part`: its hub's operations and the
relay partners of the loads that change), and there on the operations whose spans touch the
time the change touches (`breaks_a_rule`). Every rule but H7 is per hub and about one operation
or the operations at one moment, so this finds what a whole-plan verification would: on a city
day (3,000 loads) a whole-plan verification costs 0.3 s, a slice a millisecond or two.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from hub_scheduler.domain import Assignment, Load, PlanStatus, Scenario, Schedule
from hub_scheduler.verify import violations


def _violations(scenario: Scenario, assignments: list[Assignment]) -> set[str]:
    schedule = Schedule(scenario=scenario.name, status=PlanStatus.FEASIBLE, assignments=assignments)
    return {v.text for v in violations(scenario, schedule)}


def hub_part(
    scenario: Scenario,
    load: Load,
    others: list[Assignment],
    hub_id: str,
    movable: Collection[str] = (),
) -> tuple[Scenario, list[Assignment]]:
    """The scenario and plan a candidate at `hub_id` can affect: that hub's operations, plus the
    relay partners (H7), wherever they are, of the load and of the hub's loads that may be pushed
    (`movable`). Every rule but H7 is per hub, so verifying this part finds what verifying the
    whole plan would, at a fraction of the cost."""
    here = {a.load_id for a in others if a.hub_id == hub_id}
    mine = {load.id} | (here & set(movable))
    partners = {t.inbound for t in scenario.transfers if t.outbound in mine}
    partners |= {t.outbound for t in scenario.transfers if t.inbound in mine}
    part = [a for a in others if a.hub_id == hub_id or a.load_id in partners]
    ids = {a.load_id for a in part} | {load.id}
    hubs = {hub_id} | {a.hub_id for a in part}
    sub = scenario.model_copy(
        update={
            "hubs": [h for h in scenario.hubs if h.id in hubs],
            "loads": [ld for ld in scenario.loads if ld.id in ids],
            "transfers": [t for t in scenario.transfers if t.inbound in ids and t.outbound in ids],
        }
    )
    return sub, part


def breaks_a_rule(
    sub: Scenario,
    part: list[Assignment],
    candidate: Assignment,
    pushed: Sequence[Assignment] = (),
) -> bool:
    """Whether `candidate`, with the loads of `pushed` moved to their new slots, breaks a hard
    rule in the hub's part of the plan (`hub_part`) that the part did not already break.

    The verifier is asked on the operations whose spans touch the changed time range (from the
    candidate's start to the last changed span's disinfection) and the relay partners of the
    changed loads, before and after the change: every rule but H7 is about one operation, or
    about the operations that hold a dock, a crew or a place on site at one moment, and every
    operation that holds anything at a moment of that range is in the slice, while outside it
    the slice is the same before and after. So the slice finds what the part would, at the
    cost of a few operations instead of a hub's day (`test_repair_prefilters.py` checks the
    repair against brute force on the whole plan)."""
    new = {a.load_id: a for a in pushed}
    changed = [candidate, *pushed, *(a for a in part if a.load_id in new)]
    lo = min(a.start for a in changed)
    hi = max(a.disinfected_at for a in changed)
    ids = {a.load_id for a in changed}
    partners = {t.inbound for t in sub.transfers if t.outbound in ids}
    partners |= {t.outbound for t in sub.transfers if t.inbound in ids}
    near = [a for a in part if a.load_id in partners or (a.start <= hi and a.disinfected_at >= lo)]
    keep = {a.load_id for a in near} | {candidate.load_id}
    local = sub.model_copy(
        update={
            "loads": [ld for ld in sub.loads if ld.id in keep],
            "transfers": [t for t in sub.transfers if t.inbound in keep and t.outbound in keep],
        }
    )
    after = [new.get(a.load_id, a) for a in near]
    return bool(_violations(local, [*after, candidate]) - _violations(local, near))
