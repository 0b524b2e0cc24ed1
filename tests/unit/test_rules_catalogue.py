"""The rule catalogue ties the verifier, the CP-SAT model, the eligibility pre-checks, the tests and
docs/rules.md together: a rule added to `hub_scheduler.rules` without its check, its model function,
its pair of tests or its line in the docs fails here, by name."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import test_rules_hard
import test_rules_soft
import test_verify
import test_verify_h6_and_later
from builders import assign, make_load, make_scenario, make_schedule

from hub_scheduler.rules import HARD_IDS, RULES, SOFT_IDS, RuleKind, rule_id_of
from hub_scheduler.solver import cpsat_model, eligibility
from hub_scheduler.verify import CHECKS, index_plan, objective_terms

DOCS = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
RULE_ID = re.compile(r"^[HS]\d+$")
TEST_MODULES = (test_rules_hard, test_rules_soft, test_verify, test_verify_h6_and_later)


def catalogue_ids(kind: RuleKind | None = None) -> set[str]:
    return {r.id for r in RULES if kind is None or r.kind is kind}


def marked_tests() -> dict[str, set[str]]:
    """Rule id -> the outcomes ("holds", "broken") its marked tests show."""
    found: dict[str, set[str]] = defaultdict(set)
    for module in TEST_MODULES:
        for name, function in vars(module).items():
            if not name.startswith("test_"):
                continue
            for mark in getattr(function, "pytestmark", []):
                if mark.name == "rule":
                    rule_id, outcome = mark.args
                    found[rule_id].add(outcome)
    return found


def test_the_catalogue_lists_each_rule_once_hard_rules_first():
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    assert all(RULE_ID.match(i) for i in ids)
    assert ids == [*HARD_IDS, *SOFT_IDS]
    assert all(r.id.startswith("H") == (r.kind is RuleKind.HARD) for r in RULES)
    assert all(r.title for r in RULES)


def test_every_hard_rule_has_a_verifier_check_and_every_check_names_a_known_rule():
    ids = [rule_id_of(check) for check in CHECKS]
    named = {i for i in ids if RULE_ID.match(i)}
    assert catalogue_ids(RuleKind.HARD) - named == set(), "hard rules without a verifier check"
    assert named - catalogue_ids() == set(), "verifier checks of rules not in the catalogue"
    assert set(ids) - named <= {"STRUCTURE", "OBJECTIVE"}


def test_the_verifier_recomputes_exactly_the_catalogues_objective_terms():
    s = make_scenario(loads=[make_load("A")])
    plan = index_plan(s, make_schedule(s, [assign(s, "A", 0)]))
    assert set(objective_terms(plan)) == catalogue_ids(RuleKind.SOFT)


def test_every_rule_and_term_has_a_model_function_and_no_function_names_an_unknown_one():
    ids = [rule_id_of(f) for f in cpsat_model.RULES]
    assert catalogue_ids() - set(ids) == set(), "rules without a CP-SAT model function"
    assert set(ids) - catalogue_ids() == set(), "model functions of rules not in the catalogue"
    hard = [i for i in ids if i in catalogue_ids(RuleKind.HARD)]
    assert ids[: len(hard)] == hard, "hard rules come first in the model"


def test_every_eligibility_pre_check_names_catalogued_rules():
    checks = [*eligibility.PRE_CHECKS, eligibility.some_opening_fits]
    for check in checks:
        named = re.findall(r"\b[HS]\d+\b", check.__doc__.split(" the ")[0])
        assert named and set(named) <= catalogue_ids(), check.__name__


def test_every_rule_has_a_test_that_it_holds_and_a_test_that_catches_it_broken():
    found = marked_tests()
    missing = {
        r.id: sorted({"holds", "broken"} - found.get(r.id, set()))
        for r in RULES
        if {"holds", "broken"} - found.get(r.id, set())
    }
    assert missing == {}, "mark them @pytest.mark.rule(id, 'holds' | 'broken')"
    assert set(found) <= catalogue_ids()


def test_docs_rules_md_lists_exactly_the_catalogue():
    text = DOCS.read_text(encoding="utf-8")
    hard = set(re.findall(r"^- (H\d+) ", text, flags=re.M))
    soft = set(re.findall(r"^(S\d+) +=", text, flags=re.M))
    assert hard == catalogue_ids(RuleKind.HARD)
    assert soft == catalogue_ids(RuleKind.SOFT)
