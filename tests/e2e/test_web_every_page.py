"""Every web page, found from the app's own URL map, rendered in zh-CN: no English sentence, and
axe-core finds no serious or critical violation. A screenshot of each lands in test-artifacts/.

The list of pages is not written here: it is every GET endpoint of the page blueprints
(`api.web.PAGES`). Each needs a sample below (a role and a URL with real ids of the demo day); a
page added later without one fails `test_every_page_has_a_sample_url` with its name. One server
and one browser for the module; the pages are opened in a loop inside one test per check, so the
whole run stays near a minute.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from axe_check import serious_violations
from conftest_web import WebServer, screenshot, sign_in, start_server, stop_server
from english_check import english_in, page_text

from api import create_app
from api.web import PAGES

pytestmark = [pytest.mark.e2e, pytest.mark.db, pytest.mark.slow, pytest.mark.timeout(600)]

# Endpoint -> (role, URL). The URL's {names} come from `Site` (made in the `site` fixture).
SAMPLES: dict[str, tuple[str, str]] = {
    "web_account.index": ("admin", "/"),
    "web_account.login": ("", "/login"),
    "web_audit.audit": ("admin", "/admin/audit"),
    "web_reports.reports": ("admin", "/admin/reports"),
    "web_my_reports.my_reports": ("E01", "/reports"),
    "web_tokens.tokens": ("admin", "/admin/tokens"),
    "web_users.users": ("admin", "/admin/users"),
    "web_webhooks.webhooks": ("admin", "/admin/webhooks"),
    "web_webhooks.webhook": ("admin", "/admin/webhooks/{webhook_id}"),
    "web_board.board": ("admin", "/board"),
    "web_board.hub_action": ("admin", "/board/hubs/XW-SA-N/activate"),
    "web_command.command": ("admin", "/command"),
    "web_command.hub_preview": ("admin", "/command/hubs/XW-TS/suspend"),
    "web_command.incidents": ("admin", "/command/incidents"),
    "web_command.incident": ("admin", "/command/incidents/{incident_id}"),
    "web_command.new_incident": ("admin", "/command/incidents/new"),
    "web_gate.gate": ("operator", "/gate"),
    "web_inbox.inbox": ("E01", "/inbox"),
    "web_loads.loads": ("E01", "/loads"),
    "web_timeline.plan": ("admin", "/plans/{plan_id}"),
    "web_timeline.plan_jobs": ("admin", "/plans"),
    "web_changes.changes": ("admin", "/plans/{repair_id}/changes"),
    "web_changes.compare": ("admin", "/plans/compare?a={plan_id}&b={repair_id}"),
    "web_timeline.published_plan": ("admin", "/plans/published?date=2026-11-28"),
    "web_timetable.timetable": ("admin", "/plans/{plan_id}/timetable/XW-LP"),
    "web_hub_admin.hubs": ("admin", "/admin/hubs"),
    "web_hub_admin.hub": ("admin", "/admin/hubs/XW-LP"),
    "web_hub_admin.enterprises": ("admin", "/admin/enterprises"),
    "web_hub_admin.screening": ("admin", "/admin/screening"),
    "web_public.public": ("", "/public"),
    "web_public.report_status": ("", "/public/reports/{report_number}?token={report_token}"),
}

# GET endpoints that are no HTML page a person reads, with the reason.
NOT_PAGES = {
    "web_base.static": "stylesheets and scripts",
    "web_account.language": "sets the language cookie and redirects",
    "web_loads.sheet_template": "a CSV download",
    "web_loads.sheet_template_xlsx": "an XLSX download",
    "web_timeline.export_plan": "a CSV/XLSX download",
    "web_timeline.plan_progress": "the progress poll's JSON",
    "web_timetable.timetable_pdf": "a PDF download",
}

# Pages a role sees differently: each is opened once more as these roles.
ALSO_AS = {
    "web_loads.loads": ["admin"],
    "web_inbox.inbox": ["operator"],
    "web_board.board": ["operator"],
}


def page_endpoints() -> list[str]:
    """Every GET endpoint of the page blueprints, from the app's URL map."""
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"DATABASE_URL": "sqlite://", "HUB_SCHEDULER_INSTANCE": folder})
    names = {blueprint.name for blueprint in PAGES}
    return sorted(
        {
            rule.endpoint
            for rule in app.url_map.iter_rules()
            if rule.endpoint.split(".")[0] in names and "GET" in (rule.methods or ())
        }
    )


def test_every_page_has_a_sample_url():
    missing = [e for e in page_endpoints() if e not in SAMPLES and e not in NOT_PAGES]
    assert missing == [], (
        "add a sample URL (role, path with real demo-day ids) to SAMPLES in "
        f"tests/e2e/test_web_every_page.py for: {missing}"
    )
    stale = sorted((set(SAMPLES) | set(NOT_PAGES)) - set(page_endpoints()))
    assert stale == [], f"these endpoints are gone; drop their samples: {stale}"


