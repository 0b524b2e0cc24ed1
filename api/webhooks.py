"""Webhook subscriptions: an enterprise token subscribes to its own events, an admin to a hub's,
an enterprise's or the command centre's (docs/webhooks.md)."""

from __future__ import annotations

from flask import Blueprint

from api.auth import SUBMITTERS, current_principal
from api.database import db
from api.openapi import operation
from api.respond import respond
from api.schemas.notifications import WebhookIn, WebhookOut
from api.settings import settings
from hub_scheduler.records import Webhook, WebhookDelivery
from hub_scheduler.services import webhooks as service

bp = Blueprint("webhooks", __name__, url_prefix="/api/v1/webhooks")
NO_STORE = {"Cache-Control": "no-store"}


def webhook_out(
    webhook: Webhook,
    *,
    secret: bool = False,
    deliveries: list[WebhookDelivery] | None = None,
) -> WebhookOut:
    """A subscription as the API shows it: the secret only when asked (on creation)."""
    assert webhook.id is not None
    return WebhookOut(
        id=webhook.id,
        owner_kind=webhook.owner_kind.value,
        owner_id=webhook.owner_id,
        url=webhook.url,
        events=webhook.events,
        enabled=webhook.enabled,
        failures=webhook.failures,
        disabled_reason=webhook.disabled_reason,
        created_at=webhook.created_at,
        secret=webhook.secret if secret else None,
        deliveries=[d.model_dump(mode="python") for d in deliveries]
        if deliveries is not None
        else None,
    )


@bp.post("")
@operation(
    "Subscribe a URL to event types (the secret is shown once)",
    roles=SUBMITTERS,
    body=WebhookIn,
    response=WebhookOut,
    status=201,
    errors=(422,),
)
def create(body: WebhookIn):
    webhook = service.subscribe(
        db.uow(),
        current_principal(),
        url=body.url,
        events=body.events,
        secret=body.secret,
        hub_id=body.hub_id,
        enterprise_id=body.enterprise_id,
        policy=settings().deliveries,
    )
    return respond(webhook_out(webhook, secret=True), 201, NO_STORE)


@bp.get("")
@operation(
    "The caller's subscriptions (an admin: all)", roles=SUBMITTERS, response=list[WebhookOut]
)
def index():
    found = service.list_webhooks(db.uow(), current_principal())
    return respond([webhook_out(w) for w in found])


@bp.get("/<int:webhook_id>")
@operation(
    "A subscription and its latest deliveries, each attempt with status and latency",
    roles=SUBMITTERS,
    response=WebhookOut,
    errors=(404,),
)
def show(webhook_id: int):
    webhook, deliveries = service.get_webhook(db.uow(), current_principal(), webhook_id)
    return respond(webhook_out(webhook, deliveries=deliveries))


@bp.delete("/<int:webhook_id>")
@operation("Remove a subscription", roles=SUBMITTERS, status=204, errors=(404,))
def delete(webhook_id: int):
    service.delete_webhook(db.uow(), current_principal(), webhook_id)
    return "", 204


@bp.post("/<int:webhook_id>/enable")
@operation(
    "Re-enable a subscription disabled after failures",
    roles=SUBMITTERS,
    response=WebhookOut,
    errors=(404,),
)
def enable(webhook_id: int):
    webhook = service.enable_webhook(db.uow(), current_principal(), webhook_id)
    return respond(webhook_out(webhook))
