"""Why a plan job failed: a code and its params, said in the reader's language at the edge.

A failed job stores its failure's `code` and `params` (`Plan.error_code`, `Plan.error_params`,
migration 0012) beside its English `text` (`Plan.error`: for the log, the audit and clients that
read only `error`). The pages and the API say the code with its params (api/job_words.py, words
`job_err_<code>` in api/web/job_messages.py); nothing reads the English back.

A user-facing message never carries an exception's text (it may hold SQL, file paths or another
enterprise's ids): a crash's params name the exception's type only, its text stays in the English
`text` and the log, for staff.

Params are JSON values: seconds as float, counts as int, ids as int, codes as str.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

# The codes, one per way a job fails.
JOB_STALE = "job_stale"  # its worker stopped beating (a dead process), seen by the stale sweep
JOB_WORKER_LOST = "job_worker_lost"  # its worker went silent on its last allowed attempt
JOB_CRASHED = "job_crashed"  # the load, the solve or the verification raised
PLAN_NOT_VERIFIED = "plan_not_verified"  # the verifier found broken rules in the solver's plan
PART_FAILED = "part_failed"  # a part of a split job failed or was cancelled: nothing to merge
MERGE_CRASHED = "merge_crashed"  # joining a split job's parts raised
MERGE_NOT_VERIFIED = "merge_not_verified"  # the verifier found broken rules in the merged plan
CODES = frozenset(
    {
        JOB_STALE,
        JOB_WORKER_LOST,
        JOB_CRASHED,
        PLAN_NOT_VERIFIED,
        PART_FAILED,
        MERGE_CRASHED,
        MERGE_NOT_VERIFIED,
    }
)

# At most this many findings are written into the English text (a broken day can have hundreds).
_TEXT_FINDINGS = 10


@dataclass(frozen=True)
class JobFailure:
    """One failure: `code` (one of `CODES`), its JSON `params`, and `text`, its English sentence
    with every detail (the exception's message included) for the log, the audit and `error`."""

    code: str
    params: dict[str, Any] = field(default_factory=dict, hash=False)
    text: str = ""


def _json(value: Any) -> Any:
    """`value` as plain JSON (a verifier's params are already; anything else is said as text)."""
    return json.loads(json.dumps(value, default=str))


def job_stale(time_limit_s: float, grace_s: float) -> JobFailure:
    """A running job whose heartbeat is older than its solve limit plus the grace period (the
    worker died): params `time_limit_s`, `grace_s` and `silent_s` (their sum), seconds."""
    silent_s = float(time_limit_s) + float(grace_s)
    return JobFailure(
        JOB_STALE,
        {"time_limit_s": float(time_limit_s), "grace_s": float(grace_s), "silent_s": silent_s},
        f"the job's worker stopped without finishing (stale heartbeat: silent for more than "
        f"{silent_s:g} s, its {float(time_limit_s):g} s limit and {float(grace_s):g} s of grace)",
    )


def job_worker_lost(
    worker: str | None, silent_s: float, attempts: int, max_attempts: int
) -> JobFailure:
    """A job whose worker sent no heartbeat for `silent_s` seconds on its last allowed attempt:
    params `silent_s`, `attempts`, `max_attempts` (the worker's id is staff's: text only)."""
    return JobFailure(
        JOB_WORKER_LOST,
        {"silent_s": float(silent_s), "attempts": attempts, "max_attempts": max_attempts},
        f"the job's worker ({worker}) stopped answering (no heartbeat for {silent_s:g} s) on "
        f"attempt {attempts} of {max_attempts}; not retried again",
    )


def job_crashed(exc: BaseException) -> JobFailure:
    """The job raised `exc`: params `exception`, its type's name only; its message is in the
    English text (and the log) for staff."""
    kind = type(exc).__name__
    return JobFailure(JOB_CRASHED, {"exception": kind}, f"the job crashed: {kind}: {exc}")


def merge_crashed(exc: BaseException) -> JobFailure:
    """Joining a split job's parts raised `exc`: params `exception` (its type's name only)."""
    kind = type(exc).__name__
    return JobFailure(MERGE_CRASHED, {"exception": kind}, f"the merge crashed: {kind}: {exc}")


def _findings(violations: Sequence[Any]) -> dict[str, Any]:
    """`count` and the first finding as the verifier gives it: `rule` (H3, STRUCTURE...),
    `finding` (its code, `hub_scheduler.verify.findings`) and `finding_params`; a finding that
    is only text (a test's fake verifier) has `finding` None and its text as `first`."""
    first = violations[0] if violations else None
    code = getattr(first, "code", None)
    return {
        "count": len(violations),
        "rule": getattr(first, "rule", None) if code else None,
        "finding": code,
        "finding_params": _json(dict(getattr(first, "params", {}) or {})) if code else {},
        "first": str(first) if first is not None else "",
    }


def plan_not_verified(violations: Sequence[Any]) -> JobFailure:
    """The verifier found `violations` (its `Violation`s) in the solver's plan: params `count`,
    `rule`, `finding`, `finding_params` of the first (see `_findings`)."""
    return JobFailure(
        PLAN_NOT_VERIFIED,
        _findings(violations),
        "the plan failed verification: " + "; ".join(str(v) for v in violations[:_TEXT_FINDINGS]),
    )


def merge_not_verified(violations: Sequence[Any]) -> JobFailure:
    """The verifier found `violations` in a split job's merged plan: params as
    `plan_not_verified`'s."""
    return JobFailure(
        MERGE_NOT_VERIFIED,
        _findings(violations),
        "the merged plan failed verification: "
        + "; ".join(str(v) for v in violations[:_TEXT_FINDINGS]),
    )


def part_failed(parts: Iterable[tuple[int, str, str | None]]) -> JobFailure:
    """Parts of a split job that did not succeed, each (id, status value, its English error or
    None): params `count` and `parts`, `[{"id", "status", "error_code"}]` (a part's own failure
    is said on its own job)."""
    parts = list(parts)
    return JobFailure(
        PART_FAILED,
        {
            "count": len(parts),
            "parts": [{"id": pid, "status": status} for pid, status, _ in parts],
        },
        "part job(s) did not succeed: "
        + "; ".join(
            f"{pid} {status}" + (f" ({error})" if error else "") for pid, status, error in parts
        ),
    )
