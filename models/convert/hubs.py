"""Hubs (zones, docks, opening hours, blocked windows) and enterprises: rows <-> domain objects."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row

from hub_scheduler.domain import (
    BlockedWindow,
    Dock,
    Enterprise,
    Hub,
    Location,
    OpeningPeriod,
    Zone,
)
from models.convert.common import column_values, extra_of, fill_row, record_from_row
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
    fill_row(
        row,
        hub,
        id=hub.id,
        lat=hub.location.lat if hub.location else None,
        lon=hub.location.lon if hub.location else None,
        always_open=hub.opening_hours is None,
        extra=extra_of(hub),
    )
    for position, zone in enumerate(hub.zones):
        zone_row = ZoneRow(
            **column_values(zone, ZoneRow, id=zone.id, position=position, extra=extra_of(zone))
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
        **column_values(
            window,
            BlockedWindowRow,
            window_id=window.id,
            extra={**extra_of(window), **_reason_code_of(window)},
        )
    )


def _reason_code_of(window: BlockedWindow) -> dict[str, Any]:
    # The code and its params ride in the JSON `extra` column: no schema change for them.
    if window.reason_code is None and not window.reason_params:
        return {}
    return {"reason_code": window.reason_code, "reason_params": dict(window.reason_params)}


def blocked_window_from_row(row: BlockedWindowRow) -> BlockedWindow:
    return record_from_row(BlockedWindow, row, id=row.window_id, **(row.extra or {}))


def hub_from_row(row: HubRow) -> Hub:
    location = (
        Location(lat=row.lat, lon=row.lon) if row.lat is not None and row.lon is not None else None
    )
    opening = (
        None
        if row.always_open
        else [OpeningPeriod(start=p.start, end=p.end) for p in row.opening_hours]
    )
    return record_from_row(
        Hub,
        row,
        location=location,
        opening_hours=opening,
        blocked=[blocked_window_from_row(b) for b in row.blocked],
        zones=[
            record_from_row(
                Zone,
                z,
                docks=[Dock(id=d.id, **(d.extra or {})) for d in z.docks],
                **(z.extra or {}),
            )
            for z in row.zones
        ],
        **(row.extra or {}),
    )


# --- enterprises ----------------------------------------------------------------------------------


def fill_enterprise_row(row: EnterpriseRow, enterprise: Enterprise) -> EnterpriseRow:
    return fill_row(row, enterprise, id=enterprise.id, extra=extra_of(enterprise))


def enterprise_from_row(row: EnterpriseRow | Row[Any]) -> Enterprise:
    return record_from_row(Enterprise, row, EnterpriseRow, **(row.extra or {}))
