"""Every key an audit entry's details may hold has a label on the audit page, and every code or
status such a detail may say has its words. The keys are read from the services' source: each
call writing an entry (`record`, `audit.entry`, `gate.move_load`) and the dicts it is given, by
literal, by a local name built up in the same function (`details = {...}`, `details["end"] =`,
`details |= {...}`, `**params`), or by a model's fields where an entry is a model's dump. A new
key without a label fails here, naming the action's file and line."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from api.web.audit_messages import LABELS
from api.web.messages import EN, ZH
from hub_scheduler.domain import Enterprise, HubStatus, LoadStatus, ScreeningPolicy, Transfer
from hub_scheduler.records import ProposalStatus, ReportKind, TransferProposal

SERVICES = Path(__file__).resolve().parents[2] / "hub_scheduler" / "services"
# The call writing an entry -> the position of its details argument.
WRITERS = {"record": 5, "audit_entry": 4, "move_load": 5}
# Entries written as a model's dump, or a model's changed fields (enterprise.update,
# site.screening).
MODEL_KEYS = {
    "transfer.create": set(Transfer.model_fields),
    "transfer.propose": set(TransferProposal.model_fields),
    "transfer.confirm": set(TransferProposal.model_fields),
    "enterprise.update": set(Enterprise.model_fields) - {"id"},
    "site.screening": set(ScreeningPolicy.model_fields),  # {"changed": {field: {from, to}}}
}
# The codes said as a sentence (`audit_reason_<code>`): a repair's `code` and a shift's `cause`
# (services/repair.py, gate.py), a hold's (incidents.py), a system-made window's (block_reasons).
CODES = [
    "LATE_ARRIVAL",
    "ETA_CHANGED",
    "DOCK_BLOCKED",
    "NO_SLOT_LEFT",
    "DEADLINE_PASSED",
    "SHIFTED_FOR_REPAIR",
    "DOCK_STILL_IN_USE",
    "LATE_START",
    "DOCK_TAKEN_BY_LATE_START",
    "RUN_OVERLAPS_SLOT",
    "DOCK_TAKEN_BY_RUN",
    "MOVED_FOR_STARTED_RUN",
    "RELAY_OF_POSITIVE",
    "POSITIVE_CASE",
    "DEEP_DISINFECTION",
]


def _keys_of(node: ast.AST | None, scope: ast.AST, module: ast.Module, seen: set) -> set[str]:
    """The string keys a details expression may hold, nested dicts' keys too."""
    if node is None or id(node) in seen:
        return set()
    seen.add(id(node))
    keys: set[str] = set()
    if isinstance(node, ast.Dict):
        for key, value in zip(node.keys, node.values, strict=True):
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                keys.add(key.value)
            keys |= _keys_of(value, scope, module, seen)  # **params, or a nested dict
    elif isinstance(node, ast.BinOp | ast.BoolOp | ast.IfExp):
        for child in ast.iter_child_nodes(node):
            keys |= _keys_of(child, scope, module, seen)
    elif isinstance(node, ast.Name | ast.Attribute):
        name = node.id if isinstance(node, ast.Name) else node.attr
        # a local name: its assignments in the function; an attribute (`repair.params`): the
        # assignments to that name anywhere in the module
        where = scope if isinstance(node, ast.Name) else module
        for found in ast.walk(where):
            if isinstance(found, ast.Assign | ast.AnnAssign | ast.AugAssign):
                targets = found.targets if isinstance(found, ast.Assign) else [found.target]
                for target in targets:
                    if isinstance(target, ast.Name) and target.id == name:
                        keys |= _keys_of(found.value, scope, module, seen)
                    if (
                        isinstance(target, ast.Subscript)
                        and isinstance(target.value, ast.Name)
                        and target.value.id == name
                        and isinstance(target.slice, ast.Constant)
                    ):
                        keys.add(target.slice.value)
    return keys


def _action(call: ast.Call) -> str:
    for arg in call.args:
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and "." in arg.value:
            return arg.value
    return "?"


def written_keys() -> dict[str, set[str]]:
    """'file:line action' -> the keys its entry's details may hold."""
    found: dict[str, set[str]] = {}
    for path in sorted(SERVICES.glob("*.py")):
        module = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(module):
            if not isinstance(function, ast.FunctionDef):
                continue
            for call in ast.walk(function):
                if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)):
                    continue
                at = WRITERS.get(call.func.id)
                if at is None:
                    continue
                details = next((k.value for k in call.keywords if k.arg == "details"), None)
                if details is None and len(call.args) > at:
                    details = call.args[at]
                where = f"{path.name}:{call.lineno} {_action(call)}"
                found[where] = _keys_of(details, function, module, set())
                if call.func.id == "record" and function.name == "succeed_job":
                    found[where] |= _succeed_job_keywords()
    return found


def _succeed_job_keywords() -> set[str]:
    """`succeed_job(..., **details)`: the keywords its callers pass."""
    keys = set()
    for path in SERVICES.glob("*.py"):
        for call in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(call, ast.Call) and getattr(call.func, "id", "") == "succeed_job":
                keys |= {k.arg for k in call.keywords if k.arg}
    return keys


def test_the_scan_finds_the_entries_and_their_keys():
    """The scan itself: it sees the writers, literal keys, built-up names and a repair's params."""
    found = written_keys()
    assert len(found) >= 40, sorted(found)
    keys = set().union(*found.values())
    for key in ("time_limit_s", "planned_start", "new_dock", "tried", "at", "end", "zone_id"):
        assert key in keys, key
    for key in ("for_load", "shift_minutes", "source_load_id", "failed_checks", "parts"):
        assert key in keys, key


def test_every_key_an_audit_entry_may_hold_has_a_label():
    missing = {where: sorted(keys - LABELS.keys()) for where, keys in written_keys().items()} | {
        action: sorted(keys - LABELS.keys()) for action, keys in MODEL_KEYS.items()
    }
    assert {where: keys for where, keys in missing.items() if keys} == {}


@pytest.mark.parametrize("code", CODES)
def test_every_reason_code_an_entry_keeps_is_said_as_a_sentence(code):
    assert EN[f"audit_reason_{code}"] and ZH[f"audit_reason_{code}"] != EN[f"audit_reason_{code}"]


def test_every_status_and_kind_a_detail_says_has_its_words():
    words = [f"load_{s.value}" for s in LoadStatus] + [f"status_{s.value}" for s in HubStatus]
    words += [f"audit_proposal_{s.value}" for s in ProposalStatus]
    words += [f"report_kind_{k.value}" for k in ReportKind]
    words += ["audit_kind_value_relay_inbound", "audit_kind_value_relay_outbound"]
    assert [w for w in words if w not in ZH or ZH[w] == EN.get(w)] == []


def test_every_entry_check_a_rejection_keeps_has_a_short_label():
    checks = [key.removeprefix("check_") for key in EN if key.startswith("check_")]
    checks = [c for c in checks if c.isupper()]
    assert checks and [c for c in checks if f"audit_check_{c}" not in ZH] == []
