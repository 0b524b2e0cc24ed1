"""The service's clock, the one home for "now" at the edge: `HUB_SCHEDULER_PLAN_NOW` when set (a
training day, tests), else the real clock. The plan jobs plan from it (`JobConfig.now`), and the
pages, the gate, the cancel guard and the load warnings read it, so that with a set clock they all
see the same moment."""

from __future__ import annotations

from datetime import datetime

from api.settings import job_config
from hub_scheduler.services.jobs import utc_now


def service_now() -> datetime:
    """The service's now: an aware datetime (UTC for the real clock)."""
    return job_config().now or utc_now()
