# ruff: noqa: E501  (a catalogue: one message a line reads better than wrapped strings)
"""An enterprise's own web forms: changing a load's ETA on the loads page and reporting a
problem (`/reports`): zh-CN text of their English messages."""

from __future__ import annotations

EN: dict[str, str] = {
    # entfix: a capacity reason as an enterprise reads it, the other enterprises' loads unnamed
    "why_capacity_held_unnamed": "It would fit at {hub} zone {zone} from {start} on an empty day, but in its window the docks it may use are held by other loads of equal or higher priority.",
}

ZH: dict[str, str] = {
    "Change ETA": "修改预计到达",
    "Give the new arrival time.": "请填写新的预计到达时间。",
    "Load {id}: the arrival is now {time}.": "车次 {id} 的预计到达已改为 {time}。",
    "Its slot moved to {start}.": "时段已调整为 {start} 开始。",
    "Its slot no longer fits; it gets one with the next plan.": "原时段已不可行，将在下一版排程中重新安排。",
    "Its slot stays {span}.": "时段不变：{span}。",
    "It gets a slot with the next published plan.": "将在下一版发布的排程中获得时段。",
    "The arrival of load {id} was not changed.": "车次 {id} 的预计到达未修改。",
    "Report a problem": "报告问题",
    "The command centre reads every report and answers here.": "指挥中心会查看每一份报告，并在这里答复。",
    "New report": "新报告",
    "The report was not sent. Please correct the marked fields.": "报告未提交，请修改标出的项目。",
    "Load (optional)": "车次（可不填）",
    "My reports": "我的报告",
    "Not answered yet": "尚未答复",
    "No hub has this id.": "没有这个中转站。",
    "Report {number} is sent.": "报告 {number} 已提交，答复后会显示在下方。",
    # entfix: the report form's own loads, the sheet's enterprise column for an enterprise
    "— not about one load —": "— 不涉及具体车次 —",
    "why_capacity_held_unnamed": "若当天无其他车辆，它可在 {hub} {zone} 温区 {start} 起作业；但其时间窗内可用车位已由其他同等或更高优先级的车辆占用。",
    "Load: your enterprise has no load {id}.": "车次：本企业没有车次“{id}”，请从列表中选择或输入本企业的车次编号。",
    # ops3: an older load, beyond the list, typed by its id
    "Or type the load's id": "或输入车次编号",
    "The list holds your latest {n} loads; type an older one's id here.": "列表只列出本企业最近的 {n} 个车次；更早的车次请在此输入编号。",
    "Choose a load from the list or type its id, not two different ones.": "请从列表中选择车次或输入车次编号，二者不能是不同的车次。",
    "Your rows are your enterprise's: the enterprise column (enterprise_id) may be left out or blank; a row naming another enterprise is refused.": "表中各行都记为本企业：“企业编号”列可以省略或留空；填写其他企业编号的行会被拒绝。",
}
