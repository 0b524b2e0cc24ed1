"""Relays (transfers, H7): declare one between two stored loads, list them, lift one.

Every rule is checked in `hub_scheduler/services/transfers.py`, the same checks `POST /loads`
runs for `transfer_to` / `transfer_from`.
"""

from __future__ import annotations

from flask import Blueprint, url_for

from api.auth import current_principal
from api.database import db
from api.openapi import operation
from api.respond import respond, respond_page
from api.schemas import LoadRef, PageQuery, TransferIn, TransferOut
from hub_scheduler import load_keys
from hub_scheduler.domain import Transfer
from hub_scheduler.errors import NotFound
from hub_scheduler.services import transfers as service
from hub_scheduler.services.loads import resolve_keys

bp = Blueprint("transfers", __name__, url_prefix="/api/v1/transfers")
SUBMITTERS = ("admin", "enterprise")
READERS = ("admin", "operator", "enterprise")


@bp.post("")
@operation(
    "Declare a relay: the outbound load's truck takes the inbound load's goods (H7)",
    roles=SUBMITTERS,
    body=TransferIn,
    response=TransferOut,
    status=201,
    errors=(422,),
    description="Both loads of one enterprise, same temperature class; a load is the inbound of "
    "at most one relay and the outbound of at most one; no cycles, no self-relay. A problem "
    "names the field (`inbound`, `outbound`). Ids are unique per enterprise: an admin adds "
    "`enterprise_id` when several enterprises hold an id (409 otherwise).",
)
def create_transfer(body: TransferIn):
    principal = current_principal()
    inbound, outbound = resolve_keys(
        db.uow(), [body.inbound, body.outbound], principal, body.enterprise_id
    )
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
    return respond(transfer, 201, {"Location": location})


@bp.get("")
@operation(
    "List relays (enterprise: those between its own loads)",
    roles=READERS,
    query=PageQuery,
    response=list[TransferOut],
)
def list_transfers(query: PageQuery):
    return respond_page(service.visible_transfers(db.uow(), current_principal()), query)


@bp.get("/<inbound>/<outbound>")
@operation("One relay", roles=READERS, query=LoadRef, response=TransferOut, errors=(404, 409))
def get_transfer(inbound: str, outbound: str, query: LoadRef):
    principal = current_principal()
    keys = resolve_keys(db.uow(), [inbound, outbound], principal, query.enterprise_id)
    for transfer in service.visible_transfers(db.uow(), principal):
        if [transfer.inbound, transfer.outbound] == keys:
            return respond(transfer)
    raise NotFound(f'no relay "{inbound}" -> "{outbound}"')


@bp.delete("/<inbound>/<outbound>")
@operation(
    "Lift a relay (the loads stay)",
    roles=SUBMITTERS,
    query=LoadRef,
    status=204,
    errors=(404, 409),
)
def delete_transfer(inbound: str, outbound: str, query: LoadRef):
    principal = current_principal()
    keys = resolve_keys(db.uow(), [inbound, outbound], principal, query.enterprise_id)
    service.remove_transfer(db.uow(), *keys, principal=principal)
    return "", 204
