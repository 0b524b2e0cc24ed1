"""Days on the timeline and the loads page (previous, picker, next), planning tomorrow from the
web, the timeline's filters and zoom, and after a re-plan what moved and why with the two
stability choices side by side. Flask's client, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from api.web.signin import CSRF_FIELD
from tests.api.both_databases import api_database_url  # noqa: F401  (the fixture, both databases)
from tests.api.web_pages import ZH, csrf, publish_day, signed_in

DAY = "2026-11-28"  # the Xunwu day; the app plans as of its first minute (tests/api/conftest.py)


@pytest.fixture
def in_force(client, tokens, uow, seeded, xunwu):
    return publish_day(client, tokens, uow, xunwu)


@pytest.fixture
def admin(app, tokens):
    return signed_in(app, tokens, "admin")


def _bars(page: str) -> list[tuple[str, str]]:
    """(hub id, load id) of every bar on the timeline page."""
    found = []
    for row in re.finditer(
        r'<div class="gantt-row"[^>]*data-hub-id="([^"]+)">(.*?)</div>\s*</div>', page, re.S
    ):
        found += [
            (row.group(1), load) for load in re.findall(r'data-load-id="([^"]+)"', row.group(2))
        ]
    return found


def test_the_timeline_walks_the_days_and_says_when_a_day_has_no_plan(admin, in_force):
    page = admin.get(f"/plans/published?date={DAY}", headers=ZH).get_data(as_text=True)
    assert 'href="/plans/published?date=2026-11-27"' in page
    assert 'href="/plans/published?date=2026-11-29"' in page
    assert 'id="day-pick" name="date" value="2026-11-28"' in page
    assert sorted(load for _, load in _bars(page)) == sorted(
        a["load_id"] for a in in_force["assignments"]
    )
    after = admin.get("/plans/published?date=2026-11-29", headers=ZH)
    assert after.status_code == 200
    text = after.get_data(as_text=True)
    assert "2026-11-29 尚无已发布的排程。" in text
    assert _bars(text) == []
    # the admin may plan that day from here: the form offers it
    assert 'name="day" value="2026-11-29"' in text


def test_a_bad_day_or_view_value_is_a_chinese_422_naming_the_field(admin, in_force):
    for query, field in [
        # the field in Chinese words, not the address's English name
        ("date=28-11-2026", "日期"),
        (f"date={DAY}&zoom=7", "缩放比例"),
        (f"date={DAY}&from=25", "起始时刻"),
        (f"date={DAY}&from=10&to=9", "结束时刻"),
        (f"date={DAY}&hub=NOPE", "场站"),
    ]:
        response = admin.get(f"/plans/published?{query}", headers=ZH)
        assert response.status_code == 422, query
        text = response.get_data(as_text=True)
        assert f"{field}：" in text, (query, text)
        assert "无法显示该页面" in text
    assert admin.get("/loads?date=yesterday", headers=ZH).status_code == 422
    assert admin.get("/plans/compare?a=1", headers=ZH).status_code == 422
    plan_id = in_force["plan"]["id"]
    assert admin.get(f"/plans/{plan_id}?day=2026-12-25", headers=ZH).status_code == 422


def test_the_filters_cut_the_timeline_on_the_server(admin, in_force, client, tokens):
    placed = in_force["assignments"]
    hub = placed[0]["hub_id"]
    page = admin.get(f"/plans/published?date={DAY}&hub={hub}", headers=ZH).get_data(as_text=True)
    bars = _bars(page)
    assert bars and {h for h, _ in bars} == {hub}
    assert sorted(load for _, load in bars) == sorted(
        a["load_id"] for a in placed if a["hub_id"] == hub
    )
    # the day navigation keeps the filter
    assert f'href="/plans/published?date=2026-11-29&amp;hub={hub}"' in page

    zone = placed[0]["zone_id"]
    page = admin.get(f"/plans/published?date={DAY}&hub={hub}&zone={zone}").get_data(as_text=True)
    assert sorted(load for _, load in _bars(page)) == sorted(
        a["load_id"] for a in placed if a["hub_id"] == hub and a["zone_id"] == zone
    )

    owner = {
        a["load_id"]: client.get(f"/api/v1/loads/{a['load_id']}", headers=tokens["admin"]).json[
            "enterprise_id"
        ]
        for a in placed
    }
    enterprise = owner[placed[0]["load_id"]]
    page = admin.get(f"/plans/published?date={DAY}&enterprise={enterprise}").get_data(as_text=True)
    assert sorted(load for _, load in _bars(page)) == sorted(
        i for i, e in owner.items() if e == enterprise
    )

    # a time window: only the bars that touch 08:00-12:00 local, drawn on a 4-hour axis
    window = admin.get(f"/plans/published?date={DAY}&from=8&to=12&zoom=160").get_data(as_text=True)
    start = datetime.fromisoformat(f"{DAY}T08:00:00+08:00")
    end = start + timedelta(hours=4)
    assert sorted(load for _, load in _bars(window)) == sorted(
        a["load_id"]
        for a in placed
        if datetime.fromisoformat(a["start"]) < end
        and datetime.fromisoformat(a["disinfected_at"]) > start
    )
    ticks = re.findall(r'<span class="tick"[^>]*>(\d\d:\d\d)</span>', window)
    assert ticks == ["08:00", "09:00", "10:00", "11:00"]
    assert "min-width: calc(150px + 640px)" in window  # 4 hours at 160 px per hour


def test_the_loads_page_shows_one_day_and_walks_the_days(admin, in_force, client, tokens):
    page = admin.get(f"/loads?date={DAY}", headers=ZH).get_data(as_text=True)
    listed = set(re.findall(r'data-row-load-id="([^"]+)"', page))
    everything = client.get("/api/v1/loads?limit=500", headers=tokens["admin"]).json
    items = everything["items"] if isinstance(everything, dict) else everything
    that_day = {ld["id"] for ld in items if ld["release"].startswith(DAY)}
    assert that_day and listed == that_day
    assert 'href="/loads?date=2026-11-27#my-loads"' in page
    assert 'href="/loads?date=2026-11-29#my-loads"' in page
    empty = admin.get("/loads?date=2026-11-29", headers=ZH).get_data(as_text=True)
    assert re.findall(r'data-row-load-id="([^"]+)"', empty) == []
    # without a date: every day, and the picker's neighbours are around today (the job clock)
    plain = admin.get("/loads", headers=ZH).get_data(as_text=True)
    assert set(re.findall(r'data-row-load-id="([^"]+)"', plain)) >= that_day
    assert 'href="/loads?date=2026-11-27#my-loads"' in plain


def test_plan_tomorrow_from_the_web(admin, in_force, client, tokens):
    page = admin.get(f"/plans/published?date={DAY}", headers=ZH).get_data(as_text=True)
    # tomorrow in the site's zone by the job clock (2026-11-28 00:00 +08:00)
    assert 'id="plan-day-day" name="day" value="2026-11-29"' in page
    response = admin.post(
        "/plans/new",
        data={"day": "2026-11-29", "choice": "site", CSRF_FIELD: csrf(admin, "/plans/published")},
    )
    assert response.status_code == 303
    plan_id = int(re.search(r"/plans/(\d+)$", response.headers["Location"]).group(1))
    plan = client.get(f"/api/v1/plans/{plan_id}", headers=tokens["admin"]).json
    assert plan["horizon"] == {
        "start": "2026-11-29T00:00:00+08:00",
        "end": "2026-11-30T00:00:00+08:00",
    } or (
        datetime.fromisoformat(plan["horizon"]["start"])
        == datetime.fromisoformat("2026-11-29T00:00:00+08:00")
        and datetime.fromisoformat(plan["horizon"]["end"])
        == datetime.fromisoformat("2026-11-30T00:00:00+08:00")
    )
    assert "stability" not in plan["params"]
    assert plan["status"] == "succeeded"
    bad = admin.post(
        "/plans/new",
        data={"day": "tomorrow", CSRF_FIELD: csrf(admin, "/plans/published")},
        headers=ZH,
    )
    assert bad.status_code == 303
    assert "日期：格式应为 YYYY-MM-DD。" in admin.get(bad.headers["Location"], headers=ZH).get_data(
        as_text=True
    )


def _moved_against(in_force_rows: list[dict], plan_rows: list[dict]) -> set[str]:
    old = {
        a["load_id"]: (a["hub_id"], a["dock_id"], datetime.fromisoformat(a["start"]))
        for a in in_force_rows
    }
    return {
        a["load_id"]
        for a in plan_rows
        if a["load_id"] in old
        and old[a["load_id"]] != (a["hub_id"], a["dock_id"], datetime.fromisoformat(a["start"]))
    }


def test_a_replan_both_ways_shows_what_moved_and_why_side_by_side(admin, in_force, client, tokens):
    placed = in_force["assignments"]
    # close the busiest dock for the morning: its trucks must move in both plans
    docks: dict[tuple, list] = {}
    for a in placed:
        docks.setdefault((a["hub_id"], a["zone_id"], a["dock_id"]), []).append(a)
    (hub, zone, dock), on_dock = max(docks.items(), key=lambda item: len(item[1]))
    blocked = client.post(
        f"/api/v1/hubs/{hub}/blocked-windows",
        json={
            "start": f"{DAY}T00:00:00+08:00",
            "end": f"{DAY}T23:59:00+08:00",
            "zone_id": zone,
            "dock_id": dock,
            "reason": "test: dock repaired",
        },
        headers=tokens["admin"],
    )
    assert blocked.status_code == 201, blocked.json
    response = admin.post(
        "/plans/new",
        data={
            "from_plan": str(in_force["plan"]["id"]),
            "choice": "both",
            CSRF_FIELD: csrf(admin, f"/plans/{in_force['plan']['id']}"),
        },
    )
    assert response.status_code == 303
    found = re.search(r"/plans/compare\?a=(\d+)&b=(\d+)$", response.headers["Location"])
    stable_id, punctual_id = int(found.group(1)), int(found.group(2))
    stable = client.get(f"/api/v1/plans/{stable_id}", headers=tokens["admin"]).json
    punctual = client.get(f"/api/v1/plans/{punctual_id}", headers=tokens["admin"]).json
    assert stable["params"]["stability"] == 20_000.0
    assert punctual["params"]["stability"] == 0.0

    page = admin.get(response.headers["Location"], headers=ZH).get_data(as_text=True)
    assert "尽量少调整" in page and "延误最少" in page
    for plan_id in (stable_id, punctual_id):
        rows = client.get(
            f"/api/v1/plans/{plan_id}/assignments?limit=1000", headers=tokens["admin"]
        ).json
        rows = rows["items"] if isinstance(rows, dict) else rows
        moved = _moved_against(placed, rows)
        assert {a["load_id"] for a in on_dock} <= moved | {
            u for u in (a["load_id"] for a in on_dock) if u not in {r["load_id"] for r in rows}
        }
        side = re.search(rf'data-plan-id="{plan_id}">(.*?)</section>', page, re.S).group(1)
        dropped = {a["load_id"] for a in placed} - {r["load_id"] for r in rows}
        shown_moved = int(re.search(r'data-figure="moved">(\d+)<', side).group(1))
        assert shown_moved == len(moved) + len(dropped)
        assert f'id="publish-{plan_id}"' in side

        changes = admin.get(f"/plans/{plan_id}/changes", headers=ZH).get_data(as_text=True)
        reasons = dict(re.findall(r'data-move-load-id="([^"]+)" data-reason="([A-Z_]+)"', changes))
        for a in on_dock:
            assert reasons[a["load_id"]] in ("DOCK_BLOCKED", "DROPPED")
        assert "原车位该时段被封闭" in changes
        assert set(reasons) >= moved
    # publishing one from the compare page makes it the plan in force
    published = admin.post(
        f"/plans/{stable_id}/publish",
        data={CSRF_FIELD: csrf(admin, f"/plans/compare?a={stable_id}&b={punctual_id}")},
    )
    assert published.status_code == 303
    after = admin.get(f"/plans/{stable_id}/changes", headers=ZH).get_data(as_text=True)
    assert 'id="already-published"' in after


def test_operators_read_the_compare_pages_but_cannot_publish_or_plan(app, tokens, in_force):
    operator = signed_in(app, tokens, "operator")
    plan_id = in_force["plan"]["id"]
    page = operator.get(f"/plans/compare?a={plan_id}&b={plan_id}", headers=ZH)
    assert page.status_code == 200
    assert "publish-" not in page.get_data(as_text=True)
    assert 'id="plan-day"' not in operator.get("/plans/published", headers=ZH).get_data(
        as_text=True
    )
    enterprise = signed_in(app, tokens, "enterprise")
    assert enterprise.get(f"/plans/{plan_id}/changes").status_code in (302, 303, 403)


def test_the_api_takes_a_stability_weight_per_job(client, tokens, uow, seeded, xunwu):
    from models.scenario_store import store_scenario
    from tests.api.web_pages import HORIZON

    store_scenario(uow, xunwu)
    made = client.post(
        "/api/v1/plans",
        json={"horizon": HORIZON, "time_limit_s": 1, "stability_weight": 0},
        headers=tokens["admin"],
    )
    assert made.status_code == 202, made.json
    assert made.json["params"]["stability"] == 0.0
    bad = client.post(
        "/api/v1/plans",
        json={"horizon": HORIZON, "stability_weight": -1},
        headers=tokens["admin"],
    )
    assert bad.status_code == 422
    assert "stability_weight" in str(bad.json)


def test_the_board_and_the_published_page_show_today_after_tomorrow_is_published(
    admin, in_force, client, tokens
):
    """Publishing tomorrow's plan must not move "now": both pages open today (the job clock's
    2026-11-28 in the site's zone), and tomorrow is one step of the day navigation away."""
    plan = client.post(
        "/api/v1/plans",
        json={
            "horizon": {"start": "2026-11-29T00:00:00+08:00", "end": "2026-11-30T00:00:00+08:00"},
            "time_limit_s": 1,
        },
        headers=tokens["admin"],
    ).json
    published = client.post(f"/api/v1/plans/{plan['id']}/publish", headers=tokens["admin"])
    assert published.status_code == 200, published.json
    today_trucks = len(in_force["assignments"])
    assert today_trucks > 0

    board = admin.get("/board", headers=ZH).get_data(as_text=True)
    assert "利用率按 2026-11-28 生效的排程计算。" in board
    placed = re.search(r'<div class="value">(\d+)</div><div class="label">已排期车辆', board)
    assert placed and int(placed.group(1)) == today_trucks
    assert 'href="/board?date=2026-11-29"' in board
    tomorrow = admin.get("/board?date=2026-11-29", headers=ZH).get_data(as_text=True)
    assert "利用率按 2026-11-29 生效的排程计算。" in tomorrow
    assert admin.get("/board?date=29-11-2026", headers=ZH).status_code == 422

    page = admin.get("/plans/published", headers=ZH).get_data(as_text=True)
    assert 'id="day-pick" name="date" value="2026-11-28"' in page
    assert sorted(load for _, load in _bars(page)) == sorted(
        a["load_id"] for a in in_force["assignments"]
    )
    assert 'href="/plans/published?date=2026-11-29"' in page


