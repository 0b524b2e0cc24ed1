"""docs/api.md's Endpoints table names each method and path once (two rows for one endpoint
drifted apart and said different things), and the README says how long the tests take."""

from __future__ import annotations

import re
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


def test_the_readme_test_command_is_what_ci_runs_and_the_readme_says_how_long_it_takes():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = re.search(r"pip install -e '\.\[test\]' && (python -m pytest[^\n`]*)", readme)
    assert command is not None, "the README's two-command test line"
    assert command.group(1).strip() in ci  # CI runs the README's command, with its options
    assert re.search(r"On 2 cores it took about \d+ minutes", readme)
    assert "`python -m pytest tests/unit`" in readme
