"""Relays (transfers, H7): declare one between two stored loads, list them, lift one; propose
one to another enterprise, which confirms or declines it.

Every rule is checked in `hub_scheduler/services/transfers.py`, the same checks `POST /loads`
runs for `transfer_to` / `transfer_from`.
"""

from __future__ import annotations

from flask import Blueprint, url_for

from api.auth import ALL_ROLES, SUBMITTERS, current_principal
from api.database import db
from api.openapi import operation
from api.respond import respond, respond_page
from api.schemas.body import PageQuery
from api.schemas.loads import LoadRef
from api.schemas.transfers import (
    ProposalQuery,
    TransferIn,
    TransferOut,
    TransferProposalIn,
    TransferProposalOut,
)
from hub_scheduler import load_keys
from hub_scheduler.domain import Transfer
from hub_scheduler.errors import Conflict, FieldError, NotFound
from hub_scheduler.records import TransferProposal
from hub_scheduler.services import transfer_proposals as proposal_service
from hub_scheduler.services import transfers as service
from hub_scheduler.services.load_lookup import relay_keys
from hub_scheduler.services.principal import Principal

bp = Blueprint("transfers", __name__, url_prefix="/api/v1/transfers")


@bp.post("")
@operation(
    "Declare a relay: the outbound load's truck takes the inbound load's goods (H7)",
    roles=SUBMITTERS,
    body=TransferIn,
    response=TransferOut,
    status=201,
    errors=(422,),
    description="Both loads of one enterprise (an admin may join two enterprises' loads; an "
    "enterprise proposes such a relay with `POST /transfers/proposals`), same temperature "
    "class; a load is the inbound of at most one relay and the outbound of at most one; no "
    "cycles, no self-relay. A problem names the field (`inbound`, `outbound`). Ids are unique "
    "per enterprise: an admin names each side's enterprise with `inbound_enterprise_id` / "
    "`outbound_enterprise_id` (or both with `enterprise_id`) when several enterprises hold an "
    "id; left ambiguous, the 422 names the side's field (`load_ambiguous`). An enterprise token "
    "may name only itself.",
)
def create_transfer(body: TransferIn):
    principal = current_principal()
    inbound, outbound = relay_keys(db.uow(), body.model_dump(), principal)
    transfer = service.add_transfer(
        db.uow(),
        Transfer(inbound=inbound, outbound=outbound, min_gap_minutes=body.min_gap_minutes),
        principal=principal,
    )
    location = url_for(
        "transfers.get_transfer",
        inbound=load_keys.local(transfer.inbound),
        outbound=load_keys.local(transfer.outbound),
    )
    return respond(relay_view(transfer), 201, {"Location": location})


@bp.get("")
@operation(
    "List relays (enterprise: those between its own loads)",
    roles=ALL_ROLES,
    query=PageQuery,
    response=list[TransferOut],
)
def list_transfers(query: PageQuery):
    relays = service.visible_transfers(db.uow(), current_principal())
    return respond_page([relay_view(t) for t in relays], query)


def relay_view(transfer: Transfer) -> dict:
    """A relay as a response shows it (`TransferOut`): each load by the id its enterprise wrote."""
    inbound_owner, inbound = load_keys.split(transfer.inbound)
    outbound_owner, outbound = load_keys.split(transfer.outbound)
    view: dict = {
        "inbound": inbound,
        "outbound": outbound,
        "enterprise_id": inbound_owner,
        "min_gap_minutes": transfer.min_gap_minutes,
    }
    if outbound_owner != inbound_owner:
        view["outbound_enterprise_id"] = outbound_owner
    return view


def named_relay(inbound: str, outbound: str, enterprise_id: str | None) -> Transfer:
    """The one relay the principal may see between loads with these ids (either side's
    `enterprise_id` narrows it); NotFound when none, Conflict (409) when several."""
    found = [
        t
        for t in service.visible_transfers(db.uow(), current_principal())
        if (load_keys.local(t.inbound), load_keys.local(t.outbound)) == (inbound, outbound)
        and (
            enterprise_id is None
            or enterprise_id
            in (load_keys.enterprise_of(t.inbound), load_keys.enterprise_of(t.outbound))
        )
    ]
    if not found:
        raise NotFound(f'no relay "{inbound}" -> "{outbound}"')
    if len(found) > 1:
        holders = sorted({str(load_keys.enterprise_of(t.inbound)) for t in found})
        raise Conflict(
            f'several relays "{inbound}" -> "{outbound}" ({", ".join(holders)}); name one with '
            "?enterprise_id=",
            [
                FieldError(
                    field="enterprise_id",
                    message="is required: several enterprises hold these ids",
                    code="load_ambiguous",
                    params={"load": inbound, "enterprises": holders},
                )
            ],
        )
    return found[0]


