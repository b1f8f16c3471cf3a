"""``GET /api/health``: the server's version, whether its database is usable, and whether the checker is ready."""

from __future__ import annotations

from flask import Blueprint

from server import __version__
from server.replies import vocabulary
from server.web.api.common import ok, store
from server.web.errors import error_response

bp = Blueprint("health", __name__)


@bp.get("/health")
def health():
    database = store().health()
    if not database["ok"]:
        return error_response(
            503,
            "database_unhealthy",
            f"The database is missing migrations ({', '.join(database['pending_migrations'])}). "
            "Restart the server to apply them; if that does not help, restore the latest 'reviewdesk backup'.",
        )
    # The reply checker loads its vocabularies in the background for a few seconds after start.
    return ok(version=__version__, database=database, checker_ready=vocabulary.is_ready())
