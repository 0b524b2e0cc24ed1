"""English words left in a Chinese text: what remains once the identifiers a Chinese text may
carry are taken out (placeholders, codes, field names, paths, headers, product names).

The trial read "没有车次 has this vehicle" and "closed for disinfection" inside Chinese answers:
texts put together from an English literal and translated words. The tests of the catalogues
and of the services' texts said in Chinese use `english_words` to find any such leftover."""

from __future__ import annotations

import re

# Names a Chinese text keeps as they are: products, protocols, headers, commands, JSON values.
IDENTIFIERS = frozenset(
    {
        "Excel",
        "Unicode",
        "Webhook",
        "Webhooks",
        "Standard",  # "Standard Webhooks", the signature scheme's name
        "base64",
        "Redis",
        "SQLite",
        "gunicorn",
        "Accept",
        "Authorization",
        "Bearer",
        "Idempotency-Key",
        "Retry-After",
        "hub-scheduler",
        "db",
        "upgrade",  # hub-scheduler db upgrade
        "--password-stdin",
        "zh-CN",
        "en",
        "true",
        "false",
        "mailto",
        "http",
        "https",
    }
)
# Identifiers by their shape: placeholders ({name}, %(name)s, X1 for an f-string's value), text in
# backticks, a code before or in brackets beside its Chinese name (admin（指挥部…）, （cold）),
# snake_case, dotted or versioned names and paths (vehicle_plate, horizon.start, scenario@1,
# /api/v1/transfers, multipart/form-data), ISO times, and abbreviations in capitals (JSON, CSV,
# NUL, UTF-8, IANA, POST).
_SHAPES = re.compile(
    r"""\{[^}]*\}|%\(\w+\)s|X1|`[^`]*`|（[a-z_, ]+）|[a-z_]+(?=（)|<[^>]*>"""
    r"""|\d{4}-\d{2}-\d{2}T[\d:.+-]+"""
    r"""|[\w.-]*[_/.?=@][\w./?=@-]*"""
    r"""|\b[A-Z][A-Z0-9]+(?:-[A-Z0-9]+)*\b"""
)
_WORD = re.compile(r"-{0,2}[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*")
_NAMES = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(re.escape(n) for n in sorted(IDENTIFIERS, key=len, reverse=True))
    + r")(?![\w-])"
)


def english_words(text: str) -> list[str]:
    """The words of `text` that are English, not identifiers (an empty list for good Chinese)."""
    rest = _SHAPES.sub(" ", _NAMES.sub(" ", text))
    return [w for w in _WORD.findall(rest) if len(w.strip("-")) > 1]
