"""Why a late truck's new slot is not earlier: hand-made days, one per hard rule, each asserting the
rule named, the dock or zone, and the times (the site's clock), through the real repair."""

from __future__ import annotations

from datetime import UTC

from builders import assign, at, make_hub, make_load, make_scenario, make_zone

from api.web.i18n import translator
from hub_scheduler.reason_words import limit_words
from hub_scheduler.solver.repair import repair
from hub_scheduler.solver.why_not_earlier import why_not_earlier

ZH, EN = translator("zh-CN"), translator("en")


def explain(scenario, late_id: str, others, arrived: float):
    """The repair of `late_id` from minute `arrived` and its limits (as dicts)."""
    load = next(ld for ld in scenario.loads if ld.id == late_id)
    found = repair(scenario, load, others, at(arrived))
    limits = why_not_earlier(scenario, load, others, at(arrived), found.assignment)
    return found.assignment, [limit.as_dict() for limit in limits]


def test_h3_names_the_busy_dock_its_operation_and_its_disinfection():
    hub = make_hub(disinfection_minutes=10)
    day = make_scenario(
        hubs=[hub], loads=[make_load("A", handling=40), make_load("LATE", release=0)]
    )
    new, limits = explain(day, "LATE", [assign(day, "A", 60)], 70)
    assert new is not None and new.start == at(120)  # 01:50 on the 15-minute grid
    assert limits == [
        {
            "code": "dock_busy",
            "rule": "H3",
            "params": {
                "hub": "H1",
                "zone": "Z1",
                "dock": "D1",
                "start": "2026-11-27T01:00:00+08:00",
                "end": "2026-11-27T01:40:00+08:00",
                "until": "2026-11-27T01:50:00+08:00",
            },
        }
    ]
    assert limit_words(limits[0], ZH, {"H1": "一号场站"}) == (
        "一号场站 车位 D1 在 01:00–01:40 已被占用，并需消杀至 01:50（H3）。"
    )
    assert limit_words(limits[0], EN) == (
        "H1 dock D1 is taken 01:00–01:40 and disinfected until 01:50 (H3)."
    )


def test_h5_opening_hours_name_the_closed_period():
    hub = make_hub(opening_hours=[("08:00", "12:00"), ("13:00", "18:00")])
    day = make_scenario(hubs=[hub], loads=[make_load("LATE", handling=30, due=900)])
    new, limits = explain(day, "LATE", [], 11 * 60 + 45)  # 11:45: 30 min do not fit by 12:00
    assert new is not None and new.start == at(13 * 60)
    assert [(x["rule"], x["code"]) for x in limits] == [("H5", "outside_hours")]
    assert limits[0]["params"]["from"] == "2026-11-27T12:00:00+08:00"
    assert limits[0]["params"]["until"] == "2026-11-27T13:00:00+08:00"
    assert limit_words(limits[0], ZH) == "H1 在 12:00–13:00 不开放（H5）。"


def test_h5_a_blocked_window_of_the_dock_is_named():
    hub = make_hub(blocked=[{"start": 60, "end": 120, "dock_id": "D1", "reason": "赣B12345 消杀"}])
    day = make_scenario(hubs=[hub], loads=[make_load("LATE", due=600)])
    new, limits = explain(day, "LATE", [], 70)
    assert new is not None and new.start == at(120)
    assert limits == [
        {
            "code": "blocked_dock",
            "rule": "H5",
            "params": {
                "hub": "H1",
                "dock": "D1",
                "from": "2026-11-27T01:00:00+08:00",
                "until": "2026-11-27T02:00:00+08:00",
            },
        }
    ]  # the typed reason (a plate) is never named
    assert limit_words(limits[0], ZH) == "H1 车位 D1 在 01:00–02:00 为封闭时段（H5）。"


def test_h6_full_crews_are_named_with_the_zone_and_when_one_frees():
    zone = make_zone(docks=("D1", "D2"), crews=1)
    day = make_scenario(
        hubs=[make_hub(zones=[zone], disinfection_minutes=10)],
        loads=[make_load("A", handling=60), make_load("LATE", due=600)],
    )
    new, limits = explain(day, "LATE", [assign(day, "A", 60)], 75)
    assert new is not None and (new.dock_id, new.start) == ("D2", at(120))
    assert limits[0] == {
        "code": "crews_full",
        "rule": "H6",
        "params": {
            "hub": "H1",
            "zone": "Z1",
            "crews": 1,
            "from": "2026-11-27T01:15:00+08:00",
            "until": "2026-11-27T02:00:00+08:00",
        },
    }
    assert limit_words(limits[0], ZH) == (
        "H1 Z1 温区的 1 个作业班组自 01:15 起已满，至 02:00 才有空闲（H6）。"
    )
    # the other dock is held by the operation itself (H3), named after the new slot's dock
    assert [x["rule"] for x in limits[1:]] == ["H3"] and limits[1]["params"]["dock"] == "D1"


