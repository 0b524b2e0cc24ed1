"""The check-in form starts from what the load declared (H11, DESIGN.md 'Entry screening'): the
declared test, health code and temperature are in the fields; a load submitted without them says
in Chinese which parts are missing; a check-in with no arrival time takes the service's clock
(the training day's moment), not the real one, and the form says that moment in the site's zone."""

from __future__ import annotations

import re
from datetime import datetime

from api.web.signin import CSRF_FIELD
from tests.api.conftest import DAY_START, load_body
from tests.api.web_pages import ZH, csrf, signed_in

DAY = "2026-11-28"


def _form(text: str) -> str:
    return re.search(r'<form[^>]*class="check-in-form".*?</form>', text, re.S).group(0)


def test_the_form_is_filled_from_the_declared_screening(app, in_force, client, tokens):
    operator = signed_in(app, tokens, "operator")
    slot = in_force["assignments"][0]
    load = client.get(f"/api/v1/loads/{slot['load_id']}", headers=tokens["admin"]).json
    declared = load["screening"]
    assert declared and not load.get("has_pass")
    text = operator.get(
        "/gate", query_string={"date": DAY, "plate": load["vehicle_plate"]}, headers=ZH
    ).get_data(as_text=True)
    form = _form(text)
    assert f'<option value="{declared["test_type"]}" selected' in form
    assert f'<option value="{declared["test_result"]}" selected' in form
    assert f'<option value="{declared["health_code"]}" selected' in form
    sampled = datetime.fromisoformat(declared["test_time"]).strftime("%Y-%m-%dT%H:%M")
    assert f'name="test_time" type="datetime-local" value="{sampled}"' in form
    assert (
        f'name="body_temperature_c" inputmode="decimal" value="{declared["body_temperature_c"]:g}"'
        in form
    )
    assert "已按车次申报的查验信息预填" in form and "申报时缺少" not in form


def test_a_load_without_screening_says_what_is_missing(app, seeded, xunwu, client, tokens):
    body = load_body(xunwu, 0, screening=None, has_pass=False, vehicle_plate="赣B·Z0001")
    assert client.post("/api/v1/loads", json=body, headers=tokens["enterprise"]).status_code == 201
    operator = signed_in(app, tokens, "operator")
    text = operator.get(
        "/gate", query_string={"date": DAY, "plate": "赣B·Z0001"}, headers=ZH
    ).get_data(as_text=True)
    form = _form(text)
    said = re.search(r'data-role="screening-missing"[^>]*>([^<]*)<', form).group(1)
    assert said == (
        "该车次申报时缺少：核酸/抗原检测结果（类型、结果、采样时间）、健康码、体温。"
        "请向司机现场核验并在此填写。"
    )
    assert "selected" not in form and 'value="on"' not in form
    # The day's whole list (no form per truck) marks the truck too.
    day = operator.get("/gate", query_string={"date": DAY}, headers=ZH).get_data(as_text=True)
    gaps = re.findall(r'data-role="screening-gap">([^<]*)<', day)
    assert gaps == ["申报查验信息不全"]


def test_an_empty_arrival_time_is_the_service_clocks_now(app, in_force, client, tokens):
    operator = signed_in(app, tokens, "operator")
    slot = min(in_force["assignments"], key=lambda a: a["start"])
    load = client.get(f"/api/v1/loads/{slot['load_id']}", headers=tokens["admin"]).json
    page = operator.get(
        "/gate", query_string={"date": DAY, "plate": load["vehicle_plate"]}, headers=ZH
    ).get_data(as_text=True)
    assert "到达时间（留空为当前时间 2026-11-28 00:00）" in page
    data = {CSRF_FIELD: csrf(operator, "/gate?date=" + DAY), "date": DAY, "has_pass": "on"}
    answer = operator.post(f"/gate/loads/{slot['load_id']}/check-in", data=data, headers=ZH)
    assert answer.status_code == 303
    after = client.get(f"/api/v1/loads/{slot['load_id']}", headers=tokens["admin"]).json
    assert datetime.fromisoformat(after["arrived_at"]) == datetime.fromisoformat(DAY_START)
