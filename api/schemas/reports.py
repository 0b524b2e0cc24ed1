"""Problem reports (the hotline): submit, list, answer, and a public reporter's lookup."""

from __future__ import annotations

from pydantic import AwareDatetime, BaseModel, Field

from api.schemas.body import Body
from hub_scheduler import limits
from hub_scheduler.records import ReportKind, ReportStatus
from hub_scheduler.values import Id


class ContactIn(Body):
    """A public reporter's contact: a name and a phone number or an e-mail address."""

    name: str = Field(default="", max_length=100)
    phone: str | None = Field(default=None, max_length=30)
    email: str | None = Field(default=None, max_length=200)


class ReportIn(Body):
    kind: ReportKind = Field(
        description="refused_at_checkpoint, no_slot, wrong_slot, hub_closed or other"
    )
    text: str = Field(min_length=1, max_length=2000, description="what happened")
    load_id: Id | None = Field(default=None, description="an enterprise: one of its own loads")
    hub_id: Id | None = Field(default=None, description="the hub it concerns")
    contact: ContactIn | None = Field(
        default=None, description="required without sign-in: name, and phone or email"
    )


class ReportOut(BaseModel):
    """A report; `token` (a public reporter's lookup token) only in the answer that created it;
    `contact` only for the command centre."""

    id: int
    number: str
    kind: ReportKind
    text: str
    status: ReportStatus
    enterprise_id: str | None
    load_id: str | None
    hub_id: str | None
    created_at: AwareDatetime
    answer: str | None
    answered_at: AwareDatetime | None
    closed_at: AwareDatetime | None
    contact: dict[str, str | None] | None = None
    token: str | None = None
    lookup: str | None = None


class ReportsQuery(Body):
    status: ReportStatus | None = None
    kind: ReportKind | None = None
    limit: int = Field(default=50, ge=1, le=limits.PAGE_LIMIT_MAX)
    offset: int = Field(default=0, ge=0, le=limits.OFFSET_MAX)


class ReportsOut(BaseModel):
    reports: list[ReportOut]
    total: int


class ReportAnswerIn(Body):
    answer: str = Field(min_length=1, max_length=2000)


class PublicReportQuery(Body):
    token: str = Field(min_length=1, max_length=100, description="the lookup token shown once")


class PublicReportOut(BaseModel):
    """What a public reporter reads back: no contact details, no internal ids."""

    number: str
    kind: ReportKind
    status: ReportStatus
    created_at: AwareDatetime
    answer: str | None
    answered_at: AwareDatetime | None
    closed_at: AwareDatetime | None
