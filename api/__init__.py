"""The Flask app factory: configuration, extensions, the error handler, a blueprint per resource.

Configuration comes from defaults, then the environment, then the mapping passed in (tests).
Nothing happens at import time; the database engine and the job pool are made on first use.
"""

from __future__ import annotations

import os
from typing import Any

from flask import Flask

DEFAULTS: dict[str, Any] = {
    "SECRET_KEY": "dev",
    "DATABASE_URL": None,  # None: models.db.database_url() (SQLite under the instance folder)
    "HUB_SCHEDULER_INSTANCE": None,
    "HUB_SCHEDULER_JOB_WORKERS": 1,
    "HUB_SCHEDULER_MAX_BODY_MB": 16,
    "HUB_SCHEDULER_JOB_RUNNER": "thread",  # "thread" (in-process pool) or "inline" (runs at once)
    "HUB_SCHEDULER_PLAN_TIME_LIMIT_S": 10.0,
    "HUB_SCHEDULER_JOB_GRACE_S": 120.0,  # a running job older than its limit + this is dead
    "JSON_SORT_KEYS": False,
}

_ENV_KEYS = {
    "DATABASE_URL": str,
    "HUB_SCHEDULER_INSTANCE": str,
    "SECRET_KEY": str,
    "HUB_SCHEDULER_JOB_WORKERS": int,
    "HUB_SCHEDULER_MAX_BODY_MB": float,
    "HUB_SCHEDULER_JOB_RUNNER": str,
    "HUB_SCHEDULER_PLAN_TIME_LIMIT_S": float,
}


def _from_environment() -> dict[str, Any]:
    return {key: cast(os.environ[key]) for key, cast in _ENV_KEYS.items() if os.environ.get(key)}


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app; `config` overrides the defaults and the environment."""
    settings = {**DEFAULTS, **_from_environment(), **(config or {})}
    instance = settings.get("HUB_SCHEDULER_INSTANCE")
    app = Flask(__name__, instance_path=os.path.abspath(instance) if instance else None)
    app.config.from_mapping(settings)
    app.config["MAX_CONTENT_LENGTH"] = int(
        float(app.config["HUB_SCHEDULER_MAX_BODY_MB"]) * 1024 * 1024
    )
    app.json.sort_keys = False
    app.json.ensure_ascii = False

    from api import errors
    from api.database import db
    from api.jobs import jobs

    errors.init_app(app)
    db.init_app(app)
    jobs.init_app(app)

    from api import (
        activations,
        audit,
        docs,
        enterprises,
        health,
        hubs,
        incidents,
        loads,
        plans,
        tokens,
    )

    for module in (
        health,
        docs,
        tokens,
        hubs,
        enterprises,
        loads,
        plans,
        activations,
        incidents,
        audit,
    ):
        app.register_blueprint(module.bp)

    from api.web import bp as pages  # the browser pages (sign-in, board, timeline)

    app.register_blueprint(pages)
    return app
