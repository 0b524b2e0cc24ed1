# ruff: noqa: E501  (a catalogue: one message a line reads better than wrapped strings)
"""The audit page's details in words: `audit_key_<key>` labels the keys the services write in an
entry's details (api/web/audit.py shows a key without a label as it is)."""

from __future__ import annotations

from api.web.hub_admin_messages import FIELDS_EN, FIELDS_ZH

LABELS = {
    "answered": ("answered", "已答复"),
    "at": ("at", "时间"),
    "incident_ids": ("incidents", "疫情事件"),
    "note": ("note", "说明"),
    "slot_start": ("slot start", "时段开始"),
    "best_objective": ("best objective", "最优目标值"),
    "blocked": ("blocked", "受阻"),
    "cancelled": ("cancelled", "已取消"),
    "carried": ("carried over", "沿用"),
    "cause": ("cause", "起因"),
    "changed": ("changed", "改动"),
    "code": ("reason", "原因"),
    "contacts": ("contacts", "联系人"),
    "count": ("count", "数量"),
    "deadline": ("deadline", "最晚完成时间"),
    "deadline_field": ("time passed", "已过时间"),
    "decided_at": ("decided at", "答复时间"),
    "decided_by": ("decided by", "答复人"),
    "dock": ("dock", "车位"),
    "dock_id": ("dock", "车位"),
    "dropped": ("dropped", "移出"),
    "due": ("due", "期望完成时间"),
    "earliest": ("earliest start", "最早开始"),
    "elapsed_s": ("seconds", "用时（秒）"),
    "end": ("end", "结束"),
    "enterprise_id": ("enterprise", "企业"),
    "error": ("error", "错误"),
    "events": ("events", "事件"),
    "expires_at": ("expires", "到期时间"),
    "failed_checks": ("failed checks", "未通过的查验"),
    "failures": ("failures", "失败次数"),
    "fields": ("fields", "字段"),
    "for_load": ("made room for", "让位给车次"),
    "from": ("from", "从"),
    "horizon": ("horizon", "排程时段"),
    "horizon_end": ("horizon end", "排程结束"),
    "horizon_start": ("horizon start", "排程开始"),
    "held_elsewhere": ("kept by another day's plan", "由另一天的排程安排"),
    "hub_id": ("hub", "场站"),
    "hub_ids": ("hubs", "场站"),
    "hubs": ("hubs", "场站"),
    "id": ("id", "编号"),
    "idempotency_key": ("idempotency key", "幂等键"),
    "inbound": ("inbound", "接驳来源"),
    "kept_on_site": ("kept on site", "留在场内"),
    "kind": ("kind", "类型"),
    "label": ("label", "名称"),
    "last_error": ("last error", "最近错误"),
    "load_id": ("load", "车次"),
    "load_ids": ("loads", "车次"),
    "loads": ("loads", "车辆"),
    "min_gap_minutes": ("min. gap (min)", "接驳间隔（分钟）"),
    "moved": ("moved", "调整"),
    "name": ("name", "名称"),
    "new_dock": ("new dock", "新车位"),
    "new_start": ("new start", "新开始时间"),
    "now": ("as of", "排程基准时间"),
    "number": ("number", "编号"),
    "objective": ("objective", "目标值"),
    "outbound": ("outbound", "接驳去向"),
    "owner": ("owner", "所属"),
    "params": ("details", "详情"),
    "partner_enterprise_id": ("partner enterprise", "对方企业"),
    "partner_load": ("partner's load", "对方车次"),
    "parts": ("parts", "分片"),
    "placed": ("placed", "已排车辆"),
    "plan_id": ("plan", "排程"),
    "planned_start": ("planned start", "原定开始"),
    "proposed_at": ("proposed at", "提议时间"),
    "proposed_by": ("proposed by", "提议人"),
    "proposer_enterprise_id": ("proposing enterprise", "提议企业"),
    "reason": ("reason", "原因"),
    "reason_code": ("reason code", "原因代码"),
    "replaced": ("replaced", "被替换"),
    "retired": ("retired", "停用"),
    "role": ("role", "角色"),
    "rule": ("rule broken", "所涉规则"),
    "seed": ("random seed", "随机种子"),
    "shift_minutes": ("shifted (min)", "顺延（分钟）"),
    "start_moved": ("start moved (dock still in use)", "车位仍被占用，开始时间顺延"),
    "source_load_id": ("positive load", "阳性车次"),
    "split": ("split", "分片"),
    "stability": ("stability weight", "稳定性权重"),
    "start": ("start", "开始"),
    "started_at": ("actual start", "实际开始"),
    "status": ("status", "状态"),
    "tier": ("tier", "等级"),
    "time_limit_s": ("time limit (s)", "求解时限（秒）"),
    "to": ("to", "至"),
    "tried": ("slots tried", "尝试时段数"),
    "unscheduled": ("unscheduled", "未排车辆"),
    "url": ("URL", "地址"),
    "vehicle_plate": ("plate", "车牌"),
    "whitelisted": ("white-listed", "白名单"),
    "window_id": ("window", "时段"),
    "worker": ("worker", "工作进程"),
    "workers": ("workers", "并行进程数"),
    "zone_id": ("zone", "温区"),
}

