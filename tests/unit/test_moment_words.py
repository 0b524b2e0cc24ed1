"""A time inside a problem's params is said as the pages write it (api/moment_words.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from api.moment_words import moment_words
from api.problem_words import said_fields

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_a_utc_moment_is_written_in_the_site_zone():
    assert moment_words("2026-11-28T02:00:00+00:00", SHANGHAI) == "2026-11-28 10:00"
    assert moment_words("2026-11-28T02:00:00Z", SHANGHAI) == "2026-11-28 10:00"
    assert moment_words("2026-11-28T10:00:00.123456+08:00") == "2026-11-28 10:00"


def test_anything_else_is_left_as_it_is():
    for value in ("2026-11-28", "2026-11-28T10:00", "E01/L-1", "2026-02-30T10:00:00+08:00", 3):
        assert moment_words(value, SHANGHAI) == value


@given(
    st.datetimes(
        min_value=datetime(2000, 1, 2), max_value=datetime(2099, 12, 30), timezones=st.just(UTC)
    ),
    st.integers(min_value=-12 * 60, max_value=14 * 60),
)
def test_any_aware_moment_reads_back_to_the_minute(moment, offset_minutes):
    zone = timezone(timedelta(minutes=offset_minutes))
    text = moment_words(moment.isoformat(), zone)
    assert text == moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")
    shown = datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=zone)
    assert timedelta(0) <= moment - shown < timedelta(minutes=1)


def test_a_refused_publish_names_the_truck_and_its_times_in_chinese():
    error = {
        "field": "loads.E01/L-1",
        "code": "publish_before_arrival",
        "params": {
            "load": "E01/L-1",
            "start": "2026-11-28T09:00:00+08:00",
            "arrived": "2026-11-28T09:40:00+08:00",
        },
        "message": "H4 load E01/L-1 starts ... before its arrival at the gate ...",
    }
    [zh] = said_fields([error], "zh-CN")
    assert zh["message"] == (
        "车次 E01/L-1 在排程中的开始时间 2026-11-28 09:00 早于其入场登记时间 2026-11-28 09:40，"
        "请重新排程后再发布"
    )
