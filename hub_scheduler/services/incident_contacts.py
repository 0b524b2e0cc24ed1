"""A load the command centre traced as a contact of a positive case (services/incidents.py:
the trucks on the positive truck's dock after it, in its zone at the same time, its relay
partners) is not let in at the gate while that incident is open (services/incident_open.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hub_scheduler.ports import UnitOfWork
from hub_scheduler.records import Incident
from hub_scheduler.services.incident_open import still_open

# What the gate may say about a contact: where and why, never who the positive case is (his
# plate, phone or load) nor the contact's own driver's data.
_SHOWN = ("kind", "hub_id", "zone_id", "dock_id", "start", "times")


@dataclass(frozen=True)
class OpenContact:
    """One open incident the load is a contact of: its id, when it was reported, and the
    contact's reason (`kind`: same_dock_after | same_zone_same_time | relay_outbound |
    relay_inbound; hub_id, zone_id, dock_id; start in the site's zone; times: actual | planned)."""

    incident_id: int
    reported_at: datetime
    reason: dict[str, str | None]


def open_contacts_of(uow: UnitOfWork, load_id: str, now: datetime) -> list[OpenContact]:
    """The open incidents at `now` whose traced contacts hold the load `load_id` (its key), the
    oldest first, one entry per incident (its first contact entry for the load). Read inside
    the caller's unit of work."""
    found: list[tuple[Incident, dict]] = []
    for incident in uow.incidents.list(limit=None):
        entry = next((c for c in incident.contacts if c.get("load_id") == load_id), None)
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
