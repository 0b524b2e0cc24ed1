"""Start a real server process (gunicorn, or `hub-scheduler serve`) on a free port and wait for it;
run a `hub-scheduler` command in a fresh interpreter (`run_cli`).

Shared by the tests that run the service as a user would (tests/e2e, tests/queue) and by
`bench/bench_api.py`. Import it as `from servers import ...` in tests (tests/conftest.py puts
tests/ on the path) or `from tests.servers import ...` from the repository root.

    port = free_port()
    with serving(gunicorn_argv(port), url=local_url(port), log=tmp / "gunicorn.log", env=env):
        ...  # the server answers GET /healthz with 200 here; it is stopped after the block

The process writes stdout and stderr to a file, never to a pipe (a pipe nobody reads fills up and
stalls the server). A server that exits or does not answer in time raises `ServerDidNotStart`
(an AssertionError, so a test fails with the tail of the log).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]


class ServerDidNotStart(AssertionError):
    """The process exited, or its ready path did not answer 200 before the deadline."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def local_url(port: int) -> str:
    """`http://127.0.0.1:PORT`."""
    return f"http://127.0.0.1:{port}"


def gunicorn_argv(
    port: int, workers: int = 2, extra: Sequence[str] = (), app: str = "api:create_app()"
) -> list[str]:
    """gunicorn with `workers` workers on 127.0.0.1:`port`, a 5 s graceful timeout, then `extra`."""
    return [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}",
            "--graceful-timeout", "5", *extra, app]  # fmt: skip


def serve_demo_argv(port: int, workers: int | None = None, lang: str = "en") -> list[str]:
    """`hub-scheduler --lang LANG serve --demo --port PORT [--workers N]`, run by this
    interpreter; in English by default, so that `printed_value(log, "admin token: ")` finds the
    token (in zh-CN the line reads `管理员令牌：<token>`)."""
    argv = [sys.executable, "-m", "api.cli", "--lang", lang, "serve", "--demo", "--port", str(port)]
    return argv if workers is None else [*argv, "--workers", str(workers)]


def run_cli(
    *args: str,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    stdin: str | None = None,
    timeout: float = 120,
    without: Sequence[str] = (),
    lang: str = "en",
) -> subprocess.CompletedProcess:
    """`hub-scheduler ARGS` in a fresh interpreter, as the console script runs it: in the
    repository root (or `cwd`), with this process's environment less `without` and `env` over it;
    `stdin` is its input; stdout and stderr come back as text. It speaks `lang`
    (HUB_SCHEDULER_LANG; English by default, so that tests can read its words; zh-CN is what a
    user without the switch gets)."""
    environ = {k: v for k, v in os.environ.items() if k not in without}
    environ["HUB_SCHEDULER_LANG"] = lang
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd or REPO,
        env={**environ, **(env or {})},
    )


def printed_value(log: Path, label: str) -> str | None:
    """The rest of the first line of `log` that starts with `label` (e.g. "admin token: ")."""
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith(label):
            return line.removeprefix(label).strip()
    return None


def wait_until_ready(
    process: subprocess.Popen, url: str, log: Path, timeout_s: float = 60, poll_s: float = 0.2
) -> None:
    """Poll GET `url` until it answers 200; raise ServerDidNotStart (with the log's tail) when the
    process exits first or `timeout_s` seconds pass."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if process.poll() is not None:
            raise ServerDidNotStart(f"{url}: the server exited:\n{_tail(log)}")
        if time.monotonic() > deadline:
            raise ServerDidNotStart(f"{url} did not answer in {timeout_s:g} s:\n{_tail(log)}")
        time.sleep(poll_s)


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM, timeout_s: float = 15) -> None:
    """Send `sig`, wait up to `timeout_s` seconds, then kill."""
    process.send_signal(sig)
    try:
        process.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def start(
    argv: Sequence[str],
    *,
    url: str,
    log: Path,
    env: Mapping[str, str] | None = None,
    cwd: Path = REPO,
    ready_path: str = "/healthz",
    timeout_s: float = 60,
    poll_s: float = 0.2,
) -> subprocess.Popen:
    """Start `argv` (output to `log`) and return once `url` + `ready_path` answers 200; the caller
    stops it with `stop`. A server that does not come up is stopped and ServerDidNotStart raised."""
    with log.open("wb") as output:  # the child keeps its own copy of the descriptor
        process = subprocess.Popen(
            list(argv), cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        wait_until_ready(process, url + ready_path, log, timeout_s, poll_s)
    except BaseException:
        stop(process, timeout_s=5)
        raise
    return process


@contextmanager
def serving(
    argv: Sequence[str], *, stop_signal: int = signal.SIGTERM, **options: Any
) -> Iterator[subprocess.Popen]:
    """`start(argv, **options)` as a context manager: yields the ready process and stops it with
    `stop_signal` on the way out."""
    process = start(argv, **options)
    try:
        yield process
    finally:
        stop(process, stop_signal)


def _tail(log: Path, chars: int = 4000) -> str:
    return log.read_text(errors="replace")[-chars:] if log.exists() else "(no log)"
