"""The OpenAPI document and a server-rendered page to browse it (no CDN: closed networks).

Both speak the pages' language (api/web/i18n.py: the switch's cookie, else Accept-Language, else
zh-CN), or the one `?lang=zh-CN|en` asks for, as the downloads take it; the words are in
api/docs_words.py.
"""

from __future__ import annotations

import json
from importlib.metadata import PackageNotFoundError, version

from flask import Blueprint, Response, current_app, jsonify, render_template_string
from pydantic import Field

from api.docs_words import PAGE, tag_name
from api.openapi import build_document, operation
from api.schemas.body import Body
from api.web.i18n import LANGUAGES, current_language

bp = Blueprint("docs", __name__, url_prefix="/api/v1")


class DocsQuery(Body):
    # the language of the words; none: the pages' (cookie, Accept-Language, zh-CN)
    lang: str | None = Field(default=None, pattern="^(zh-CN|en)$")


def _version() -> str:
    try:
        return version("hub-scheduler")
    except PackageNotFoundError:
        return "0"


def document(language: str = "en") -> dict:
    """The OpenAPI document in `language` ("zh-CN" or "en"), built once per app and language."""
    cached = current_app.extensions.setdefault("hub_scheduler_openapi", {})
    if language not in cached:
        cached[language] = build_document(current_app, _version(), language)
    return cached[language]


def _language(query: DocsQuery) -> str:
    return query.lang or current_language()


def _said_in(response: Response, language: str) -> Response:
    """Mark the response's language; caches keep one per cookie and Accept-Language."""
    response.headers["Content-Language"] = language
    response.vary.add("Cookie")
    response.vary.add("Accept-Language")
    return response


@bp.get("/openapi.json")
@operation("The OpenAPI 3 document of this API", roles=None, query=DocsQuery, response=dict)
def openapi_json(query: DocsQuery):
    language = _language(query)
    return _said_in(jsonify(document(language)), language)


_PAGE = """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ doc.info.title }}</title>
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
<nav aria-label="{{ w.language }}">{% for code, name in languages.items() %}
{% if code == lang %}<span aria-current="true" lang="{{ code }}">{{ name }}</span>
{% else %}<a href="{{ url_for('web_account.language', code=code, next=request.path) }}"
lang="{{ code }}" hreflang="{{ code }}">{{ name }}</a>{% endif %}{% endfor %}</nav>
<h1>{{ doc.info.title }} <small>{{ doc.info.version }}</small></h1>
<p>{{ doc.info.description }}
{{ w.machine }} <a href="openapi.json">openapi.json</a>{{ w.auth_end }}
{{ w.auth }} <code>Authorization: Bearer &lt;{{ w.token }}&gt;</code>{{ w.auth_end }}
{{ w.errors }} <code>application/problem+json</code>{{ w.errors_end }}</p>
<nav aria-label="{{ w.contents }}">{% for tag in tags %}<a href="#{{ tag }}">{{ tag_name(tag) }}</a>
{% endfor %}<a href="#schemas">{{ w.schemas }}</a></nav>
{% for tag, ops in tags.items() %}
<h2 id="{{ tag }}">{{ tag_name(tag) }} <small><code>{{ tag }}</code></small></h2>
{% for path, method, op in ops %}
<details id="{{ op.operationId }}"><summary><span class="m {{ method }}">{{ method|upper }}</span>
<code>{{ path }}</code> — {{ op.summary }}</summary>
<p class="roles">{{ op.description }}</p>
{% if op.parameters %}<table><tr><th>{{ w.parameter }}</th><th>{{ w.in }}</th>
<th>{{ w.required }}</th><th>{{ w.about }}</th><th>{{ w.schema }}</th></tr>
{% for p in op.parameters %}<tr><td><code>{{ p.name }}</code></td><td>{{ w["in_" ~ p["in"]] }}</td>
<td>{{ w.yes if p.required else w.no }}</td><td>{{ p.description }}</td>
<td><code>{{ p.schema|tojson }}</code></td></tr>
{% endfor %}
</table>{% endif %}
{% if op.requestBody %}{% for media, c in op.requestBody.content.items() %}
<p>{{ w.request_body }} <code>{{ media }}</code></p><pre lang="en">{{ pretty(c.schema) }}</pre>
{% endfor %}{% endif %}
<p>{{ w.responses }}</p><table>{% for code, r in op.responses.items() %}
<tr><td><b>{{ code }}</b></td><td>{{ r.description }}</td>
<td>{% if r.content %}{% for media, c in r.content.items() %}
<code>{{ media }}</code> <code>{{ ref(c.schema) }}</code>{% endfor %}{% endif %}</td></tr>
{% endfor %}</table>
</details>
{% endfor %}{% endfor %}
<h2 id="schemas">{{ w.schemas }}</h2>
<p>{{ w.schema_note }}</p>
{% for name, schema in doc.components.schemas.items()|sort %}
<details id="schema-{{ name }}"><summary><code>{{ name }}</code></summary>
<pre lang="en">{{ pretty(schema) }}</pre></details>
{% endfor %}
</body></html>"""


def _ref(schema: dict, words: dict[str, str]) -> str:
    """A response's schema named briefly: its model, a list of one (in `words`), or its JSON."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if schema.get("type") == "array" and "$ref" in schema.get("items", {}):
        return words["list_of"].format(name=schema["items"]["$ref"].rsplit("/", 1)[-1])
    return json.dumps(schema, ensure_ascii=False)[:120]


@bp.get("/docs")
@operation(
    "A page to browse the OpenAPI document",
    roles=None,
    query=DocsQuery,
    response_media="text/html",
    response={"type": "string"},
)
def docs_page(query: DocsQuery):
    language = _language(query)
    doc = document(language)
    words = PAGE[language]
    tags: dict[str, list] = {}
    for path, methods in doc["paths"].items():
        for method, op in methods.items():
            tags.setdefault(op["tags"][0], []).append((path, method, op))
    page = render_template_string(
        _PAGE,
        doc=doc,
        tags=tags,
        lang=language,
        languages=LANGUAGES,
        w=words,
        tag_name=lambda tag: tag_name(tag, language),
        ref=lambda schema: _ref(schema, words),
        pretty=lambda s: json.dumps(s, ensure_ascii=False, indent=2),
    )
    return _said_in(current_app.make_response(page), language)
