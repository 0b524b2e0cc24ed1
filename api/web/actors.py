"""Who did something, as a page shows it: the stored actor (the audit log's, an activation's, an
incident's) in the page's language.

The services store an actor as plain text (`services/users.py`: `NAME (user)`;
`services/tokens.py`: `LABEL (token ID)`; `system` for the plan workers, `cli` for the command
line, `demo` for `serve --demo`, `public` for a report sent without signing in). The stored text
stays as it is (the audit's "who" filter matches it); only what a page shows is translated here.
An actor of another form is shown as stored.
"""

from __future__ import annotations

import re

from api.web.i18n import translate

_USER = re.compile(r"^(?P<name>.+) \(user\)$")
_TOKEN = re.compile(r"^(?P<label>.*) \(token (?P<id>\d+)\)$")
# Actors that are no person: the message id of each.
_NAMED = {
    "system": "actor_system",
    "cli": "actor_cli",
    "demo": "actor_demo",
    "public": "actor_public",
}


def who(actor: str | None) -> str:
    """`actor` in the page's language: `张三 (user)` -> `张三（用户）`, `erp (token 7)` ->
    `erp（令牌 7）`, `system` -> `系统`; '' for None."""
    if not actor:
        return ""
    if actor in _NAMED:
        return translate(_NAMED[actor])
    if user := _USER.match(actor):
        return translate("actor_user", name=user["name"])
    if token := _TOKEN.match(actor):
        return translate("actor_token", label=token["label"], id=token["id"])
    return actor
