"""Why a load has no slot, in the reader's language: the solver's detail code and parameters,
written through the pages' catalogue (zh-CN and English) with hubs by name."""

from __future__ import annotations

import pytest
from builders import make_hub, make_load, make_scenario

from api.web.i18n import translator
from hub_scheduler.domain import REASON_DETAILS, ReasonCode, Unscheduled
from hub_scheduler.reason_words import reason_words
from hub_scheduler.solver import solve
from hub_scheduler.solver.eligibility import Reason

ZH, EN = translator("zh-CN"), translator("en")
NAMES = {"H1": "一号场站"}


def left_out(scenario) -> dict[str, Unscheduled]:
    schedule = solve(scenario, time_limit_s=1.0, workers=1, seed=0)
    return {u.load_id: u for u in schedule.unscheduled}


def test_a_squeezed_out_load_names_the_hub_by_name_and_the_loads_holding_it_in_chinese():
    loads = [
        make_load("HEAVY", handling=60, deadline=60, due=60, priority_weight=9),
        make_load("LIGHT", handling=60, deadline=60, due=60, priority_weight=2),
    ]
    u = left_out(make_scenario(loads=loads))["LIGHT"]
    assert (u.reason_code, u.reason_detail) == (ReasonCode.CAPACITY, "capacity_held")
    assert u.reason_params["loads"] == ["HEAVY"] and u.reason_params["hub"] == "H1"
    zh = reason_words(u, ZH, NAMES)
    assert "一号场站" in zh and "HEAVY" in zh and "H1" not in zh and "占用" in zh
    assert "held by loads of equal or higher priority: HEAVY." in reason_words(u, EN, NAMES)


def test_the_pre_checks_give_a_detail_each_written_in_chinese():
    hub = make_hub(opening_hours=[("09:00", "10:00")])
    closed = left_out(make_scenario(hubs=[hub], loads=[make_load("LONG", handling=75)]))["LONG"]
    assert closed.reason_detail == "closed" and "开放时段" in reason_words(closed, ZH)
    cold = left_out(make_scenario(loads=[make_load("C", temperature="cold")]))["C"]
    assert cold.reason_detail == "no_zone" and cold.reason_params == {"temperature": "cold"}
    assert reason_words(cold, ZH) == "没有运行中的场站设有带车位的冷链温区。"
    assert reason_words(cold, EN) == "No active hub has a Cold chain zone with docks."


def test_an_outbound_whose_inbound_is_out_names_it():
    loads = [make_load("IN", handling=60, deadline=30), make_load("OUT")]
    u = left_out(make_scenario(loads=loads, transfers=[("IN", "OUT", 0)]))["OUT"]
    assert u.reason_detail == "inbound_not_placed" and u.reason_params["loads"] == ["IN"]
    assert reason_words(u, ZH) == "对应的入场车次（IN）未排上，或其后同一温区已无时段。"


def test_failed_screening_checks_are_listed_in_chinese():
    u = Unscheduled(
        load_id="L",
        reason_code=ReasonCode.SCREENING_FAILED,
        reason="the driver fails entry screening (...)",
        reason_detail="screening_failed",
        reason_params={
            "checks": [
                {"code": "TEST_TOO_OLD", "params": {"age_h": 80, "max_h": 48}},
                {"code": "HEALTH_CODE", "params": {"health_code": "yellow"}},
            ]
        },
    )
    assert reason_words(u, ZH) == (
        "司机入场查验未通过：到达时检测已过 80 小时（最多 48 小时）；健康码为黄码，不是绿码。"
    )


def test_a_plan_without_details_and_an_unknown_detail_give_no_words():
    old = Unscheduled(load_id="L", reason_code=ReasonCode.CAPACITY, reason="full")
    assert reason_words(old, ZH) == ""
    newer = old.model_copy(update={"reason_detail": "from_the_future"})
    assert reason_words(newer, ZH) == ""


def test_a_reason_with_a_detail_not_in_the_catalogue_is_refused():
    with pytest.raises(ValueError, match="REASON_DETAILS"):
        Reason(ReasonCode.CLOSED, "text", "closd")
    assert "closed" in REASON_DETAILS
