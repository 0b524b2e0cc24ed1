"""Migrations take an empty database to head on SQLite and PostgreSQL, matching the models."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from samples import at
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from hub_scheduler.records import AuditEntry
from models.db import make_engine
from models.migrate import current, downgrade, head, is_current, upgrade
from models.tables import Base


def test_an_empty_database_is_at_no_revision_and_upgrade_brings_it_to_head(database_url):
    assert current(database_url) is None
    upgrade(database_url)
    assert current(database_url) == head()
    assert is_current(database_url)


def test_the_migrated_schema_matches_the_models_exactly(migrated_database_url):
    engine = make_engine(migrated_database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_upgrading_twice_changes_nothing(migrated_database_url):
    upgrade(migrated_database_url)
    assert current(migrated_database_url) == head()


def test_upgrade_works_from_any_working_directory(database_url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no alembic.ini, no models/ folder here
    upgrade(database_url)
    assert current(database_url) == head()


def test_downgrade_to_base_removes_every_table(migrated_database_url):
    downgrade(migrated_database_url, "base")
    engine = make_engine(migrated_database_url)
    try:
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    finally:
        engine.dispose()
    upgrade(migrated_database_url)  # and back up again
    assert current(migrated_database_url) == head()


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"]
)
def test_the_database_refuses_to_change_or_delete_audit_entries(uow, db_engine, statement):
    with uow:
        uow.audit.add(AuditEntry(at=at(1), actor="a", action="x", target_type="t", target_id="1"))
        uow.commit()
    with pytest.raises(DBAPIError, match="append-only"), db_engine.begin() as connection:
        connection.execute(text(statement))
    with uow:
        assert [e.actor for e in uow.audit.list()] == ["a"]


def test_a_database_from_newer_code_is_a_clear_conflict(migrated_database_url):
    from hub_scheduler.errors import Conflict

    engine = make_engine(migrated_database_url)
    try:
        with engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    finally:
        engine.dispose()
    with pytest.raises(Conflict, match="9999_future"):
        upgrade(migrated_database_url)
