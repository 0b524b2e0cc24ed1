"""The API's problem words (api/problem_words.py, api/web/problem_messages.py): each Chinese text
fills only the placeholders its English template captures, and the services' English texts are
said in Chinese with their values kept and their codes' labels said."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from api.problem_words import chinese, said, said_fields
from api.web.problem_messages import ZH
from tests.unit.latin_words import english_words

_NAME = re.compile(r"\{(\w+)\}")
_REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "english", [k for k in ZH if not k.startswith(("problem_err_", "problem_where_"))]
)
def test_each_chinese_text_fills_only_what_its_english_template_captures(english):
    names = _NAME.findall(english)
    assert len(names) == len(set(names)), f"a placeholder twice in {english!r}"
    assert set(_NAME.findall(ZH[english])) <= set(names), english
    assert re.search(r"[\u4e00-\u9fff]", ZH[english]), english


@pytest.mark.parametrize(
    ("english", "expected"),
    [
        ('no load "L-1"', "没有车次“L-1”"),
        ("no plan 12", "没有排程 12"),
        ("no webhook 3", "没有推送地址 3"),
        ("no hub XW-LP", "没有场站 XW-LP"),
        ("the body holds a NUL character", "请求内容中含有 NUL 字符"),
        (
            "slow down: at most 3 per 1 minute from here; try again after Retry-After seconds",
            "请求过于频繁：本来源每 1 分钟最多 3 次；请在 Retry-After 所示秒数后重试",
        ),
        ("no relay proposal 7 awaiting your answer", "没有等待您答复的接驳提议 7"),
        ("no relay proposal 7", "没有接驳提议 7"),
        (
            'load "L-1" is scheduled; it cannot become completed',
            "车次“L-1”当前为已排期，不能改为已完成",
        ),
        (
            'hub "XW-LP" is active; it cannot become standby (a active hub can become: suspended)',
            "场站“XW-LP”当前为运行中，不能改为备用（运行中场站可改为：已暂停）",
        ),
        ("a operator token may not do this (needs admin, enterprise)", None),
        # The choices by their Chinese names, the code (what to send) in brackets.
        ('must be "cold" or "ambient"', "须为以下之一：冷链（cold）或常温（ambient）"),
        (
            'must be "medical_supplies", "daily_necessities" or "nothing_known"',
            "须为以下之一：医疗物资（medical_supplies）、生活必需品（daily_necessities）"
            "或“nothing_known”",
        ),
        ("must be one of no_slot, other", "须为以下之一：没有时段（no_slot）或其他（other）"),
        ("input should be greater than or equal to 1", "不能小于 1"),
        ("something the catalogue does not know", "something the catalogue does not know"),
    ],
)
def test_english_texts_are_said_in_chinese(english, expected):
    text = chinese(english)
    if expected is None:  # said with the roles' labels
        assert text == "场站操作员令牌无权执行此操作（需要：指挥部 / 园区管理、企业）"
    else:
        assert text == expected


def test_a_coded_field_is_said_by_its_code_and_english_is_left_alone():
    error = {
        "field": "at",
        "code": "time_in_future",
        "params": {"at": "2026-11-28T10:00:00+08:00", "now": "2026-11-28T08:00:00+08:00"},
        "message": "is later than now (2026-11-28T08:00:00+08:00): a gate time cannot be ...",
    }
    [zh] = said_fields([error], "zh-CN")
    assert zh == {
        **error,
        "message": "登记时间（2026-11-28 10:00）晚于当前时间（2026-11-28 08:00），"
        "不能填写将来的时间",
    }
    assert said_fields([error], "en") == [error]
    body = {"type": "about:blank", "title": "Conflict", "status": 409, "detail": "no plan 3"}
    assert said(body, "en") is body
    assert said(body, "zh-CN") == {**body, "title": "状态冲突", "detail": "没有排程 3"}


# Texts put together from parts (each whole is in the catalogue, tested above or by the API tests)
# and the command line's own (a scenario file, a migration): the scan cannot read them whole.
_PUT_TOGETHER = {
    "X1 is not valid",
    "X1 is not JSON (line X1, column X1)",
    "X1 is not JSON: it is not UTF-8 text",
    "X1 is later than now",
    "is later than now (X1): X1 cannot be in the future",
    "is X1, the inbound load X1: a relay stays in one temperature zone",
    'load "X1" is already the X1 of another relay',
    "unknown X1",
    "X1 already exists",  # repositories/base.py: hub "H1" / enterprise "E1" already exists
    'unknown X1 "X1"',
    "report X1 X1",
    '"X1" X1',
    "X1 files are read, not written",
    "X1 has X1X1; nothing was imported",
    "cannot migrate the database: X1",
    "the migration left rows without their parent: X1",
    "no X1",  # 'no load "L-1"', 'no plan 3': a kind and its id (services/principal.py)
}
_RAISED = {"ValidationFailed", "NotFound", "Conflict", "Forbidden", "Unauthorized", "SheetTooLarge"}
_RAISED |= {"BadRequest", "UnsupportedMediaType", "ServiceUnavailable"}  # werkzeug's, with details


def _written(node: ast.expr) -> str | None:
    """A string literal's text, an f-string's with `X1` for each value; None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "X1" for v in node.values)
    return None


def _service_texts() -> set[str]:
    """Every detail and field message the services and the API's edge write as a literal."""
    texts = set()
    for root in ("api", "hub_scheduler", "models"):
        for path in (_REPO / root).rglob("*.py"):
            if "web" in path.parts:  # the pages say their own words
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                said_as = [k.value for k in node.keywords if k.arg == "message"]
                if name in _RAISED and node.args:
                    said_as = [node.args[0]]
                if name in _RAISED | {"FieldError"}:
                    texts |= {t for t in map(_written, said_as) if t is not None}
    return texts


def test_every_text_the_services_raise_has_chinese_words():
    texts = _service_texts()
    assert len(texts) > 150  # the scan finds them
    unsaid = {t for t in texts if chinese(t) == t} - _PUT_TOGETHER
    assert not unsaid, sorted(unsaid)


def test_no_text_the_services_raise_is_said_half_in_english():
    """A text said in Chinese keeps no English words but its values and identifiers (the trial
    read "没有车次 has this vehicle": "no {what}" took "load has this vehicle" for an object)."""
    half = {}
    for text in _service_texts() - _PUT_TOGETHER:
        said_so = chinese(text)
        if english_words(said_so):
            half[text] = said_so
    assert half == {}
