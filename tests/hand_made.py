"""Hubs, loads and slots for hand-made plans, times in hours from a start: for tests that check
what is drawn or compared on a few slots, with no solver (tests/e2e/test_web_gantt.py,
tests/unit/test_plan_changes.py)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from hub_scheduler.domain import (
    Assignment,
    BlockedWindow,
    Dock,
    Hub,
    HubStatus,
    Load,
    OpeningPeriod,
    Zone,
)


@dataclass(frozen=True)
class HandMade:
    """Builders whose times are hours after `t0` (an aware datetime)."""

    t0: datetime

    def at(self, hours: float) -> datetime:
        return self.t0 + timedelta(hours=hours)

    def hub(
        self,
        id: str = "H1",
        status: HubStatus = HubStatus.ACTIVE,
        opening: list[OpeningPeriod] | None = None,
        blocked: Iterable[BlockedWindow] = (),
    ) -> Hub:
        """Hub `id`: one ambient zone Z1 with 2 crews and docks D1 and D2."""
        return Hub(
            id=id,
            name=id,
            zones=[
                Zone(id="Z1", temperature="ambient", crews=2, docks=[Dock(id="D1"), Dock(id="D2")])
            ],
            status=status,
            opening_hours=opening,
            blocked=list(blocked),
        )

    def load(self, id: str, release: float = 0, due: float = 2, **fields) -> Load:
        """An ambient energy load of enterprise E1, 60 min of handling."""
        return Load(
            id=id,
            enterprise_id="E1",
            category="energy",
            temperature="ambient",
            handling_minutes=60,
            release=self.at(release),
            due=self.at(due),
            **fields,
        )

    def slot(
        self,
        load_id: str,
        start: float,
        dock: str = "D1",
        hub_id: str = "H1",
        hours: float = 1,
        clean: float = 0.5,
    ) -> Assignment:
        """A slot in zone Z1: `hours` of handling from `start`, then `clean` hours of cleaning."""
        return Assignment(
            load_id=load_id,
            hub_id=hub_id,
            zone_id="Z1",
            dock_id=dock,
            start=self.at(start),
            end=self.at(start + hours),
            disinfected_at=self.at(start + hours + clean),
        )
