"""The dashboard's pages: sign-in with the pairing token, the inbox, a review, follow-ups, contacts,
review requests, stats and settings, sign-out.

Pages are served by the API's own server, so the dashboard's scripts call ``/api`` same-origin with
the session cookie (HttpOnly, SameSite=Strict) and send the session's CSRF token in a header. Each
page is a template and a script; the data comes from the API, as text.
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for

from server import __version__
from server.web.api.common import store
from server.web.security import (
    check_csrf,
    csrf_token,
    current_token,
    end_dashboard_session,
    has_dashboard_session,
    start_dashboard_session,
    token_matches,
)

bp = Blueprint("dashboard", __name__)


def _page(template: str, **context):
    """A signed-in page (or the way to the sign-in page)."""
    if not has_dashboard_session():
        return redirect(url_for("dashboard.login"))
    return render_template(template, csrf_token=csrf_token(), version=__version__, signed_in=True, **context)


@bp.get("/")
def inbox():
    return _page("inbox.html")


@bp.get("/reviews/<int:review_id>")
def review_page(review_id: int):
    """One review on the shared review workbench (mounted by review.js, which logs ``viewed``)."""
    if has_dashboard_session() and store().get_review(review_id) is None:
        abort(404)
    return _page("review.html", review_id=review_id)


@bp.get("/follow-ups")
def follow_ups():
    return _page("follow_ups.html")


@bp.get("/contacts")
def contacts():
    return _page("contacts.html")


@bp.get("/contacts/<int:contact_id>")
def contact_page(contact_id: int):
    if has_dashboard_session() and store().get_contact(contact_id) is None:
        abort(404)
    return _page("contact.html", contact_id=contact_id)


@bp.get("/requests")
def requests():
    return _page("requests.html")


@bp.get("/stats")
def stats():
    return _page("stats.html")


@bp.get("/settings")
def settings():
    return _page("settings.html")


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
    end_dashboard_session()
    return redirect(url_for("dashboard.login"))
