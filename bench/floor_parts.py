"""Where the floor's CPU over the bare app goes: its database work and its pydantic work timed
piece by piece, in one process, thread CPU and wall per call, medians of the rounds.

    python -m bench.floor_parts --calls 500 --rounds 5

Pieces: the bare app's one-INSERT transaction; the same transaction with the real `loads` row
(bench/floor_app.py's INSERT); with the audit entry too; with the token's SELECT too (the floor's
whole transaction); `LoadIn` validating the body; the JSON answer. (bench/README.md, fifth pass
of issue 16.)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert

from api.schemas.loads import LoadIn
from bench import bare_app, floor_app
from bench.bench_api import prepare
from bench.profile_api import submission
from models.db import make_engine


def pieces(folder: Path) -> list[tuple[str, Callable[[], None]]]:
    url = f"sqlite:///{folder / 'floor.sqlite3'}"
    token, _admin = prepare(url)
    token_hash = hashlib.sha256(token.encode()).hexdigest()
    engine = make_engine(url)
    bare_engine = bare_app._engine(f"sqlite:///{folder / 'bare.sqlite3'}")
    bare_app.metadata.create_all(bare_engine)
    raw = json.dumps(submission(0), ensure_ascii=False)
    body = LoadIn.model_validate_json(raw)

    def key() -> str:
        return f"E01/P-{uuid.uuid4().hex[:12]}"

    def bare() -> None:
        with bare_engine.begin() as c:
            c.execute(insert(bare_app.loads).values(id=key(), enterprise_id="E01", body=raw))

    def floor(audit: bool, token_select: bool) -> Callable[[], None]:
        def run() -> None:
            now, load_key = datetime.now(UTC), key()
            with engine.begin() as c:
                if token_select:
                    c.execute(floor_app._TOKEN, {"token_hash": token_hash}).first()
                row = floor_app._row(body, load_key, "E01", None, "bench", now)
                c.execute(floor_app._INSERT_LOAD, row)
                if audit:
                    details = {"enterprise_id": "E01", "idempotency_key": None}
                    c.execute(
                        floor_app._INSERT_AUDIT,
                        {"at": now, "actor": "bench", "action": "load.create",
                         "target_type": "load", "target_id": load_key, "details": details},
                    )  # fmt: skip

        return run

    def answer() -> None:
        out = body.model_dump(mode="json", exclude_none=True)
        out.update(id="P", enterprise_id="E01", status="submitted")
        json.dumps(out, ensure_ascii=False)

    return [
        ("bare: one INSERT, commit", bare),
        ("floor: the loads row, commit", floor(audit=False, token_select=False)),
        ("  + the audit entry", floor(audit=True, token_select=False)),
        ("  + the token's SELECT (the floor's transaction)", floor(audit=True, token_select=True)),
        ("LoadIn.model_validate_json", lambda: LoadIn.model_validate_json(raw) and None),
        ("the JSON answer", answer),
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="floor-parts-") as folder:
        work = pieces(Path(folder))
        cpu: dict[str, list[float]] = {name: [] for name, _ in work}
        wall: dict[str, list[float]] = {name: [] for name, _ in work}
        for _name, fn in work:  # warm
            for _ in range(50):
                fn()
        for _ in range(args.rounds):
            for name, fn in work:
                c0, w0 = time.thread_time_ns(), time.perf_counter_ns()
                for _ in range(args.calls):
                    fn()
                cpu[name].append((time.thread_time_ns() - c0) / args.calls / 1e3)
                wall[name].append((time.perf_counter_ns() - w0) / args.calls / 1e3)
        print(f"{args.calls} calls x {args.rounds} rounds; load average {os.getloadavg()[0]:.1f}")
        for name, _ in work:
            print(
                f"  {statistics.median(cpu[name]):6.0f} us CPU  "
                f"{statistics.median(wall[name]):6.0f} us wall  {name}"
            )


if __name__ == "__main__":
    main()
