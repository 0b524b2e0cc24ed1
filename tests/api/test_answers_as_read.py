"""The API's answers on a live day as a person reads them (a new user's trial of a live evening):

- every time is ISO 8601 to the second with the site's offset, never with microseconds (the job's
  `requested_at`, a heartbeat, an event's time, a gate time taken from the clock), in the answers
  and in the pages' `<time datetime>`;
- every sentence said in Chinese (`message`, `detail`, `title`, `error_message`,
  `reason_message`, a coded blocked window's `reason`) holds no English words but identifiers
  (before: a re-plan's "incident: a positive case", a dock "closed for disinfection");
- a load the plan leaves out because its deadline had passed when the plan started is told so
  (`DEADLINE_PASSED`), not "time window too short";
- a capacity reason's `start` is ISO 8601 in the site's zone, not "MM-DD HH:MM".

The Xunwu day planned from 10:07 (HUB_SCHEDULER_PLAN_NOW), on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest

from api import create_app
from api.database import db
from hub_scheduler.services.tokens import issue_token
from models.scenario_store import store_scenario
from tests.api.web_pages import signed_in
from tests.unit.latin_words import english_words

NOW = "2026-11-28T10:07:00+08:00"
DAY = "2026-11-28"
HORIZON = {"start": "2026-11-28T00:00:00+08:00", "end": "2026-11-29T00:00:00+08:00"}
ZH = {"Accept-Language": "zh-CN"}
FRACTION = re.compile(r"\d{2}:\d{2}:\d{2}\.\d")
SAID = frozenset({"message", "detail", "title", "error_message", "reason_message"})


@pytest.fixture
def day(migrated_database_url, xunwu):
    app = create_app(
        {
            "DATABASE_URL": migrated_database_url,
            "HUB_SCHEDULER_JOB_RUNNER": "inline",
            "HUB_SCHEDULER_PLAN_TIME_LIMIT_S": 1.0,
            "HUB_SCHEDULER_PLAN_NOW": NOW,
            "TESTING": True,
        }
    )
    uow = db.uow(app)
    store_scenario(uow, xunwu)
    tokens = {
        role: {"Authorization": f"Bearer {issue_token(uow, role=role, label=role, actor='t')}"} | ZH
        for role in ("admin", "operator")
    }
    client = app.test_client()
    job = client.post(
        "/api/v1/plans",
        json={"horizon": HORIZON, "time_limit_s": 1, "workers": 1},
        headers=tokens["admin"],
    ).json
    assert job["status"] == "succeeded", job
    published = client.post(f"/api/v1/plans/{job['id']}/publish", headers=tokens["admin"])
    assert published.status_code == 200, published.json
    yield client, tokens, job["id"]
    db.dispose(app)


def _strings(value: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, str(key)))
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, path)
    elif isinstance(value, str):
        yield path, value


def _misread(answers: dict[str, Any]) -> list[str]:
    """Each time with a fraction of a second and each Chinese sentence with English words."""
    found = []
    for name, answer in answers.items():
        for path, text in _strings(answer):
            if FRACTION.search(text):
                found.append(f"{name} {'.'.join(path)}: {text}")
            said = path and (path[-1] in SAID or path[-2:] == ("blocked", "reason"))
            if said and english_words(text):
                found.append(f"{name} {'.'.join(path)}: {text}")
    return found


def test_every_answer_of_a_live_day_shows_times_to_the_second_and_chinese_words(day, xunwu):
    client, tokens, plan_id = day
    admin, operator = tokens["admin"], tokens["operator"]
    answers: dict[str, Any] = {}
    in_force = client.get(f"/api/v1/plans/published?date={DAY}", headers=admin).json
    slots = sorted(in_force["assignments"], key=lambda a: a["start"])
    # A truck at the gate, without a time: the clock's (microseconds and all).
    waiting = slots[-1]["load_id"]
    checked = client.post(
        f"/api/v1/loads/{waiting}/check-in", json={"has_pass": True}, headers=operator
    )
    assert checked.status_code == 200, checked.json
    answers["check-in"] = checked.json
    # A positive driver on a dock: its dock closes for disinfection, a re-plan is asked for.
    on_dock = slots[0]
    at = datetime.fromisoformat(on_dock["start"]) + timedelta(minutes=5)
    reported = client.post(
        "/api/v1/incidents",
        json={"load_id": on_dock["load_id"], "at": at.isoformat()},
        headers=admin,
    )
    assert reported.status_code in (200, 201, 202), reported.json
    answers["incident"] = reported.json
    repair = reported.json["plan"]["id"]
    for path in (
        f"/api/v1/plans/{plan_id}",
        f"/api/v1/plans/{plan_id}/unscheduled",
        f"/api/v1/plans/{repair}",
        f"/api/v1/plans/published?date={DAY}",
        "/api/v1/plans?limit=50",
        "/api/v1/incidents",
        "/api/v1/hubs",
        "/api/v1/inbox?limit=200",
        "/api/v1/loads?limit=200",
        "/api/v1/audit?limit=200",
    ):
        response = client.get(path, headers=admin)
        assert response.status_code == 200, (path, response.json)
        answers[path] = response.json
    answers["hubs (operator)"] = client.get("/api/v1/hubs", headers=operator).json
    # The scan reads what it must: the job's clock times, a closed dock's reason, the re-plan's.
    blocked = [w for h in answers["/api/v1/hubs"] for w in h["blocked"] if w.get("reason_code")]
    assert blocked and all(w["reason"] == "消杀封闭" for w in blocked)
    assert answers[f"/api/v1/plans/{repair}"]["reason_message"] == "阳性病例"
    assert _misread(answers) == []
    # The pages too: the time a page writes for machines (`<time datetime>`) as the one it shows.
    pages = signed_in(client.application, tokens, "admin")
    for path in ("/inbox", "/admin/audit", "/command/incidents", f"/plans/{repair}"):
        page = pages.get(path, headers=ZH)
        assert page.status_code == 200, path
        assert FRACTION.findall(page.get_data(as_text=True)) == [], path


def test_a_load_whose_deadline_passed_before_the_plan_is_told_so(day, xunwu):
    client, tokens, plan_id = day
    left_out = client.get(f"/api/v1/plans/{plan_id}/unscheduled", headers=tokens["admin"]).json
    by_key = {(u["enterprise_id"], u["load_id"]): u for u in left_out}
    now = datetime.fromisoformat(NOW)
    gone = [
        ld
        for ld in xunwu.loads
        if ld.deadline is not None
        and ld.release + timedelta(minutes=ld.handling_minutes) <= ld.deadline
        and ld.deadline < now + timedelta(minutes=ld.handling_minutes)
    ]
    assert gone, "the day has loads whose deadline passes before 10:07"
    for load in gone:
        told = by_key[(load.enterprise_id, load.id)]
        assert told["reason_code"] == "DEADLINE_PASSED", told
        assert told["reason_detail"] == "deadline_before_plan"
        assert told["reason_params"]["deadline"] == load.deadline.isoformat(timespec="seconds")
        assert told["reason_params"]["now"] == NOW
        deadline = load.deadline.strftime("%m-%d %H:%M")
        assert told["message"] == (
            f"排程开始时（11-28 10:07）已来不及在最晚完成时间 {deadline} 前完成 "
            f"{load.handling_minutes} 分钟的装卸作业。"
        )
    # A window truly too short stays so: none of those is told its deadline passed.
    too_short = [u for u in left_out if u["reason_code"] == "WINDOW_TOO_SHORT"]
    gone_keys = {(g.enterprise_id, g.id) for g in gone}
    assert all((u["enterprise_id"], u["load_id"]) not in gone_keys for u in too_short)


def test_a_capacity_reasons_start_is_iso_in_the_sites_zone(day):
    client, tokens, plan_id = day
    left_out = client.get(f"/api/v1/plans/{plan_id}/unscheduled", headers=tokens["admin"]).json
    capacity = [u for u in left_out if u["reason_detail"] in ("capacity_taken", "capacity_held")]
    assert capacity, "the day leaves loads out for capacity"
    for item in capacity:
        start = item["reason_params"]["start"]
        moment = datetime.fromisoformat(start)
        assert start.endswith("+08:00") and moment.isoformat(timespec="seconds") == start
        assert moment.strftime("%m-%d %H:%M") in item["message"]
