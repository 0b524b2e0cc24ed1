"""Plan jobs in real worker processes, under faults: kill -9, SIGTERM, restarts, cancel.

Both profiles: the database-claimed worker (no Redis) and RQ workers on a private Redis queue;
both databases (the `database_url` fixture).
"""

from __future__ import annotations

import os
import signal
import time

import psutil
import pytest

from api.jobs import DatabaseRunner, RQRunner
from hub_scheduler.records import JobStatus
from hub_scheduler.services import jobs as job_service

pytestmark = [pytest.mark.db, pytest.mark.e2e, pytest.mark.slow]


def wait_running(queue_db, plan_id: int, timeout: float = 60):
    """Running and past loading (the solver has started), with the worker's name recorded."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        plan = queue_db.plan(plan_id)
        if plan.status is JobStatus.RUNNING and plan.progress.get("phase") not in (None, "loading"):
            return plan
        assert plan.status in (JobStatus.QUEUED, JobStatus.RUNNING), plan
        time.sleep(0.1)
    raise AssertionError(f"plan {plan_id} never started solving")


def wait_claimed(queue_db, plan_id: int, worker, attempt: int, timeout: float = 60) -> None:
    """Solving in `worker` on claim number `attempt`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        name, attempts, _ = queue_db.claim_info(plan_id)
        plan = queue_db.plan(plan_id)
        if (
            attempts == attempt
            and name
            and name.endswith(f":{worker.pid}")
            and plan.progress.get("phase") == "solving"
        ):
            return
        time.sleep(0.1)
    raise AssertionError(f"plan {plan_id}: claim {attempt} by {worker.pid} never came")


def cpu_seconds(proc: psutil.Process) -> float:
    times = proc.cpu_times()
    return times.user + times.system


def test_cancel_stops_the_solve_within_2_s_and_keeps_the_best_plan(queue_db, workers):
    worker = workers.start()
    plan_id = queue_db.request(DatabaseRunner(), time_limit_s=60)
    wait_running(queue_db, plan_id)
    time.sleep(1.5)
    process = psutil.Process(worker.pid)
    busy0 = cpu_seconds(process)
    time.sleep(2.0)
    busy = cpu_seconds(process) - busy0
    # The machine is shared (2 cores, several test runs): a solving worker still gets a share.
    assert busy > 0.2, f"the worker should be solving ({busy:.2f} CPU s in 2 s)"

    job_service.cancel_plan(queue_db.uow(), plan_id, actor="test")
    cancelled_at = time.monotonic()
    time.sleep(2.0)
    busy1 = cpu_seconds(process)
    time.sleep(1.0)
    idle = cpu_seconds(process) - busy1
    assert idle < 0.1, f"the worker still burns {idle:.2f} CPU s/s 2 s after the cancel"
    plan = queue_db.wait(plan_id, JobStatus.CANCELLED)
    assert time.monotonic() - cancelled_at < 10
    assert plan.status is JobStatus.CANCELLED
    with queue_db.uow() as uow:
        kept = uow.plans.get(plan_id)
    assert kept.schedule is not None and kept.schedule.assignments, "best plan so far is kept"
    assert worker.poll() is None, "the worker lives on for the next job"


@pytest.mark.parametrize("profile", ["database", "rq"])
def test_sigterm_mid_solve_hands_the_job_back_and_a_restarted_worker_runs_it(
    queue_db, workers, queue_name, profile
):
    queue = queue_name if profile == "rq" else None
    runner = RQRunner(workers.redis, queue_name) if queue else DatabaseRunner()
    first = workers.start(redis_queue=queue)
    plan_id = queue_db.request(runner, time_limit_s=8)
    wait_running(queue_db, plan_id)
    first.send_signal(signal.SIGTERM)
    assert first.wait(10) == 0, workers.log(0)
    plan = queue_db.plan(plan_id)
    assert plan.status is JobStatus.QUEUED, "never left running after a graceful stop"
    assert queue_db.claim_info(plan_id)[1] == 0, "a graceful hand-back is not an attempt"

    workers.start(redis_queue=queue)  # the restart: the queued job is run, not forgotten
    done = queue_db.wait(plan_id, JobStatus.SUCCEEDED, timeout=90)
    assert done.status is JobStatus.SUCCEEDED
    assert queue_db.claim_info(plan_id)[1] == 1


def test_sigkill_twice_requeues_once_then_fails_with_the_reason(queue_db, workers):
    published_id, objective = queue_db.publish_inline()
    plan_id = queue_db.request(DatabaseRunner(), time_limit_s=60)

    for attempt in (1, 2):
        # The second worker finds the silent job, hands it back once, then claims it itself.
        victim = workers.start()
        wait_claimed(queue_db, plan_id, victim, attempt)
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait(10)

    workers.start()
    plan = queue_db.wait(plan_id, JobStatus.FAILED, timeout=workers.stale_s * 6 + 30)
    assert "stopped answering" in plan.error and "not retried again" in plan.error
    published = queue_db.plan(published_id)
    assert published.published and published.status is JobStatus.SUCCEEDED
    with queue_db.uow() as uow:
        assert uow.plans.get(published_id).schedule.objective == objective


def test_rq_sigkill_mid_solve_requeues_and_another_worker_completes(queue_db, workers, queue_name):
    runner = RQRunner(workers.redis, queue_name)
    first = workers.start(redis_queue=queue_name)
    plan_id = queue_db.request(runner, time_limit_s=30)
    wait_running(queue_db, plan_id)
    os.kill(first.pid, signal.SIGKILL)
    first.wait(10)
    assert queue_db.plan(plan_id).status is JobStatus.RUNNING  # nobody knows yet

    second = workers.start(redis_queue=queue_name)
    # Recovered after the stale limit, re-enqueued, claimed by the second worker.
    wait_claimed(queue_db, plan_id, second, 2, timeout=workers.stale_s * 6 + 30)
    # Cancel the (30 s) second run: it ends, the job is not left running.
    job_service.cancel_plan(queue_db.uow(), plan_id, actor="test")
    assert queue_db.wait(plan_id, JobStatus.CANCELLED).status is JobStatus.CANCELLED
    runner.connection.close()


def test_rq_jobs_queued_while_no_worker_runs_are_run_when_one_starts(queue_db, workers, queue_name):
    runner = RQRunner(workers.redis, queue_name)
    first = queue_db.request(runner, time_limit_s=1)
    second = queue_db.request(DatabaseRunner(), time_limit_s=1)  # never reached Redis
    workers.start(redis_queue=queue_name)
    assert queue_db.wait(first, JobStatus.SUCCEEDED, timeout=60).status is JobStatus.SUCCEEDED
    # The sweeper enqueues the job the queue never got (after the stale limit).
    assert queue_db.wait(second, JobStatus.SUCCEEDED, timeout=60).status is JobStatus.SUCCEEDED
    runner.connection.close()
