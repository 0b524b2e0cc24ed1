"""The words a sheet may use: header names per column and values per choice, Chinese or English.

ONE table each (HEADERS, CHOICES, YES, NO); `docs/sheets.md` shows them as rendered by
`markdown_tables()`, and a test checks that the page and these tables agree. Matching ignores
case, full-width forms (（分钟） = (分钟)), spaces, `_`, `-` and a `*` marking a required column.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

from hub_scheduler.domain import CargoCategory, HealthCode, Temperature, TestResult, TestType

# column -> accepted header names; the first is the name the service writes.
HEADERS: dict[str, tuple[str, ...]] = {
    "id": ("id", "load_id", "车次编号", "车次", "编号", "自编号", "运单号"),
    "enterprise_id": ("enterprise_id", "企业编号", "企业ID", "企业代码", "企业"),
    "category": ("category", "货物类别", "货类", "货物类型", "物资类别"),
    "temperature": ("temperature", "温层", "温度类型", "温控类型", "温区"),
    "handling_minutes": (
        "handling_minutes",
        "装卸时长(分钟)",
        "装卸时长",
        "作业时长(分钟)",
        "作业时长",
    ),
    "release": ("release", "预计到达", "预计到达时间", "到达时间", "到场时间"),
    "due": ("due", "期望完成", "期望完成时间"),
    "deadline": ("deadline", "最晚完成", "最晚完成时间", "截止时间"),
    "priority_weight": ("priority_weight", "优先级权重", "权重"),
    "allowed_hubs": ("allowed_hubs", "允许场站", "指定场站"),
    "vehicle_plate": ("vehicle_plate", "车牌号", "车牌", "车牌号码"),
    "driver_phone": (
        "driver_phone",
        "司机电话",
        "司机手机",
        "司机手机号",
        "司机联系电话",
        "联系电话",
        "手机号",
    ),
    "has_pass": ("has_pass", "通行证", "持通行证", "是否有通行证"),
    "test_type": ("test_type", "检测类型", "检测方式"),
    "test_result": ("test_result", "检测结果"),
    "test_time": ("test_time", "采样时间", "检测时间"),
    "health_code": ("health_code", "健康码"),
    "body_temperature_c": ("body_temperature_c", "体温(℃)", "体温(°C)", "体温"),
    "origin_lat": ("origin_lat", "出发地纬度", "纬度"),
    "origin_lon": ("origin_lon", "出发地经度", "经度"),
    "disinfection_minutes": ("disinfection_minutes", "消杀时长(分钟)", "消杀时长"),
    "pass_valid_until": ("pass_valid_until", "通行证有效期", "通行证有效期至"),
    # A relay (H7): the partner load's id; checked like POST /loads (services/transfers.py).
    "transfer_to": ("transfer_to", "接驳去向", "接驳去向车次", "接驳至"),
    "transfer_from": ("transfer_from", "接驳来源", "接驳来源车次"),
    "transfer_min_gap_minutes": ("transfer_min_gap_minutes", "接驳间隔(分钟)", "接驳间隔"),
}

# choice -> accepted words besides the value itself (matched without case)
CHOICES: dict[type[StrEnum], dict[StrEnum, tuple[str, ...]]] = {
    CargoCategory: {
        CargoCategory.MEDICAL_SUPPLIES: ("医疗物资", "医疗", "防疫物资"),
        CargoCategory.DAILY_NECESSITIES: ("生活必需品", "生活物资"),
        CargoCategory.GOVERNMENT_RESERVE: ("政府储备物资", "政府储备"),
        CargoCategory.POSTAL_EXPRESS: ("邮政快递", "快递", "邮政"),
        CargoCategory.AGRICULTURAL: ("农产品", "农副产品"),
        CargoCategory.ENERGY: ("能源",),
        CargoCategory.RAW_MATERIALS: ("原材料", "生产原料"),
        CargoCategory.OTHER: ("其他", "其它"),
    },
    Temperature: {
        Temperature.COLD: ("冷链", "冷藏", "冷冻"),
        Temperature.AMBIENT: ("常温", "普通"),
    },
    HealthCode: {
        HealthCode.GREEN: ("绿码", "绿"),
        HealthCode.YELLOW: ("黄码", "黄"),
        HealthCode.RED: ("红码", "红"),
    },
    TestType: {TestType.PCR: ("核酸", "核酸检测"), TestType.ANTIGEN: ("抗原", "抗原检测")},
    TestResult: {TestResult.NEGATIVE: ("阴性",), TestResult.POSITIVE: ("阳性",)},
}

YES = ("是", "true", "yes", "y", "1", "有")
NO = ("否", "false", "no", "n", "0", "无")

_IGNORED = re.compile(r"[\s_\-*]+")


def normal(text: str) -> str:
    """The form words are compared in: NFKC (full-width to ASCII), lower case, no spaces or _-*."""
    return _IGNORED.sub("", unicodedata.normalize("NFKC", text)).lower()


_COLUMN_OF: dict[str, str] = {normal(n): col for col, names in HEADERS.items() for n in names}
_CHOICE_OF: dict[type[StrEnum], dict[str, StrEnum]] = {
    kind: {
        **{normal(m.value): m for m in kind},
        **{normal(w): m for m, words in CHOICES.get(kind, {}).items() for w in words},
    }
    for kind in (CargoCategory, Temperature, HealthCode, TestType, TestResult)
}
_FLAGS = {**{normal(w): True for w in YES}, **{normal(w): False for w in NO}}


def column_named(header: str) -> str | None:
    """The column a header cell names (`装卸时长（分钟）` -> handling_minutes), or None."""
    return _COLUMN_OF.get(normal(header))


def choice(kind: type[StrEnum], word: str) -> StrEnum | None:
    """The member a word names (`冷藏` -> Temperature.COLD), or None."""
    return _CHOICE_OF[kind].get(normal(word))


def choice_names(kind: type[StrEnum]) -> str:
    """`cold, ambient`: the accepted values by their codes, as the English error lists them."""
    return ", ".join(m.value for m in kind)


def choice_words(kind: type[StrEnum]) -> str:
    """`冷链、常温`: the accepted values by their Chinese words (a sheet takes them as they are),
    for the Chinese text of an error; a value without words by its code."""
    words = CHOICES.get(kind, {})
    return "、".join(words[m][0] if m in words else m.value for m in kind)


def flag(word: str) -> bool | None:
    return _FLAGS.get(normal(word))


def markdown_tables() -> str:
    """The accepted headers and values as Markdown, the text `docs/sheets.md` holds."""
    lines = ["| column | accepted headers |", "| --- | --- |"]
    lines += [f"| `{col}` | {', '.join(names)} |" for col, names in HEADERS.items()]
    lines += ["", "| value | accepted words |", "| --- | --- |"]
    for members in CHOICES.values():
        lines += [f"| `{m.value}` | {', '.join(words)} |" for m, words in members.items()]
    lines += [f"| yes | {', '.join(YES)} |", f"| no | {', '.join(NO)} (or an empty cell) |"]
    return "\n".join(lines) + "\n"
