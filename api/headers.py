"""Security headers on every response the app gives: API JSON, problem details, docs, pages.

Added by the app's one after_request (`api.ops`), so an error raised before any blueprint (a
404, a 405, a 413) carries them too. Pages and the docs are self-contained (no outside scripts
or styles).
"""

from __future__ import annotations

from flask import Response

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


def _built(policy: str) -> tuple[tuple[str, str, str], ...]:
    """(lower-case name, name, value) of every header, with `policy` as the CSP."""
    every = {"Content-Security-Policy": policy, **SECURITY_HEADERS}
    return tuple((name.lower(), name, value) for name, value in every.items())


# Built once, not per response: a page's set and a data response's.
_PAGE = _built(CONTENT_SECURITY_POLICY)
_DATA = _built(DATA_SECURITY_POLICY)


def add_security_headers(response: Response) -> Response:
    """The headers above, each unless the response set it already (a page sets its own)."""
    headers = response.headers
    mimetype = headers.get("Content-Type", "").partition(";")[0].strip().lower()
    present = {name.lower() for name in headers.keys()}
    for lower, name, value in _PAGE if mimetype == "text/html" else _DATA:
        if lower not in present:
            headers.add(name, value)
    return response
