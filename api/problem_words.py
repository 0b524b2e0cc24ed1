"""The API's problems in the reader's language (RFC 9457: title, detail, each field's message).

The services raise their problems in English, with a code and params where they have them; here,
at the edge, a body is said in the request's language, chosen as the pages choose it (api/web/i18n:
the switch's cookie, else Accept-Language, else zh-CN). English bodies are left as the services
wrote them. In Chinese, a text is looked up in the one catalogue (api/web/messages.ZH, fed by
api/web/problem_messages.py):

- a field error with a `code`: the code's words (`problem_err_<code>`, else the pages' own words
  for the same service code, `sheet_<code>` / `webhook_err_<code>` / `user_err_<code>`), filled
  with its `params`; a verifier's finding (`verify_<code>`, a refused publish) by
  `api.verify_words`;
- else its English text, as it is (`"the load is not valid"`) or by the template it was built
  from (`'no plan {plan}'`, `'load "{load}" is {load_status}; it cannot become {to_status}'`):
  the values a template captures are kept as they were written (ids, times, numbers), except
  the placeholders named after a kind of code (`{load_status}`, `{role}`...), said by that
  code's label.

A text the catalogue does not know stays English (it still carries its code);
tests/unit/test_problem_words.py scans the texts the services raise so that none is left unsaid.
Machine-readable parts (`type`, `status`, `code`, `field`, `params`, counts) are never touched.
"""

from __future__ import annotations

import re
from datetime import tzinfo
from functools import cache, lru_cache
from typing import Any

from flask import has_request_context

from api.moment_words import moment_words

# api.web (the catalogue, the language choice) is read when a problem is said, not imported here:
# its package imports the pages, which import api.errors, which imports this module.

# Placeholders naming a kind of code: a captured value is said by `<prefix><value>`'s label.
_LABELS = {
    "load_status": "load_",
    "to_status": "load_",
    "hub_status": "status_",
    "to_hub_status": "status_",
    "allowed": "status_",  # the hub statuses a hub may become: "active, suspended"
    "hub_status2": "status_",
    "where": "problem_where_",  # body, path, query
    "plan_status": "job_",
    "role": "role_",
    "roles": "role_",  # a list: "admin, operator"
}
# The pages' words for the services' codes, tried after the API's own (the same code, one text).
_CODE_PREFIXES = ("problem_err_", "sheet_", "webhook_err_", "user_err_")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# A rate limit as flask-limiter writes it: "3 per 1 minute".
_RATE = re.compile(r"(\d+) per (\d+) (second|minute|hour|day)s?")
_UNITS = {"second": "秒", "minute": "分钟", "hour": "小时", "day": "天"}


def _zh() -> dict[str, str]:
    from api.web.messages import ZH

    return ZH


def problem_language() -> str:
    """The request's language for its problems and messages ("zh-CN" or "en"); English outside
    a request."""
    from api.web.i18n import current_language

    return current_language() if has_request_context() else "en"


def said(body: dict[str, Any], language: str) -> dict[str, Any]:
    """The problem `body` (already shown: load keys as ids) with its words in `language`."""
    if language != "zh-CN":
        return body
    out = dict(body)
    out["title"] = chinese(body["title"])
    out["detail"] = chinese(body["detail"])
    if "errors" in body:
        out["errors"] = said_fields(body["errors"], language)
    return out


def said_fields(items: list[dict[str, Any]], language: str) -> list[dict[str, Any]]:
    """Field messages `{field, code, params, message}` (a problem's `errors`, a load's
    `warnings`) with each `message` in `language`; the rest as it is."""
    if language != "zh-CN":
        return items
    return [_field(item) for item in items]


def _field(error: dict[str, Any]) -> dict[str, Any]:
    message = error.get("message")
    if not isinstance(message, str):
        return error
    coded = _by_code(error.get("code"), error.get("params") or {})
    text = coded if coded is not None else chinese(message)
    if error.get("code") and not _CJK.search(text):
        # A coded error (pydantic's type, a library's) the catalogue cannot say: our generic
        # words, never its English (the code and params still say exactly what).
        text = _zh()["problem_err_invalid"]
    return {**error, "message": text}


def _by_code(code: Any, params: dict[str, Any]) -> str | None:
    if not isinstance(code, str):
        return None
    if code.startswith("verify_"):  # a verifier's finding (a refused publish): its own words
        from api.verify_words import finding_words
        from api.web.i18n import translator

        return finding_words(
            code.removeprefix("verify_"), params, translator("zh-CN"), zone=_site_zone()
        )
    if code == "plan_failed":  # a plan job that ended without a plan: its failure's words
        from api.job_words import plan_failed_words
        from api.web.i18n import translator

        return plan_failed_words(params, translator("zh-CN"))
    values = {k: _value(v) for k, v in params.items()}
    if "expected" in values:  # pydantic's choices: `'pcr' or 'antigen'`, said by their names
        values["expected"] = choices_said(_EXPECTED_SPLIT.split(values["expected"].strip("'\"")))
    for prefix in _CODE_PREFIXES:
        text = _zh().get(prefix + code)
        if text is None:
            continue
        try:
            return text.format(**values)
        except (KeyError, IndexError, ValueError):
            return None  # the page's words need params this error has not: said by its text
    return None


