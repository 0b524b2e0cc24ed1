"""`models/pin_shift.pins_after_gate_runs`: checked-in trucks pinned on a dock the gate still holds
start when it is free, on the slot grid, one after another in their pinned order; trucks nothing
holds, trucks in operation and trucks not on site keep what they have."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

from hub_scheduler.domain import Load, LoadStatus, Position, Settings
from models.pin_shift import pins_after_gate_runs
from tests.hand_made import HandMade

T0 = datetime.fromisoformat("2026-11-28T00:00:00+08:00")
MADE = HandMade(T0)
# One zone, docks D1 and D2, 30 minutes of disinfection; loads of 60 minutes; a 15-minute grid.
HUB = MADE.hub().model_copy(update={"disinfection_minutes": 30})
SETTINGS = Settings(slot_minutes=15)


def _waiting(id: str, dock: str, hours: float, status=LoadStatus.CHECKED_IN, **fields) -> Load:
    pin = Position(hub_id="H1", dock_id=dock, start=MADE.at(hours))
    return MADE.load(id, release=0, due=24, status=status, pinned=pin, **fields)


def _shifted(loads: list[Load], runs: list[Load], in_force) -> dict[str, datetime | None]:
    stored = {ld.id: ld for ld in [*loads, *runs]}
    uow = SimpleNamespace(loads=SimpleNamespace(get_many=lambda ids: [stored[i] for i in ids]))
    out = pins_after_gate_runs(uow, loads, in_force, [HUB], SETTINGS, T0)  # type: ignore[arg-type]
    return {ld.id: ld.pinned.start if ld.pinned else None for ld in out}


def test_trucks_waiting_for_an_overrun_start_when_the_dock_is_free_one_after_another():
    # A: slot 08:00-09:00 on D1, started 08:17, still running: D1 busy until 09:17 + 30 = 09:47.
    a = MADE.load("A", status=LoadStatus.IN_OPERATION, started_at=MADE.at(8 + 17 / 60))
    in_force = {"A": MADE.slot("A", 8)}
    b = _waiting("B", "D1", 9.5)  # inside A's run: to 10:00 (09:47 on the grid)
    c = _waiting("C", "D1", 11)  # inside B's new span (10:00-11:30): to 11:30
    d = _waiting("D", "D1", 14)  # nothing holds it
    e = _waiting("E", "D2", 9.5)  # another dock, nothing holds it
    f = _waiting("F", "D2", 12, status=LoadStatus.IN_OPERATION, started_at=MADE.at(12.25))
    g = _waiting("G", "D1", 9.75, status=LoadStatus.SCHEDULED)  # not on site: the solver's
    loads = [a, c, b, d, e, f, g]
    for ld in loads[1:]:
        assert ld.pinned is not None
        hours = (ld.pinned.start - T0).total_seconds() / 3600
        in_force[ld.id] = MADE.slot(ld.id, hours, dock=ld.pinned.dock_id)

    starts = _shifted(loads, [], in_force)

    assert starts["B"] == MADE.at(10)
    assert starts["C"] == MADE.at(11.5)
    assert starts["D"] == MADE.at(14)
    assert starts["E"] == MADE.at(9.5)
    assert starts["F"] == MADE.at(12)  # in operation: its pin stays
    assert starts["G"] == MADE.at(9.75)
    assert starts["A"] is None


def test_a_run_over_before_the_pin_moves_nothing():
    a = MADE.load(
        "A", status=LoadStatus.COMPLETED, started_at=MADE.at(8), completed_at=MADE.at(8.5)
    )
    b = _waiting("B", "D1", 9.5)  # A's dock is disinfected at 09:00
    in_force = {"A": MADE.slot("A", 8), "B": MADE.slot("B", 9.5)}

    assert _shifted([b], [a], in_force) == {"B": MADE.at(9.5)}
