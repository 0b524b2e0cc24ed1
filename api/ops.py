"""What an operator needs from the app: request ids and logs, metrics, security headers, the
reverse-proxy fix, and one log line plus metrics per plan job. `init_app` wires it all, in one
pair of request hooks; `run_plan_job` wraps a job.

`HUB_SCHEDULER_PROXY_FIX=N` (default 0) trusts N proxies' X-Forwarded-For/-Proto/-Host/-Prefix
headers (werkzeug's ProxyFix): set it to 1 behind the nginx site in deploy/, never without a proxy.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, g, request
from werkzeug.middleware.proxy_fix import ProxyFix

from api import headers, logs, metrics

log = logging.getLogger("hub_scheduler.jobs")


def init_app(app: Flask) -> None:
    """One before_request and one after_request for what every request gets: its id (echoed
    back), its security headers, its count and time in the metrics, and its access line."""
    access = bool(app.config.get("HUB_SCHEDULER_ACCESS_LOG", True))

    @app.before_request
    def _start() -> None:
        g.request_started = time.perf_counter()
        g.request_id = logs.request_id(request.headers.get(logs.REQUEST_ID_HEADER, ""))

    @app.after_request
    def _finish(response: Response) -> Response:
        headers.add_security_headers(response)
        started = g.get("request_started")
        if started is None:  # a response made before the hook ran (none known): headers only
            return response
        seconds = time.perf_counter() - started
        response.headers[logs.REQUEST_ID_HEADER] = g.request_id
        rule = request.url_rule
        metrics.observe_request(
            rule.rule if rule is not None else "<unmatched>",
            request.method,
            response.status_code,
            seconds,
        )
        if access:
            logs.log_access(response, seconds * 1e3)
        return response

    metrics.init_app(app)
    _remember_sync_functions(app)
    proxies = int(app.config.get("HUB_SCHEDULER_PROXY_FIX") or 0)
    if proxies > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_prefix=proxies
        )


_SYNC_CHECKED_MAX = 4096  # functions a process remembers as plain `def`s (views, hooks)


def _remember_sync_functions(app: Flask) -> None:
    """Flask asks `ensure_sync` of every hook and view on every request (an `inspect` check that
    it is no coroutine function: ~9 per API request, ~15 us): a function found plain once is
    answered from a set afterwards. The same answer: a function does not change its kind."""
    ask = app.ensure_sync
    plain: set[Any] = set()

    def ensure_sync(func: Callable[..., Any]) -> Callable[..., Any]:
        try:
            if func in plain:
                return func
        except TypeError:  # unhashable: ask every time
            return ask(func)
        answer = ask(func)
        if answer is func and len(plain) < _SYNC_CHECKED_MAX:
            plain.add(func)
        return answer

    app.ensure_sync = ensure_sync  # type: ignore[method-assign]


def run_plan_job(plan_id: int, run: Callable[[], Any]) -> Any:
    """Run one plan job (`run()` returns the stored Plan), logging its start and finish (horizon,
    loads, objective, gap, seconds) and counting it by outcome."""
    started = time.perf_counter()
    log.info("plan job %s start", plan_id, extra={"plan_id": plan_id, "event": "plan_job_start"})
    outcome = "crashed"
    try:
        plan = run()
        outcome = getattr(getattr(plan, "status", None), "value", "unknown")
        return plan
    finally:
        seconds = time.perf_counter() - started
        metrics.observe_plan_job(outcome, seconds)
        fields = {
            "plan_id": plan_id,
            "event": "plan_job_finish",
            "outcome": outcome,
            "seconds": round(seconds, 2),
        }
        if outcome != "crashed":
            fields.update(_plan_fields(plan))
        log.info(
            "plan job %s %s: horizon %s..%s, %s loads, objective %s, gap %s, %.1f s",
            plan_id,
            outcome,
            fields.get("horizon_start"),
            fields.get("horizon_end"),
            fields.get("loads"),
            fields.get("objective"),
            fields.get("gap"),
            seconds,
            extra=fields,
        )


def _plan_fields(plan: Any) -> dict[str, Any]:
    schedule = getattr(plan, "schedule", None)
    fields: dict[str, Any] = {
        "horizon_start": plan.horizon_start.isoformat(),
        "horizon_end": plan.horizon_end.isoformat(),
        "loads": (plan.progress or {}).get("loads"),
    }
    if schedule is not None:
        fields.update(
            loads=len(schedule.assignments) + len(schedule.unscheduled),
            placed=len(schedule.assignments),
            objective=schedule.objective,
            gap=schedule.gap,
        )
    return fields
