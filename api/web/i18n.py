"""The pages' language: zh-CN by default, English by Accept-Language or the visible switch.

A tiny gettext-like catalogue: messages are written in English in the templates (`_("Sign in")`)
and looked up in `messages.ZH`; a missing translation falls back to the English text. Coded
values (`cat_energy`) have English labels in `messages.EN`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from flask import g, request

from api.web.messages import EN, ZH

if TYPE_CHECKING:
    from hub_scheduler.errors import HubSchedulerError

LANGUAGES = {"zh-CN": "中文", "en": "English"}
DEFAULT_LANGUAGE = "zh-CN"
COOKIE = "hub_lang"


def negotiated_language() -> str:
    """The switch's cookie wins; else the best of Accept-Language; else zh-CN."""
    chosen = request.cookies.get(COOKIE)
    if chosen in LANGUAGES:
        return chosen
    best = request.accept_languages.best_match(["zh-CN", "zh", "en"], default=DEFAULT_LANGUAGE)
    return "en" if best == "en" else "zh-CN"


def current_language() -> str:
    if "hub_lang" not in g:
        g.hub_lang = negotiated_language()
    return g.hub_lang


def translator(language: str) -> Callable[..., str]:
    """`translate` for a fixed `language` ("zh-CN" or "en"), for work outside a page's language
    (an API download asked with `?lang=`) and for the domain's writers that take a callable."""
    catalogue = ZH if language == "zh-CN" else EN

    def translate_to(message: str, /, **values: object) -> str:
        text = catalogue.get(message, message)
        return text.format(**values) if values else text

    return translate_to


def translate(message: str, /, **values: object) -> str:
    """The message in the page's language, with `{name}` placeholders filled in."""
    return translator(current_language())(message, **values)


def query_field(name: str) -> str:
    """A query parameter as a page's error names it: `date` -> 日期 (English: `date`, as the
    address holds it); a name without words as it is."""
    key = "query_field_" + name
    return translate(key) if key in EN else name


def field_problems(exc: HubSchedulerError, prefix: str) -> str:
    """A refused form's field problems in the page's language, joined: `<prefix><code>` with the
    error's params (a code without a text keeps the service's English message); the error's
    title when it names no field."""
    said = []
    for error in exc.errors:
        key = prefix + error.code if error.code else None
        text = translate(key, **(error.params or {})) if key else error.message
        said.append(error.message if text == key else text)
    return "；".join(said) if said else translate(exc.title)
