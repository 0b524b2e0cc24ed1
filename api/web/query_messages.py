"""Query parameters by name, as a problem or a page's error names them (`query_field_<name>`):
`?date=bad` is 日期 in Chinese, and stays `date` (what the address holds) in English."""

from __future__ import annotations

# name -> Chinese words; the API's query schemas' fields (api/schemas/*Query) and the pages' own.
_ZH_NAMES = {
    "date": "日期",
    "day": "日期",
    "horizon": "排程日期",
    "from": "起始时刻",
    "to": "结束时刻",
    "zoom": "缩放比例",
    "hub": "场站",
    "hub_id": "场站编号",
    "zone": "温区",
    "enterprise": "企业",
    "enterprise_id": "企业编号",
    "choice": "排程方案",
    "a": "排程 A",
    "b": "排程 B",
    "plan": "排程",
    "status": "状态",
    "kind": "类型",
    "limit": "每页条数",
    "offset": "起始序号",
    "action": "操作",
    "target_type": "对象类型",
    "target_id": "对象编号",
    "vehicle_plate": "车牌号",
    "dry_run": "仅校验",
    "unread": "仅看未读",
    "format": "文件格式",
    "lang": "语言",
    "token": "查询凭证",
    "query": "查询参数",
}
PREFIX = "query_field_"
EN = {PREFIX + name: name for name in _ZH_NAMES}
ZH = {PREFIX + name: words for name, words in _ZH_NAMES.items()}
