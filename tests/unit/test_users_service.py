"""Web users on the in-memory unit of work: each rule kept and broken, sign-in and its failures."""

from __future__ import annotations

import time

import pytest
from argon2 import Parameters, PasswordHasher, extract_parameters
from argon2.profiles import CHEAPEST

from hub_scheduler.domain import Enterprise
from hub_scheduler.errors import Conflict, NotFound, Unauthorized, ValidationFailed
from hub_scheduler.records import Role
from hub_scheduler.services import users
from tests.unit.fakes import FakeUnitOfWork

PASSWORD = "correct horse battery"
DEFAULT_HASHER = users.PASSWORD_HASHER  # before the fixture below swaps in the cheapest one


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch):
    """argon2's cheapest parameters: the default costs a second a hash on a busy test machine."""
    monkeypatch.setattr(users, "PASSWORD_HASHER", PasswordHasher.from_parameters(CHEAPEST))


@pytest.fixture
def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    with uow:
        uow.enterprises.add(Enterprise(id="E01", name="赣南脐橙合作社"))
        uow.commit()
    return uow


def make(uow, name="zhang.wei", role="operator", enterprise_id=None, password=PASSWORD):
    return users.create_user(
        uow, name=name, role=role, password=password, enterprise_id=enterprise_id, actor="admin"
    )


def codes(exc: pytest.ExceptionInfo) -> list[str | None]:
    return [e.code for e in exc.value.errors]


# --- rules, each kept and broken ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["zhang.wei", "张伟", "ops-01", "a@b"])
def test_a_well_formed_user_name_is_kept(name):
    assert users.user_name_is_well_formed(f"  {name} ") == name


@pytest.mark.parametrize("name", ["", "a", "zhang wei", "x" * 65, "a/b", "<script>"])
def test_a_malformed_user_name_is_refused_with_its_code(name):
    with pytest.raises(ValidationFailed) as exc:
        users.user_name_is_well_formed(name)
    assert codes(exc) == ["user_name_invalid"]


def test_a_password_of_ten_characters_is_long_enough():
    users.password_is_long_enough("x" * 10)


@pytest.mark.parametrize(
    ("password", "code"), [("x" * 9, "password_too_short"), ("x" * 257, "password_too_long")]
)
def test_a_password_out_of_bounds_is_refused(password, code):
    with pytest.raises(ValidationFailed) as exc:
        users.password_is_long_enough(password)
    assert codes(exc) == [code]


def test_an_enterprise_user_with_its_enterprise_matches():
    assert users.role_matches_enterprise("enterprise", "E01") is Role.ENTERPRISE


@pytest.mark.parametrize(
    ("role", "enterprise", "code"),
    [
        ("enterprise", None, "enterprise_required"),
        ("operator", "E01", "enterprise_not_allowed"),
        ("root", None, "role_unknown"),
    ],
)
def test_a_role_that_does_not_match_its_enterprise_is_refused(role, enterprise, code):
    with pytest.raises(ValidationFailed) as exc:
        users.role_matches_enterprise(role, enterprise)
    assert codes(exc) == [code]


def test_an_unknown_enterprise_is_not_found(uow):
    with pytest.raises(NotFound) as exc:
        make(uow, role="enterprise", enterprise_id="E99")
    assert codes(exc) == ["enterprise_unknown"]


def test_a_taken_name_is_a_conflict(uow):
    make(uow)
    with pytest.raises(Conflict) as exc:
        make(uow, role="admin")
    assert codes(exc) == ["user_name_taken"]


# --- changes --------------------------------------------------------------------------------------


def test_the_default_hash_is_argon2id_with_at_least_the_rfc_low_memory_cost():
    assert DEFAULT_HASHER.type.name == "ID"
    assert DEFAULT_HASHER.time_cost >= 3 and DEFAULT_HASHER.memory_cost >= 65536


def test_a_hash_made_with_older_parameters_is_renewed_at_sign_in(uow, monkeypatch):
    make(uow)
    monkeypatch.setattr(users, "PASSWORD_HASHER", PasswordHasher(time_cost=2, memory_cost=16384))
    users.authenticate(uow, "zhang.wei", PASSWORD)
    with uow:
        assert "t=2" in uow.users.get_by_name("zhang.wei").password_hash
    assert users.authenticate(uow, "zhang.wei", PASSWORD).principal.actor == "zhang.wei (user)"


def test_the_password_is_stored_only_as_an_argon2_hash_and_audited_without_it(uow):
    user = make(uow, role="enterprise", enterprise_id="E01")
    assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash
    with uow:
        (entry,) = uow.audit.list()
    assert (entry.action, entry.target_id, entry.actor) == ("user.create", "zhang.wei", "admin")
    assert entry.details == {"role": "enterprise", "enterprise_id": "E01"}


def test_every_change_writes_an_audit_entry(uow):
    make(uow)
    users.disable_user(uow, "zhang.wei", actor="admin")
    users.enable_user(uow, "zhang.wei", actor="admin")
    users.reset_password(uow, "zhang.wei", "a new password!", actor="admin")
    with uow:
        actions = [e.action for e in reversed(uow.audit.list())]
    assert actions == ["user.create", "user.disable", "user.enable", "user.reset_password"]


def test_changing_an_unknown_user_is_not_found(uow):
    with pytest.raises(NotFound) as exc:
        users.disable_user(uow, "nobody", actor="admin")
    assert codes(exc) == ["user_unknown"]


