"""Relays (H7): within one enterprise, and proposed to another enterprise."""

from __future__ import annotations

from pydantic import AwareDatetime, BaseModel, Field

from api.schemas.body import Body
from hub_scheduler import limits
from hub_scheduler.records import ProposalStatus
from hub_scheduler.values import Id, Minutes


class TransferIn(Body):
    """A relay between two loads of one enterprise: the outbound truck takes the inbound's goods."""

    inbound: Id
    outbound: Id
    min_gap_minutes: Minutes = 0
    enterprise_id: Id | None = Field(
        default=None,
        description="the enterprise of both loads (admins, when several enterprises hold an "
        "id); an enterprise token may name only itself",
    )
    inbound_enterprise_id: Id | None = Field(
        default=None,
        description="the enterprise of the inbound load (admins: needed when several "
        "enterprises hold its id, else a 422 naming this field); an enterprise token may name "
        "only itself",
    )
    outbound_enterprise_id: Id | None = Field(
        default=None,
        description="the enterprise of the outbound load, as `inbound_enterprise_id`; an admin "
        "joining two enterprises' loads names each",
    )


class TransferOut(BaseModel):
    """A relay by its loads' ids (unique per enterprise): `enterprise_id` is the inbound load's
    enterprise; `outbound_enterprise_id` is there only when the outbound load is another
    enterprise's (a confirmed proposal, or an admin's relay across enterprises)."""

    inbound: str
    outbound: str
    enterprise_id: str | None = None
    outbound_enterprise_id: str | None = None
    min_gap_minutes: int


class TransferProposalIn(Body):
    """A relay between the caller's load and a load of another enterprise, named by both ids."""

    inbound: Id
    outbound: Id
    min_gap_minutes: Minutes = 0
    partner_enterprise_id: Id = Field(
        description="the enterprise of the other load, which must confirm the relay"
    )


class ProposalQuery(Body):
    status: ProposalStatus | None = Field(default=None, description="e.g. `pending`")
    limit: int = Field(default=limits.PAGE_LIMIT_MAX, ge=1, le=limits.PAGE_LIMIT_MAX)
    offset: int = Field(default=0, ge=0, le=limits.OFFSET_MAX)


class TransferProposalOut(BaseModel):
    """A relay proposal as one side sees it: load ids and enterprise ids, nothing about the
    other side's truck (no plate, phone or goods)."""

    id: int
    inbound: str
    outbound: str
    min_gap_minutes: int
    status: ProposalStatus
    your_side: str | None = Field(
        description="`proposer` or `partner` for an enterprise token; null for an admin"
    )
    proposer_enterprise_id: str
    partner_enterprise_id: str
    proposed_at: AwareDatetime
    decided_at: AwareDatetime | None = None
