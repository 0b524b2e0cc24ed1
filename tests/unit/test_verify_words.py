"""The verifier's findings are codes and params, said at the edge: every code the verifier can emit
has `verify_<code>` words in Chinese and English, each kind renders in both languages with its
params (no `{placeholder}` left), and the English is the verifier's own sentence, word for word.
(Before: the verifier said English only, and the edge read each sentence back by regex.)"""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from api.verify_words import LABELS, finding_words
from api.web.i18n import translator
from api.web.messages import EN, ZH
from hub_scheduler.domain import HubStatus, LoadStatus, Temperature
from hub_scheduler.rules import HARD_IDS
from hub_scheduler.verify import FINDINGS, OBJECTIVE, STRUCTURE, Violation

VERIFY = Path(__file__).resolve().parents[2] / "hub_scheduler" / "verify"
EMITTED = re.compile(r'Violation(?:\.of)?\(\s*"(\w+)"')
CJK = re.compile(r"[\u4e00-\u9fff]")
# A param's sample value by its name: code values from their enums, counts, minutes, id lists.
CODED = {
    "temperature": Temperature.COLD,
    "zone_temperature": Temperature.AMBIENT,
    "hub_status": HubStatus.SUSPENDED,
    "load_status": LoadStatus.CANCELLED,
}
COUNTS = {"n", "crews", "cap", "slot", "gap"}
LISTS = {"loads": ["E01/L1", "E02/L2"], "checks": ["FEVER", "NO_SCREENING"]}


def emitted_codes() -> set[str]:
    """Every finding code the verifier's source creates (checks.py, objective.py)."""
    return {c for path in VERIFY.glob("*.py") for c in EMITTED.findall(path.read_text("utf-8"))}


def sample(code: str) -> Violation:
    """The finding `code` with a made-up value for each param its template names."""
    params: dict[str, object] = {}
    for _, name, spec, _ in string.Formatter().parse(FINDINGS[code][1]):
        if not name:
            continue
        if name in CODED:
            params[name] = CODED[name].value
        elif name in LISTS:
            params[name] = LISTS[name]
        elif name in COUNTS:
            params[name] = 3
        elif spec == "g":
            params[name] = 12.5
        else:
            params[name] = f"{name.upper()}-1"
    return Violation(code, params)


def test_the_verifier_emits_exactly_the_findings_it_has_words_for():
    found = emitted_codes()
    assert len(found) > 30  # the scan finds them
    assert found == set(FINDINGS)


@pytest.mark.parametrize("code", sorted(FINDINGS))
def test_every_finding_has_words_in_both_languages(code):
    assert EN[f"verify_{code}"] == FINDINGS[code][1]  # the English is the verifier's template
    assert CJK.search(ZH[f"verify_{code}"])


@pytest.mark.parametrize("code", sorted(FINDINGS))
def test_each_finding_is_said_in_chinese_and_english_with_its_params(code):
    finding = sample(code)
    zh = finding_words(finding.code, finding.params, translator("zh-CN"))
    en = finding_words(finding.code, finding.params, translator("en"))
    labelled = finding.params.keys() & LABELS.keys()
    if not labelled:  # a code value is said by its label in English too ("Cold chain")
        assert en == str(finding) == finding.text
    for said in (zh, en):
        assert not re.search(r"[{}]", said), said
        for name, value in finding.params.items():
            if name in LABELS:
                continue  # said by its label, checked below
            if isinstance(value, list):
                shown = [str(v) for v in value]
            else:
                shown = [format(value, "g") if isinstance(value, float) else str(value)]
            assert all(v in said for v in shown), (name, said)
    assert CJK.search(zh) and not re.search(r"\b(load|hub|zone|dock)\b", zh), zh
    for name in labelled:
        key = LABELS[name] + finding.params[name]
        assert ZH[key] in zh and finding.params[name] not in zh, zh
        assert EN[key] in en
    if finding.params.get("loads"):
        assert "E01/L1、E02/L2" in zh and "E01/L1, E02/L2" in en


def test_a_finding_knows_its_rule_and_the_loads_it_names():
    rules = {rule for rule, _ in FINDINGS.values()}
    assert rules == {*HARD_IDS, STRUCTURE, OBJECTIVE}
    assert all(template.startswith(rule + " ") for rule, template in FINDINGS.values())
    overlap = Violation.of(
        "dock_overlap", dock="D1", hub="H1", first="L1", second="L3", until="t1", start="t0"
    )
    assert overlap.rule == "H3" and overlap.loads == ["L1", "L3"]
    assert str(overlap) == (
        "H3 dock D1 at hub H1: L1 and L3 overlap (L1 holds it until t1, L3 starts t0)"
    )
    crews = sample("crews_overbooked")
    assert crews.loads == ["E01/L1", "E02/L2"]


def test_a_finding_without_its_params_or_with_an_unknown_code_fails_at_once():
    with pytest.raises(KeyError):
        Violation.of("dock_overlap", dock="D1")
    with pytest.raises(KeyError):
        Violation.of("no_such_finding")
