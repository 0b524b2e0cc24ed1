"""The rule catalogue: every hard rule (H1-H11) and objective term (S1-S5) once, hard rules first.

Each rule id here must have a verifier check (`hub_scheduler.verify.CHECKS`), a CP-SAT model
function (`hub_scheduler.solver.cpsat_model.RULES`), a passing and a failing test
(`@pytest.mark.rule(id, "holds" | "broken")`) and a line in `docs/rules.md`; the functions name
their rule by putting its id first in their docstring. `tests/unit/test_rules_catalogue.py` fails
when any of these is missing, so adding a rule starts here (see docs/architecture.md).
Source: DESIGN.md "Rules" and docs/rules.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class RuleKind(StrEnum):
    HARD = "hard"  # a plan that breaks it is never published
    SOFT = "soft"  # a term of the minimized objective


@dataclass(frozen=True)
class Rule:
    id: str  # "H1".."H11", "S1".."S5": the id messages, checks and tests use
    title: str
    kind: RuleKind


RULES: tuple[Rule, ...] = (
    Rule("H1", "zone match", RuleKind.HARD),
    Rule("H2", "active hubs only", RuleKind.HARD),
    Rule("H3", "one truck per dock, disinfected between trucks", RuleKind.HARD),
    Rule("H4", "time windows", RuleKind.HARD),
    Rule("H5", "opening hours and blocked windows", RuleKind.HARD),
    Rule("H6", "crews", RuleKind.HARD),
    Rule("H7", "contactless relay", RuleKind.HARD),
    Rule("H8", "site capacity", RuleKind.HARD),
    Rule("H9", "slot grid", RuleKind.HARD),
    Rule("H10", "pinned", RuleKind.HARD),
    Rule("H11", "eligibility", RuleKind.HARD),
    Rule("S1", "unscheduled", RuleKind.SOFT),
    Rule("S2", "weighted tardiness", RuleKind.SOFT),
    Rule("S3", "waiting", RuleKind.SOFT),
    Rule("S4", "stability", RuleKind.SOFT),
    Rule("S5", "travel", RuleKind.SOFT),
)

BY_ID: dict[str, Rule] = {r.id: r for r in RULES}
HARD_IDS: tuple[str, ...] = tuple(r.id for r in RULES if r.kind is RuleKind.HARD)
SOFT_IDS: tuple[str, ...] = tuple(r.id for r in RULES if r.kind is RuleKind.SOFT)


def rule_id_of(function: object) -> str:
    """The id a check or model function names first in its docstring ("H5 the span ..." -> "H5");
    "" when it has none."""
    doc = getattr(function, "__doc__", None) or ""
    words = doc.split()
    return words[0] if words else ""
