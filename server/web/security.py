"""Who may talk to the local server: Host check, origin check, pairing token, dashboard session.

Any web page open in the same browser can send requests to 127.0.0.1, so every request passes, in
order: a loopback ``Host`` (against DNS rebinding), a body-size limit, an ``Origin`` that is the
extension or the server itself, and for ``/api/`` either the pairing token or the dashboard's
same-origin session with its CSRF token. CORS answers only extension origins.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import timedelta

from flask import Flask, current_app, g, request, session
from flask_cors import CORS
from werkzeug.exceptions import RequestEntityTooLarge

from parsers import limits
from parsers.isotime import iso_utc
from server.config import LOOPBACK_HOSTS, host_name
from server.web.context import now, store
from server.web.errors import ApiError

CHROME_EXTENSION_ID = r"[a-p]{32}"
FIREFOX_EXTENSION_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
ANY_EXTENSION_ORIGIN = re.compile(
    rf"^(chrome-extension://{CHROME_EXTENSION_ID}|moz-extension://{FIREFOX_EXTENSION_UUID})$"
)
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CSRF_HEADER = "X-CSRF-Token"
SESSION_LIFETIME = timedelta(hours=12)

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


def extension_origin_pattern(extension_ids: list[str]) -> re.Pattern:
    if not extension_ids:
        return ANY_EXTENSION_ORIGIN
    ids = "|".join(re.escape(extension_id.lower()) for extension_id in extension_ids)
    return re.compile(rf"^(chrome-extension|moz-extension)://({ids})$")


def token_digest(token: str) -> str:
    """What a dashboard session remembers of the token, so rotating the token ends the session."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_matches(candidate: str, token: str) -> bool:
    return hmac.compare_digest(candidate.encode("utf-8"), token.encode("utf-8"))


def current_token() -> str:
    return current_app.extensions["reviewdesk.config_file"].token()


def _session_key(session_id: str) -> str:
    """What the server keeps of a session's id: its hash (the database never holds a cookie that works)."""
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


def start_dashboard_session() -> None:
    """A new session, kept on the server for SESSION_LIFETIME; the cookie holds only its random id."""
    session.clear()
    session.permanent = True
    session_id = secrets.token_urlsafe(32)
    started = now()
    store().start_dashboard_session(_session_key(session_id), token_digest(current_token()), iso_utc(started),
                                    iso_utc(started + SESSION_LIFETIME))
    session["sid"] = session_id
    session["csrf"] = secrets.token_urlsafe(32)
    g.pop("reviewdesk_signed_in", None)


def end_dashboard_session() -> None:
    """Sign out: the session ends on the server, so a copy of the cookie no longer works either."""
    session_id = session.get("sid")
    if isinstance(session_id, str):
        store().end_dashboard_session(_session_key(session_id))
    session.clear()
    g.pop("reviewdesk_signed_in", None)


