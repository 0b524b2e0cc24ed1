"""Log lines carry their time with milliseconds and the zone offset (api/logs.py), text and JSON."""

from __future__ import annotations

import json
import logging
import re
import time
from logging.config import DictConfigurator

import pytest

from api.logs import RequestContextFilter, logging_config


@pytest.fixture
def shanghai(monkeypatch):
    """The process's zone set to the site's, as deploy/.env.example does with TZ."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _one_line(json_format: bool) -> str:
    """One record formatted by the formatter `logging_config` names, as its handler would
    (request filter first), without reconfiguring the test process's logging."""
    config = logging_config(json_format=json_format, level="INFO")
    formatter = DictConfigurator(config).configure_formatter(config["formatters"]["default"])
    record = logging.LogRecord("test.log_lines", logging.INFO, __file__, 1, "出站", None, None)
    record.created = 1796283600.123  # 2026-12-03T07:40:00.123Z
    RequestContextFilter().filter(record)
    return formatter.format(record)


def test_a_text_line_starts_with_the_iso_time_in_the_process_zone(shanghai):
    line = _one_line(json_format=False)
    assert line.startswith("2026-12-03T15:40:00.123+08:00 INFO [-] - test.log_lines: 出站"), line


def test_a_json_line_has_the_iso_time_in_the_process_zone(shanghai):
    fields = json.loads(_one_line(json_format=True))
    assert fields["time"] == "2026-12-03T15:40:00.123+08:00"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d", fields["time"])
    assert fields["message"] == "出站"
