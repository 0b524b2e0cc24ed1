"""`hub-scheduler serve` listens where HUB_SCHEDULER_BIND says unless --host/--port say otherwise
(the trial set it in the env file and the demo still listened on 8000)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from api import cli


@pytest.fixture
def gunicorn_argv(monkeypatch) -> list[list[str]]:
    """The argv `serve` would exec gunicorn with (the exec replaced by a record of it)."""
    calls: list[list[str]] = []
    monkeypatch.setattr(cli.os, "execv", lambda path, argv: calls.append(list(argv)))
    return calls


def _bind(argv: list[str]) -> str:
    return argv[argv.index("--bind") + 1]


@pytest.mark.parametrize(
    ("env", "options", "bind"),
    [
        ({}, [], "127.0.0.1:8000"),
        ({"HUB_SCHEDULER_BIND": "127.0.0.1:8611"}, [], "127.0.0.1:8611"),
        ({"HUB_SCHEDULER_BIND": "0.0.0.0:8611"}, ["--port", "9000"], "0.0.0.0:9000"),
        ({"HUB_SCHEDULER_BIND": "127.0.0.1:8611"}, ["--host", "10.0.0.5"], "10.0.0.5:8611"),
        ({"HUB_SCHEDULER_BIND": "unix:/run/hub.sock"}, [], "127.0.0.1:8000"),
    ],
)
def test_serve_binds_where_the_env_or_the_options_say(
    monkeypatch, gunicorn_argv, env, options, bind
):
    monkeypatch.delenv("HUB_SCHEDULER_BIND", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(cli.main, ["--lang", "en", "serve", "--no-job-worker", *options])
    assert result.exit_code == 0, result.output
    [argv] = gunicorn_argv
    assert _bind(argv) == bind
    assert f"serving on http://{bind}/" in result.output
