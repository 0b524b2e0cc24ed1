"""Events for their audiences (the outbox and inbox) and the webhooks that deliver them."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

from hub_scheduler.records import Event, Webhook, WebhookDelivery

Audience = tuple[str, str | None]  # (AudienceKind value, enterprise or hub id; None: command)


class EventRepository(Protocol):
    """The outbox: one row per event and audience, never changed but for `read_at`."""

    def add(self, event: Event) -> Event: ...
    def get(self, event_id: str) -> Event | None: ...
    def list(
        self,
        audiences: Iterable[Audience],
        *,
        unread: bool | None = None,
        limit: int | None = 100,
        offset: int = 0,
    ) -> builtins.list[Event]:
        """The audiences' events, newest first; `unread` True: only those not yet read."""

    def count(self, audiences: Iterable[Audience], *, unread: bool | None = None) -> int: ...
    def mark_read(
        self, audiences: Iterable[Audience], event_ids: Iterable[str] | None, at: datetime
    ) -> int:
        """Mark these (None: all) of the audiences' unread events read; how many were."""


class WebhookRepository(Protocol):
    """Subscriptions and their deliveries."""

    def add(self, webhook: Webhook) -> Webhook: ...
    def get(self, webhook_id: int) -> Webhook | None: ...
    def list(self, owner: Audience | None = None) -> builtins.list[Webhook]:
        """Every subscription (None), or one owner's, oldest first."""

    def update(self, webhook: Webhook) -> Webhook: ...
    def remove(self, webhook_id: int) -> bool: ...
    def add_delivery(self, delivery: WebhookDelivery) -> WebhookDelivery: ...
    def get_delivery(self, delivery_id: int) -> WebhookDelivery | None: ...
    def update_delivery(self, delivery: WebhookDelivery) -> WebhookDelivery: ...
    def due(self, at: datetime, limit: int = 100) -> builtins.list[int]:
        """Ids of pending deliveries whose next attempt is due at `at`, oldest first."""

    def next_due(self) -> datetime | None:
        """When the earliest pending delivery is due (None: none is pending)."""

    def claim(self, delivery_id: int) -> bool:
        """pending -> sending, conditionally: True for the one sender that got it."""

    def claim_many(self, delivery_ids: Iterable[int]) -> builtins.list[int]:
        """`claim` for many in one statement: the ids this sender got."""

    def deliveries(self, webhook_id: int, limit: int | None = 50) -> builtins.list[WebhookDelivery]:
        """A subscription's deliveries, newest first."""
