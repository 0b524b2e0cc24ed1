"""`hub-scheduler verify` speaks as the rest of the command does: Chinese by default, each finding
said by the catalogue's words for its code with its params (loads, hubs, times kept as written, a
temperature class or status by its label); English by switch, the verifier's own words.
(Before: the findings were printed in English whatever the language; then read back from that
English by regex. Now the verifier gives each finding's code and params.)"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from servers import run_cli

from api.web.messages import ZH
from hub_scheduler.scenario_file import read_scenario, write_schedule
from hub_scheduler.solver import solve
from hub_scheduler.verify import verify

REPO = Path(__file__).resolve().parents[2]
XUNWU = REPO / "fixtures" / "xunwu.json"
_ENGLISH_RUN = re.compile(r"\b[A-Za-z]{2,}(?: [A-Za-z]{2,}){1,}\b")  # two English words or more


@pytest.fixture(scope="module")
def broken(tmp_path_factory) -> Path:
    """A solved Xunwu day broken four ways: two trucks on one dock at once (H3), a cold truck in
    an ambient zone (H1), a truck before its release (H4), a hub that does not exist (STRUCTURE)."""
    out = tmp_path_factory.mktemp("verify") / "schedule.json"
    write_schedule(solve(read_scenario(XUNWU), time_limit_s=2, workers=1), out)
    schedule = json.loads(out.read_text(encoding="utf-8"))
    scenario = json.loads(XUNWU.read_text(encoding="utf-8"))
    temperature = {ld["id"]: ld["temperature"] for ld in scenario["loads"]}
    placed = schedule["assignments"]
    first, second = placed[:2]
    second.update({k: first[k] for k in ("hub_id", "zone_id", "dock_id", "start", "end")})
    cold = next(a for a in placed[2:] if temperature[a["load_id"]] == "cold")
    ambient = next(a for a in placed[2:] if temperature[a["load_id"]] == "ambient")
    cold.update({k: ambient[k] for k in ("hub_id", "zone_id", "dock_id")})
    early = next(a for a in placed[2:] if a not in (cold, ambient))
    for key in ("start", "end", "disinfected_at"):
        early[key] = (datetime.fromisoformat(early[key]) - timedelta(days=1)).isoformat()
    placed[-1]["hub_id"] = "NOWHERE"
    out.write_text(json.dumps(schedule), encoding="utf-8")
    return out


def test_every_finding_of_the_verifier_carries_its_code_and_words(broken):
    scenario = read_scenario(XUNWU)
    from hub_scheduler.scenario_file import read_schedule

    report = verify(scenario, read_schedule(broken))
    codes = {v.code for v in report.violations}
    assert {"dock_overlap", "wrong_temperature", "before_release", "unknown_hub"} <= codes
    assert all(f"verify_{code}" in ZH for code in codes)


def test_verify_says_its_findings_in_chinese_by_default(broken):
    checked = run_cli("verify", str(XUNWU), str(broken), lang="zh-CN")
    assert checked.returncode == 1
    lines = checked.stdout.strip().splitlines()
    assert lines and all(re.search(r"[\u4e00-\u9fff]", line) for line in lines)
    assert [line for line in lines if _ENGLISH_RUN.search(line)] == []
    assert any(re.fullmatch(r"H3 场站 \S+ 的车位 \S+：\S+ 与 \S+ 时间重叠（.+）", x) for x in lines)
    assert any(re.fullmatch(r"H1 车次 \S+ 为冷链，但场站 \S+ 的温区 \S+ 为常温", x) for x in lines)
    assert "处违反规则" in checked.stderr


def test_verify_speaks_english_by_switch(broken):
    checked = run_cli("verify", str(XUNWU), str(broken), lang="en")
    assert checked.returncode == 1
    assert any(line.startswith("H3 dock ") for line in checked.stdout.splitlines())
    assert "违反" not in checked.stdout
