"""Library texts never reach a reader: a body the JSON parser cannot read, pydantic's own
messages (a wrong type, an out-of-range number, an unknown field, a bad date) and the database
driver's texts are said by our codes and words, in Chinese by default and in English with
`Accept-Language: en`. Each field error names its field and keeps pydantic's error type as its
code (the same in both languages)."""

from __future__ import annotations

import re

from tests.api.conftest import load_body

ZH = {"Accept-Language": "zh-CN"}
EN = {"Accept-Language": "en"}
_CJK = re.compile(r"[\u4e00-\u9fff]")
_ENGLISH_RUN = re.compile(r"\b[A-Za-z]{2,}(?: [A-Za-z]{2,})+\b")
# What the libraries write: json's "Expecting value", pydantic's "Input should", "input is".
_LIBRARY = re.compile(r"Expecting|Input should|input is|char \d+|delimiter|psycopg|sqlite|Key \(")


def _chinese(text: str) -> None:
    assert _CJK.search(text) and not _ENGLISH_RUN.findall(text), text
    assert not _LIBRARY.search(text), text


def _post(client, headers, data: str, language: dict):
    return client.post(
        "/api/v1/loads",
        data=data,
        headers={**headers, **language, "Content-Type": "application/json"},
    )


def test_a_broken_json_body_says_where_in_our_words(client, tokens):
    zh = _post(client, tokens["enterprise"], '{"category": "energy",\n "release": ', ZH)
    en = _post(client, tokens["enterprise"], '{"category": "energy",\n "release": ', EN)
    assert zh.status_code == en.status_code == 400
    assert zh.json["detail"] == "请求内容不是有效的 JSON（第 2 行第 13 列）"
    assert en.json["detail"] == "the body is not valid JSON (line 2, column 13)"
    for body in (zh.json, en.json):
        assert not _LIBRARY.search(str(body)), body
        assert body["errors"] == [
            {
                "field": "(body)",
                "code": "json_syntax",
                "params": {"line": 2, "column": 13},
                "message": body["errors"][0]["message"],
            }
        ]
    _chinese(zh.json["title"])
    _chinese(zh.json["errors"][0]["message"])
    assert en.json["errors"][0]["message"] == "not valid JSON at line 2, column 13"


def test_wrong_types_and_out_of_range_numbers_name_the_field_in_both_languages(
    client, tokens, xunwu
):
    body = load_body(
        xunwu,
        handling_minutes=10**30,
        has_pass="yes",
        temperature="frozen",
        origin=[1, 2],
        vehicle_plate=7,
    )
    zh = client.post("/api/v1/loads", json=body, headers={**tokens["enterprise"], **ZH})
    en = client.post("/api/v1/loads", json=body, headers={**tokens["enterprise"], **EN})
    assert zh.status_code == en.status_code == 422
    said = {e["field"]: e for e in zh.json["errors"]}
    english = {e["field"]: e for e in en.json["errors"]}
    assert (
        set(said)
        == set(english)
        >= {
            "handling_minutes",
            "has_pass",
            "temperature",
            "origin",
            "vehicle_plate",
        }
    )
    for field, error in said.items():
        _chinese(error["message"])
        assert error["code"] == english[field]["code"], field  # one code in both languages
        assert not _LIBRARY.search(english[field]["message"]), english[field]
    assert said["handling_minutes"]["code"] == "less_than_equal"
    assert said["handling_minutes"]["message"] == "不能大于 10080"
    assert said["has_pass"]["message"] == "须为 true 或 false"
    # The choices by their Chinese names, the code in brackets (api/problem_words.choices_said).
    assert said["temperature"]["message"] == "须为以下之一：冷链（cold）或常温（ambient）"
    assert said["vehicle_plate"]["message"] == "须为文本"
    assert english["handling_minutes"]["message"] == "input should be less than or equal to 10080"


def test_a_bad_query_value_is_said_without_the_parser_s_reason(client, tokens):
    zh = client.get("/api/v1/loads?date=x&limit=99999999", headers={**tokens["admin"], **ZH})
    en = client.get("/api/v1/loads?date=x&limit=99999999", headers={**tokens["admin"], **EN})
    assert zh.status_code == en.status_code == 422
    said = {e["field"]: e["message"] for e in zh.json["errors"]}
    english = {e["field"]: e["message"] for e in en.json["errors"]}
    assert said["date"] == "不是有效的日期（YYYY-MM-DD）"
    assert english["date"] == "must be a date (YYYY-MM-DD)"
    assert said["limit"] == "不能大于 1000"
    for text in [*said.values(), *english.values()]:
        assert not _LIBRARY.search(text), text


def test_an_unknown_library_code_is_said_by_our_generic_words(app):
    from api.problem_words import said_fields

    error = {"field": "x", "code": "some_new_pydantic_type", "message": "Input should be odd"}
    assert said_fields([error], "zh-CN")[0]["message"] == "取值不符合要求"


def test_a_database_refusal_never_shows_the_driver_text(caplog):
    """A clash only the database sees, or a value it cannot hold: our words; the driver's text
    (constraint names, another row's key) is logged, never answered."""
    import pytest
    from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, insert
    from sqlalchemy.orm import Session

    from api.problem_words import chinese
    from hub_scheduler.errors import Conflict
    from models.repositories.base import flush

    table = Table("t", MetaData(), Column("id", String, unique=True), Column("n", Integer))
    engine = create_engine("sqlite://")
    table.metadata.create_all(engine)
    with Session(engine) as session:
        session.execute(insert(table).values(id="E02-secret", n=1))
        again = insert(table).values(id="E02-secret")
        with pytest.raises(Conflict) as caught:
            flush(session, "hub XW-LP", lambda: session.execute(again))
    assert str(caught.value) == "hub XW-LP clashes with stored data"
    assert "UNIQUE" in caplog.text  # logged for the operator
    _chinese(chinese(str(caught.value)))


def test_the_validated_models_say_their_name_in_chinese():
    """`parse_model(..., what)` refuses a hub, an enterprise, the screening policy (API) or a
    scenario / schedule file (the command line) as "{what} is not valid": each said whole."""
    from api.problem_words import chinese

    for what in ("hub", "enterprise", "screening policy", "scenario", "schedule"):
        _chinese(chinese(f"{what} is not valid"))
