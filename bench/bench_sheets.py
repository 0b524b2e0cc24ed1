"""Reading load sheets: rows per second and peak memory, calamine against openpyxl.

    python -m bench.bench_sheets --sizes 1000 10000 20000 --repeat 3

Sheets are generated as enterprises send them (Chinese headers and values, `2026/11/28 7:50`
times; CSV in GBK, XLSX with real date cells from openpyxl, XLS from xlwt) at each size; 20,000 is
the row limit (`hub_scheduler.sheets.limits.MAX_ROWS`). Each measurement runs in a fresh process:

- `read`: the file to cells only, `pd.read_excel(engine=...)` (calamine or openpyxl) or the CSV
  reader; openpyxl cannot read .xls, so that cell is empty.
- `import`: the whole sheet path, `hub_scheduler.sheets.read_sheet` (file, header, every cell to a
  `POST /loads` submission), which uses calamine for workbooks.

Peak memory is the child's peak resident set (`ru_maxrss`) minus what it held after its imports:
calamine allocates in Rust, which tracemalloc would not see. Times and memory are medians.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

HEADER = ["车次编号", "企业编号", "货物类别", "温层", "装卸时长（分钟）", "预计到达", "期望完成"]
HEADER += ["最晚完成", "车牌号", "通行证", "检测类型", "检测结果", "采样时间", "健康码", "体温"]
CATEGORIES = ["医疗物资", "生活必需品", "农产品", "能源", "邮政快递"]
START = datetime(2026, 11, 28, 0, 0)


def rows(n: int, dates_as_text: bool) -> list[list]:
    out = []
    for i in range(n):
        release = START + timedelta(minutes=(i * 7) % 1440)
        stamps = [release, release + timedelta(hours=3), release + timedelta(hours=6)]
        sampled = release - timedelta(hours=20)
        if dates_as_text:
            stamps = [f"{m.year}/{m.month}/{m.day} {m.hour}:{m.minute:02d}" for m in stamps]
            sampled = f"{sampled.year}/{sampled.month}/{sampled.day} {sampled.hour}:00"
        out.append(
            [f"B{i:06d}", f"E{i % 15 + 1:02d}", CATEGORIES[i % 5], "冷链" if i % 4 else "常温"]
            + [20 + i % 40, *stamps, f"赣B{i % 100000:05d}", "否", "核酸", "阴性", sampled]
            + ["绿码", 36.5]
        )
    return out


def write(fmt: str, n: int, path: Path) -> None:
    if fmt == "csv":
        lines = [",".join(map(str, r)) for r in [HEADER, *rows(n, True)]]
        path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    elif fmt == "xlsx":
        import openpyxl

        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet("导入")
        for row in [HEADER, *rows(n, False)]:
            sheet.append(row)
        book.save(path)
    elif fmt == "xls":
        import xlwt

        book = xlwt.Workbook(encoding="utf-8")
        sheet = book.add_sheet("导入")
        dated = xlwt.easyxf(num_format_str="yyyy/m/d h:mm")
        for r, row in enumerate([HEADER, *rows(n, False)]):
            for c, value in enumerate(row):
                if isinstance(value, datetime):
                    sheet.write(r, c, value, dated)
                else:
                    sheet.write(r, c, value)
        book.save(str(path))


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def child(fmt: str, stage: str, engine: str, path: str) -> None:
    """One measurement in this fresh process; prints {seconds, rows, peak_mb} as JSON."""
    import pandas as pd

    import hub_scheduler.sheets as sheets
    from hub_scheduler.sheets.csv_format import CsvFormat

    data = Path(path).read_bytes()
    # warm every import and allocator on a tiny sheet, then take the baseline
    sheets.read_sheet(",".join(HEADER).encode("gbk") + b"\r\n", "warm.csv")
    pd.read_excel(io.BytesIO(_tiny_xlsx()), engine="calamine")
    if engine == "openpyxl":
        pd.read_excel(io.BytesIO(_tiny_xlsx()), engine="openpyxl")
    base = _peak_mb()
    started = time.perf_counter()
    if stage == "import":
        count = len(sheets.read_sheet(data, f"x.{fmt}").rows)
    elif fmt == "csv":
        count = len(CsvFormat().read(data).rows)
    else:
        frame = pd.read_excel(
            io.BytesIO(data), engine=engine, header=None, dtype=object, na_filter=False
        )
        count = len(frame.index) - 1
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "rows": count, "peak_mb": _peak_mb() - base}))


def _tiny_xlsx() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["a", 1])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


CASES = [
    ("csv", "read", "pandas"),
    ("csv", "import", "pandas"),
    ("xlsx", "read", "calamine"),
    ("xlsx", "read", "openpyxl"),
    ("xlsx", "import", "calamine"),
    ("xls", "read", "calamine"),
    ("xls", "import", "calamine"),
]


def measure(fmt: str, stage: str, engine: str, path: Path, repeat: int) -> dict:
    runs = []
    for _ in range(repeat):
        done = subprocess.run(
            [sys.executable, "-m", "bench.bench_sheets", "--child", fmt, stage, engine, str(path)],
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    seconds = statistics.median(r["seconds"] for r in runs)
    return {
        "format": fmt,
        "stage": stage,
        "engine": engine,
        "rows": runs[0]["rows"],
        "seconds": seconds,
        "rows_per_s": runs[0]["rows"] / seconds if seconds else 0.0,
        "peak_mb": statistics.median(r["peak_mb"] for r in runs),
        "file_kb": path.stat().st_size / 1024,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 20_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--child", nargs=4, metavar=("FMT", "STAGE", "ENGINE", "PATH"))
    args = parser.parse_args(argv)
    if args.child:
        child(*args.child)
        return
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            paths = {}
            for fmt in ("csv", "xlsx", "xls"):
                paths[fmt] = Path(tmp) / f"loads-{n}.{fmt}"
                write(fmt, n, paths[fmt])
            for fmt, stage, engine in CASES:
                result = measure(fmt, stage, engine, paths[fmt], args.repeat)
                results.append({"size": n, **result})
                print(
                    f"{n:>6} {fmt:<4} {stage:<6} {engine:<8} {result['seconds']:7.3f} s "
                    f"{result['rows_per_s']:9.0f} rows/s {result['peak_mb']:7.1f} MB",
                    file=sys.stderr,
                )
    print("| rows | file | stage | engine | file KB | median s | rows/s | peak MB |")
    print("| ---: | --- | --- | --- | ---: | ---: | ---: | ---: |")
    for r in results:
        print(
            f"| {r['size']:,} | {r['format']} | {r['stage']} | {r['engine']} | "
            f"{r['file_kb']:,.0f} | {r['seconds']:.3f} | {r['rows_per_s']:,.0f} | "
            f"{r['peak_mb']:.1f} |"
        )
    ratios = {}
    for r in results:
        if r["stage"] == "read" and r["format"] == "xlsx":
            ratios.setdefault(r["size"], {})[r["engine"]] = r
    print()
    print("| rows | openpyxl / calamine time | openpyxl / calamine peak memory |")
    print("| ---: | ---: | ---: |")
    for size, pair in ratios.items():
        if {"calamine", "openpyxl"} <= set(pair):
            c, o = pair["calamine"], pair["openpyxl"]
            memory = o["peak_mb"] / c["peak_mb"] if c["peak_mb"] > 0 else float("nan")
            print(f"| {size:,} | {o['seconds'] / c['seconds']:.1f}x | {memory:.1f}x |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
