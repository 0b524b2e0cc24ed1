"""The pages show times in the site's time zone (the seeded scenario's), as the API does.

Flask's test client on a real, migrated database (SQLite and PostgreSQL); no browser needed.
Kathmandu (+05:45) is used because no clock in Shanghai or UTC shows its minutes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from zoneinfo import ZoneInfo

from api import create_app
from api.database import db
from api.web.zone import local_zone
from hub_scheduler.scenario_file import parse_scenario
from hub_scheduler.services.tokens import issue_token
from models.db import make_engine, make_session_factory
from models.scenario_store import store_scenario
from models.uow import SqlUnitOfWork

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SITE = ZoneInfo("Asia/Kathmandu")


def test_the_loads_page_shows_arrivals_in_the_seeded_sites_time_zone(
    migrated_database_url, tmp_path
):
    scenario = parse_scenario(json.loads((FIXTURES / "xunwu.json").read_text(encoding="utf-8")))
    scenario = scenario.model_copy(update={"timezone": "Asia/Kathmandu"})
    engine = make_engine(migrated_database_url)
    try:
        uow = SqlUnitOfWork(make_session_factory(engine))
        store_scenario(uow, scenario)
        load = scenario.loads[0]
        token = issue_token(uow, role="enterprise", enterprise_id=load.enterprise_id, actor="test")
    finally:
        engine.dispose()
    app = create_app(
        {
            "DATABASE_URL": migrated_database_url,
            "HUB_SCHEDULER_INSTANCE": str(tmp_path / "instance"),
            "HUB_SCHEDULER_COOKIE_SECURE": "0",
            "TESTING": True,
        }
    )
    try:
        with app.app_context():
            assert local_zone().utcoffset(load.release) == SITE.utcoffset(load.release)
        client = app.test_client()
        form = client.get("/login").get_data(as_text=True)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
        signed_in = client.post("/login", data={"token": token, "csrf_token": csrf})
        assert signed_in.status_code == 303
        page = client.get("/loads", headers={"Accept-Language": "en"}).get_data(as_text=True)
    finally:
        db.dispose(app)
    row = re.search(rf"<tr[^>]*>(?:(?!</tr>).)*{re.escape(load.id)}.*?</tr>", page, re.S).group(0)
    assert load.release.astimezone(SITE).strftime("%m-%d %H:%M") in row
    assert load.due.astimezone(SITE).strftime("%m-%d %H:%M") in row
    shanghai = load.release.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%m-%d %H:%M")
    assert shanghai not in row
