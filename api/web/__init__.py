"""The web pages: sign-in, the hub board, the plan timeline, an enterprise's loads, the inbox.

Server-rendered templates with a little vanilla JavaScript; every asset is served from here.
One Blueprint per page module, each registered here by `register(app)` (create_app calls it);
what they share lives in `api.web.base`.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

# The page modules, in the order their blueprints are registered. Imported when the pages are
# wanted (`register`, `PAGES`), not with the package: `api.web.messages` (the one catalogue) is
# read by the command line and the API's problems too, which need no page.
_PAGE_MODULES = (
    "base",
    "account",
    "board",
    "command",
    "gate",
    "inbox",
    "loads",
    "load_eta",
    "my_reports",
    "timeline",
    "changes",
    "timetable",
    "tokens",
    "users",
    "audit",
    "public",
    "reports",
    "webhooks",
    "hub_admin",
)


def _module(name: str) -> Any:
    return import_module(f"{__name__}.{name}")


def __getattr__(name: str) -> Any:
    if name == "PAGES":
        return tuple(_module(page).bp for page in _PAGE_MODULES)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def register(app: Flask) -> None:
    """Set the pages' app-wide parts and register every page blueprint on `app`."""
    for name in ("base", "command", "inbox"):
        _module(name).init_app(app)
    for blueprint in __getattr__("PAGES"):
        app.register_blueprint(blueprint)


__all__ = ["PAGES", "register"]
