"""Hub administration pages (issue 12) on SQLite and PostgreSQL: hubs, zones, docks, opening hours,
blocked windows, crews, site capacity, the white-list and the screening policy, changed through
the pages with the API's validation; refusals are 4xx pages in Chinese naming the field and write
nothing; every change is an audit row; only an admin may open them. The screening policy is also
changed through the API, and the gate's check follows it."""

from __future__ import annotations

from datetime import datetime

import pytest
from werkzeug.datastructures import MultiDict

from api.web.messages import ZH as ZH_WORDS
from api.web.signin import CSRF_FIELD
from hub_scheduler.domain import Load, Screening
from hub_scheduler.screening import failed_checks
from hub_scheduler.services import site as site_service
from tests.api.both_databases import api_database_url  # noqa: F401  (the fixture, both databases)
from tests.api.web_pages import ZH, csrf, publish_day, signed_in

HUB = "XW-LP"


@pytest.fixture
def admin(app, tokens):
    return signed_in(app, tokens, "admin")


def post(client, path: str, data: dict | list):
    token = csrf(client, "/admin/hubs")
    pairs = list(data.items()) if isinstance(data, dict) else list(data)
    return client.post(path, data=MultiDict([*pairs, (CSRF_FIELD, token)]), headers=ZH)


def hub_json(client, tokens, hub_id: str = HUB) -> dict:
    return client.get(f"/api/v1/hubs/{hub_id}", headers=tokens["admin"]).json


def audit_actions(client, tokens) -> list[str]:
    return [e["action"] for e in client.get("/api/v1/audit", headers=tokens["admin"]).json["items"]]


def text(response) -> str:
    return response.get_data(as_text=True)


# --- roles ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/admin/hubs", f"/admin/hubs/{HUB}", "/admin/enterprises", "/admin/screening"]
)
def test_only_an_admin_opens_the_pages(app, tokens, admin, path):
    page = admin.get(path, headers=ZH)
    assert page.status_code == 200 and "场站管理" in text(page)
    assert signed_in(app, tokens, "operator").get(path).status_code == 403
    assert signed_in(app, tokens, "enterprise").get(path).status_code == 403
    assert app.test_client().get(path).status_code == 302  # to sign in


def test_an_operator_cannot_post_a_change(app, client, tokens):
    operator = signed_in(app, tokens, "operator")
    token = csrf(operator, "/board")
    before = hub_json(client, tokens)
    refused = operator.post(
        f"/admin/hubs/{HUB}/zones/{before['zones'][0]['id']}/docks",
        data={"dock_id": "NEW-1", CSRF_FIELD: token},
    )
    assert refused.status_code == 403
    assert hub_json(client, tokens) == before


def test_the_nav_links_hub_administration_for_admins_only(app, tokens, admin):
    assert 'id="nav-hub-admin"' in text(admin.get("/board", headers=ZH))
    operator = signed_in(app, tokens, "operator")
    assert 'id="nav-hub-admin"' not in text(operator.get("/board", headers=ZH))


# --- hubs, zones, docks, crews, capacity ----------------------------------------------------------


def test_an_admin_adds_a_hub_then_a_zone_with_docks_and_crews(admin, client, tokens):
    made = post(
        admin,
        "/admin/hubs",
        {"id": "XW-NEW", "name": "寻乌新场站", "kind": "service_area", "status": "standby"},
    )
    assert made.status_code == 303 and made.headers["Location"].endswith("/admin/hubs/XW-NEW")
    zone = post(
        admin,
        "/admin/hubs/XW-NEW/zones",
        {"zone_id": "C1", "temperature": "cold", "crews": "1", "docks": "C1-1, C1-2"},
    )
    assert zone.status_code == 303
    hub = hub_json(client, tokens, "XW-NEW")
    assert hub["name"] == "寻乌新场站" and hub["status"] == "standby"
    assert hub["zones"] == [
        {
            "id": "C1",
            "temperature": "cold",
            "crews": 1,
            "disinfection_minutes": None,
            "docks": [{"id": "C1-1"}, {"id": "C1-2"}],
        }
    ]
    page = text(admin.get("/admin/hubs/XW-NEW", headers=ZH))
    assert "已新增温区 C1。" in page and 'data-dock-id="C1-2"' in page
    assert audit_actions(client, tokens)[:2] == ["hub.update", "hub.create"]


