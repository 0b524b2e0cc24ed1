"""Shared by the converters: a model's extras (the `extra` column), enum values as text, and the
fields a domain object and a table share by name, copied either way."""

from __future__ import annotations

from enum import Enum
from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel
from pydantic_core import to_jsonable_python
from sqlalchemy import inspect

M = TypeVar("M", bound=BaseModel)
R = TypeVar("R")


def extra_of(model: BaseModel) -> dict[str, Any]:
    """The fields a domain object carries beyond its declared ones, JSON-ready."""
    return to_jsonable_python(model.model_extra or {})


def enum_str(value: Any) -> str:
    return getattr(value, "value", value)


@cache
def shared_fields(model: type[BaseModel], table: type) -> tuple[str, ...]:
    """The model's declared fields that are also columns of the mapped `table`, in field order.

    One list for both directions, so a new field with a column of the same name travels without
    a converter edit; fields stored otherwise (children, extras, split columns) are the callers'.
    """
    columns: set[str] = set(inspect(table).columns.keys())
    return tuple(name for name in model.model_fields if name in columns)


def column_value(value: Any) -> Any:
    """A field's value as its column takes it: enums as their value, lists and dicts JSON-ready."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (list, tuple, dict)):
        return to_jsonable_python(value)
    return value


def column_values(record: BaseModel, table: type, **given: Any) -> dict[str, Any]:
    """`record`'s shared fields as `table` column values, all but `id` (the database's, or the
    caller's in `given`); `given` adds or replaces columns."""
    values = {
        name: column_value(getattr(record, name))
        for name in shared_fields(type(record), table)
        if name != "id" and name not in given
    }
    return values | given


def fill_row(row: R, record: BaseModel, **given: Any) -> R:
    """Copy `record` onto `row` (as `column_values`) and return the row."""
    for column, value in column_values(record, type(row), **given).items():
        setattr(row, column, value)
    return row


def field_values(model: type[BaseModel], row: Any, table: type, **given: Any) -> dict[str, Any]:
    """`row`'s shared columns as `model` field values; a NULL column of a field with a default is
    left out (the default applies); `given` adds or replaces fields (conversions, children)."""
    fields = model.model_fields
    values: dict[str, Any] = {}
    for name in shared_fields(model, table):
        if name in given:
            continue
        value = getattr(row, name)
        if value is None and not fields[name].is_required():
            continue
        values[name] = value
    return values | given


def record_from_row(model: type[M], row: Any, table: type | None = None, **given: Any) -> M:
    """A fresh `model` from an ORM row (or a plain result row of `table`'s columns): the shared
    columns (as `field_values`) and `given`."""
    return model(**field_values(model, row, table if table is not None else type(row), **given))