def test_h8_a_full_site_is_named_with_its_limit():
    day = make_scenario(
        hubs=[
            make_hub(
                zones=[make_zone(docks=("D1", "D2"))], max_trucks_on_site=1, disinfection_minutes=10
            )
        ],
        loads=[make_load("A", handling=60), make_load("LATE", due=600)],
    )
    new, limits = explain(day, "LATE", [assign(day, "A", 60)], 60)
    assert new is not None and (new.dock_id, new.start) == ("D2", at(120))
    assert (limits[0]["rule"], limits[0]["code"]) == ("H8", "site_full")
    assert limits[0]["params"] == {
        "hub": "H1",
        "trucks": 1,
        "from": "2026-11-27T01:00:00+08:00",
        "until": "2026-11-27T02:00:00+08:00",
    }
    assert "同时在场车辆" in limit_words(limits[0], ZH) and "（H8）" in limit_words(limits[0], ZH)


def test_h1_a_free_dock_of_the_other_temperature_is_named_as_off_limits():
    zones = [make_zone("COLD", "cold", docks=("C1",)), make_zone("AMB", "ambient", docks=("A1",))]
    day = make_scenario(
        hubs=[make_hub(zones=zones)],
        loads=[
            make_load("A", handling=40, temperature="cold"),
            make_load("LATE", temperature="cold"),
        ],
    )
    others = [assign(day, "A", 60, zone_id="COLD", dock_id="C1")]
    new, limits = explain(day, "LATE", others, 60)
    assert new is not None and (new.dock_id, new.start) == ("C1", at(105))
    assert [(x["rule"], x["code"]) for x in limits] == [
        ("H3", "dock_busy"),
        ("H1", "other_temperature"),
    ]
    h1 = limits[1]["params"]
    assert (h1["zone"], h1["temperature"], h1["zone_temperature"]) == ("AMB", "cold", "ambient")
    assert limit_words(limits[1], ZH) == "H1 AMB 温区为常温温区，冷链货物不能进入（H1）。"


def test_a_chain_of_limits_on_the_new_slots_dock_reaches_the_new_start():
    # The dock is busy until 01:50; from 02:00 30 min no longer fit before the hub's blocked
    # window 02:30-03:00: both are named, in order.
    hub = make_hub(disinfection_minutes=10, blocked=[{"start": 150, "end": 180}])
    day = make_scenario(hubs=[hub], loads=[make_load("A", handling=40), make_load("LATE", due=600)])
    new, limits = explain(day, "LATE", [assign(day, "A", 60)], 70)
    assert new is not None and new.start == at(180)
    assert [(x["rule"], x["code"]) for x in limits] == [("H3", "dock_busy"), ("H5", "blocked_hub")]


def test_no_slot_left_names_the_deadline():
    day = make_scenario(
        loads=[make_load("A", handling=60), make_load("LATE", due=100, deadline=100)]
    )
    new, limits = explain(day, "LATE", [assign(day, "A", 30)], 30)
    assert new is None
    # the dock is busy until 01:30, and from then 30 min no longer fit by the deadline: the
    # deadline is what leaves no slot
    assert [(x["rule"], x["code"]) for x in limits] == [("H4", "deadline_reached")]
    assert limit_words(limits[0], ZH) == "在最晚完成时间 01:40 之前已排不下（H4）。"


def test_times_are_the_sites_clock_whatever_the_plans_offset():
    day = make_scenario(loads=[make_load("A", handling=40), make_load("LATE")])
    a = assign(day, "A", 60)
    in_utc = a.model_copy(
        update={k: getattr(a, k).astimezone(UTC) for k in ("start", "end", "disinfected_at")}
    )
    _, limits = explain(day, "LATE", [in_utc], 70)
    assert limits[0]["params"]["start"] == "2026-11-27T01:00:00+08:00"
    assert "01:00–01:40" in limit_words(limits[0], ZH)


def test_h7_an_inbound_must_be_done_before_its_outbound_collects():
    day = make_scenario(
        hubs=[make_hub(disinfection_minutes=10)],
        loads=[make_load("IN", handling=30), make_load("OUT", handling=30), make_load("X")],
        transfers=[("IN", "OUT", 5)],
    )
    others = [assign(day, "OUT", 120), assign(day, "X", 60)]
    new, limits = explain(day, "IN", others, 70)  # X holds the dock until 01:40
    assert new is None
    assert limits == [
        {"code": "relay_before", "rule": "H7", "params": {"start": "2026-11-27T02:00:00+08:00"}}
    ]
    assert limit_words(limits[0], ZH) == (
        "其货物由接驳车辆于 02:00 起接走，须在此之前完成作业并消杀车位（H7）。"
    )
