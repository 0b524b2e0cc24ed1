"""The verifier's findings in the reader's language: `hub-scheduler verify` and a refused publish.

The verifier (`hub_scheduler.verify`) is kept independent of the service: each finding is a code
and its params (`hub_scheduler.verify.findings.Violation`), with its English sentence. Here, at
the edge, a finding is said by the catalogue's `verify_<code>` words (api/web/ops_messages.py,
whose English words are the verifier's own templates) with its params: a code value (a
temperature class, a status) by its label, a list of ids joined by the language's separator.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import tzinfo
from typing import Any

from api.moment_words import moment_words
from hub_scheduler.verify.findings import FINDINGS, english

# Params that hold a code, said by its label: the catalogue's `<prefix><value>`.
LABELS = {
    "temperature": "temp_",
    "zone_temperature": "temp_",
    "hub_status": "status_",
    "load_status": "load_",
}


def finding_words(
    code: str,
    params: Mapping[str, Any],
    translate: Callable[..., str],
    zone: tzinfo | None = None,
) -> str:
    """The finding `code` with `params` in `translate`'s language ((message id, **values) ->
    text), a time as the pages write it in `zone` (api.moment_words; None: its own offset); the
    verifier's English for a code the catalogue has no words for."""
    separator = translate("list_sep")
    values: dict[str, Any] = {}
    for name, value in params.items():
        if name in LABELS:
            value = translate(LABELS[name] + str(value))
        elif isinstance(value, list):
            value = separator.join(str(v) for v in value)
        values[name] = moment_words(value, zone)
    message = f"verify_{code}"
    words = translate(message, **values)
    if words == message:
        return english(code, params) if code in FINDINGS else message
    return words
