# ruff: noqa: E501  (a catalogue: one message a line reads better than wrapped strings)
"""The words of the fresh-user fixes on the gate, hub, board and token pages and `verify`:
English ids (or codes with their English) and their zh-CN text, one block."""

from __future__ import annotations

from hub_scheduler.verify.findings import FINDINGS

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
    "replan_why_unplanned_loads": "{n} trucks are submitted for the day and wait for a plan.",
    # `hub-scheduler verify` and a refused publish (api/verify_words.py): `verify_<code>`, the
    # verifier's own English templates (hub_scheduler/verify/findings.py), one place
    **{f"verify_{code}": template for code, (_, template) in FINDINGS.items()},
}

ZH: dict[str, str] = {
    "list_sep": "、",
    "gate_missing_test": "核酸/抗原检测结果（类型、结果、采样时间）",
    "gate_missing_health_code": "健康码",
    "gate_missing_temperature": "体温",
    "The load was submitted without: {parts}. Check them with the driver and fill them in here.": "该车次申报时缺少：{parts}。请向司机现场核验并在此填写。",
    "Filled in from the screening declared with the load: check it against the driver's papers.": "已按车次申报的查验信息预填，请与司机出示的证明核对。",
    "Arrived at (empty: now, {now})": "到达时间（留空为当前时间 {now}）",
    "Screening data incomplete": "申报查验信息不全",
    "token_id_header": "编号",
    "Expires after (days)": "有效天数",
    "{n} slots of the plan in force no longer fit the hub as it is now: re-plan now with the button below.": "现行排程中有 {n} 个车次时段已不再适合本场站当前的设置，请用下方按钮立即重新排程。",
    "Re-plan now (plan {id})": "立即重新排程（排程 {id}）",
    "replan_why_stranded": "{n} 个车次时段已不再适合场站当前的设置（营业时间、封闭时段或车位有变）。",
    "replan_why_off_hub": "{n} 个车次时段所在的场站已暂停。",
    "replan_why_lost_slot": "{n} 辆车因所在场站关闭已失去时段。",
    "replan_why_new_loads": "{n} 辆车在排程发布后提交，尚无时段。",
    "replan_why_activated": "排程发布后启用的场站尚未安排车辆：{hubs}。",
    "The plan in force for {day} needs a re-plan:": "{day} 的现行排程需要重新排程：",
    "Re-plan {day} now": "立即重新排程 {day}",
    # ops3: tomorrow without any plan in force
    "Tomorrow ({day}) has no plan yet.": "明日（{day}）尚无排程。",
    "replan_why_unplanned_loads": "已有 {n} 辆车提交，等待排程。",
    "Plan {day} now": "立即排程 {day}",
    # ops3b: tomorrow's plan job already asked for (no second plan offered)
    "The plan for tomorrow ({day}) is being computed.": "明日（{day}）排程正在计算。",
    "The plan for tomorrow ({day}) is ready and waits for review and publishing.": "明日（{day}）排程已生成，待审核发布。",
    "Follow plan job {id}": "查看排程任务 {id} 的进度",
    "Review plan {id}": "审核排程 {id}",
    # `hub-scheduler verify` and a refused publish (api/verify_words.py)
    "verify_unknown_load": "结构：车次 {load} 不在场景中",
    "verify_unknown_hub": "结构：车次 {load} 的场站 {hub} 不存在",
    "verify_unknown_zone": "结构：车次 {load} 的温区 {zone} 在场站 {hub} 中不存在",
    "verify_dock_in_other_zone": "结构：车次 {load} 的车位 {dock} 属于温区 {other}，不在场站 {hub} 的温区 {zone} 中",
    "verify_unknown_dock": "结构：车次 {load} 的车位 {dock} 不存在，不在场站 {hub} 的温区 {zone} 中",
    "verify_unknown_unscheduled": "结构：未排车次 {load} 不在场景中",
    "verify_closed_but_assigned": "结构：车次 {load} 状态为“{load_status}”，却被排了时段",
    "verify_not_planned": "结构：车次 {load} 既未排入时段，也未列为未排车次",
    "verify_assigned_twice": "结构：车次 {load} 被排了 {n} 次",
    "verify_unscheduled_twice": "结构：车次 {load} 被列为未排 {n} 次",
    "verify_assigned_and_unscheduled": "结构：车次 {load} 既排了时段又列为未排",
    "verify_wrong_end": "结构：车次 {load} 的结束时间 {end} 不等于开始时间加 {minutes} 分钟",
    "verify_wrong_disinfected_at": "结构：车次 {load} 的消杀完成时间 {at} 不等于结束时间加 {minutes:g} 分钟",
    "verify_wrong_temperature": "H1 车次 {load} 为{temperature}，但场站 {hub} 的温区 {zone} 为{zone_temperature}",
    "verify_hub_not_active": "H2 车次 {load} 排在场站 {hub}，该场站状态为“{hub_status}”",
    "verify_dock_overlap": "H3 场站 {hub} 的车位 {dock}：{first} 与 {second} 时间重叠（{first} 占用至 {until}，{second} 于 {start} 开始）",
    "verify_before_release": "H4 车次 {load} 于 {start} 开始，早于其可作业时间 {release}",
    "verify_after_deadline": "H4 车次 {load} 于 {end} 结束，晚于其最晚完成时间 {deadline}",
    "verify_outside_horizon": "H4 车次 {load} 的占用时段 {start}..{end} 超出排程时段",
    "verify_before_now": "H4 车次 {load} 于 {start} 开始，早于当前时间 {now}",
    "verify_outside_hours": "H5 车次 {load} 在场站 {hub} 占用 {start}-{end}（{tz}），不在同一个营业时段内",
    "verify_blocked_dock": "H5 车次 {load} 在场站 {hub} 与车位 {dock} 的封闭时段（{start}..{end}）冲突",
    "verify_blocked_zone": "H5 车次 {load} 在场站 {hub} 与温区 {zone} 的封闭时段（{start}..{end}）冲突",
    "verify_blocked_hub": "H5 车次 {load} 与场站 {hub} 的封闭时段（{start}..{end}）冲突",
    "verify_crews_overbooked": "H6 场站 {hub} 的温区 {zone}：{at} 同时有 {n} 项作业，只有 {crews} 个班组（{loads}）",
    "verify_inbound_missing": "H7 去向车次 {outbound} 已排时段，但其来源车次 {inbound} 未排",
    "verify_relay_elsewhere": "H7 去向车次 {outbound} 在场站 {out_hub} 的温区 {out_zone}，但其来源车次 {inbound} 在场站 {in_hub} 的温区 {in_zone}",
    "verify_relay_too_early": "H7 去向车次 {outbound} 于 {start} 开始，早于来源车次 {inbound} 作业结束、消杀完成并间隔 {gap} 分钟之后（{earliest}）",
    "verify_site_over_capacity": "H8 场站 {hub}：{at} 场内有 {n} 辆车，最多允许 {cap} 辆（{loads}）",
    "verify_off_grid": "H9 车次 {load} 在排程开始后 {minutes:g} 分钟开始，不在场站 {hub} 的 {slot} 分钟时段网格上",
    "verify_pin_moved": "H10 车次 {load} 已锁定在场站 {pin_hub} 的车位 {pin_dock}（{pin_start}），却被排在场站 {hub} 的车位 {dock}（{start}）",
    "verify_not_whitelisted": "H11 车次 {load}：企业 {enterprise} 在 {day} 不在白名单上",
    "verify_fails_screening": "H11 车次 {load}：入场查验未通过：{checks}",
    "verify_hub_not_allowed": "H11 车次 {load} 排在场站 {hub}，不在其允许的场站之中",
    "verify_objective_differs": "目标值：报告为 {reported:g}，但按排程重新计算为 {objective:g}",
    "verify_bound_above": "目标值：下界 {bound:g} 高于排程的目标值 {objective:g}",
}
