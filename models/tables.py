"""The database tables, as typed SQLAlchemy 2 declarative classes.

These rows never leave `models/`: `models.convert` turns them into the domain objects of
`hub_scheduler.domain` and `hub_scheduler.records` and back. Enums are stored as their string
values (no native database enums, so adding a value needs no migration); JSON columns use
`sqlalchemy.JSON`, which works on SQLite and PostgreSQL alike; every timestamp is a `UtcDateTime`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from models.timestamps import UtcDateTime

# Deterministic constraint names, so migrations can name what they alter or drop on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Ids and free text are unbounded: the domain sets no maximum, and a length PostgreSQL enforces
# but SQLite ignores would make one database refuse what the other keeps.
ID = String()  # every domain id (hub, zone, dock, enterprise, load)
NAME = String()
TEXT = String()
CODE = String(32)  # enum values, all known and short


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UtcDateTime(), dict[str, Any]: JSON, list[Any]: JSON}


# --- hubs -----------------------------------------------------------------------------------------


class HubRow(Base):
    __tablename__ = "hubs"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(NAME, default="")
    kind: Mapped[str] = mapped_column(CODE)
    status: Mapped[str] = mapped_column(CODE)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    # None opening hours mean "always open"; an empty list would mean "never open".
    always_open: Mapped[bool] = mapped_column(Boolean, default=True)
    disinfection_minutes: Mapped[int] = mapped_column(Integer, default=0)
    max_trucks_on_site: Mapped[int | None] = mapped_column(Integer)
    slot_minutes: Mapped[int | None] = mapped_column(Integer)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    zones: Mapped[list[ZoneRow]] = relationship(
        back_populates="hub",
        cascade="all, delete-orphan",
        order_by="ZoneRow.position",
        passive_deletes=True,
    )
    opening_hours: Mapped[list[OpeningHoursRow]] = relationship(
        cascade="all, delete-orphan", order_by="OpeningHoursRow.position", passive_deletes=True
    )
    blocked: Mapped[list[BlockedWindowRow]] = relationship(
        cascade="all, delete-orphan", order_by="BlockedWindowRow.pk", passive_deletes=True
    )


class ZoneRow(Base):
    __tablename__ = "zones"

    hub_id: Mapped[str] = mapped_column(
        ID, ForeignKey("hubs.id", ondelete="CASCADE"), primary_key=True
    )
    id: Mapped[str] = mapped_column(ID, primary_key=True)  # unique within its hub
    position: Mapped[int] = mapped_column(Integer, default=0)
    temperature: Mapped[str] = mapped_column(CODE)
    crews: Mapped[int | None] = mapped_column(Integer)
    disinfection_minutes: Mapped[int | None] = mapped_column(Integer)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    hub: Mapped[HubRow] = relationship(back_populates="zones")
    docks: Mapped[list[DockRow]] = relationship(
        back_populates="zone",
        cascade="all, delete-orphan",
        order_by="DockRow.position",
        passive_deletes=True,
    )


class DockRow(Base):
    __tablename__ = "docks"
    __table_args__ = (
        ForeignKeyConstraint(
            ["hub_id", "zone_id"],
            ["zones.hub_id", "zones.id"],
            ondelete="CASCADE",
            name="fk_docks_hub_id_zone_id_zones",
        ),
    )

    hub_id: Mapped[str] = mapped_column(ID, primary_key=True)
    id: Mapped[str] = mapped_column(ID, primary_key=True)  # unique within its hub, across zones
    zone_id: Mapped[str] = mapped_column(ID)
    position: Mapped[int] = mapped_column(Integer, default=0)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    zone: Mapped[ZoneRow] = relationship(back_populates="docks")


class OpeningHoursRow(Base):
    """One daily opening period of a hub, as "HH:MM" in the scenario's time zone."""

    __tablename__ = "opening_hours"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    hub_id: Mapped[str] = mapped_column(ID, ForeignKey("hubs.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    start: Mapped[str] = mapped_column(String(5))
    end: Mapped[str] = mapped_column(String(5))


class BlockedWindowRow(Base):
    """A period when a dock, a zone or a whole hub takes no truck (H5)."""

    __tablename__ = "blocked_windows"
    __table_args__ = (UniqueConstraint("hub_id", "window_id"),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    hub_id: Mapped[str] = mapped_column(ID, ForeignKey("hubs.id", ondelete="CASCADE"), index=True)
    window_id: Mapped[str | None] = mapped_column(ID)  # the domain's optional `id`
    start: Mapped[datetime]
    end: Mapped[datetime]
    zone_id: Mapped[str | None] = mapped_column(ID)
    dock_id: Mapped[str | None] = mapped_column(ID)
    reason: Mapped[str] = mapped_column(Text, default="")
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


# --- enterprises and tokens -----------------------------------------------------------------------


class EnterpriseRow(Base):
    __tablename__ = "enterprises"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(NAME, default="")
    whitelisted: Mapped[bool] = mapped_column(Boolean, default=True)
    tier: Mapped[int] = mapped_column(Integer, default=1)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ApiTokenRow(Base):
    """A bearer token: only the SHA-256 hex digest is kept, never the token."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(CODE)
    enterprise_id: Mapped[str | None] = mapped_column(ID, ForeignKey("enterprises.id"), index=True)
    label: Mapped[str] = mapped_column(NAME, default="")
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    # A page sign-out raises it: a session cookie made under an older version opens no page.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class UserRow(Base):
    """A web user: a unique name, an argon2 password hash (never the password), a role."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(NAME, unique=True)
    password_hash: Mapped[str] = mapped_column(TEXT)
    role: Mapped[str] = mapped_column(CODE)
    enterprise_id: Mapped[str | None] = mapped_column(ID, ForeignKey("enterprises.id"), index=True)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # A sign-out or a new password raises it: a cookie made under an older one opens nothing.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


# --- loads and transfers --------------------------------------------------------------------------


class LoadRow(Base):
    __tablename__ = "loads"
    # A retried submission with the same key from the same enterprise finds the first one.
    __table_args__ = (
        UniqueConstraint("enterprise_id", "idempotency_key"),
        Index("ix_loads_status_release", "status", "release"),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    enterprise_id: Mapped[str] = mapped_column(ID, ForeignKey("enterprises.id"), index=True)
    category: Mapped[str] = mapped_column(CODE)
    temperature: Mapped[str] = mapped_column(CODE)
    handling_minutes: Mapped[int] = mapped_column(Integer)
    release: Mapped[datetime] = mapped_column(index=True)
    due: Mapped[datetime]
    deadline: Mapped[datetime | None]
    priority_weight: Mapped[int | None] = mapped_column(Integer)
    allowed_hubs: Mapped[list[Any] | None] = mapped_column(JSON)
    origin_lat: Mapped[float | None] = mapped_column(Float)
    origin_lon: Mapped[float | None] = mapped_column(Float)
    has_pass: Mapped[bool] = mapped_column(Boolean, default=False)
    disinfection_minutes: Mapped[int | None] = mapped_column(Integer)
    pinned_hub_id: Mapped[str | None] = mapped_column(ID)
    pinned_dock_id: Mapped[str | None] = mapped_column(ID)
    pinned_start: Mapped[datetime | None]
    previous_hub_id: Mapped[str | None] = mapped_column(ID)
    previous_dock_id: Mapped[str | None] = mapped_column(ID)
    previous_start: Mapped[datetime | None]
    vehicle_plate: Mapped[str | None] = mapped_column(TEXT, index=True)
    # domain.plate_key(vehicle_plate): what `?vehicle_plate=` and incidents look up.
    vehicle_plate_key: Mapped[str | None] = mapped_column(TEXT, index=True)
    driver_phone: Mapped[str | None] = mapped_column(TEXT)
    # What the gate saw (check-in, start, end of handling).
    arrived_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    screening: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(CODE, index=True)
    idempotency_key: Mapped[str | None] = mapped_column(TEXT)
    created_by: Mapped[str | None] = mapped_column(NAME)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class TransferRow(Base):
    """A relay: the outbound load takes the inbound load's goods (H7)."""

    __tablename__ = "transfers"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    inbound: Mapped[str] = mapped_column(ID, ForeignKey("loads.id"), index=True)
    outbound: Mapped[str] = mapped_column(ID, ForeignKey("loads.id"), unique=True)
    min_gap_minutes: Mapped[int] = mapped_column(Integer, default=0)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class TransferProposalRow(Base):
    """A relay between loads of two enterprises, proposed by one, awaiting the other's word.

    No foreign keys on the partner's side: the named load or enterprise may not exist, and the
    proposer is never told (no existence leak)."""

    __tablename__ = "transfer_proposals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    inbound: Mapped[str] = mapped_column(ID, index=True)
    outbound: Mapped[str] = mapped_column(ID, index=True)
    min_gap_minutes: Mapped[int] = mapped_column(Integer, default=0)
    proposer_enterprise_id: Mapped[str] = mapped_column(ID, index=True)
    partner_enterprise_id: Mapped[str] = mapped_column(ID, index=True)
    partner_load: Mapped[str] = mapped_column(CODE)  # "inbound" or "outbound"
    status: Mapped[str] = mapped_column(CODE, index=True)
    proposed_by: Mapped[str] = mapped_column(NAME)
    proposed_at: Mapped[datetime]
    decided_by: Mapped[str | None] = mapped_column(NAME)
    decided_at: Mapped[datetime | None]


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
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    assignments: Mapped[list[PlanAssignmentRow]] = relationship(
        cascade="all, delete-orphan", order_by="PlanAssignmentRow.position", passive_deletes=True
    )
    unscheduled: Mapped[list[PlanUnscheduledRow]] = relationship(
        cascade="all, delete-orphan", order_by="PlanUnscheduledRow.position", passive_deletes=True
    )


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


# --- emergencies and the audit log ----------------------------------------------------------------


class ActivationRow(Base):
    __tablename__ = "activations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    hub_ids: Mapped[list[Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(TEXT)  # free text in records.Activation
    reason: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(NAME)
    at: Mapped[datetime] = mapped_column(index=True)
    plan_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("plans.id", ondelete="SET NULL")
    )


class IncidentRow(Base):
    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    vehicle_plate: Mapped[str | None] = mapped_column(TEXT, index=True)
    load_id: Mapped[str | None] = mapped_column(ID, index=True)
    reported_at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(NAME)
    note: Mapped[str] = mapped_column(Text, default="")
    blocked_window_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    cancelled_load_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    contacts: Mapped[list[Any]] = mapped_column(JSON, default=list)
    plan_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("plans.id", ondelete="SET NULL")
    )


class AuditRow(Base):
    """One line of the audit log. Append-only: migration triggers refuse UPDATE and DELETE."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_target", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(NAME)
    action: Mapped[str] = mapped_column(TEXT, index=True)
    target_type: Mapped[str] = mapped_column(TEXT)
    target_id: Mapped[str] = mapped_column(NAME)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ConfigRow(Base):
    """Site-wide values kept with the data: the scenario name, time zone and default settings."""

    __tablename__ = "site_config"

    key: Mapped[str] = mapped_column(TEXT, primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


# --- events, webhooks (issue 13) ------------------------------------------------------------------


class EventRow(Base):
    """The outbox: one row per event and audience; `audience_id` is "" for the command centre."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_audience", "audience_kind", "audience_id", "at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    type: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime]
    audience_kind: Mapped[str] = mapped_column(CODE)
    audience_id: Mapped[str] = mapped_column(ID, default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    read_at: Mapped[datetime | None]


class WebhookRow(Base):
    __tablename__ = "webhooks"
    __table_args__ = (Index("ix_webhooks_owner", "owner_kind", "owner_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    owner_kind: Mapped[str] = mapped_column(CODE)
    owner_id: Mapped[str] = mapped_column(ID, default="")
    url: Mapped[str] = mapped_column(TEXT)
    events: Mapped[list[Any]] = mapped_column(JSON, default=list)
    secret: Mapped[str] = mapped_column(TEXT)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    disabled_reason: Mapped[str | None] = mapped_column(TEXT)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(NAME, default="")


class WebhookDeliveryRow(Base):
    """One event on its way to one subscription; `log` lists each attempt (status, latency)."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    webhook_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("webhooks.id", ondelete="CASCADE"), index=True
    )
    event_id: Mapped[str] = mapped_column(String(36), ForeignKey("events.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(CODE)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    log: Mapped[list[Any]] = mapped_column(JSON, default=list)


# --- problem reports, the hotline (issue 13) ------------------------------------------------------


class ReportRow(Base):
    """A problem report; `token_hash` is the SHA-256 of a public reporter's lookup token."""

    __tablename__ = "reports"
    __table_args__ = (Index("ix_reports_status_kind", "status", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    number: Mapped[str] = mapped_column(String(16), unique=True)
    kind: Mapped[str] = mapped_column(CODE)
    text: Mapped[str] = mapped_column(TEXT)
    status: Mapped[str] = mapped_column(CODE)
    enterprise_id: Mapped[str | None] = mapped_column(ID, index=True)
    load_id: Mapped[str | None] = mapped_column(ID)
    hub_id: Mapped[str | None] = mapped_column(ID)
    contact_name: Mapped[str | None] = mapped_column(NAME)
    contact_phone: Mapped[str | None] = mapped_column(TEXT)
    contact_email: Mapped[str | None] = mapped_column(TEXT)
    token_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(NAME, default="")
    answer: Mapped[str | None] = mapped_column(TEXT)
    answered_at: Mapped[datetime | None]
    answered_by: Mapped[str | None] = mapped_column(NAME)
    closed_at: Mapped[datetime | None]
    closed_by: Mapped[str | None] = mapped_column(NAME)
