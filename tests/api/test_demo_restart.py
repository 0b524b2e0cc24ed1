"""`serve --demo` started again on the same database (in-process, with an injected clock): every
start plans and publishes today in the site's zone (HUB_SCHEDULER_TIMEZONE when set) from the
start's moment on the slot grid, or says which plan is in force; an earlier day's demo loads and
plan stay as they were (today's plan takes only its loads still waiting for a slot); each start
revokes the earlier starts' demo tokens, never a token a person made."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from api import cli
from tests.api.both_databases import api_database_url  # noqa: F401  (SQLite and PostgreSQL)

ZONE = ZoneInfo("Asia/Shanghai")


def _horizon(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), ZONE)
    return start, start + timedelta(days=1)


@pytest.fixture
def demo_database(api_database_url, monkeypatch):  # noqa: F811
    """`_prepare_demo` on the test database, one engine for every start (disposed at the end)."""
    from models.db import make_engine, make_session_factory
    from models.uow import SqlUnitOfWork

    monkeypatch.setenv("DATABASE_URL", api_database_url)
    monkeypatch.delenv("HUB_SCHEDULER_TIMEZONE", raising=False)
    monkeypatch.setenv("HUB_SCHEDULER_LANG", "en")  # the README quotes the English lines
    engine = make_engine(api_database_url)
    monkeypatch.setattr(cli, "_uow", lambda: SqlUnitOfWork(make_session_factory(engine)))
    yield
    engine.dispose()


@pytest.mark.timeout(120)
def test_a_restart_on_the_next_day_publishes_that_day_and_keeps_the_seeded_day(
    demo_database, capsys
):
    first = datetime(2027, 3, 1, 9, 30, tzinfo=ZONE)
    token1 = cli._prepare_demo(now=first)
    out = capsys.readouterr().out
    uow = cli._uow()
    with uow:
        seeded = {ld.id: ld.release for ld in uow.loads.list()}
        day1 = uow.plans.published_for(*_horizon(first.date()))
    assert seeded and {r.astimezone(ZONE).date() for r in seeded.values()} == {first.date()}
    assert day1 is not None and day1.schedule.assignments
    assert _readme_says("planned and published plan N for DAY", N=day1.id, DAY=first.date()) in out

    # Same day again: the published plan stands (no second plan), and the start says so.
    token2 = cli._prepare_demo(now=first + timedelta(hours=3))
    out = capsys.readouterr().out
    with uow:
        assert uow.plans.published_for(*_horizon(first.date())).id == day1.id
        assert len(uow.plans.list()) == 1
    assert _readme_says("plan N is in force for DAY", N=day1.id, DAY=first.date()) in out, out
    assert "published plan" not in out and "planned and" not in out, out
    _only_usable(uow, token2, revoked=[token1])

    # Next day (the clock crossed midnight in the site's zone): today is planned and published.
    cli._prepare_demo(now=first + timedelta(days=1))
    out = capsys.readouterr().out
    today = date(2027, 3, 2)
    with uow:
        day2 = uow.plans.published_for(*_horizon(today))
        kept = {ld.id: ld.release for ld in uow.loads.list()}
        still = uow.plans.published_for(*_horizon(first.date()))
    assert day2 is not None, out
    assert kept == seeded  # yesterday's loads are kept as they were, not moved or re-seeded
    assert still is not None and still.id == day1.id  # and so is yesterday's plan
    # Of yesterday's loads today's plan holds only those still waiting for a slot: planned from
    # 09:30, yesterday's plan found no room for some of the night's loads, and a live day
    # carries a load no plan placed into the day that holds now (hub_scheduler/day_horizon.py).
    # Every load yesterday's plan placed keeps its slot there.
    waiting = {u.load_id for u in day1.schedule.unscheduled}
    assert {a.load_id for a in day2.schedule.assignments} <= waiting
    assert all(a.start >= first + timedelta(days=1) for a in day2.schedule.assignments)
    assert f"planned and published plan {day2.id} for {today}: " in out, out


def _readme_says(template: str, **values) -> str:
    """`template` as the README's quick start quotes it, with its placeholders filled in."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert f"`{template}`" in " ".join(readme.split()), template
    for name, value in values.items():
        template = template.replace(name, str(value))
    return template


def _only_usable(uow, token: str, *, revoked: list[str]) -> None:
    from hub_scheduler.errors import Unauthorized
    from hub_scheduler.services.tokens import authenticate_token, list_tokens, token_state

    assert authenticate_token(uow, token).role.value == "admin"
    for old in revoked:
        with pytest.raises(Unauthorized):
            authenticate_token(uow, old)
    demo = [t for t in list_tokens(uow) if t.label.startswith("demo admin")]
    assert [token_state(t) for t in demo].count("active") == 1, demo


