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
from api.schemas import PageQuery, TransferIn, TransferOut
from hub_scheduler.domain import Transfer
from hub_scheduler.errors import NotFound
from hub_scheduler.services import transfers as service

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
    "names the field (`inbound`, `outbound`).",
)
def create_transfer(body: TransferIn):
    transfer = service.add_transfer(
        db.uow(), Transfer(**body.model_dump()), principal=current_principal()
    )
    location = url_for(
        "transfers.get_transfer", inbound=transfer.inbound, outbound=transfer.outbound
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
@operation("One relay", roles=READERS, response=TransferOut, errors=(404,))
def get_transfer(inbound: str, outbound: str):
    for transfer in service.visible_transfers(db.uow(), current_principal()):
        if (transfer.inbound, transfer.outbound) == (inbound, outbound):
            return respond(transfer)
    raise NotFound(f'no relay "{inbound}" -> "{outbound}"')


@bp.delete("/<inbound>/<outbound>")
@operation("Lift a relay (the loads stay)", roles=SUBMITTERS, status=204, errors=(404,))
def delete_transfer(inbound: str, outbound: str):
    service.remove_transfer(db.uow(), inbound, outbound, principal=current_principal())
    return "", 204
