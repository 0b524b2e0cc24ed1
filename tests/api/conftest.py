"""The app on a fresh migrated database, the Xunwu hubs and enterprises, and a token per role."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from api import create_app
from api.database import db
from hub_scheduler.domain import Scenario
from hub_scheduler.records import JobStatus
from hub_scheduler.scenario_file import parse_scenario
from hub_scheduler.services.tokens import issue_token
from tests.api.calls import publish_day
from tests.api.solved_once import solved_once

DAY_START = "2026-11-28T00:00:00+08:00"
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


@pytest.fixture(autouse=True)
def _solved_once():
    """Each scenario solved once per test process (tests/api/solved_once.py says why and when
    not)."""
    with solved_once():
        yield


@pytest.fixture(scope="session")
def xunwu() -> Scenario:
    return parse_scenario(json.loads((FIXTURES / "xunwu.json").read_text(encoding="utf-8")))


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory) -> Path:
    """One SQLite file migrated to head; each test gets a copy (a copy is far faster than a
    migration, and the API tests are many)."""
    from models.migrate import upgrade

    path = tmp_path_factory.mktemp("template") / "api.sqlite3"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture
def api_database_url(tmp_path, migrated_template) -> str:
    path = tmp_path / "api.sqlite3"
    shutil.copyfile(migrated_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def app_settings() -> dict:
    """Settings a test module adds to (or changes in) its app's; override it in the module:

    @pytest.fixture
    def app_settings():
        return {"HUB_SCHEDULER_WEBHOOK_RETRY_BASE_S": 0.2}
    """
    return {}


@pytest.fixture
def app(api_database_url, app_settings):
    app = create_app(
        {
            "DATABASE_URL": api_database_url,
            "HUB_SCHEDULER_JOB_RUNNER": "inline",
            "HUB_SCHEDULER_PLAN_TIME_LIMIT_S": 1.0,
            # The Xunwu day is in the past: plan it as of its first minute (a training day).
            "HUB_SCHEDULER_PLAN_NOW": DAY_START,
            "HUB_SCHEDULER_MAX_BODY_MB": 1,
            # Fuzz and matrix tests send hundreds of requests; test_throttle.py tests the limits.
            "HUB_SCHEDULER_AUTH_FAILURE_LIMIT": "100000 per minute",
            "HUB_SCHEDULER_IMPORT_LIMIT": "100000 per minute",
            "HUB_SCHEDULER_PLAN_LIMIT": "100000 per minute",
            "TESTING": True,
            **app_settings,
        }
    )
    yield app
    db.dispose(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def uow(app):
    return db.uow(app)


def store_hubs_and_enterprises(uow, xunwu: Scenario) -> None:
    """Store the Xunwu hubs and enterprises (no loads) in one transaction."""
    with uow:
        for hub in xunwu.hubs:
            uow.hubs.add(hub)
        for enterprise in xunwu.enterprises:
            uow.enterprises.add(enterprise)
        uow.commit()


@pytest.fixture
def seeded(uow, xunwu) -> Scenario:
    """The Xunwu hubs and enterprises (no loads)."""
    store_hubs_and_enterprises(uow, xunwu)
    return xunwu


@pytest.fixture
def shared_app(migrated_database_url, xunwu):
    """An app on a migrated database (SQLite and PostgreSQL: tests/conftest.py) with the Xunwu
    hubs and enterprises, for tests whose threads each make their own test client."""
    app = create_app({"DATABASE_URL": migrated_database_url, "HUB_SCHEDULER_JOB_RUNNER": "inline"})
    store_hubs_and_enterprises(db.uow(app), xunwu)
    yield app
    db.dispose(app)


@pytest.fixture
def published(client, tokens, uow, seeded, xunwu) -> dict:
    """The Xunwu day stored, planned (1 s) and published: the plan in force for 2026-11-28
    (`GET /api/v1/plans/published` JSON)."""
    return publish_day(client, tokens, uow, xunwu)


@pytest.fixture
def in_force(published) -> dict:
    """`published` by the name the page tests read it by: the plan in force."""
    return published


def _bearer(uow, role: str, enterprise_id: str | None = None) -> dict[str, str]:
    token = issue_token(
        uow, role=role, enterprise_id=enterprise_id, label=f"test {role}", actor="test"
    )
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def tokens(uow, seeded) -> dict[str, dict[str, str]]:
    """Authorization headers: admin, operator, and enterprises E01 and E02."""
    return {
        "admin": _bearer(uow, "admin"),
        "operator": _bearer(uow, "operator"),
        "enterprise": _bearer(uow, "enterprise", "E01"),
        "other_enterprise": _bearer(uow, "enterprise", "E02"),
    }


def silence(app, plan_id: int, silent_for: timedelta) -> None:
    """Make a plan job look `running` with its last heartbeat `silent_for` ago (a dead worker)."""
    uow = db.uow(app)
    with uow:
        last = datetime.now(UTC) - silent_for
        uow.plans.set_status(plan_id, JobStatus.RUNNING, started_at=last)
        uow.plans.set_progress(plan_id, {"heartbeat": last.isoformat()})
        uow.commit()


def load_body(xunwu: Scenario, index: int = 0, **changes) -> dict:
    """A submission body made from a fixture load (no id, enterprise, status or positions, and no
    explicit weight: that is the command centre's, docs/security.md)."""
    data = xunwu.loads[index].model_dump(mode="json")
    for key in ("id", "enterprise_id", "status", "pinned", "previous", "priority_weight"):
        data.pop(key, None)
    data.update(changes)
    return data


def pytest_sessionfinish(session):
    """With HUB_TEST_SOLVE_COUNTS=1 (and -s), how many solves tests/api/solved_once.py answered
    from memory and how many searched, in this process."""
    import os

    from tests.api.solved_once import counts

    if os.environ.get("HUB_TEST_SOLVE_COUNTS"):
        print(f"\nsolved_once: {counts}")
