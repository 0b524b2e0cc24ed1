"""gunicorn settings for measuring the collector in the workers: `api.gunicorn_config` plus a
`gc.callbacks` counter of thread CPU per worker, written as JSON at the worker's exit to
`$GC_STATS_DIR/gc-<FREEZE>-<pid>.json` ({"ns", "n", "full", "full_ns"}); `FREEZE=1` runs the
shipped `post_worker_init` (collect, then `gc.freeze()`), `FREEZE=0` leaves the heap as loaded.

    GC_STATS_DIR=/tmp/gc python -m bench.bench_api --backends sqlite --rows 0 --repeats 5 \\
        --connections 8 --server "freeze=-c python:bench.gc_config -e FREEZE=1" \\
        --server "plain=-c python:bench.gc_config -e FREEZE=0"

(bench/README.md, fifth pass of issue 16.)
"""

from __future__ import annotations

import gc
import json
import os
import time
from pathlib import Path
from typing import Any

# Every setting the shipped config makes (gunicorn reads the module's names); the two hooks
# below replace or add to it.
from api.gunicorn_config import *  # noqa: F403
from api.gunicorn_config import post_worker_init as _shipped

_stats = {"ns": 0, "n": 0, "full": 0, "full_ns": 0}
_started = [0]


def _count(phase: str, info: dict[str, Any]) -> None:
    if phase == "start":
        _started[0] = time.thread_time_ns()
        return
    spent = time.thread_time_ns() - _started[0]
    _stats["ns"] += spent
    _stats["n"] += 1
    if info["generation"] == 2:
        _stats["full"] += 1
        _stats["full_ns"] += spent


def post_worker_init(worker: Any) -> None:
    if os.environ.get("FREEZE") == "1":
        _shipped(worker)
    gc.callbacks.append(_count)


def worker_exit(server: Any, worker: Any) -> None:
    folder = Path(os.environ.get("GC_STATS_DIR", "."))
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / f"gc-{os.environ.get('FREEZE', '0')}-{os.getpid()}.json"
    out.write_text(json.dumps(_stats), encoding="utf-8")
