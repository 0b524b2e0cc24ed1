"""One Chinese word each for a dock and a zone on every page, export, error and catalogue: a dock
(one truck bay, DESIGN.md) is 车位 and a zone (one temperature class) is 温区, the words most pages,
the exports and docs/sheets.md use. The words other pages used for the same things are gone."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.web.messages import ZH

ROOT = Path(__file__).resolve().parents[2]
DOCK, ZONE = "车位", "温区"
# The same things under other names (泊位 and 月台 for a dock; 库区 and 作业区 for a zone).
LOSING = ("泊位", "月台", "库区", "作业区")


def _shipped_texts() -> list[tuple[str, str]]:
    files = [
        *(ROOT / "api").rglob("*.py"),
        *(ROOT / "api" / "web" / "templates").glob("*.html"),
        *(ROOT / "hub_scheduler").rglob("*.py"),
    ]
    texts = [(str(f.relative_to(ROOT)), f.read_text(encoding="utf-8")) for f in files]
    texts += [(f"ZH[{key!r}]", value) for key, value in ZH.items() if isinstance(value, str)]
    return texts


@pytest.mark.parametrize("term", LOSING)
def test_no_page_export_error_or_catalogue_names_a_dock_or_zone_by_another_word(term):
    found = [where for where, text in _shipped_texts() if term in text]
    assert not found, f"{term} (say {DOCK if term in ('泊位', '月台') else ZONE}) in {found}"


def test_the_catalogue_names_docks_and_zones_by_the_chosen_words():
    for key in ("Dock", "Zones", "Zone", "hubadmin_field_dock_id", "hubadmin_field_zone_id"):
        if key in ZH:
            word = DOCK if "ock" in key else ZONE
            assert word in ZH[key], (key, ZH[key])
