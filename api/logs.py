"""Structured logs: every line has time, level, logger, request id and actor (the token's label).

`logging_config(json_format, level)` is a `logging.config.dictConfig` mapping, used by gunicorn
(`logconfig_dict`) and by `configure()`; `HUB_SCHEDULER_LOG_FORMAT=json` gives a JSON object a line
(python-json-logger), anything else plain text. Each request gets an id (`request_id`: the
client's `X-Request-ID` when it is sane, else a new one), echoed back, and, unless
`HUB_SCHEDULER_ACCESS_LOG` is off (production behind nginx: its access log has the requests),
one line (`log_access`); `api.ops` calls both from its one pair of request hooks.
"""

from __future__ import annotations

import logging
import logging.config
import os
import re
import uuid
from datetime import datetime
from typing import Any

from flask import g, has_request_context, request
from pythonjsonlogger.json import JsonFormatter

REQUEST_ID_HEADER = "X-Request-ID"
_SANE_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
TEXT_FORMAT = "%(asctime)s %(levelname)s [%(request_id)s] %(actor)s %(name)s: %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(request_id)s %(actor)s %(message)s"
access_log = logging.getLogger("hub_scheduler.access")


def iso_time(record: logging.LogRecord) -> str:
    """The record's time as ISO 8601 with milliseconds and the process's zone offset
    (`2026-12-03T15:40:00.123+08:00`): logging's default `2026-12-03 07:40:00,123` names no zone,
    so a line read beside nginx's or a gate operator's report could be 8 hours off. The zone is
    the process's (`TZ`; deploy/.env.example sets the site's)."""
    moment = datetime.fromtimestamp(record.created).astimezone()
    return moment.isoformat(timespec="milliseconds")


class TextFormatter(logging.Formatter):
    """Plain text lines, time as `iso_time`."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        return iso_time(record)


class JsonLineFormatter(JsonFormatter):
    """One JSON object a line (python-json-logger), `time` as `iso_time`."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        return iso_time(record)


class RequestContextFilter(logging.Filter):
    """Adds `request_id` and `actor` to every record ("-" outside a request or before sign-in)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = actor = "-"
        if has_request_context():
            request_id = g.get("request_id", "-")
            principal = g.get("principal")
            actor = getattr(principal, "actor", None) or "-"
        record.request_id = getattr(record, "request_id", request_id)
        record.actor = getattr(record, "actor", actor)
        return True


def logging_config(json_format: bool | None = None, level: str | None = None) -> dict[str, Any]:
    """The dictConfig for the process: root and gunicorn's error log; access lines come from us."""
    if json_format is None:
        json_format = os.environ.get("HUB_SCHEDULER_LOG_FORMAT", "text").lower() == "json"
    level = (level or os.environ.get("HUB_SCHEDULER_LOG_LEVEL") or "INFO").upper()
    formatter: dict[str, Any] = {"()": "api.logs.TextFormatter", "format": TEXT_FORMAT}
    if json_format:
        formatter = {
            "()": "api.logs.JsonLineFormatter",
            "fmt": JSON_FIELDS,
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "json_ensure_ascii": False,
        }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": RequestContextFilter}},
        "formatters": {"default": formatter},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "default",
                "filters": ["context"],
            }
        },
        "root": {"level": level, "handlers": ["stderr"]},
        "loggers": {
            "gunicorn.error": {"level": level, "handlers": [], "propagate": True},
            "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": True},
        },
    }


def configure(json_format: bool | None = None, level: str | None = None) -> None:
    """Configure logging for a process that is not run by gunicorn (CLI workers)."""
    logging.config.dictConfig(logging_config(json_format, level))


def request_id(given: str) -> str:
    """The request's id: the client's `X-Request-ID` when it is sane, else a new one."""
    return given if _SANE_ID.fullmatch(given) else uuid.uuid4().hex


def log_access(response: Any, elapsed_ms: float) -> None:
    """One access line for the request (`HUB_SCHEDULER_ACCESS_LOG`), when INFO is on."""
    if access_log.isEnabledFor(logging.INFO):
        access_log.info(
            "%s %s %s %.1f ms",
            request.method,
            request.path,
            response.status_code,
            elapsed_ms,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "ms": round(elapsed_ms, 1),
            },
        )
