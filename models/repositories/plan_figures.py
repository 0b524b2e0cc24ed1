"""A plan's stored figures (objective, bound, gap, KPIs) and how far they have caught up with its
rows (migration 0014): every transaction that edits the rows adds one to `rows_version`
(`plan_rows.PlanRowEdits`); the figures remember the `rows_version` they were counted at
(`figures_version`). The recount after an edit (services/plan_figures.py) reads in a snapshot,
counts outside any transaction and writes only when what it counted is newer than what is
stored, so a slow recount never puts older figures over a newer one's."""

from __future__ import annotations

import builtins

from sqlalchemy import select, update

from hub_scheduler.domain import Schedule
from hub_scheduler.errors import NotFound
from hub_scheduler.plan_figures import FigureBasis
from hub_scheduler.ports.plans import FigureVersions
from models import convert
from models.repositories.base import Repository, flush
from models.tables import PlanRow


def _figure_columns(schedule: Schedule) -> dict:
    return {
        "objective": schedule.objective,
        "bound": schedule.bound,
        "gap": schedule.gap,
        "kpis": convert.to_jsonable_python(schedule.kpis),
    }


class PlanFigures(Repository):
    """The plan repository's figures (`SqlPlanRepository` holds them)."""

    def set_figures(self, plan_id: int, schedule: Schedule) -> None:
        row = self.session.get(PlanRow, plan_id)
        if row is None:
            raise NotFound(f"no plan {plan_id}")
        for column, value in _figure_columns(schedule).items():
            setattr(row, column, value)
        # Counted in this transaction, from the rows as it sees them: caught up.
        row.figures_version = PlanRow.rows_version
        flush(self.session, f"plan {plan_id}")

    def figure_versions(self, plan_id: int) -> FigureVersions | None:
        found = self.session.execute(
            select(PlanRow.rows_version, PlanRow.figures_version).where(PlanRow.id == plan_id)
        ).first()
        return FigureVersions(*found) if found is not None else None

    def store_counted_figures(self, plan_id: int, schedule: Schedule, rows_version: int) -> bool:
        # One conditional UPDATE: of two recounts, the one that counted newer rows wins whatever
        # the order they write in (and waits, on PostgreSQL, for an edit holding the row).
        result = self.session.execute(
            update(PlanRow)
            .where(PlanRow.id == plan_id, PlanRow.figures_version < rows_version)
            .values(**_figure_columns(schedule), figures_version=rows_version)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0))

    def with_figures_pending(self) -> builtins.list[int]:
        return list(
            self.session.scalars(
                select(PlanRow.id)
                .where(PlanRow.figures_version < PlanRow.rows_version)
                .order_by(PlanRow.id)
            )
        )

    def set_figure_basis(self, plan_id: int, basis: FigureBasis) -> None:
        row = self.session.get(PlanRow, plan_id)
        if row is None:
            raise NotFound(f"no plan {plan_id}")
        row.figure_basis = basis.as_json()
        flush(self.session, f"plan {plan_id}")

    def figure_basis(self, plan_id: int) -> FigureBasis | None:
        data = self.session.scalar(select(PlanRow.figure_basis).where(PlanRow.id == plan_id))
        return FigureBasis.from_json(data) if data else None