@pytest.mark.timeout(120)
def test_each_start_revokes_the_earlier_demo_tokens_but_no_persons_token(demo_database, capsys):
    from hub_scheduler.services.tokens import authenticate_token, issue_token, list_tokens

    first = datetime(2027, 3, 1, 9, 30, tzinfo=ZONE)
    token1 = cli._prepare_demo(now=first)
    uow = cli._uow()
    # A person's tokens, one even labelled like a demo token; and one from an older `serve --demo`
    # (issued as "cli", no expiry, labelled "demo admin YYYY-MM-DD HH:MM").
    mine = issue_token(uow, role="admin", label="cli admin", actor="cli")
    alike = issue_token(
        uow, role="admin", label="demo admin 2027-03-01 09:30", actor="admin (user)"
    )
    named = issue_token(uow, role="operator", label="demo admin 2027-03-01 09:31", actor="cli")
    legacy = issue_token(uow, role="admin", label="demo admin 2027-02-27 08:00", actor="cli")
    capsys.readouterr()

    token2 = cli._prepare_demo(now=first + timedelta(minutes=5))
    out = capsys.readouterr().out
    token3 = cli._prepare_demo(now=first + timedelta(minutes=10))
    out3 = capsys.readouterr().out

    from hub_scheduler.errors import Unauthorized

    for old in (token1, legacy, token2):
        with pytest.raises(Unauthorized):
            authenticate_token(uow, old)
    for kept in (token3, mine, alike, named):
        authenticate_token(uow, kept)
    ids = {token: _token_id(uow, token) for token in (token1, legacy, token2)}
    said = _readme_says("revoked the earlier demo admin token(s): ID, ...").split("ID")[0]
    assert f"{said}{ids[token1]}, {ids[legacy]}\n" in out, out
    assert f"{said}{ids[token2]}\n" in out3, out3
    active = [t for t in list_tokens(uow) if t.revoked_at is None and t.role.value == "admin"]
    assert len(active) == 3  # token3, mine, alike


def _token_id(uow, token: str) -> int:
    from hub_scheduler.services.tokens import hash_token

    with uow:
        return uow.tokens.get_by_hash(hash_token(token)).id


@pytest.mark.timeout(120)
def test_the_demo_day_is_today_in_the_configured_zone(demo_database, monkeypatch, capsys):
    """HUB_SCHEDULER_TIMEZONE=Pacific/Pago_Pago (-11:00) on a fresh instance at 01:30 in Shanghai:
    the demo day is 2026-11-30 there, the plan's horizon its midnight to midnight."""
    pago = ZoneInfo("Pacific/Pago_Pago")
    monkeypatch.setenv("HUB_SCHEDULER_TIMEZONE", "Pacific/Pago_Pago")
    cli._prepare_demo(now=datetime(2026, 12, 1, 1, 30, tzinfo=ZONE))
    out = capsys.readouterr().out
    today = date(2026, 11, 30)
    start = datetime.combine(today, time(0), pago)
    uow = cli._uow()
    with uow:
        plan = uow.plans.published_for(start, start + timedelta(days=1))
        loads = uow.loads.list()
    assert plan is not None, out
    assert f"seeded the demo day {today}" in out and f"plan {plan.id} for {today}" in out, out
    assert {ld.release.astimezone(pago).date() for ld in loads} == {today}
    assert plan.schedule.assignments


@pytest.mark.timeout(120)
def test_a_demo_started_late_in_the_day_plans_from_now_on_the_slot_grid(demo_database, capsys):
    """Started at 15:07 (Shanghai), the demo plans its day from 15:15, the next start on the
    15-minute slot grid: no slot of its published plan starts earlier, and no enterprise is told
    of one (before: planned from 00:00, the plan showed slots of the small hours as if upcoming)."""
    from hub_scheduler.services import events

    started = datetime(2027, 3, 1, 15, 7, tzinfo=ZONE)
    cli._prepare_demo(now=started)
    out = capsys.readouterr().out
    uow = cli._uow()
    with uow:
        plan = uow.plans.published_for(*_horizon(started.date()))
        enterprises = [events.enterprise(e.id) for e in uow.enterprises.list()]
        told = [e for e in uow.events.list(enterprises, limit=None) if e.type.startswith("slot.")]
    assert plan is not None and plan.schedule.assignments, out
    from_ = datetime(2027, 3, 1, 15, 15, tzinfo=ZONE)
    assert datetime.fromisoformat(plan.params["now"]) == from_
    assert min(a.start for a in plan.schedule.assignments) >= from_
    assert told and {e.type for e in told} == {events.SLOT_CONFIRMED}
    assert all(datetime.fromisoformat(e.data["slot"]["start"]) >= from_ for e in told)


@pytest.mark.timeout(120)
def test_the_demo_takes_the_service_clock_when_it_is_pinned(demo_database, monkeypatch, capsys):
    """HUB_SCHEDULER_PLAN_NOW (a training day, as the tests pin the service's clock) decides the
    demo's day and the moment it plans from, as it does every plan job's; on the grid already,
    it is taken as it is."""
    monkeypatch.setenv("HUB_SCHEDULER_PLAN_NOW", "2027-03-02T09:30:00+08:00")
    cli._prepare_demo()
    out = capsys.readouterr().out
    pinned = datetime(2027, 3, 2, 9, 30, tzinfo=ZONE)
    uow = cli._uow()
    with uow:
        plan = uow.plans.published_for(*_horizon(pinned.date()))
    assert plan is not None, out
    assert datetime.fromisoformat(plan.params["now"]) == pinned
    assert min(a.start for a in plan.schedule.assignments) >= pinned