def test_adding_and_removing_a_dock_and_changing_crews_and_capacity(admin, client, tokens):
    zone = hub_json(client, tokens)["zones"][0]
    added = post(admin, f"/admin/hubs/{HUB}/zones/{zone['id']}/docks", {"dock_id": "D-NEW"})
    assert added.status_code == 303
    docks = [d["id"] for d in hub_json(client, tokens)["zones"][0]["docks"]]
    assert docks == [*(d["id"] for d in zone["docks"]), "D-NEW"]
    crews = post(admin, f"/admin/hubs/{HUB}/zones/{zone['id']}", {"crews": "2"})
    assert crews.status_code == 303 and hub_json(client, tokens)["zones"][0]["crews"] == 2
    capacity = post(
        admin,
        f"/admin/hubs/{HUB}",
        {"name": "寻乌物流园", "kind": "logistics_park", "disinfection_minutes": "20"}
        | {"max_trucks_on_site": "6", "slot_minutes": ""},
    )
    assert capacity.status_code == 303
    hub = hub_json(client, tokens)
    assert hub["max_trucks_on_site"] == 6 and hub["disinfection_minutes"] == 20
    removed = post(admin, f"/admin/hubs/{HUB}/docks/D-NEW/delete", {})
    assert removed.status_code == 303
    assert "D-NEW" not in [d["id"] for z in hub_json(client, tokens)["zones"] for d in z["docks"]]
    assert audit_actions(client, tokens)[:4] == ["hub.update"] * 4


@pytest.mark.parametrize(
    ("path", "form", "said"),
    [
        ("/admin/hubs", {"id": "坏 id", "name": "x"}, "编号："),
        ("/admin/hubs", {"id": HUB}, "编号：该编号已被使用"),
        (
            f"/admin/hubs/{HUB}",
            {"kind": "logistics_park", "max_trucks_on_site": "0"},
            "场内同时车辆上限：须大于 0",
        ),
        (
            f"/admin/hubs/{HUB}",
            {"kind": "logistics_park", "disinfection_minutes": "半小时"},
            "消杀时长（分钟）：须为整数",
        ),
        (
            f"/admin/hubs/{HUB}/zones",
            {"zone_id": "Z9", "temperature": "cold", "crews": "-1"},
            "作业班组数：须大于 0",
        ),
        (f"/admin/hubs/{HUB}/zones", {"zone_id": "", "temperature": "cold"}, "编号："),
    ],
)
def test_bad_hub_input_is_a_4xx_page_naming_the_field_and_writes_nothing(
    admin, client, tokens, path, form, said
):
    before_hubs = client.get("/api/v1/hubs", headers=tokens["admin"]).json
    before_audit = audit_actions(client, tokens)
    refused = post(admin, path, form)
    assert 400 <= refused.status_code < 500, text(refused)[:500]
    page = text(refused)
    assert 'id="form-errors"' in page and said in page
    assert client.get("/api/v1/hubs", headers=tokens["admin"]).json == before_hubs
    assert audit_actions(client, tokens) == before_audit


def test_a_duplicate_dock_is_refused_by_name(admin, client, tokens):
    zones = hub_json(client, tokens)["zones"]
    taken = zones[0]["docks"][0]["id"]
    refused = post(admin, f"/admin/hubs/{HUB}/zones/{zones[-1]['id']}/docks", {"dock_id": taken})
    assert refused.status_code == 422
    page = text(refused)  # named at the docks field (车位), not the zones (温区)
    said = ZH_WORDS["hubadmin_ref_duplicate_dock"].format(id=taken)
    assert f"{ZH_WORDS['hubadmin_field_docks']}：{said}" in page
    assert f"{ZH_WORDS['hubadmin_field_zones']}：{said}" not in page
    assert hub_json(client, tokens)["zones"] == zones


# --- opening hours --------------------------------------------------------------------------------


def test_touching_and_overnight_opening_periods_are_stored(admin, client, tokens):
    form = [("start", "08:00"), ("end", "12:00"), ("start", "12:00"), ("end", "18:00")]
    form += [("start", "22:00"), ("end", "06:00"), ("start", ""), ("end", "")]
    assert post(admin, f"/admin/hubs/{HUB}/hours", form).status_code == 303
    assert hub_json(client, tokens)["opening_hours"] == [
        {"start": "08:00", "end": "12:00"},
        {"start": "12:00", "end": "18:00"},
        {"start": "22:00", "end": "06:00"},
    ]
    assert post(admin, f"/admin/hubs/{HUB}/hours", {"always_open": "1"}).status_code == 303
    assert hub_json(client, tokens)["opening_hours"] is None


