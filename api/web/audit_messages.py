# ruff: noqa: E501  (a catalogue: one message a line reads better than wrapped strings)
"""The audit page's details in words: `audit_key_<key>` labels the keys the services write in an
entry's details (api/web/audit.py shows a key without a label as it is)."""

from __future__ import annotations

LABELS = {
    "answered": ("answered", "已答复"),
    "best_objective": ("best objective", "最优目标值"),
    "blocked": ("blocked", "受阻"),
    "cancelled": ("cancelled", "已取消"),
    "carried": ("carried over", "沿用"),
    "changed": ("changed", "改动"),
    "contacts": ("contacts", "联系人"),
    "count": ("count", "数量"),
    "dropped": ("dropped", "移出"),
    "elapsed_s": ("seconds", "用时（秒）"),
    "enterprise_id": ("enterprise", "企业"),
    "error": ("error", "错误"),
    "events": ("events", "事件"),
    "expires_at": ("expires", "到期时间"),
    "failures": ("failures", "失败次数"),
    "fields": ("fields", "字段"),
    "from": ("from", "从"),
    "horizon": ("horizon", "计划时段"),
    "horizon_end": ("horizon end", "计划结束"),
    "horizon_start": ("horizon start", "计划开始"),
    "hub_id": ("hub", "场站"),
    "hub_ids": ("hubs", "场站"),
    "hubs": ("hubs", "场站"),
    "inbound": ("inbound", "接驳来源"),
    "kept_on_site": ("kept on site", "留在场内"),
    "kind": ("kind", "类型"),
    "label": ("label", "名称"),
    "last_error": ("last error", "最近错误"),
    "load_id": ("load", "车次"),
    "load_ids": ("loads", "车次"),
    "loads": ("loads", "车辆"),
    "moved": ("moved", "调整"),
    "name": ("name", "名称"),
    "number": ("number", "编号"),
    "objective": ("objective", "目标值"),
    "owner": ("owner", "所属"),
    "parts": ("parts", "分片"),
    "placed": ("placed", "已排车辆"),
    "plan_id": ("plan", "计划"),
    "reason": ("reason", "原因"),
    "reason_code": ("reason code", "原因代码"),
    "replaced": ("replaced", "被替换"),
    "retired": ("retired", "停用"),
    "role": ("role", "角色"),
    "status": ("status", "状态"),
    "tier": ("tier", "等级"),
    "to": ("to", "至"),
    "unscheduled": ("unscheduled", "未排车辆"),
    "url": ("URL", "地址"),
    "vehicle_plate": ("plate", "车牌"),
    "whitelisted": ("white-listed", "白名单"),
    "window_id": ("window", "时段"),
    "worker": ("worker", "工作进程"),
}

EN = {f"audit_key_{key}": en for key, (en, _) in LABELS.items()}
ZH = {f"audit_key_{key}": zh for key, (_, zh) in LABELS.items()}
EN |= {
    "audit_sep": "; ",
    "audit_yes": "yes",
    "audit_no": "no",
    "Raw data": "Raw data",
    "audit_more": "… ({n} more)",
}
ZH |= {
    "audit_sep": "；",
    "audit_yes": "是",
    "audit_no": "否",
    "Raw data": "原始数据",
    "audit_more": "…（另有 {n} 项）",
}
