"""Hubs (zones, docks, opening hours, blocked windows), enterprises, API tokens and web users."""

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
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.tables.base import CODE, ID, NAME, TEXT, Base, Stamped, owned

# --- hubs -----------------------------------------------------------------------------------------


class HubRow(Stamped, Base):
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

    zones: Mapped[list[ZoneRow]] = owned("ZoneRow.position", back_populates="hub")
    opening_hours: Mapped[list[OpeningHoursRow]] = owned("OpeningHoursRow.position")
    blocked: Mapped[list[BlockedWindowRow]] = owned("BlockedWindowRow.pk")


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
    docks: Mapped[list[DockRow]] = owned("DockRow.position", back_populates="zone")


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


class EnterpriseRow(Stamped, Base):
    __tablename__ = "enterprises"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(NAME, default="")
    whitelisted: Mapped[bool] = mapped_column(Boolean, default=True)
    tier: Mapped[int] = mapped_column(Integer, default=1)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)


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
