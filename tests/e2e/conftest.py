"""The browser fixtures of conftest_web.py for every module in tests/e2e.

`web_server`, `demo_database`, `chromium` and `open_page` are requested by name; a test module
imports only the helpers it calls (`from conftest_web import screenshot, sign_in`). A fixture is
built only for the tests that ask for it, so the CLI and gunicorn tests here start no browser.
The module-scoped ones (`web_server`, `chromium`) are still one per test module.
`app` (client_pages.py) is the Flask test client's app for page tests without a browser.

To start a server of your own (gunicorn or `hub-scheduler serve`) on a free port and wait until it
answers, use `tests/servers.py` (see tests/README.md).
"""

from __future__ import annotations

from client_pages import client_app
from conftest_web import chromium, demo_database, open_page, web_server

__all__ = ["chromium", "client_app", "demo_database", "open_page", "web_server"]
