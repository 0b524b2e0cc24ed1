"""Where the database is and how the engine is set up."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from models.db import database_url, make_engine, normalize_url


def test_database_url_is_database_url_from_the_environment(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@db.example/hubs")
    assert database_url() == "postgresql://u@db.example/hubs"


def test_without_database_url_it_is_a_sqlite_file_in_a_created_instance_folder(
    monkeypatch, tmp_path
):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("HUB_SCHEDULER_INSTANCE", str(tmp_path / "inst"))
    assert database_url() == f"sqlite:///{tmp_path / 'inst' / 'hub_scheduler.sqlite3'}"
    assert (tmp_path / "inst").is_dir()


def test_the_default_instance_folder_is_the_per_user_data_folder_whatever_the_cwd(
    monkeypatch, tmp_path
):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("HUB_SCHEDULER_INSTANCE", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    first = database_url()
    monkeypatch.chdir("/")
    assert database_url() == first
    assert first == f"sqlite:///{tmp_path / 'data' / 'hub-scheduler' / 'hub_scheduler.sqlite3'}"
    assert Path(tmp_path / "data" / "hub-scheduler").is_dir()


@pytest.mark.parametrize(
    "url", ["postgresql://u@h/db", "postgres://u@h/db", "postgresql+psycopg2://u@h/db"]
)
def test_postgresql_urls_use_the_psycopg3_driver(url):
    assert normalize_url(url).drivername == "postgresql+psycopg"


def test_sqlite_engine_turns_on_foreign_keys_and_wal(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'sub' / 'x.sqlite3'}")
    try:
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    finally:
        engine.dispose()


def test_postgresql_engine_pings_connections_before_use():
    engine = make_engine("postgresql://u@127.0.0.1:1/none")
    try:
        assert engine.pool._pre_ping is True
        assert engine.dialect.driver == "psycopg"
    finally:
        engine.dispose()