def test_the_loads_page_keeps_todays_slots_after_tomorrow_is_published(
    admin, in_force, client, tokens
):
    """Every day's loads (the page without a date, an enterprise's landing page) show the slots
    of the plan in force on their own day: publishing tomorrow's plan must not turn today's
    slots into "waiting for the next plan" (it did: only the newest published plan was read)."""
    tomorrow = client.post(
        "/api/v1/plans",
        json={
            "horizon": {"start": "2026-11-29T00:00:00+08:00", "end": "2026-11-30T00:00:00+08:00"},
            "time_limit_s": 1,
        },
        headers=tokens["admin"],
    ).json
    published = client.post(f"/api/v1/plans/{tomorrow['id']}/publish", headers=tokens["admin"])
    assert published.status_code == 200, published.json
    page = admin.get("/loads?limit=500", headers=ZH).get_data(as_text=True)
    rows = {
        m.group(1): m.group(2)
        for m in re.finditer(r'<tr data-row-load-id="([^"]+)"(.*?)</tr>', page, re.S)
    }
    placed = [a for a in in_force["assignments"] if a["load_id"] in rows]
    assert placed  # the first page of loads holds some of today's placed trucks
    for a in placed:
        start = datetime.fromisoformat(a["start"]).strftime("%H:%M")
        assert f"<strong>{start}–" in rows[a["load_id"]], a["load_id"]
        assert "等待下次排程" not in rows[a["load_id"]]


