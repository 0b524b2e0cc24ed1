"""A plan as a gate timetable: per hub and dock, in start order, who comes, what it carries.

`timetable_tables` feeds the CSV/XLSX exports; `dock_sheets` the printed door sheets (one per
dock and shift). Both keep codes (category, temperature, relay role): the pages translate them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hub_scheduler.domain import Enterprise, Load, Scenario, Schedule
from hub_scheduler.load_keys import local
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
        inbound, outbound = local(t.inbound), local(t.outbound)  # ids beside enterprise_id
        notes.setdefault(t.inbound, []).append(f"inbound for {outbound}")
        notes.setdefault(t.outbound, []).append(f"outbound after {inbound}")
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
            local(a.load_id),  # the id as its enterprise wrote it; enterprise_id beside it
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


# --- the door sheets: one per dock and shift, for a dock worker to pin up ------------------------


@dataclass(frozen=True)
class Shift:
    """A named shift by local hours; `end_hour <= start_hour` means it ends the next day."""

    code: str
    start_hour: int
    end_hour: int

    def window(self, day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """The shift of local `day` as aware local datetimes [start, end)."""
        start = datetime.combine(day, time(self.start_hour), tz)
        end_day = day + timedelta(days=1) if self.end_hour <= self.start_hour else day
        return start, datetime.combine(end_day, time(self.end_hour), tz)


# Two twelve-hour shifts, the usual pattern at the parks (a night shift runs past midnight).
SHIFTS = (Shift("day", 8, 20), Shift("night", 20, 8))


@dataclass(frozen=True)
class RelayNote:
    """This truck's relay partner: `role` is "inbound_for" (its goods go on to `partner_id`) or
    "outbound_after" (it takes the goods `partner_id` brought)."""

    role: str
    partner_id: str
    partner_plate: str


@dataclass(frozen=True)
class SheetRow:
    """One truck at the dock: local times, plate, enterprise name, category and temperature code."""

    load_id: str
    start: datetime
    end: datetime
    disinfected_at: datetime
    vehicle_plate: str
    enterprise_name: str
    category: str
    temperature: str
    relay: tuple[RelayNote, ...]
    key: str = ""  # the load's key (`enterprise_id/id`, load_keys) to look it up; `load_id` shows


@dataclass(frozen=True)
class DockSheet:
    """A dock's trucks in one shift, in start order (times in the scenario's zone)."""

    hub_id: str
    hub_name: str
    zone_id: str
    temperature: str
    dock_id: str
    shift: str
    shift_start: datetime
    shift_end: datetime
    rows: tuple[SheetRow, ...]


def _shift_of(
    moment: datetime, tz: ZoneInfo, shifts: Sequence[Shift]
) -> tuple[Shift, datetime, datetime]:
    """The shift whose window holds `moment` (a night shift may have begun the day before)."""
    local_day = moment.astimezone(tz).date()
    for day in (local_day, local_day - timedelta(days=1)):
        for shift in shifts:
            start, end = shift.window(day, tz)
            if start <= moment < end:
                return shift, start, end
    raise ValueError(f"the shifts do not cover {moment.isoformat()}")


def _enterprise_name(enterprise: Enterprise | None, load: Load | None) -> str:
    if enterprise is not None:
        return enterprise.name or enterprise.id
    return load.enterprise_id if load else ""


def dock_sheets(
    schedule: Schedule,
    scenario: Scenario,
    hub_id: str,
    *,
    dock_id: str | None = None,
    shifts: Sequence[Shift] = SHIFTS,
) -> list[DockSheet]:
    """The door sheets of `hub_id` (optionally one dock): a sheet per dock and shift that has
    trucks, docks in the hub's order, shifts in time order. `shifts` must cover the whole day."""
    tz = ZoneInfo(scenario.timezone)
    hub = next((h for h in scenario.hubs if h.id == hub_id), None)
    loads = {ld.id: ld for ld in scenario.loads}
    enterprises = {e.id: e for e in scenario.enterprises}
    partners: dict[str, list[tuple[str, str]]] = {}
    for t in scenario.transfers:
        partners.setdefault(t.inbound, []).append(("inbound_for", t.outbound))
        partners.setdefault(t.outbound, []).append(("outbound_after", t.inbound))
    docks = [d for z in (hub.zones if hub else []) for d in z.docks]
    dock_order = {d.id: n for n, d in enumerate(docks)}
    groups: dict[tuple, list[SheetRow]] = {}
    for a in schedule.assignments:
        if a.hub_id != hub_id or (dock_id is not None and a.dock_id != dock_id):
            continue
        load = loads.get(a.load_id)
        zone = hub.zone(a.zone_id) if hub else None
        enterprise = enterprises.get(load.enterprise_id) if load else None
        relay = tuple(
            RelayNote(
                role, local(other), (loads[other].vehicle_plate or "") if other in loads else ""
            )
            for role, other in partners.get(a.load_id, ())
        )
        shift, shift_start, shift_end = _shift_of(a.start, tz, shifts)
        key = (
            dock_order.get(a.dock_id, len(dock_order)),
            a.dock_id,
            shift_start,
            a.zone_id,
            zone.temperature.value if zone else "",
            shift.code,
            shift_end,
        )
        groups.setdefault(key, []).append(
            SheetRow(
                load_id=local(a.load_id),
                key=a.load_id,
                start=a.start.astimezone(tz),
                end=a.end.astimezone(tz),
                disinfected_at=a.disinfected_at.astimezone(tz),
                vehicle_plate=(load.vehicle_plate or "") if load else "",
                enterprise_name=_enterprise_name(enterprise, load),
                category=load.category.value if load else "",
                temperature=load.temperature.value if load else "",
                relay=relay,
            )
        )
    return [
        DockSheet(
            hub_id=hub_id,
            hub_name=(hub.name or hub.id) if hub else hub_id,
            zone_id=zone_id,
            temperature=temperature,
            dock_id=dock,
            shift=shift_code,
            shift_start=shift_start,
            shift_end=shift_end,
            rows=tuple(sorted(rows, key=lambda r: (r.start, r.load_id))),
        )
        for (_, dock, shift_start, zone_id, temperature, shift_code, shift_end), rows in sorted(
            groups.items(), key=lambda item: item[0][:3]
        )
    ]
