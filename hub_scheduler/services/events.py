"""Events and who gets them (issue 13): a transactional outbox.

`emit(uow, type, audiences, data)` is called inside the transaction of the change it reports
(publishing, the gate, a hub's status, an incident, a repair), so an event exists exactly when its
change was committed. One row is written per audience (an enterprise, a hub's staff, or the
command centre), each with only the data that audience may see: an enterprise gets its own loads
and never another's, nor an incident's personal data. Each enabled webhook of that audience
subscribed to the type gets a pending delivery in the same transaction (`services/webhooks.py`
sends it after the commit). The inbox reads the same rows.

Event payload times are ISO-8601 in the site's zone with the offset.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, tzinfo
from typing import Any

from hub_scheduler import load_ids, load_keys
from hub_scheduler.domain import Assignment, Hub, HubStatus, Load
from hub_scheduler.errors import FieldError, NotFound, ValidationFailed
from hub_scheduler.moments import iso_moment
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.ports.events import Audience
from hub_scheduler.records import AudienceKind, DeliveryStatus, Event, Role, WebhookDelivery
from hub_scheduler.services.principal import Principal
from hub_scheduler.services.site import site_timezone
from hub_scheduler.transitions import ON_SITE, PLANNABLE

SLOT_CONFIRMED = "slot.confirmed"
SLOT_CHANGED = "slot.changed"
SLOT_WITHDRAWN = "slot.withdrawn"
# A publish gave a truck not on site a slot that had already ended: not one to come for.
SLOT_EXPIRED = "slot.expired"
SCREENING_FAILED = "screening.failed"
HUB_STATUS_CHANGED = "hub.status_changed"
INCIDENT_REPORTED = "incident.reported"
# A contact of an open incident (or its positive truck) let in at the gate on an operator's note.
CONTACT_LET_IN = "incident.contact_let_in"
PLAN_PUBLISHED = "plan.published"
REPORT_ANSWERED = "report.answered"
REPORT_RECEIVED = "report.received"

EVENT_TYPES = (
    SLOT_CONFIRMED,
    SLOT_CHANGED,
    SLOT_WITHDRAWN,
    SLOT_EXPIRED,
    SCREENING_FAILED,
    HUB_STATUS_CHANGED,
    INCIDENT_REPORTED,
    CONTACT_LET_IN,
    PLAN_PUBLISHED,
    REPORT_ANSWERED,
    REPORT_RECEIVED,
)

COMMAND: Audience = (AudienceKind.COMMAND.value, None)


def enterprise(enterprise_id: str) -> Audience:
    return (AudienceKind.ENTERPRISE.value, enterprise_id)


def hub(hub_id: str) -> Audience:
    return (AudienceKind.HUB.value, hub_id)


hub_audience = hub  # where a parameter named `hub` hides the function


def utc_now() -> datetime:
    return datetime.now(UTC)


def emit(
    uow: UnitOfWork,
    type: str,
    audiences: Iterable[Audience],
    data: dict[str, Any],
    *,
    at: datetime | None = None,
) -> list[Event]:
    """Inside the open unit of work: one event of `type` per distinct audience, each with `data`
    (the caller has cut it to what that audience may see; an enterprise's row keeps only its own
    loads where `data` names others, `_cut`), and a pending delivery for each
    enabled webhook of that audience subscribed to `type` (or to `*`). Returns the events."""
    if type not in EVENT_TYPES:
        raise ValueError(f"unknown event type {type!r}")
    at = at or utc_now()
    events = []
    for kind, ident in dict.fromkeys(audiences):
        event = uow.events.add(
            Event(
                id=str(uuid.uuid4()),
                type=type,
                at=at,
                audience_kind=AudienceKind(kind),
                audience_id=ident,
                data=_cut(data, AudienceKind(kind), ident),
            )
        )
        events.append(event)
        for webhook in uow.webhooks.list((kind, ident)):
            if webhook.enabled and (type in webhook.events or "*" in webhook.events):
                assert webhook.id is not None
                uow.webhooks.add_delivery(
                    WebhookDelivery(webhook_id=webhook.id, event_id=event.id, next_attempt_at=at)
                )
    return events


def _cut(data: dict[str, Any], kind: AudienceKind, ident: str | None) -> dict[str, Any]:
    """What an audience's row holds of `data`: an enterprise's only its own loads where the data
    names others (a repair's `moved`, the late load a pushed one made room for: `for_load`),
    the others counted (`load_ids.seen_by`); hubs and the command centre see every load."""
    if kind is not AudienceKind.ENTERPRISE:
        return data
    cut: dict[str, Any] = load_ids.seen_by(data, ident or "")
    return cut


def local(tz: tzinfo, at: datetime | None) -> str | None:
    return iso_moment(at, tz) if at is not None else None


def slot_data(a: Assignment | None, tz: tzinfo) -> dict[str, Any] | None:
    """A slot as an enterprise may see it: where and when its own truck goes."""
    if a is None:
        return None
    return {
        "hub_id": a.hub_id,
        "zone_id": a.zone_id,
        "dock_id": a.dock_id,
        "start": local(tz, a.start),
        "end": local(tz, a.end),
    }


def over_when_published(load: Load, slot: Assignment | None, published_at: datetime | None) -> bool:
    """Whether a publish at `published_at` gives a truck not on site a slot that ended by then:
    a plan computed as of an earlier moment (its `now`), published later. No truck can come for
    that slot, so it is announced as `slot.expired`, never as confirmed or as the slot a change
    moves it to (the enterprise would send a truck, or plan on one, for a time that is past).
    A truck on site keeps the slot the gate pinned (H10): that is where it is, not one to come
    for, and is told as before."""
    return (
        published_at is not None
        and slot is not None
        and slot.end <= published_at
        and load.status not in ON_SITE
    )


def emit_slot(
    uow: UnitOfWork,
    load: Load,
    before: Assignment | None,
    after: Assignment | None,
    *,
    reason: dict[str, Any] | None = None,
    plan_id: int | None = None,
    tz: tzinfo | None = None,
    published_at: datetime | None = None,
    staff: bool = True,
) -> None:
    """Tell the load's enterprise that its slot was confirmed (none before), changed or withdrawn
    (none after); nothing when the slot stayed the same. At a publish (`published_at`, its
    moment by the service's clock) a new slot already over is `slot.expired` instead
    (`over_when_published`), with `published_at` in its data. With `staff`, the staff of the hubs
    before and after are told too: a change in the live day (a repair, a late start, a
    cancellation, an incident) changes their gate's list at once. A publish and a hub's switch
    pass `staff=False`: their staff review the plan, or switched the hub, themselves."""

    def key(a: Assignment | None) -> tuple[str, str, datetime] | None:
        return (a.hub_id, a.dock_id, a.start) if a is not None else None

    if key(before) == key(after):
        return
    tz = tz or site_timezone(uow)
    kind = SLOT_CONFIRMED if before is None else SLOT_WITHDRAWN if after is None else SLOT_CHANGED
    data: dict[str, Any] = {
        "load_id": load_keys.local(load.id),  # the id its enterprise wrote, not the key
        "enterprise_id": load.enterprise_id,
        "vehicle_plate": load.vehicle_plate,
        "slot": slot_data(after, tz),
        "previous": slot_data(before, tz),
    }
    if over_when_published(load, after, published_at):
        kind = SLOT_EXPIRED
        data["published_at"] = local(tz, published_at)
    if reason:
        data["reason"] = reason
    if plan_id is not None:
        data["plan_id"] = plan_id
    audiences = [enterprise(load.enterprise_id)]
    if staff:
        audiences += [hub(a.hub_id) for a in (before, after) if a is not None]
    emit(uow, kind, audiences, data)


def hubs_ahead(uow: UnitOfWork, truck: list[Load]) -> list[str]:
    """The "hub ahead" of a positive truck: every hub where the truck holds or held a slot (its
    enterprise's trip), and every hub of a relay partner of its goods (in the plan in force, or
    pinned there)."""
    ids = {ld.id for ld in truck}
    for load in truck:
        for t in uow.transfers.for_load(load.id):
            ids |= {t.inbound, t.outbound}
    found = {p.assignment.hub_id for p in uow.plans.published_assignments(load_ids=sorted(ids))}
    found |= {ld.pinned.hub_id for ld in uow.loads.get_many(ids) if ld.pinned is not None}
    return sorted(found)


def hub_status_changed(uow: UnitOfWork, hub: Hub, before: HubStatus, reason: str) -> None:
    """hub.status_changed to the command centre, the hub, and every enterprise holding a slot
    in force there (public facts only: the hub, its statuses, the reason)."""
    at = utc_now()
    placed = uow.plans.published_assignments(hub_id=hub.id)
    loads = [
        ld
        for ld in uow.loads.get_many(sorted({p.assignment.load_id for p in placed}))
        if ld.status in PLANNABLE or ld.status in ON_SITE
    ]
    data = {
        "hub_id": hub.id,
        "hub_name": hub.name,
        "from": before.value,
        "to": hub.status.value,
        "reason": reason,
    }
    affected = sorted({ld.enterprise_id for ld in loads})
    audiences = [COMMAND, hub_audience(hub.id), *map(enterprise, affected)]
    emit(uow, HUB_STATUS_CHANGED, audiences, data, at=at)


# --- the inbox --------------------------------------------------------------------------------


def audiences_of(
    uow: UnitOfWork, principal: Principal, hub_id: str | None = None
) -> list[Audience]:
    """Whose events a caller reads: an enterprise token its enterprise's; an admin the command
    centre's (or one hub's with `hub_id`); an operator every hub's (or one hub's)."""
    if principal.role is Role.ENTERPRISE:
        if principal.enterprise_id is None:
            return []
        return [enterprise(principal.enterprise_id)]
    if hub_id is not None:
        if uow.hubs.get(hub_id) is None:
            raise ValidationFailed(
                "unknown hub", [FieldError(field="hub_id", message=f'unknown hub "{hub_id}"')]
            )
        return [hub(hub_id)]
    if principal.role is Role.ADMIN:
        return [COMMAND]
    return [hub(h.id) for h in uow.hubs.list()]


def inbox(
    uow: UnitOfWork,
    principal: Principal,
    *,
    hub_id: str | None = None,
    unread: bool | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Event], int, int]:
    """The caller's events newest first, how many match, and how many are unread."""
    with uow:
        audiences = audiences_of(uow, principal, hub_id)
        events = uow.events.list(audiences, unread=unread, limit=limit, offset=offset)
        total = uow.events.count(audiences, unread=unread)
        unread_count = uow.events.count(audiences, unread=True)
    return events, total, unread_count


def unread_count(uow: UnitOfWork, principal: Principal) -> int:
    with uow:
        return uow.events.count(audiences_of(uow, principal), unread=True)


def mark_read(
    uow: UnitOfWork,
    principal: Principal,
    event_ids: list[str] | None,
    *,
    hub_id: str | None = None,
) -> int:
    """Mark the caller's events read (None: all of them); an id that is not the caller's is
    NotFound (another audience's events are never confirmed to exist). Returns how many."""
    with uow:
        audiences = audiences_of(uow, principal, hub_id)
        if event_ids is not None:
            mine = set(audiences)
            for event_id in event_ids:
                event = uow.events.get(event_id)
                if event is None or (event.audience_kind.value, event.audience_id) not in mine:
                    raise NotFound(f'no event "{event_id}"')
        done = uow.events.mark_read(audiences, event_ids, utc_now())
        uow.commit()
    return done


__all__ = ["COMMAND", "EVENT_TYPES", "DeliveryStatus", "emit", "enterprise", "hub"]