# site.screening's and enterprise.update's fields by the words of their forms (hub_admin_messages)
FORM_FIELDS = (
    "required",
    "max_test_age_hours",
    "allow_antigen",
    "max_body_temperature_c",
    "valid_from",
    "valid_until",
)
LABELS |= {key: (FIELDS_EN[key], FIELDS_ZH[key]) for key in FORM_FIELDS}

# A code a detail keeps (a repair's `code`, a shift's `cause`, a hold's), as its sentence; the
# system-made window's and positive case's are in reason_messages.py.
REASONS = {
    "LATE_ARRIVAL": ("The truck came after its slot", "车辆晚于原定时段到达"),
    "ETA_CHANGED": ("The expected arrival changed", "预计到达时间变更"),
    "DOCK_BLOCKED": ("Its dock was blocked", "原车位被封闭"),
    "WALK_IN": ("The truck came without a slot", "车辆无预约时段到场"),
    "NO_SLOT_LEFT": ("No slot is left", "已无可用时段"),
    "DEADLINE_PASSED": ("Its deadline has passed: no slot is left", "已过截止时间，无可用时段"),
    "SHIFTED_FOR_REPAIR": ("Moved later to make room for a late truck", "为迟到车辆腾出时段而顺延"),
    "DOCK_STILL_IN_USE": (
        "Its dock was still in use by a truck that ran late: its start moved to when the dock is free",
        "前车超时仍占用车位，开始时间顺延至车位空出",
    ),
    "LATE_START": (
        "The truck started after its slot: its slot moved to its real start",
        "车辆晚于排定时段开始作业，时段改为实际开始时间",
    ),
    "DOCK_TAKEN_BY_LATE_START": (
        "A truck that started late holds its dock: its slot moved to when the dock is free",
        "前车晚于时段开始作业占用车位，时段顺延至车位空出",
    ),
    "RUN_OVERLAPS_SLOT": (
        "The truck's real run reaches into another truck's slot on its dock: its slot follows its real start",
        "车辆实际作业与同车位其他车辆时段重叠，时段改为实际开始时间",
    ),
    "DOCK_TAKEN_BY_RUN": (
        "Another truck's real run holds its dock over its slot: its slot moved to when the dock is free",
        "同车位其他车辆实际作业占用车位，时段顺延至车位空出",
    ),
    "MOVED_FOR_STARTED_RUN": (
        "A started truck's real run takes a crew, a place on site or the relay time its slot needed: its slot moved",
        "已开始作业车辆的实际作业占用了本时段所需的作业班组、场内车位或接驳时间，时段已调整",
    ),
    # A publish's `dropped` entries (services/publish_losses.py): why a load lost its slot
    "SCREENING_FAILED": ("Turned away at the gate's screening", "入场查验未通过"),
    "NO_SHOW": ("The truck did not come", "车辆未到场"),
    "OUT_OF_PLAN": ("Not covered by the new plan", "新排程不含该车次"),
    "RELAY_OF_POSITIVE": (
        "Relay partner of a positive truck: held for inspection",
        "阳性车辆的接驳车次：暂扣待查",
    ),
    # A failed plan job's `code` (plan.fail, hub_scheduler/services/job_failures.py); its whole
    # story is the entry's English `error`, for staff
    "job_stale": ("Its worker stopped answering", "工作进程无响应"),
    "job_worker_lost": ("Its worker stopped answering; not retried", "工作进程无响应，不再重试"),
    "job_crashed": ("The job broke off with an error", "任务运行出错"),
    "plan_not_verified": ("The plan failed verification", "排程未通过校验"),
    "merge_not_verified": ("The merged plan failed verification", "合并后的排程未通过校验"),
    "merge_crashed": ("Merging the parts broke off with an error", "合并分片时出错"),
    "part_failed": ("A part job did not succeed", "分片任务未成功"),
}
# Other values a detail says in words: a proposal's status, a hold's kind, a failed check's code.
VALUES = {
    "audit_proposal_pending": ("pending", "待答复"),
    "audit_proposal_confirmed": ("confirmed", "已确认"),
    "audit_proposal_declined": ("declined", "已拒绝"),
    "audit_kind_value_relay_inbound": ("its inbound relay", "接驳来源车次"),
    "audit_kind_value_relay_outbound": ("its outbound relay", "接驳去向车次"),
    "audit_check_NO_SCREENING": ("no pass and no screening data", "无通行证也无查验信息"),
    "audit_check_NO_TEST": ("no test result", "无检测结果"),
    "audit_check_TEST_TYPE": ("test type not accepted", "检测类型不被接受"),
    "audit_check_TEST_POSITIVE": ("test positive", "检测阳性"),
    "audit_check_TEST_TOO_OLD": ("test too old", "检测已超时效"),
    "audit_check_TEST_IN_FUTURE": ("sampling after arrival", "采样时间晚于到达"),
    "audit_check_HEALTH_CODE": ("health code not green", "健康码非绿码"),
    "audit_check_NO_TEMPERATURE": ("no body temperature", "未测体温"),
    "audit_check_FEVER": ("fever", "体温过高"),
}

