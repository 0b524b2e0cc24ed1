"""Eight clients submitting at once, each retrying every request: no load lost, none doubled."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from api.database import db
from hub_scheduler.services.tokens import issue_token
from tests.api.conftest import load_body

THREADS = 8
PER_THREAD = 100


def test_eight_threads_with_idempotency_keys_and_one_retry_each_store_exactly_800(
    shared_app, xunwu
):
    uow = db.uow(shared_app)
    headers = [
        {
            "Authorization": "Bearer "
            + issue_token(uow, role="enterprise", enterprise_id=f"E{t + 1:02d}", actor="test")
        }
        for t in range(THREADS)
    ]

    def submit_all(thread: int) -> list[int]:
        client = shared_app.test_client()
        codes = []
        for i in range(PER_THREAD):
            body = load_body(xunwu, (thread * PER_THREAD + i) % len(xunwu.loads))
            key = {"Idempotency-Key": f"t{thread}-n{i}"}
            first = client.post("/api/v1/loads", json=body, headers={**headers[thread], **key})
            retry = client.post("/api/v1/loads", json=body, headers={**headers[thread], **key})
            assert first.json["id"] == retry.json["id"]
            codes += [first.status_code, retry.status_code]
        return codes

    with ThreadPoolExecutor(THREADS) as pool:
        codes = [c for result in pool.map(submit_all, range(THREADS)) for c in result]

    assert codes.count(201) == THREADS * PER_THREAD
    assert codes.count(200) == THREADS * PER_THREAD
    with uow:
        assert uow.loads.count() == THREADS * PER_THREAD
        for t in range(THREADS):
            assert uow.loads.count(enterprise_id=f"E{t + 1:02d}") == PER_THREAD
