"""No cancelling a load once its truck is at the gate or its slot has begun: the loads page shows no
"取消" for it, and the API and the page's form refuse with a Chinese 409 naming the load's state."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from api.settings import EXTENSION
from api.web.signin import CSRF_FIELD
from tests.api.web_pages import ZH, csrf, signed_in

DAY = "2026-11-28"


def _own(in_force: dict, enterprise: str = "E01") -> list[dict]:
    rows = [a for a in in_force["assignments"] if a["enterprise_id"] == enterprise]
    assert len(rows) >= 3, "the demo day has too few E01 slots for this test"
    return sorted(rows, key=lambda a: a["start"])


def _set_clock(app, moment: datetime) -> None:
    """The service's clock (HUB_SCHEDULER_PLAN_NOW) moved to `moment`, after the day was planned."""
    settings = app.extensions[EXTENSION]
    app.extensions[EXTENSION] = settings.model_copy(update={"HUB_SCHEDULER_PLAN_NOW": moment})


def _cancel_forms(page) -> set[str]:
    html = page.get(f"/loads?date={DAY}", headers=ZH).get_data(as_text=True)
    return set(re.findall(r'action="/loads/([^/"]+)/cancel', html))


@pytest.fixture
def day(app, client, tokens, in_force):
    """E01's slots by start; the first one's truck checked in; the clock just after the second's
    start (the third starts later)."""
    first, second, third, *_ = _own(in_force)
    begun = datetime.fromisoformat(second["start"]) + timedelta(minutes=1)
    assert datetime.fromisoformat(third["start"]) > begun, "two E01 slots start together"
    _set_clock(app, begun)
    checked = client.post(
        f"/api/v1/loads/{first['load_id']}/check-in?enterprise_id=E01",
        headers=tokens["operator"],
        json={"at": first["start"], "has_pass": True},
    )
    assert checked.status_code == 200 and checked.json["load"]["status"] == "checked_in", (
        checked.json
    )
    return first, second, third


def test_the_api_refuses_to_cancel_a_checked_in_load_naming_its_state(client, tokens, day):
    first, _, _ = day
    response = client.delete(
        f"/api/v1/loads/{first['load_id']}?enterprise_id=E01",
        headers={**tokens["enterprise"], **ZH},
    )
    assert response.status_code == 409
    assert response.json["detail"] == f"车次“{first['load_id']}”当前为已入场，不能再取消"
    kept = client.get(
        f"/api/v1/loads/{first['load_id']}?enterprise_id=E01", headers=tokens["admin"]
    )
    assert kept.json["status"] == "checked_in"


def test_the_api_refuses_to_cancel_a_load_whose_slot_has_begun(client, tokens, day):
    _, second, third = day
    begun = client.delete(
        f"/api/v1/loads/{second['load_id']}?enterprise_id=E01",
        headers={**tokens["enterprise"], **ZH},
    )
    assert begun.status_code == 409
    detail = begun.json["detail"]
    assert detail.startswith(f"车次“{second['load_id']}”当前为已排期，其时段已于 ")
    assert detail.endswith("开始，不能再取消")
    later = client.delete(
        f"/api/v1/loads/{third['load_id']}?enterprise_id=E01", headers=tokens["enterprise"]
    )
    assert later.status_code == 200 and later.json["status"] == "cancelled"


def test_the_loads_page_offers_cancel_only_before_the_slot_and_the_gate(app, tokens, day):
    first, second, third = day
    page = signed_in(app, tokens, "enterprise")
    forms = _cancel_forms(page)
    assert third["load_id"] in forms
    assert first["load_id"] not in forms and second["load_id"] not in forms
    token = csrf(page, f"/loads?date={DAY}")
    posted = page.post(
        f"/loads/{second['load_id']}/cancel?enterprise_id=E01",
        data={CSRF_FIELD: token},
        headers=ZH,
        follow_redirects=True,
    )
    assert "不能再取消" in posted.get_data(as_text=True)
    assert second["load_id"] not in _cancel_forms(page)
