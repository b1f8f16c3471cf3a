"""Pairing the toolbar: the token (shown to the signed-in dashboard) and its rotation.

Only the dashboard's own session may use these routes: a request with the toolbar's Bearer token (or
from any other origin) is refused, so a leaked token cannot be used to read a new one.
"""

from __future__ import annotations

from flask import Blueprint

from server.web.api.common import ok
from server.web.security import current_token, own_origin, require_dashboard_session, rotate_token_keeping_this_session

bp = Blueprint("pairing", __name__)


@bp.get("/pairing")
def pairing():
    """The token and the server address the toolbar's options need."""
    require_dashboard_session()
    return ok(token=current_token(), server=own_origin())


@bp.post("/pairing/rotate")
def rotate():
    """A new token; this dashboard session stays signed in, everything else that used the old one stops."""
    require_dashboard_session()
    return ok(token=rotate_token_keeping_this_session(), server=own_origin())
