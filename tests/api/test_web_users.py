"""Web users on the pages, on SQLite and PostgreSQL: password sign-in, the admin's users page, the
audit page with its filters, and sessions that end when the user is disabled or signs out."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST

from api.web.signin import CSRF_FIELD
from hub_scheduler.records import AuditEntry
from hub_scheduler.services import users
from hub_scheduler.services.tokens import issue_token
from tests.api.both_databases import api_database_url  # noqa: F401  (the fixture, both databases)

PASSWORD = "correct horse battery"


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def sign_in(client, name: str, password: str = PASSWORD):
    csrf = csrf_of(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"username": name, "password": password, CSRF_FIELD: csrf})


def post(client, path: str, **form):
    csrf = csrf_of(client.get("/admin/users").get_data(as_text=True))
    return client.post(path, data={**form, CSRF_FIELD: csrf})


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch):
    """argon2's cheapest parameters: the default costs a second a hash on a busy test machine."""
    monkeypatch.setattr(users, "PASSWORD_HASHER", PasswordHasher.from_parameters(CHEAPEST))


@pytest.fixture
def people(uow, seeded):
    """An admin, an operator and an E01 enterprise user, all with PASSWORD."""
    for name, role, enterprise in [
        ("chief", "admin", None),
        ("gate.1", "operator", None),
        ("e01.clerk", "enterprise", "E01"),
    ]:
        users.create_user(
            uow, name=name, role=role, password=PASSWORD, enterprise_id=enterprise, actor="test"
        )


@pytest.fixture
def admin(client, people):
    assert sign_in(client, "chief").status_code == 303
    return client


# --- sign-in --------------------------------------------------------------------------------------


