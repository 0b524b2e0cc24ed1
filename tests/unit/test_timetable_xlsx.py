"""The plan export workbook: a sheet per hub with dock blocks, local date-time cells, 未排入."""

from __future__ import annotations

import io
from datetime import datetime

import openpyxl
from builders import make_hub, make_load, make_zone
from sheet_samples import timetable_plan

from api.web.i18n import translator
from api.web.messages import ZH
from hub_scheduler import sheets
from hub_scheduler.domain import ReasonCode
from hub_scheduler.sheets.timetable_xlsx import MESSAGE_IDS, timetable_xlsx

ZH_HEADER = [
    "开始",
    "结束",
    "消杀完成时间",
    "车次",
    "车牌",
    "企业",
    "货物",
    "冷链 / 常温",
    "装卸时长（分钟）",
    "接力车辆",
]


def plan():
    hubs = [
        make_hub("H1", zones=[make_zone("Z1", docks=["D1", "D2", "D10"])], name="寻乌物流园"),
        # a name over 31 characters, and a second hub of the same name: both need a unique title
        make_hub("H2", zones=[make_zone("Z2", docks=["D3"])], name="寻" * 40),
        make_hub("H3", zones=[make_zone("Z3", docks=["D4"])], name="寻" * 40),
    ]
    loads = [
        make_load("L1", vehicle_plate="赣B·00001", category="energy"),
        make_load("L2", vehicle_plate="赣B·00002"),
        make_load("L3"),
        make_load("L4"),
        make_load("L5", release=600, due=700, deadline=720, vehicle_plate="赣B·00005"),
    ]
    scenario, schedule = timetable_plan(
        hubs, loads, unscheduled=["L5"], reason_code=ReasonCode.CAPACITY
    )
    (left_out,) = schedule.unscheduled
    detail = {"hub": "H1", "zone": "Z1", "start": "11-27 10:00"}
    left_out = left_out.model_copy(
        update={"reason_detail": "capacity_taken", "reason_params": detail}
    )
    return scenario, schedule.model_copy(update={"unscheduled": [left_out]})


def scenario_hub_name(hub_id: str) -> str:
    scenario, _ = plan()
    hub = scenario.hub(hub_id)
    assert hub is not None and hub.name and hub.name != hub_id
    return hub.name


def workbook(lang: str = "zh-CN"):
    scenario, schedule = plan()
    data = timetable_xlsx(schedule, scenario, translator(lang), plan_id=7)
    return openpyxl.load_workbook(io.BytesIO(data))


def rows(sheet):
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def test_every_message_of_the_workbook_has_a_chinese_text():
    assert [m for m in MESSAGE_IDS if m not in ZH] == []


def test_a_sheet_per_hub_by_name_then_the_unscheduled_sheet():
    book = workbook()
    long_name = "寻" * 31
    assert book.sheetnames == ["寻乌物流园", long_name, f"{'寻' * 29}~2", "未排入"]
    assert all(len(name) <= 31 for name in book.sheetnames)


def test_dock_blocks_have_chinese_headers_and_local_datetime_cells():
    book = workbook()
    sheet = book["寻乌物流园"]
    table = rows(sheet)
    assert table[0][0] == "寻乌物流园（H1）车位作业时刻表 · 排程 7"
    assert table[1][0] == "时间均为 Asia/Shanghai 当地时间（UTC+08:00）。"
    blocks = [r[0] for r in table if isinstance(r[0], str) and r[0].startswith("车位 ")]
    assert blocks == ["车位 D1 · 温区 Z1 · 常温", "车位 D10 · 温区 Z1 · 常温"]
    d1 = next(i for i, r in enumerate(table) if r[0] == blocks[0])
    assert table[d1 + 1] == ZH_HEADER
    first, second = table[d1 + 2], table[d1 + 3]
    # a real date-time cell holding the wall-clock time in the site's zone (T0 is local midnight)
    assert first[0] == datetime(2026, 11, 27, 0, 0) and first[0].tzinfo is None
    assert first[1] == datetime(2026, 11, 27, 0, 30)
    assert sheet.cell(row=d1 + 3, column=1).is_date
    assert sheet.cell(row=d1 + 3, column=1).number_format == "yyyy-mm-dd hh:mm"
    assert first[3:8] == ["L1", "赣B·00001", "E1", "能源", "常温"]
    assert first[8] == 30
    assert first[9] == "货物转交 L2（赣B·00002）"
    assert second[3] == "L2" and second[9] == "接运 L1（赣B·00001）的货物"
    assert second[0] == datetime(2026, 11, 27, 1, 0)


def test_the_unscheduled_sheet_gives_the_translated_reason():
    table = rows(workbook()["未排入"])
    assert table[0][0] == "排程 7 未排入的车辆"
    header = table[3]
    assert header == [
        "车次",
        "企业",
        "车牌",
        "货物",
        "冷链 / 常温",
        "预计到达",
        "期望完成",
        "最晚完成",
        "原因代码",
        "原因",
        "详情",
    ]
    (row,) = table[4:]
    assert row[:5] == ["L5", "E1", "赣B·00005", "医疗物资", "常温"]
    assert row[5:8] == [
        datetime(2026, 11, 27, 10, 0),
        datetime(2026, 11, 27, 11, 40),
        datetime(2026, 11, 27, 12, 0),
    ]
    assert row[8:10] == ["CAPACITY", "时间窗内没有空闲车位或班组"]
    hub_name = scenario_hub_name("H1")
    assert row[10].startswith(f"若当天无其他车辆，它可在 {hub_name} Z1 温区 11-27 10:00 起作业")


def test_english_by_request():
    book = workbook("en")
    assert book.sheetnames[-1] == "Unscheduled loads"
    table = rows(book["寻乌物流园"])
    assert "Start" in table[4] and "Relay partner" in table[4]
    assert rows(book["Unscheduled loads"])[4][-2] == "No free dock or crew in time"
    assert rows(book["Unscheduled loads"])[4][-1].startswith("It would fit at ")


def test_a_hub_without_trucks_says_so_and_the_csv_keeps_iso_times():
    scenario, schedule = plan()
    book = workbook()
    assert rows(book[f"{'寻' * 29}~2"])[3][0] == "本排程中该场站没有安排车辆。"
    text = sheets.write_timetable(schedule, scenario, "csv").decode("utf-8-sig")
    assert "2026-11-27T00:00:00+08:00" in text and "开始" not in text
