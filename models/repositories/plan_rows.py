"""One-row edits of a published plan (a repair: a late truck, a changed ETA, a walk-in, a no-show,
a late start): a load's row moved or added, taken out, or left out with a reason. A load is placed
or unscheduled, never both.

An edit does not count the plan's figures (counts, late loads, waits, utilisation, the objective)
again: on a city day that costs most of a second, and it would sit on the gate's request. It marks
them stale in its own transaction (`rows_version` goes up by one, `plan_figures.PlanFigures`) and
notes the plan in the session (`EDITED_PLANS`); after the commit the unit of work has each noted
plan counted again once (`models/uow.py`, `services/plan_figures.recount`), so a repair that
pushes ten trucks asks for one recount."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, select

from hub_scheduler.domain import Assignment, Unscheduled
from hub_scheduler.errors import NotFound
from models import convert
from models.repositories.base import Repository
from models.tables import PlanAssignmentRow, PlanRow, PlanUnscheduledRow

# The session's note of the plans whose rows were edited in its transaction (a set of ids).
EDITED_PLANS = "hub_scheduler.plans_edited"


class PlanRowEdits(Repository):
    """The plan repository's row edits (`SqlPlanRepository` holds them)."""

    def _plan_row(self, plan_id: int) -> PlanRow:
        """The plan's row, its collections read again at next use (rows are edited below)."""
        row = self.session.get(PlanRow, plan_id)
        if row is None:
            raise NotFound(f"no plan {plan_id}")
        self.session.expire(row, ["assignments", "unscheduled"])
        return row

    def _edited(self, row: PlanRow) -> None:
        """Mark the plan's figures stale (module docstring)."""
        if row.schedule_status is None:
            return
        # In SQL, not from the value read: edits hold the publishing lock, yet one made without
        # it still cannot lose a step. Every edit counts (one more UPDATE of a row the flush
        # writes anyway), so a transaction rolled back halfway leaves no edit unmarked.
        row.rows_version = PlanRow.rows_version + 1
        self.session.flush()
        self.session.info.setdefault(EDITED_PLANS, set()).add(row.id)

    def _forget_unscheduled(self, row: PlanRow, load_id: str) -> None:
        self.session.execute(
            delete(PlanUnscheduledRow).where(
                PlanUnscheduledRow.plan_id == row.id, PlanUnscheduledRow.load_id == load_id
            )
        )
        row.schedule_extra = convert.with_unscheduled_detail(row.schedule_extra, load_id, None)

    def move_assignment(self, plan_id: int, assignment: Assignment) -> None:
        """Put one load of a plan at a new slot (a repair: a late truck, a changed ETA), or give
        a load the plan has no row for one (a walk-in), taking it off the plan's unscheduled
        loads: a load is placed or unscheduled, never both."""
        plan = self._plan_row(plan_id)
        row = self.session.scalars(
            select(PlanAssignmentRow).where(
                PlanAssignmentRow.plan_id == plan_id,
                PlanAssignmentRow.load_id == assignment.load_id,
            )
        ).first()
        if row is None:
            self._forget_unscheduled(plan, assignment.load_id)
            last = self.session.scalar(
                select(func.max(PlanAssignmentRow.position)).where(
                    PlanAssignmentRow.plan_id == plan_id
                )
            )
            row = PlanAssignmentRow(
                plan_id=plan_id, load_id=assignment.load_id, position=(last or 0) + 1
            )
            self.session.add(row)
        row.hub_id, row.zone_id, row.dock_id = (
            assignment.hub_id,
            assignment.zone_id,
            assignment.dock_id,
        )
        row.start, row.end, row.disinfected_at = (
            assignment.start,
            assignment.end,
            assignment.disinfected_at,
        )
        self._edited(plan)

    def _delete_row(self, plan_id: int, load_id: str) -> bool:
        result = self.session.execute(
            delete(PlanAssignmentRow).where(
                PlanAssignmentRow.plan_id == plan_id, PlanAssignmentRow.load_id == load_id
            )
        )
        return bool(cast(CursorResult[Any], result).rowcount)

    def drop_assignment(self, plan_id: int, load_id: str) -> bool:
        """Take one load's row out of a plan; whether it had one."""
        plan = self._plan_row(plan_id)
        dropped = self._delete_row(plan_id, load_id)
        self._edited(plan)
        return dropped

    def leave_out(self, plan_id: int, unscheduled: Unscheduled) -> None:
        """The load of `unscheduled` leaves the plan's rows (if it had one) and is listed among
        its unscheduled loads with that reason, last, replacing an earlier entry of it."""
        plan = self._plan_row(plan_id)
        load_id = unscheduled.load_id
        self._delete_row(plan_id, load_id)
        self._forget_unscheduled(plan, load_id)
        last = self.session.scalar(
            select(func.max(PlanUnscheduledRow.position)).where(
                PlanUnscheduledRow.plan_id == plan_id
            )
        )
        position = -1 if last is None else last
        self.session.add(
            PlanUnscheduledRow(
                **convert.column_values(
                    unscheduled, PlanUnscheduledRow, plan_id=plan_id, position=position + 1
                )
            )
        )
        plan.schedule_extra = convert.with_unscheduled_detail(
            plan.schedule_extra, load_id, unscheduled
        )
        self._edited(plan)
