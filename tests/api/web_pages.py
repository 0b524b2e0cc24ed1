"""Page-test helpers: a test client signed in to the pages with a role's token, the form's CSRF
token, and the Xunwu day published (the plan in force the gate and the command centre read)."""

from __future__ import annotations

import re

from api.web.signin import CSRF_FIELD
from models.scenario_store import store_scenario

HORIZON = {"start": "2026-11-28T00:00:00+08:00", "end": "2026-11-29T00:00:00+08:00"}
ZH = {"Accept-Language": "zh-CN"}


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


def publish_day(client, tokens, uow, xunwu) -> dict:
    """Store the Xunwu day, plan and publish it; the plan in force (API JSON)."""
    store_scenario(uow, xunwu)
    plan = client.post(
        "/api/v1/plans", json={"horizon": HORIZON, "time_limit_s": 1}, headers=tokens["admin"]
    ).json
    published = client.post(f"/api/v1/plans/{plan['id']}/publish", headers=tokens["admin"])
    assert published.status_code == 200, published.json
    return client.get("/api/v1/plans/published?date=2026-11-28", headers=tokens["admin"]).json
