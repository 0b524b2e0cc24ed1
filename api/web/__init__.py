"""The web pages: sign-in, the hub board, the plan timeline and an enterprise's loads.

Server-rendered templates with a little vanilla JavaScript; every asset is served from here.
"""

from api.web import account, board, loads, timeline, tokens  # noqa: F401  (they register their routes)
from api.web.blueprint import bp

__all__ = ["bp"]
