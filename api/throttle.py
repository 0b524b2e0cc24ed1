"""Throttling with Flask-Limiter: failed sign-ins and bad bearer tokens per address, bursts of
imports and plan requests per token. A refusal is a 429 problem with `Retry-After`.

Limits are settings (`HUB_SCHEDULER_*_LIMIT`, in the `limits` notation "10 per minute"); the
counters live in Redis when `REDIS_URL` is set, so every gunicorn worker shares them, and in
the worker's memory otherwise. The public page, the public API and problem reports without
sign-in are limited per client address (`PER_ADDRESS`). The limited endpoints are listed here, in
one place, rather than as decorators spread over the blueprints.
"""

from __future__ import annotations

import hashlib
import time
from functools import partial, wraps
from typing import Any, cast

from flask import Flask, Response, current_app, g, request, session
from flask.typing import RouteCallable
from flask_limiter import ApplicationLimit, Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address
from limits import parse

from api.errors import problem

AUTH_FAILURE_LIMIT = "HUB_SCHEDULER_AUTH_FAILURE_LIMIT"
IMPORT_LIMIT = "HUB_SCHEDULER_IMPORT_LIMIT"
PLAN_LIMIT = "HUB_SCHEDULER_PLAN_LIMIT"
PUBLIC_LIMIT = "HUB_SCHEDULER_PUBLIC_LIMIT"
PUBLIC_REPORT_LIMIT = "HUB_SCHEDULER_PUBLIC_REPORT_LIMIT"

# The defaults are api/settings.py's; these serve an app built without it (bench scripts).
DEFAULTS = {
    AUTH_FAILURE_LIMIT: "10 per minute",  # per client address: 401s and failed page sign-ins
    IMPORT_LIMIT: "20 per minute",  # per token: sheet imports and batches (API and page)
    PLAN_LIMIT: "6 per minute",  # per token: plan and re-plan requests (API and page)
    PUBLIC_LIMIT: "120 per minute",  # per address: the public page and public API reads
    PUBLIC_REPORT_LIMIT: "5 per hour",  # per address: problem reports without sign-in
    "REDIS_URL": None,  # e.g. redis://127.0.0.1:6379/0; None: counters in memory
}

# endpoint -> the setting that limits it, counted per token
PER_TOKEN = {
    "loads.import_sheet": IMPORT_LIMIT,
    "loads.submit_batch": IMPORT_LIMIT,
    "web_loads.import_sheet": IMPORT_LIMIT,
    "web_loads.confirm_import": IMPORT_LIMIT,
    "plans.request_plan": PLAN_LIMIT,
    "web_timeline.new_plan": PLAN_LIMIT,
}

# endpoint -> the setting that limits it, counted per client address (no sign-in there)
PER_ADDRESS = {
    "public.hubs": PUBLIC_LIMIT,
    "public.report": PUBLIC_LIMIT,
    "web_public.public": PUBLIC_LIMIT,
    "web_public.report_status": PUBLIC_LIMIT,
    "web_public.submit_report": PUBLIC_REPORT_LIMIT,
    "reports.create": PUBLIC_REPORT_LIMIT,  # only without a token (signed_in exempts)
}


def signed_in() -> bool:
    """A request with a bearer token: the public report limit is not for enterprises."""
    return bool(request.headers.get("Authorization"))


def mark_sign_in_failed() -> None:
    """A page sign-in was refused: count it like a 401 (the page itself answers 200)."""
    g.sign_in_failed = True


def _failed_auth(response: Response) -> bool:
    return response.status_code == 401 or bool(g.get("sign_in_failed"))


