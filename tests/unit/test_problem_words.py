"""The API's problem words (api/problem_words.py, api/web/problem_messages.py): each Chinese text
fills only the placeholders its English template captures, and the services' English texts are
said in Chinese with their values kept and their codes' labels said."""

from __future__ import annotations

import re

import pytest

from api.problem_words import chinese, said, said_fields
from api.web.problem_messages import ZH

_NAME = re.compile(r"\{(\w+)\}")


@pytest.mark.parametrize("english", [k for k in ZH if not k.startswith("problem_err_")])
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
        ("no relay proposal 7 awaiting your answer", "没有等待您答复的接驳提议 7"),
        ("no relay proposal 7", "没有接驳提议 7"),
        (
            'load "L-1" is scheduled; it cannot become completed',
            "车次“L-1”当前为已排期，不能改为已完成",
        ),
        (
            'hub "XW-LP" is active; it cannot become standby (a active hub can become: suspended)',
            "场站“XW-LP”当前为运行中，不能改为备用（可改为：已停用）",
        ),
        ("a operator token may not do this (needs admin, enterprise)", None),
        ('must be "cold" or "ambient"', '须为 "cold" 或 "ambient" 之一'),
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
        "message": "登记时间（2026-11-28T10:00:00+08:00）"
        "晚于当前时间（2026-11-28T08:00:00+08:00），不能填写将来的时间",
    }
    assert said_fields([error], "en") == [error]
    body = {"type": "about:blank", "title": "Conflict", "status": 409, "detail": "no plan 3"}
    assert said(body, "en") is body
    assert said(body, "zh-CN") == {**body, "title": "状态冲突", "detail": "没有排程 3"}
