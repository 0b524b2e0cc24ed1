"""The admin page for tokens: issue one (shown once), see it listed without its secret, revoke it
and see its page session end; other roles are refused. Flask test client, SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest
from client_pages import form_csrf, form_sign_in

from api.database import db
from hub_scheduler.services.tokens import issue_token


def _signed_in(app, token: str):
    return form_sign_in(app.test_client(), token)


def test_an_admin_issues_lists_and_revokes_a_token_on_the_page(app):
    admin = _signed_in(app, issue_token(db.uow(app), role="admin", label="chief", actor="t"))
    page = admin.get("/admin/tokens", headers={"Accept-Language": "zh-CN"})
    assert page.status_code == 200 and "API 令牌" in page.get_data(as_text=True)
    issued = admin.post(
        "/admin/tokens",
        data={
            "csrf_token": form_csrf(page.get_data(as_text=True)),
            "role": "enterprise",
            "enterprise_id": "E01",
            "label": "orchard gate",
            "expires_in_days": "30",
        },
    )
    assert issued.status_code == 201
    html = issued.get_data(as_text=True)
    secret = re.search(r"<code>(hs_[^<]+)</code>", html).group(1)
    listing = admin.get("/admin/tokens").get_data(as_text=True)
    assert "orchard gate" in listing and secret not in listing
    row = re.search(r'data-token-id="(\d+)">(?:(?!</tr>).)*orchard gate', listing, re.S)
    token_id = row.group(1)
    holder = _signed_in(app, secret)
    assert holder.get("/loads").status_code == 200
    revoked = admin.post(
        f"/admin/tokens/{token_id}/revoke", data={"csrf_token": form_csrf(listing)}
    )
    assert revoked.status_code == 303
    assert holder.get("/loads").status_code == 302  # its session ended with the token
    bearer = {"Authorization": f"Bearer {secret}"}
    assert app.test_client().get("/api/v1/loads", headers=bearer).status_code == 401


def test_a_bad_lifetime_on_the_page_is_refused_with_a_message(app):
    admin = _signed_in(app, issue_token(db.uow(app), role="admin", actor="t"))
    csrf = form_csrf(admin.get("/admin/tokens").get_data(as_text=True))
    response = admin.post(
        "/admin/tokens",
        data={"csrf_token": csrf, "role": "operator", "expires_in_days": "0"},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 422
    assert "expires_in_days" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["operator", "enterprise"])
def test_other_roles_cannot_open_the_token_page(app, role):
    extra = {"enterprise_id": "E01"} if role == "enterprise" else {}
    client = _signed_in(app, issue_token(db.uow(app), role=role, actor="t", **extra))
    assert client.get("/admin/tokens").status_code == 403


def test_a_refused_token_names_its_field_with_the_full_width_colon_in_chinese(app):
    """A field problem is joined to its field's label by the catalogue's `colon` ("：" in
    Chinese), not by an ASCII ": " in Chinese text; the label, not the raw field name."""
    admin = _signed_in(app, issue_token(db.uow(app), role="admin", actor="t"))
    csrf = form_csrf(admin.get("/admin/tokens").get_data(as_text=True))
    data = {"csrf_token": csrf, "role": "enterprise", "enterprise_id": "NOPE"}
    zh = admin.post("/admin/tokens", data=data, headers={"Accept-Language": "zh-CN"})
    assert zh.status_code == 404
    text = zh.get_data(as_text=True)
    assert "企业：未知企业“NOPE”" in text and "企业: " not in text
    en = admin.post("/admin/tokens", data=data, headers={"Accept-Language": "en"})
    assert "Enterprise: unknown enterprise" in en.get_data(as_text=True)
