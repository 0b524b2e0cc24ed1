"""Problem reports (the hotline): stored as they come, listed newest first."""

from __future__ import annotations

import builtins
from typing import Any

from sqlalchemy import func, select

from hub_scheduler.records import Report
from models import convert
from models.repositories.base import Repository, flush, paged
from models.tables import ReportRow


def _report(row: ReportRow) -> Report:
    return convert.record_from_row(Report, row)


def _fill(row: ReportRow, report: Report) -> ReportRow:
    return convert.fill_row(row, report)


def _filtered(query: Any, status: str | None, kind: str | None, enterprise_id: str | None) -> Any:
    if status is not None:
        query = query.where(ReportRow.status == str(status))
    if kind is not None:
        query = query.where(ReportRow.kind == str(kind))
    if enterprise_id is not None:
        query = query.where(ReportRow.enterprise_id == enterprise_id)
    return query


class SqlReportRepository(Repository):
    def add(self, report: Report) -> Report:
        row = _fill(ReportRow(), report)
        self.session.add(row)
        flush(self.session, f"report {report.number}")
        return _report(row)

    def get(self, report_id: int) -> Report | None:
        row = self.session.get(ReportRow, report_id)
        return _report(row) if row is not None else None

    def get_by_number(self, number: str) -> Report | None:
        row = self.session.scalar(select(ReportRow).where(ReportRow.number == number))
        return _report(row) if row is not None else None

    def list(
        self,
        *,
        status: str | None = None,
        kind: str | None = None,
        enterprise_id: str | None = None,
        limit: int | None = 100,
        offset: int = 0,
    ) -> builtins.list[Report]:
        query = _filtered(select(ReportRow), status, kind, enterprise_id)
        query = query.order_by(ReportRow.created_at.desc(), ReportRow.id.desc())
        return [_report(r) for r in self.session.scalars(paged(query, limit, offset))]

    def count(
        self,
        *,
        status: str | None = None,
        kind: str | None = None,
        enterprise_id: str | None = None,
    ) -> int:
        query = _filtered(select(func.count()).select_from(ReportRow), status, kind, enterprise_id)
        return int(self.session.scalar(query) or 0)

    def update(self, report: Report) -> Report:
        row = self._stored(ReportRow, report.id, f"report {report.id}")
        _fill(row, report)
        flush(self.session, f"report {report.number}")
        return _report(row)
