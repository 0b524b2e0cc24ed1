"""A load released before a day and still waiting for a slot is carried into that day's plan and
onto that day's gate list (hub_scheduler/day_horizon.py). Before: a load entered with a release
two days ago (201, warning `release_past`) was in no plan (only loads released inside the horizon
were read), neither placed nor named unscheduled, and a truck checked in without a slot stayed on
site invisible: off today's gate list and never placed. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta

from midnight_case import day_plan, midnight_case

from api.web.i18n import translator
from hub_scheduler.domain import Horizon, Load, LoadStatus
from hub_scheduler.services.arrivals import arrivals
from hub_scheduler.services.job_run import run_inline
from hub_scheduler.services.jobs import JobConfig, request_plan
from hub_scheduler.services.plans import get_plan
from hub_scheduler.services.publishing import publish_plan
from hub_scheduler.verify import verify
from models.scenario_store import load_scenario, store_scenario

DAY = datetime.fromisoformat("2026-12-01T00:00:00+08:00")
NEXT = DAY + timedelta(days=1)
YESTERDAY = DAY - timedelta(days=1)
NOW = DAY + timedelta(hours=1, minutes=30)
H = timedelta(hours=1)


def _load(base: Load, load_id: str, release: datetime, due: datetime, **more) -> Load:
    data = {**base.model_dump(), "id": load_id, "release": release, "due": due, "deadline": None}
    return Load.model_validate({**data, **more})


def _store(uow, loads: list[Load]) -> None:
    scenario = midnight_case()
    store_scenario(
        uow,
        scenario.model_copy(update={"horizon": Horizon(start=YESTERDAY, end=NEXT), "loads": loads}),
    )


def _seed(uow) -> None:
    base = midnight_case().loads[0]
    # Yesterday's plan places L3 (released yesterday) and is published before the others exist.
    _store(uow, [_load(base, "L3", YESTERDAY + 8 * H, YESTERDAY + 10 * H)])
    day_plan(uow, YESTERDAY, YESTERDAY)
    _store(
        uow,
        [
            # entered today, released two days ago, due today: the user's load
            _load(base, "L1", DAY - 38 * H, DAY + 14 * H),
            # released before the look-back: not carried
            _load(base, "L2", DAY - 6 * 24 * H, DAY - 6 * 24 * H + 2 * H),
            # checked in at 01:30 today without a slot
            _load(
                base,
                "L4",
                DAY - 37 * H,
                DAY + 12 * H,
                status=LoadStatus.CHECKED_IN,
                arrived_at=NOW,
            ),
            # its deadline passed yesterday: carried, and named unscheduled
            _load(
                base,
                "L5",
                DAY - 30 * H,
                DAY - 28 * H,
                deadline=DAY - 12 * H,
                allowed_hubs=["H1"],
            ),
        ],
    )


def test_a_load_released_before_the_day_and_waiting_is_placed_or_named_by_the_days_plan(uow):
    _seed(uow)
    day = day_plan(uow, DAY, NOW)
    placed = {a.load_id: a for a in day.schedule.assignments}
    unscheduled = {u.load_id: u for u in day.schedule.unscheduled}
    assert {"E01/L1", "E01/L4"} <= set(placed), day.schedule.unscheduled
    assert placed["E01/L1"].start >= NOW  # from now, not from its release two days ago
    assert placed["E01/L4"].start >= NOW  # on site: from its arrival
    assert "E01/L5" in unscheduled and unscheduled["E01/L5"].reason_code
    assert "E01/L2" not in placed and "E01/L2" not in unscheduled  # before the look-back
    assert "E01/L3" not in placed and "E01/L3" not in unscheduled  # yesterday's plan holds it
    # Every load the day's input carries is placed or named, and the verifier accepts the plan.
    scenario = load_scenario(uow, DAY, NEXT, now=NOW)
    assert {ld.id for ld in scenario.loads} == {"E01/L1", "E01/L4", "E01/L5"}
    assert verify(scenario, day.schedule).violations == []
    # The published plan holds them: the next day's plan does not carry them again; L5, which
    # today's plan in force left out, it does (no earlier day can place it).
    tomorrow = load_scenario(uow, NEXT, NEXT + timedelta(days=1), now=NOW)
    assert {ld.id for ld in tomorrow.loads} == {"E01/L5"}


def test_a_split_day_part_reads_the_carried_loads_it_may_serve(uow):
    _seed(uow)
    part = load_scenario(uow, DAY, NEXT, None, ["H1"], anywhere=False, now=NOW)
    assert {ld.id for ld in part.loads} == {"E01/L5"}  # allowed at H1; L1 and L4 go anywhere
    whole = load_scenario(uow, DAY, NEXT, None, ["H1"], now=NOW)
    assert {ld.id for ld in whole.loads} == {"E01/L1", "E01/L4", "E01/L5"}


def test_the_gate_lists_a_carried_load_without_a_slot_today_and_with_its_slot_once_planned(uow):
    _seed(uow)
    before = {row.load.id: row.slot for row in arrivals(uow, DAY.date(), now=NOW)}
    assert set(before) == {"E01/L1", "E01/L4", "E01/L5"}
    assert all(slot is None for slot in before.values())
    day_plan(uow, DAY, NOW)
    after = {row.load.id: row.slot for row in arrivals(uow, DAY.date(), now=NOW)}
    assert after["E01/L4"] is not None and after["E01/L1"] is not None
    assert after["E01/L5"] is None  # still waiting, still listed
    assert "E01/L3" not in after  # its slot was yesterday


# --- the live day: a later day's plan and gate list never take a load its own day can place ----

LATER = NEXT + H  # the next day has begun


def _computed(uow, start: datetime, now: datetime):
    """A plan of the day from `start`, made as of `now`, not published."""
    plan = request_plan(
        uow,
        run_inline(lambda: uow, load_scenario),
        horizon_start=start,
        horizon_end=start + timedelta(days=1),
        time_limit_s=1.0,
        now=now,
        actor="test",
        config=JobConfig(),
    )
    plan = get_plan(uow, plan.stored_id)
    assert plan.schedule is not None, plan.error
    return plan


def _publish(uow, plan):
    return publish_plan(
        uow, plan.stored_id, actor="test", load_scenario=load_scenario, english=translator("en")
    )


def _holders(uow, load_id: str) -> list[int]:
    """The published plans whose schedule gives `load_id` a slot."""
    with uow:
        ids = [p.id for p in uow.plans.list(published=True, limit=None)]
        published = [uow.plans.get(i) for i in ids]
    return [p.id for p in published if load_id in {a.load_id for a in p.schedule.assignments}]


def _seed_today(uow) -> None:
    """L7: released at 02:00 today, due 04:00, waiting for today's plan (none yet)."""
    base = midnight_case().loads[0]
    _store(uow, [_load(base, "L7", DAY + 2 * H, DAY + 4 * H)])


