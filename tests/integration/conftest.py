"""`any_uow`: one unit of work three ways, so one suite pins down the repository contract.

`tests/unit/fakes.FakeUnitOfWork`, and `SqlUnitOfWork` on SQLite and on PostgreSQL (a fresh schema).
A test module that states the contract overrides `uow` with it (see test_db_repositories.py).
"""

from __future__ import annotations

import pytest


@pytest.fixture(
    params=[
        "fake",
        pytest.param("sqlite", marks=pytest.mark.db),
        pytest.param("postgresql", marks=pytest.mark.db),
    ]
)
def any_uow(request: pytest.FixtureRequest, tmp_path):
    if request.param == "fake":
        from tests.unit.fakes import FakeUnitOfWork

        yield FakeUnitOfWork()
        return
    from models.db import make_engine, make_session_factory
    from models.migrate import upgrade
    from models.uow import SqlUnitOfWork

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres_url")
    upgrade(url)
    engine = make_engine(url)
    yield SqlUnitOfWork(make_session_factory(engine))
    engine.dispose()


@pytest.fixture
def sql_uow(session_factory):
    """`SqlUnitOfWork` alone, for what only a database has (sessions, threads, column limits)."""
    from models.uow import SqlUnitOfWork

    return SqlUnitOfWork(session_factory)
