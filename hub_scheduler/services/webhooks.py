"""Webhook subscriptions (issue 13, docs/webhooks.md); their deliveries: `services.deliveries`.

A subscription belongs to one audience (an enterprise, a hub, the command centre) and names the
event types it wants. `events.emit` writes a pending delivery per matching subscription in the
transaction of the change; `deliver_due` sends what is due, one attempt each, through a `Sender`
chosen by the URL's scheme (`http`/`https`: a Standard Webhooks POST; `mailto`: e-mail; SMS would be
one more sender). A failed attempt is retried after `retry_base_s * 2**(attempt - 1)` seconds up to
`max_attempts`; `disable_after` consecutive failures disable the subscription until re-enabled by
hand. Every attempt is logged on the delivery (time, HTTP status, latency, error).
"""

from __future__ import annotations

import base64
import ipaddress
import logging
import re
import secrets as random_secrets
import socket
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import unquote, urlsplit

from hub_scheduler.errors import FieldError, NotFound, ValidationFailed
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.ports.events import Audience
from hub_scheduler.records import (
    AudienceKind,
    Role,
    Webhook,
    WebhookDelivery,
)
from hub_scheduler.services import events as event_service
from hub_scheduler.services.audit import record
from hub_scheduler.services.principal import Principal

log = logging.getLogger(__name__)

SECRET_PREFIX = "whsec_"
SCHEMES = ("http", "https", "mailto")
# One plain address: no list, no spaces or line breaks (nothing to smuggle into the headers).
_ONE_ADDRESS = re.compile(r"[^@\s,;<>()\"]+@[^@\s,;<>()\"]+\.[^@\s,;<>()\"]+")


@dataclass(frozen=True)
class DeliveryPolicy:
    """`retry_base_s`: the first retry's delay (seconds; doubled each time); `max_attempts`: a
    delivery's attempts before it is given up; `disable_after`: consecutive failed attempts of a
    subscription before it is disabled; `allow_private`: whether loopback and private addresses
    may receive (tests, a closed network); `allowed_hosts`: the hosts the admin allowed to receive
    (`host`, `.suffix` for a domain and its subdomains, `*` for any; empty: none)."""

    retry_base_s: float = 30.0
    max_attempts: int = 8
    disable_after: int = 20
    allow_private: bool = False
    allowed_hosts: tuple[str, ...] = ("*",)


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(random_secrets.token_bytes(32)).decode()


def _secret_errors(secret: str) -> list[FieldError]:
    raw = secret.removeprefix(SECRET_PREFIX)
    try:
        key = base64.b64decode(raw + "==", validate=False)
    except ValueError:
        key = b""
    if not secret.startswith(SECRET_PREFIX) or not (24 <= len(key) <= 64):
        return [
            FieldError(
                field="secret",
                message="must be whsec_ followed by 24 to 64 bytes in base64 (or leave it out)",
                code="secret_bad",
            )
        ]
    return []


def host_is_private(host: str) -> bool:
    """Whether `host` (a name or an address) resolves to any loopback, private, link-local,
    reserved or multicast address; an unresolvable name counts as private (refused)."""
    try:
        infos = socket.getaddrinfo(host, None)
    except (OSError, UnicodeError):
        return True
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not address.is_global or address.is_multicast:
            return True
    return False


def host_allowed(host: str, allowed_hosts: tuple[str, ...]) -> bool:
    """Whether `host` is on the admin's allow-list: an entry equal to it (any case), a `.suffix`
    entry it ends with (`.gov.cn` allows `hooks.x.gov.cn`), or `*`."""
    host = host.lower().rstrip(".")
    for entry in (e.strip().lower() for e in allowed_hosts):
        if entry == "*" or entry == host or (entry.startswith(".") and host.endswith(entry)):
            return True
    return False


def url_errors(
    url: str, allow_private: bool, allowed_hosts: tuple[str, ...] = ("*",)
) -> list[FieldError]:
    """Why `url` may not receive: not http(s)/mailto, no host, a private address, or a host
    not on the allow-list (`HUB_SCHEDULER_WEBHOOK_ALLOWED_HOSTS`)."""
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES:
        return [
            FieldError(
                field="url", message="must be an http(s):// or mailto: address", code="url_scheme"
            )
        ]
    if parts.scheme == "mailto":
        if parts.query or not _ONE_ADDRESS.fullmatch(unquote(parts.path)):
            return [
                FieldError(
                    field="url",
                    message="mailto: needs one e-mail address (no headers)",
                    code="url_mailto",
                )
            ]
        return []
    if not parts.hostname:
        return [FieldError(field="url", message="must name a host", code="url_host")]
    if parts.username or parts.password:
        return [
            FieldError(
                field="url", message="must not carry a user name or password", code="url_userinfo"
            )
        ]
    if not allow_private and host_is_private(parts.hostname):
        return [
            FieldError(
                field="url",
                message="resolves to a private, loopback or unknown address (not allowed here)",
                code="url_private",
            )
        ]
    if not host_allowed(parts.hostname, allowed_hosts):
        return [
            FieldError(
                field="url",
                message="the host is not on the allow-list of webhook receivers",
                code="url_not_allowed",
            )
        ]
    return []


