"""The command line's language: Simplified Chinese first, English by switch.

The language is, first to last: `hub-scheduler --lang en|zh-CN ...`, else the environment
(`HUB_SCHEDULER_LANG`, then the locale's `LC_ALL`, `LC_MESSAGES`, `LANG`: a value starting with
`en` is English, with `zh` Chinese; `C`, `POSIX` and empty say nothing), else zh-CN.

Words come from the pages' one catalogue (`api.web.messages`, fed by `api/web/cli_messages.py`):
messages are English ids said through `say("...", **values)`, as the pages' `_()`. What a command
prints for programs (tokens, passwords, ids, URLs, JSON, role codes) is never translated; only
the words around it. Help texts (docstrings, option help) are said when `--help` is shown
(`SaidCommand`, `SaidGroup`), and click's own words (`Usage:`, `Error: ...`) through its gettext
hook (`install_click_words`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from hub_scheduler.errors import HubSchedulerError

LANGUAGES = ("zh-CN", "en")
DEFAULT_LANGUAGE = "zh-CN"
ENVIRONMENT = ("HUB_SCHEDULER_LANG", "LC_ALL", "LC_MESSAGES", "LANG")
_chosen: str | None = None  # by --lang, for this process


def language_of(value: str | None) -> str | None:
    """ "en_US.UTF-8" -> "en", "zh_CN.UTF-8" / "zh-CN" / "zh" -> "zh-CN"; None for anything
    else (`C.UTF-8`, `POSIX`, empty)."""
    value = (value or "").strip().lower()
    if value.startswith("en"):
        return "en"
    if value.startswith("zh"):
        return "zh-CN"
    return None


def environment_language(environ: dict[str, str] | None = None) -> str:
    """The language the environment asks for; zh-CN when it asks for none."""
    environ = dict(os.environ) if environ is None else environ
    for name in ENVIRONMENT:
        chosen = language_of(environ.get(name))
        if chosen is not None:
            return chosen
    return DEFAULT_LANGUAGE


def cli_language() -> str:
    """ "zh-CN" or "en": `--lang` when given, else the environment's."""
    return _chosen or environment_language()


def choose(language: str | None) -> None:
    """Fix the language for this process (`--lang`); None goes back to the environment's."""
    global _chosen
    _chosen = language_of(language) if language else None


def say(message: str, /, **values: Any) -> str:
    """`message` (an English id) in the command line's language, `{name}`s filled in."""
    from api.web.i18n import translator  # api.web: the one catalogue

    return translator(cli_language())(message, **values)


def said_error(exc: HubSchedulerError) -> str:
    """A service error (English detail, field errors with codes) in the command line's language,
    as the API says it: the detail, then each field's problem on a line of its own."""
    if cli_language() != "zh-CN":
        return str(exc)
    from api.problem_words import chinese, said_fields

    lines = [chinese(exc.detail)]
    for error in said_fields([e.as_dict() for e in exc.errors], "zh-CN"):
        where = error.get("field") or ""
        lines.append(f"  {where}：{error['message']}" if where else f"  {error['message']}")
    return "\n".join(lines)


def width(text: str) -> int:
    """Columns `text` takes in a terminal: a Chinese character takes two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def short_help(text: str, limit: int = 45) -> str:
    """The first sentence of `text`, cut to about `limit` columns with "..." (the listing of a
    group's commands; Chinese counts two columns a character, as click's does not)."""
    for end in ("。", ". "):
        if end in text:
            text = text.split(end, 1)[0] + end.strip()
    if width(text) <= limit:
        return text
    cut = ""
    for char in text:
        if width(cut + char) > limit - 3:
            break
        cut += char
    return cut.rstrip(" ,，、") + "..."


def _plain(text: str) -> str:
    """A help text as its catalogue id: one line, single spaces (click rewraps it anyway)."""
    return " ".join(text.split())


@contextmanager
def _said_help(command: click.Command) -> Iterator[None]:
    """The command's and its options' help texts in the language while they are shown."""
    saved: list[tuple[Any, str | None]] = [(command, command.help)]
    saved += [(p, getattr(p, "help", None)) for p in command.params]
    try:
        for owner, text in saved:
            if text:
                owner.help = say(_plain(text))
        yield
    finally:
        for owner, text in saved:
            owner.help = text


class _Said:
    """Help texts said in the command line's language (mixed into click's Command and Group)."""

    def get_help(self, ctx: click.Context) -> str:
        with _said_help(self):  # type: ignore[arg-type]
            return super().get_help(ctx)  # type: ignore[misc]

    def get_short_help_str(self, limit: int = 45) -> str:
        english = self.short_help or self.help or ""  # type: ignore[attr-defined]
        if not english:
            return ""
        return short_help(say(_plain(english)), limit)


class SaidCommand(_Said, click.Command):
    pass


class SaidGroup(_Said, click.Group):
    command_class = SaidCommand
    group_class = type  # subgroups are SaidGroups too (click: `type` means this class)


def _click_gettext(message: str) -> str:
    return say(message)


def _click_ngettext(singular: str, plural: str, n: int) -> str:
    return say(singular if n == 1 else plural)


def install_click_words() -> None:
    """click's own words (`Usage:`, `Error: {message}`, `Missing option`...) through our
    catalogue: click calls gettext's `_`/`ngettext` where it says them, so those names in its
    modules are pointed at `say`."""
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.termui
    import click.types

    hooks: dict[str, Callable[..., str]] = {"_": _click_gettext, "ngettext": _click_ngettext}
    for module in (
        click.core,
        click.decorators,
        click.exceptions,
        click.formatting,
        click.parser,
        click.termui,
        click.types,
    ):
        for name, hook in hooks.items():
            if hasattr(module, name):
                setattr(module, name, hook)


def language_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """`--lang zh-CN|en` on the `hub-scheduler` group: read before anything else (eager), so
    that help, errors and output are all in it."""

    def chosen(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
        if value is not None:
            choose(value)

    return click.option(
        "--lang",
        type=click.Choice(LANGUAGES, case_sensitive=False),
        is_eager=True,
        expose_value=False,
        callback=chosen,
        help="Language of the output and help: zh-CN (default) or en; else HUB_SCHEDULER_LANG, "
        "LC_ALL or LANG.",
    )(func)
