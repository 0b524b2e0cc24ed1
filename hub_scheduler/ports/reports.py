"""Problem reports (the hotline)."""

from __future__ import annotations

import builtins
from typing import Protocol

from hub_scheduler.records import Report


class ReportRepository(Protocol):
    """Problem reports (the hotline): numbered as they come, listed newest first."""

    def add(self, report: Report) -> Report:
        """Store a new report; the returned copy has its id; Conflict if the number is taken."""

    def get(self, report_id: int) -> Report | None: ...
    def get_by_number(self, number: str) -> Report | None: ...
    def list(
        self,
        *,
        status: str | None = None,
        kind: str | None = None,
        enterprise_id: str | None = None,
        limit: int | None = 100,
        offset: int = 0,
    ) -> builtins.list[Report]:
        """Reports matching every filter given (None matches all), newest first."""

    def count(
        self,
        *,
        status: str | None = None,
        kind: str | None = None,
        enterprise_id: str | None = None,
    ) -> int: ...
    def update(self, report: Report) -> Report:
        """Replace the stored report of `report.id`; NotFound if there is none."""