def proposal_view(proposal: TransferProposal, principal: Principal) -> dict:
    """What one side sees of a proposal: ids and state only (`TransferProposalOut`)."""
    side = None
    if principal.is_enterprise:
        mine = principal.enterprise_id == proposal.proposer_enterprise_id
        side = "proposer" if mine else "partner"
    # Each side's id as its own enterprise wrote it (the proposal names both enterprises).
    ids = {
        "inbound": load_keys.local(proposal.inbound),
        "outbound": load_keys.local(proposal.outbound),
    }
    fields = set(TransferProposalOut.model_fields) - {"your_side", "inbound", "outbound"}
    return TransferProposalOut(
        **proposal.model_dump(include=fields), **ids, your_side=side
    ).model_dump()


@bp.post("/proposals")
@operation(
    "Propose a relay between your load and another enterprise's load; it confirms or declines",
    roles=SUBMITTERS,
    body=TransferProposalIn,
    response=TransferProposalOut,
    status=202,
    errors=(422,),
    description="One of `inbound`/`outbound` is your load, the other the partner's, named with "
    "`partner_enterprise_id`. The answer is 202 `pending` whether or not the partner's load "
    "exists (nothing about another enterprise is revealed); rules about your own load are "
    "checked now (422), every rule again at confirmation. Only a confirmed relay is planned.",
)
def propose_transfer(body: TransferProposalIn):
    principal = current_principal()
    proposal = proposal_service.propose_transfer(
        db.uow(),
        Transfer(**body.model_dump(exclude={"partner_enterprise_id"})),
        body.partner_enterprise_id,
        principal=principal,
    )
    location = url_for("transfers.get_proposal", proposal_id=proposal.id)
    return respond(proposal_view(proposal, principal), 202, {"Location": location})


@bp.get("/proposals")
@operation(
    "Relay proposals (enterprise: those it made and those awaiting its answer on its loads)",
    roles=SUBMITTERS,
    query=ProposalQuery,
    response=list[TransferProposalOut],
)
def list_proposals(query: ProposalQuery):
    principal = current_principal()
    found = proposal_service.visible_proposals(db.uow(), principal, query.status)
    return respond_page([proposal_view(p, principal) for p in found], query)


@bp.get("/proposals/<int:proposal_id>")
@operation("One relay proposal", roles=SUBMITTERS, response=TransferProposalOut, errors=(404,))
def get_proposal(proposal_id: int):
    principal = current_principal()
    for proposal in proposal_service.visible_proposals(db.uow(), principal):
        if proposal.id == proposal_id:
            return respond(proposal_view(proposal, principal))
    raise NotFound(f"no relay proposal {proposal_id}")


@bp.post("/proposals/<int:proposal_id>/confirm")
@operation(
    "Confirm a relay proposed to you: every relay rule is checked again, then the relay is stored",
    roles=SUBMITTERS,
    response=TransferProposalOut,
    errors=(404, 409, 422),
    description="Only the partner enterprise (or an admin) may confirm; 409 when the proposal "
    "is no longer pending (two confirms at once: one relay, one 409).",
)
def confirm_proposal(proposal_id: int):
    return _decided(proposal_id, confirm=True)


@bp.post("/proposals/<int:proposal_id>/decline")
@operation(
    "Decline a relay proposed to you",
    roles=SUBMITTERS,
    response=TransferProposalOut,
    errors=(404, 409),
)
def decline_proposal(proposal_id: int):
    return _decided(proposal_id, confirm=False)


def _decided(proposal_id: int, *, confirm: bool):
    """The caller confirms or declines a relay proposal; the answer is the decided proposal as
    the caller may see it."""
    principal = current_principal()
    decided = proposal_service.decide_proposal(
        db.uow(), proposal_id, confirm=confirm, principal=principal
    )
    return respond(proposal_view(decided, principal))


@bp.get("/<inbound>/<outbound>")
@operation("One relay", roles=ALL_ROLES, query=LoadRef, response=TransferOut, errors=(404, 409))
def get_transfer(inbound: str, outbound: str, query: LoadRef):
    return respond(relay_view(named_relay(inbound, outbound, query.enterprise_id)))


@bp.delete("/<inbound>/<outbound>")
@operation(
    "Lift a relay (the loads stay)",
    roles=SUBMITTERS,
    query=LoadRef,
    status=204,
    errors=(404, 409),
)
def delete_transfer(inbound: str, outbound: str, query: LoadRef):
    relay = named_relay(inbound, outbound, query.enterprise_id)
    service.remove_transfer(db.uow(), relay.inbound, relay.outbound, principal=current_principal())
    return "", 204
