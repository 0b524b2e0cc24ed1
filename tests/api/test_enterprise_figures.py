"""An enterprise reads only its own loads' figures of a plan: never the whole county plan's
totals, rates, waits, utilisation or objective, never how many trucks (or late trucks) the other
enterprises have. Two enterprises, E01 and E02, read the same published plan: E02's numbers and
loads never reach E01, over the API and on E01's pages."""

from __future__ import annotations

from api.web.i18n import translator
from hub_scheduler.reason_words import reason_words
from tests.api.web_pages import ZH, signed_in

EN, ZH_WORDS = translator("en"), translator("zh-CN")
EN_PAGE = {"Accept-Language": "en"}
OWN_ENGLISH = (
    "It would fit at XW-LP zone Z1 from 11-28 08:00 on an empty day, but in its window the docks "
    "it may use are held by loads of equal or higher priority: L002."
)

PUBLISHED = "/api/v1/plans/published?date=2026-11-28"
OWN_FIGURES = {"placed", "unscheduled", "late_count", "late_loads"}


def _view(client, headers) -> dict:
    answer = client.get(PUBLISHED, headers=headers)
    assert answer.status_code == 200, answer.json
    return answer.json


def test_each_enterprise_reads_only_its_own_figures_of_the_plan(client, tokens, published, xunwu):
    staff = published["plan"]
    assert staff["kpis"]["placed"] == staff["placed"] and staff["objective"] is not None
    e01, e02 = _view(client, tokens["enterprise"]), _view(client, tokens["other_enterprise"])
    for view in (e01, e02):
        plan = view["plan"]
        assert set(plan["kpis"]) == OWN_FIGURES, plan["kpis"]
        assert plan["placed"] == plan["kpis"]["placed"] == len(view["assignments"])
        assert plan["unscheduled"] == plan["kpis"]["unscheduled"] == len(view["unscheduled"])
        assert (plan["objective"], plan["bound"], plan["gap"]) == (None, None, None)
        assert plan["kpis"]["late_count"] >= len(plan["kpis"]["late_loads"])
    # the two enterprises' slots make up part of the plan, each sees only its share
    mine = len(e01["assignments"])
    assert mine and len(e02["assignments"]) and mine + len(e02["assignments"]) < staff["placed"]
    staff_late = staff["kpis"]["late_loads"]
    own_late = [x["load_id"] for x in staff_late if x["enterprise_id"] == "E01"]
    assert [x["load_id"] for x in e01["plan"]["kpis"]["late_loads"]] == own_late


def test_e02s_loads_and_figures_never_reach_e01(app, client, tokens, published, xunwu):
    e02_ids = sorted(ld.id for ld in xunwu.loads if ld.enterprise_id == "E02")
    e01_ids = {ld.id for ld in xunwu.loads if ld.enterprise_id == "E01"}
    assert e02_ids and not set(e02_ids) & e01_ids
    answer = client.get(PUBLISHED, headers=tokens["enterprise"])
    text = answer.get_data(as_text=True)
    assert [i for i in e02_ids if f'"{i}"' in text] == []
    for plan_wide in ("placed_weight", "on_time_rate", "utilisation_per_dock", "mean_wait_minutes"):
        assert plan_wide not in text, plan_wide
    assert "late_loads_others" not in text  # how many of the others are late: not its figure
    page_client = signed_in(app, tokens, "enterprise")
    for path in ("/loads?date=2026-11-28", "/loads", "/inbox", "/reports"):
        page = page_client.get(path, headers=ZH)
        assert page.status_code == 200, path
        shown = page.get_data(as_text=True)
        assert [i for i in e02_ids if i in shown] == [], path