def test_overlapping_or_malformed_hours_are_refused_by_name(admin, client, tokens):
    before = hub_json(client, tokens)["opening_hours"]
    overlap = [("start", "08:00"), ("end", "13:00"), ("start", "12:00"), ("end", "18:00")]
    refused = post(admin, f"/admin/hubs/{HUB}/hours", overlap)
    assert refused.status_code == 422 and "开放时间：各开放时段有重叠" in text(refused)
    bad = post(admin, f"/admin/hubs/{HUB}/hours", [("start", "8点"), ("end", "12:00")])
    assert bad.status_code == 422 and "时段 1 · 开始：须为 HH:MM 格式的时刻" in text(bad)
    assert hub_json(client, tokens)["opening_hours"] == before


# --- blocked windows and the plan in force --------------------------------------------------------


def test_a_blocked_window_over_published_slots_shows_what_must_be_re_planned(
    admin, client, tokens, uow, xunwu
):
    published = publish_day(client, tokens, uow, xunwu)
    mine = [a for a in published["assignments"] if a["hub_id"] == HUB]
    first = min(mine, key=lambda a: a["start"])
    page = text(admin.get(f"/admin/hubs/{HUB}", headers=ZH))
    assert f"现行排程在本场站有 {len(mine)} 个车次时段。" in page and 'id="no-stranded"' in page
    made = post(
        admin,
        f"/admin/hubs/{HUB}/blocked",
        {
            "place": f"dock:{first['dock_id']}",
            "start": "2026-11-28T00:00",  # datetime-local, the site's zone (+08:00)
            "end": "2026-11-29T00:00",
            "reason": "车位维修",
        },
    )
    assert made.status_code == 303
    windows = hub_json(client, tokens)["blocked"]
    assert [(w["dock_id"], w["start"], w["reason"]) for w in windows][-1] == (
        first["dock_id"],
        "2026-11-28T00:00:00+08:00",
        "车位维修",
    )
    page = text(admin.get(f"/admin/hubs/{HUB}", headers=ZH))
    on_dock = {a["load_id"] for a in mine if a["dock_id"] == first["dock_id"]}
    assert 'id="stranded"' in page and "被封闭时段覆盖" in page
    assert all(f'data-load-id="{load_id}"' in page for load_id in on_dock)
    # A slot within one day shows its date once: "11-28 08:20–09:05", not "11-28 08:20–11-28 09:05".
    start = datetime.fromisoformat(first["start"])
    end = datetime.fromisoformat(first["end"]).astimezone(start.tzinfo)
    assert start.date() == end.date()
    assert f"{start:%m-%d %H:%M}–{end:%H:%M}</td>" in page
    assert f"–{end:%m-%d %H:%M}" not in page
    assert f'data-replan="{published["plan"]["id"]}"' in page
    assert audit_actions(client, tokens)[0] == "hub.block"
    window_id = windows[-1]["id"]
    lifted = post(admin, f"/admin/hubs/{HUB}/blocked/{window_id}/delete", {})
    assert lifted.status_code == 303
    assert window_id not in [w["id"] for w in hub_json(client, tokens)["blocked"]]
    assert audit_actions(client, tokens)[0] == "hub.unblock"


@pytest.mark.parametrize(
    ("form", "said"),
    [
        (
            {"start": "2026-11-28T10:00", "end": "2026-11-28T09:00", "reason": "x"},
            "结束：须晚于开始时间",
        ),
        ({"start": "明天", "end": "2026-11-28T09:00", "reason": "x"}, "开始：不是有效的日期和时间"),
        ({"start": "2026-11-28T08:00", "end": "2026-11-28T09:00", "reason": ""}, "原因：不能为空"),
        (
            {
                "place": "dock:NOPE",
                "start": "2026-11-28T08:00",
                "end": "2026-11-28T09:00",
                "reason": "x",
            },
            "车位：本场站没有车位“NOPE”",
        ),
    ],
)
def test_a_bad_blocked_window_is_refused_by_name_and_nothing_is_written(
    admin, client, tokens, form, said
):
    before = hub_json(client, tokens)["blocked"]
    refused = post(admin, f"/admin/hubs/{HUB}/blocked", form)
    assert refused.status_code == 422 and said in text(refused)
    assert hub_json(client, tokens)["blocked"] == before


# --- the white-list -------------------------------------------------------------------------------


def test_an_admin_adds_and_changes_an_enterprise(admin, client, tokens):
    made = post(
        admin,
        "/admin/enterprises",
        {"id": "E-NEW", "name": "新企业", "tier": "2", "whitelisted": "1"}
        | {"valid_from": "2026-11-01", "valid_until": "2026-12-31"},
    )
    assert made.status_code == 303
    changed = post(admin, "/admin/enterprises/E-NEW", {"name": "新企业", "tier": "3"})
    assert changed.status_code == 303
    got = client.get("/api/v1/enterprises/E-NEW", headers=tokens["admin"]).json
    assert (got["tier"], got["whitelisted"], got["valid_from"], got["valid_until"]) == (
        3,
        False,  # the box was left unticked
        None,
        None,
    )
    assert audit_actions(client, tokens)[:2] == ["enterprise.update", "enterprise.create"]