def test_the_sign_in_page_asks_for_a_user_name_and_password_in_chinese(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'name="username"' in page and 'name="password"' in page
    assert "用户名" in page and "密码" in page
    token_tab = client.get("/login?with=token").get_data(as_text=True)
    assert 'name="token"' in token_tab and "访问令牌" in token_tab


def test_an_enterprise_user_signs_in_and_sees_only_its_own_loads_page(client, people):
    signed = sign_in(client, "e01.clerk")
    assert signed.status_code == 303 and signed.headers["Location"] == "/loads"
    page = client.get("/loads").get_data(as_text=True)
    assert "E01" in page
    assert client.get("/board").status_code == 403
    assert client.get("/admin/users").status_code == 403


@pytest.mark.parametrize(("name", "password"), [("chief", "wrong password"), ("nobody", PASSWORD)])
def test_a_failed_sign_in_says_one_thing_in_chinese_and_starts_no_session(
    client, people, name, password
):
    refused = sign_in(client, name, password)
    assert refused.status_code == 200
    assert "用户名或密码错误，或账号已停用。" in refused.get_data(as_text=True)
    assert client.get("/board").status_code == 302


def test_disabling_a_user_ends_their_session_at_once(app, client, people, uow):
    assert sign_in(client, "gate.1").status_code == 303
    assert client.get("/board").status_code == 200
    users.disable_user(uow, "gate.1", actor="test")
    response = client.get("/board")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert sign_in(app.test_client(), "gate.1").status_code == 200  # refused


def test_signing_out_ends_the_session_on_the_server(app, client, people):
    sign_in(client, "gate.1")
    saved = client.get_cookie("hub_session").value
    csrf = csrf_of(client.get("/board").get_data(as_text=True))
    assert client.post("/logout", data={CSRF_FIELD: csrf}).status_code == 303
    replay = app.test_client()
    replay.set_cookie("hub_session", saved)
    assert replay.get("/board").status_code == 302


def test_the_token_sign_in_still_works(client, uow, seeded):
    token = issue_token(uow, role="admin", label="t", actor="test")
    csrf = csrf_of(client.get("/login?with=token").get_data(as_text=True))
    assert client.post("/login", data={"token": token, CSRF_FIELD: csrf}).status_code == 303
    assert client.get("/admin/users").status_code == 200


def test_failed_password_sign_ins_are_throttled(app, people):
    app.config["HUB_SCHEDULER_AUTH_FAILURE_LIMIT"] = "3 per minute"
    client = app.test_client()
    for _ in range(3):
        assert sign_in(client, "chief", "wrong password").status_code == 200
    assert client.get("/login").status_code == 429


# --- the users page -------------------------------------------------------------------------------


def test_the_admin_creates_an_enterprise_user_who_can_then_sign_in(app, admin):
    created = post(
        admin,
        "/admin/users",
        name="e01.boss",
        role="enterprise",
        enterprise_id="E01",
        password="another long one",
    )
    assert created.status_code == 201
    page = created.get_data(as_text=True)
    assert "已新建用户 e01.boss。" in page and 'data-user="e01.boss"' in page
    assert sign_in(app.test_client(), "e01.boss", "another long one").status_code == 303


def test_an_empty_password_is_generated_and_shown_once(app, admin):
    created = post(admin, "/admin/users", name="gate.2", role="operator", password="")
    shown = re.search(r'<code id="new-password">([^<]+)</code>', created.get_data(as_text=True))
    assert shown is not None
    assert sign_in(app.test_client(), "gate.2", shown.group(1)).status_code == 303
    assert shown.group(1) not in admin.get("/admin/users").get_data(as_text=True)


@pytest.mark.parametrize(
    ("form", "status", "said"),
    [
        ({"name": "a b", "role": "operator", "password": PASSWORD}, 422, "用户名须为"),
        ({"name": "x1", "role": "operator", "password": "short"}, 422, "密码至少 10 个字符"),
        (
            {"name": "x1", "role": "enterprise", "password": PASSWORD},
            422,
            "企业用户必须选择所属企业",
        ),
        (
            {"name": "x1", "role": "enterprise", "enterprise_id": "E99", "password": PASSWORD},
            404,
            "没有企业“E99”",
        ),
        ({"name": "chief", "role": "admin", "password": PASSWORD}, 409, "用户名“chief”已被使用"),
        ({"name": "x1", "role": "root", "password": PASSWORD}, 422, "角色须为"),
    ],
)
def test_bad_user_forms_are_said_in_chinese_never_a_500(admin, form, status, said):
    refused = post(admin, "/admin/users", **form)
    assert refused.status_code == status
    assert said in refused.get_data(as_text=True)


def test_disable_enable_and_reset_from_the_page(app, admin):
    assert post(admin, "/admin/users/gate.1/disable").status_code == 303
    assert sign_in(app.test_client(), "gate.1").status_code == 200  # refused
    assert 'class="user-disabled"' in admin.get("/admin/users").get_data(as_text=True)
    assert post(admin, "/admin/users/gate.1/enable").status_code == 303
    reset = post(admin, "/admin/users/gate.1/password")
    new = re.search(r'<code id="new-password">([^<]+)</code>', reset.get_data(as_text=True))
    assert sign_in(app.test_client(), "gate.1").status_code == 200  # the old password is gone
    assert sign_in(app.test_client(), "gate.1", new.group(1)).status_code == 303


@pytest.mark.parametrize("action", ["disable", "enable", "password"])
def test_changing_an_unknown_user_is_a_404_said_in_chinese(admin, action):
    refused = post(admin, f"/admin/users/nobody/{action}")
    assert refused.status_code == 404
    assert "没有用户“nobody”" in refused.get_data(as_text=True)


def test_a_user_form_without_the_csrf_token_is_refused(admin):
    refused = admin.post("/admin/users", data={"name": "x1", "role": "operator"})
    assert refused.status_code == 400


def test_the_users_page_is_in_english_by_switch(admin):
    admin.set_cookie("hub_lang", "en")
    page = admin.get("/admin/users").get_data(as_text=True)
    assert "Create user" in page and "新建用户" not in page


# --- the audit page -------------------------------------------------------------------------------


def add_entry(uow, at: datetime, actor: str, action: str, target_type: str, target_id: str):
    with uow:
        uow.audit.add(
            AuditEntry(
                at=at, actor=actor, action=action, target_type=target_type, target_id=target_id
            )
        )
        uow.commit()


def listed(page: str) -> list[str]:
    return re.findall(r'<tr data-action="([^"]+)"', page)


def test_the_audit_page_shows_changes_in_chinese_in_the_site_zone(admin, uow):
    # 2026-11-27 17:30 UTC is 2026-11-28 01:30 in Xunwu (+08:00).
    add_entry(
        uow,
        datetime(2026, 11, 27, 17, 30, tzinfo=UTC),
        "chief (user)",
        "hub.status",
        "hub",
        "XW-LP",
    )
    page = admin.get("/admin/audit?target=XW-LP").get_data(as_text=True)
    assert "场站状态变更" in page and "2026-11-28 01:30:00" in page
    assert listed(page) == ["hub.status"]


def test_the_audit_filters_pick_who_what_when_and_which(admin, uow):
    add_entry(
        uow, datetime(2026, 11, 27, 15, 0, tzinfo=UTC), "Zhang (user)", "load.create", "load", "L1"
    )
    add_entry(
        uow, datetime(2026, 11, 27, 16, 30, tzinfo=UTC), "Li (user)", "load.cancel", "load", "L2"
    )
    add_entry(
        uow, datetime(2026, 11, 28, 2, 0, tzinfo=UTC), "Zhang (user)", "hub.block", "hub", "H1"
    )

    def actions(query: str) -> list[str]:
        response = admin.get(f"/admin/audit?{query}")
        assert response.status_code == 200
        return [a for a in listed(response.get_data(as_text=True)) if not a.startswith("user.")]

    assert actions("who=zhang") == ["hub.block", "load.create"]
    assert actions("what=load") == ["load.cancel", "load.create"]
    # Local days: 15:00 UTC is 23:00 on the 27th; 16:30 UTC is 00:30 on the 28th.
    assert actions("from=2026-11-28&to=2026-11-28") == ["hub.block", "load.cancel"]
    assert actions("to=2026-11-27") == ["load.create"]
    assert actions("target=L2") == ["load.cancel"]
    assert actions("who=zhang&what=hub") == ["hub.block"]


def test_the_audit_page_pages_by_fifty(admin, uow):
    for minute in range(55):
        add_entry(
            uow,
            datetime(2026, 11, 27, 1, minute, tzinfo=UTC),
            "bot",
            "plan.request",
            "plan",
            str(minute),
        )
    first = admin.get("/admin/audit?who=bot").get_data(as_text=True)
    assert len(listed(first)) == 50 and 'rel="next"' in first
    second = admin.get("/admin/audit?who=bot&page=2").get_data(as_text=True)
    assert len(listed(second)) == 5 and 'rel="prev"' in second and 'rel="next"' not in second


@pytest.mark.parametrize(
    "query",
    [
        "from=yesterday",
        "to=2026-13-01",
        "what=everything",
        "page=0",
        "page=x",
        "from=2026-11-28&to=2026-11-01",
        "to=9999-12-31",
    ],
)
def test_a_bad_audit_filter_is_said_on_the_page_never_a_500(admin, query):
    response = admin.get(f"/admin/audit?{query}")
    assert response.status_code == 422
    assert 'role="alert"' in response.get_data(as_text=True)


def test_only_admins_open_the_audit_and_users_pages(client, people):
    sign_in(client, "gate.1")
    assert client.get("/admin/audit").status_code == 403
    assert client.get("/admin/users").status_code == 403
    anonymous = client.application.test_client()
    assert anonymous.get("/admin/audit").status_code == 302