def csrf_token() -> str:
    """The session's CSRF token (created for a visitor who is not signed in yet, for the login form)."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def has_dashboard_session() -> bool:
    """A live session, started with the current token (rotating the token from the command line ends them all)."""
    if "reviewdesk_signed_in" not in g:
        session_id = session.get("sid")
        remembered = store().dashboard_session_token(_session_key(session_id), iso_utc(now())) if isinstance(session_id, str) else None
        g.reviewdesk_signed_in = remembered is not None and hmac.compare_digest(remembered, token_digest(current_token()))
    return g.reviewdesk_signed_in


def require_dashboard_session() -> None:
    """Only the signed-in dashboard itself may go on: not the toolbar's token, not another page.

    For what must never reach the toolbar or a script holding the token, such as the token itself: a
    request with the toolbar's token, from the toolbar's own pages (an extension origin) or from
    anything but a dashboard page (``Sec-Fetch-Site``) is refused.
    """
    origin = request.headers.get("Origin")
    from_dashboard = (origin is None or origin == own_origin()) and request.headers.get("Sec-Fetch-Site", "same-origin") == "same-origin"
    if request.headers.get("Authorization") is not None or not has_dashboard_session() or not from_dashboard:
        raise ApiError(
            403,
            "dashboard_only",
            "Only the signed-in dashboard can show or change the pairing token: open Settings in the dashboard "
            "(or run 'reviewdesk token' on this computer).",
        )


def rotate_token_keeping_this_session() -> str:
    """A new pairing token: the old one, the toolbar's copy and every other dashboard session stop working;
    this dashboard session goes on with the new token (and keeps its CSRF token)."""
    token = current_app.extensions["reviewdesk.config_file"].rotate_token()
    store().keep_only_dashboard_session(_session_key(session["sid"]), token_digest(token))
    return token


def check_csrf(sent: str | None) -> None:
    expected = session.get("csrf")
    if not sent or not expected or not hmac.compare_digest(sent, expected):
        raise ApiError(403, "csrf_failed", "The page's security token is missing or out of date. Reload the dashboard and try again.")


def own_origin() -> str:
    """This server's address as the browser reached it (``http://127.0.0.1:5151``): the toolbar's server address."""
    return f"{request.scheme}://{request.host}"


def _check_host(allowed: frozenset[str]) -> None:
    header = request.headers.get("Host")
    name = host_name(header) if header else ""
    if not name or name not in allowed:
        raise ApiError(
            403,
            "forbidden_host",
            "ReviewDesk only answers requests addressed to 127.0.0.1 or localhost. "
            "Open it at http://127.0.0.1:<port>/.",
        )


def _check_origin(extension_origins: re.Pattern) -> None:
    origin = request.headers.get("Origin")
    if origin is None or origin == own_origin() or extension_origins.match(origin):
        return
    raise ApiError(
        403,
        "forbidden_origin",
        f"Requests from {origin} are not allowed: only the ReviewDesk toolbar and dashboard may use this server.",
    )


def _check_api_credentials() -> None:
    if request.method == "OPTIONS":  # a CORS preflight carries no credentials; the origin was checked
        return
    authorization = request.headers.get("Authorization")
    if authorization is not None:
        scheme, _, sent = authorization.partition(" ")
        if scheme.lower() != "bearer" or not sent.strip():
            raise ApiError(401, "unauthorized", "The Authorization header must be 'Bearer <token>'; 'reviewdesk token' prints the token.")
        if not token_matches(sent.strip(), current_token()):
            raise ApiError(
                401,
                "invalid_token",
                "The pairing token is wrong or was rotated. Copy the current one from 'reviewdesk token' into the toolbar's options.",
            )
        return
    if has_dashboard_session():
        if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
            raise ApiError(403, "forbidden_origin", "The dashboard's session only works from the dashboard itself.")
        if request.method in UNSAFE_METHODS:
            check_csrf(request.headers.get(CSRF_HEADER))
        return
    raise ApiError(
        401,
        "unauthorized",
        "This request needs the pairing token: send 'Authorization: Bearer <token>' (the toolbar does this once paired; "
        "'reviewdesk token' prints the token), or sign in to the dashboard.",
    )


IMPORT_PATHS = frozenset({"/api/contacts/import", "/api/contacts/imports", "/api/contacts/preview"})
CAPTURE_PATH = "/api/captures"


def body_limit(app: Flask) -> int:
    """Bytes this request's body may have: contact imports may be larger, a captured page smaller."""
    if request.path in IMPORT_PATHS:
        return app.config["IMPORT_MAX_MB"] * 1024 * 1024
    if request.path == CAPTURE_PATH:
        return min(app.config["MAX_CONTENT_LENGTH"], limits.CAPTURE_BYTES)
    return app.config["MAX_CONTENT_LENGTH"]


def init_app(app: Flask) -> None:
    # The address the server listens on is always a valid Host (it is loopback unless --allow-network).
    allowed_hosts = LOOPBACK_HOSTS | {host_name(name) for name in [*app.config["ALLOWED_HOSTS"], app.config["HOST"]]} - {""}
    extension_origins = extension_origin_pattern(app.config["EXTENSION_IDS"])
    app.config.update(
        SESSION_COOKIE_NAME="reviewdesk_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        PERMANENT_SESSION_LIFETIME=SESSION_LIFETIME,
    )
    CORS(
        app,
        resources={r"/api/*": {"origins": [extension_origins]}},
        allow_headers=["Authorization", "Content-Type"],
        methods=["GET", "POST", "PUT", "DELETE", "OPTIONS"],
        supports_credentials=False,
        max_age=600,
    )

    @app.before_request
    def guard_request():
        _check_host(allowed_hosts)
        limit = body_limit(app)
        request.max_content_length = limit
        if request.content_length is not None and request.content_length > limit:
            raise RequestEntityTooLarge()
        _check_origin(extension_origins)
        if request.path.startswith("/api/"):
            _check_api_credentials()

    @app.after_request
    def add_security_headers(response):
        response.headers["X-Content-Type-Options"] = "nosniff"
        # "no-referrer" would make Chromium send "Origin: null" on the dashboard's own form posts.
        response.headers["Referrer-Policy"] = "same-origin"
        if response.mimetype == "text/html":
            response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
            response.headers["X-Frame-Options"] = "DENY"
        if request.path.startswith("/api/"):
            response.headers["Cache-Control"] = "no-store"
        return response
