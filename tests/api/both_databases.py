"""`api_database_url` on SQLite and on PostgreSQL, for the bad-input modules: import it to use it.

SQLite is a copy of the migrated template; PostgreSQL a fresh schema (tests/conftest.py's
`postgres_url`) migrated to head, skipped when no PostgreSQL answers.
"""

from __future__ import annotations

import shutil

import pytest


@pytest.fixture(
    params=[
        pytest.param("sqlite", marks=pytest.mark.db),
        pytest.param("postgresql", marks=pytest.mark.db),
    ]
)
def api_database_url(request, tmp_path, migrated_template) -> str:
    if request.param == "sqlite":
        path = tmp_path / "api.sqlite3"
        shutil.copyfile(migrated_template, path)
        return f"sqlite:///{path}"
    from models.migrate import upgrade

    url = request.getfixturevalue("postgres_url")
    upgrade(url)
    return url
