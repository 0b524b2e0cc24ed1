"""What the service keeps besides the scenario shapes: tokens, plans, activations, incidents, audit.

Plain pydantic models, so the persistence layer (models/) converts to and from them and the
services and the API never see an ORM object.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import AwareDatetime, Field

from hub_scheduler.domain import Model, Schedule


class Role(StrEnum):
    ADMIN = "admin"  # command centre and park managers
    OPERATOR = "operator"  # hub staff at the gate
    ENTERPRISE = "enterprise"  # bound to one enterprise, sees only its own loads


class ApiToken(Model):
    """A bearer token; only its SHA-256 hash is ever stored."""

    id: int | None = None
    token_hash: str
    role: Role
    enterprise_id: str | None = None
    label: str = ""
    created_at: AwareDatetime
    revoked_at: AwareDatetime | None = None
    expires_at: AwareDatetime | None = None
    session_version: int = 0


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


class Plan(Model):
    """One planning job and, once it succeeded, its verified schedule. Versioned per horizon."""

    id: int | None = None
    horizon_start: AwareDatetime
    horizon_end: AwareDatetime
    hub_ids: list[str] | None = None  # None: every hub
    status: JobStatus = JobStatus.QUEUED
    params: dict[str, Any] = Field(default_factory=dict)  # time limit, workers, seed, reason
    progress: dict[str, Any] = Field(default_factory=dict)  # best objective so far, phase
    requested_by: str = ""
    requested_at: AwareDatetime
    started_at: AwareDatetime | None = None
    finished_at: AwareDatetime | None = None
    published: bool = False
    published_at: AwareDatetime | None = None
    published_by: str | None = None
    error: str | None = None
    schedule: Schedule | None = None  # objective, bound, gap, kpis, assignments, unscheduled


class Activation(Model):
    """An emergency switch of hubs, with who, when and why, and the re-plan it started."""

    id: int | None = None
    hub_ids: list[str]
    status: str = "active"  # the status the hubs were switched to
    reason: str
    actor: str
    at: AwareDatetime
    plan_id: int | None = None


class Incident(Model):
    """A driver or vehicle that tested positive, the docks blocked for it and its contacts."""

    id: int | None = None
    vehicle_plate: str | None = None
    load_id: str | None = None
    reported_at: AwareDatetime
    actor: str
    note: str = ""
    blocked_window_ids: list[str] = Field(default_factory=list)
    cancelled_load_ids: list[str] = Field(default_factory=list)
    contacts: list[dict[str, Any]] = Field(default_factory=list)
    plan_id: int | None = None


class AuditEntry(Model):
    """One line of the append-only audit log."""

    id: int | None = None
    at: AwareDatetime
    actor: str
    action: str  # e.g. "load.create", "hub.status", "plan.publish"
    target_type: str
    target_id: str
    details: dict[str, Any] = Field(default_factory=dict)
