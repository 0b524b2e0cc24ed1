"""A re-plan's pins of checked-in trucks that wait for a dock another truck still holds at the gate.

Beside `scenario_store.load_scenario` (which would pass 450 lines with it): a truck checked in and
pinned on a dock (H10) cannot start while the gate's run of another truck holds that dock (the
gate refuses it, `early_start.refuse_busy_dock`), so the plan must not say it starts there.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from hub_scheduler.dock_turns import Span, wait_in_turn
from hub_scheduler.domain import Assignment, Hub, Load, LoadStatus, Position, Settings
from hub_scheduler.facts import disinfection_minutes
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.services.early_start import dock_busy

# Loads whose gate times, not their slots, say when they used their docks.
RAN_AT_GATE = {LoadStatus.IN_OPERATION, LoadStatus.COMPLETED}


def pins_after_gate_runs(
    uow: UnitOfWork,
    loads: list[Load],
    in_force: dict[str, Assignment],
    hubs: list[Hub],
    settings: Settings,
    origin: datetime,
) -> list[Load]:
    """`loads` with the pin of each truck checked in but not started moved later when the gate
    still holds its dock over the pinned span: it keeps its hub and dock (H10: a checked-in truck
    never loses its dock), its start becomes the end of what holds the dock (another truck's run
    by its gate times, `dock_busy`: operation and disinfection), rounded up to the hub's slot grid
    counted from `origin` (the horizon's start, H9: the verifier's `starts_on_the_slot_grid`).

    Several such trucks on one dock go in their pinned order, each from the previous one's end
    plus its disinfection at the earliest (its own handling and disinfection: `facts`, as the
    verifier counts them). A truck whose pinned span nothing holds keeps its pin as it is; trucks
    in operation keep theirs (their runs are what the others wait for). Inside the caller's open
    unit of work; reads the runs' loads only when some truck is checked in and pinned.
    """
    waiting: dict[tuple[str, str], list[tuple[Position, Load]]] = {}
    for ld in loads:
        pin = ld.pinned
        if ld.status is LoadStatus.CHECKED_IN and ld.started_at is None and pin is not None:
            waiting.setdefault((pin.hub_id, pin.dock_id), []).append((pin, ld))
    if not waiting:
        return loads
    on_docks = {i: a for i, a in in_force.items() if (a.hub_id, a.dock_id) in waiting}
    held: dict[tuple[str, str], list[Span]] = {}
    for run in uow.loads.get_many(on_docks):
        if run.started_at is None or run.status not in RAN_AT_GATE:
            continue
        a = on_docks[run.id]
        busy = dock_busy(a, run)
        if busy is not None:
            held.setdefault((a.hub_id, a.dock_id), []).append(busy)
    by_id = {h.id: h for h in hubs}
    moved: dict[str, Position] = {}
    for (hub_id, dock_id), trucks in waiting.items():
        hub = by_id.get(hub_id)
        zones = hub.zones if hub is not None else []
        zone = next((z for z in zones for d in z.docks if d.id == dock_id), None)
        spans = held.get((hub_id, dock_id), [])
        if hub is None or zone is None or not spans:
            continue  # a dock gone (load_scenario drops such pins) or nothing holds it
        step = timedelta(minutes=hub.slot_minutes or settings.slot_minutes)
        pins = {ld.id: pin for pin, ld in trucks}
        whole = {
            ld.id: timedelta(minutes=ld.handling_minutes + disinfection_minutes(ld, zone, hub))
            for _, ld in trucks
        }
        turns = wait_in_turn(
            spans, [(i, pins[i].start, whole[i]) for i in pins], origin, step
        )  # in their pinned order, each waiting for the one before it
        for i, start in turns.items():
            if start != pins[i].start:
                moved[i] = pins[i].model_copy(update={"start": start})
    return [
        ld.model_copy(update={"pinned": moved[ld.id]}) if ld.id in moved else ld for ld in loads
    ]
