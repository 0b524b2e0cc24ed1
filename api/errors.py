"""The one error handler: every failure becomes problem details (RFC 9457), never a stack trace."""

from __future__ import annotations

import logging
import re

from flask import Flask, Response, json
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from api.load_ids import shown
from api.problem_words import problem_language, said
from hub_scheduler.errors import FieldError, HubSchedulerError
from hub_scheduler.moments import seconds_everywhere

PROBLEM_JSON = "application/problem+json"
MAX_LISTED_ERRORS = 200
RETRY_AFTER_S = 5
_UNAVAILABLE = (OperationalError, InterfaceError, DisconnectionError, PoolTimeout)

log = logging.getLogger(__name__)


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def problem(
    status: int,
    title: str,
    detail: str = "",
    errors: list[FieldError] | None = None,
    type_: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """A problem-details response; `errors` lists each bad field or sheet cell. `title`, `detail`
    and each error's `message` are said in the request's language (api/problem_words.py: the
    pages' choice, zh-CN by default); `type`, codes, fields and params are the same in each."""
    body: dict = {
        "type": type_ or f"urn:hub-scheduler:problem:{_slug(title)}",
        "title": title,
        "status": status,
        "detail": detail or title,
    }
    if errors:
        # A batch of 10,000 bad rows must not answer with a 10 MB list: the first ones and a count.
        # The same place and message found by two checks (sheet and API rules) is listed once.
        unique = {json.dumps(e.as_dict(), sort_keys=True, default=str): e for e in errors}
        errors = list(unique.values())
        body["errors"] = [e.as_dict() for e in errors[:MAX_LISTED_ERRORS]]
        body["error_count"] = len(errors)
        if len(errors) > MAX_LISTED_ERRORS:
            body["errors_truncated"] = True
    body = seconds_everywhere(body)  # times to the second, also those the services wrote
    body = shown(body)  # load keys (`E01/L-1`) named as ids (api/load_ids.py)
    language = problem_language()
    body = said(body, language)
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_JSON)
    response.headers["Content-Language"] = language
    response.vary.add("Accept-Language")
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def handle_error(exc: Exception) -> Response:
    """Domain errors keep their status and field list; HTTP errors their code; the rest is a 500."""
    if isinstance(exc, HubSchedulerError):
        if exc.status >= 500:
            log.error("server error: %s", exc, exc_info=exc)
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return problem(exc.status, exc.title, exc.detail, exc.errors, headers=headers)
    if isinstance(exc, HTTPException):
        code = exc.code or 500
        detail = exc.description or ""
        if code == 413:
            detail = "the request body is larger than this service accepts"
        headers = {k: v for k, v in exc.get_headers() if k.lower() in ("allow", "retry-after")}
        return problem(code, exc.name, detail, type_="about:blank", headers=headers)
    if isinstance(exc, _UNAVAILABLE):
        # The database is down, restarting or locked: nothing was committed, so a retry is safe.
        log.warning("database unavailable: %s", str(exc).splitlines()[0] if str(exc) else exc)
        return problem(
            503,
            "Service unavailable",
            "the database cannot be reached just now, so the request was not completed; it is "
            f"safe to retry it in {RETRY_AFTER_S} seconds (a submission with the same "
            "Idempotency-Key is never stored twice)",
            headers={"Retry-After": str(RETRY_AFTER_S)},
        )
    if type(exc).__name__ == "DataError" and type(exc).__module__.startswith("sqlalchemy"):
        # A value the database refuses (out of range, bad bytes) came from the request: a 4xx.
        log.warning("database refused a value: %s", str(exc).splitlines()[0])
        return problem(422, "Validation failed", "a value in the request cannot be stored")
    log.exception("unexpected error while handling a request")
    return problem(500, "Internal error", "the server could not complete the request; it is logged")


def init_app(app: Flask) -> None:
    app.register_error_handler(Exception, handle_error)
