"""The demo day's names are Chinese only: no English gloss ("寻乌县物流园区 (county logistics
park)") on the hubs, the enterprises and the blocked windows' reasons, which every page, export
and XLSX sheet name shows. The schema has no English name field; ids stay the stable handles."""

from __future__ import annotations

import json
import re
from pathlib import Path

from hub_scheduler.demo_places import SHIPPERS, demo_hubs

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "xunwu.json"
LATIN = re.compile(r"[A-Za-z]")


def _texts(scenario: dict) -> dict[str, str]:
    texts = {f"hub {h['id']}": h["name"] for h in scenario["hubs"]}
    texts |= {f"enterprise {e['id']}": e["name"] for e in scenario["enterprises"]}
    for hub in scenario["hubs"]:
        for window in hub.get("blocked", []):
            texts[f"blocked {hub['id']}/{window['id']}"] = window.get("reason") or ""
    return texts


def test_the_demo_fixture_names_hubs_enterprises_and_closures_in_chinese_only():
    scenario = json.loads(FIXTURE.read_text(encoding="utf-8"))
    glossed = {where: text for where, text in _texts(scenario).items() if LATIN.search(text)}
    assert not glossed, f"English glosses in the Chinese demo data: {glossed}"
    assert scenario["hubs"][0]["name"] == "寻乌县物流园区"
    assert any(where.startswith("blocked") for where in _texts(scenario))


def test_the_generator_s_places_are_chinese_only_too():
    names = [h.name for h in demo_hubs()] + [s.enterprise.name for s in SHIPPERS]
    assert names and not [n for n in names if n and LATIN.search(n)]
