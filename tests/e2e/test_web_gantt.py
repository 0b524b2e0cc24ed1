"""The timeline's geometry on tiny hand-made plans (no server, no browser)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from api.web.gantt import PlanParts, build_timeline, utilisation, utilisation_from_kpis
from hub_scheduler.domain import (
    BlockedWindow,
    Enterprise,
    LoadStatus,
    OpeningPeriod,
    Position,
    ReasonCode,
    Unscheduled,
)
from tests.hand_made import HandMade

SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 11, 28, 0, 0, tzinfo=SHANGHAI)
MADE = HandMade(T0)
at, hub, load = MADE.at, MADE.hub, MADE.load


def english(message: str, **values) -> str:
    return message.format(**values) if values else message


def assignment(load_id: str, dock: str, start: float, hours: float = 1, clean: float = 0.5):
    return MADE.slot(load_id, start, dock, hours=hours, clean=clean)


def layout(assignments, loads, hubs=None, unscheduled=()):
    return build_timeline(
        PlanParts(
            horizon_start=T0.astimezone(ZoneInfo("UTC")),
            horizon_end=at(24).astimezone(ZoneInfo("UTC")),
            hubs=hubs or [hub()],
            assignments=assignments,
            unscheduled=list(unscheduled),
            loads={ld.id: ld for ld in loads},
        ),
        enterprises={"E1": Enterprise(id="E1", name="Ent")},
        translate=english,
        zone=SHANGHAI,
    )


def test_each_assignment_is_one_bar_on_its_own_docks_row():
    loads = [load("A", 8, 10), load("B", 8, 10), load("C", 9, 12)]
    timeline = layout(
        [assignment("A", "D1", 8), assignment("B", "D2", 8), assignment("C", "D1", 10)], loads
    )
    rows = {row.dock_id: [b.load_id for b in row.bars] for g in timeline.groups for row in g.rows}
    assert rows == {"D1": ["A", "C"], "D2": ["B"]}
    assert len(timeline.bars) == 3


def test_bars_are_placed_in_percent_of_a_window_of_whole_local_hours():
    timeline = layout(
        [assignment("A", "D1", 8), assignment("B", "D1", 14.5)],
        [load("A", 8, 10), load("B", 8, 16)],
    )
    assert timeline.start == at(8) and timeline.end == at(16)  # 8 h at least, whole hours
    a, b = timeline.bars
    assert a.left == 0 and round(a.width, 6) == 12.5 and round(a.tail, 6) == 6.25
    assert round(b.left, 6) == 81.25
    assert [t.label for t in timeline.ticks][:3] == ["08:00", "09:00", "10:00"]


def test_a_late_bar_is_flagged_with_its_minutes_and_an_on_time_bar_is_not():
    timeline = layout(
        [assignment("A", "D1", 9), assignment("B", "D2", 9)], [load("A", 8, 9.5), load("B", 8, 12)]
    )
    late = {b.load_id: b.late_minutes for b in timeline.bars}
    assert late == {"A": 30, "B": 0}
    assert "30 min after the wished time" in timeline.bars[0].why


def test_pinned_and_checked_in_loads_are_marked():
    where = Position(hub_id="H1", dock_id="D1", start=at(8))
    loads = [
        load("A", 8, 10, pinned=where),
        load("B", 8, 10, status=LoadStatus.CHECKED_IN),
        load("C", 8, 10),
    ]
    timeline = layout(
        [assignment("A", "D1", 8), assignment("B", "D2", 8), assignment("C", "D2", 10)], loads
    )
    marks = {b.load_id: (b.pinned, b.checked_in) for b in timeline.bars}
    assert marks == {"A": (True, False), "B": (True, True), "C": (False, False)}


def test_closed_hours_and_blocked_windows_are_shaded():
    blocked = BlockedWindow(start=at(10), end=at(12), dock_id="D2", reason="repair")
    hubs = [
        hub(
            opening=[
                OpeningPeriod(start="06:00", end="13:00"),
                OpeningPeriod(start="14:00", end="21:00"),
            ],
            blocked=[blocked],
        )
    ]
    timeline = layout([assignment("A", "D1", 8)], [load("A", 8, 10)], hubs=hubs)
    group = timeline.groups[0]
    assert [(round(s.left, 3), round(s.width, 3)) for s in group.closed] == [(62.5, 12.5)]
    d1, d2 = group.rows
    assert d1.blocked == [] and [s.label for s in d2.blocked] == ["repair"]


def test_unscheduled_loads_come_with_their_enterprise_name():
    left_out = Unscheduled(load_id="A", reason_code=ReasonCode.CAPACITY, reason="no dock")
    timeline = layout([], [load("A", 8, 10)], unscheduled=[left_out])
    assert [(u.load_id, name) for u, _, name in timeline.unscheduled] == [("A", "Ent")]


def test_utilisation_is_busy_dock_minutes_over_open_dock_minutes():
    opening = [OpeningPeriod(start="08:00", end="12:00")]  # 4 h x 2 docks = 480 dock-minutes
    share = utilisation(
        hub(opening=opening), [assignment("A", "D1", 8, hours=1.5, clean=0.5)], T0, at(24), SHANGHAI
    )
    assert share == 120 / 480


def test_a_late_bar_says_which_loads_held_its_dock_before_it():
    kpis = {"late_loads": [{"load_id": "B", "minutes_late": 60, "dock_held_before_by": ["A"]}]}
    timeline = build_timeline(
        PlanParts(
            horizon_start=T0,
            horizon_end=at(24),
            hubs=[hub()],
            assignments=[assignment("A", "D1", 8), assignment("B", "D1", 9.5)],
            unscheduled=[],
            loads={"A": load("A", 8, 10), "B": load("B", 8, 9.5)},
        ),
        enterprises={},
        translate=english,
        zone=SHANGHAI,
        kpis=kpis,
    )
    why = {b.load_id: b.why for b in timeline.bars}
    assert "taken before by A" in why["B"] and "taken before" not in why["A"]


def test_the_plans_own_dock_utilisation_is_preferred_when_it_has_one():
    kpis = {"utilisation_per_dock": {"H1/D1": 0.5, "H1/D2": 0.25, "H2/X": 1.0}}
    assert utilisation_from_kpis(hub(), kpis) == 0.375
    assert utilisation_from_kpis(hub(), {}) is None