@dataclass
class Site:
    server: WebServer
    values: dict[str, object]

    def urls(self) -> list[tuple[str, str, str]]:
        """(endpoint, role, absolute URL) of every sampled page, the extra roles included."""
        out = []
        for endpoint, (role, path) in SAMPLES.items():
            url = self.server.base_url + path.format(**self.values)
            out += [(endpoint, r, url) for r in [role, *ALSO_AS.get(endpoint, [])]]
        return out


def _post(server: WebServer, path: str, body: dict, role: str | None = "admin") -> dict:
    headers = {"Authorization": f"Bearer {server.tokens[role]}"} if role else {}
    response = httpx.post(server.base_url + path, json=body, headers=headers, timeout=60)
    assert response.status_code in (200, 201, 202), response.text
    return response.json()


def wait_for_plan(server: WebServer, plan_id: int, timeout_s: float = 120) -> None:
    """Wait until the plan job is done (the repair plan an incident asks for)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        status = server.api(f"/api/v1/plans/{plan_id}").json()["status"]
        if status not in ("queued", "running"):
            return
        time.sleep(0.5)
    raise AssertionError(f"plan {plan_id} still {status} after {timeout_s} s")


@pytest.fixture(scope="module")
def site(tmp_path_factory, demo_database) -> Iterator[Site]:
    """A server on a copy of the demo day with one of everything a page shows by id: an
    incident (a positive driver), a webhook and a public report."""
    import shutil
    from pathlib import Path

    folder = tmp_path_factory.mktemp("every-page")
    source = Path(demo_database["database_url"].removeprefix("sqlite:///"))
    shutil.copy(source, folder / "hub.sqlite3")
    info = {**demo_database, "database_url": f"sqlite:///{folder / 'hub.sqlite3'}"}
    settings = {
        "HUB_SCHEDULER_WEBHOOK_ALLOW_PRIVATE": "1",
        "HUB_SCHEDULER_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
    }
    saved = {k: os.environ.get(k) for k in settings}
    os.environ.update(settings)
    try:
        server = start_server(folder, info)
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    try:
        assignments = server.published_assignments()
        first = min(assignments, key=lambda a: a["start"])
        incident = _post(
            server, "/api/v1/incidents", {"load_id": first["load_id"], "at": first["end"]}
        )
        hook = _post(
            server, "/api/v1/webhooks", {"url": "http://127.0.0.1:9/hook", "events": ["*"]}
        )
        report = _post(
            server,
            "/api/v1/reports",
            {
                "kind": "refused_at_checkpoint",
                "text": "卡口不让通过",
                "hub_id": "XW-LP",
                "contact": {"name": "李四", "phone": "13900000000"},
            },
            role=None,
        )
        repair_id = incident["plan"]["id"] if incident.get("plan") else server.plan_id
        wait_for_plan(server, repair_id)
        values = {
            "plan_id": server.plan_id,
            "repair_id": repair_id,
            "incident_id": incident["incident"]["id"],
            "webhook_id": hook["id"],
            "report_number": report["number"],
            "report_token": report["token"],
        }
        yield Site(server, values)
    finally:
        stop_server(server)


# Pages that are no endpoint of their own: the error pages a reader may meet.
ERROR_PAGES = [
    ("404", "admin", "/plans/999999", 404),
    ("404-timetable", "admin", "/plans/{plan_id}/timetable/NOPE", 404),
    ("403", "E01", "/board", 403),
]


def test_every_page_in_chinese_shows_no_english_sentence_and_passes_axe(site, chromium):
    pages = {}  # one signed-in browser context per role

    def page_for(role: str):
        if role not in pages:
            context = chromium.new_context(
                viewport={"width": 1366, "height": 768},
                locale="zh-CN",
                extra_http_headers={"Accept-Language": "zh-CN"},
            )
            page = context.new_page()
            page.set_default_timeout(15_000)
            if role:
                sign_in(page, site.server, role)
            pages[role] = page
        return pages[role]

    visits = [(e, r, u, 200) for e, r, u in site.urls()]
    visits += [
        (name, role, site.server.base_url + path.format(**site.values), status)
        for name, role, path, status in ERROR_PAGES
    ]
    problems: list[str] = []
    try:
        for name, role, url, status in visits:
            page = page_for(role)
            response = page.goto(url)
            where = f"{name} as {role or 'nobody'} ({url.split('/', 3)[-1]})"
            if response is None or response.status != status:
                problems.append(f"{where}: HTTP {response.status if response else '?'}")
            if page.locator("html").get_attribute("lang") != "zh-CN":
                problems.append(f"{where}: <html lang> is not zh-CN")
            problems += [
                f"{where}: English {s!r}" for s in sorted(set(english_in(page_text(page))))
            ]
            problems += [f"{where}: axe {v}" for v in serious_violations(page)]
            screenshot(page, f"every-page-{name.replace('.', '-')}-{role or 'public'}")
    finally:
        for page in pages.values():
            page.context.close()
    assert problems == [], "\n".join(problems)
