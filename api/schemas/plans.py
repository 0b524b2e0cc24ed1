"""Plan jobs and plans: ask for one, read it, the plan in force on a day, export."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import AwareDatetime, BaseModel, Field

from api.schemas.body import Body, Horizon
from hub_scheduler import limits
from hub_scheduler.domain import Assignment, Unscheduled
from hub_scheduler.records import JobStatus
from hub_scheduler.values import Day


class PlanIn(Body):
    horizon: Horizon
    time_limit_s: float | None = Field(default=None, gt=0, le=600)
    hub_ids: list[str] | None = Field(default=None, min_length=1)
    workers: int | None = Field(default=None, ge=1, le=16)
    seed: int | None = None
    now: AwareDatetime | None = Field(
        default=None,
        description="plan as of this moment (a what-if, a test); default: the clock when the job "
        "runs",
    )
    stability_weight: float | None = Field(
        default=None,
        ge=0,
        le=1_000_000,
        description="objective points per load moved from its slot in force (high: move as few "
        "trucks as possible; 0: least lateness); default: the site's settings.objective.stability",
    )
    # True: a horizon and hub set already queued or running answers with that job (no 2nd solve).
    coalesce: bool = True
    split: bool | None = Field(
        default=None,
        description="solve a day's independent parts (hubs sharing no load or relay) as parallel "
        "part jobs on the queue and merge them; default: yes when a queue worker runs the job "
        "(Redis or the database worker), no in the in-process runner",
    )


class PlanPartOut(BaseModel):
    """One part job of a split plan job: its id, status, hubs, solve seconds, objective."""

    id: int
    status: JobStatus
    hub_ids: list[str]
    seconds: float | None = None
    objective: float | None = None
    error: str | None = None
    error_code: str | None = None
    error_params: dict[str, Any] | None = None
    error_message: str | None = None


class PlanOut(BaseModel):
    id: int
    status: JobStatus
    horizon: Horizon
    hub_ids: list[str] | None
    params: dict[str, Any]
    progress: dict[str, Any]
    requested_by: str | None = Field(
        description="who asked for the plan; null in an enterprise's view (as are `params`, "
        "`progress` and `error`)"
    )
    requested_at: AwareDatetime
    started_at: AwareDatetime | None
    finished_at: AwareDatetime | None
    published: bool
    published_at: AwareDatetime | None
    error: str | None = Field(
        description="a failed job's reason in English, as the service logs it (kept for older "
        "clients; read `error_message`)"
    )
    error_code: str | None = Field(
        default=None,
        description="a failed job's reason as a code: job_stale, job_worker_lost, job_crashed, "
        "plan_not_verified, part_failed, merge_crashed, merge_not_verified (null: not failed, or "
        "failed before the codes: only `error`)",
    )
    error_params: dict[str, Any] | None = Field(
        default=None,
        description="the code's params (seconds, counts, the exception's type, the verifier's "
        "first finding as `rule`, `finding`, `finding_params`)",
    )
    error_message: str | None = Field(
        default=None,
        description="the reason in the language of the request's Accept-Language (zh-CN by "
        "default, English); a job failed before the codes shows its English `error`",
    )
    reason_message: str | None = Field(
        default=None,
        description="why the job was asked for (`params.reason`) in the request's language: a "
        "reason the service writes (a positive case, the timeline page, an activation, a hub "
        "switch) by its words, a typed one as typed; null without a reason",
    )
    solver_status: str | None = None
    objective: float | None = None
    bound: float | None = None
    gap: float | None = None
    kpis: dict[str, Any] = Field(default_factory=dict)
    figures_pending: bool = Field(
        default=False,
        description="true while the plan's figures (objective, bound, gap, kpis) are being "
        "counted again after an edit of its rows on the live day (a repair, a no-show, a late "
        "start): until then they describe its rows before that edit (docs/api.md, 'A plan's "
        "figures')",
    )
    placed: int | None = None
    unscheduled: int | None = None
    parent_id: int | None = None
    parts: list[PlanPartOut] = Field(
        default_factory=list, description="a split job's part jobs (only on GET /plans/{id})"
    )


class PlanQuery(Body):
    status: JobStatus | None = None
    horizon: dt.date | None = Field(
        default=None, description="plans whose horizon starts on this day (site time zone)"
    )
    limit: int = Field(default=50, ge=1, le=500)
    offset: int = Field(default=0, ge=0, le=limits.OFFSET_MAX)


class PlanPage(BaseModel):
    items: list[PlanOut]
    total: int
    limit: int
    offset: int


class PublishedQuery(Body):
    date: Day | None = Field(
        default=None,
        description="a day in the site's zone, YYYY-MM-DD; default: today there (service clock)",
    )


class UnscheduledOut(Unscheduled):
    """An unscheduled load as the API gives it: the stored reason (code, English `reason`,
    `reason_detail` and `reason_params`) and `message`, the detail written in the language of
    the request's Accept-Language (zh-CN by default, English), hubs by name; "" where the plan
    kept no detail."""

    message: str = ""


class PublishedOut(BaseModel):
    plan: PlanOut
    assignments: list[Assignment]
    unscheduled: list[UnscheduledOut]


class ExportQuery(Body):
    format: str = Field(default="csv", pattern="^(csv|xlsx)$")
    # the XLSX workbook's language (the CSV is machine-readable, the same in both)
    lang: str = Field(default="zh-CN", pattern="^(zh-CN|en)$")
