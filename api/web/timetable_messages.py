# ruff: noqa: E501  (a catalogue: one message a line reads better than wrapped strings)
"""The door timetables' messages (kept apart like the sheet import's: the catalogue of one feature)."""

from __future__ import annotations

# English labels of the codes the sheets carry (shift, relay role).
EN: dict[str, str] = {
    "shift_day": "Day shift",
    "shift_night": "Night shift",
    "relay_inbound_for": "hands its goods on to {partner} ({plate})",
    "relay_outbound_after": "takes the goods of {partner} ({plate})",
}

ZH: dict[str, str] = {
    "shift_day": "白班",
    "shift_night": "夜班",
    "relay_inbound_for": "货物转交 {partner}（{plate}）",
    "relay_outbound_after": "接运 {partner}（{plate}）的货物",
    "Dock timetables": "车位作业时刻表",
    "One A4 sheet per dock and shift: print this page, or download the PDF.": "每个车位每个班次一张 A4：可直接打印本页，或下载 PDF。",
    "All docks": "全部车位",
    "Show": "显示",
    "Download PDF": "下载 PDF",
    "Back to the timeline": "返回时间轴",
    "Print timetables": "打印时刻表",
    "No truck is planned at this hub in this plan.": "本排程中该场站没有安排车辆。",
    "Zone": "温区",
    "Time": "时段",
    "Plate": "车牌",
    "Goods": "货物",
    "Cold / ambient": "冷链 / 常温",
    "Disinfect by": "消杀完成时间",
    "Relay partner": "接力车辆",
    "Disinfect the dock after every truck. Drivers stay in their cabs; trucks of a relay never meet.": "每车作业后须对车位消杀。司机不下车；接力双方车辆不得碰面。",
}
