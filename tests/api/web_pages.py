"""Page-test helpers: a test client signed in to the pages with a role's token, the form's CSRF
token, and the Xunwu day published (the plan in force the gate and the command centre read)."""

from __future__ import annotations

import re

from api.web.signin import CSRF_FIELD
from tests.api.calls import HORIZON, publish_day

ZH = {"Accept-Language": "zh-CN"}
__all__ = ["HORIZON", "ZH", "csrf", "publish_day", "signed_in"]  # publish_day: tests/api/calls.py


def signed_in(app, tokens, role: str):
    app.config["SESSION_COOKIE_SECURE"] = False  # the test client speaks plain http
    client = app.test_client()
    token = tokens[role]["Authorization"].removeprefix("Bearer ")
    response = client.post("/login", data={"token": token, CSRF_FIELD: csrf(client, "/login")})
    assert response.status_code == 303
    return client


def csrf(client, path: str) -> str:
    page = client.get(path, headers=ZH).get_data(as_text=True)
    return re.search(rf'name="{CSRF_FIELD}" value="([^"]+)"', page).group(1)
