"""CPU per `POST /api/v1/loads`, split by Flask hook, against the floor and bare apps, in one
process.

Each app is called as WSGI (`app(environ, start_response)`, the body read to the end; no test
client, no network), the real one on a fresh SQLite database seeded with the Xunwu day (as
bench_api does), the floor (`bench/floor_app.py`) on another seeded file, the bare one
(`bench/bare_app.py`) on its own file. Every before_request,
after_request and teardown function and the view are wrapped in a counter of thread CPU time
(`time.thread_time_ns`), so each line is what that hook costs per request, measured rather
than sampled. The apps alternate in rounds; the figures are medians over the rounds.

    python -m bench.profile_hooks --requests 300 --rounds 5
    python -m bench.profile_hooks --wrap models.uow.SqlUnitOfWork.commit --wrap api.loads.respond

`--wrap MODULE.NAME[.ATTR]` also counts a function or method (patched where it is looked up:
`api.loads.respond` is the name the view calls); its time is inside its caller's line too.
    PYTHONPATH=/tmp/before python -m bench.profile_hooks   # another checkout's app
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

from werkzeug.test import EnvironBuilder

from bench.profile_api import submission

Counters = dict[str, int]


def _timed(name: str, fn: Callable[..., Any], counters: Counters) -> Callable[..., Any]:
    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.thread_time_ns()
        try:
            return fn(*args, **kwargs)
        finally:
            counters[name] += time.thread_time_ns() - started

    return wrapper


def _label(fn: Callable[..., Any]) -> str:
    inner = getattr(fn, "func", fn)  # functools.partial (Flask-Limiter's after hook)
    module = getattr(inner, "__module__", "?") or "?"
    return f"{module.split('.')[0]}.{getattr(inner, '__qualname__', repr(inner))}"


def instrument(app: Any, counters: Counters) -> None:
    """Wrap every app-level hook and every view of `app` in a CPU counter."""
    for kind, registry in (
        ("before", app.before_request_funcs),
        ("after", app.after_request_funcs),
        ("teardown", app.teardown_request_funcs),
    ):
        for key, funcs in registry.items():
            registry[key] = [_timed(f"{kind} {_label(f)}", f, counters) for f in funcs]
    for endpoint, view in list(app.view_functions.items()):
        app.view_functions[endpoint] = _timed(f"view {endpoint}", view, counters)


def wrap(dotted: str, counters: Counters) -> None:
    """Patch the function at `dotted` (module path, then attributes) with a CPU counter."""
    import importlib

    parts = dotted.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        try:
            owner: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:-1]:
            owner = getattr(owner, name)
        name = parts[-1]
        original = owner.__dict__[name] if isinstance(owner, type) else getattr(owner, name)
        if isinstance(original, staticmethod | classmethod):
            raise SystemExit(f"--wrap {dotted}: static and class methods are not supported")
        setattr(owner, name, _timed(f"wrap {dotted}", original, counters))
        return
    raise SystemExit(f"--wrap {dotted}: no such module")


def _body(prefix: str, i: int) -> bytes:
    return json.dumps(submission(i, prefix), ensure_ascii=False).encode()


class Target:
    def __init__(self, name: str, app: Any, token: str):
        self.name, self.app, self.token = name, app, token
        self.counters: Counters = defaultdict(int)
        instrument(app, self.counters)
        self.runs: list[dict[str, float]] = []
        self.sent = 0

    def call(self, n: int, prefix: str) -> float:
        """`n` submissions; CPU ns of the whole WSGI calls (environs built outside the clock)."""
        total = 0
        for _ in range(n):
            self.sent += 1
            environ = EnvironBuilder(
                path="/api/v1/loads",
                method="POST",
                data=_body(prefix, self.sent),
                headers={
                    "Authorization": f"Bearer {self.token}",
                    "Content-Type": "application/json",
                },
                environ_base={"REMOTE_ADDR": "127.0.0.1"},
            ).get_environ()
            status: list[str] = []

            def start_response(given: str, _headers: Any, _exc: Any = None, seen=status) -> Any:
                seen.append(given)
                return io.BytesIO().write

            started = time.thread_time_ns()
            body = self.app(environ, start_response)
            for _chunk in body:
                pass
            getattr(body, "close", lambda: None)()
            total += time.thread_time_ns() - started
            if not status or not status[0].startswith("201"):
                raise SystemExit(f"{self.name} refused: {status}")
        return total

    def round(self, n: int, prefix: str) -> None:
        self.counters.clear()
        total = self.call(n, prefix)
        run = {name: ns / n / 1e3 for name, ns in self.counters.items()}
        run["total"] = total / n / 1e3
        self.runs.append(run)

    def medians(self) -> dict[str, float]:
        names = {k for r in self.runs for k in r}
        return {k: statistics.median(r.get(k, 0.0) for r in self.runs) for k in names}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="submissions per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--wrap", action="append", default=[], metavar="DOTTED")
    args = parser.parse_args(argv)

    from bench.bench_api import prepare

    with tempfile.TemporaryDirectory(prefix="profile-hooks-") as folder:
        url = f"sqlite:///{Path(folder) / 'real.sqlite3'}"
        os.environ["DATABASE_URL"] = url
        enterprise, _admin = prepare(url)
        floor_url = f"sqlite:///{Path(folder) / 'floor.sqlite3'}"
        floor_token, _admin = prepare(floor_url)
        from api import create_app
        from bench import bare_app, floor_app

        real = Target("real", create_app(), enterprise)
        bare = Target("bare", bare_app.create_app(f"sqlite:///{Path(folder) / 'bare.sqlite3'}"), "")
        bare.token = bare_app.TOKEN
        floor = Target("floor", floor_app.create_app(floor_url), floor_token)
        targets = (real, floor, bare)
        for dotted in args.wrap:
            wrap(dotted, real.counters)
        for target in targets:  # warm: imports, engines, caches
            target.call(30, "W")
        for r in range(args.rounds):
            for target in targets:
                target.round(args.requests, f"R{r}")
        real_med, bare_med, floor_med = real.medians(), bare.medians(), floor.medians()
        load = os.getloadavg()
        print(
            f"{args.requests} submissions x {args.rounds} rounds, apps alternated; medians of "
            f"the rounds; thread CPU us per request; load average {load[0]:.1f} on "
            f"{os.cpu_count()} cores"
        )
        print(
            f"real {real_med['total']:.0f} us, floor {floor_med['total']:.0f} us, bare "
            f"{bare_med['total']:.0f} us: CPU ratios bare/real "
            f"{bare_med['total'] / real_med['total']:.2f}, bare/floor "
            f"{bare_med['total'] / floor_med['total']:.2f}\n"
        )
        for name, med in (("real", real_med), ("floor", floor_med), ("bare", bare_med)):
            print(f"{name}:")
            names = sorted((k for k in med if k != "total"), key=lambda k: -med[k])
            for k in names:
                if med[k] >= 1:
                    print(f"  {med[k]:7.0f} us  {k}")
            rest = med["total"] - sum(med[k] for k in names if not k.startswith("wrap "))
            print(f"  {rest:7.0f} us  (Flask, werkzeug and WSGI outside the hooks and view)")


if __name__ == "__main__":
    main()
