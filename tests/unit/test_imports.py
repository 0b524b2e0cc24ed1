"""No module imports another module's private names (`from x import _name`).

A leading underscore says "only this module uses it"; a name another module needs is made public
in its right home instead. The scan reads the source with `ast`, so it sees every import form,
including imports inside functions.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("api", "models", "hub_scheduler")


def private_imports(source: str, module: str, *, package: bool = False) -> list[str]:
    """`module:line name from other` for each private name `module` imports from another module.

    `module` is the dotted name of the file being read (`package`: it is an `__init__.py`);
    relative imports are resolved against it. Dunder names (`__version__`) are not private.
    """
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.ImportFrom):
            continue
        origin = node.module or ""
        if node.level:
            parts = module.split(".")
            home = parts if package else parts[:-1]
            home = home[: len(home) - (node.level - 1)]
            origin = ".".join([*home, origin] if origin else home)
        if origin == module:
            continue
        for alias in node.names:
            name = alias.name
            if name.startswith("_") and not (name.startswith("__") and name.endswith("__")):
                found.append(f"{module}:{node.lineno} {name} from {origin}")
    return found


def source_modules() -> list[tuple[str, Path, bool]]:
    """(dotted name, file, is a package) for every module of our packages."""
    modules = []
    for top in PACKAGES:
        for path in sorted((REPO / top).rglob("*.py")):
            parts = path.relative_to(REPO).with_suffix("").parts
            package = parts[-1] == "__init__"
            modules.append((".".join(parts[:-1] if package else parts), path, package))
    return modules


def test_no_private_name_is_imported_across_modules():
    offenders = [
        hit
        for module, path, package in source_modules()
        for hit in private_imports(path.read_text(encoding="utf-8"), module, package=package)
    ]
    assert offenders == []


@pytest.mark.parametrize(
    ("source", "module", "package", "expected"),
    [
        ("from a.jobs import _load, jobs\n", "a.plans", False, ["a.plans:1 _load from a.jobs"]),
        ("def f():\n    from a.b import _x\n", "a.c", False, ["a.c:2 _x from a.b"]),
        ("from . import _h\n", "m.repo.hubs", False, ["m.repo.hubs:1 _h from m.repo"]),
        ("from .base import _r\n", "m.repo", True, ["m.repo:1 _r from m.repo.base"]),
        ("from ..db import _e\n", "m.repo.hubs", False, ["m.repo.hubs:1 _e from m.db"]),
        ("from . import _mine\n", "m.repo", True, []),  # the package's own name
        ("from api.jobs import jobs as _jobs\n", "api.plans", False, []),
        ("from hub_scheduler import __version__\n", "api.docs", False, []),
        ("import api.jobs\n", "api.plans", False, []),
    ],
)
def test_the_scan_sees_private_imports(source, module, package, expected):
    assert private_imports(source, module, package=package) == expected
