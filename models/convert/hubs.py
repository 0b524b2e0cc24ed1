"""Hubs (zones, docks, opening hours, blocked windows) and enterprises: rows <-> domain objects."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row

from hub_scheduler.domain import (
    BlockedWindow,
    Dock,
    Enterprise,
    Hub,
    HubKind,
    HubStatus,
    Location,
    OpeningPeriod,
    Temperature,
    Zone,
)
from models.convert.common import enum_str, extra_of
from models.tables import (
    BlockedWindowRow,
    DockRow,
    EnterpriseRow,
    HubRow,
    OpeningHoursRow,
    ZoneRow,
)

# --- hubs -----------------------------------------------------------------------------------------


def fill_hub_row(row: HubRow, hub: Hub) -> HubRow:
    """Copy `hub` with its zones, docks, opening hours and blocked windows onto `row`.

    Child collections are appended to; a caller updating a hub clears them (and flushes) first.
    """
    row.id = hub.id
    row.name = hub.name
    row.kind = enum_str(hub.kind)
    row.status = enum_str(hub.status)
    row.lat = hub.location.lat if hub.location else None
    row.lon = hub.location.lon if hub.location else None
    row.always_open = hub.opening_hours is None
    row.disinfection_minutes = hub.disinfection_minutes
    row.max_trucks_on_site = hub.max_trucks_on_site
    row.slot_minutes = hub.slot_minutes
    row.extra = extra_of(hub)
    for position, zone in enumerate(hub.zones):
        zone_row = ZoneRow(
            id=zone.id,
            position=position,
            temperature=enum_str(zone.temperature),
            crews=zone.crews,
            disinfection_minutes=zone.disinfection_minutes,
            extra=extra_of(zone),
        )
        zone_row.docks = [
            DockRow(hub_id=hub.id, id=dock.id, position=i, extra=extra_of(dock))
            for i, dock in enumerate(zone.docks)
        ]
        row.zones.append(zone_row)
    for position, period in enumerate(hub.opening_hours or []):
        row.opening_hours.append(
            OpeningHoursRow(position=position, start=period.start, end=period.end)
        )
    for window in hub.blocked:
        row.blocked.append(blocked_window_row(window))
    return row


def blocked_window_row(window: BlockedWindow) -> BlockedWindowRow:
    return BlockedWindowRow(
        window_id=window.id,
        start=window.start,
        end=window.end,
        zone_id=window.zone_id,
        dock_id=window.dock_id,
        reason=window.reason,
        extra={**extra_of(window), **_reason_code_of(window)},
    )


def _reason_code_of(window: BlockedWindow) -> dict[str, Any]:
    # The code and its params ride in the JSON `extra` column: no schema change for them.
    if window.reason_code is None and not window.reason_params:
        return {}
    return {"reason_code": window.reason_code, "reason_params": dict(window.reason_params)}


def blocked_window_from_row(row: BlockedWindowRow) -> BlockedWindow:
    return BlockedWindow(
        id=row.window_id,
        start=row.start,
        end=row.end,
        zone_id=row.zone_id,
        dock_id=row.dock_id,
        reason=row.reason,
        **(row.extra or {}),
    )


def hub_from_row(row: HubRow) -> Hub:
    location = (
        Location(lat=row.lat, lon=row.lon) if row.lat is not None and row.lon is not None else None
    )
    opening = (
        None
        if row.always_open
        else [OpeningPeriod(start=p.start, end=p.end) for p in row.opening_hours]
    )
    return Hub(
        id=row.id,
        name=row.name,
        kind=HubKind(row.kind),
        status=HubStatus(row.status),
        location=location,
        opening_hours=opening,
        disinfection_minutes=row.disinfection_minutes,
        max_trucks_on_site=row.max_trucks_on_site,
        slot_minutes=row.slot_minutes,
        blocked=[blocked_window_from_row(b) for b in row.blocked],
        zones=[
            Zone(
                id=z.id,
                temperature=Temperature(z.temperature),
                crews=z.crews,
                disinfection_minutes=z.disinfection_minutes,
                docks=[Dock(id=d.id, **(d.extra or {})) for d in z.docks],
                **(z.extra or {}),
            )
            for z in row.zones
        ],
        **(row.extra or {}),
    )


# --- enterprises ----------------------------------------------------------------------------------


def fill_enterprise_row(row: EnterpriseRow, enterprise: Enterprise) -> EnterpriseRow:
    row.id = enterprise.id
    row.name = enterprise.name
    row.whitelisted = enterprise.whitelisted
    row.tier = enterprise.tier
    row.valid_from = enterprise.valid_from
    row.valid_until = enterprise.valid_until
    row.extra = extra_of(enterprise)
    return row


def enterprise_from_row(row: EnterpriseRow | Row[Any]) -> Enterprise:
    return Enterprise(
        id=row.id,
        name=row.name,
        whitelisted=row.whitelisted,
        tier=row.tier,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        **(row.extra or {}),
    )
