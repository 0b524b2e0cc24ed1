"""Page tests with Flask's test client (no browser, no server), on SQLite and PostgreSQL.

`app` (a fixture, given to every tests/e2e module by conftest.py; a module may define its own):
the service on the migrated test database with one white-listed enterprise, E01, plans run
inline, cookies over plain http. `form_csrf` reads a page's CSRF token; `form_sign_in` signs a
client in through the token form.
"""

from __future__ import annotations

import re

import pytest

from api import create_app
from api.database import db
from hub_scheduler.domain import Enterprise


@pytest.fixture(name="app")
def client_app(migrated_database_url, tmp_path):
    app = create_app(
        {
            "DATABASE_URL": migrated_database_url,
            "HUB_SCHEDULER_INSTANCE": str(tmp_path / "instance"),
            "HUB_SCHEDULER_COOKIE_SECURE": "0",
            "HUB_SCHEDULER_JOB_RUNNER": "inline",
        }
    )
    uow = db.uow(app)
    with uow:
        uow.enterprises.add(Enterprise(id="E01", name="赣南脐橙合作社"))
        uow.commit()
    yield app
    db.dispose(app)


def form_csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def form_sign_in(client, token: str):
    """Sign `client` in through the token form (asserting the redirect); return the client."""
    csrf = form_csrf(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"token": token, "csrf_token": csrf})
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    return client
