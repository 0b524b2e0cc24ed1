"""The across-midnight case file (a hub open 00-24, a truck released at 23:30) and a day's plan
over what is stored: shared by test_db_carried_loads.py and test_db_day_across_midnight.py."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from api.web.i18n import translator
from hub_scheduler.domain import Scenario
from hub_scheduler.records import Plan
from hub_scheduler.scenario_file import read_scenario
from hub_scheduler.services.plans import ensure_published_plan
from models.scenario_store import load_scenario

CASES = Path(__file__).resolve().parents[1] / "unit" / "cases"
CASE_FILE = CASES / "hub-open-00-24-truck-across-midnight.json"


def midnight_case() -> Scenario:
    """The case as read from its file (L1: release 23:30, 60 min, due 00:30, deadline 00:50)."""
    return read_scenario(CASE_FILE)


def day_plan(uow, start: datetime, now: datetime | None = None) -> Plan:
    """The published plan of the day from `start` over the stored scenario, planned as at `now`
    (default `start`) with a 1 s search; made and published when the day has none yet."""
    return ensure_published_plan(
        uow,
        start,
        start + timedelta(days=1),
        actor="test",
        load_scenario=load_scenario,
        english=translator("en"),
        time_limit_s=1.0,
        now=start if now is None else now,
    )
