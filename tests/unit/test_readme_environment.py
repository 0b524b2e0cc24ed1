"""Every environment variable the code reads by name is in README's configuration section (the
trial looked there for the bind address, `HUB_SCHEDULER_BIND`, and did not find it): the app's
settings (api/settings.py, their own table) and the server process's (gunicorn, `serve`)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# os.environ.get("X"), os.environ["X"], os.getenv("X"), environ.setdefault("X", ...)
READ = re.compile(
    r"""(?:environ(?:\.get|\.setdefault)?|getenv)\s*[\[(]\s*["']([A-Z][A-Z0-9_]+)["']"""
)


def _read_by_the_code() -> set[str]:
    names: set[str] = set()
    for package in ("api", "hub_scheduler", "models"):
        for path in (ROOT / package).rglob("*.py"):
            names |= set(READ.findall(path.read_text(encoding="utf-8")))
    return names


def test_every_variable_the_code_reads_is_in_readmes_configuration():
    read = _read_by_the_code()
    assert {"HUB_SCHEDULER_BIND", "DATABASE_URL", "REDIS_URL"} <= read  # the scan finds them
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Configuration") :]
    section = section[: section.index("\n## ", 1)]
    documented = set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", section, re.M))
    assert sorted(read - documented) == []
