"""The pages as one Blueprint per page module: every URL kept, the shared parts on every page.

Flask's test client on an app with no database behind it (these responses need none).
"""

from __future__ import annotations

import pytest
from flask import url_for

from api import create_app
from api.web import PAGES

# Each page's endpoint and the URL it has always had (links, bookmarks and the e2e tests use them).
URLS = [
    ("web_account.index", {}, "/"),
    ("web_account.login", {}, "/login"),
    ("web_account.logout", {}, "/logout"),
    ("web_account.language", {"code": "en"}, "/language/en"),
    ("web_board.board", {}, "/board"),
    ("web_board.hub_action", {"hub_id": "H1", "action": "suspend"}, "/board/hubs/H1/suspend"),
    ("web_gate.gate", {}, "/gate"),
    ("web_gate.check_in", {"load_id": "L1"}, "/gate/loads/L1/check-in"),
    ("web_gate.gate_step", {"load_id": "L1", "step": "start"}, "/gate/loads/L1/start"),
    ("web_command.command", {}, "/command"),
    (
        "web_command.hub_preview",
        {"hub_id": "H1", "action": "activate"},
        "/command/hubs/H1/activate",
    ),
    ("web_command.incidents", {}, "/command/incidents"),
    ("web_command.new_incident", {}, "/command/incidents/new"),
    ("web_command.report_incident", {}, "/command/incidents"),
    ("web_command.incident", {"incident_id": 3}, "/command/incidents/3"),
    ("web_command.publish_repair", {"incident_id": 3}, "/command/incidents/3/publish"),
    ("web_inbox.inbox", {}, "/inbox"),
    ("web_inbox.mark_all_read", {}, "/inbox/read"),
    ("web_loads.loads", {}, "/loads"),
    ("web_loads.sheet_template", {}, "/loads/template.csv"),
    ("web_loads.sheet_template_xlsx", {}, "/loads/template.xlsx"),
    ("web_loads.submit_load", {}, "/loads"),
    ("web_loads.import_sheet", {}, "/loads/import"),
    ("web_loads.confirm_import", {}, "/loads/import/confirm"),
    ("web_loads.cancel_load", {"load_id": "L1"}, "/loads/L1/cancel"),
    (
        "web_loads.answer_proposal",
        {"proposal_id": 3, "answer": "confirm"},
        "/loads/proposals/3/confirm",
    ),
    ("web_load_eta.change_eta", {"load_id": "L1"}, "/loads/L1/eta"),
    ("web_my_reports.my_reports", {}, "/reports"),
    ("web_my_reports.report_problem", {}, "/reports"),
    ("web_timeline.plan_jobs", {}, "/plans"),
    ("web_timeline.published_plan", {}, "/plans/published"),
    ("web_timeline.plan", {"plan_id": 7}, "/plans/7"),
    ("web_timeline.plan_progress", {"plan_id": 7}, "/plans/7/progress"),
    ("web_timeline.new_plan", {}, "/plans/new"),
    ("web_timeline.publish_plan", {"plan_id": 7}, "/plans/7/publish"),
    ("web_timeline.export_plan", {"plan_id": 7, "fmt": "csv"}, "/plans/7/export.csv"),
    ("web_changes.changes", {"plan_id": 7}, "/plans/7/changes"),
    ("web_changes.compare", {"a": 7, "b": 8}, "/plans/compare?a=7&b=8"),
    ("web_timetable.timetable", {"plan_id": 7, "hub_id": "H1"}, "/plans/7/timetable/H1"),
    ("web_timetable.timetable_pdf", {"plan_id": 7, "hub_id": "H1"}, "/plans/7/timetable/H1.pdf"),
    ("web_tokens.tokens", {}, "/admin/tokens"),
    ("web_tokens.issue_token", {}, "/admin/tokens"),
    ("web_tokens.revoke_token", {"token_id": 3}, "/admin/tokens/3/revoke"),
    ("web_users.users", {}, "/admin/users"),
    ("web_users.create_user", {}, "/admin/users"),
    ("web_users.disable_user", {"name": "zhang.wei"}, "/admin/users/zhang.wei/disable"),
    ("web_users.enable_user", {"name": "zhang.wei"}, "/admin/users/zhang.wei/enable"),
    ("web_users.reset_password", {"name": "zhang.wei"}, "/admin/users/zhang.wei/password"),
    ("web_audit.audit", {}, "/admin/audit"),
    ("web_public.public", {}, "/public"),
    ("web_public.submit_report", {}, "/public/reports"),
    ("web_public.report_status", {"number": "R-ABC234"}, "/public/reports/R-ABC234"),
    ("web_reports.reports", {}, "/admin/reports"),
    ("web_reports.answer_report", {"report_id": 3}, "/admin/reports/3/answer"),
    ("web_reports.close_report", {"report_id": 3}, "/admin/reports/3/close"),
    ("web_webhooks.webhooks", {}, "/admin/webhooks"),
    ("web_webhooks.create_webhook", {}, "/admin/webhooks"),
    ("web_webhooks.webhook", {"webhook_id": 3}, "/admin/webhooks/3"),
    ("web_webhooks.delete_webhook", {"webhook_id": 3}, "/admin/webhooks/3/delete"),
    ("web_webhooks.enable_webhook", {"webhook_id": 3}, "/admin/webhooks/3/enable"),
    ("web_hub_admin.hubs", {}, "/admin/hubs"),
    ("web_hub_admin.create_hub", {}, "/admin/hubs"),
    ("web_hub_admin.hub", {"hub_id": "H1"}, "/admin/hubs/H1"),
    ("web_hub_admin.update_hub", {"hub_id": "H1"}, "/admin/hubs/H1"),
    ("web_hub_admin.update_hours", {"hub_id": "H1"}, "/admin/hubs/H1/hours"),
    ("web_hub_admin.add_zone", {"hub_id": "H1"}, "/admin/hubs/H1/zones"),
    ("web_hub_admin.update_zone", {"hub_id": "H1", "zone_id": "Z1"}, "/admin/hubs/H1/zones/Z1"),
    (
        "web_hub_admin.remove_zone",
        {"hub_id": "H1", "zone_id": "Z1"},
        "/admin/hubs/H1/zones/Z1/delete",
    ),
    (
        "web_hub_admin.add_dock",
        {"hub_id": "H1", "zone_id": "Z1"},
        "/admin/hubs/H1/zones/Z1/docks",
    ),
    (
        "web_hub_admin.remove_dock",
        {"hub_id": "H1", "dock_id": "D1"},
        "/admin/hubs/H1/docks/D1/delete",
    ),
    ("web_hub_admin.add_blocked", {"hub_id": "H1"}, "/admin/hubs/H1/blocked"),
    (
        "web_hub_admin.remove_blocked",
        {"hub_id": "H1", "window_id": "B1"},
        "/admin/hubs/H1/blocked/B1/delete",
    ),
    ("web_hub_admin.enterprises", {}, "/admin/enterprises"),
    ("web_hub_admin.create_enterprise", {}, "/admin/enterprises"),
    ("web_hub_admin.update_enterprise", {"enterprise_id": "E01"}, "/admin/enterprises/E01"),
    ("web_hub_admin.screening", {}, "/admin/screening"),
    ("web_hub_admin.update_screening", {}, "/admin/screening"),
    ("web_base.static", {"filename": "app.css"}, "/web-static/app.css"),
]