# --- signing in -----------------------------------------------------------------------------------


def test_the_right_password_signs_in_with_the_role_and_enterprise(uow):
    make(uow, name="e01.clerk", role="enterprise", enterprise_id="E01")
    signed = users.authenticate(uow, "e01.clerk", PASSWORD)
    assert signed.principal.role is Role.ENTERPRISE
    assert signed.principal.enterprise_id == "E01"
    assert signed.principal.actor == "e01.clerk (user)"


@pytest.mark.parametrize(
    ("name", "password"),
    [("zhang.wei", "wrong password"), ("nobody", PASSWORD), ("zhang.wei", "x" * 10_000), ("", "")],
)
def test_every_failed_sign_in_says_the_same_thing(uow, name, password):
    make(uow)
    with pytest.raises(Unauthorized) as exc:
        users.authenticate(uow, name, password)
    assert exc.value.detail == users.SIGN_IN_FAILED


def test_a_disabled_user_cannot_sign_in_and_an_enabled_one_can_again(uow):
    make(uow)
    users.disable_user(uow, "zhang.wei", actor="admin")
    with pytest.raises(Unauthorized):
        users.authenticate(uow, "zhang.wei", PASSWORD)
    users.enable_user(uow, "zhang.wei", actor="admin")
    assert users.authenticate(uow, "zhang.wei", PASSWORD).principal.role is Role.OPERATOR


class CountingHasher(PasswordHasher):
    """argon2's hasher (a library), recording the parameters of every hash it verifies against:
    the work a sign-in does, counted rather than timed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.verified: list[Parameters] = []

    def verify(self, hash, password):  # noqa: A002  (argon2's own parameter name)
        self.verified.append(extract_parameters(hash))
        return super().verify(hash, password)


def test_an_unknown_name_does_the_same_work_as_a_wrong_password(uow, monkeypatch):
    hasher = CountingHasher(time_cost=2, memory_cost=16384, parallelism=1)
    monkeypatch.setattr(users, "PASSWORD_HASHER", hasher)
    make(uow)

    def work(name: str, password: str = "wrong password") -> list[Parameters]:
        hasher.verified.clear()
        with pytest.raises(Unauthorized):
            users.authenticate(uow, name, password)
        return list(hasher.verified)

    wrong = work("zhang.wei")
    assert len(wrong) == 1 and wrong[0] == extract_parameters(hasher.hash("x"))
    # One verification against a hash of the same cost, whatever the name or password is.
    assert work("nobody") == wrong
    assert work("no such name!") == wrong  # not even a valid name
    assert work("zhang.wei", "x" * (users.MAX_PASSWORD + 1)) == wrong
    users.disable_user(uow, "zhang.wei", actor="admin")
    assert work("zhang.wei", PASSWORD) == wrong


def test_an_unknown_name_takes_as_long_as_a_wrong_password(uow, monkeypatch):
    # A hash that costs some milliseconds, so the verification dominates the timing.
    hasher = PasswordHasher(time_cost=2, memory_cost=16384, parallelism=1)
    monkeypatch.setattr(users, "PASSWORD_HASHER", hasher)
    make(uow)

    def timed(name: str) -> float:
        # CPU time of this process (argon2 with parallelism 1 runs in this thread): other work
        # on a busy machine delays the wall clock, not this.
        start = time.process_time()
        with pytest.raises(Unauthorized):
            users.authenticate(uow, name, "wrong password")
        return time.process_time() - start

    timed("nobody")  # the dummy hash is made on first use
    # Interleaved, and the fastest of several runs of each: what is left of the machine's load
    # only ever adds time (a median of wall times drifted to a ratio of 2.4 at load 4-5).
    runs = [(timed("nobody"), timed("zhang.wei")) for _ in range(7)]
    unknown = min(u for u, _ in runs)
    wrong = min(w for _, w in runs)
    # Both are one argon2 verification (tens of ms); a skipped one would be ~100x faster.
    assert 0.5 < unknown / wrong < 2.0


def test_disabling_ends_the_session_at_once(uow):
    make(uow)
    signed = users.authenticate(uow, "zhang.wei", PASSWORD)
    assert users.session_principal(uow, signed.user_id, signed.version) == signed.principal
    users.disable_user(uow, "zhang.wei", actor="admin")
    assert users.session_principal(uow, signed.user_id, signed.version) is None


def test_a_new_password_ends_the_old_sessions_and_the_old_password(uow):
    make(uow)
    signed = users.authenticate(uow, "zhang.wei", PASSWORD)
    users.reset_password(uow, "zhang.wei", "a new password!", actor="admin")
    assert users.session_principal(uow, signed.user_id, signed.version) is None
    with pytest.raises(Unauthorized):
        users.authenticate(uow, "zhang.wei", PASSWORD)
    assert users.authenticate(uow, "zhang.wei", "a new password!").user_id == signed.user_id


def test_signing_out_ends_every_session_of_the_user(uow):
    make(uow)
    first = users.authenticate(uow, "zhang.wei", PASSWORD)
    users.end_sessions(uow, first.user_id, actor="zhang.wei (user)")
    assert users.session_principal(uow, first.user_id, first.version) is None
    again = users.authenticate(uow, "zhang.wei", PASSWORD)
    assert users.session_principal(uow, again.user_id, again.version) is not None
