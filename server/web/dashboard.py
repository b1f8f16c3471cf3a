"""The dashboard's pages: sign-in with the pairing token, the inbox, sign-out.

Pages are served by the API's own server, so the dashboard's scripts call ``/api`` same-origin with
the session cookie (HttpOnly, SameSite=Strict) and send the session's CSRF token in a header.
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for

from server import __version__
from server.web.api.common import store
from server.web.security import (
    check_csrf,
    csrf_token,
    current_token,
    has_dashboard_session,
    start_dashboard_session,
    token_matches,
)
from flask import session

bp = Blueprint("dashboard", __name__)


@bp.get("/")
def inbox():
    if not has_dashboard_session():
        return redirect(url_for("dashboard.login"))
    return render_template("inbox.html", csrf_token=csrf_token(), version=__version__)


@bp.get("/reviews/<int:review_id>")
def review_page(review_id: int):
    """One review on the shared review workbench (mounted by review.js, which logs ``viewed``)."""
    if not has_dashboard_session():
        return redirect(url_for("dashboard.login"))
    if store().get_review(review_id) is None:
        abort(404)
    return render_template("review.html", csrf_token=csrf_token(), version=__version__, review_id=review_id)


@bp.get("/login")
def login():
    if has_dashboard_session():
        return redirect(url_for("dashboard.inbox"))
    return render_template("login.html", csrf_token=csrf_token(), error=None, version=__version__)


@bp.post("/login")
def login_submit():
    check_csrf(request.form.get("csrf_token"))
    sent = (request.form.get("token") or "").strip()
    if not sent or not token_matches(sent, current_token()):
        error = "That is not the pairing token. Run 'reviewdesk token' in a terminal and paste what it prints."
        return render_template("login.html", csrf_token=csrf_token(), error=error, version=__version__), 401
    start_dashboard_session()
    return redirect(url_for("dashboard.inbox"))


@bp.post("/logout")
def logout():
    check_csrf(request.form.get("csrf_token"))
    session.clear()
    return redirect(url_for("dashboard.login"))