def token_key() -> str:
    """Who is asking: the token's hash (bearer or page session), the signed-in web user, else the
    client address."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return "token:" + hashlib.sha256(token.strip().encode()).hexdigest()
    if session.get("token_hash"):
        return "token:" + session["token_hash"]
    if session.get("user_id") is not None:
        return f"user:{session['user_id']}"
    return "address:" + (get_remote_address() or "unknown")


_FAILURES = "hub_scheduler_auth_failures"  # app.extensions: {address: monotonic time of its last}
_FAILURES_KEPT = 10_000  # addresses remembered before the expired ones are dropped


def _note_failure(response: Response) -> Response:
    """Remember when an address last failed authentication (in this process)."""
    if _failed_auth(response):
        failures: dict[str, float] = current_app.extensions[_FAILURES]
        if len(failures) >= _FAILURES_KEPT:
            window = _failure_window()
            now = time.monotonic()
            for address in [a for a, at in failures.items() if now - at >= window]:
                del failures[address]
        failures[get_remote_address() or "unknown"] = time.monotonic()
    return response


def _failure_window() -> float:
    return float(parse(current_app.config[AUTH_FAILURE_LIMIT]).get_expiry())


def known_good_request() -> bool:
    """Exempt from Flask-Limiter's per-request work: a request no limit can refuse and none
    would count. That is, with counters in this process's memory (no `REDIS_URL`): an endpoint
    without a limit of its own, a bearer token this process has already read and found usable
    under the current generation (`api.auth.cached_principal`: it cannot fail with a 401, so
    the failure limit would not count it), from an address this process has not seen fail
    authentication within the failure limit's window (so its counter, kept in the same
    memory, is empty and cannot refuse it). Such a request gets the answer it would get with
    the check; skipping it saves a few tenths of a millisecond of CPU per request.
    With Redis the counters are shared, other processes' failures are not known here, and
    every request is checked (one round trip)."""
    if not current_app.config["RATELIMIT_STORAGE_URI"].startswith("memory://"):
        return False
    if request.endpoint in PER_TOKEN or request.endpoint in PER_ADDRESS:
        return False
    last = current_app.extensions[_FAILURES].get(get_remote_address() or "unknown")
    if last is not None and time.monotonic() - last < _failure_window():
        return False
    from api.auth import cached_principal

    return cached_principal() is not None


_SKIPPED = "hub_scheduler_limiter_skipped"  # flask.g: this request skipped the limiter's hooks


def _skip_hooks_when_known_good(app: Flask, limiter: Limiter) -> None:
    """Flask-Limiter's three request hooks (its check, its headers, its context reset) run for
    every request, also when the request filter exempts it: ~0.1 ms of CPU for nothing there.
    Each is replaced by a hook that asks `known_good_request` first (once per request) and calls
    Flask-Limiter's own only for the other requests, which are checked exactly as before. The
    hooks are found by what they are bound to; a Flask-Limiter that registers other ones fails
    here, at start-up, rather than limiting differently."""

    def owned(fn: Any) -> bool:
        return getattr(fn, "__self__", None) is limiter or (
            isinstance(fn, partial) and fn.args[:1] == (limiter,)
        )

    replaced = 0
    for registry in (app.before_request_funcs, app.after_request_funcs):
        hooks = registry.get(None, [])
        for i, hook in enumerate(hooks):
            if owned(hook):
                hooks[i] = _unless_skipped(hook, registry is app.before_request_funcs)
                replaced += 1
    hooks = app.teardown_request_funcs.get(None, [])
    for i, hook in enumerate(hooks):
        if owned(hook):
            hooks[i] = _unless_skipped(hook, False)
            replaced += 1
    if replaced != 3:
        raise RuntimeError(f"Flask-Limiter's request hooks not found ({replaced} of 3)")


def _unless_skipped(hook: Any, decides: bool) -> Any:
    """`hook` for a request the limiter checks; nothing for a known good one (`decides`: the
    before_request hook, which asks; the others follow its answer)."""
    if decides:

        @wraps(hook)
        def before() -> Any:
            try:
                known_good = known_good_request()
            except Exception:  # the database cannot answer: Flask-Limiter's hook decides
                known_good = False
            if known_good:
                setattr(g, _SKIPPED, True)
                return None
            return hook()

        return before

    @wraps(hook)
    def after(value: Any) -> Any:
        if g.get(_SKIPPED):
            return value  # after_request: the response, unchanged; teardown: ignored
        return hook(value)

    return after


RATE_HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")
WAIT_STATUSES = (429, 503)  # the answers that ask a client to come back later


def _headers_where_limits_apply(response: Response) -> Response:
    """Flask-Limiter writes its headers on every response it checked, from the failure limit
    every request is under: a 200 with `X-RateLimit-Limit: 10` and `Retry-After: 0` reads as
    throttling. `Retry-After` stays only on a 429 or 503; the X-RateLimit-* headers only on a
    route with a limit of its own (`PER_TOKEN`, `PER_ADDRESS`) and on the answers the failure
    limit counts or refuses (401, a failed page sign-in, 429)."""
    if response.status_code not in WAIT_STATUSES:
        response.headers.pop("Retry-After", None)
    if g.get(_SKIPPED):
        # Flask-Limiter's hooks did not run (`known_good_request`): it wrote no header to strip.
        return response
    limited = request.endpoint in PER_TOKEN or (
        request.endpoint in PER_ADDRESS
        and not (request.endpoint == "reports.create" and signed_in())
    )
    if not (limited or response.status_code == 429 or _failed_auth(response)):
        for name in RATE_HEADERS:
            response.headers.pop(name, None)
    return response


def _setting(name: str):
    return lambda: current_app.config[name]


def _too_many(exc: RateLimitExceeded):
    if (request.blueprint or "").startswith(
        "web_"
    ):  # a page: the site's error page, in the page's language
        from api.web.base import error_page
        from api.web.i18n import translate

        return error_page(
            429, translate("Too many attempts"), translate("Please wait a minute and try again.")
        )
    return problem(
        429,
        "Too many requests",
        f"slow down: at most {exc.limit.limit} from here; try again after Retry-After seconds",
    )


def init_app(app: Flask) -> Limiter:
    """Bind a limiter to `app` (one per app: limits and memory counters are not shared)."""
    for key, default in DEFAULTS.items():
        if app.config.get(key) is None:
            app.config[key] = default
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)  # Retry-After on every 429
    # A limiter whose Redis is down must not take the service down with it: in an emergency,
    # answering beats throttling. Counters fall back to memory until Redis is back.
    app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    # Registered before the limiter's own hook: after-request hooks run last-registered first,
    # so this one sees the headers the limiter wrote.
    app.after_request(_headers_where_limits_apply)
    limiter = Limiter(
        key_func=get_remote_address,
        application_limits=[
            ApplicationLimit(
                _setting(AUTH_FAILURE_LIMIT),
                key_function=get_remote_address,
                deduct_when=_failed_auth,
                error_message="too many failed sign-ins or bad tokens",
            )
        ],
    )
    limiter.init_app(app)
    app.extensions[_FAILURES] = {}
    limiter.request_filter(known_good_request)
    _skip_hooks_when_known_good(app, limiter)
    app.after_request(_note_failure)
    from api import health

    if health.bp.name in app.blueprints:  # probes tell the truth about the service, not the limiter
        limiter.exempt(health.bp)
    # Flask-Limiter types a decorated view as returning a value or an awaitable (it wraps async
    # views too); ours are all sync, so the result is a plain route callable.
    for endpoint, setting in PER_TOKEN.items():
        view = app.view_functions.get(endpoint)
        if view is not None:
            limited = limiter.limit(_setting(setting), key_func=token_key)(view)
            app.view_functions[endpoint] = cast(RouteCallable, limited)
    for endpoint, setting in PER_ADDRESS.items():
        view = app.view_functions.get(endpoint)
        if view is not None:
            exempt = signed_in if endpoint == "reports.create" else None
            limited = limiter.limit(
                _setting(setting), key_func=get_remote_address, exempt_when=exempt
            )(view)
            app.view_functions[endpoint] = cast(RouteCallable, limited)
    app.register_error_handler(RateLimitExceeded, _too_many)
    app.extensions["hub_scheduler_limiter"] = limiter
    return limiter
