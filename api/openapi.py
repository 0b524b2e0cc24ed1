"""Operations described once: the decorator that authenticates, validates the query and body with
pydantic, and records the same models so the OpenAPI 3 document is built from them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from functools import wraps
from typing import Any

from flask import Flask, request
from pydantic import BaseModel, TypeAdapter, ValidationError
from werkzeug.exceptions import BadRequest, UnsupportedMediaType
from werkzeug.routing import IntegerConverter

from api import docs_words as words
from api.auth import require
from hub_scheduler import limits
from hub_scheduler.errors import FieldError, HubSchedulerError, ValidationFailed
from hub_scheduler.scenario_file import pydantic_errors

REF_TEMPLATE = "#/components/schemas/{model}"


@dataclass
class Operation:
    summary: str
    roles: tuple[str, ...] | None
    body: Any = None
    query: type[BaseModel] | None = None
    response: Any = None
    status: int = 200
    tag: str = ""
    description: str = ""
    body_media: str = "application/json"
    response_media: str = "application/json"
    errors: tuple[int, ...] = ()
    body_optional: bool = False
    adapters: dict[str, TypeAdapter] = field(default_factory=dict)


_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')  # unrolled: linear, no backtracking
_NOT_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")
_INNERMOST = re.compile(rb"\[\]|\{\}")


def json_depth(raw: bytes, stop: int | None = None) -> int:
    """How deeply arrays and objects nest in `raw` (counting stops past `stop`), measured on the
    bytes without recursion, so a body of 100,000 `[` is refused before any parser could overflow.

    Strings are dropped, then each pass deletes every innermost `[]` / `{}` pair: the number of
    passes is the depth. Unbalanced brackets end the count early (the parser then says why).
    """
    brackets = _JSON_STRING.sub(b"", raw).translate(None, _NOT_BRACKET)
    depth = 0
    while brackets and (stop is None or depth <= stop):
        inner = _INNERMOST.sub(b"", brackets)  # one scan: pairs it uncovers wait for the next
        if len(inner) == len(brackets):
            break
        brackets, depth = inner, depth + 1
    return depth


def _json_body() -> tuple[Any, bytes]:
    """The request's JSON and its bytes: 415 for another content type, 400 for malformed JSON or
    nesting deeper than limits.JSON_MAX_DEPTH."""
    if not request.is_json:
        raise UnsupportedMediaType(
            f"the body must be application/json (got {request.mimetype or 'no content type'})"
        )
    raw = request.get_data(cache=True) or b"null"
    if json_depth(raw, stop=limits.JSON_MAX_DEPTH) > limits.JSON_MAX_DEPTH:
        raise BadRequest(
            f"the body is not accepted: JSON nested deeper than {limits.JSON_MAX_DEPTH} levels"
        )
    try:
        return json.loads(raw), raw
    except json.JSONDecodeError as exc:  # where, in our words: the parser's text is not shown
        raise MalformedBody(
            f"the body is not valid JSON (line {exc.lineno}, column {exc.colno})",
            [
                FieldError(
                    field="(body)",
                    message=f"not valid JSON at line {exc.lineno}, column {exc.colno}",
                    code="json_syntax",
                    params={"line": exc.lineno, "column": exc.colno},
                )
            ],
        ) from None
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise MalformedBody(
            "the body is not valid JSON (not UTF-8 text)",
            [FieldError(field="(body)", message="not UTF-8 text", code="json_not_utf8")],
        ) from None


class MalformedBody(HubSchedulerError):
    """400: the body cannot be read as JSON; `errors` says where (line and column), with a code,
    never the parser's own text."""

    status = 400
    title = "Bad Request"


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` in every route, bounded to the ids a column can hold: a path id of 30 digits is
    simply not found (404), never an overflow in the database driver."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", limits.INT_MAX)
        super().__init__(map, *args, **kwargs)


def _nul_errors(value: Any, path: str) -> list[FieldError]:
    """Every place holding a NUL character: no database column can store one (PostgreSQL text)."""
    if isinstance(value, str):
        return (
            [FieldError(field=path or "(body)", message="must not contain a NUL character")]
            if "\x00" in value
            else []
        )
    if isinstance(value, dict):
        return [
            e
            for k, v in value.items()
            for e in _nul_errors(k, path) + _nul_errors(v, f"{path}.{k}" if path else str(k))
        ]
    if isinstance(value, list):
        return [e for i, v in enumerate(value) for e in _nul_errors(v, f"{path}[{i}]")]
    return []


def _refuse_nul(data: Any, where: str) -> None:
    errors = _nul_errors(data, "")
    if errors:
        raise ValidationFailed(f"the {where} holds a NUL character", errors)


def _query(model: type[BaseModel]) -> BaseModel:
    values = {k: v for k, v in request.args.items()}
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        errors = [
            replace(e, field=(e.field or "").replace("(body)", "query"))
            for e in pydantic_errors(exc)
        ]
        names = ", ".join(dict.fromkeys(e.field.split(".")[0] for e in errors if e.field))
        detail = (
            f"the query parameters are not valid: {names}"
            if names
            else "the query parameters are not valid"
        )
        raise ValidationFailed(detail, errors) from None


def _body(op: Operation) -> Any:
    """The request body validated by the operation's adapter: 415, 400 (not JSON, too deep), a
    NUL anywhere, then the schema's problems, in that order."""
    adapter = op.adapters["body"]
    raw = request.get_data(cache=True)
    if raw and request.is_json and _NUL_FREE(raw) and json_depth(raw, stop=_DEPTH) <= _DEPTH:
        # The common case, parsed once: a body that cannot hold a NUL (JSON writes one only as
        # the escape \u0000) and is JSON the adapter accepts. Anything else takes the path
        # below, which tells the problems apart as before.
        try:
            return adapter.validate_json(raw, strict=True)
        except ValidationError:
            pass
    data, raw = ({}, b"{}") if (op.body_optional and not raw) else _json_body()
    _refuse_nul(data, "body")
    try:
        # Strict JSON: `true` is no integer, a number is no date; ISO-8601 text is.
        return adapter.validate_json(raw, strict=True)
    except ValidationError as exc:
        raise ValidationFailed("the request body is not valid", pydantic_errors(exc)) from None


_DEPTH = limits.JSON_MAX_DEPTH


def _NUL_FREE(raw: bytes) -> bool:
    return b"\\u0000" not in raw and b"\x00" not in raw


def operation(
    summary: str,
    *,
    roles: tuple[str, ...] | None,
    body: Any = None,
    query: type[BaseModel] | None = None,
    response: Any = None,
    status: int = 200,
    errors: tuple[int, ...] = (),
    description: str = "",
    body_media: str = "application/json",
    response_media: str = "application/json",
    body_optional: bool = False,
):
    """Describe a view: roles None means public; `body` and `query` are validated and passed in.

    With `body_optional`, an empty body counts as `{}`.
    """
    op = Operation(
        summary=summary,
        roles=roles,
        body=body,
        query=query,
        response=response,
        status=status,
        errors=errors,
        description=description,
        body_media=body_media,
        response_media=response_media,
        body_optional=body_optional,
    )
    if body is not None and body_media == "application/json":
        op.adapters["body"] = TypeAdapter(body)

    def decorate(view):
        @wraps(view)
        def wrapper(**kwargs):
            _refuse_nul(kwargs, "path")
            _refuse_nul(request.args.to_dict(), "query")
            if roles is not None:
                require(roles)
            if query is not None:
                kwargs["query"] = _query(query)
            if "body" in op.adapters:
                kwargs["body"] = _body(op)
            return view(**kwargs)

        wrapper.openapi = op  # type: ignore[attr-defined]
        return wrapper

    return decorate


# --- the document ---------------------------------------------------------------------------------

_PROBLEM_SCHEMA = {
    "type": "object",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string"},
                    "row": {"type": "integer"},
                    "column": {"type": "string"},
                    "cell": {"type": "string"},
                    "code": {"type": "string"},
                    "params": {"type": "object"},
                    "message": {"type": "string"},
                },
                "required": ["message"],
            },
        },
    },
    "required": ["type", "title", "status", "detail"],
}


def _schema(tp: Any, components: dict) -> dict:
    """The JSON schema of a type, its nested models moved to components (one schema per name)."""
    schema = TypeAdapter(tp).json_schema(ref_template=REF_TEMPLATE)
    for name, sub in schema.pop("$defs", {}).items():
        _component(components, name, sub)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        _component(components, tp.__name__, schema)
        return {"$ref": REF_TEMPLATE.format(model=tp.__name__)}
    return schema


def _component(components: dict, name: str, schema: dict) -> None:
    if components.setdefault(name, schema) != schema:
        raise RuntimeError(f"two different schemas are both called {name!r}; rename one")


def _path(rule: str) -> tuple[str, list[dict]]:
    params = []
    for conv, name in re.findall(r"<(?:(\w+):)?(\w+)>", rule):
        kind = {"int": "integer"}.get(conv, "string")
        params.append({"name": name, "in": "path", "required": True, "schema": {"type": kind}})
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule), params


def _query_params(model: type[BaseModel], components: dict) -> list[dict]:
    schema = model.model_json_schema(ref_template=REF_TEMPLATE)
    for name, sub in schema.pop("$defs", {}).items():
        _component(components, name, sub)
    required = set(schema.get("required", []))
    return [
        {
            "name": name,
            "in": "query",
            "required": name in required,
            # its words once, where the document's language puts them (build_document)
            "schema": {k: v for k, v in prop.items() if k not in ("title", "description")},
            "description": prop.get("description", ""),
        }
        for name, prop in schema.get("properties", {}).items()
    ]


def _said(parameter: dict, language: str) -> dict:
    """A parameter with its description in `language` (none when it has no words)."""
    said = words.parameter_description(
        parameter["name"], parameter.get("description", ""), language
    )
    out = {k: v for k, v in parameter.items() if k != "description"}
    return {**out, "description": said} if said else out


def build_document(app: Flask, version: str, language: str = "en") -> dict:
    """The OpenAPI 3.1 document of every route registered with `operation`, its words (title,
    summaries, descriptions, statuses, sections) in `language` ("zh-CN" or "en": api.docs_words)."""
    language = words.ZH_CN if language == words.ZH_CN else "en"
    problem = {"description": words.PROBLEM[language], **_PROBLEM_SCHEMA}
    components: dict[str, Any] = {"Problem": problem}
    paths: dict[str, dict] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        view = app.view_functions.get(rule.endpoint)
        op: Operation | None = getattr(view, "openapi", None)
        if op is None:
            continue
        path, params = _path(rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            operation_id = rule.endpoint.replace(".", "_") + "_" + method.lower()
            entry: dict[str, Any] = {
                "operationId": operation_id,
                "summary": words.summary(operation_id, op.summary, language),
                "tags": [rule.endpoint.split(".")[0]],
                "description": words.description(operation_id, op.description, op.roles, language),
            }
            parameters = list(params)
            if op.query is not None:
                parameters += _query_params(op.query, components)
            if parameters:
                entry["parameters"] = [_said(p, language) for p in parameters]
            if op.body is not None:
                if op.body_media == "application/json":
                    content = {"application/json": {"schema": _schema(op.body, components)}}
                else:
                    content = {op.body_media: {"schema": op.body}}
                entry["requestBody"] = {"required": not op.body_optional, "content": content}
            ok: dict[str, Any] = {"description": words.SUCCESS[language]}
            if op.response is not None:
                if op.response_media == "application/json":
                    ok["content"] = {
                        "application/json": {"schema": _schema(op.response, components)}
                    }
                else:
                    ok["content"] = {op.response_media: {"schema": op.response}}
            responses: dict[str, Any] = {str(op.status): ok}
            codes = set(op.errors)
            if op.roles is not None:
                entry["security"] = [{"bearer": []}]
                codes |= {401, 403}
            if op.body is not None:
                codes |= {400, 413, 415, 422}
            if op.query is not None:
                codes.add(422)
            for code in sorted(codes):
                responses[str(code)] = {
                    "description": words.status_text(code, language),
                    "content": {
                        "application/problem+json": {
                            "schema": {"$ref": "#/components/schemas/Problem"}
                        }
                    },
                }
            entry["responses"] = responses
            paths.setdefault(path, {})[method.lower()] = entry
    return {
        "openapi": "3.1.0",
        "info": {
            "title": words.TITLE[language],
            "version": version,
            "description": words.INFO[language],
        },
        "tags": [
            {"name": tag, "description": words.tag_name(tag, language)}
            for tag in sorted({op["tags"][0] for ops in paths.values() for op in ops.values()})
        ],
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
