"""An explicit priority_weight is the command centre's: an enterprise cannot set it (in a load, a
batch, a sheet or a change), so it cannot push another's medical load out of the plan; an admin
may, within 1..100. On SQLite and PostgreSQL."""

from __future__ import annotations

import io

import pytest

from hub_scheduler.weights import EXPLICIT_WEIGHT_RANGE
from tests.api.conftest import FIXTURES, load_body


@pytest.fixture
def api_database_url(migrated_database_url):
    return migrated_database_url


def _count(uow) -> int:
    with uow:
        return uow.loads.count()


# A weight in range is refused by role; one beyond 32 bits by its range first (both name the field).
@pytest.mark.parametrize(
    ("weight", "words"), [(1, "command centre"), (20, "command centre"), (2**62, "less than")]
)
def test_an_enterprise_cannot_give_its_load_a_weight(client, tokens, xunwu, uow, weight, words):
    response = client.post(
        "/api/v1/loads",
        json=load_body(xunwu, priority_weight=weight),
        headers=tokens["enterprise"],
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json["errors"]] == ["priority_weight"]
    assert words in response.json["errors"][0]["message"]
    assert _count(uow) == 0


def test_an_enterprise_may_send_a_null_weight_and_gets_the_derived_one(client, tokens, xunwu):
    response = client.post(
        "/api/v1/loads", json=load_body(xunwu, priority_weight=None), headers=tokens["enterprise"]
    )
    assert response.status_code == 201 and response.json["priority_weight"] is None


def test_an_enterprise_batch_with_a_weight_is_refused_whole(client, tokens, xunwu, uow):
    batch = [load_body(xunwu, 0), load_body(xunwu, 1, priority_weight=99)]
    response = client.post("/api/v1/loads/batch", json=batch, headers=tokens["enterprise"])
    assert response.status_code == 422
    assert [e["field"] for e in response.json["errors"]] == ["[1].priority_weight"]
    assert _count(uow) == 0


def test_an_enterprise_cannot_change_or_clear_a_weight(client, tokens, xunwu):
    load = client.post(
        "/api/v1/loads",
        json=load_body(xunwu, enterprise_id="E01", priority_weight=30),
        headers=tokens["admin"],
    ).json
    for weight in (2**62, None):
        response = client.patch(
            f"/api/v1/loads/{load['id']}",
            json={"priority_weight": weight},
            headers=tokens["enterprise"],
        )
        assert response.status_code == 422, weight
        assert response.json["errors"][0]["field"] == "priority_weight"
    kept = client.get(f"/api/v1/loads/{load['id']}", headers=tokens["enterprise"]).json
    assert kept["priority_weight"] == 30


def test_an_enterprise_sheet_with_weights_is_refused_by_row_and_column(client, tokens, uow):
    lines = (FIXTURES / "loads_sample.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    column = header.index("priority_weight")
    own = [line.split(",") for line in lines[1:] if line.split(",")[1] == "E01"][:2]
    own[1][column] = "4611686018427387904"
    sheet = "\n".join([lines[0], *(",".join(cells) for cells in own)]) + "\n"
    response = client.post(
        "/api/v1/loads/import",
        data={"file": (io.BytesIO(sheet.encode("utf-8")), "loads.csv")},
        headers=tokens["enterprise"],
        content_type="multipart/form-data",
    )
    assert response.status_code == 422, response.json
    # Its range and the role both refuse it: every message names that one cell.
    assert {(e["row"], e["column"]) for e in response.json["errors"]} == {(3, "priority_weight")}
    assert _count(uow) == 0


@pytest.mark.parametrize("weight", [0, EXPLICIT_WEIGHT_RANGE[1] + 1, 2**62])
def test_the_command_centre_sets_weights_within_the_documented_range(
    client, tokens, xunwu, uow, weight
):
    refused = client.post(
        "/api/v1/loads",
        json=load_body(xunwu, enterprise_id="E01", priority_weight=weight),
        headers=tokens["admin"],
    )
    assert refused.status_code == 422
    assert refused.json["errors"][0]["field"] == "priority_weight"
    top = client.post(
        "/api/v1/loads",
        json=load_body(xunwu, enterprise_id="E01", priority_weight=EXPLICIT_WEIGHT_RANGE[1]),
        headers=tokens["admin"],
    )
    assert top.status_code == 201 and top.json["priority_weight"] == EXPLICIT_WEIGHT_RANGE[1]