@pytest.mark.parametrize(
    ("path", "form", "said"),
    [
        ("/admin/enterprises", {"id": "E01", "tier": "1"}, "编号：该编号已被使用"),
        ("/admin/enterprises", {"id": "E-X", "tier": "4"}, "等级：不能大于 3"),
        (
            "/admin/enterprises/E01",
            {"tier": "1", "valid_from": "2026-12-01", "valid_until": "2026-11-01"},
            "截止日期：不能早于生效日期",
        ),
        (
            "/admin/enterprises/E01",
            {"tier": "1", "valid_from": "12/01"},
            "生效日期：不是有效的日期",
        ),
    ],
)
def test_bad_white_list_input_is_refused_by_name_and_writes_nothing(
    admin, client, tokens, path, form, said
):
    before = client.get("/api/v1/enterprises", headers=tokens["admin"]).json
    refused = post(admin, path, form)
    assert 400 <= refused.status_code < 500 and said in text(refused)
    assert client.get("/api/v1/enterprises", headers=tokens["admin"]).json == before


# --- the screening policy -------------------------------------------------------------------------


def test_the_screening_policy_is_stored_site_data_the_gate_reads(admin, client, tokens, uow):
    changed = post(
        admin,
        "/admin/screening",
        {"max_test_age_hours": "24", "max_body_temperature_c": "37.0", "allow_antigen": "1"},
    )
    assert changed.status_code == 303
    policy = site_service.screening_policy(uow)
    assert (policy.max_test_age_hours, policy.max_body_temperature_c) == (24, 37.0)
    assert policy.allow_antigen is True and policy.required is False
    assert client.get("/api/v1/site/screening", headers=tokens["operator"]).json == {
        "required": False,
        "max_test_age_hours": 24,
        "allow_antigen": True,
        "max_body_temperature_c": 37.0,
    }
    # The check the gate runs reads the stored policy: 37.1 °C is now a fever.
    load = Load.model_validate(
        {
            "id": "L",
            "enterprise_id": "E01",
            "category": "other",
            "temperature": "ambient",
            "handling_minutes": 10,
            "release": "2026-11-28T08:00:00+08:00",
            "due": "2026-11-28T12:00:00+08:00",
        }
    )
    load.screening = Screening(body_temperature_c=37.1)
    codes = [c.code for c in failed_checks(load, policy, load.release)]
    assert "FEVER" in codes
    entry = client.get("/api/v1/audit", headers=tokens["admin"]).json["items"][0]
    assert entry["action"] == "site.screening"
    assert entry["details"]["changed"]["max_test_age_hours"] == {"from": 48, "to": 24}
    audit_page = text(admin.get("/admin/audit", headers=ZH))
    assert "修改入场查验规则" in audit_page


@pytest.mark.parametrize(
    ("form", "said"),
    [
        ({"max_test_age_hours": "0"}, "核酸报告有效时长（小时）：须大于 0"),
        ({"max_test_age_hours": "1000"}, "核酸报告有效时长（小时）：不能大于 720"),
        ({"max_body_temperature_c": "50"}, "体温上限（°C）：不能大于 42"),
        ({"max_body_temperature_c": "高"}, "体温上限（°C）：须为数字"),
    ],
)
def test_a_bad_screening_policy_is_refused_by_name(admin, client, tokens, uow, form, said):
    before = site_service.screening_policy(uow)
    refused = post(admin, "/admin/screening", form)
    assert refused.status_code == 422 and said in text(refused)
    assert site_service.screening_policy(uow) == before


def test_the_api_changes_the_screening_policy_with_the_same_checks(client, tokens, uow):
    bad = client.patch(
        "/api/v1/site/screening", json={"max_body_temperature_c": 50}, headers=tokens["admin"]
    )
    assert bad.status_code == 422 and "max_body_temperature_c" in bad.get_data(as_text=True)
    ok = client.patch("/api/v1/site/screening", json={"required": True}, headers=tokens["admin"])
    assert ok.status_code == 200 and ok.json["required"] is True
    assert site_service.screening_policy(uow).required is True
    refused = client.patch(
        "/api/v1/site/screening", json={"required": False}, headers=tokens["operator"]
    )
    assert refused.status_code == 403
