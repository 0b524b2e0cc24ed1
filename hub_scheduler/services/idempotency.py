"""Idempotency-Key records: what a retried submission is compared with, and what it answers.

A key is stored with a SHA-256 of the REQUEST (not of the load it made), in the same transaction
as the loads (site_config, whose primary key lets only one of two racing requests in). A retry
with the same key and the same body answers with the same loads even after they were changed
(a PATCH, a check-in); the same key with another body is a 409. The sheet import keeps its
records the same way (`services/sheet_import.py`, key prefix `sheet-import`).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from hub_scheduler.errors import Conflict, FieldError
from hub_scheduler.services.principal import Principal

SUBMIT = "load-submit"
BATCH = "load-batch"


def record_key(kind: str, principal: Principal, idempotency_key: str) -> str:
    """The config key of one client's key: scoped by endpoint and by enterprise (or admin)."""
    owner = principal.enterprise_id if principal.is_enterprise else f"actor:{principal.actor}"
    return f"{kind}:{owner}:{idempotency_key}"


def request_digest(body: Any) -> str:
    """SHA-256 of the parsed request body, keys sorted: the same JSON sent again (other spacing,
    other key order) has the same digest."""
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def store(uow: Any, key: str, digest: str, load_ids: list[str]) -> None:
    """Keep the record in the caller's transaction; Conflict when another request stored it
    first (the caller rolls back and replays). `config.add`, not `config.set`, which
    overwrites: the key's primary key refuses the loser of a race, with no look-up first."""
    uow.config.add(key, {"sha256": digest, "load_ids": load_ids})


def replayed_ids(record: dict[str, Any], digest: str, idempotency_key: str) -> list[str]:
    """The load ids a stored record answers; Conflict (409) when the body differs."""
    if record.get("sha256") != digest:
        raise Conflict(
            f'the Idempotency-Key "{idempotency_key}" was used for another request',
            [FieldError(field="Idempotency-Key", message="was already used for another request")],
        )
    return list(record["load_ids"])