def test_a_capacity_reason_names_only_the_enterprises_own_loads(
    app, client, tokens, uow, published, xunwu
):
    """A load left out because the docks are held by loads of equal or higher priority: the plan
    names the first 8 holders and how many more (here E02's L029 and L030, E01's L002, and 5
    more). E01 reads its own among them, never E02's ids, nor how many other loads there are,
    in Chinese and in English; its English `reason` is said again by reason_words from the cut
    params (before: the solver's sentence trimmed at its last ": ")."""
    from datetime import datetime

    from hub_scheduler.domain import ReasonCode, Schedule, Unscheduled
    from tests.api.calls import stored_plan

    before = [a for a in published["assignments"] if a["load_id"] == "L001"]
    assert before  # it holds a slot: a plan leaving it out withdraws it (an event to E01)
    at = datetime.fromisoformat("2026-11-27T20:00:00+08:00")
    holders = ["E02/L029", "E01/L002", "E02/L030"]
    held = Unscheduled(
        load_id="E01/L001",
        reason_code=ReasonCode.CAPACITY,
        reason="it fits on an empty hub XW-LP zone Z1 from 11-28 08:00, but in its window the "
        "docks it may use are held by loads of equal or higher weight: " + ", ".join(holders),
        reason_detail="capacity_held",
        reason_params={
            "hub": "XW-LP",
            "zone": "Z1",
            "start": "11-28 08:00",
            "loads": holders,
            "more": 5,
        },
    )
    schedule = Schedule(scenario="xunwu", status="feasible", unscheduled=[held])
    plan = stored_plan(uow, schedule, at)
    # published as the command centre does, so that E01 hears of its load left out (an event)
    done = client.post(f"/api/v1/plans/{plan.id}/publish", headers=tokens["admin"])
    assert done.status_code == 200, done.json
    staff = _view(client, tokens["admin"])["unscheduled"]
    assert [u["reason_params"]["more"] for u in staff if u["load_id"] == "L001"] == [
        5
    ]  # staff read it as the plan has it
    # E01 reads its own holder only, in either language: neither E02's ids nor how many others
    # (the "and 5 more" of the plan) reach it; the English sentence is reason_words' own
    own = held.model_copy(update={"reason_params": {**held.reason_params, "loads": ["L002"]}})
    own = own.model_copy(update={"reason_params": {**own.reason_params, "more": 0}})
    for headers in (ZH, EN_PAGE):
        answer = client.get(PUBLISHED, headers={**tokens["enterprise"], **headers})
        (seen,) = [u for u in answer.json["unscheduled"] if u["load_id"] == "L001"]
        assert seen["reason_params"]["loads"] == ["L002"] and seen["reason_params"]["more"] == 0
        assert seen["reason"] == reason_words(own, EN) == OWN_ENGLISH
        assert "L002" in seen["message"], seen
        text = answer.get_data(as_text=True)
        assert "L029" not in text and "L030" not in text
        assert "等另" not in text and " more" not in text and "weight:" not in text
    zh = client.get(PUBLISHED, headers={**tokens["enterprise"], **ZH}).json["unscheduled"]
    names = {h.id: h.name or h.id for h in xunwu.hubs}  # the pages and messages name the hub
    assert [u["message"] for u in zh if u["load_id"] == "L001"] == [
        reason_words(own, ZH_WORDS, names)
    ]
    alone = Unscheduled(
        **{**held.model_dump(), "reason_params": {**held.reason_params, "loads": ["E02/L029"]}}
    )
    from hub_scheduler.services.plan_view import held_by_own

    cut = held_by_own(alone, "E01", EN)
    assert cut.reason_params["loads"] == [] and cut.reason_params["more"] == 0
    assert (
        cut.reason
        == reason_words(cut, EN)
        == (
            "It would fit at XW-LP zone Z1 from 11-28 08:00 on an empty day, but in its window the "
            "docks it may use are held by other loads of equal or higher priority."
        )
    )
    assert "L029" not in reason_words(cut, ZH_WORDS) and "等另" not in reason_words(cut, ZH_WORDS)
    inbox = client.get("/api/v1/inbox", headers=tokens["enterprise"])
    told = [e for e in inbox.json["events"] if e["data"].get("load_id") == "L001"]
    # Said at the edge from the stored detail and params, the hub by its name (api/inbox.py).
    said = told[0]["data"]["reason"]["message"] if told else None
    assert said == reason_words(own, EN, names), inbox.json
    assert "L029" not in inbox.get_data(as_text=True) and "L030" not in inbox.get_data(as_text=True)
    page = signed_in(app, tokens, "enterprise").get("/loads?date=2026-11-28", headers=ZH)
    shown = page.get_data(as_text=True)
    assert "已由同等或更高优先级的车辆占用：L002。" in shown
    assert "L029" not in shown and "L030" not in shown
