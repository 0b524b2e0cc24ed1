"""Shared by the converters: a model's extras (the `extra` column) and enum values as text."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from pydantic_core import to_jsonable_python


def extra_of(model: BaseModel) -> dict[str, Any]:
    """The fields a domain object carries beyond its declared ones, JSON-ready."""
    return to_jsonable_python(model.model_extra or {})


def enum_str(value: Any) -> str:
    return getattr(value, "value", value)
