"""Loads, relays (transfers) and relay proposals."""

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
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.tables.base import CODE, ID, NAME, TEXT, Base, Stamped

# --- loads and transfers --------------------------------------------------------------------------


class LoadRow(Stamped, Base):
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
    # values.plate_key(vehicle_plate): what `?vehicle_plate=` and incidents look up.
    vehicle_plate_key: Mapped[str | None] = mapped_column(TEXT, index=True)
    driver_phone: Mapped[str | None] = mapped_column(TEXT)
    # What the gate saw (check-in, start, end of handling).
    arrived_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    # The start of the slot in force when the truck checked in (NULL: none, a walk-in): what "on
    # time at the gate" counts from, whatever a later repair or publish does to its slot.
    arrival_slot_start: Mapped[datetime | None]
    screening: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(CODE, index=True)
    idempotency_key: Mapped[str | None] = mapped_column(TEXT)
    created_by: Mapped[str | None] = mapped_column(NAME)


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
