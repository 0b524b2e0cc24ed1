"""`serve --demo` started again on the same database (in-process, with an injected clock): every
start plans and publishes today in the site's zone; an earlier day's demo loads and plan stay as
they were (today's plan is today's)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from api import cli
from tests.api.both_databases import api_database_url  # noqa: F401  (SQLite and PostgreSQL)

ZONE = ZoneInfo("Asia/Shanghai")


def _horizon(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), ZONE)
    return start, start + timedelta(days=1)


@pytest.mark.timeout(120)
def test_a_restart_on_the_next_day_publishes_that_day_and_keeps_the_seeded_day(
    api_database_url,  # noqa: F811
    monkeypatch,
    capsys,
):
    from models.db import make_engine, make_session_factory
    from models.uow import SqlUnitOfWork

    monkeypatch.setenv("DATABASE_URL", api_database_url)
    engine = make_engine(api_database_url)  # one engine for every start, disposed at the end
    monkeypatch.setattr(cli, "_uow", lambda: SqlUnitOfWork(make_session_factory(engine)))
    try:
        _three_starts(capsys)
    finally:
        engine.dispose()


def _three_starts(capsys) -> None:
    first = datetime(2027, 3, 1, 9, 30, tzinfo=ZONE)
    cli._prepare_demo(now=first)
    uow = cli._uow()
    with uow:
        seeded = {ld.id: ld.release for ld in uow.loads.list()}
        day1 = uow.plans.published_for(*_horizon(first.date()))
    assert seeded and {r.astimezone(ZONE).date() for r in seeded.values()} == {first.date()}
    assert day1 is not None and day1.schedule.assignments

    # Same day again: the published plan stands (no second plan).
    cli._prepare_demo(now=first + timedelta(hours=3))
    with uow:
        assert uow.plans.published_for(*_horizon(first.date())).id == day1.id

    # Next day (the clock crossed midnight in the site's zone): today is planned and published.
    cli._prepare_demo(now=first + timedelta(days=1))
    out = capsys.readouterr().out
    today = date(2027, 3, 2)
    with uow:
        day2 = uow.plans.published_for(*_horizon(today))
        kept = {ld.id: ld.release for ld in uow.loads.list()}
        still = uow.plans.published_for(*_horizon(first.date()))
    assert day2 is not None, out
    assert f"for {today}" in out.splitlines()[-1]
    assert kept == seeded  # yesterday's loads are kept as they were, not moved or re-seeded
    assert still is not None and still.id == day1.id  # and so is yesterday's plan
    assert not day2.schedule.assignments  # nothing of yesterday is planned into today
