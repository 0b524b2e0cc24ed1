"""One form for a plate we store ourselves: `values.plate_shown`."""

from __future__ import annotations

import pytest

from hub_scheduler.values import plate_key, plate_shown


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("京a 12345", "京A·12345"),
        ("京A12345", "京A·12345"),
        ("京Ａ·12345", "京A·12345"),
        ("粤b-d12345", "粤B·D12345"),  # a new-energy plate: six after the letter
        ("赣B·1234挂", "赣B·1234挂"),  # a trailer: not a civil pattern, kept as its key
        ("WJ 12345", "WJ12345"),
    ],
)
def test_a_plate_is_shown_in_one_form_with_the_same_key(typed, shown):
    assert plate_shown(typed) == shown
    assert plate_key(plate_shown(typed)) == plate_key(typed)
