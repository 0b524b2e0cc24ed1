"""Browser-test fixtures for the web pages: a real gunicorn on the demo day, and headless Chromium.

Imported by the tests/e2e/test_web_*.py modules (not a conftest: it is theirs alone). The browser
is Debian's /usr/bin/chromium driven by Playwright; no browser is ever downloaded.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from servers import free_port, gunicorn_argv, local_url, start, stop

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("HUB_TEST_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
VIEWPORTS = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 375, "height": 740}}

# Runs in a fresh interpreter: migrate, seed the Xunwu day, publish a short plan, issue tokens.
_PREPARE = r"""
import json, sys
from api.web.i18n import translator
from hub_scheduler.scenario_file import read_scenario
from hub_scheduler.services.plans import ensure_published_plan
from hub_scheduler.services.tokens import issue_token
from models.db import make_engine, make_session_factory
from models.migrate import upgrade
from models.scenario_store import load_scenario, store_scenario
from models.uow import SqlUnitOfWork

url, scenario_file, time_limit = sys.argv[1], sys.argv[2], float(sys.argv[3])
upgrade(url)
uow = SqlUnitOfWork(make_session_factory(make_engine(url)))
scenario = read_scenario(scenario_file)
store_scenario(uow, scenario)
plan = ensure_published_plan(uow, scenario.horizon.start, scenario.horizon.end, actor="e2e",
                             load_scenario=load_scenario, english=translator("en"),
                             time_limit_s=time_limit,
                             now=scenario.horizon.start)  # the Xunwu day, as of its start
tokens = {
    "admin": issue_token(uow, role="admin", label="e2e admin", actor="e2e"),
    "operator": issue_token(uow, role="operator", label="e2e operator", actor="e2e"),
    "E01": issue_token(uow, role="enterprise", enterprise_id="E01", label="e2e E01", actor="e2e"),
    "E02": issue_token(uow, role="enterprise", enterprise_id="E02", label="e2e E02", actor="e2e"),
}
print(json.dumps({"plan_id": plan.id, "tokens": tokens}))
"""


def prepare_demo_database(folder: Path, time_limit_s: float = 2.0) -> dict:
    """A migrated SQLite file with the demo day, a published plan and tokens (as a dict)."""
    folder.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{folder / 'hub.sqlite3'}"
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            _PREPARE,
            url,
            str(REPO / "fixtures" / "xunwu.json"),
            str(time_limit_s),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    info = json.loads(done.stdout.strip().splitlines()[-1])
    info["database_url"] = url
    return info


@dataclass
class WebServer:
    """A gunicorn serving the app on 127.0.0.1, its database and the tokens made for the tests."""

    base_url: str
    database_url: str
    plan_id: int
    tokens: dict[str, str]
    process: subprocess.Popen = field(repr=False)
    log: Path = field(repr=False)

    def api(self, path: str, role: str = "admin", **kwargs) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.tokens[role]}"}
        return httpx.get(f"{self.base_url}{path}", headers=headers, timeout=15, **kwargs)

    def published_assignments(self) -> list[dict]:
        response = self.api("/api/v1/plans/published", params={"date": "2026-11-28"})
        assert response.status_code == 200, response.text
        return response.json()["assignments"]


def start_server(folder: Path, info: dict) -> WebServer:
    port = free_port()
    log = folder / "gunicorn.log"
    env = {
        **os.environ,
        "DATABASE_URL": info["database_url"],
        "HUB_SCHEDULER_INSTANCE": str(folder / "instance"),
        "SECRET_KEY": secrets.token_hex(16),
        "HUB_SCHEDULER_COOKIE_SECURE": "0",  # plain http on the loopback in tests
        "HUB_SCHEDULER_PLAN_TIME_LIMIT_S": "2",
        "HUB_SCHEDULER_PLAN_NOW": "2026-11-28T00:00:00+08:00",  # the Xunwu day, as of its start
    }
    base = local_url(port)
    argv = gunicorn_argv(port, workers=2, extra=["--threads", "4"])
    process = start(argv, url=base, log=log, env=env)
    return WebServer(base, info["database_url"], info["plan_id"], info["tokens"], process, log)


def stop_server(server: WebServer) -> None:
    stop(server.process, signal.SIGINT)  # gunicorn's quick shutdown: tests need no grace


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory) -> dict:
    """The demo day prepared once; each server works on its own copy of the file."""
    return prepare_demo_database(tmp_path_factory.mktemp("web-demo"))


def _server_on_copy(tmp_path_factory, demo_database: dict, name: str) -> Iterator[WebServer]:
    folder = tmp_path_factory.mktemp(name)
    source = Path(demo_database["database_url"].removeprefix("sqlite:///"))
    shutil.copy(source, folder / "hub.sqlite3")
    info = {**demo_database, "database_url": f"sqlite:///{folder / 'hub.sqlite3'}"}
    server = start_server(folder, info)
    try:
        yield server
    finally:
        stop_server(server)


@pytest.fixture(scope="module")
def web_server(tmp_path_factory, demo_database) -> Iterator[WebServer]:
    """A server for the tests of one module (tests that change data get their own module)."""
    yield from _server_on_copy(tmp_path_factory, demo_database, "web-server")


@pytest.fixture(scope="module")
def chromium():
    """Headless Debian Chromium, or a clean skip where it is not installed.

    One per module: each test module imports its own copy of this fixture, and Playwright's sync
    API allows one running instance at a time.
    """
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (CI installs Debian's chromium package)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Console:
    """Every console error, uncaught page error and failed request a page produced."""

    def __init__(self, page):
        self.problems: list[str] = []
        page.on(
            "console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}")
        )
        page.on("pageerror", lambda e: self.problems.append(f"pageerror: {e}"))
        page.on("requestfailed", lambda r: self._failed(r))

    def _failed(self, request) -> None:
        # A download or a navigation that replaced a pending poll is not a page problem.
        failure = request.failure or ""
        if "ERR_ABORTED" not in failure:
            self.problems.append(f"request failed: {request.url} {failure}")


@pytest.fixture
def open_page(chromium):
    """`open_page(viewport, lang, javascript)` -> (page, console); contexts closed after."""
    contexts = []

    def make(viewport: str = "desktop", lang: str = "zh-CN", javascript: bool = True):
        context = chromium.new_context(
            viewport=VIEWPORTS[viewport],
            locale=lang,
            extra_http_headers={"Accept-Language": lang},
            accept_downloads=True,
            java_script_enabled=javascript,
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page, Console(page)

    yield make
    for context in contexts:
        context.close()


def sign_in(page, server: WebServer, role: str) -> None:
    page.goto(f"{server.base_url}/login?with=token")  # the token tab; user names have their own
    page.fill("#token", server.tokens[role])
    with page.expect_navigation():
        page.click("form.stack button[type=submit]")


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/ (kept by CI, ignored by git)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def fits_the_width(page, path: str, width: str) -> None:
    """Assert the page at `path` does not scroll sideways (`width` names the viewport in the
    message, e.g. "375 px") and that every visible form field has a label."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{path} scrolls sideways at {width} ({overflow}px)"
    unlabelled = page.evaluate(
        """[...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
           .filter(e => !e.labels.length && !e.getAttribute('aria-label'))
           .map(e => e.name)"""
    )
    assert unlabelled == [], f"{path}: form fields without a label: {unlabelled}"
