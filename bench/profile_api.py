"""Where one `POST /api/v1/loads` spends its time: pyinstrument over N in-process submissions.

A fresh SQLite database seeded with the Xunwu day (as bench_api does), the real app through
Flask's test client (no network, one thread), 20 warm-up submissions, then N profiled ones;
prints the mean wall and CPU milliseconds per request and pyinstrument's call tree.

    python -m bench.profile_api --requests 300
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path
from typing import Any


def submission(i: int, prefix: str = "PROF") -> dict[str, Any]:
    """The body of the `i`-th profiled `POST /api/v1/loads` (bench.profile_hooks sends it too)."""
    return {
        "id": f"{prefix}-{i:06d}",
        "category": "agricultural",
        "temperature": "ambient",
        "handling_minutes": 30,
        "release": "2026-11-28T10:30:00+08:00",
        "due": "2026-11-28T13:00:00+08:00",
        "vehicle_plate": "赣B·T52D8",
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args(argv)
    from pyinstrument import Profiler

    from bench.bench_api import prepare

    with tempfile.TemporaryDirectory(prefix="profile-api-") as folder:
        url = f"sqlite:///{Path(folder) / 'profile.sqlite3'}"
        os.environ["DATABASE_URL"] = url
        enterprise, _admin = prepare(url)
        from api import create_app

        client = create_app().test_client()
        headers = {"Authorization": f"Bearer {enterprise}"}

        def submit(i: int) -> None:
            response = client.post("/api/v1/loads", json=submission(i), headers=headers)
            if response.status_code != 201:
                raise SystemExit(f"refused: {response.status_code} {response.data[:500]!r}")

        for i in range(20):
            submit(i)
        profiler = Profiler(interval=0.0005)
        wall, cpu = time.perf_counter(), time.process_time()
        profiler.start()
        for i in range(20, 20 + args.requests):
            submit(i)
        profiler.stop()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(
            f"{args.requests} submissions: {wall / args.requests * 1000:.2f} ms wall, "
            f"{cpu / args.requests * 1000:.2f} ms CPU each (with the profiler on)"
        )
        print(profiler.output_text(unicode=False, color=False))


if __name__ == "__main__":
    main()
