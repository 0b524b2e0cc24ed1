"""One load, many hands at once: real threads, real HTTP requests, SQLite and PostgreSQL both.

Each status change is a conditional UPDATE (`WHERE status = <the status read>`), so of racing
requests exactly one moves the load and writes its audit entry; the others get a 409.
"""

from __future__ import annotations

import re

from threads import all_at_once

from api.database import db
from hub_scheduler.domain import LoadStatus
from hub_scheduler.load_keys import qualify
from hub_scheduler.services.tokens import issue_token
from tests.api.conftest import load_body
from tests.api.conftest import shared_app as shared_app  # noqa: F401  (the fixture, shared)
from tests.api.conftest import xunwu as xunwu  # noqa: F401  (the fixture, shared)

THREADS = 10
PASS = {"has_pass": True}  # the driver passes screening at any hour
ZH = {"Accept-Language": "zh-CN"}  # a refused request is told why in Chinese


def _headers(app, role: str, enterprise_id: str | None = None) -> dict[str, str]:
    token = issue_token(db.uow(app), role=role, enterprise_id=enterprise_id, actor="test")
    return {"Authorization": f"Bearer {token}"}


def _refused_in_chinese(response) -> bool:
    """A 409 whose detail is Chinese (the request asked for zh-CN)."""
    detail = response.json.get("detail", "") if response.status_code == 409 else ""
    return re.search(r"[\u4e00-\u9fff]", detail) is not None


def _new_load(app, xunwu, headers) -> str:
    response = app.test_client().post("/api/v1/loads", json=load_body(xunwu, 0), headers=headers)
    assert response.status_code == 201, response.json
    return response.json["id"]


def _audit_actions(app, load_id: str) -> list[str]:
    uow = db.uow(app)
    with uow:
        return sorted(
            e.action
            for e in uow.audit.list(
                target_type="load", target_id=qualify("E01", load_id), limit=None
            )
        )


def _status(app, load_id: str) -> LoadStatus:
    uow = db.uow(app)
    with uow:
        return uow.loads.get(qualify("E01", load_id)).status  # stored under its key (issue 10)


def test_of_ten_simultaneous_check_ins_exactly_one_succeeds(shared_app, xunwu):
    admin = {**_headers(shared_app, "admin"), **ZH}
    load_id = _new_load(shared_app, xunwu, _headers(shared_app, "enterprise", "E01"))

    def check_in():
        return shared_app.test_client().post(
            f"/api/v1/loads/{load_id}/check-in", json=PASS, headers=admin
        )

    answers = all_at_once([check_in] * THREADS)
    codes = sorted(r.status_code for r in answers)

    assert codes == [200] + [409] * (THREADS - 1)
    assert all(_refused_in_chinese(r) for r in answers if r.status_code == 409)
    assert _status(shared_app, load_id) is LoadStatus.CHECKED_IN
    assert _audit_actions(shared_app, load_id) == ["load.check_in", "load.create"]


def test_a_cancel_racing_a_check_in_ends_in_one_state_with_one_audit_entry(shared_app, xunwu):
    admin = {**_headers(shared_app, "admin"), **ZH}
    for _ in range(5):  # the winner differs from run to run; every run must be consistent
        load_id = _new_load(shared_app, xunwu, _headers(shared_app, "enterprise", "E01"))

        def check_in(load_id=load_id):
            return shared_app.test_client().post(
                f"/api/v1/loads/{load_id}/check-in", json=PASS, headers=admin
            )

        def cancel(load_id=load_id):
            return shared_app.test_client().delete(f"/api/v1/loads/{load_id}", headers=admin)

        checked, cancelled = all_at_once([check_in, cancel])

        # The outcome is one of the serial orders (a checked-in truck is past cancelling, even for
        # an admin), or the loser of an overlap refused with 409; never both applied half, never
        # a lost write.
        outcome = (
            checked.status_code,
            cancelled.status_code,
            _status(shared_app, load_id),
            _audit_actions(shared_app, load_id),
        )
        assert outcome in [
            # the cancel first: the check-in finds a cancelled load
            (409, 200, LoadStatus.CANCELLED, ["load.cancel", "load.create"]),
            # the check-in first, the cancel refused (a concurrent change, or past cancelling)
            (200, 409, LoadStatus.CHECKED_IN, ["load.check_in", "load.create"]),
        ], outcome
        assert all(_refused_in_chinese(r) for r in (checked, cancelled) if r.status_code == 409)


def test_a_patch_racing_a_check_in_never_puts_the_old_status_back(shared_app, xunwu):
    admin = _headers(shared_app, "admin")
    enterprise = _headers(shared_app, "enterprise", "E01")
    for _ in range(5):
        load_id = _new_load(shared_app, xunwu, enterprise)

        def check_in(load_id=load_id):
            return shared_app.test_client().post(
                f"/api/v1/loads/{load_id}/check-in", json=PASS, headers=admin
            )

        def patch(load_id=load_id):
            return shared_app.test_client().patch(
                f"/api/v1/loads/{load_id}", json={"handling_minutes": 41}, headers=enterprise
            )

        checked, patched = all_at_once([check_in, patch])

        assert checked.status_code == 200, checked.json
        assert patched.status_code in (200, 409)
        assert _status(shared_app, load_id) is LoadStatus.CHECKED_IN
