"""What the sheet tests share: the fixture sheets, a good header and row, the errors a sheet
raises."""

from __future__ import annotations

from datetime import timedelta, timezone
from pathlib import Path

import pytest
from builders import assign, make_scenario, make_schedule

from hub_scheduler import sheets
from hub_scheduler.domain import Load, Scenario, Schedule
from hub_scheduler.errors import ValidationFailed
from hub_scheduler.scenario_file import read_scenario

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
CST = timezone(timedelta(hours=8))
XUNWU_ENTERPRISES = {e.id for e in read_scenario(FIXTURES / "xunwu.json").enterprises}

HEADER = "id,enterprise_id,category,temperature,handling_minutes,release,due"
GOOD_ROW = "L1,E1,medical_supplies,cold,30,2026-11-28 08:00,2026-11-28 10:00"


def read_fixture(name: str, **kwargs) -> list[Load]:
    return sheets.read_loads((FIXTURES / name).read_bytes(), name, **kwargs)


def errors_of(
    data: bytes, filename: str = "loads.csv", **kwargs
) -> list[tuple[int | None, str | None]]:
    """(row, column) of every error the sheet raises, in order; fails if the sheet is accepted."""
    with pytest.raises(ValidationFailed) as caught:
        sheets.read_loads(data, filename, **kwargs)
    return [(e.row, e.column) for e in caught.value.errors]


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def messages_of(data: bytes, filename: str = "loads.csv", **kwargs) -> list[str]:
    with pytest.raises(ValidationFailed) as caught:
        sheets.read_loads(data, filename, **kwargs)
    return [str(e) for e in caught.value.errors]


def timetable_plan(hubs, loads, **schedule) -> tuple[Scenario, Schedule]:
    """The gate timetable's plan: L1 at 0 then its relay L2 at 60 on H1's D1, L3 at 30 on D10,
    L4 at 0 on H2's D3 (the hubs and loads as given, `schedule` for what is left out)."""
    scenario = make_scenario(hubs=hubs, loads=loads, transfers=[("L1", "L2", 0)])
    assignments = [
        assign(scenario, "L2", 60),
        assign(scenario, "L1", 0),
        assign(scenario, "L3", 30, dock_id="D10"),
        assign(scenario, "L4", 0, "H2", "Z2", "D3"),
    ]
    return scenario, make_schedule(scenario, assignments, **schedule)
