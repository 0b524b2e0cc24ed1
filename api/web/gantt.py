"""The timeline's geometry: rows per dock grouped by hub and zone, bars placed in % of a window.

Only layout: which rows, where each bar starts and how wide it is, which hours are closed or
blocked. Every fact shown (slots, reasons) comes from the plan the services returned.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo

from hub_scheduler import load_keys
from hub_scheduler.domain import (
    Assignment,
    BlockedWindow,
    Enterprise,
    Hub,
    HubStatus,
    Load,
    LoadStatus,
    OpeningPeriod,
    Unscheduled,
    hhmm_minutes,
)

_AT_THE_DOCK = {LoadStatus.CHECKED_IN, LoadStatus.IN_OPERATION, LoadStatus.COMPLETED}


@dataclass
class Bar:
    load_id: str
    enterprise: str
    category: str
    temperature: str
    start: datetime
    end: datetime
    disinfected_at: datetime
    release: datetime | None
    due: datetime | None
    left: float  # % of the window
    width: float  # % of the window, operation only
    tail: float  # % of the window, disinfection
    op_share: float  # % of the bar that is the operation
    late_minutes: int
    pinned: bool
    checked_in: bool
    why: str
    # Relay partners (H7), ids only: the page marks both bars so the gate keeps the trucks apart.
    relay_to: str = ""
    relay_from: str = ""
    # The page anchor (`E01·L-1`): two enterprises' equal ids get distinct anchors.
    anchor: str = ""


@dataclass
class Shade:
    left: float
    width: float
    label: str = ""


@dataclass
class DockRow:
    dock_id: str
    bars: list[Bar] = field(default_factory=list)
    blocked: list[Shade] = field(default_factory=list)


@dataclass
class ZoneGroup:
    hub: Hub
    zone_id: str
    temperature: str
    crews: int | None
    rows: list[DockRow]
    closed: list[Shade]


@dataclass
class Tick:
    left: float
    label: str


@dataclass
class Timeline:
    start: datetime
    end: datetime
    hour_width: float  # % of the window that one hour takes
    ticks: list[Tick]
    groups: list[ZoneGroup]
    bars: list[Bar]
    unscheduled: list[tuple[Unscheduled, Load | None, str]]


def _percent(moment: datetime, start: datetime, minutes: float) -> float:
    return max(0.0, min(100.0, (moment - start).total_seconds() / 60 / minutes * 100))


def _window(
    horizon_start: datetime, horizon_end: datetime, assignments: list[Assignment]
) -> tuple[datetime, datetime]:
    """The hours that hold work, whole hours, at least eight; the horizon when nothing is placed."""
    if not assignments:
        return horizon_start, horizon_end
    first = min(a.start for a in assignments).astimezone(horizon_start.tzinfo)
    last = max(a.disinfected_at for a in assignments).astimezone(horizon_start.tzinfo)
    start = max(horizon_start, first.replace(minute=0, second=0, microsecond=0))
    end = last.replace(minute=0, second=0, microsecond=0)
    if end < last:
        end += timedelta(hours=1)
    end = min(horizon_end, max(end, start + timedelta(hours=8)))
    return start, end


def _ticks(start: datetime, end: datetime, minutes: float) -> list[Tick]:
    first = start.replace(minute=0, second=0, microsecond=0)
    if first < start:
        first += timedelta(hours=1)
    ticks = []
    moment = first
    while moment < end:
        ticks.append(Tick(_percent(moment, start, minutes), moment.strftime("%H:%M")))
        moment += timedelta(hours=1)
    return ticks


def _closed(hub: Hub, start: datetime, end: datetime, minutes: float) -> list[Shade]:
    """The parts of the window outside the hub's opening hours (none when always open)."""
    if hub.opening_hours is None:
        return []
    opened = sorted(_open_spans(hub.opening_hours, start, end))
    shades, cursor = [], start
    for begin, finish in opened:
        if begin > cursor:
            shades.append((cursor, begin))
        cursor = max(cursor, finish)
    if cursor < end:
        shades.append((cursor, end))
    return [
        Shade(
            _percent(a, start, minutes), _percent(b, start, minutes) - _percent(a, start, minutes)
        )
        for a, b in shades
        if b > a
    ]


def _open_spans(periods: list[OpeningPeriod], start: datetime, end: datetime):
    day = start.replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=1)
    while day < end:
        for period in periods:
            begin = day + timedelta(minutes=hhmm_minutes(period.start))
            finish = day + timedelta(minutes=hhmm_minutes(period.end))
            if finish <= begin:
                finish += timedelta(days=1)  # crosses midnight
            if finish > start and begin < end:
                yield max(begin, start), min(finish, end)
        day += timedelta(days=1)


