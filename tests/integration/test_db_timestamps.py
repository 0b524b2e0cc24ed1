"""Timestamps: stored as UTC instants, always returned aware in UTC, naive ones refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from samples import enterprise, plain_load
from sqlalchemy.engine import make_url
from sqlalchemy.exc import StatementError

from hub_scheduler.records import AuditEntry
from models.db import make_engine, make_session_factory
from models.tables import AuditRow
from models.uow import SqlUnitOfWork


def test_times_in_any_offset_come_back_as_the_same_instant_in_utc(uow):
    moments = [
        datetime(2026, 11, 28, 23, 30, tzinfo=timezone(timedelta(hours=h))) for h in (8, 0, -5, 14)
    ]
    with uow:
        for i, moment in enumerate(moments):
            uow.audit.add(
                AuditEntry(at=moment, actor="t", action="a", target_type="x", target_id=str(i))
            )
        uow.commit()
    with uow:
        back = {int(e.target_id): e.at for e in uow.audit.list()}
    for i, moment in enumerate(moments):
        assert back[i] == moment
        assert back[i].tzinfo is UTC


def test_a_naive_time_is_refused_instead_of_guessed(uow):
    with uow, pytest.raises(StatementError, match="naive datetime"):
        uow.session.add(
            AuditRow(
                at=datetime(2026, 11, 28, 8, 0),
                actor="t",
                action="a",
                target_type="x",
                target_id="1",
                details={},
            )
        )
        uow.session.flush()


def test_instants_survive_a_postgresql_session_in_another_time_zone(migrated_database_url):
    url = make_url(migrated_database_url)
    if url.get_backend_name() != "postgresql":
        pytest.skip("SQLite has no session time zone")
    options = f"{url.query.get('options', '')} -ctimezone=America/New_York".strip()
    engine = make_engine(url.update_query_dict({"options": options}))
    try:
        uow = SqlUnitOfWork(make_session_factory(engine))
        load = plain_load("L1", 23.5)
        with uow:
            uow.enterprises.add(enterprise())
            uow.loads.add(load)
            uow.commit()
        with uow:
            back = uow.loads.get("L1")
            # Range filters compare instants, not wall-clock text.
            found = uow.loads.list(release_from=load.release, release_to=load.due)
    finally:
        engine.dispose()
    assert back.release == load.release and back.release.tzinfo is UTC
    assert [ld.id for ld in found] == ["L1"]
