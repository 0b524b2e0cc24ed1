"""The gate's incident rules (services/gate.py `check_in`): a contact of an open incident, or its
positive truck booked again (services/incident_contacts.py), is refused with the reason and
nothing about the positive case; an operator's note lets it in, audited and told at once."""

from __future__ import annotations

from datetime import datetime

from hub_scheduler import load_keys
from hub_scheduler.domain import Load
from hub_scheduler.errors import Conflict, FieldError
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.ports.plans import PlacedLoad
from hub_scheduler.services import events
from hub_scheduler.services.audit import record
from hub_scheduler.services.incident_contacts import POSITIVE_VEHICLE, OpenContact
from hub_scheduler.services.principal import Principal
from hub_scheduler.services.site import site_timezone


def local_time(uow: UnitOfWork, at: datetime) -> str:
    """A gate time as the audit keeps it: in the site's zone, with its offset."""
    return at.astimezone(site_timezone(uow)).isoformat()


def published_slot(uow: UnitOfWork, load_id: str) -> PlacedLoad | None:
    """The load's slot in a published plan (and that plan), if any."""
    placed = uow.plans.published_assignments(load_ids=[load_id])
    return placed[-1] if placed else None


def let_in(
    uow: UnitOfWork,
    principal: Principal,
    load: Load,
    contacts: list[OpenContact],
    note: str,
    at: datetime,
) -> None:
    """An operator lets a contact (or the positive truck) in on a note: audited as
    `load.contact_override`, and the command centre and the slot's hub are told at once
    (`incident.contact_let_in`), since they answer for it."""
    details = {
        "note": note,
        "incident_ids": [c.incident_id for c in contacts],
        "at": local_time(uow, at),
    }
    record(uow, principal.actor, "load.contact_override", "load", load.id, details)
    placed = published_slot(uow, load.id)
    hub_id = placed.assignment.hub_id if placed is not None else None
    data = details | {
        "load_id": load_keys.local(load.id),
        "enterprise_id": load.enterprise_id,
        "vehicle_plate": load.vehicle_plate,
        "kinds": sorted({str(c.reason.get("kind")) for c in contacts}),
        "hub_id": hub_id,
        "actor": principal.actor,
    }
    audiences = [events.COMMAND] + ([events.hub(hub_id)] if hub_id is not None else [])
    events.emit(uow, events.CONTACT_LET_IN, audiences, data)


def refuse_contact(uow: UnitOfWork, load_id: str, contacts: list[OpenContact]) -> None:
    """Raise Conflict (409): the load is a contact of open incidents; one error per incident,
    field `override_note`, code `gate_incident_contact`, params `{incident_id, reported_at,
    kind, hub_id, hub, zone_id, dock_id, start, times}` (times in the site's zone; `hub` the hub's
    name, said in the texts: a gate operator knows 寻乌县物流园接驳点, not XW-LP). Nothing about
    the positive case's truck or driver is said."""
    shown = load_keys.local(load_id)
    first = contacts[0]
    hubs = {h.id: h.name or h.id for h in uow.hubs.list()}

    def hub_name(contact: OpenContact) -> str:
        hub_id = str(contact.reason.get("hub_id") or "")
        return hubs.get(hub_id, hub_id or "-")

    raise Conflict(
        f'load "{shown}" is carried by the positive case\'s own truck of open incident '
        f"{first.incident_id}: it is not checked in; give an override_note to check it in anyway"
        if first.reason.get("kind") == POSITIVE_VEHICLE
        else f'load "{shown}" is a contact of open incident {first.incident_id} at hub '
        f"{hub_name(first)}: it is not checked in; give an override_note to check "
        "it in anyway",
        [
            FieldError(
                field="override_note",
                message=(
                    f"is required: the truck is the positive case's own truck of open incident "
                    f"{c.incident_id}"
                    if c.reason.get("kind") == POSITIVE_VEHICLE
                    else f"is required: the load is a contact of open incident {c.incident_id} "
                    f"at hub {hub_name(c)}"  # the kind's code is in params
                ),
                code=(
                    "gate_positive_vehicle"
                    if c.reason.get("kind") == POSITIVE_VEHICLE
                    else "gate_incident_contact"
                ),
                params={
                    "incident_id": c.incident_id,
                    "reported_at": local_time(uow, c.reported_at),
                    **c.reason,
                    "hub": hub_name(c),
                },
            )
            for c in contacts
        ],
    )
