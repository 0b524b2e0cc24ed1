"""Public information (issue 13): which hubs are open, standby or suspended, their opening hours
today, their cold and ambient zones and when their status last changed; for anyone, no sign-in.

Only public facts leave here: no loads, enterprises, plates, blocked windows, incident details or
the reason a hub was switched (that reason may name a positive truck). A suspended hub reads as
closed with the time of the change, nothing more.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hub_scheduler import facts
from hub_scheduler.domain import Hub, HubStatus, Temperature
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.services.site import site_timezone

# The audit actions that switch a hub's status: a switch (services/hubs.py) and the command
# centre's activation of standby hubs (services/activations.py).
STATUS_ACTIONS = ("hub.status", "hub.activate")


def _status_changed_at(uow: UnitOfWork, hub_id: str) -> datetime | None:
    found = [
        entry.at
        for action in STATUS_ACTIONS
        for entry in uow.audit.list(limit=1, action=action, target_type="hub", target_id=hub_id)
    ]
    return max(found, default=None)


def _open_at(hub: Hub, tz: ZoneInfo, at: datetime) -> bool:
    if hub.status is not HubStatus.ACTIVE:
        return False
    local = at.astimezone(tz).date()
    periods = facts.opening_periods(hub, tz, local - timedelta(days=1), local)
    return periods is None or any(a <= at < b for a, b in periods)


def public_hub(hub: Hub, tz: ZoneInfo, at: datetime, changed_at: datetime | None) -> dict[str, Any]:
    """One hub as the public sees it; times are ISO-8601 in the site's zone `tz`.

    `hours_today`: the opening periods that begin on today's local date (`[]` when suspended,
    None when always open); `zones`: each zone's temperature (`cold`/`ambient`) and dock count."""
    suspended = hub.status is HubStatus.SUSPENDED
    today = at.astimezone(tz).date()
    periods = facts.opening_periods(hub, tz, today, today)
    hours = (
        []
        if suspended
        else None
        if periods is None
        else [
            {"start": a.astimezone(tz).isoformat(), "end": b.astimezone(tz).isoformat()}
            for a, b in periods
        ]
    )
    return {
        "id": hub.id,
        "name": hub.name,
        "kind": hub.kind.value,
        "status": hub.status.value,
        "open_now": _open_at(hub, tz, at),
        "always_open": hub.opening_hours is None and not suspended,
        "hours_today": hours,
        "zones": [
            {"id": z.id, "temperature": z.temperature.value, "docks": len(z.docks)}
            for z in hub.zones
        ],
        "cold_zones": sum(z.temperature is Temperature.COLD for z in hub.zones),
        "ambient_zones": sum(z.temperature is Temperature.AMBIENT for z in hub.zones),
        "status_changed_at": changed_at.astimezone(tz).isoformat() if changed_at else None,
    }


def public_hubs(uow: UnitOfWork, at: datetime | None = None) -> dict[str, Any]:
    """Every hub's public facts as of `at` (now): `{"at", "timezone", "hubs": [...]}`, hubs in
    id order (see `public_hub`)."""
    at = at or datetime.now(UTC)
    with uow:
        tz = site_timezone(uow)
        hubs = sorted(uow.hubs.list(), key=lambda h: h.id)
        changed = {h.id: _status_changed_at(uow, h.id) for h in hubs}
    return {
        "at": at.astimezone(tz).isoformat(),
        "timezone": str(tz),
        "hubs": [public_hub(h, tz, at, changed[h.id]) for h in hubs],
    }