def _why(
    load: Load | None,
    assignment: Assignment,
    late: int,
    pinned: bool,
    held_by: list[str],
    language_text,
) -> str:
    """Why the bar is where it is, from the load's facts and the plan's late-load figures."""
    if load is None:
        return ""
    parts = []
    if pinned:
        parts.append(language_text("Kept in place: the truck is pinned or already at the dock."))
    wait = int((assignment.start - load.release).total_seconds() // 60)
    if wait <= 0:
        parts.append(language_text("Starts as soon as the truck arrives."))
    else:
        parts.append(
            language_text(
                "Waits {minutes} min after arrival for a free dock and crew.", minutes=wait
            )
        )
    if late > 0:
        parts.append(language_text("Ends {minutes} min after the wished time.", minutes=late))
        if held_by:
            parts.append(
                language_text("Its dock was taken before by {loads}.", loads=", ".join(held_by))
            )
    else:
        parts.append(language_text("Ends on time."))
    return " ".join(parts)


def block_label(window: BlockedWindow, translate) -> str:
    """A coded reason in the page's language, with the params the viewer may see (none: filtered
    upstream by services/block_reasons.hub_for); a typed reason as typed."""
    if window.reason_code is None:
        return window.reason
    label = translate(f"block_{window.reason_code}")
    params = ", ".join(v for v in window.reason_params.values() if v)
    return f"{label} ({params})" if params else label


@dataclass(frozen=True)
class PlanParts:
    """What of a plan a page draws: its horizon (aware datetimes), the hubs, the slots and the
    left-out loads as the viewer may see them, and the plan's loads by id (`load_keys` ids)."""

    horizon_start: datetime
    horizon_end: datetime
    hubs: list[Hub]
    assignments: list[Assignment]
    unscheduled: list[Unscheduled]
    loads: dict[str, Load]


def build_timeline(
    parts: PlanParts,
    *,
    enterprises: dict[str, Enterprise],
    translate,
    zone: tzinfo,
    kpis: dict | None = None,
    window: tuple[datetime, datetime] | None = None,
) -> Timeline:
    """Lay the plan out: every dock of every hub a row, every assignment one bar on its dock.

    Times are shown and opening hours read in `zone`, the county's time zone; `kpis` are the
    plan's figures (its `late_loads` name who held a late load's dock before it). `window`
    (aware start, end): the part of the day drawn (a zoom or one day of a longer plan); bars
    crossing its edges are cut there; default: the whole hours that hold work.
    """
    loads = parts.loads
    held_before = {
        item.get("load_id"): list(item.get("dock_held_before_by") or [])
        for item in (kpis or {}).get("late_loads") or []
        if isinstance(item, dict)
    }
    horizon_start = parts.horizon_start.astimezone(zone)
    horizon_end = parts.horizon_end.astimezone(zone)
    if window is not None:
        start, end = window[0].astimezone(zone), window[1].astimezone(zone)
    else:
        start, end = _window(horizon_start, horizon_end, parts.assignments)
    minutes = max(1.0, (end - start).total_seconds() / 60)
    rows: dict[tuple[str, str], DockRow] = {}
    groups = []
    for hub in sorted(parts.hubs, key=lambda h: (h.status is not HubStatus.ACTIVE, h.id)):
        closed = _closed(hub, start, end, minutes)
        # `hub_zone`, not `zone`: that name is the time zone of the arguments.
        for hub_zone in hub.zones:
            zone_rows = []
            for dock in hub_zone.docks:
                row = DockRow(dock.id)
                rows[(hub.id, dock.id)] = row
                zone_rows.append(row)
            groups.append(
                ZoneGroup(
                    hub,
                    hub_zone.id,
                    hub_zone.temperature.value,
                    hub_zone.crews,
                    zone_rows,
                    closed,
                )
            )
        for blocked in hub.blocked:  # not `window`: the argument
            if blocked.end <= start or blocked.start >= end:
                continue
            shade = Shade(
                _percent(blocked.start, start, minutes),
                _percent(blocked.end, start, minutes) - _percent(blocked.start, start, minutes),
                block_label(blocked, translate),
            )
            for hub_zone in hub.zones:
                if blocked.zone_id and blocked.zone_id != hub_zone.id:
                    continue
                for dock in hub_zone.docks:
                    if blocked.dock_id and blocked.dock_id != dock.id:
                        continue
                    rows[(hub.id, dock.id)].blocked.append(shade)

    bars = []
    for assignment in sorted(parts.assignments, key=lambda a: a.start):
        load = loads.get(assignment.load_id)
        enterprise = enterprises.get(load.enterprise_id) if load else None
        late = 0
        if load is not None:
            late = max(0, int((assignment.end - load.due).total_seconds() // 60))
        pinned = bool(load and (load.pinned is not None or load.status in _AT_THE_DOCK))
        left = _percent(assignment.start, start, minutes)
        width = _percent(assignment.end, start, minutes) - left
        tail = _percent(assignment.disinfected_at, start, minutes) - left - width
        bar = Bar(
            load_id=load_keys.local(assignment.load_id),  # enterprise beside it (load_keys)
            anchor=assignment.load_id.replace(load_keys.SEPARATOR, "·"),  # as web.base.load_anchor
            enterprise=(enterprise.name or enterprise.id)
            if enterprise
            else (load.enterprise_id if load else ""),
            category=load.category.value if load else "other",
            temperature=load.temperature.value if load else "",
            start=assignment.start.astimezone(start.tzinfo),
            end=assignment.end.astimezone(start.tzinfo),
            disinfected_at=assignment.disinfected_at.astimezone(start.tzinfo),
            release=load.release.astimezone(start.tzinfo) if load else None,
            due=load.due.astimezone(start.tzinfo) if load else None,
            left=left,
            width=width,
            tail=max(0.0, tail),
            op_share=100 * width / (width + max(0.0, tail)) if width + tail > 0 else 100,
            late_minutes=late,
            pinned=pinned,
            checked_in=bool(load and load.status in _AT_THE_DOCK),
            why=_why(
                load, assignment, late, pinned, held_before.get(assignment.load_id, []), translate
            ),
        )
        partners = (load.model_extra or {}) if load else {}
        bar.relay_to = load_keys.local(partners.get("transfer_to") or "")
        bar.relay_from = load_keys.local(partners.get("transfer_from") or "")
        bars.append(bar)
        found = rows.get((assignment.hub_id, assignment.dock_id))
        if found is None:  # a dock that no longer exists: still show the bar, on a row of its own
            found = rows[(assignment.hub_id, assignment.dock_id)] = DockRow(assignment.dock_id)
            groups.append(
                ZoneGroup(
                    Hub(id=assignment.hub_id, name=assignment.hub_id),
                    assignment.zone_id,
                    "",
                    None,
                    [found],
                    [],
                )
            )
        found.bars.append(bar)

    left_out = [
        (u, loads.get(u.load_id), _enterprise_name(loads.get(u.load_id), enterprises))
        for u in parts.unscheduled
    ]
    return Timeline(
        start, end, 60 / minutes * 100, _ticks(start, end, minutes), groups, bars, left_out
    )


def _enterprise_name(load: Load | None, enterprises: dict[str, Enterprise]) -> str:
    if load is None:
        return ""
    enterprise = enterprises.get(load.enterprise_id)
    return (enterprise.name or enterprise.id) if enterprise else load.enterprise_id


def utilisation_from_kpis(hub: Hub, kpis: dict) -> float | None:
    """The hub's share from the plan's own `utilisation_per_dock` figures, when it has them."""
    per_dock = kpis.get("utilisation_per_dock")
    if not isinstance(per_dock, dict):
        return None
    values = [float(v) for k, v in per_dock.items() if str(k).startswith(f"{hub.id}/")]
    return min(1.0, sum(values) / len(values)) if values else None


def utilisation(
    hub: Hub,
    assignments: list[Assignment],
    horizon_start: datetime,
    horizon_end: datetime,
    zone: tzinfo,
) -> float | None:
    """Share of the hub's open dock-minutes in the horizon taken by operations and disinfection."""
    horizon_start, horizon_end = horizon_start.astimezone(zone), horizon_end.astimezone(zone)
    docks = sum(len(z.docks) for z in hub.zones)
    if not docks:
        return None
    if hub.opening_hours is None:
        open_minutes = (horizon_end - horizon_start).total_seconds() / 60
    else:
        open_minutes = sum(
            (b - a).total_seconds() / 60
            for a, b in _open_spans(hub.opening_hours, horizon_start, horizon_end)
        )
    if open_minutes <= 0:
        return None
    busy = sum(
        (a.disinfected_at - a.start).total_seconds() / 60 for a in assignments if a.hub_id == hub.id
    )
    return min(1.0, busy / (docks * open_minutes))
