"""No production module grows over 450 lines (issue 8: small modules named after what they do).

A module that outgrows the limit is split along its concepts (see docs/architecture.md), not
trimmed to the number. There are no exceptions: the last two (services/loads.py and
services/transfers.py) were split along their use cases.
"""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("hub_scheduler", "models", "api", "bench")
MAX_LINES = 450


def line_count(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def production_modules() -> list[Path]:
    return sorted(p for top in PACKAGES for p in (REPO / top).rglob("*.py"))


def test_the_scan_finds_the_production_packages():
    names = {p.relative_to(REPO).as_posix() for p in production_modules()}
    assert {"hub_scheduler/domain.py", "models/uow.py", "api/__init__.py"} <= names
    assert "bench/generate.py" in names


def test_no_production_module_is_over_the_limit():
    too_long = {
        p.relative_to(REPO).as_posix(): line_count(p)
        for p in production_modules()
        if line_count(p) > MAX_LINES
    }
    assert too_long == {}, f"over {MAX_LINES} lines: split along its concepts"
