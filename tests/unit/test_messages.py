"""The pages' catalogue: every message a page can show has a Chinese text (tests fail on a gap).

Message ids are found where the pages use them: `_("...")` in the templates (both branches of a
`_("a" if x else "b")`), `translate("...")` in the page modules, and the coded families
(`_("cat_" ~ value)`) by the enums whose values they take.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from api.web.audit import ACTION_KINDS
from api.web.messages import EN, PHASES, ZH
from hub_scheduler import domain, screening
from hub_scheduler.domain import (
    REASON_DETAILS,
    CargoCategory,
    HealthCode,
    HubKind,
    HubStatus,
    LoadStatus,
    PlanStatus,
    ReasonCode,
    Temperature,
)
from hub_scheduler.records import JobStatus, ReportKind, ReportStatus, Role
from hub_scheduler.services.job_failures import CODES as JOB_FAILURES
from hub_scheduler.services.plan_changes import MoveReason
from hub_scheduler.services.users import CODES
from hub_scheduler.sheets.timetable import SHIFTS
from tests.unit.latin_words import english_words

WEB = Path(__file__).resolve().parents[2] / "api" / "web"
LITERAL = r"""(?P<q>["'])(?P<id>(?:(?!(?P=q)).)*)(?P=q)"""
# _("id", ...) / _("id" if x else "other") / translate("id", ...): the first literal of a call
CALL = re.compile(r"(?:\b_|\btranslate)\(\s*" + LITERAL + r"\s*(?P<next>[,)~]|if\b)")
ELSE = re.compile(r"\belse\s+" + LITERAL + r"\s*[,)]")
CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")


def _error_classes() -> list[type]:
    from hub_scheduler import errors

    root = errors.HubSchedulerError
    return [
        root,
        *(c for c in vars(errors).values() if isinstance(c, type) and issubclass(c, root)),
    ]


# The coded families the pages translate, and every value each can take.
FAMILIES = {
    "cat_": CargoCategory,
    "temp_": Temperature,
    "status_": HubStatus,
    "kind_": HubKind,
    "load_": LoadStatus,
    "solver_": PlanStatus,
    "reason_": ReasonCode,
    "job_": JobStatus,
    "role_": Role,
    "test_": domain.TestType,  # (not imported by name: pytest would collect Test* classes)
    "result_": domain.TestResult,
    "code_": HealthCode,
    "shift_": [s.code for s in SHIFTS],
    "relay_": ["inbound_for", "outbound_after"],
    "token_": ["active", "expired", "revoked"],
    # The gate and the command centre (api/web/gate.py, command.py, their templates)
    # every FailedCheck code screening.py can give (read from its source: a new one needs text)
    "check_": sorted(
        set(re.findall(r'FailedCheck\(\s*"([A-Z_]+)"', Path(screening.__file__).read_text("utf-8")))
    ),
    "step_": ["start", "complete", "no_show"],
    "done_": ["start", "complete", "no_show"],
    "action_": ["check_in", "start", "complete", "no_show"],
    "contact_": [
        "same_dock_after",
        "same_zone_same_time",
        "relay_outbound",
        "relay_inbound",
    ],
    "times_": ["actual", "planned"],
    "user_err_": list(CODES),
    "audit_kind_": ACTION_KINDS,
    "audit_target_": ACTION_KINDS,
    "public_status_": HubStatus,
    # Why a load has no slot, by the solver's detail code (hub_scheduler/reason_words.py), and
    # the variants reason_words picks by the params
    "audit_reason_": ["DEEP_DISINFECTION", "POSITIVE_CASE", "TIMELINE_PAGE", *JOB_FAILURES],
    # why a plan job failed (api/job_words.py): its reason, and a demo plan's Conflict
    "job_err_": [*JOB_FAILURES, "ended"],
    # every status a service error has (hub_scheduler/errors.py), for the HTML error page
    "error_": sorted({str(c.status) for c in _error_classes()} | {"400", "413", "429", "503"}),
    "why_": sorted(
        REASON_DETAILS | {"capacity_held_more", "inbound_not_in_plan", "hub_closed_note"}
    ),
    "report_kind_": ReportKind,
    "report_status_": ReportStatus,
    # what moved and why after a re-plan (services/plan_changes.py), the timeline's bad values
    "moved_": MoveReason,
    "view_err_": [
        "bad_date",
        "bad_hour",
        "hours_order",
        "bad_zoom",
        "unknown_hub",
        "day_outside",
        "bad_plan",
        "bad_choice",
    ],
}


def used_ids() -> dict[str, str]:
    """Every literal message id the pages use -> the file it was first seen in."""
    found: dict[str, str] = {}
    files = [*WEB.glob("templates/*.html"), *WEB.glob("*.py")]
    for path in files:
        text = path.read_text("utf-8")
        for match in CALL.finditer(text):
            if match["next"] == "~":  # a coded family, checked by FAMILIES
                continue
            found.setdefault(match["id"], path.name)
            tail = text[match.end() : match.end() + 400]
            if match["next"].startswith("if"):
                other = ELSE.search(tail)
                if other:
                    found.setdefault(other["id"], path.name)
    return found


def test_the_scan_finds_the_pages_messages():
    ids = used_ids()
    assert len(ids) > 150, "the scan finds the templates' messages"
    assert {"Sign in", "Dock timetables", "{n} crews", "Suspend"} <= set(ids)


def test_every_message_a_page_uses_has_a_chinese_text():
    ids = used_ids().items()
    missing = sorted(f"{name}: {message!r}" for message, name in ids if message not in ZH)
    assert missing == [], "add these to api/web/messages.py (ZH):\n" + "\n".join(missing)


@pytest.mark.parametrize("prefix", sorted(FAMILIES))
def test_every_value_of_a_coded_family_has_chinese_and_english(prefix):
    values = [getattr(v, "value", v) for v in FAMILIES[prefix]]
    missing = [prefix + v for v in values if prefix + v not in ZH or prefix + v not in EN]
    assert missing == []


def test_every_phase_the_solver_reports_has_a_label():
    # report("<phase>", ...) in the solver: shown on the progress line while a job runs
    root = WEB.parents[1] / "hub_scheduler" / "solver"
    found = {
        m
        for p in root.rglob("*.py")
        for m in re.findall(r'report\("([a-z_]+)"', p.read_text("utf-8"))
    }
    assert {"construct", "improve", "cpsat"} <= found
    assert sorted(f"phase_{p}" for p in found if f"phase_{p}" not in PHASES) == []


def test_every_phase_and_english_label_has_chinese():
    assert sorted(k for k in PHASES if k not in ZH) == []
    assert sorted(k for k in EN if k not in ZH) == []


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_chinese_texts_are_chinese_and_keep_the_english_placeholders():
    problems = []
    for key, text in ZH.items():
        if not CJK.search(text):
            problems.append(f"{key!r}: {text!r} has no Chinese")
        # No value the English shows may be lost (the Chinese may name more: a sheet problem
        # carries its values whether the English text uses them or not).
        lost = placeholders(EN.get(key, key)) - placeholders(text)
        if lost:
            problems.append(f"{key!r}: the Chinese drops {sorted(lost)}")
    assert problems == []


def test_chinese_texts_say_no_english_words_but_identifiers():
    # Every message of the one catalogue (pages, problems, reasons, the command line) in zh-CN:
    # values ({placeholders}), codes, field names and product names may stay as they are.
    english = {key: english_words(text) for key, text in ZH.items()}
    assert {key: words for key, words in english.items() if words} == {}


def test_every_audit_action_the_services_write_has_a_label_in_both_languages():
    # Every "kind.verb" literal in the domain whose kind is one the audit page filters on, but for
    # the event types of the webhooks (named alike, never audit actions).
    from hub_scheduler.services.events import EVENT_TYPES

    root = WEB.parents[1] / "hub_scheduler"
    literal = re.compile(r'"((?:' + "|".join(ACTION_KINDS) + r')\.[a-z_]+)"')
    found = {m for path in root.rglob("*.py") for m in literal.findall(path.read_text("utf-8"))}
    actions = found - set(EVENT_TYPES)
    assert {"load.create", "plan.publish", "user.create", "hub.block"} <= actions
    missing = sorted(a for a in actions if f"audit_{a}" not in ZH or f"audit_{a}" not in EN)
    assert missing == [], "add these to api/web/account_messages.py"
