"""The gate page says a truck's slot was withdrawn, and why, in Chinese (the new-user trial of
2026-12-03: such trucks were shown as 已排期 (scheduled), with no reason). A truck whose new ETA
leaves no slot by its due is still `scheduled` but holds no slot: its row says 时段已撤销 and the
plan's reason. On SQLite and PostgreSQL."""

from __future__ import annotations

import re

from tests.api.both_databases import api_database_url  # noqa: F401  (SQLite and PostgreSQL)
from tests.api.web_pages import ZH, signed_in

DAY = "2026-11-28"


def _row(page: str, a: dict) -> str:
    anchor = f"load-{a['enterprise_id']}·{a['load_id']}"
    found = re.search(rf'<li[^>]*id="{re.escape(anchor)}".*?</li>', page, re.S)
    assert found, anchor
    return found.group(0)


def test_a_truck_whose_slot_was_withdrawn_shows_it_and_why(app, tokens, client, in_force):
    truck = next(a for a in in_force["assignments"] if a["start"][11:16] >= "10:00")
    url = f"/api/v1/loads/{truck['load_id']}?enterprise_id={truck['enterprise_id']}"
    late = {"release": f"{DAY}T23:30:00+08:00", "due": f"{DAY}T23:40:00+08:00"}
    changed = client.patch(url, json=late, headers=tokens["admin"])
    assert changed.status_code == 200, changed.json
    shown = client.get(url, headers=tokens["admin"]).json
    slots = client.get(f"/api/v1/plans/published?date={DAY}", headers=tokens["admin"]).json
    assert truck["load_id"] not in {a["load_id"] for a in slots["assignments"]}
    assert shown["status"] == "scheduled"  # what the page used to show as it is
    operator = signed_in(app, tokens, "operator")
    page = operator.get(f"/gate?date={DAY}", headers=ZH).get_data(as_text=True)
    row = _row(page, truck)
    assert "时段已撤销" in row and "已排期" not in row, row
    why = re.search(r'data-role="why-no-slot">([^<]+)<', row)
    assert why and re.search(r"[\u4e00-\u9fff]", why.group(1)), row
    assert "无时段原因" in why.group(1)
