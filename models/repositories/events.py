"""The events outbox and webhook subscriptions with their deliveries."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select, update

from hub_scheduler.ports.events import Audience
from hub_scheduler.records import (
    DeliveryStatus,
    Event,
    Webhook,
    WebhookDelivery,
)
from models.convert import column_value, column_values, fill_row, record_from_row
from models.repositories.base import Repository, flush, paged
from models.tables import EventRow, WebhookDeliveryRow, WebhookRow

OUTBOX_FLAG = "hub_scheduler_outbox"  # session.info: this transaction wrote deliveries


def _event(row: EventRow) -> Event:
    # The command centre's events keep "" as their audience id (a key column has no NULL).
    return record_from_row(Event, row, audience_id=row.audience_id or None)


def _for(audiences: Iterable[Audience]) -> Any:
    terms = [
        and_(EventRow.audience_kind == str(kind), EventRow.audience_id == (ident or ""))
        for kind, ident in audiences
    ]
    return or_(*terms) if terms else EventRow.id.is_(None)


class SqlEventRepository(Repository):
    def add(self, event: Event) -> Event:
        self.session.add(
            EventRow(
                **column_values(event, EventRow, id=event.id, audience_id=event.audience_id or "")
            )
        )
        flush(self.session, f"event {event.id}")
        return event

    def get(self, event_id: str) -> Event | None:
        row = self.session.get(EventRow, event_id)
        return _event(row) if row is not None else None

    def list(
        self,
        audiences: Iterable[Audience],
        *,
        unread: bool | None = None,
        limit: int | None = 100,
        offset: int = 0,
    ) -> builtins.list[Event]:
        query = select(EventRow).where(_for(audiences))
        if unread is not None:
            query = query.where(
                EventRow.read_at.is_(None) if unread else EventRow.read_at.isnot(None)
            )
        query = query.order_by(EventRow.at.desc(), EventRow.id.desc())
        return [_event(r) for r in self.session.scalars(paged(query, limit, offset))]

    def count(self, audiences: Iterable[Audience], *, unread: bool | None = None) -> int:
        query = select(func.count()).select_from(EventRow).where(_for(audiences))
        if unread is not None:
            query = query.where(
                EventRow.read_at.is_(None) if unread else EventRow.read_at.isnot(None)
            )
        return int(self.session.scalar(query) or 0)

    def mark_read(
        self, audiences: Iterable[Audience], event_ids: Iterable[str] | None, at: datetime
    ) -> int:
        query = update(EventRow).where(_for(audiences), EventRow.read_at.is_(None))
        if event_ids is not None:
            query = query.where(EventRow.id.in_(list(event_ids)))
        result = self.session.execute(query.values(read_at=at))
        self.session.flush()
        return int(getattr(result, "rowcount", 0) or 0)


def _webhook(row: WebhookRow) -> Webhook:
    return record_from_row(Webhook, row, owner_id=row.owner_id or None)


def _fill_webhook(row: WebhookRow, webhook: Webhook) -> WebhookRow:
    return fill_row(row, webhook, owner_id=webhook.owner_id or "")


def _delivery(row: WebhookDeliveryRow) -> WebhookDelivery:
    return record_from_row(WebhookDelivery, row)


class SqlWebhookRepository(Repository):
    def add(self, webhook: Webhook) -> Webhook:
        row = _fill_webhook(WebhookRow(), webhook)
        self.session.add(row)
        flush(self.session, "webhook")
        return _webhook(row)

    def get(self, webhook_id: int) -> Webhook | None:
        row = self.session.get(WebhookRow, webhook_id)
        return _webhook(row) if row is not None else None

    def list(self, owner: Audience | None = None) -> builtins.list[Webhook]:
        query = select(WebhookRow).order_by(WebhookRow.id)
        if owner is not None:
            query = query.where(
                WebhookRow.owner_kind == str(owner[0]), WebhookRow.owner_id == (owner[1] or "")
            )
        return [_webhook(r) for r in self.session.scalars(query)]

    def update(self, webhook: Webhook) -> Webhook:
        row = self._stored(WebhookRow, webhook.id, f"webhook {webhook.id}")
        _fill_webhook(row, webhook)
        flush(self.session, f"webhook {webhook.id}")
        return _webhook(row)

    def remove(self, webhook_id: int) -> bool:
        row = self.session.get(WebhookRow, webhook_id)
        if row is None:
            return False
        for delivery in self.session.scalars(
            select(WebhookDeliveryRow).where(WebhookDeliveryRow.webhook_id == webhook_id)
        ):
            self.session.delete(delivery)
        self.session.delete(row)
        self.session.flush()
        return True

    def add_delivery(self, delivery: WebhookDelivery) -> WebhookDelivery:
        row = WebhookDeliveryRow(**column_values(delivery, WebhookDeliveryRow))
        self.session.add(row)
        flush(self.session, "webhook delivery")
        self.session.info[OUTBOX_FLAG] = True
        return _delivery(row)

    def get_delivery(self, delivery_id: int) -> WebhookDelivery | None:
        row = self.session.get(WebhookDeliveryRow, delivery_id)
        return _delivery(row) if row is not None else None

    def update_delivery(self, delivery: WebhookDelivery) -> WebhookDelivery:
        row = self._stored(WebhookDeliveryRow, delivery.id, f"webhook delivery {delivery.id}")
        # Its webhook and event stay as they were stored.
        for column in ("status", "attempts", "next_attempt_at", "log"):
            setattr(row, column, column_value(getattr(delivery, column)))
        flush(self.session, f"webhook delivery {delivery.id}")
        if delivery.status is DeliveryStatus.PENDING:
            self.session.info[OUTBOX_FLAG] = True
        return _delivery(row)

    def due(self, at: datetime, limit: int = 100) -> builtins.list[int]:
        query = (
            select(WebhookDeliveryRow.id)
            .where(
                WebhookDeliveryRow.status == DeliveryStatus.PENDING.value,
                WebhookDeliveryRow.next_attempt_at <= at,
            )
            .order_by(WebhookDeliveryRow.next_attempt_at, WebhookDeliveryRow.id)
            .limit(limit)
        )
        return list(self.session.scalars(query))

    def next_due(self) -> datetime | None:
        return self.session.scalar(
            select(func.min(WebhookDeliveryRow.next_attempt_at)).where(
                WebhookDeliveryRow.status == DeliveryStatus.PENDING.value
            )
        )

    def claim(self, delivery_id: int) -> bool:
        result = self.session.execute(
            update(WebhookDeliveryRow)
            .where(
                WebhookDeliveryRow.id == delivery_id,
                WebhookDeliveryRow.status == DeliveryStatus.PENDING.value,
            )
            .values(status=DeliveryStatus.SENDING.value)
        )
        self.session.flush()
        return bool(getattr(result, "rowcount", 0))

    def claim_many(self, delivery_ids: Iterable[int]) -> builtins.list[int]:
        ids = list(delivery_ids)
        if not ids:
            return []
        got = self.session.scalars(
            update(WebhookDeliveryRow)
            .where(
                WebhookDeliveryRow.id.in_(ids),
                WebhookDeliveryRow.status == DeliveryStatus.PENDING.value,
            )
            .values(status=DeliveryStatus.SENDING.value)
            .returning(WebhookDeliveryRow.id)
        ).all()
        self.session.flush()
        return sorted(got)

    def deliveries(self, webhook_id: int, limit: int | None = 50) -> builtins.list[WebhookDelivery]:
        query = (
            select(WebhookDeliveryRow)
            .where(WebhookDeliveryRow.webhook_id == webhook_id)
            .order_by(WebhookDeliveryRow.id.desc())
        )
        return [_delivery(r) for r in self.session.scalars(paged(query, limit, 0))]
