"""The instance folder: where the SQLite file and the session key live, the same for every process.

`HUB_SCHEDULER_INSTANCE` when set, else the per-user data folder (platformdirs: on Linux
`~/.local/share/hub-scheduler`), always absolute, so `hub-scheduler` run from any folder, gunicorn
and every worker find one database. This is the one place that default is computed; it sits in
`models` (not `api`) because `models.db.database_url()` needs it and `models` never imports `api`.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "hub-scheduler"
ENV_VAR = "HUB_SCHEDULER_INSTANCE"
DATABASE_FILE = "hub_scheduler.sqlite3"


def instance_path(folder: str | os.PathLike[str] | None = None) -> Path:
    """The absolute instance folder, created if missing: `folder`, else `HUB_SCHEDULER_INSTANCE`,
    else the per-user data folder."""
    chosen = folder or os.environ.get(ENV_VAR) or platformdirs.user_data_path(APP_NAME, False)
    path = Path(chosen).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_url(folder: str | os.PathLike[str] | None = None) -> str:
    """The SQLite URL of the database file in the instance folder."""
    return f"sqlite:///{instance_path(folder) / DATABASE_FILE}"
