"""Split plan jobs: a day's independent parts as part jobs on the queue, then one merge.

`split_job` (called by `job_run.run_plan` in the worker that claimed the job) adds the part jobs;
the parts run as any job; `merge_parts` (the worker that ends the last part, an RQ job depending
on the parts, or any worker's sweep `merge_due`) joins and verifies them. docs/queue.md
"Automatic split on the queue".
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from hub_scheduler.domain import Scenario, Schedule
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.records import JobStatus, Plan
from hub_scheduler.services.audit import record
from hub_scheduler.services.job_failures import (
    JobFailure,
    merge_crashed,
    merge_not_verified,
    part_failed,
)
from hub_scheduler.services.job_run import with_now
from hub_scheduler.services.jobs import (
    SPLIT_PHASE,
    Heartbeat,
    fail_job,
    get_job,
    succeed_job,
    utc_now,
)

log = logging.getLogger(__name__)

_OPEN = (JobStatus.QUEUED, JobStatus.RUNNING)


def split_job(
    uow_factory: Callable[[], Any], plan: Plan, scenario: Scenario, claimed_by: str | None
) -> list[int] | None:
    """Make `plan` (running) a split job when its `scenario` has more than one independent part
    with loads: one queued part job per part (its hubs, the parent's parameters, the parent's
    planning moment fixed, `split: false`), the parent left `running` for no worker with
    progress `{"phase": "parts", "parts": n, "now"}`. Returns the ids of the parts still
    `queued` (to submit), or None when the plan is not split (one part). A parent re-run after
    its worker died keeps the parts it already has."""
    from hub_scheduler.solver.partition import independent_parts, split

    plan_id = plan.stored_id
    uow = uow_factory()
    with uow:
        existing = uow.plans.list(parts_of=plan_id, limit=None)
    if existing:
        part_ids = sorted(p.stored_id for p in existing if p.status is JobStatus.QUEUED)
        count = len(existing)
    else:
        parts = independent_parts(scenario)
        if len(parts) < 2:
            return None
        pieces = split(scenario, parts)
        # a hub no load may use is a part of its own with nothing to plan: no job for it
        parts = [p for p, piece in zip(parts, pieces, strict=True) if piece.loads]
        if len(parts) < 2:
            return None
        now = scenario.settings.now or utc_now()
        params = {
            **plan.params,
            "now": now.isoformat(),
            "split": False,
        }
        part_ids = []
        with uow:
            for i, hubs in enumerate(parts):
                child = uow.plans.add(
                    Plan(
                        horizon_start=plan.horizon_start,
                        horizon_end=plan.horizon_end,
                        hub_ids=hubs,
                        params={**params, "part": f"{i + 1}/{len(parts)}"},
                        requested_by=plan.requested_by,
                        requested_at=utc_now(),
                        parent_id=plan_id,
                    )
                )
                part_ids.append(child.stored_id)
            record(
                uow,
                "system",
                "plan.split",
                "plan",
                str(plan_id),
                {"parts": part_ids, "hubs": [len(p) for p in parts]},
            )
            uow.commit()
        count = len(parts)
    with uow:
        current = get_job(uow, plan_id, with_rows=False)
        uow.plans.set_progress(
            plan_id,
            {
                **current.progress,
                "phase": SPLIT_PHASE,
                "parts": count,
                "now": (scenario.settings.now or utc_now()).isoformat(),
                "heartbeat": utc_now().isoformat(),
            },
        )
        if claimed_by is not None:
            uow.plans.release(plan_id, claimed_by)
        uow.commit()
    return part_ids


def part_summaries(uow: UnitOfWork, plan_id: int) -> list[dict[str, Any]]:
    """The parts of a split plan job, in order: `{"id", "status", "hub_ids", "seconds" (solve
    wall time, None until it ended), "objective", "error", "error_code", "error_params"}` (a
    failed part's reason: English, its code and params, `services/job_failures.py`); [] for a
    job that is not split."""
    with uow:
        parts = uow.plans.list(parts_of=plan_id, limit=None)
    out = []
    for p in sorted(parts, key=lambda p: p.stored_id):
        seconds = (
            round((p.finished_at - p.started_at).total_seconds(), 3)
            if p.finished_at is not None and p.started_at is not None
            else None
        )
        out.append(
            {
                "id": p.stored_id,
                "status": p.status.value,
                "hub_ids": p.hub_ids or [],
                "seconds": seconds,
                "objective": p.schedule.objective if p.schedule is not None else None,
                "error": p.error,
                "error_code": p.error_code,
                "error_params": p.error_params,
            }
        )
    return out


def merge_parts(
    uow_factory: Callable[[], Any],
    plan_id: int,
    *,
    load_scenario: Callable[..., Scenario],
    worker_id: str,
    verify: Callable[[Scenario, Schedule], Any] | None = None,
    beat_s: float = 1.0,
) -> Plan | None:
    """Join a split job's parts once every part has ended: all succeeded -> the merged schedule
    (`partition.merge`), verified against the whole day as it is now (planned from the moment
    the parts planned from), stored `succeeded`, or `failed` with the violations; a part
    failed or cancelled -> the job `failed`, naming the part. Exactly one worker merges
    (`claim_merge`); returns the job then, None when it is not (yet) this worker's to merge.

    While it merges (10 s and more for a province day) the job shows progress phase `merging`
    and beats every `beat_s` seconds (`jobs.Heartbeat`), so the dead-worker sweep does not take a
    merge longer than the stale limit for a dead worker and run it again."""
    if verify is None:
        from hub_scheduler.verify import verify as default_verify

        verify = default_verify
    uow = uow_factory()
    with uow:
        parent = uow.plans.get(plan_id, with_rows=False)
        if (
            parent is None
            or parent.status is not JobStatus.RUNNING
            or parent.progress.get("phase") != SPLIT_PHASE
        ):
            return None
        parts = sorted(uow.plans.list(parts_of=plan_id, limit=None), key=lambda p: p.stored_id)
        if not parts or any(p.status in _OPEN for p in parts):
            return None
        if not uow.plans.claim_merge(plan_id, worker_id, utc_now()):
            return None
        uow.plans.set_progress(plan_id, {**parent.progress, "phase": "merging"})
        uow.commit()
    started = time.perf_counter()
    with Heartbeat(uow_factory, plan_id, worker_id, every_s=beat_s, progress={"phase": "merging"}):
        merged, failure = _merged(uow, parent, parts, load_scenario, verify)
    merge_s = round(time.perf_counter() - started, 3)
    with uow:
        current = get_job(uow, plan_id, with_rows=False)
        if current.status is not JobStatus.RUNNING:
            return current  # cancelled while merging: keep that verdict
        ok = failure is None and merged is not None
        progress = {**current.progress, "phase": "done" if ok else "failed", "merge_s": merge_s}
        if failure is None and merged is not None:
            succeed_job(uow, plan_id, merged, parts=len(parts))
            progress["best_objective"] = merged.objective
        elif failure is not None:
            fail_job(uow, current, failure)
        uow.plans.set_progress(plan_id, progress)
        uow.commit()
        return get_job(uow, plan_id, with_rows=False)


def _merged(
    uow: UnitOfWork,
    parent: Plan,
    parts: list[Plan],
    load_scenario: Callable[..., Scenario],
    verify: Callable[[Scenario, Schedule], Any],
) -> tuple[Schedule | None, JobFailure | None]:
    """The merge itself: (the merged schedule or None, None when it was verified, else why
    not)."""
    from hub_scheduler.solver.partition import merge

    bad = [p for p in parts if p.status is not JobStatus.SUCCEEDED]
    if bad:
        return None, part_failed((p.stored_id, p.status.value, p.error) for p in bad)
    try:
        with uow:
            schedules = [s for p in parts if (s := get_job(uow, p.stored_id).schedule) is not None]
            now = parent.progress.get("now")
            at = datetime.fromisoformat(now) if isinstance(now, str) else utc_now()
            whole = load_scenario(
                uow, parent.horizon_start, parent.horizon_end, None, parent.hub_ids, now=at
            )
        whole = with_now(whole, at)
        merged = merge(whole, schedules)
        report = verify(whole, merged)
    except Exception as exc:
        log.exception("merging the parts of plan %s crashed", parent.id)
        return None, merge_crashed(exc)
    violations = list(getattr(report, "violations", []))
    ok = bool(getattr(report, "ok", not violations))
    return merged, None if ok else merge_not_verified(violations)


def merge_due(
    uow_factory: Callable[[], Any], *, load_scenario: Callable[..., Scenario], worker_id: str
) -> list[int]:
    """Merge every split job whose parts have all ended (a worker's sweep: a part's last run may
    have ended in a worker that died, or been failed by `recover_silent_jobs`); the ids merged."""
    uow = uow_factory()
    with uow:
        waiting = [
            p.stored_id
            for p in uow.plans.list(status=JobStatus.RUNNING, top_level=True, limit=None)
            if p.progress.get("phase") == SPLIT_PHASE
        ]
    done = []
    for plan_id in waiting:
        if merge_parts(uow_factory, plan_id, load_scenario=load_scenario, worker_id=worker_id):
            done.append(plan_id)
    return done
