"""No slot left for a truck whose deadline (else due) has passed says so: the check-in's reason
is DEADLINE_PASSED naming that time in the site's zone (API), and the gate page says it in
Chinese and English. (Before: NO_SLOT_LEFT, "no slot is left today", not a word about the
passed time.) On SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from tests.api.both_databases import api_database_url  # noqa: F401  (the fixture, both databases)
from tests.api.test_gate_late import HORIZON, T
from tests.api.test_gate_late import _check_in as _api_check_in
from tests.api.test_gate_web import DAY, _load, operator  # noqa: F401  (operator: a fixture)
from tests.api.test_gate_web import _check_in as _page_check_in
from tests.api.web_pages import ZH, signed_in


def test_a_truck_past_its_due_with_no_slot_left_is_told_the_passed_due(client, tokens, published):
    """(Before: NO_SLOT_LEFT, which did not say that the due had passed.)"""
    slot = max(published["assignments"], key=lambda a: a["start"])
    load = client.get(f"/api/v1/loads/{slot['load_id']}", headers=tokens["admin"]).json
    assert load["deadline"] is None
    arrived = datetime.fromisoformat(HORIZON["end"]) - timedelta(minutes=5)
    assert datetime.fromisoformat(load["due"]) < arrived
    body = _api_check_in(client, tokens, slot, arrived.isoformat()).json
    assert body["slot"] is None and body["load"]["pinned"] is None
    assert body["reason"]["code"] == "DEADLINE_PASSED"
    params = body["reason"]["params"]
    assert params["deadline_field"] == "due"
    assert params["deadline"] == T(load["due"]).isoformat()
    assert params["deadline"].endswith("+08:00")  # the site's zone


def test_a_truck_past_its_hard_deadline_is_told_the_deadline(client, tokens, published):
    slot = max(published["assignments"], key=lambda a: a["start"])
    arrived = datetime.fromisoformat(HORIZON["end"]) - timedelta(minutes=5)
    deadline = arrived - timedelta(minutes=30)
    patched = client.patch(
        f"/api/v1/loads/{slot['load_id']}",
        json={"deadline": deadline.isoformat(), "due": (deadline - timedelta(hours=1)).isoformat()},
        headers=tokens["admin"],
    )
    assert patched.status_code == 200, patched.json
    body = _api_check_in(client, tokens, slot, arrived.isoformat()).json
    assert body["reason"]["code"] == "DEADLINE_PASSED"
    assert body["reason"]["params"]["deadline_field"] == "deadline"
    assert T(body["reason"]["params"]["deadline"]) == deadline


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("zh-CN", "车辆晚于原定时段（{planned}）到达，已过期望完成时间（{due}），已无可用时段"),
        ("en", "The truck came after its slot ({planned}) and its due time ({due}) has passed"),
    ],
)
def test_no_slot_left_after_the_due_names_the_passed_due(
    operator,  # noqa: F811  (the fixture)
    in_force,
    client,
    tokens,
    language,
    words,
):
    """(Before: 'no slot is left today', not a word about the passed due.)"""
    slot = max(in_force["assignments"], key=lambda a: a["start"])
    due = datetime.fromisoformat(_load(client, tokens, slot["load_id"])["due"])
    response = _page_check_in(operator, slot, at=f"{DAY}T23:55", has_pass="on")
    lang = {"Accept-Language": language}
    text = operator.get(response.headers["Location"], headers=lang).get_data(as_text=True)
    planned = datetime.fromisoformat(slot["start"]).strftime("%H:%M")
    assert 'id="result-deadline-passed"' in text
    shown = re.search(r'id="result-deadline-passed">([^<]*)<', text).group(1)
    assert words.format(planned=planned, due=due.strftime("%m-%d %H:%M")) in shown


def test_the_enterprise_inbox_says_why_the_slot_was_withdrawn(app, client, tokens, published):
    mine = [a for a in published["assignments"] if a["enterprise_id"] == "E01"]
    slot = max(mine, key=lambda a: a["start"])
    arrived = datetime.fromisoformat(HORIZON["end"]) - timedelta(minutes=5)
    body = _api_check_in(client, tokens, slot, arrived.isoformat()).json
    assert body["reason"]["code"] == "DEADLINE_PASSED"
    page = signed_in(app, tokens, "enterprise").get("/inbox", headers=ZH).get_data(as_text=True)
    assert "已过截止时间，无可用时段" in page
