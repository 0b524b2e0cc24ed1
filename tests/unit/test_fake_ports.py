"""The unit of work's Protocols have one name per method, and both implementations match them."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import pytest

from hub_scheduler import ports
from models import repositories
from models.uow import SqlUnitOfWork
from tests.unit import fake_events, fake_loads, fakes
from tests.unit.fake_plans import FakePlanRepository

ROOT = Path(__file__).resolve().parents[2]

# repository attribute -> (Protocol, SQL adapter, fake)
REPOSITORIES = {
    "hubs": (ports.HubRepository, repositories.SqlHubRepository, fakes.FakeHubRepository),
    "enterprises": (
        ports.EnterpriseRepository,
        repositories.SqlEnterpriseRepository,
        fakes.FakeEnterpriseRepository,
    ),
    "loads": (ports.LoadRepository, repositories.SqlLoadRepository, fake_loads.FakeLoadRepository),
    "transfers": (
        ports.TransferRepository,
        repositories.SqlTransferRepository,
        fake_loads.FakeTransferRepository,
    ),
    "proposals": (
        ports.ProposalRepository,
        repositories.SqlProposalRepository,
        fake_loads.FakeProposalRepository,
    ),
    "tokens": (ports.TokenRepository, repositories.SqlTokenRepository, fakes.FakeTokenRepository),
    "users": (ports.UserRepository, repositories.SqlUserRepository, fakes.FakeUserRepository),
    "plans": (ports.PlanRepository, repositories.SqlPlanRepository, FakePlanRepository),
    "activations": (
        ports.NumberedRepository,
        repositories.SqlActivationRepository,
        fakes.FakeActivationRepository,
    ),
    "events": (
        ports.EventRepository,
        repositories.SqlEventRepository,
        fake_events.FakeEventRepository,
    ),
    "webhooks": (
        ports.WebhookRepository,
        repositories.SqlWebhookRepository,
        fake_events.FakeWebhookRepository,
    ),
    "reports": (
        ports.ReportRepository,
        repositories.SqlReportRepository,
        fakes.FakeReportRepository,
    ),
    "incidents": (
        ports.NumberedRepository,
        repositories.SqlIncidentRepository,
        fakes.FakeIncidentRepository,
    ),
    "audit": (ports.AuditRepository, repositories.SqlAuditRepository, fakes.FakeAuditRepository),
    "config": (
        ports.ConfigRepository,
        repositories.SqlConfigRepository,
        fakes.FakeConfigRepository,
    ),
}


def protocol_methods(protocol: type) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(member)
        for name, member in vars(protocol).items()
        if inspect.isfunction(member) and not name.startswith("_")
    }


def parameters(signature: inspect.Signature) -> list[tuple[str, object, object]]:
    """Names, kinds and defaults: what a caller can rely on (annotations are mypy's part)."""
    return [(p.name, p.kind, p.default) for p in signature.parameters.values()]


def test_every_repository_of_the_unit_of_work_is_listed_here():
    assert set(REPOSITORIES) == set(ports.UnitOfWork.__dict__) & {
        n for n, v in vars(ports.UnitOfWork).items() if isinstance(v, property)
    }


@pytest.mark.parametrize("name", sorted(REPOSITORIES))
@pytest.mark.parametrize("side", ["sql", "fake"])
def test_adapter_has_every_protocol_method_with_the_same_parameters(name, side):
    protocol, sql, fake = REPOSITORIES[name]
    adapter = sql if side == "sql" else fake
    for method, signature in protocol_methods(protocol).items():
        assert hasattr(adapter, method), f"{adapter.__name__}.{method} is missing"
        actual = inspect.signature(getattr(adapter, method))
        assert parameters(actual) == parameters(signature), f"{adapter.__name__}.{method}"


@pytest.mark.parametrize("name", sorted(REPOSITORIES))
def test_sql_adapter_has_no_public_method_beyond_the_protocol(name):
    # An alias (`add = append`) or a method only some callers know is a second name for one thing.
    protocol, sql, _ = REPOSITORIES[name]
    public = {n for n, v in vars(sql).items() if callable(v) and not n.startswith("_")}
    assert public <= set(protocol_methods(protocol))


def test_no_two_protocol_methods_are_one_function_under_two_names():
    for name, (protocol, sql, fake) in REPOSITORIES.items():
        for adapter in (sql, fake):
            functions = [vars(adapter)[m] for m in protocol_methods(protocol) if m in vars(adapter)]
            assert len(functions) == len({id(f) for f in functions}), f"{name}: an alias"


def test_mypy_finds_both_units_of_work_match_the_ports():
    pytest.importorskip("mypy")
    files = [
        "hub_scheduler/ports/",
        "models/uow.py",
        "models/repositories/",
        "tests/unit/fakes.py",
        "tests/unit/fake_base.py",
        "tests/unit/fake_loads.py",
        "tests/unit/fake_events.py",
        "tests/unit/fake_plans.py",
    ]
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--explicit-package-bases", "--no-incremental", *files],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_both_units_of_work_have_every_repository_inside_a_block(session_factory):
    for uow in (SqlUnitOfWork(session_factory), fakes.FakeUnitOfWork()):
        with uow:
            for name, (protocol, _, _) in REPOSITORIES.items():
                repository = getattr(uow, name)
                assert all(callable(getattr(repository, m)) for m in protocol_methods(protocol))
