"""The Flask app factory: configuration, extensions, the error handler, a blueprint per resource.

Settings are read once (`api.settings`: defaults, then the environment, then the mapping passed
in, which is how tests configure the app). Nothing happens at import time; the database engine
and the job pool are made on first use.
"""

from __future__ import annotations

from typing import Any

from flask import Flask


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app; `config` overrides the defaults and the environment (see `api.settings`)."""
    from api import settings as app_settings
    from models.instance import instance_path

    settings = app_settings.load_settings(config)
    app = Flask(__name__, instance_path=str(instance_path(settings.HUB_SCHEDULER_INSTANCE)))
    app.config.from_mapping({**settings.model_dump(), "JSON_SORT_KEYS": False, **(config or {})})
    app.config.update(settings.model_dump())  # the validated values win over the raw mapping
    app.config["MAX_CONTENT_LENGTH"] = int(settings.HUB_SCHEDULER_MAX_BODY_MB * 1024 * 1024)
    app_settings.init_app(app, settings)
    from flask.json.provider import DefaultJSONProvider

    if isinstance(app.json, DefaultJSONProvider):  # always, unless a provider is swapped in
        app.json.sort_keys = False
        app.json.ensure_ascii = False
    from api.openapi import BoundedIntConverter

    app.url_map.converters["int"] = BoundedIntConverter

    from api import errors, ops
    from api.database import db
    from api.jobs import jobs

    ops.init_app(app)  # request ids, security headers, access log, metrics, ProxyFix (deploy/)
    errors.init_app(app)
    db.init_app(app)
    jobs.init_app(app)
    from api import figures, notify

    notify.init_app(app)
    figures.init_app(app)

    from api import (
        activations,
        audit,
        docs,
        enterprises,
        health,
        hubs,
        inbox,
        incidents,
        loads,
        plans,
        public,
        reports,
        site,
        tokens,
        transfers,
        webhooks,
    )

    for module in (
        health,
        docs,
        tokens,
        hubs,
        enterprises,
        loads,
        transfers,
        plans,
        activations,
        incidents,
        audit,
        webhooks,
        inbox,
        public,
        reports,
        site,
    ):
        app.register_blueprint(module.bp)

    from api import web  # the browser pages: one blueprint per page module

    web.register(app)

    from api import throttle

    throttle.init_app(app)  # last: it wraps the views it limits
    return app
