"""Hypothesis strategies derived from the pydantic models' fields, for the storage round trips.

`models_of(Load, enterprise_id=st.just("E1"))` draws a `Load` with EVERY declared field, each from
its annotation and constraints (`ge`, `gt`, `le`, `min_length`), except those given as overrides
(ids that must be unique or must name stored rows). A field added to a model is drawn at once, so a
field the database does not keep fails the round-trip tests instead of going untested.

Values stay inside what every database holds: no NUL in text (PostgreSQL), integers in 32 bits,
finite floats, aware times between 1900 and 2100 in any whole-minute offset.
"""

from __future__ import annotations

import functools
import types
import typing
from datetime import date, datetime, timedelta, timezone
from enum import Enum
from typing import Any

from hypothesis import strategies as st
from pydantic import AwareDatetime, BaseModel
from pydantic.fields import FieldInfo

from hub_scheduler.limits import ID_MAX_LENGTH, ID_PATTERN, moment_window

INT_MAX = 2**31 - 1  # PostgreSQL INTEGER
offsets = st.integers(min_value=-12 * 60, max_value=14 * 60).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
# Times inside the window the domain accepts (hub_scheduler/limits.py), a day inside each edge.
_earliest, _latest = moment_window()
moments = st.builds(
    lambda naive, tz: naive.replace(tzinfo=tz),
    st.datetimes(
        min_value=(_earliest + timedelta(days=1)).replace(tzinfo=None),
        max_value=(_latest - timedelta(days=1)).replace(tzinfo=None),
    ),
    offsets,
)
text = st.text(max_size=30).filter(lambda s: "\x00" not in s)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**9), 10**9) | text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=8,
)
hhmm = st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.integers(0, 59))


def _bounds(metadata: list[Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for item in metadata:
        if isinstance(item, FieldInfo):  # `Annotated[int, Field(gt=0)]` inside an Optional
            found |= _bounds(item.metadata)
            continue
        for name in ("ge", "gt", "le", "lt", "min_length", "max_length", "pattern"):
            if getattr(item, name, None) is not None:
                found[name] = getattr(item, name)
    return found


def _number(kind: type, bounds: dict[str, Any]) -> st.SearchStrategy:
    if kind is int:
        low = bounds.get("ge", bounds["gt"] + 1 if "gt" in bounds else -INT_MAX)
        high = bounds.get("le", bounds["lt"] - 1 if "lt" in bounds else INT_MAX)
        return st.integers(max(low, -INT_MAX), min(high, INT_MAX))
    return st.floats(
        min_value=bounds.get("ge", bounds.get("gt", -1e12)),
        max_value=bounds.get("le", bounds.get("lt", 1e12)),
        exclude_min="gt" in bounds,
        exclude_max="lt" in bounds,
        allow_nan=False,
        allow_infinity=False,
    )


def for_type(annotation: Any, metadata: list[Any] | None = None) -> st.SearchStrategy:
    """A strategy for one annotation (with its `Field` constraints), as pydantic declares it."""
    metadata = list(metadata or [])
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return for_type(args[0], metadata + list(args[1:]))
    if origin in (typing.Union, types.UnionType):
        return st.one_of([for_type(a, metadata) for a in args])
    if origin is typing.Literal:
        return st.sampled_from(args)
    if origin is list:
        return st.lists(for_type(args[0]), max_size=3)
    if origin is dict:
        values = json_values if not args or args[1] is Any else for_type(args[1])
        return st.dictionaries(text, values, max_size=3)
    if annotation is type(None):
        return st.none()
    if annotation is AwareDatetime or annotation is datetime:
        return moments
    if annotation is date:
        return st.dates(
            (_earliest + timedelta(days=1)).date(), (_latest - timedelta(days=1)).date()
        )
    if annotation is bool:
        return st.booleans()
    if annotation in (int, float):
        return _number(annotation, _bounds(metadata))
    if annotation is str:
        bounds = _bounds(metadata)
        low, high = bounds.get("min_length", 0), min(bounds.get("max_length", 30), 30)
        if "pattern" in bounds:  # ids and codes: what the declared pattern admits (limits.py)
            return _matching(bounds["pattern"], low, high)
        return st.text(min_size=low, max_size=high).filter(lambda s: "\x00" not in s)
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return st.sampled_from(list(annotation))
    if annotation is Any:
        return json_values
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return models_of(annotation)
    raise TypeError(f"no strategy for {annotation!r}: add one to tests/integration/generated.py")


@functools.cache
def _matching(pattern: str, low: int, high: int) -> st.SearchStrategy:
    # One strategy per pattern: hypothesis validates a regex strategy afresh for every new object
    # (about 0.7 s for the id pattern), and the tests build models_of(...) inside their draws.
    return st.from_regex(pattern, fullmatch=True).filter(lambda s: low <= len(s) <= high)


def for_field(info: FieldInfo) -> st.SearchStrategy:
    return for_type(info.annotation, info.metadata)


# Fields whose values the type alone does not describe (a format a validator checks).
_FORMATS: dict[tuple[str, str], st.SearchStrategy] = {
    ("OpeningPeriod", "start"): hhmm,
    ("OpeningPeriod", "end"): hhmm,
    # values.phone_number keeps one form: an 11-digit mobile or a landline with its area code
    ("Load", "driver_phone"): st.one_of(
        st.none(),
        st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
        st.sampled_from(["0797-2881234", "010-62881234"]),  # landlines as the validator stores them
    ),
    # A load key's enterprise part must be the load's own (Load checks it; load_keys): plain ids.
    ("Load", "id"): _matching(ID_PATTERN, 0, ID_MAX_LENGTH),
}


def models_of(model: type[BaseModel], **overrides: st.SearchStrategy) -> st.SearchStrategy:
    """`model` with every declared field drawn (overrides first), none left to its default."""
    unknown = set(overrides) - set(model.model_fields)
    if unknown:
        raise TypeError(f"{model.__name__} has no field {sorted(unknown)}")
    fields = {}
    for name, info in model.model_fields.items():
        if name in overrides:
            fields[name] = overrides[name]
        elif (model.__name__, name) in _FORMATS:
            fields[name] = _FORMATS[model.__name__, name]
        else:
            fields[name] = for_field(info)
    return st.fixed_dictionaries(fields).map(lambda values: model(**values))
