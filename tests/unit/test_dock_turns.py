"""`hub_scheduler/dock_turns.py`: starts on the slot grid, a late run's row and the span it holds,
and trucks waiting in turn on a held dock."""

from __future__ import annotations

from datetime import datetime, timedelta

from hub_scheduler.dock_turns import held_by_run, on_grid, wait_in_turn

T0 = datetime.fromisoformat("2026-11-28T00:00:00+08:00")
STEP = timedelta(minutes=15)
HOUR = timedelta(hours=1)


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def test_on_grid_rounds_up_to_the_next_grid_minute_and_keeps_one_on_it():
    assert on_grid(at(8) + timedelta(minutes=1), T0, STEP) == at(8.25)
    assert on_grid(at(8.25), T0, STEP) == at(8.25)
    assert on_grid(at(8) - timedelta(seconds=1), T0, STEP) == at(8)
    assert on_grid(T0 - timedelta(minutes=20), T0, STEP) == T0 - STEP  # before the origin


def test_a_late_run_starts_on_the_grid_after_its_real_start_and_holds_from_it():
    started = at(8) + timedelta(minutes=22)
    start, held = held_by_run(started, HOUR + timedelta(minutes=20), T0, STEP)
    assert start == at(8.5)
    assert held == (started, at(8.5) + HOUR + timedelta(minutes=20))
    on_time, span = held_by_run(at(9), HOUR, T0, STEP)
    assert on_time == at(9) and span == (at(9), at(10))


def test_trucks_wait_in_turn_after_the_held_span_in_their_order():
    held = [(at(8), at(9) + timedelta(minutes=47))]  # to 09:47
    waiting = [
        ("C", at(11), timedelta(minutes=90)),  # meets B's new span (10:00-11:30): to 11:30
        ("B", at(9.5), timedelta(minutes=90)),  # meets the held span: to 10:00
        ("D", at(14), HOUR),  # nothing holds it
        ("E", at(6), HOUR),  # before the held span: kept
    ]

    starts = wait_in_turn(held, waiting, T0, STEP)

    assert starts == {"B": at(10), "C": at(11.5), "D": at(14), "E": at(6)}


def test_a_truck_moved_past_one_span_into_another_moves_again():
    held = [(at(8), at(9)), (at(9.25), at(10.1))]
    assert wait_in_turn(held, [("B", at(8.5), timedelta(minutes=20))], T0, STEP) == {"B": at(10.25)}


def test_trucks_at_one_start_go_by_id_and_nothing_held_moves_nothing():
    waiting = [("Y", at(9), HOUR), ("X", at(9), HOUR)]
    assert wait_in_turn([], [("X", at(9), HOUR)], T0, STEP) == {"X": at(9)}
    assert wait_in_turn([], waiting, T0, STEP) == {"X": at(9), "Y": at(10)}
