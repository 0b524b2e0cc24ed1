"""What the bad-input checks cost on a request body: the nesting scan (api.openapi.json_depth) and
strict pydantic validation from bytes, against plain json.loads, on batches of 1 to 5,000 loads.

    python -m bench.bench_body_checks            # a table of medians (ms) and ratios to json.loads
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

from pydantic import TypeAdapter

from api.openapi import json_depth
from api.schemas.loads import LoadIn

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "xunwu.json"
REPEATS = 15


def _median_ms(action) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    loads = json.loads(FIXTURE.read_text(encoding="utf-8"))["loads"]
    dropped = ("enterprise_id", "status", "pinned", "previous")
    body = [{k: v for k, v in ld.items() if k not in dropped} for ld in loads]
    adapter = TypeAdapter(list[LoadIn])
    print("| loads | bytes | json.loads ms | depth scan ms | strict validate ms | scan / loads |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for count in (1, 100, 1000, 5000):
        items = [dict(body[i % len(body)], id=f"B{i}") for i in range(count)]
        raw = json.dumps(items).encode()
        parse = _median_ms(lambda raw=raw: json.loads(raw))
        scan = _median_ms(lambda raw=raw: json_depth(raw))
        strict = _median_ms(lambda raw=raw: adapter.validate_json(raw, strict=True))
        row = [
            count,
            len(raw),
            f"{parse:.3f}",
            f"{scan:.3f}",
            f"{strict:.3f}",
            f"{scan / parse:.2f}",
        ]
        print("| " + " | ".join(str(cell) for cell in row) + " |")


if __name__ == "__main__":
    main()
