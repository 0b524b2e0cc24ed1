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


class WebUser(Model):
    """A person who signs in to the pages with a name and password (only an argon2 hash is kept).

    `session_version` rises when the user signs out or gets a new password: every page session
    made under an older version stops working. A disabled user's sessions end at once.
    """

    id: int | None = None
    name: str
    password_hash: str
    role: Role
    enterprise_id: str | None = None
    disabled: bool = False
    created_at: AwareDatetime
    updated_at: AwareDatetime
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
    error: str | None = None  # a failed job's English reason (logs, older clients)
    # A failed job's reason as a code and its params (`services/job_failures.py`), said in the
    # reader's language at the edge; None on a job failed before migration 0012 (only `error`).
    error_code: str | None = None
    error_params: dict[str, Any] | None = None
    parent_id: int | None = None  # a part of a split plan job: the job it belongs to
    schedule: Schedule | None = None  # objective, bound, gap, kpis, assignments, unscheduled
    # Its rows were edited since its figures (objective, kpis) were counted: a recount is due or
    # running (services/plan_figures.py); read from the store, never written to it.
    figures_pending: bool = False

    @property
    def stored_id(self) -> int:
        """`id` of a plan read from or added to the store (always set there); ValueError if not."""
        if self.id is None:
            raise ValueError("this plan is not stored yet: it has no id")
        return self.id


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


class ProposalStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    DECLINED = "declined"


class TransferProposal(Model):
    """A relay between loads of two enterprises, proposed by one and awaiting the other's word.

    `inbound`/`outbound` are load ids as the proposer named them: the partner's may not exist
    (the proposer is never told). Only a confirmed proposal becomes a relay (`Transfer`, H7).
    """

    id: int | None = None
    inbound: str
    outbound: str
    min_gap_minutes: int = 0
    proposer_enterprise_id: str  # owns the proposer's load
    partner_enterprise_id: str  # as the proposer named it; must own the partner's load
    partner_load: str  # inbound or outbound: the load the partner must own
    status: ProposalStatus = ProposalStatus.PENDING
    proposed_by: str
    proposed_at: AwareDatetime
    decided_by: str | None = None
    decided_at: AwareDatetime | None = None


class AuditEntry(Model):
    """One line of the append-only audit log."""

    id: int | None = None
    at: AwareDatetime
    actor: str
    action: str  # e.g. "load.create", "hub.status", "plan.publish"
    target_type: str
    target_id: str
    details: dict[str, Any] = Field(default_factory=dict)


class AudienceKind(StrEnum):
    """Who an event is for: one enterprise, one hub's staff, or the command centre."""

    ENTERPRISE = "enterprise"
    HUB = "hub"
    COMMAND = "command"


class Event(Model):
    """One notification for one audience (the transactional outbox, `services/events.py`).

    `id` is a UUID; `type` a stable name (`slot.confirmed`); `at` when it happened (UTC here,
    shown in the site's zone); `audience_id` the enterprise or hub id (None for the command
    centre); `data` holds only what that audience may see; `read_at` is set by the inbox."""

    id: str
    type: str
    at: AwareDatetime
    audience_kind: AudienceKind
    audience_id: str | None = None
    data: dict[str, Any] = Field(default_factory=dict)
    read_at: AwareDatetime | None = None


class Webhook(Model):
    """A subscription: events of `owner` (an audience) of the given `events` types go to `url`
    (http(s), or `mailto:` for e-mail), signed with `secret` (Standard Webhooks). Disabled after
    too many consecutive failures (`failures`), re-enabled by hand."""

    id: int | None = None
    owner_kind: AudienceKind
    owner_id: str | None = None
    url: str
    events: list[str]
    secret: str
    enabled: bool = True
    failures: int = 0  # consecutive failed attempts; a success resets it
    disabled_reason: str | None = None
    created_at: AwareDatetime
    created_by: str = ""


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # waiting for its (next) attempt at `next_attempt_at`
    SENDING = "sending"  # claimed by a sender
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # gave up: attempts used up, or the subscription was disabled


class WebhookDelivery(Model):
    """One event on its way to one subscription; `log` lists every attempt
    (`{"at", "status" (HTTP status or None), "latency_ms", "error"}`)."""

    id: int | None = None
    webhook_id: int
    event_id: str
    status: DeliveryStatus = DeliveryStatus.PENDING
    attempts: int = 0
    next_attempt_at: AwareDatetime
    log: list[dict[str, Any]] = Field(default_factory=list)


# --- problem reports, the hotline (issue 13) --------------------------------------------------


class ReportKind(StrEnum):
    REFUSED_AT_CHECKPOINT = "refused_at_checkpoint"
    NO_SLOT = "no_slot"
    WRONG_SLOT = "wrong_slot"
    HUB_CLOSED = "hub_closed"
    OTHER = "other"


class ReportStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    CLOSED = "closed"


class Report(Model):
    """A problem reported to the command centre, by an enterprise (`enterprise_id`, maybe one of
    its loads) or by the public (`contact_*` set, `token_hash` the SHA-256 of the lookup token
    shown once). `number` is what the reporter quotes (`R-7KQ2M9`); times are UTC here."""

    id: int | None = None
    number: str
    kind: ReportKind
    text: str
    status: ReportStatus = ReportStatus.OPEN
    enterprise_id: str | None = None
    load_id: str | None = None
    hub_id: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    contact_email: str | None = None
    token_hash: str | None = None
    created_at: AwareDatetime
    created_by: str = ""
    answer: str | None = None
    answered_at: AwareDatetime | None = None
    answered_by: str | None = None
    closed_at: AwareDatetime | None = None
    closed_by: str | None = None
