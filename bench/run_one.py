"""Run one method on one scenario file in this process and write what happened as JSON.

    python -m bench.run_one METHOD SCENARIO.json RESULT.json --time-limit 10 --workers 2 --seed 0

Benchmarks start it as a subprocess so that each method's peak memory (ru_maxrss) is its own.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
import traceback
from pathlib import Path

from bench.baselines import ModelTooLarge
from bench.methods import METHODS
from hub_scheduler.scenario_file import dump, read_scenario


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("method", choices=sorted(METHODS))
    parser.add_argument("scenario", type=Path)
    parser.add_argument("result", type=Path)
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    scenario = read_scenario(args.scenario)
    before_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    out: dict = {"method": args.method}
    try:
        schedule = METHODS[args.method](scenario, args.time_limit, args.workers, args.seed)
        out["schedule"] = dump(schedule)
    except ModelTooLarge as exc:
        out["skipped"] = str(exc)
    except Exception as exc:  # a benchmark reports a crash as a result, with its traceback
        out["error"] = f"{type(exc).__name__}: {exc}"
        out["traceback"] = traceback.format_exc()
    out["seconds"] = time.perf_counter() - started
    # Linux reports ru_maxrss in KiB; the process peak includes the interpreter and the scenario.
    out["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["loaded_mib"] = before_kib / 1024
    args.result.write_text(json.dumps(out), encoding="utf-8")


if __name__ == "__main__":
    main()
