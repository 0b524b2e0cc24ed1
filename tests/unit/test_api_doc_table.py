"""docs/api.md's Endpoints table names each method and path once (two rows for one endpoint
drifted apart and said different things), and the README says how long the tests take."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_each_endpoint_has_one_row_in_the_api_doc():
    rows = [
        tuple(cell.strip() for cell in line.split("|")[1:3])
        for line in (ROOT / "docs" / "api.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("| ") and "`/api/v1" in line
    ]
    assert len(rows) > 30
    assert [row for row, n in Counter(rows).items() if n > 1] == []


def test_the_readme_says_how_long_the_suite_takes_and_how_to_run_a_part():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "about 35 minutes on 2 cores" in readme
    assert "`python -m pytest tests/unit`" in readme
