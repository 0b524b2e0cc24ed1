"""The OpenAPI document and a server-rendered page to browse it (no CDN: closed networks)."""

from __future__ import annotations

import json
from importlib.metadata import PackageNotFoundError, version

from flask import Blueprint, current_app, jsonify, render_template_string

from api.openapi import build_document, operation

bp = Blueprint("docs", __name__, url_prefix="/api/v1")
TITLE = "hub-scheduler API"


def _version() -> str:
    try:
        return version("hub-scheduler")
    except PackageNotFoundError:
        return "0"


def document() -> dict:
    cached = current_app.extensions.get("hub_scheduler_openapi")
    if cached is None:
        cached = build_document(current_app, TITLE, _version())
        current_app.extensions["hub_scheduler_openapi"] = cached
    return cached


@bp.get("/openapi.json")
@operation("The OpenAPI 3 document of this API", roles=None, response=dict)
def openapi_json():
    return jsonify(document())


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ doc.info.title }}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:70rem;padding:1rem 2rem;
color:#1d2330}
h1{margin-bottom:.2rem} h2{border-bottom:1px solid #ccd;padding-bottom:.2rem;margin-top:2rem}
details{border:1px solid #dde;border-radius:6px;margin:.4rem 0;padding:.3rem .7rem;
background:#fafbfd}
summary{cursor:pointer} code,pre{font:13px/1.35 ui-monospace,monospace}
pre{background:#f1f3f8;padding:.6rem;overflow:auto;border-radius:4px;max-height:28rem}
.m{display:inline-block;min-width:4.2rem;font-weight:700;font-family:ui-monospace,monospace}
.get{color:#1f6feb}.post{color:#1a7f37}.patch{color:#9a6700}.delete{color:#cf222e}
.roles{color:#57606a;font-size:13px} table{border-collapse:collapse}
td,th{padding:.15rem .6rem;text-align:left;vertical-align:top}
nav a{margin-right:.8rem}
</style></head><body>
<h1>{{ doc.info.title }} <small>{{ doc.info.version }}</small></h1>
<p>{{ doc.info.description }} Machine-readable: <a href="openapi.json">openapi.json</a>.
Authenticate with <code>Authorization: Bearer &lt;token&gt;</code>. Errors are
<code>application/problem+json</code>.</p>
<nav>{% for tag in tags %}<a href="#{{ tag }}">{{ tag }}</a>{% endfor %}
<a href="#schemas">schemas</a></nav>
{% for tag, ops in tags.items() %}
<h2 id="{{ tag }}">{{ tag }}</h2>
{% for path, method, op in ops %}
<details id="{{ op.operationId }}"><summary><span class="m {{ method }}">{{ method|upper }}</span>
<code>{{ path }}</code> — {{ op.summary }}</summary>
<p class="roles">{{ op.description }}</p>
{% if op.parameters %}<table><tr><th>parameter</th><th>in</th><th>required</th><th>schema</th></tr>
{% for p in op.parameters %}<tr><td><code>{{ p.name }}</code></td><td>{{ p["in"] }}</td>
<td>{{ "yes" if p.required else "no" }}</td><td><code>{{ p.schema|tojson }}</code></td></tr>
{% endfor %}
</table>{% endif %}
{% if op.requestBody %}{% for media, c in op.requestBody.content.items() %}
<p>Request body (<code>{{ media }}</code>):</p><pre>{{ pretty(c.schema) }}</pre>
{% endfor %}{% endif %}
<p>Responses:</p><table>{% for code, r in op.responses.items() %}
<tr><td><b>{{ code }}</b></td><td>{{ r.description }}</td>
<td>{% if r.content %}{% for media, c in r.content.items() %}
<code>{{ media }}</code> <code>{{ ref(c.schema) }}</code>{% endfor %}{% endif %}</td></tr>
{% endfor %}</table>
</details>
{% endfor %}{% endfor %}
<h2 id="schemas">Schemas</h2>
{% for name, schema in doc.components.schemas.items()|sort %}
<details id="schema-{{ name }}"><summary><code>{{ name }}</code></summary>
<pre>{{ pretty(schema) }}</pre></details>
{% endfor %}
</body></html>"""


def _ref(schema: dict) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if schema.get("type") == "array" and "$ref" in schema.get("items", {}):
        return "list of " + schema["items"]["$ref"].rsplit("/", 1)[-1]
    return json.dumps(schema, ensure_ascii=False)[:120]


@bp.get("/docs")
@operation(
    "A page to browse the OpenAPI document",
    roles=None,
    response_media="text/html",
    response={"type": "string"},
)
def docs_page():
    doc = document()
    tags: dict[str, list] = {}
    for path, methods in doc["paths"].items():
        for method, op in methods.items():
            tags.setdefault(op["tags"][0], []).append((path, method, op))
    return render_template_string(
        _PAGE,
        doc=doc,
        tags=tags,
        ref=_ref,
        pretty=lambda s: json.dumps(s, ensure_ascii=False, indent=2),
    )