def test_the_csv_export_button_says_it_is_for_systems(admin, in_force):
    """The CSV export has English column names and ISO times (docs/sheets.md: CSV for tools,
    XLSX for people); its button says so, so that a clerk takes the Chinese XLSX."""
    page = admin.get(f"/plans/{in_force['plan']['id']}", headers=ZH).get_data(as_text=True)
    assert ">导出 CSV（供系统对接）</a>" in page
    assert 'title="英文列名、带时区的 ISO 时间，供其他系统读取；人工查看请导出 XLSX"' in page
    english = admin.get(f"/plans/{in_force['plan']['id']}", headers={"Accept-Language": "en"})
    assert ">Export CSV (for other systems)</a>" in english.get_data(as_text=True)


def test_a_cancelled_or_no_show_load_shows_its_slot_released(admin, in_force, client, tokens):
    """A cancelled load no longer shows the slot it gave up (it did, beside "已取消"), and neither
    it nor a no-show reads "waiting for the next plan": their slot is released."""
    slots = {a["load_id"]: a for a in in_force["assignments"]}
    cancelled, no_show = sorted(slots)[:2]
    owner = {a["load_id"]: a["enterprise_id"] for a in in_force["assignments"]}
    done = client.delete(
        f"/api/v1/loads/{cancelled}?enterprise_id={owner[cancelled]}", headers=tokens["admin"]
    )
    assert done.status_code in (200, 204), done.get_data(as_text=True)
    done = client.post(  # at its slot's start: not before (test_gate_no_show_early.py)
        f"/api/v1/loads/{no_show}/no-show?enterprise_id={owner[no_show]}",
        json={"at": slots[no_show]["start"]},
        headers=tokens["operator"],
    )
    assert done.status_code == 200, done.get_data(as_text=True)
    page = admin.get(f"/loads?date={DAY}", headers=ZH).get_data(as_text=True)
    for load_id in (cancelled, no_show):
        start = page.index(f'data-row-load-id="{load_id}"')
        row = page[start : page.index("</tr>", start)]
        assert "时段已释放" in row and "等待下次排程" not in row, row
        assert f"· {slots[load_id]['dock_id']}<" not in row, row
