"""Webhook deliveries (issue 13, docs/webhooks.md): send what is due, retry, disable.

`events.emit` writes a pending delivery per matching subscription in the transaction of the change;
`deliver_due` sends what is due, one attempt each, through a `Sender` chosen by the URL's scheme
(`http`/`https`: a Standard Webhooks POST; `mailto`: e-mail; SMS would be one more sender). A failed
attempt is retried after `retry_base_s * 2**(attempt - 1)` seconds up to `max_attempts`;
`disable_after` consecutive failures disable the subscription until re-enabled by hand. Every
attempt is logged on the delivery (time, HTTP status, latency, error).
Subscriptions: `services.webhooks`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol
from urllib.parse import urlsplit

from hub_scheduler import load_ids
from hub_scheduler.moments import iso_moment
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.records import (
    AudienceKind,
    DeliveryStatus,
    Event,
    Webhook,
)
from hub_scheduler.services import events as event_service
from hub_scheduler.services.audit import record
from hub_scheduler.services.site import site_timezone
from hub_scheduler.services.webhooks import DeliveryPolicy, host_allowed, host_is_private

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SendResult:
    """One attempt's outcome: `status` the HTTP status (None: no answer), `latency_ms`."""

    ok: bool
    status: int | None
    latency_ms: float
    error: str | None = None


class Sender(Protocol):
    """Sends one message for a subscription (`message_id` stays the same across retries; `body`
    the JSON text). Never raises for a receiver's failure: it says so in the result."""

    def send(self, webhook: Webhook, message_id: str, at: datetime, body: str) -> SendResult: ...


