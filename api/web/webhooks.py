"""The admin page for webhook subscriptions (`/admin/webhooks`, issue 13): list every
subscription (owner, URL, event types, enabled or disabled with its failure count), create one
(its secret shown once on the answer page, never stored in the session), delete one, re-enable a
disabled one, and a subscription's latest deliveries (each attempt: time in the site's zone, event
type, HTTP status, latency in ms, attempt number).

The same domain services as `/api/v1/webhooks` (`hub_scheduler.services.webhooks`); errors are
the service's codes (`webhook_err_<code>`), said in the page's language.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import render_template, request, url_for

from api.database import db
from api.settings import settings
from api.web.base import done_then_back, page_blueprint
from api.web.i18n import field_problems, translate
from api.web.signin import page_for
from hub_scheduler.errors import HubSchedulerError
from hub_scheduler.records import Role, Webhook, WebhookDelivery
from hub_scheduler.services import events as event_service
from hub_scheduler.services import webhooks as service
from hub_scheduler.services.principal import Principal

bp = page_blueprint("web_webhooks", __name__)
OWNERS = ("command", "hub", "enterprise")
FORM_FIELDS = ("url", "owner", "hub_id", "enterprise_id")


def attempts(deliveries: list[WebhookDelivery], types: dict[str, str]) -> list[dict[str, Any]]:
    """Every attempt of `deliveries`, newest first: `at` (aware datetime; the template shows it
    in the site's zone), `type` (the event type), `status` (HTTP status or None), `latency_ms`,
    `attempt` (1-based), `error` (text or None)."""
    rows = []
    for delivery in deliveries:
        for number, entry in enumerate(delivery.log, start=1):
            try:
                at = datetime.fromisoformat(str(entry.get("at")))
            except ValueError:
                at = None
            rows.append(
                {
                    "at": at,
                    "type": types.get(delivery.event_id, ""),
                    "status": entry.get("status"),
                    "latency_ms": entry.get("latency_ms"),
                    "attempt": number,
                    "error": entry.get("error"),
                }
            )
    return sorted(rows, key=lambda r: r["at"].timestamp() if r["at"] else 0, reverse=True)


def _render(
    principal: Principal,
    *,
    error: str | None = None,
    notice: str | None = None,
    created: Webhook | None = None,
    shown: tuple[Webhook, list[dict[str, Any]]] | None = None,
    form: dict | None = None,
    status: int = 200,
):
    with db.uow() as uow:
        hubs = uow.hubs.list()
        enterprises = uow.enterprises.list()
    page = render_template(
        "webhooks.html",
        webhooks=service.list_webhooks(db.uow(), principal),
        hubs=hubs,
        enterprises=enterprises,
        event_types=event_service.EVENT_TYPES,
        owners=OWNERS,
        error=error,
        notice=notice,
        created=created,
        shown=shown,
        form=form or {"owner": "command"},
        max_attempts=settings().deliveries.max_attempts,
    )
    return page, status


def _refused(principal: Principal, exc: HubSchedulerError):
    return _render(principal, error=translate(exc.title), status=exc.status)


def _changed_then_back(principal: Principal, change: Callable[[], object], back: str):
    """A one-click change of a subscription (delete, enable): done, then See Other to `back`; a
    refusal shows the list again saying why."""
    return done_then_back(change, lambda exc: _refused(principal, exc), back)


@bp.get("/admin/webhooks")
@page_for(Role.ADMIN)
def webhooks(principal: Principal):
    return _render(principal)


@bp.post("/admin/webhooks")
@page_for(Role.ADMIN)
def create_webhook(principal: Principal):
    form = request.form
    owner = form.get("owner", "command")
    kept = {k: form.get(k, "")[:300] for k in FORM_FIELDS} | {"events": form.getlist("events")}
    if owner not in OWNERS:
        return _render(
            principal, error=translate("webhook_err_owner_unknown"), form=kept, status=422
        )
    try:
        webhook = service.subscribe(
            db.uow(),
            principal,
            url=form.get("url", "").strip(),
            events=form.getlist("events"),
            secret=form.get("secret", "").strip() or None,
            hub_id=(form.get("hub_id") or None) if owner == "hub" else None,
            enterprise_id=(form.get("enterprise_id") or None) if owner == "enterprise" else None,
            policy=settings().deliveries,
        )
    except HubSchedulerError as exc:
        return _render(
            principal, error=field_problems(exc, "webhook_err_"), form=kept, status=exc.status
        )
    notice = translate("webhook_created", id=webhook.id)
    return _render(principal, notice=notice, created=webhook, status=201)


@bp.get("/admin/webhooks/<int:webhook_id>")
@page_for(Role.ADMIN)
def webhook(principal: Principal, webhook_id: int):
    try:
        found, deliveries = service.get_webhook(db.uow(), principal, webhook_id)
    except HubSchedulerError as exc:
        return _refused(principal, exc)
    with db.uow() as uow:
        types = {
            d.event_id: event.type
            for d in deliveries
            if (event := uow.events.get(d.event_id)) is not None
        }
    return _render(principal, shown=(found, attempts(deliveries, types)))


@bp.post("/admin/webhooks/<int:webhook_id>/delete")
@page_for(Role.ADMIN)
def delete_webhook(principal: Principal, webhook_id: int):
    return _changed_then_back(
        principal,
        lambda: service.delete_webhook(db.uow(), principal, webhook_id),
        url_for("web_webhooks.webhooks"),
    )


@bp.post("/admin/webhooks/<int:webhook_id>/enable")
@page_for(Role.ADMIN)
def enable_webhook(principal: Principal, webhook_id: int):
    return _changed_then_back(
        principal,
        lambda: service.enable_webhook(db.uow(), principal, webhook_id),
        url_for("web_webhooks.webhook", webhook_id=webhook_id),
    )
