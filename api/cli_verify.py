"""The verifier's findings in the command line's language (`hub-scheduler verify`).

The verifier (`hub_scheduler.verify`) is kept independent of the service and says each violation
in English, built from one template per kind. Here, at the edge, a finding is read back into its
code and params by that template (as `api.problem_words` reads the services' texts), and said by
the catalogue's `verify_<code>` words with its params (a code value, such as a temperature class
or a status, by its label). A finding no template matches is printed as the verifier wrote it.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from api.cli_words import say
from api.web.ops_messages import EN

# Each kind of finding: its code and the verifier's English template (hub_scheduler/verify/
# checks.py and objective.py write exactly these), the catalogue's `verify_<code>` English words;
# more specific templates come first.
TEMPLATES: dict[str, str] = {
    key.removeprefix("verify_"): text for key, text in EN.items() if key.startswith("verify_")
}
# Params that hold a code, said by its label: the catalogue's `<prefix><value>`.
_LABELS = {
    "temperature": "temp_",
    "zone_temperature": "temp_",
    "hub_status": "status_",
    "load_status": "load_",
}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@cache
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    out = []
    for code, template in TEMPLATES.items():
        parts = _PLACEHOLDER.split(template)
        # split gives text, name, text, name, ...: text escaped, each name a lazy group
        regex = "".join(
            re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts)
        )
        out.append((code, re.compile(regex)))
    return out


def finding(message: str) -> tuple[str, dict[str, str]] | None:
    """The verifier's English finding as its code and params; None when no template fits."""
    for code, pattern in _patterns():
        found = pattern.fullmatch(message)
        if found is not None:
            return code, found.groupdict()
    return None


def said_finding(message: str) -> str:
    """A finding in the command line's language (the catalogue's `verify_<code>` words)."""
    read = finding(message)
    if read is None:
        return message
    code, params = read
    values: dict[str, Any] = {
        name: say(_LABELS[name] + value) if name in _LABELS else value
        for name, value in params.items()
    }
    return say(f"verify_{code}", **values)
