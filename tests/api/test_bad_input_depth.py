"""The nesting scan (api.openapi.json_depth) agrees with the parsed document's depth on any JSON."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from api.openapi import json_depth

TRICKY = st.sampled_from(["[", "]", "{", "}", '"', "\\", "寻", "\x00", "a"])
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(TRICKY, max_size=6) | st.text(max_size=4),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(TRICKY, max_size=4), inner, max_size=3)
    ),
    max_leaves=20,
)


def depth(value) -> int:
    if isinstance(value, list):
        return 1 + max((depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((depth(v) for v in value.values()), default=0)
    return 0


@settings(max_examples=300, derandomize=True)
@given(value=VALUES, ascii_only=st.booleans())
def test_the_scan_measures_the_same_depth_as_the_parsed_document(value, ascii_only):
    raw = json.dumps(value, ensure_ascii=ascii_only).encode()
    assert json_depth(raw) == depth(value)


def test_the_scan_stops_counting_past_the_limit_on_100000_levels():
    assert json_depth(b"[" * 100_000 + b"]" * 100_000, stop=32) == 33
