"""Chinese text takes the full-width colon "：": no ASCII ":" after a Chinese character in the zh
catalogue, and no ASCII ":" written by a template or a page module after a translated label (the
colon is the catalogue's `colon`: "：" in Chinese, ": " in English)."""

from __future__ import annotations

import re
from pathlib import Path

from api.web.messages import EN, ZH

WEB = Path(__file__).resolve().parents[2] / "api" / "web"
CJK_THEN_ASCII_COLON = re.compile(r"[\u4e00-\u9fff\u3001-\u303f\uff01-\uff5e]\s*:(?!//)")
# `{{ _("Slot") }}: ` in a template: a translated label with a hard-coded colon after it.
LABEL_THEN_COLON = re.compile(r"_\((?:[^()]|\([^()]*\))*\)\s*\}\}\s*:")
# `translate(...) + ": "` or f"{label}: {value}" (any placeholder: f"{e.field}: {e.message}")
# in a page module.
CODE_THEN_COLON = re.compile(r"""translate\([^)]*\)\s*\+\s*": |f"[^"]*\{[^}]*\}: """)


def test_the_zh_catalogue_has_no_ascii_colon_after_a_chinese_character():
    bad = {key: text for key, text in ZH.items() if CJK_THEN_ASCII_COLON.search(text)}
    assert not bad, f"use the full-width colon ：in {bad}"


def test_the_colon_is_full_width_in_chinese_and_ascii_in_english():
    assert ZH["colon"] == "：" and EN["colon"] == ": "


def test_no_template_writes_an_ascii_colon_after_a_translated_label():
    bad = [
        f"{path.name}:{number}: {line.strip()}"
        for path in sorted((WEB / "templates").rglob("*.html"))
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if LABEL_THEN_COLON.search(line)
    ]
    assert not bad, "write {{ _('colon') }} instead of ':' after a label:\n" + "\n".join(bad)


def test_no_page_module_joins_a_label_and_a_value_with_an_ascii_colon():
    bad = [
        f"{path.name}:{number}: {line.strip()}"
        for path in sorted(WEB.glob("*.py"))
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if CODE_THEN_COLON.search(line)
    ]
    assert not bad, "use translate('colon') between a label and its value:\n" + "\n".join(bad)