def message_body(event: Event, tz: Any) -> str:
    """The Standard Webhooks payload: `{"type", "timestamp", "data"}`, times in the site's zone.
    Loads are named as the API names them (`load_ids.shown`): an id with its `enterprise_id`, a
    list of loads as `{"load_id", "enterprise_id"}` each; an enterprise's subscription gets only
    its own loads there (the event was cut so when written; this holds for rows stored before)."""
    viewer = event.audience_id if event.audience_kind is AudienceKind.ENTERPRISE else None
    payload = {
        "type": event.type,
        "timestamp": iso_moment(event.at, tz),
        "data": {
            **load_ids.shown(event.data, viewer),
            "event_id": event.id,
            "audience": {"kind": event.audience_kind.value, "id": event.audience_id},
        },
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def retry_delay(policy: DeliveryPolicy, attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt: exponential backoff."""
    return timedelta(seconds=policy.retry_base_s * 2 ** max(0, attempts - 1))


def deliver_one(
    uow: UnitOfWork,
    delivery_id: int,
    senders: Mapping[str, Sender],
    policy: DeliveryPolicy,
    observe: Callable[[str], None] | None = None,
    *,
    claimed: bool = False,
) -> DeliveryStatus | None:
    """Claim one due delivery (unless `claimed` already) and make one attempt; None when another
    sender claimed it."""
    with uow:
        if not claimed:
            if not uow.webhooks.claim(delivery_id):
                return None
            uow.commit()
        delivery = uow.webhooks.get_delivery(delivery_id)
        assert delivery is not None
        webhook = uow.webhooks.get(delivery.webhook_id)
        event = uow.events.get(delivery.event_id)
        tz = site_timezone(uow)
    now = event_service.utc_now()
    if webhook is None or event is None or not webhook.enabled:
        why = "the subscription is disabled" if webhook is not None else "no subscription"
        with uow:
            uow.webhooks.update_delivery(
                delivery.model_copy(
                    update={
                        "status": DeliveryStatus.FAILED,
                        "log": [
                            *delivery.log,
                            {"at": now.isoformat(), "status": None, "latency_ms": 0, "error": why},
                        ],
                    }
                )
            )
            uow.commit()
        if observe:
            observe("skipped")
        return DeliveryStatus.FAILED
    scheme = urlsplit(webhook.url).scheme
    sender = senders.get(scheme)
    if sender is None:
        result = SendResult(False, None, 0.0, f"no sender for {scheme}: addresses")
    elif (
        scheme in ("http", "https")
        and not policy.allow_private
        and host_is_private(urlsplit(webhook.url).hostname or "")
    ):
        result = SendResult(False, None, 0.0, "the address resolves to a private address now")
    elif scheme in ("http", "https") and not host_allowed(
        urlsplit(webhook.url).hostname or "", policy.allowed_hosts
    ):
        result = SendResult(False, None, 0.0, "the host is no longer on the allow-list")
    else:
        try:
            result = sender.send(webhook, event.id, now, message_body(event, tz))
        except Exception as exc:  # a sender's bug must not leave the delivery `sending`
            log.exception("webhook sender crashed")
            result = SendResult(False, None, 0.0, f"{type(exc).__name__}: {exc}")
    attempts = delivery.attempts + 1
    entry = {
        "at": iso_moment(now, tz),
        "status": result.status,
        "latency_ms": round(result.latency_ms, 1),
        "error": result.error,
    }
    log.info(
        "webhook %s delivery %s attempt %s: %s %s in %.0f ms",
        webhook.id,
        delivery_id,
        attempts,
        result.status,
        result.error or "ok",
        result.latency_ms,
    )
    with uow:
        webhook = uow.webhooks.get(delivery.webhook_id)  # fresh: other deliveries count failures
        assert webhook is not None
        if result.ok:
            status = DeliveryStatus.SUCCEEDED
            outcome = "succeeded"
            webhook = webhook.model_copy(update={"failures": 0})
        else:
            failures = webhook.failures + 1
            update: dict[str, Any] = {"failures": failures}
            if failures >= policy.disable_after and webhook.enabled:
                update |= {
                    "enabled": False,
                    "disabled_reason": f"{failures} failed attempts in a row",
                }
                record(
                    uow,
                    "system",
                    "webhook.disable",
                    "webhook",
                    str(webhook.id),
                    {"failures": failures, "last_error": result.error, "status": result.status},
                )
            webhook = webhook.model_copy(update=update)
            if attempts >= policy.max_attempts or not webhook.enabled:
                status, outcome = DeliveryStatus.FAILED, "failed"
            else:
                status, outcome = DeliveryStatus.PENDING, "retry"
        uow.webhooks.update(webhook)
        uow.webhooks.update_delivery(
            delivery.model_copy(
                update={
                    "status": status,
                    "attempts": attempts,
                    "next_attempt_at": event_service.utc_now() + retry_delay(policy, attempts)
                    if status is DeliveryStatus.PENDING
                    else delivery.next_attempt_at,
                    "log": [*delivery.log, entry],
                }
            )
        )
        uow.commit()
    if observe:
        observe(outcome)
    return status


def deliver_due(
    uow_factory: Callable[[], UnitOfWork],
    senders: Mapping[str, Sender],
    policy: DeliveryPolicy,
    observe: Callable[[str], None] | None = None,
) -> datetime | None:
    """Send every delivery due now (one attempt each); returns when the next one is due."""
    while True:
        uow = uow_factory()
        with uow:
            due = uow.webhooks.due(event_service.utc_now())
            # One claim for the batch: one short write, not one per delivery (on SQLite every
            # write waits for the single lock; a burst of events felt it).
            mine = uow.webhooks.claim_many(due)
            uow.commit()
        if not due:
            break

        def attempt(delivery_id: int) -> DeliveryStatus | None:
            return deliver_one(uow_factory(), delivery_id, senders, policy, observe, claimed=True)

        # A few at once: one slow receiver must not hold up everyone else's events.
        with ThreadPoolExecutor(max_workers=8, thread_name_prefix="webhook") as pool:
            list(pool.map(attempt, mine))
    uow = uow_factory()
    with uow:
        return uow.webhooks.next_due()
