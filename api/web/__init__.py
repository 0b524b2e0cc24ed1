"""The web pages: sign-in, the hub board, the plan timeline, an enterprise's loads, the inbox.

Server-rendered templates with a little vanilla JavaScript; every asset is served from here.
One Blueprint per page module, each registered here by `register(app)` (create_app calls it);
what they share lives in `api.web.base`.
"""

from __future__ import annotations

from flask import Flask

from api.web import (
    account,
    audit,
    base,
    board,
    changes,
    command,
    gate,
    hub_admin,
    inbox,
    loads,
    public,
    reports,
    timeline,
    timetable,
    tokens,
    users,
    webhooks,
)

PAGES = (
    base.bp,
    account.bp,
    board.bp,
    command.bp,
    gate.bp,
    inbox.bp,
    loads.bp,
    timeline.bp,
    changes.bp,
    timetable.bp,
    tokens.bp,
    users.bp,
    audit.bp,
    public.bp,
    reports.bp,
    webhooks.bp,
    hub_admin.bp,
)


def register(app: Flask) -> None:
    """Set the pages' app-wide parts and register every page blueprint on `app`."""
    base.init_app(app)
    command.init_app(app)
    inbox.init_app(app)
    for blueprint in PAGES:
        app.register_blueprint(blueprint)


__all__ = ["PAGES", "register"]