def _value(value: Any) -> str:
    if isinstance(value, list):
        return "、".join(_value(v) for v in value)
    if isinstance(value, dict) and "load_id" in value:
        return str(value["load_id"])
    return str(moment_words(value, _site_zone()))


def _site_zone() -> tzinfo | None:
    """The site's zone in a request (a time is said there); None outside one (in its own
    offset, api.moment_words)."""
    if not has_request_context():
        return None
    from api.respond import site_timezone

    return site_timezone()


def chinese(text: str) -> str:
    """`text` (an English problem text) in Chinese; itself when the catalogue has no words. A
    time it captures is written in the site's zone (api.moment_words)."""
    return _chinese_in(text, _site_zone())


@lru_cache(maxsize=4096)  # a batch's 200 problems say a few texts many times
def _chinese_in(text: str, zone: tzinfo | None) -> str:
    exact = _zh().get(text)
    if exact is not None:
        return exact
    for pattern, names, chinese_template in _templates():
        found = pattern.fullmatch(text)
        if found is not None and not _words_for_an_id(text, found):
            values = {name: _label(name, found.group(name), zone) for name in names}
            return chinese_template.format(**values)
    return text


# What "no {what}" captures: a kind of object the audit names and its id (`hub XW-LP`, `load
# "L-1"`, `plan 12`). Words instead of an id ("no load has this vehicle") are not an object:
# that template is not the text's, or "没有车次 has this vehicle" would be said.
_KIND_AND_ID = re.compile(r'(?P<kind>[a-z_]+) (?:"[^"]*"|“[^”]*”|[^\s"]+)')


def _words_for_an_id(text: str, found: re.Match[str]) -> bool:
    what = found.groupdict().get("what")
    if what is None or text != f"no {what}":
        return False
    shaped = _KIND_AND_ID.fullmatch(what)
    return shaped is None or "audit_target_" + shaped["kind"] not in _zh()


def _label(name: str, value: str, zone: tzinfo | None) -> str:
    prefix = _LABELS.get(name)
    if prefix is not None:
        return "、".join(_zh().get(prefix + part, part) for part in value.split(", "))
    if name == "what":  # "hub XW-LP", 'load "L-1"': the kind of object by the audit's noun
        kind, _, rest = value.partition(" ")
        noun = _zh().get("audit_target_" + kind)
        return f"{noun} {rest}".strip() if noun else value
    rate = _RATE.fullmatch(value) if name == "limit" else None
    if rate is not None:
        return f"每 {rate[2]} {_UNITS[rate[3]]}最多 {rate[1]} 次"
    if name == "query_fields":  # "date, limit": 日期（date）、每页条数（limit）
        return "、".join(_query_field(part) for part in value.split(", "))
    if name == "reason":  # pydantic's reason ("input is too short"), said when known
        return _chinese_in(value, zone)
    if (
        name == "choices"
    ):  # pydantic's `"a", "b" or "c"`: 医疗物资（medical_supplies）、…或其他（other）
        return choices_said(_CHOICE_SPLIT.split(value.strip('"')))
    return str(moment_words(value, zone))


def _query_field(name: str) -> str:
    words = _zh().get("query_field_" + name)
    return f"{words}（{name}）" if words else name


# The code families a choice can come from, by their label prefixes in the catalogue.
_CHOICE_LABELS = (
    *("cat_", "temp_", "test_", "result_", "code_", "kind_", "status_", "role_", "load_"),
    "report_kind_",
)
# `a", "b" or "c` (pydantic's, its outer quotes gone) or `a, b, c` (a service's list)
_CHOICE_SPLIT = re.compile(r'", "|" or "|, | or ')
# pydantic's `expected` of an enum or literal error, its outer quotes gone: `a', 'b' or 'c`
_EXPECTED_SPLIT = re.compile(r"""['"], ['"]|['"] or ['"]| or """)


def choices_said(codes: list[str]) -> str:
    """The accepted values of a choice in Chinese: each code's Chinese name with the code (what
    the request must send) in brackets, `、` between and `或` before the last; a code without a
    name is quoted as it is."""
    catalogue = _zh()
    words = []
    for code in codes:
        name = next((catalogue[p + code] for p in _CHOICE_LABELS if p + code in catalogue), None)
        words.append(f"{name}（{code}）" if name else f"“{code}”")
    if len(words) < 2:
        return "".join(words)
    return "、".join(words[:-1]) + "或" + words[-1]


@cache
def _templates() -> list[tuple[re.Pattern[str], list[str], str]]:
    """The catalogue's problem templates as patterns, the longest fixed text first (so that
    `'no relay proposal {id} awaiting your answer'` wins over `'no relay proposal {id}'`)."""
    compiled = []
    from api.web import problem_messages

    for english, chinese_text in problem_messages.ZH.items():
        names = _PLACEHOLDER.findall(english)
        if not names:
            continue
        parts = _PLACEHOLDER.split(english)
        regex = "".join(
            re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)
        )
        fixed = sum(len(p) for p in parts[::2])
        compiled.append((fixed, re.compile(regex, re.DOTALL), names, chinese_text))
    compiled.sort(key=lambda c: -c[0])
    return [(pattern, names, text) for _, pattern, names, text in compiled]
