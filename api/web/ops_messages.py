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
}
