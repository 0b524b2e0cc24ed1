"""What a submission is told but not refused for: `POST /loads` and `/loads/batch` answer each
load with a `warnings` list of {field, code, params, message} (`services.load_checks.
arrival_warnings`: an arrival already past, as the load form warns; the message in the request's
language). The clock is the service's (`HUB_SCHEDULER_PLAN_NOW` when set, as for the form and
the plan jobs)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from api.clock import service_now
from api.problem_words import problem_language, said_fields
from api.respond import site_timezone
from hub_scheduler.domain import Load
from hub_scheduler.services.load_checks import arrival_warnings


def with_warnings(load: Load, now: datetime | None = None) -> dict[str, Any]:
    """The load as the API shows it, with its `warnings` (an empty list when there are none)."""
    now = now or service_now()
    warned = [w.as_dict() for w in arrival_warnings(load, now, site_timezone())]
    # the message in the request's language, as a problem's (api/problem_words.py)
    return {**load.model_dump(mode="python"), "warnings": said_fields(warned, problem_language())}


def all_with_warnings(loads: list[Load]) -> list[dict[str, Any]]:
    now = service_now()
    return [with_warnings(load, now) for load in loads]
