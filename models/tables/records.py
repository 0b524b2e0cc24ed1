"""Activations, incidents, the audit log, site config, events, webhooks and problem reports."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.tables.base import CODE, ID, NAME, TEXT, Base

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
