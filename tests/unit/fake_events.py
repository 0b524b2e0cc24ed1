"""The in-memory event (outbox) and webhook repositories of `tests/unit/fakes.py`."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from datetime import datetime

from hub_scheduler.records import (
    DeliveryStatus,
    Event,
    Webhook,
    WebhookDelivery,
)
from tests.unit.fake_base import FakeRepository
from tests.unit.fake_plans import detached, page


def _mine(event: Event, audiences: Iterable[tuple[str, str | None]]) -> bool:
    return (event.audience_kind.value, event.audience_id) in set(audiences)


class FakeEventRepository(FakeRepository):
    def add(self, event: Event) -> Event:
        self._state.events[event.id] = event.model_copy(deep=True)
        return detached(event)

    def get(self, event_id: str) -> Event | None:
        return self._found(self._state.events, event_id)

    def list(self, audiences, *, unread=None, limit=100, offset=0) -> builtins.list[Event]:
        audiences = builtins.list(audiences)
        found = [
            e
            for e in self._state.events.values()
            if _mine(e, audiences) and (unread is None or (e.read_at is None) == unread)
        ]
        found.sort(key=lambda e: (e.at, e.id), reverse=True)
        return [detached(e) for e in page(found, limit, offset)]

    def count(self, audiences, *, unread=None) -> int:
        return len(self.list(audiences, unread=unread, limit=None))

    def mark_read(self, audiences, event_ids, at) -> int:
        wanted = None if event_ids is None else set(event_ids)
        done = 0
        for e in self.list(audiences, unread=True, limit=None):
            if wanted is None or e.id in wanted:
                self._state.events[e.id] = e.model_copy(update={"read_at": at})
                done += 1
        return done


class FakeWebhookRepository(FakeRepository):
    def add(self, webhook: Webhook) -> Webhook:
        return self._insert(self._state.webhooks, "webhooks", webhook, deep=True)

    def get(self, webhook_id: int) -> Webhook | None:
        return self._found(self._state.webhooks, webhook_id)

    def list(self, owner=None) -> builtins.list[Webhook]:
        return [
            detached(w)
            for _, w in sorted(self._state.webhooks.items())
            if owner is None or (w.owner_kind.value, w.owner_id) == tuple(owner)
        ]

    def update(self, webhook: Webhook) -> Webhook:
        missing = f"no webhook {webhook.id}"
        return self._replace(self._state.webhooks, webhook.id, webhook, missing, deep=True)

    def remove(self, webhook_id: int) -> bool:
        for i, d in builtins.list(self._state.deliveries.items()):
            if d.webhook_id == webhook_id:
                del self._state.deliveries[i]
        return self._state.webhooks.pop(webhook_id, None) is not None

    def add_delivery(self, delivery: WebhookDelivery) -> WebhookDelivery:
        return self._insert(self._state.deliveries, "deliveries", delivery, deep=True)

    def get_delivery(self, delivery_id: int) -> WebhookDelivery | None:
        return self._found(self._state.deliveries, delivery_id)

    def update_delivery(self, delivery: WebhookDelivery) -> WebhookDelivery:
        missing = f"no webhook delivery {delivery.id}"
        return self._replace(self._state.deliveries, delivery.id, delivery, missing, deep=True)

    def _pending(self) -> builtins.list[WebhookDelivery]:
        return sorted(
            (d for d in self._state.deliveries.values() if d.status is DeliveryStatus.PENDING),
            key=lambda d: (d.next_attempt_at, d.id),
        )

    def due(self, at: datetime, limit: int = 100) -> builtins.list[int]:
        return [d.id for d in self._pending() if d.id is not None and d.next_attempt_at <= at][
            :limit
        ]

    def next_due(self) -> datetime | None:
        pending = self._pending()
        return pending[0].next_attempt_at if pending else None

    def claim(self, delivery_id: int) -> bool:
        found = self._state.deliveries.get(delivery_id)
        if found is None or found.status is not DeliveryStatus.PENDING:
            return False
        self._state.deliveries[delivery_id] = found.model_copy(
            update={"status": DeliveryStatus.SENDING}
        )
        return True

    def claim_many(self, delivery_ids) -> builtins.list[int]:
        return [i for i in delivery_ids if self.claim(i)]

    def deliveries(self, webhook_id: int, limit: int | None = 50) -> builtins.list[WebhookDelivery]:
        found = [
            d
            for _, d in sorted(self._state.deliveries.items(), reverse=True)
            if d.webhook_id == webhook_id
        ]
        return [detached(d) for d in page(found, limit, 0)]
