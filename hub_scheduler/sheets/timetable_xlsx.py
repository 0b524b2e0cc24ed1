"""The plan export as a workbook people read: a sheet per hub with dock blocks, and 未排入.

The CSV export (`timetable.timetable_tables`) stays machine-readable (ISO 8601 times with their
offset, codes); this workbook is for the command centre and the gate: real Excel date-time cells
in the site's zone (number format `yyyy-mm-dd hh:mm`, no offset, the zone named in each sheet's
title row), hub names as sheet titles, and every word through `translate`, so the domain keeps
codes and the web layer (`api.web.i18n.translator`) picks the language (zh-CN or en).

Layout of a hub sheet (1-based rows):
  1   title: hub name (id) and plan
  2   the zone the times are in
  4   a dock block: "dock D1 · zone Z1 · cold chain", then a header row, then the dock's trucks in
      start order; a blank row, then the next dock (docks in the hub's order).
The 未排入 (Unscheduled) sheet: title, zone, then a header row and a row per load left out with
its reason code and the reason in words.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from hub_scheduler.domain import Scenario, Schedule
from hub_scheduler.load_keys import local
from hub_scheduler.reason_words import reason_words
from hub_scheduler.sheets.timetable import SheetRow, Shift, dock_sheets
from hub_scheduler.sheets.xlsx_format import load_openpyxl, sheet_title

# (message id, **params) -> the text in the reader's language
Translate = Callable[..., str]

DATETIME_FORMAT = "yyyy-mm-dd hh:mm"

DOCK_COLUMNS = (
    "Start",
    "End",
    "Disinfect by",
    "Load",
    "Plate",
    "Enterprise",
    "Goods",
    "Cold / ambient",
    "Handling (min)",
    "Relay partner",
)
UNSCHEDULED_COLUMNS = (
    "Load",
    "Enterprise",
    "Plate",
    "Goods",
    "Cold / ambient",
    "Expected arrival",
    "Due",
    "Deadline",
    "Reason code",
    "Reason",
    "Details",
)
# Every message id this module asks `translate` for (a test checks each has a Chinese text);
# codes are asked as `temp_<code>`, `cat_<code>`, `reason_<CODE>`, `relay_<role>`.
MESSAGE_IDS = (
    *DOCK_COLUMNS,
    *UNSCHEDULED_COLUMNS,
    "Unscheduled loads",
    "{hub} ({hub_id}): dock timetable of plan {plan}",
    "{hub} ({hub_id}): dock timetable",
    "Times are local times in {zone} (UTC{offset}).",
    "Dock {dock} · zone {zone} · {temperature}",
    "No truck is planned at this hub in this plan.",
    "Loads left out of plan {plan}",
    "Loads left out of the plan",
    "Every load has a slot.",
)


def _local(moment: datetime | None, tz: ZoneInfo) -> datetime | None:
    """An aware moment as the naive wall-clock time of `tz` (Excel cells carry no zone)."""
    return moment.astimezone(tz).replace(tzinfo=None) if moment is not None else None


def _offset(tz: ZoneInfo, at: datetime) -> str:
    """'+08:00' for Asia/Shanghai at `at`."""
    text = at.astimezone(tz).strftime("%z") or "+0000"
    return f"{text[:3]}:{text[3:]}"


def _relay_text(row: SheetRow, translate: Translate) -> str:
    return "；".join(
        translate(f"relay_{n.role}", partner=n.partner_id, plate=n.partner_plate or "-")
        for n in row.relay
    )


class _Writer:
    """Appends rows to one sheet, styling titles, headers and date-time cells as it goes."""

    def __init__(self, sheet: Any, openpyxl: Any) -> None:
        self.sheet = sheet
        self.row = 0
        styles = openpyxl.styles
        self.title_font = styles.Font(bold=True, size=14)
        self.bold = styles.Font(bold=True)
        self.block_fill = styles.PatternFill("solid", fgColor="DDEBF7")
        self.header_fill = styles.PatternFill("solid", fgColor="F2F2F2")
        self.widths: dict[int, int] = {}

    def line(self, values: list[Any] | tuple[Any, ...], kind: str = "data") -> None:
        self.row += 1
        for col, value in enumerate(values, start=1):
            cell = self.sheet.cell(row=self.row, column=col, value=value)
            if isinstance(value, datetime):
                cell.number_format = DATETIME_FORMAT
                width = 17
            else:
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # text that looks like a formula stays text
                # a CJK character is about two Latin ones wide
                width = sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(value or ""))
            if kind == "title":
                cell.font = self.title_font
            elif kind in ("block", "header"):
                cell.font = self.bold
                cell.fill = self.block_fill if kind == "block" else self.header_fill
            if kind in ("data", "header"):
                self.widths[col] = max(self.widths.get(col, 0), width)

    def blank(self) -> None:
        self.row += 1

    def finish(self, openpyxl: Any) -> None:
        for col, width in self.widths.items():
            letter = openpyxl.utils.get_column_letter(col)
            self.sheet.column_dimensions[letter].width = min(width + 2, 48)


def timetable_xlsx(
    schedule: Schedule, scenario: Scenario, translate: Translate, *, plan_id: int | None = None
) -> bytes:
    """The plan as XLSX bytes: one sheet per hub of `scenario` (titled by hub name, at most 31
    characters, unique), in the scenario's order, then the sheet 未排入
    (`translate("Unscheduled loads")`).

    Times are naive datetime cells in `scenario.timezone`; categories, temperatures, relay roles
    and reason codes go through `translate` as `cat_*`, `temp_*`, `relay_*`, `reason_*`.
    """
    openpyxl = load_openpyxl()
    tz = ZoneInfo(scenario.timezone)
    loads = {ld.id: ld for ld in scenario.loads}
    enterprises = {e.id: e for e in scenario.enterprises}
    book = openpyxl.Workbook()
    book.remove(book.active)
    unscheduled_title = translate("Unscheduled loads")
    taken: set[str] = {unscheduled_title[:31].lower()}  # the reasons sheet keeps its name
    zone_line = translate(
        "Times are local times in {zone} (UTC{offset}).",
        zone=scenario.timezone,
        offset=_offset(
            tz, schedule.assignments[0].start if schedule.assignments else datetime.now(tz)
        ),
    )

    for hub in scenario.hubs:
        name = hub.name or hub.id
        sheet = book.create_sheet(sheet_title(name, taken))
        out = _Writer(sheet, openpyxl)
        if plan_id is not None:
            title = translate(
                "{hub} ({hub_id}): dock timetable of plan {plan}",
                hub=name,
                hub_id=hub.id,
                plan=plan_id,
            )
        else:
            title = translate("{hub} ({hub_id}): dock timetable", hub=name, hub_id=hub.id)
        out.line([title], "title")
        out.line([zone_line])
        blocks = dock_sheets(schedule, scenario, hub.id, shifts=_WHOLE_DAY)
        if not blocks:
            out.blank()
            out.line([translate("No truck is planned at this hub in this plan.")])
        for block in blocks:
            out.blank()
            out.line(
                [
                    translate(
                        "Dock {dock} · zone {zone} · {temperature}",
                        dock=block.dock_id,
                        zone=block.zone_id,
                        temperature=translate(f"temp_{block.temperature}"),
                    )
                ],
                "block",
            )
            out.line([translate(c) for c in DOCK_COLUMNS], "header")
            for r in block.rows:
                load = loads.get(r.key or r.load_id)
                out.line(
                    [
                        _local(r.start, tz),
                        _local(r.end, tz),
                        _local(r.disinfected_at, tz),
                        r.load_id,
                        r.vehicle_plate,
                        r.enterprise_name,
                        translate(f"cat_{r.category}") if r.category else "",
                        translate(f"temp_{r.temperature}") if r.temperature else "",
                        load.handling_minutes if load else None,
                        _relay_text(r, translate),
                    ]
                )
        out.finish(openpyxl)

    sheet = book.create_sheet(sheet_title(unscheduled_title, set()))
    out = _Writer(sheet, openpyxl)
    if plan_id is not None:
        out.line([translate("Loads left out of plan {plan}", plan=plan_id)], "title")
    else:
        out.line([translate("Loads left out of the plan")], "title")
    out.line([zone_line])
    out.blank()
    out.line([translate(c) for c in UNSCHEDULED_COLUMNS], "header")
    hub_names = {h.id: h.name or h.id for h in scenario.hubs}
    for u in sorted(schedule.unscheduled, key=lambda u: u.load_id):
        load = loads.get(u.load_id)
        enterprise = enterprises.get(load.enterprise_id) if load else None
        code = u.reason_code.value
        out.line(
            [
                local(u.load_id),  # the id as its enterprise wrote it (load_keys)
                (enterprise.name or enterprise.id)
                if enterprise
                else (load.enterprise_id if load else ""),
                (load.vehicle_plate or "") if load else "",
                translate(f"cat_{load.category.value}") if load else "",
                translate(f"temp_{load.temperature.value}") if load else "",
                _local(load.release, tz) if load else None,
                _local(load.due, tz) if load else None,
                _local(load.deadline, tz) if load else None,
                code,
                translate(f"reason_{code}"),
                reason_words(u, translate, hub_names),
            ]
        )
    if not schedule.unscheduled:
        out.line([translate("Every load has a slot.")])
    out.finish(openpyxl)

    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


class _WholePlan(Shift):
    """One "shift" holding every moment: a dock block lists all its trucks of the plan."""

    def window(self, day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
        return datetime(2, 1, 1, tzinfo=tz), datetime(9998, 1, 1, tzinfo=tz)


_WHOLE_DAY = (_WholePlan("plan", 0, 0),)
