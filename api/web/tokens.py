"""The admin page for API tokens: list (never the secret), issue (shown once), revoke."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for

from api.database import db
from api.problem_words import chinese
from api.web.base import page_blueprint
from api.web.i18n import current_language, translate
from api.web.signin import page_for
from hub_scheduler.errors import HubSchedulerError
from hub_scheduler.records import Role
from hub_scheduler.services import tokens as service
from hub_scheduler.services.principal import Principal

bp = page_blueprint("web_tokens", __name__)
# The form's fields as the page labels them (the service names them by the API's field names).
FIELD_LABELS = {
    "role": "Role",
    "enterprise_id": "Enterprise",
    "label": "Label",
    "expires_in_days": "Expires after (days)",
    "expires_at": "Expires after (days)",
}


def _said(exc: HubSchedulerError) -> str:
    """The service's refusal in the page's language, each problem after its field's label (the
    service's English text is said by the API's problem words in Chinese)."""
    zh = current_language() == "zh-CN"
    colon = translate("colon")
    parts = []
    for e in exc.errors:
        label = translate(FIELD_LABELS[e.field]) if e.field in FIELD_LABELS else e.field or ""
        text = chinese(e.message) if zh else e.message
        if e.field == "role":  # the API lists the codes; the page offers a list to choose from
            text = translate("Choose one of the listed values.")
        parts.append(f"{label}{colon}{text}" if label else text)
    if parts:
        return translate("list_sep").join(parts)
    return chinese(exc.detail) if zh else exc.detail


def _render(secret: str | None = None, error: str | None = None, status: int = 200):
    tokens = service.list_tokens(db.uow())
    rows = [(t, service.token_state(t)) for t in reversed(tokens)]
    page = render_template("tokens.html", rows=rows, secret=secret, error=error)
    return page, status  # the secret is rendered once, never put in the session or a flash


@bp.get("/admin/tokens")
@page_for(Role.ADMIN)
def tokens(principal: Principal):
    return _render()


@bp.post("/admin/tokens")
@page_for(Role.ADMIN)
def issue_token(principal: Principal):
    form = request.form
    days = form.get("expires_in_days", "").strip()
    try:
        lifetime = int(days) if days else None
    except ValueError:
        return _render(error=translate("The lifetime must be a whole number of days."), status=422)
    try:
        secret, _ = service.issue(
            db.uow(),
            role=form.get("role", ""),
            enterprise_id=form.get("enterprise_id", "").strip() or None,
            label=form.get("label", "").strip(),
            expires_at=service.expiry(None, lifetime),
            actor=principal.actor,
        )
    except HubSchedulerError as exc:
        return _render(error=_said(exc), status=exc.status)
    return _render(secret=secret, status=201)


@bp.post("/admin/tokens/<int:token_id>/revoke")
@page_for(Role.ADMIN)
def revoke_token(principal: Principal, token_id: int):
    service.revoke_token(db.uow(), token_id, actor=principal.actor)
    return redirect(url_for("web_tokens.tokens"), code=303)
