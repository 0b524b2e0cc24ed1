"""What every page shares: cookie settings, template globals, security headers, HTML error pages,
the templates and the static files.

`init_app(app)` sets the app-wide parts once; `page_blueprint(name)` makes a page module's
Blueprint with the shared response headers and error pages (Flask runs a blueprint's hooks only
for its own views, and the JSON API must keep its problem-details errors); `bp` (`web_base`)
serves the templates and `/web-static/`.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Flask,
    Request,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from werkzeug.exceptions import HTTPException, NotFound

from api import load_ids
from api.errors import PROBLEM_JSON, handle_error
from api.job_words import job_error_words
from api.web.actors import who
from api.web.i18n import LANGUAGES, current_language, translate
from api.web.lookups import hub_name, why
from api.web.signin import CSRF_FIELD, LOGIN_ENDPOINT, csrf_token, signed_in_principal
from api.web.zone import local, local_iso
from hub_scheduler import load_keys
from hub_scheduler.errors import HubSchedulerError, Unauthorized
from hub_scheduler.values import phone_shown

log = logging.getLogger(__name__)


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed cookie sessions, opened without building a signer when the request has no
    session cookie (every API call): the same empty session, ~40 us less per request."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if app.secret_key and not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)


def init_app(app: Flask) -> None:
    """The session cookie, the signing key and the templates' globals (once per app)."""
    app.session_interface = CookieSessions()
    # A bool from api.settings (read once, environment included).
    app.config["SESSION_COOKIE_SECURE"] = bool(app.config["HUB_SCHEDULER_COOKIE_SECURE"])
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["SESSION_COOKIE_NAME"] = "hub_session"
    # Globals, not a context processor, so imported macros see them too.
    app.jinja_env.globals.update(
        _=translate,
        lang=current_language,
        languages=LANGUAGES,
        csrf_token=csrf_token,
        csrf_field=CSRF_FIELD,
        principal=signed_in_principal,
        hub_name=hub_name,
        why=why,
        job_error=job_error,
    )
    app.add_template_filter(local, "local")
    app.add_template_filter(local_iso, "iso")  # <time datetime>: to the second, local zone
    # A load's key (`E01/L-1`) shown as the id its enterprise wrote (hub_scheduler/load_keys.py).
    app.add_template_filter(load_keys.local, "load_id")
    app.add_template_filter(load_anchor, "load_anchor")
    app.add_template_filter(who, "who")  # a stored actor in the page's language
    app.add_template_filter(phone_shown, "phone")  # 13800138000 -> 138 0013 8000
    app.register_error_handler(NotFound, unknown_address)
    if app.config.get("SECRET_KEY") in (None, "", "dev"):
        app.config["SECRET_KEY"] = instance_secret(Path(app.instance_path))


def job_error(plan: Any) -> str:
    """A failed plan job's reason in the page's language (`api.job_words`); "" when none."""
    return job_error_words(plan, translate) or ""


def instance_secret(folder: Path) -> str:
    """A random key kept in the instance folder, so every gunicorn worker signs cookies alike."""
    path = folder / "secret_key"
    folder.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(32))
    return path.read_text(encoding="ascii").strip()


def security_headers(response):
    # CSP, nosniff, frame and referrer policy are api/headers.py's, on every response; pages add
    # what only HTML needs.
    if response.mimetype == "text/html":
        response.headers["Cache-Control"] = "no-store"
        response.headers["Content-Language"] = current_language()
        response.vary.add("Cookie")
        response.vary.add("Accept-Language")
    return response


def load_anchor(key: str) -> str:
    """A page anchor for a load, distinct across enterprises: `E01/L-1` -> `E01·L-1` ('·' is in no
    id, and CSS selectors take it unescaped)."""
    return key.replace(load_keys.SEPARATOR, "·")


def error_page(status: int, title: str, detail: str = "", technical: str = ""):
    """The HTML error page: `title` and `detail` in the page's language; `technical`, a service's
    own English detail, is shown apart (marked lang="en") under a translated summary."""
    page = render_template(
        "error.html", status=status, title=title, detail=detail, technical=technical
    )
    return page, status


def domain_error(exc: HubSchedulerError):
    """A service's error as a page in the user's language; no session sends them to sign in."""
    if isinstance(exc, Unauthorized):
        return redirect(url_for(LOGIN_ENDPOINT))
    if exc.status >= 500:
        log.error("page failed: %s", exc, exc_info=exc)
    # Service errors carry an English detail (no code yet): a Chinese page says what the status
    # means and keeps the English apart; an English page shows it as the detail.
    if current_language() == "en":
        return error_page(exc.status, translate(exc.title), load_ids.text(exc.detail))
    return error_page(
        exc.status,
        translate(exc.title),
        translate(f"error_{exc.status}"),
        load_ids.text(exc.detail),
    )


def http_error(exc: HTTPException):
    code = exc.code or 500
    if code == 400 and exc.description == "csrf":
        return error_page(
            400, translate("The form has expired"), translate("Reload the page and try again.")
        )
    if code == 403:
        return error_page(
            403, translate("Not allowed"), translate("Your role cannot open this page.")
        )
    if code == 404:
        return error_page(404, translate("Not found"), translate(NO_SUCH_PAGE))
    if code == 413:
        return error_page(413, translate("File too large"), "")
    return error_page(code, exc.name, "")


NO_SUCH_PAGE = "No page has this address. Check the address, or start again from the start page."


def unknown_address(exc: NotFound):
    """A URL no route has (app-wide: no blueprint's handler runs for it): a browser asking for a
    page gets the site's HTML 404 in its language; `/api/...` and clients that prefer JSON get
    the problem+json every API error is."""
    if (request.blueprint or "").startswith("web_"):
        return http_error(exc)  # a page's own 404 (this handler is found before the page's)
    wants = request.accept_mimetypes.best_match([PROBLEM_JSON, "application/json", "text/html"])
    if request.path.startswith("/api/") or wants != "text/html":
        return handle_error(exc)
    page, status = error_page(404, translate("Not found"), translate(NO_SUCH_PAGE))
    return security_headers(make_response(page, status))


def done_then_back(
    action: Callable[[], object], refused: Callable[[HubSchedulerError], Any], back: str
):
    """A page's one-click POST (enable, disable, delete, close): `action()`, then See Other to
    `back`; a service refusal answers `refused(exc)`, the page again saying why."""
    try:
        action()
    except HubSchedulerError as exc:
        return refused(exc)
    return redirect(back, code=303)


def page_blueprint(name: str, import_name: str, **options) -> Blueprint:
    """A page module's Blueprint, with the shared headers and HTML error pages."""
    blueprint = Blueprint(name, import_name, **options)
    blueprint.after_request(security_headers)
    blueprint.register_error_handler(HubSchedulerError, domain_error)
    blueprint.register_error_handler(HTTPException, http_error)
    return blueprint


bp = page_blueprint(
    "web_base",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/web-static",
)