@pytest.fixture
def app(tmp_path):
    return create_app(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
            "HUB_SCHEDULER_INSTANCE": str(tmp_path / "instance"),
        }
    )


@pytest.mark.parametrize(("endpoint", "values", "url"), URLS)
def test_every_page_keeps_its_url(app, endpoint, values, url):
    with app.test_request_context():
        assert url_for(endpoint, **values) == url


def test_each_page_module_has_its_own_blueprint_and_no_page_route_is_outside_them(app):
    names = {blueprint.name for blueprint in PAGES}
    assert names == {
        "web_base",
        "web_account",
        "web_board",
        "web_changes",
        "web_command",
        "web_gate",
        "web_inbox",
        "web_loads",
        "web_timeline",
        "web_timetable",
        "web_tokens",
        "web_users",
        "web_audit",
        "web_public",
        "web_reports",
        "web_my_reports",
        "web_load_eta",
        "web_webhooks",
        "web_hub_admin",
    }
    assert all(name in app.blueprints for name in names)
    rules = list(app.url_map.iter_rules())
    outside = [r.rule for r in rules if r.endpoint.split(".")[0] not in app.blueprints]
    assert outside == ["/static/<path:filename>"]  # Flask's own app static folder (unused)
    page_endpoints = {r.endpoint for r in rules if r.endpoint.split(".")[0] in names}
    assert page_endpoints == {endpoint for endpoint, _, _ in URLS}


def test_the_app_factory_can_build_many_apps(tmp_path):
    # Blueprints are made once at import; registering them on a second app must still work.
    for n in range(2):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / f'{n}.sqlite3'}"})


@pytest.mark.parametrize("url", ["/login", "/web-static/app.css", "/board", "/plans/published"])
def test_every_page_blueprint_sends_the_shared_security_headers(app, url):
    with app.test_client().get(url) as response:
        assert response.status_code in (200, 302)
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_page_error_is_an_html_page_and_an_api_error_stays_problem_json(app):
    client = app.test_client()
    page = client.post("/logout", headers={"Accept-Language": "en"})
    assert page.status_code == 400 and page.mimetype == "text/html"
    assert "The form has expired" in page.get_data(as_text=True)
    api = client.get("/api/v1/plans/1")
    assert api.status_code == 401 and api.mimetype == "application/problem+json"
    assert "Content-Security-Policy" in api.headers  # every response carries them (issue 10)