def test_tomorrows_plan_made_today_leaves_a_load_waiting_for_today_to_todays_plan(uow):
    _seed_today(uow)
    # Before: tomorrow's input carried L7 (released in the 3 days before it, no slot in force).
    ahead = load_scenario(uow, NEXT, NEXT + timedelta(days=1), now=NOW)
    assert "E01/L7" not in {ld.id for ld in ahead.loads}
    tomorrow = _computed(uow, NEXT, NOW)
    held = {a.load_id for a in tomorrow.schedule.assignments}
    held |= {u.load_id for u in tomorrow.schedule.unscheduled}
    assert "E01/L7" not in held
    _publish(uow, tomorrow)
    today = _publish(uow, _computed(uow, DAY, NOW))
    slot = next(a for a in today.schedule.assignments if a.load_id == "E01/L7")
    assert DAY <= slot.start < NEXT
    # Both days published: one plan gives L7 a slot, today's, and it is the one in force.
    assert _holders(uow, "E01/L7") == [today.id]
    with uow:
        assert uow.plans.in_force(["E01/L7"])["E01/L7"].plan_id == today.id


def test_publishing_a_plan_made_before_another_days_plan_placed_its_load_keeps_that_slot(uow):
    _seed_today(uow)
    stale = _computed(uow, DAY, NOW)  # places L7 today, not published yet
    assert "E01/L7" in {a.load_id for a in stale.schedule.assignments}
    # Tomorrow has begun and L7 still waits: tomorrow's plan carries it and is published.
    tomorrow = _publish(uow, _computed(uow, NEXT, LATER))
    moved = next(a for a in tomorrow.schedule.assignments if a.load_id == "E01/L7")
    assert moved.start >= LATER
    # Before: today's plan, published now, took L7 back silently and both plans listed it.
    published = _publish(uow, stale)
    assert "E01/L7" not in {a.load_id for a in published.schedule.assignments}
    assert published.progress["publish"]["held_elsewhere"] == ["E01/L7"]
    assert "E01/L7" not in {d["load_id"] for d in published.progress["publish"]["dropped"]}
    assert _holders(uow, "E01/L7") == [tomorrow.id]
    with uow:
        assert uow.plans.in_force(["E01/L7"])["E01/L7"].assignment == moved
    # Today's re-plan leaves it on tomorrow, and today's gate no longer lists it.
    assert "E01/L7" not in {ld.id for ld in load_scenario(uow, DAY, NEXT, now=LATER).loads}
    assert "E01/L7" not in {row.load.id for row in arrivals(uow, DAY.date(), now=LATER)}
    assert [row.slot for row in arrivals(uow, NEXT.date(), now=LATER)] == [moved]


def test_the_gate_lists_a_waiting_load_on_the_days_its_operator_can_act_on_it(uow):
    _seed(uow)
    _seed_today(uow)

    def listed(day: datetime, now: datetime) -> set[str]:
        return {row.load.id for row in arrivals(uow, day.date(), now=now)}

    # Before: tomorrow's and the day after's lists showed the loads waiting today.
    assert listed(DAY, NOW) == {"E01/L1", "E01/L4", "E01/L5", "E01/L7"}
    assert listed(NEXT, NOW) == set()
    assert listed(NEXT + timedelta(days=1), NOW) == set()
    assert {"E01/L1", "E01/L7"} <= listed(NEXT, LATER)  # that day is today: still waiting
    # Today's plan in force places L1, L4 and L7 and leaves L5 out: tomorrow's plan carries L5,
    # so tomorrow's list shows it; the others are on today's list with their slots.
    day_plan(uow, DAY, NOW)
    assert listed(NEXT, NOW) == {"E01/L5"}
    assert listed(DAY, NOW) == {"E01/L1", "E01/L4", "E01/L5", "E01/L7"}