def _unknown(kind: str, ident: str) -> ValidationFailed:
    """An owner (`hub` or `enterprise`) named by `<kind>_id` that does not exist."""
    return ValidationFailed(
        f"unknown {kind}",
        [
            FieldError(
                field=f"{kind}_id",
                message=f'unknown {kind} "{ident}"',
                code=f"{kind}_unknown",
                params={kind: ident},
            )
        ],
    )


def _owner(
    uow: UnitOfWork, principal: Principal, hub_id: str | None, enterprise_id: str | None
) -> Audience:
    """Whose events a new subscription receives: an enterprise token's its own (a hub or another
    enterprise is refused); an admin's a hub's, an enterprise's, or else the command centre's."""
    if principal.role is Role.ENTERPRISE:
        if hub_id is not None or enterprise_id not in (None, principal.enterprise_id):
            raise ValidationFailed(
                "an enterprise token may subscribe to its own events only",
                [
                    FieldError(
                        field="hub_id" if hub_id else "enterprise_id",
                        message="an enterprise token may subscribe to its own events only",
                        code="owner_not_own",
                    )
                ],
            )
        assert principal.enterprise_id is not None
        return event_service.enterprise(principal.enterprise_id)
    if hub_id is not None and enterprise_id is not None:
        raise ValidationFailed(
            "give a hub or an enterprise, not both",
            [
                FieldError(
                    field="hub_id",
                    message="give hub_id or enterprise_id, not both",
                    code="owner_both",
                )
            ],
        )
    if hub_id is not None:
        if uow.hubs.get(hub_id) is None:
            raise _unknown("hub", hub_id)
        return event_service.hub(hub_id)
    if enterprise_id is not None:
        if uow.enterprises.get(enterprise_id) is None:
            raise _unknown("enterprise", enterprise_id)
        return event_service.enterprise(enterprise_id)
    return event_service.COMMAND


def subscribe(
    uow: UnitOfWork,
    principal: Principal,
    *,
    url: str,
    events: list[str],
    secret: str | None = None,
    hub_id: str | None = None,
    enterprise_id: str | None = None,
    policy: DeliveryPolicy,
    at: datetime | None = None,
) -> Webhook:
    """A new subscription (the answer is the only place its secret is shown); ValidationFailed
    naming `url`, `events[i]`, `secret`, `hub_id` or `enterprise_id`."""
    errors = url_errors(url, policy.allow_private, policy.allowed_hosts)
    known = {*event_service.EVENT_TYPES, "*"}
    errors += [
        FieldError(
            field=f"events[{i}]",
            message=f'unknown event type "{e}"',
            code="event_unknown",
            params={"event": e},
        )
        for i, e in enumerate(events)
        if e not in known
    ]
    if not events:
        errors.append(
            FieldError(
                field="events",
                message="name at least one event type (or *)",
                code="events_required",
            )
        )
    if secret is not None:
        errors += _secret_errors(secret)
    if errors:
        raise ValidationFailed("the subscription is not valid", errors)
    with uow:
        kind, ident = _owner(uow, principal, hub_id, enterprise_id)
        webhook = uow.webhooks.add(
            Webhook(
                owner_kind=AudienceKind(kind),
                owner_id=ident,
                url=url,
                events=sorted(set(events)),
                secret=secret or new_secret(),
                created_at=at or event_service.utc_now(),
                created_by=principal.actor,
            )
        )
        record(
            uow,
            principal.actor,
            "webhook.create",
            "webhook",
            str(webhook.id),
            {"url": url, "events": webhook.events, "owner": [kind, ident]},
        )
        uow.commit()
    return webhook


def _visible(uow: UnitOfWork, principal: Principal, webhook_id: int) -> Webhook:
    webhook = uow.webhooks.get(webhook_id)
    if webhook is None or (
        principal.role is Role.ENTERPRISE
        and (
            webhook.owner_kind is not AudienceKind.ENTERPRISE
            or webhook.owner_id != principal.enterprise_id
        )
    ):
        raise NotFound(f"no webhook {webhook_id}")
    return webhook


def list_webhooks(uow: UnitOfWork, principal: Principal) -> list[Webhook]:
    """An enterprise token sees its own subscriptions; an admin every one."""
    with uow:
        if principal.role is Role.ENTERPRISE:
            assert principal.enterprise_id is not None
            return uow.webhooks.list(event_service.enterprise(principal.enterprise_id))
        return uow.webhooks.list()


def get_webhook(
    uow: UnitOfWork, principal: Principal, webhook_id: int
) -> tuple[Webhook, list[WebhookDelivery]]:
    """The subscription and its latest deliveries (each with its attempts)."""
    with uow:
        webhook = _visible(uow, principal, webhook_id)
        return webhook, uow.webhooks.deliveries(webhook_id, limit=20)


def delete_webhook(uow: UnitOfWork, principal: Principal, webhook_id: int) -> None:
    with uow:
        _visible(uow, principal, webhook_id)
        uow.webhooks.remove(webhook_id)
        record(uow, principal.actor, "webhook.delete", "webhook", str(webhook_id))
        uow.commit()


def enable_webhook(uow: UnitOfWork, principal: Principal, webhook_id: int) -> Webhook:
    """Re-enable a subscription by hand: its failure count starts again from 0."""
    with uow:
        webhook = _visible(uow, principal, webhook_id)
        webhook = uow.webhooks.update(
            webhook.model_copy(update={"enabled": True, "failures": 0, "disabled_reason": None})
        )
        record(uow, principal.actor, "webhook.enable", "webhook", str(webhook_id))
        uow.commit()
    return webhook
