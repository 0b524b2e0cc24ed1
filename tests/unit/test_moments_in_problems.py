"""Problem details show every time to the second, also one a service wrote with microseconds."""

from __future__ import annotations

import json

from hub_scheduler.errors import Conflict, FieldError
from hub_scheduler.moments import seconds_everywhere, seconds_in_text


def test_a_moment_inside_a_sentence_loses_its_fraction_and_keeps_its_offset():
    text = "is later than now (2026-12-03T23:26:42.070579+08:00), see 2026-12-03T01:02:03.5Z"

    assert seconds_in_text(text) == (
        "is later than now (2026-12-03T23:26:42+08:00), see 2026-12-03T01:02:03Z"
    )


def test_numbers_that_are_not_moments_are_left_alone():
    value = {"ratio": "0.75", "weight": 1.5, "list": ["12.5 t", "2026-12-03"]}

    assert seconds_everywhere(value) == value


def test_a_409_from_a_service_names_its_times_to_the_second():
    from flask import Flask

    from api.errors import handle_error

    error = Conflict(
        "no slot at 2026-12-03T10:00:00.123456+08:00",
        [
            FieldError(
                field="load_id",
                message="has no slot",
                code="start_without_slot",
                params={"at": "2026-12-03T10:00:00.123456+08:00"},
            )
        ],
    )
    with Flask(__name__).test_request_context(headers={"Accept-Language": "en"}):
        body = json.loads(handle_error(error).get_data(as_text=True))

    assert body["errors"][0]["params"] == {"at": "2026-12-03T10:00:00+08:00"}
    assert ".123456" not in json.dumps(body)
