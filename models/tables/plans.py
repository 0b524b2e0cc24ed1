"""Plans (jobs and their results), their assignments and unscheduled loads."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.tables.base import CODE, ID, NAME, Base, owned

# --- plans ----------------------------------------------------------------------------------------


class PlanRow(Base):
    """A planning job and, once it has one, its schedule's header (rows in the two tables below)."""

    __tablename__ = "plans"
    __table_args__ = (
        Index("ix_plans_horizon", "horizon_start", "horizon_end"),
        # At most one published plan per horizon, guarded by the database itself.
        Index(
            "uq_plans_published_horizon",
            "horizon_start",
            "horizon_end",
            unique=True,
            sqlite_where=text("published = 1"),
            postgresql_where=text("published"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    horizon_start: Mapped[datetime]
    horizon_end: Mapped[datetime]
    hub_ids: Mapped[list[Any] | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(CODE, index=True)
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    progress: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    requested_by: Mapped[str] = mapped_column(NAME, default="")
    requested_at: Mapped[datetime]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    published_at: Mapped[datetime | None]
    published_by: Mapped[str | None] = mapped_column(NAME)
    error: Mapped[str | None] = mapped_column(Text)
    # A failed job's reason as a code and its params (migration 0012); NULL on older failures.
    error_code: Mapped[str | None] = mapped_column(CODE)
    error_params: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The worker that claimed the job, its last sign of life and how often it was claimed: a
    # job whose worker died is handed back once, then failed (api/worker.py, docs/queue.md).
    worker_id: Mapped[str | None] = mapped_column(NAME)
    heartbeat_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # A part of a plan job split into independent parts names its parent (migration 0011).
    parent_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("plans.id", ondelete="CASCADE"), index=True
    )
    # The schedule's header; schedule_status is NULL while the plan has no schedule.
    schedule_status: Mapped[str | None] = mapped_column(CODE)
    schedule_scenario: Mapped[str | None] = mapped_column(NAME)
    objective: Mapped[float | None] = mapped_column(Float)
    bound: Mapped[float | None] = mapped_column(Float)
    gap: Mapped[float | None] = mapped_column(Float)
    solve_seconds: Mapped[float | None] = mapped_column(Float)
    kpis: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    schedule_extra: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # What the objective was measured against when the plan was published (plan_figures.
    # FigureBasis): read only to count its figures again after a row edit, never in listings.
    figure_basis: Mapped[dict[str, Any] | None] = mapped_column(JSON, deferred=True)
    # Each transaction that edits the plan's rows adds one to `rows_version`; `figures_version`
    # is the one its stored figures were counted at: below, they are being counted again
    # (migration 0014, services/plan_figures.py).
    rows_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    figures_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    assignments: Mapped[list[PlanAssignmentRow]] = owned("PlanAssignmentRow.position")
    unscheduled: Mapped[list[PlanUnscheduledRow]] = owned("PlanUnscheduledRow.position")


class PlanAssignmentRow(Base):
    """One load placed by a plan. Ids are no foreign keys: a plan records what was decided."""

    __tablename__ = "plan_assignments"
    __table_args__ = (
        UniqueConstraint("plan_id", "load_id"),
        Index("ix_plan_assignments_dock_start", "hub_id", "dock_id", "start"),
    )

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(Integer, ForeignKey("plans.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    load_id: Mapped[str] = mapped_column(ID, index=True)
    hub_id: Mapped[str] = mapped_column(ID)
    zone_id: Mapped[str] = mapped_column(ID)
    dock_id: Mapped[str] = mapped_column(ID)
    start: Mapped[datetime]
    end: Mapped[datetime]
    disinfected_at: Mapped[datetime]


class PlanUnscheduledRow(Base):
    """One load a plan left out, with the reason code and the reason in words."""

    __tablename__ = "plan_unscheduled"
    __table_args__ = (UniqueConstraint("plan_id", "load_id"),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(Integer, ForeignKey("plans.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    load_id: Mapped[str] = mapped_column(ID, index=True)
    reason_code: Mapped[str] = mapped_column(CODE)
    reason: Mapped[str] = mapped_column(Text, default="")
