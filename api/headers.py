"""Security headers on every response the app gives: API JSON, problem details, docs, pages.

One after_request at app level, so an error raised before any blueprint (a 404, a 405, a 413)
carries them too. Pages and the docs are self-contained (no outside scripts or styles).
"""

from __future__ import annotations

from flask import Flask, Response

# Inline style attributes place the timeline's bars (left/width in %); scripts are files only.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'"
)
# JSON and files are never rendered as a page: nothing may load from them.
DATA_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def add_security_headers(response: Response) -> Response:
    policy = CONTENT_SECURITY_POLICY if response.mimetype == "text/html" else DATA_SECURITY_POLICY
    response.headers.setdefault("Content-Security-Policy", policy)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)
