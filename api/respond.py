"""Turn domain objects into JSON responses: pydantic's JSON mode, so times keep their offsets."""

from __future__ import annotations

from typing import Any

from flask import Response, json
from pydantic import BaseModel


def plain(value: Any) -> Any:
    """A JSON-ready value: models dumped in JSON mode, lists and dicts walked."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def respond(value: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    response = Response(
        json.dumps(plain(value), ensure_ascii=False), status=status, mimetype="application/json"
    )
    for key, header in (headers or {}).items():
        response.headers[key] = header
    return response
