"""A city day (3,000 loads, 20 hubs; bench/generate.py "city") on the timeline stays a small
page: one hub at a time by default, every filter cut on the server. The plan is laid out by a
simple greedy rule here (the page's weight does not depend on the solver). SQLite only: the page
weight is the same on both databases and the city day takes a while to store."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bench.generate import generate
from hub_scheduler.domain import (
    Assignment,
    HubStatus,
    PlanStatus,
    ReasonCode,
    Schedule,
    Unscheduled,
)
from hub_scheduler.records import Plan
from models.scenario_store import keyed, store_scenario
from tests.api.web_pages import ZH, signed_in

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LIMIT = 400_000  # bytes: "no page over a few hundred KB"


def greedy(scenario) -> Schedule:
    """Each load on the dock of a fitting zone that frees first, from its arrival on."""
    free: dict[tuple[str, str, str], datetime] = {}
    docks = {
        t: [
            (h.id, z.id, d.id)
            for h in scenario.hubs
            if h.status is HubStatus.ACTIVE
            for z in h.zones
            if z.temperature.value == t
            for d in z.docks
        ]
        for t in ("cold", "ambient")
    }
    placed, left_out = [], []
    for i, load in enumerate(sorted(scenario.loads, key=lambda ld: (ld.release, ld.id))):
        fitting = docks[load.temperature.value]
        if not fitting or i % 50 == 49:  # a few left out, as a real plan has
            left_out.append(
                Unscheduled(load_id=load.id, reason_code=ReasonCode.CAPACITY, reason="full")
            )
            continue
        key = min(fitting, key=lambda k: max(free.get(k, load.release), load.release))
        start = max(free.get(key, load.release), load.release)
        end = start + timedelta(minutes=load.handling_minutes)
        clean = end + timedelta(minutes=20)
        free[key] = clean
        placed.append(
            Assignment(
                load_id=load.id,
                hub_id=key[0],
                zone_id=key[1],
                dock_id=key[2],
                start=start,
                end=end,
                disinfected_at=clean,
            )
        )
    return Schedule(
        scenario=scenario.name,
        status=PlanStatus.FEASIBLE,
        assignments=placed,
        unscheduled=left_out,
    )


@pytest.fixture
def city_plan(uow):
    scenario = generate("city")
    store_scenario(uow, scenario)
    with uow:
        plan = uow.plans.add(
            Plan(
                horizon_start=scenario.horizon.start,
                horizon_end=scenario.horizon.end,
                requested_by="test",
                requested_at=datetime.now(UTC),
            )
        )
        # the plan names loads as the store keeps them (`enterprise_id/id`)
        uow.plans.set_result(plan.stored_id, greedy(keyed(scenario)))
        uow.plans.publish(plan.stored_id, actor="test")
        uow.commit()
    return scenario, plan.stored_id


def test_the_city_day_timeline_stays_small(app, tokens, city_plan, capsys):
    scenario, plan_id = city_plan
    admin = signed_in(app, tokens, "admin")
    day = scenario.horizon.start.date().isoformat()
    sizes = {}
    for name, url in [
        ("published day, default", f"/plans/published?date={day}"),
        ("plan page, default (first day)", f"/plans/{plan_id}"),
        ("plan page, second day", f"/plans/{plan_id}?day=2026-12-02"),
        ("one enterprise, all hubs", f"/plans/published?date={day}&hub=*&enterprise=E0001"),
        ("all hubs (asked for)", f"/plans/published?date={day}&hub=*"),
    ]:
        response = admin.get(url, headers=ZH)
        assert response.status_code == 200, url
        ARTIFACTS.mkdir(exist_ok=True)
        slug = re.sub(r"[^a-z]+", "-", name).strip("-")
        (ARTIFACTS / f"city-day-{slug}.html").write_bytes(response.data)
        sizes[name] = (len(response.data), len(re.findall(rb'class="bar', response.data)))
    with capsys.disabled():
        for name, (size, bars) in sizes.items():
            print(f"\ncity day page weight: {name}: {size / 1000:.0f} kB, {bars} bars")
    default = admin.get(f"/plans/published?date={day}", headers=ZH).get_data(as_text=True)
    assert 'id="one-hub-note"' in default
    assert (
        len(
            {
                h
                for h in re.findall(
                    r'class="gantt-row" data-dock-id="[^"]+" data-hub-id="([^"]+)"', default
                )
            }
        )
        == 1
    )
    for name in (
        "published day, default",
        "plan page, default (first day)",
        "plan page, second day",
        "one enterprise, all hubs",
    ):
        assert sizes[name][0] < LIMIT, (name, sizes[name])
        assert sizes[name][1] > 0, name
    # the whole city at once is what the default spares the browser
    assert sizes["all hubs (asked for)"][1] > sizes["published day, default"][1] * 5
