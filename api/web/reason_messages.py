# ruff: noqa: E501  (a catalogue: one message a line reads better than wrapped strings)
"""Why a load has no slot, by the solver's detail code (`why_<detail>`, see
`hub_scheduler.domain.REASON_DETAILS` and `hub_scheduler.reason_words`), in English and zh-CN."""

from __future__ import annotations

EN: dict[str, str] = {
    "list_separator": ", ",
    "check_separator": "; ",
    # System-made reasons the audit log keeps by code (services/hubs.py, services/incidents.py)
    "audit_reason_DEEP_DISINFECTION": "Closed for deep disinfection",
    "audit_reason_POSITIVE_CASE": "Positive case",
    "why_enterprise_unknown": "Enterprise {enterprise} is unknown, so not on the white-list.",
    "why_enterprise_not_listed": "Enterprise {enterprise} is not on the white-list on {day}.",
    "why_screening_failed": "The driver fails entry screening: {checks}.",
    "why_no_zone": "No active hub has a {temperature} zone with docks.",
    "why_hubs_not_allowed": "Its allowed hubs ({hubs}) have no active {temperature} zone.",
    "why_window_deadline": "{minutes} min of handling do not fit between its arrival and its deadline.",
    "why_window_horizon": "{minutes} min of handling do not fit between its arrival and the end of the planned period.",
    "why_closed": "No opening period of a suitable hub, clear of blocked windows, holds it in its time window.",
    "why_pinned_hub_unknown": "It is pinned to hub {hub}, which is unknown; a pinned load is never moved.",
    "why_pinned_hub_status": "It is pinned to hub {hub}, which is {status}; a pinned load is never moved.",
    "why_pinned_dock": "It is pinned to dock {dock} at {hub}, which cannot take it.",
    "why_pinned_slot": "Its pinned slot at {hub} dock {dock} from {start} is not available (time window, opening hours, a blocked window or another pinned load).",
    "why_inbound_not_placed": "Its inbound load ({loads}) has no slot, or leaves none after it in the same zone.",
    "why_inbound_not_in_plan": "Its inbound load is not in this plan.",
    "why_capacity_no_slot": "No dock it may use has a free slot in its time window.",
    "why_capacity_taken": "It would fit at {hub} zone {zone} from {start} on an empty day, but the docks it may use are taken in its window (pinned loads, relays or crews).",
    "why_capacity_held": "It would fit at {hub} zone {zone} from {start} on an empty day, but in its window the docks it may use are held by loads of equal or higher priority: {loads}.",
    "why_capacity_held_more": "It would fit at {hub} zone {zone} from {start} on an empty day, but in its window the docks it may use are held by loads of equal or higher priority: {loads} and {more} more.",
    "why_hub_closed": "{hub} was closed; the slot was withdrawn.",
    "why_hub_closed_note": "{hub} was closed ({note}); the slot was withdrawn.",
}

ZH: dict[str, str] = {
    "list_separator": "、",
    "check_separator": "；",
    "audit_reason_DEEP_DISINFECTION": "封闭消杀",
    "audit_reason_POSITIVE_CASE": "阳性病例",
    "why_enterprise_unknown": "企业 {enterprise} 未登记，不在白名单内。",
    "why_enterprise_not_listed": "企业 {enterprise} 在 {day} 不在白名单内。",
    "why_screening_failed": "司机入场查验未通过：{checks}。",
    "why_no_zone": "没有运行中的场站设有带车位的{temperature}温区。",
    "why_hubs_not_allowed": "允许的场站（{hubs}）均没有运行中的{temperature}温区。",
    "why_window_deadline": "{minutes} 分钟的装卸作业无法在到达与最晚完成时间之间完成。",
    "why_window_horizon": "{minutes} 分钟的装卸作业无法在到达与排程时段结束之间完成。",
    "why_closed": "合适场站在其时间窗内没有可容纳它的开放时段（已扣除封闭时段）。",
    "why_pinned_hub_unknown": "该车已锁定到场站 {hub}，但该场站不存在；已锁定的车辆不会被调整。",
    "why_pinned_hub_status": "该车已锁定到场站 {hub}，该场站当前为{status}；已锁定的车辆不会被调整。",
    "why_pinned_dock": "该车已锁定到 {hub} 的车位 {dock}，但该车位不能接收它。",
    "why_pinned_slot": "该车锁定的时段（{hub} 车位 {dock}，{start} 起）不可用（时间窗、开放时间、封闭时段或其他锁定车辆）。",
    "why_inbound_not_placed": "对应的入场车次（{loads}）未排上，或其后同一温区已无时段。",
    "why_inbound_not_in_plan": "对应的入场车次不在本排程中。",
    "why_capacity_no_slot": "其时间窗内没有可用车位的空闲时段。",
    "why_capacity_taken": "若当天无其他车辆，它可在 {hub} {zone} 温区 {start} 起作业；但其时间窗内可用车位已被占用（已锁定车辆、接驳或班组）。",
    "why_capacity_held": "若当天无其他车辆，它可在 {hub} {zone} 温区 {start} 起作业；但其时间窗内可用车位已由同等或更高优先级的车辆占用：{loads}。",
    "why_capacity_held_more": "若当天无其他车辆，它可在 {hub} {zone} 温区 {start} 起作业；但其时间窗内可用车位已由同等或更高优先级的车辆占用：{loads} 等另 {more} 车。",
    "why_hub_closed": "{hub} 已关闭，原时段已撤销。",
    "why_hub_closed_note": "{hub} 已关闭（{note}），原时段已撤销。",
}
