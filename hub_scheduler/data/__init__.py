"""Data shipped inside the package: the Xunwu demo scenario (`fixtures/xunwu.json` links here)."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable


def demo_scenario() -> Traversable:
    """The Xunwu demo day, scenario@1 JSON, readable from a checkout or an installed wheel."""
    return files(__name__) / "xunwu.json"
