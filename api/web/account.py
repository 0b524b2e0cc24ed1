"""Sign-in (user name and password; a token on the second tab), sign-out, the language switch,
and `/` sending each role to its page."""

from __future__ import annotations

from flask import make_response, redirect, render_template, request, url_for

from api.throttle import mark_sign_in_failed
from api.web.base import page_blueprint
from api.web.i18n import COOKIE, LANGUAGES, translate
from api.web.signin import (
    check_csrf,
    home_for,
    safe_next,
    sign_in,
    sign_in_user,
    sign_out,
    signed_in_principal,
)
from hub_scheduler.errors import Unauthorized

bp = page_blueprint("web_account", __name__)


@bp.get("/")
def index():
    principal = signed_in_principal()
    if principal is None:
        return redirect(url_for("web_account.login"))
    return redirect(home_for(principal))


TABS = ("password", "token")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """GET: the form (`?with=token`: the token tab). POST: `username` and `password`, or `token`;
    a failure shows the form again with one message and counts against this address."""
    next_page = request.values.get("next", "")
    tab = "token" if request.values.get("with") == "token" else "password"
    if request.method == "GET":
        principal = signed_in_principal()
        if principal is not None:
            return redirect(safe_next(next_page, home_for(principal)))
        return render_template("login.html", next_page=next_page, error=None, tab=tab, name="")
    check_csrf()
    form = request.form
    by_password = "username" in form or "token" not in form
    tab = "password" if by_password else "token"
    name = form.get("username", "").strip()
    try:
        if by_password:
            principal = sign_in_user(name, form.get("password", ""))
        else:
            token = form.get("token", "").strip()
            if not token:
                raise Unauthorized("empty")
            principal = sign_in(token)
    except Unauthorized:
        mark_sign_in_failed()  # counted against this address (api/throttle.py)
        error = translate(
            "The user name or password is wrong, or the account is disabled."
            if by_password
            else "This token is unknown or has been revoked."
        )
        page = render_template(
            "login.html", next_page=next_page, error=error, tab=tab, name=name[:64]
        )
        return page
    return redirect(safe_next(next_page, home_for(principal)), code=303)


@bp.post("/logout")
def logout():
    check_csrf()
    sign_out()
    return redirect(url_for("web_account.login"), code=303)


@bp.get("/language/<code>")
def language(code: str):
    """The visible switch: remember the choice for a year and go back where the user was."""
    back = safe_next(request.args.get("next"), url_for("web_account.index"))
    response = make_response(redirect(back))
    if code in LANGUAGES:
        response.set_cookie(COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response
