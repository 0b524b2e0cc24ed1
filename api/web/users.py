"""The admin page for web users: list, create, disable, enable, reset a password.

A password left empty is generated and shown once on the answer page (never stored, never put in
the session or a flash). Errors are the service's codes, said in the page's language.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import render_template, request, url_for

from api.database import db
from api.web.base import done_then_back, page_blueprint
from api.web.i18n import field_problems, translate
from api.web.signin import page_for
from hub_scheduler.errors import HubSchedulerError
from hub_scheduler.records import Role
from hub_scheduler.services import users as service
from hub_scheduler.services.principal import Principal

bp = page_blueprint("web_users", __name__)


def _render(
    *,
    error: str | None = None,
    notice: str | None = None,
    password: str | None = None,
    form: dict | None = None,
    status: int = 200,
):
    with db.uow() as uow:
        enterprises = uow.enterprises.list()
    page = render_template(
        "users.html",
        users=service.list_users(db.uow()),
        enterprises=enterprises,
        error=error,
        notice=notice,
        password=password,
        form=form or {},
        min_password=service.MIN_PASSWORD,
    )
    return page, status


def _refused(exc: HubSchedulerError):
    return _render(error=field_problems(exc, "user_err_"), status=exc.status)


def _changed_then_back(change: Callable[[], object]):
    """A one-click change of a user (disable, enable): done, then back to the list; a refusal
    shows the list again saying why."""
    return done_then_back(change, _refused, url_for("web_users.users"))


def _typed_or_generated() -> tuple[str, bool]:
    """The form's new password, or a generated one when it was left empty (then True: the answer
    page shows it once)."""
    password = request.form.get("password", "")
    if password:
        return password, False
    return service.generate_password(), True


@bp.get("/admin/users")
@page_for(Role.ADMIN)
def users(principal: Principal):
    return _render()


@bp.post("/admin/users")
@page_for(Role.ADMIN)
def create_user(principal: Principal):
    form = request.form
    password, generated = _typed_or_generated()
    role = form.get("role", "")
    try:
        user = service.create_user(
            db.uow(),
            name=form.get("name", ""),
            role=role,
            password=password,
            enterprise_id=form.get("enterprise_id", "") if role == "enterprise" else None,
            actor=principal.actor,
        )
    except HubSchedulerError as exc:
        kept = {k: form.get(k, "")[:64] for k in ("name", "role", "enterprise_id")}
        return _render(error=field_problems(exc, "user_err_"), form=kept, status=exc.status)
    notice = translate("User {name} is created.", name=user.name)
    return _render(notice=notice, password=password if generated else None, status=201)


@bp.post("/admin/users/<name>/disable")
@page_for(Role.ADMIN)
def disable_user(principal: Principal, name: str):
    return _changed_then_back(lambda: service.disable_user(db.uow(), name, actor=principal.actor))


@bp.post("/admin/users/<name>/enable")
@page_for(Role.ADMIN)
def enable_user(principal: Principal, name: str):
    return _changed_then_back(lambda: service.enable_user(db.uow(), name, actor=principal.actor))


@bp.post("/admin/users/<name>/password")
@page_for(Role.ADMIN)
def reset_password(principal: Principal, name: str):
    password, generated = _typed_or_generated()
    try:
        user = service.reset_password(db.uow(), name, password, actor=principal.actor)
    except HubSchedulerError as exc:
        return _refused(exc)
    notice = translate(
        "The password of {name} is changed; their sessions have ended.", name=user.name
    )
    return _render(notice=notice, password=password if generated else None)
