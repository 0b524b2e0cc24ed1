"""Web accounts in Debian Chromium against gunicorn: the admin signs in with a password and creates
an enterprise user on the page; that user signs in on a phone and sees only its own loads; the
audit page shows the change; disabling the user ends their session at once. axe-core finds no
serious or critical violation on the sign-in, users and audit pages.
"""

from __future__ import annotations

import pytest
from axe_check import serious_violations
from conftest_web import screenshot

from hub_scheduler.services import users
from models.db import make_engine, make_session_factory
from models.uow import SqlUnitOfWork

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]

ADMIN_PASSWORD = "chief of the command centre"
CLERK_PASSWORD = "navel oranges 2026"


@pytest.fixture(scope="module")
def server(web_server):
    """The demo day's server with one admin user (made through the service, as the CLI does)."""
    uow = SqlUnitOfWork(make_session_factory(make_engine(web_server.database_url)))
    users.create_user(uow, name="chief", role="admin", password=ADMIN_PASSWORD, actor="e2e")
    return web_server


def sign_in_with_password(page, server, name: str, password: str) -> None:
    page.goto(f"{server.base_url}/login")
    page.fill("#username", name)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("#password-form button[type=submit]")


def test_the_sign_in_page_is_accessible_in_chinese(server, open_page):
    page, console = open_page("phone")
    page.goto(f"{server.base_url}/login")
    assert page.locator("label[for=username]").inner_text() == "用户名"
    assert serious_violations(page) == []
    page.click("#tab-token")
    assert page.locator("#token").is_visible()
    assert serious_violations(page) == []
    assert console.problems == []


def test_admin_creates_an_enterprise_user_who_then_sees_only_its_own_loads(server, open_page):
    admin, admin_console = open_page("desktop")
    sign_in_with_password(admin, server, "chief", ADMIN_PASSWORD)
    admin.goto(f"{server.base_url}/admin/users")
    assert admin.locator("h1").inner_text() == "用户管理"
    assert serious_violations(admin) == []
    admin.fill("#name", "e01.clerk")
    admin.select_option("#role", "enterprise")
    admin.select_option("#enterprise_id", "E01")
    admin.fill("#password", CLERK_PASSWORD)
    with admin.expect_navigation():
        admin.click("#create-user button[type=submit]")
    assert "已新建用户 e01.clerk。" in admin.locator("#user-notice").inner_text()
    assert admin.locator('tr[data-user="e01.clerk"]').count() == 1
    assert serious_violations(admin) == []
    screenshot(admin, "accounts-users-desktop")

    clerk, clerk_console = open_page("phone")
    sign_in_with_password(clerk, server, "e01.clerk", CLERK_PASSWORD)
    assert clerk.url.endswith("/loads")
    enterprises = clerk.locator("tr[data-enterprise-id]").evaluate_all(
        "rows => rows.map(r => r.dataset.enterpriseId)"
    )
    assert enterprises and set(enterprises) == {"E01"}
    assert clerk.goto(f"{server.base_url}/board").status == 403
    clerk_console.problems.clear()  # that 403 was asked for; Chromium logs it as a failed load
    screenshot(clerk, "accounts-enterprise-loads-phone")

    # The change is in the audit log, in Chinese, filtered by what and who.
    admin.goto(f"{server.base_url}/admin/audit?what=user&who=chief")
    rows = admin.locator('tr[data-action="user.create"]')
    assert rows.count() == 1
    assert "新建用户" in rows.inner_text() and "e01.clerk" in rows.inner_text()
    assert serious_violations(admin) == []
    screenshot(admin, "accounts-audit-desktop")

    # Disabling ends the clerk's session at once: the next page asks them to sign in.
    admin.goto(f"{server.base_url}/admin/users")
    with admin.expect_navigation():
        admin.click('tr[data-user="e01.clerk"] form[action$="/disable"] button')
    clerk.goto(f"{server.base_url}/loads")
    assert "/login" in clerk.url
    assert admin_console.problems == [] and clerk_console.problems == []
