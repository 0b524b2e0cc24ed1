"""A failed entry check as it is stored: its code and the values its words need (H11).

A load keeps the checks its driver fails (`Load.screening_failures`) as `ScreeningFailure`s, and
the database stores them so, `{"code": "FEVER", "params": {"temperature_c": 38.2, "limit_c":
37.3}}`: each reader's words are written at the edge from the code and params (the pages'
`failed_<CODE>` / `check_<CODE>`, zh-CN or English). `CHECK_TEXTS` are the codes' English texts:
what `str()` gives (`"FEVER: body temperature 38.2 °C is above 37.3 °C"`), the form every other
dump keeps (the API's `screening_failures`, scenario files, the audit log, the events).

Rows and scenario files written before held that English string; it is read back into code and
params by the known texts (`from_stored`), so nothing needs migrating. A text that matches none
(hand-written data) keeps its code and the text itself as `params["text"]`.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    model_serializer,
    model_validator,
)

from hub_scheduler.limits import STORED

# The English text of each check, `{name}` filled from its params.
CHECK_TEXTS: dict[str, str] = {
    "NO_SCREENING": "no pass and no screening data",
    "NO_TEST": "no test result",
    "TEST_TYPE": "a {test_type} test is not accepted here",
    "TEST_POSITIVE": "the test result is positive",
    "TEST_TOO_OLD": "the test is {age_h} h old at arrival (at most {max_h} h)",
    "TEST_IN_FUTURE": "the test time is after the arrival",
    "HEALTH_CODE": "health code is {health_code}, not green",
    "NO_TEMPERATURE": "body temperature not taken",
    "FEVER": "body temperature {temperature_c} °C is above {limit_c} °C",
}
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


class ScreeningFailure(BaseModel):
    """One failed entry check: `code` (a key of CHECK_TEXTS, or a newer one) and `params`."""

    model_config = ConfigDict(frozen=True)

    code: str = Field(max_length=64)
    params: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _stored_text(cls, value: Any) -> Any:
        return from_stored(value) if isinstance(value, str) else value

    @model_serializer(mode="wrap")
    def _serialized(self, handler: SerializerFunctionWrapHandler, info: SerializationInfo) -> Any:
        """Stored (a dump with the `limits.STORED` context, models/convert): code and params.
        Anywhere else (the API, scenario files, events): the `CODE: English words` string
        clients have always read."""
        if (info.context or {}).get(STORED):
            return handler(self)
        return str(self)

    def english(self) -> str:
        """The check in English words (CHECK_TEXTS); the stored text or the code when the
        params do not fill it."""
        if "text" in self.params:
            return str(self.params["text"])
        template = CHECK_TEXTS.get(self.code)
        try:
            return template.format(**self.params) if template else self.code
        except (KeyError, IndexError, ValueError):
            return self.code

    def __str__(self) -> str:
        """`CODE: English words`, the form the API, the audit log and the events show."""
        return f"{self.code}: {self.english()}"


def from_stored(text: str) -> dict[str, Any]:
    """`"FEVER: body temperature 38.2 °C is above 37.3 °C"` (a row written before codes were
    stored) -> `{"code": "FEVER", "params": {"temperature_c": 38.2, "limit_c": 37.3}}`; a
    bare code -> no params; an unknown text is kept as `params["text"]`."""
    code, _, message = text.partition(":")
    code, message = code.strip(), message.strip()
    if not message:
        return {"code": code, "params": {}}
    pattern = _patterns().get(code)
    found = pattern.fullmatch(message) if pattern is not None else None
    if found is None:
        return {"code": code, "params": {"text": message}}
    return {"code": code, "params": {k: _value(v) for k, v in found.groupdict().items()}}


def _value(text: str) -> Any:
    if _NUMBER.fullmatch(text):
        return float(text) if "." in text else int(text)
    return text


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    patterns = {}
    for code, template in CHECK_TEXTS.items():
        parts = re.split(r"\{(\w+)\}", template)
        regex = "".join(
            re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)
        )
        patterns[code] = re.compile(regex)
    return patterns
