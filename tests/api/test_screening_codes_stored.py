"""A driver's failed entry checks are stored as code and params, not as English sentences, and
said at the edge in the reader's language; rows stored before (English `CODE: message` strings)
read back as code and params, with no migration. The API keeps answering the `CODE: message`
strings it always did. On SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import create_engine, text

from hub_scheduler.screening_checks import ScreeningFailure
from tests.api.both_databases import api_database_url  # noqa: F401  (the fixture, both databases)
from tests.api.conftest import load_body
from tests.api.test_load_form_warnings import _rows
from tests.api.test_transfers_web import _signed_in

ZH = {"Accept-Language": "zh-CN"}
EN = {"Accept-Language": "en"}
FEVER = {
    "test_type": "pcr",
    "test_result": "negative",
    "test_time": "2026-11-27T20:00:00+08:00",
    "health_code": "yellow",
    "body_temperature_c": 38.2,
}


def _stored_extra(url: str, load_id: str) -> dict:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            row = connection.execute(
                text("SELECT extra FROM loads WHERE id LIKE :id"), {"id": f"%{load_id}"}
            ).one()
    finally:
        engine.dispose()
    extra = row[0]
    if isinstance(extra, str):  # SQLite's JSON comes back as text on some drivers
        import json

        extra = json.loads(extra)
    return extra


def test_failed_checks_are_stored_as_codes_and_params(client, tokens, xunwu, api_database_url):  # noqa: F811
    body = load_body(xunwu, id="SC-1", screening=FEVER)
    answered = client.post("/api/v1/loads", json=body, headers=tokens["enterprise"])
    assert answered.status_code == 201, answered.json
    stored = _stored_extra(api_database_url, "SC-1")["screening_failures"]
    assert stored == [
        {"code": "HEALTH_CODE", "params": {"health_code": "yellow"}},
        {"code": "FEVER", "params": {"temperature_c": 38.2, "limit_c": 37.3}},
    ]
    # The API answers the strings it always did.
    assert answered.json["screening_failures"] == [
        "HEALTH_CODE: health code is yellow, not green",
        "FEVER: body temperature 38.2 °C is above 37.3 °C",
    ]
    again = client.get("/api/v1/loads/SC-1", headers=tokens["enterprise"]).json
    assert again["screening_failures"] == answered.json["screening_failures"]


def test_an_old_row_with_english_strings_reads_as_codes_and_is_said_in_both_languages(
    app,
    client,
    tokens,
    xunwu,
    uow,
    api_database_url,  # noqa: F811
):
    body = load_body(xunwu, id="SC-2", screening=FEVER)
    assert client.post("/api/v1/loads", json=body, headers=tokens["enterprise"]).status_code == 201
    old = ["FEVER: body temperature 38.6 °C is above 37.3 °C", "NO_TEST: no test result"]
    engine = create_engine(api_database_url)
    try:
        with engine.begin() as connection:
            extra = _stored_extra(api_database_url, "SC-2") | {"screening_failures": old}
            import json

            connection.execute(
                text("UPDATE loads SET extra = :extra WHERE id LIKE :id"),
                {"extra": json.dumps(extra), "id": "%SC-2"},
            )
    finally:
        engine.dispose()
    with uow:
        (load,) = [ld for ld in uow.loads.list() if ld.id.endswith("SC-2")]
    assert load.screening_failures == [
        ScreeningFailure(code="FEVER", params={"temperature_c": 38.6, "limit_c": 37.3}),
        ScreeningFailure(code="NO_TEST"),
    ]
    shown = client.get("/api/v1/loads/SC-2", headers=tokens["enterprise"]).json
    assert shown["screening_failures"] == old  # the same words as before

    page_client = _signed_in(app, tokens, "enterprise")
    chinese = _rows(
        page_client.get("/loads?date=2026-11-28", headers=ZH).get_data(as_text=True), "SC-2"
    )
    assert "发热、无检测结果" in chinese
    assert "body temperature" not in chinese and "no test result" not in chinese
    english = _rows(
        page_client.get("/loads?date=2026-11-28", headers=EN).get_data(as_text=True), "SC-2"
    )
    assert "fever、no test result" in english


def test_every_check_s_words_are_rebuilt_from_its_code_and_params():
    """str(ScreeningFailure) is the English the gate says (screening.failed_checks), and each
    such string read back gives the same code and params."""
    from datetime import timedelta

    from hub_scheduler.domain import HealthCode, Screening, ScreeningPolicy, TestType
    from hub_scheduler.screening import failed_checks
    from hub_scheduler.screening_checks import CHECK_TEXTS

    load = xunwu_load()
    arrival = load.release
    policy = ScreeningPolicy(required=True, allow_antigen=False)
    cases = [
        None,
        Screening(test_type=TestType.ANTIGEN, test_result="negative", test_time=arrival,
                  health_code=HealthCode.RED, body_temperature_c=39.0),
        Screening(test_type=TestType.PCR, test_result="negative",
                  test_time=arrival - timedelta(hours=100), health_code=HealthCode.GREEN),
        Screening(test_type=TestType.PCR, test_result="positive", test_time=arrival,
                  health_code=HealthCode.GREEN, body_temperature_c=36.5),
        Screening(test_type=TestType.PCR, test_result="negative",
                  test_time=arrival + timedelta(hours=1), health_code=HealthCode.GREEN,
                  body_temperature_c=36.5),
        Screening(health_code=HealthCode.GREEN, body_temperature_c=36.5),
    ]  # fmt: skip
    seen = set()
    for screening in cases:
        probe = load.model_copy(update={"screening": screening, "has_pass": False})
        for check in failed_checks(probe, policy, arrival):
            seen.add(check.code)
            failure = ScreeningFailure(code=check.code, params=dict(check.params))
            assert str(failure) == f"{check.code}: {check.message}"
            assert ScreeningFailure.model_validate(str(failure)) == failure
    assert seen == set(CHECK_TEXTS)


def xunwu_load():
    from pathlib import Path

    from hub_scheduler.scenario_file import read_scenario

    fixture = Path(__file__).resolve().parents[2] / "fixtures" / "xunwu.json"
    return read_scenario(fixture).loads[0]