EN = {f"audit_key_{key}": en for key, (en, _) in LABELS.items()}
ZH = {f"audit_key_{key}": zh for key, (_, zh) in LABELS.items()}
EN |= {f"audit_reason_{code}": en for code, (en, _) in REASONS.items()}
ZH |= {f"audit_reason_{code}": zh for code, (_, zh) in REASONS.items()}
EN |= {key: en for key, (en, _) in VALUES.items()}
ZH |= {key: zh for key, (_, zh) in VALUES.items()}
EN |= {
    "audit_sep": "; ",
    "audit_yes": "yes",
    "audit_no": "no",
    "Raw data": "Raw data",
    "audit_more": "… ({n} more)",
    "audit_reason_activation": "activation: {reason}",
    "audit_reason_undone": "undone, the slots could not be withdrawn: {reason}",
    "audit_reason_switch": "hub {hub} {status}: {reason}",
}
ZH |= {
    "audit_sep": "；",
    "audit_yes": "是",
    "audit_no": "否",
    "Raw data": "原始数据",
    "audit_more": "…（另有 {n} 项）",
    "audit_reason_activation": "应急启用：{reason}",
    "audit_reason_undone": "已撤回，原时段无法撤销：{reason}",
    "audit_reason_switch": "场站 {hub} {status}：{reason}",
}
