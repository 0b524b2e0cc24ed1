"""A plan as a gate timetable: per hub and dock, in start order, who comes, what it carries."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from hub_scheduler.domain import Scenario, Schedule
from hub_scheduler.sheets.table import Table

TIMETABLE_COLUMNS = (
    "hub_id",
    "hub_name",
    "zone_id",
    "temperature",
    "dock_id",
    "start",
    "end",
    "disinfected_at",
    "load_id",
    "enterprise_id",
    "enterprise_name",
    "vehicle_plate",
    "category",
    "handling_minutes",
    "relay",
)


def _relay_notes(scenario: Scenario) -> dict[str, str]:
    """'inbound for L12' / 'outbound after L11', so the gate knows which trucks must not meet."""
    notes: dict[str, list[str]] = {}
    for t in scenario.transfers:
        notes.setdefault(t.inbound, []).append(f"inbound for {t.outbound}")
        notes.setdefault(t.outbound, []).append(f"outbound after {t.inbound}")
    return {k: "; ".join(v) for k, v in notes.items()}


def timetable_tables(schedule: Schedule, scenario: Scenario) -> list[Table]:
    """One table per hub of the scenario, in order (empty when nothing is planned there)."""
    tz = ZoneInfo(scenario.timezone)
    loads = {ld.id: ld for ld in scenario.loads}
    enterprises = {e.id: e for e in scenario.enterprises}
    relay = _relay_notes(scenario)
    hubs = {h.id: h for h in scenario.hubs}
    rows_by_hub: dict[str, list[tuple]] = {h.id: [] for h in scenario.hubs}
    # docks in the order the hub lists them (LP-AMB2 before LP-AMB10), unknown docks last
    dock_order: dict[str, int] = {}
    for dock in (d for h in scenario.hubs for z in h.zones for d in z.docks):
        dock_order.setdefault(dock.id, len(dock_order))
    for a in schedule.assignments:
        hub = hubs.get(a.hub_id)
        zone = hub.zone(a.zone_id) if hub else None
        load = loads.get(a.load_id)
        enterprise = enterprises.get(load.enterprise_id) if load else None
        row = [
            a.hub_id,
            hub.name if hub else "",
            a.zone_id,
            zone.temperature.value if zone else "",
            a.dock_id,
            a.start.astimezone(tz).isoformat(),
            a.end.astimezone(tz).isoformat(),
            a.disinfected_at.astimezone(tz).isoformat(),
            a.load_id,
            load.enterprise_id if load else "",
            enterprise.name if enterprise else "",
            (load.vehicle_plate or "") if load else "",
            load.category.value if load else "",
            load.handling_minutes if load else "",
            relay.get(a.load_id, ""),
        ]
        rows_by_hub.setdefault(a.hub_id, []).append(
            (dock_order.get(a.dock_id, len(dock_order)), a.dock_id, a.start, a.load_id, row)
        )
    tables = []
    for hub_id, rows in rows_by_hub.items():
        rows.sort(key=lambda r: r[:4])
        tables.append(
            Table(title=hub_id, header=list(TIMETABLE_COLUMNS), rows=[r[4] for r in rows])
        )
    if not tables:
        tables.append(Table(title="timetable", header=list(TIMETABLE_COLUMNS)))
    return tables
