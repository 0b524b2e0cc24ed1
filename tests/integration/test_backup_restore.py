"""`hub-scheduler backup` taken while loads are being written restores every load committed before
it started, on SQLite (online backup API) and PostgreSQL (pg_dump/pg_restore)."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from samples import enterprise, plain_load
from servers import run_cli
from sqlalchemy import text

from api.backup import BackupError, backup, restore
from models.db import make_engine, make_session_factory
from models.uow import SqlUnitOfWork

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def uow_on():
    """`uow_on(url)`: a unit of work on its own engine (one per thread), disposed after the test."""
    engines = []

    def make(url: str) -> SqlUnitOfWork:
        engines.append(make_engine(url))
        return SqlUnitOfWork(make_session_factory(engines[-1]))

    yield make
    for engine in engines:
        engine.dispose()


class _Writer(threading.Thread):
    """Inserts one load per transaction until stopped; `committed` lists the loads whose commit
    returned."""

    def __init__(self, uow: SqlUnitOfWork):
        super().__init__(daemon=True)
        self.uow = uow
        self.committed: list[str] = []
        self.stop = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            number = 0
            while not self.stop.is_set():
                number += 1
                with self.uow:
                    self.uow.loads.add(plain_load(f"W{number:05d}", 8))
                    self.uow.commit()
                self.committed.append(f"W{number:05d}")
        except BaseException as exc:  # reported by the test, never swallowed
            self.error = exc


def test_a_backup_taken_during_writes_restores_every_load_committed_before_it(
    migrated_database_url, tmp_path, uow_on
):
    url = migrated_database_url
    uow = uow_on(url)
    with uow:
        uow.enterprises.add(enterprise())
        uow.commit()
    writer = _Writer(uow_on(url))
    writer.start()
    try:
        while len(writer.committed) < 20 and writer.is_alive():
            threading.Event().wait(0.01)
        before = list(writer.committed)
        backup(url, tmp_path / "backup.dump")
        while len(writer.committed) < len(before) + 5 and writer.is_alive():
            threading.Event().wait(0.01)  # writes continue after the backup as well
    finally:
        writer.stop.set()
        writer.join(30)
    assert writer.error is None, writer.error
    assert len(before) >= 20

    with uow:  # a mistake after the backup: every load gone
        uow.session.execute(text("DELETE FROM loads"))
        uow.commit()
    with uow:
        assert uow.loads.list() == []

    restore(url, tmp_path / "backup.dump")
    with uow_on(url) as restored:
        ids = {load.id for load in restored.loads.list()}
    assert set(before) <= ids
    assert ids <= set(writer.committed)  # and nothing half-written


def test_a_backup_never_overwrites_a_file(migrated_database_url, tmp_path):
    (tmp_path / "taken").write_text("keep me")
    with pytest.raises(BackupError, match="exists"):
        backup(migrated_database_url, tmp_path / "taken")
    assert (tmp_path / "taken").read_text() == "keep me"


def test_restoring_a_file_that_is_no_backup_is_refused_and_keeps_the_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    from models.migrate import current, upgrade

    upgrade(url)
    (tmp_path / "junk").write_bytes(b"not a database at all" * 100)
    with pytest.raises(BackupError, match="not a hub-scheduler SQLite backup"):
        restore(url, tmp_path / "junk")
    assert current(url) is not None


def test_the_commands_work_from_any_folder_on_the_default_instance_folder(tmp_path):
    """No DATABASE_URL, no HUB_SCHEDULER_INSTANCE: every command finds the same database (the
    per-user data folder), whichever folder it runs in."""
    env = {"XDG_DATA_HOME": str(tmp_path / "data"), "PYTHONPATH": str(REPO)}
    unset = ("DATABASE_URL", "HUB_SCHEDULER_INSTANCE", "REDIS_URL")
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    assert run_cli("db", "upgrade", env=env, cwd=one, without=unset).returncode == 0
    seeded = run_cli("seed", str(REPO / "fixtures" / "xunwu.json"), env=env, cwd=two, without=unset)
    assert seeded.returncode == 0, seeded.stderr
    backed_up = run_cli("backup", str(tmp_path / "b.sqlite3"), env=env, cwd=one, without=unset)
    assert backed_up.returncode == 0, backed_up.stderr
    again = run_cli("backup", str(tmp_path / "b.sqlite3"), env=env, cwd=one, without=unset)
    assert again.returncode == 1 and again.stderr.startswith("Error: ") and "exists" in again.stderr
    restored = run_cli(
        "restore", "--yes", str(tmp_path / "b.sqlite3"), env=env, cwd=two, without=unset
    )
    assert restored.returncode == 0, restored.stderr
    info = run_cli("info", env=env, cwd=two, without=unset).stdout
    folder = tmp_path / "data" / "hub-scheduler"
    assert f"instance:  {folder}" in info and "up to date" in info and "in-process" in info
    assert not list(one.iterdir()) and not list(two.iterdir())
    stored = sqlite3.connect(folder / "hub_scheduler.sqlite3")
    try:
        assert stored.execute("SELECT COUNT(*) FROM loads").fetchone() == (200,)
    finally:
        stored.close()
