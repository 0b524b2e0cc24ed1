"""A load the command centre traced as a contact of a positive case (services/incidents.py:
the trucks on the positive truck's dock after it, in its zone at the same time, its relay
partners) is not let in at the gate while that incident is open (services/incident_open.py);
nor is the positive truck itself, booked again under a new load (kind `positive_vehicle`: the
incident cancelled its loads, but a load submitted after it carries the same plate)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hub_scheduler.ports import UnitOfWork
from hub_scheduler.records import Incident
from hub_scheduler.services.incident_open import still_open
from hub_scheduler.values import plate_key

# What the gate may say about a contact: where and why, never who the positive case is (his
# plate, phone or load) nor the contact's own driver's data.
_SHOWN = ("kind", "hub_id", "zone_id", "dock_id", "start", "times")


POSITIVE_VEHICLE = "positive_vehicle"


@dataclass(frozen=True)
class OpenContact:
    """One open incident the load is a contact of: its id, when it was reported, and the
    contact's reason (`kind`: same_dock_after | same_zone_same_time | relay_outbound |
    relay_inbound; hub_id, zone_id, dock_id; start in the site's zone; times: actual | planned)."""

    incident_id: int
    reported_at: datetime
    reason: dict[str, str | None]


def open_contacts_of(
    uow: UnitOfWork, load_id: str, now: datetime, vehicle_plate: str | None = None
) -> list[OpenContact]:
    """The open incidents at `now` whose traced contacts hold the load `load_id` (its key), or
    whose positive truck is `vehicle_plate` (compared as `values.plate_key`; kind
    `positive_vehicle`, no place), the oldest first, one entry per incident (its first contact
    entry for the load). Read inside the caller's unit of work."""
    found: list[tuple[Incident, dict]] = []
    for incident in uow.incidents.list(limit=None):
        entry = next((c for c in incident.contacts if c.get("load_id") == load_id), None)
        if entry is None and vehicle_plate and _is_positive_truck(uow, incident, vehicle_plate):
            entry = {"kind": POSITIVE_VEHICLE}
        if entry is not None:
            found.append((incident, entry))
    open_ids = {i.id for i in still_open(uow, [i for i, _ in found], now)}
    return sorted(
        (
            OpenContact(
                incident_id=incident.id or 0,
                reported_at=incident.reported_at,
                reason={k: entry.get(k) for k in _SHOWN},
            )
            for incident, entry in found
            if incident.id in open_ids
        ),
        key=lambda c: (c.reported_at, c.incident_id),
    )


def _is_positive_truck(uow: UnitOfWork, incident: Incident, vehicle_plate: str) -> bool:
    """Whether `vehicle_plate` is the incident's positive truck: the plate it was reported by,
    else the plate of the load it was reported by."""
    plate = incident.vehicle_plate
    if plate is None and incident.load_id is not None:
        reported = uow.loads.get(incident.load_id)
        plate = reported.vehicle_plate if reported is not None else None
    return bool(plate) and plate_key(plate or "") == plate_key(vehicle_plate)
