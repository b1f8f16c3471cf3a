"""``GET /api/stats``: how the practice follows the workflow, and its rating math."""

from __future__ import annotations

from flask import Blueprint, request

from server.web.api.common import now, ok, store
from server.web.errors import ApiError
from server.settings import all_settings, workflow_settings
from server.workflow.stats import compute

bp = Blueprint("stats", __name__)


def practice_stats(db, current, target: float | None = None) -> dict:
    settings = db.settings()
    return compute(db.all_reviews(), db.events_for(None), workflow_settings(settings), current,
                   target if target is not None else all_settings(settings)["rating_target"])


@bp.get("/stats")
def stats():
    raw = request.args.get("target")
    target = None
    if raw:
        try:
            target = float(raw)
        except ValueError:
            target = 0
        if not 1 <= target <= 5:
            raise ApiError(400, "invalid_parameter", f"'target' must be a number of stars from 1 to 5, got {raw!r}.")
    return ok(stats=practice_stats(store(), now(), target))
