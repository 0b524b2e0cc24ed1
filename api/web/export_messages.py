# ruff: noqa: E501  (a catalogue: one message a line reads better than wrapped strings)
"""The plan export workbook's messages (`hub_scheduler/sheets/timetable_xlsx.py` asks for them;
the column names it shares with the door timetables are in `timetable_messages`)."""

from __future__ import annotations

EN: dict[str, str] = {}

ZH: dict[str, str] = {
    "Start": "开始",
    "End": "结束",
    "Handling (min)": "装卸时长（分钟）",
    "Expected arrival": "预计到达",
    "Due": "期望完成",
    "Deadline": "最晚完成",
    "Reason code": "原因代码",
    "Unscheduled loads": "未排入",
    "{hub} ({hub_id}): dock timetable of plan {plan}": "{hub}（{hub_id}）车位作业时刻表 · 排程 {plan}",
    "{hub} ({hub_id}): dock timetable": "{hub}（{hub_id}）车位作业时刻表",
    "Times are local times in {zone} (UTC{offset}).": "时间均为 {zone} 当地时间（UTC{offset}）。",
    "Dock {dock} · zone {zone} · {temperature}": "车位 {dock} · 温区 {zone} · {temperature}",
    "Loads left out of plan {plan}": "排程 {plan} 未排入的车辆",
    "Loads left out of the plan": "排程未排入的车辆",
}
