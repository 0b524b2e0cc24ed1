# ruff: noqa: E501  (a catalogue: one message a line reads better than wrapped strings)
"""The words of the fresh-user fixes on the gate, hub, board and token pages and `verify`:
English ids (or codes with their English) and their zh-CN text, one block."""

from __future__ import annotations

EN: dict[str, str] = {
    "list_sep": ", ",
    "gate_missing_test": "a test result (type, result, sampling time)",
    "gate_missing_health_code": "the health code",
    "gate_missing_temperature": "the body temperature",
    "token_id_header": "ID",
    "replan_why_stranded": "{n} slots no longer fit the hubs as they are now (opening hours, blocked windows or docks changed).",
    "replan_why_off_hub": "{n} slots are at a hub that is no longer active.",
    "replan_why_lost_slot": "{n} trucks lost their slot since (their hub was closed).",
    "replan_why_new_loads": "{n} trucks were submitted after the plan was published and have no slot.",
    "replan_why_activated": "Hubs activated after the plan was published take no truck yet: {hubs}.",
}

ZH: dict[str, str] = {
    "list_sep": "、",
    "gate_missing_test": "核酸/抗原检测结果（类型、结果、采样时间）",
    "gate_missing_health_code": "健康码",
    "gate_missing_temperature": "体温",
    "The load was submitted without: {parts}. Check them with the driver and fill them in here.": "该车次申报时缺少：{parts}。请向司机现场核验并在此填写。",
    "Filled in from the screening declared with the load: check it against the driver's papers.": "已按车次申报的查验信息预填，请与司机出示的证明核对。",
    "Arrived at (empty: now, {now})": "到达时间（留空为当前时间 {now}）",
    "token_id_header": "编号",
    "Expires after (days)": "有效天数",
    "{n} slots of the plan in force no longer fit the hub as it is now: re-plan now with the button below.": "现行排程中有 {n} 个车次时段已不再适合本场站当前的设置，请用下方按钮立即重新排程。",
    "Re-plan now (plan {id})": "立即重新排程（排程 {id}）",
    "replan_why_stranded": "{n} 个车次时段已不再适合场站当前的设置（营业时间、封闭时段或车位有变）。",
    "replan_why_off_hub": "{n} 个车次时段所在的场站已停用。",
    "replan_why_lost_slot": "{n} 辆车因所在场站关闭已失去时段。",
    "replan_why_new_loads": "{n} 辆车在排程发布后提交，尚无时段。",
    "replan_why_activated": "排程发布后启用的场站尚未安排车辆：{hubs}。",
    "The plan in force for {day} needs a re-plan:": "{day} 的现行排程需要重新排程：",
    "Re-plan {day} now": "立即重新排程 {day}",
}
