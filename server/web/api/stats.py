"""``GET /api/stats``: how the practice follows the workflow, and its rating math."""

from __future__ import annotations

from flask import Blueprint, request

from server.web.api.common import now, ok, store
from server.web.errors import ApiError
from server.workflow.stats import practice_stats

bp = Blueprint("stats", __name__)


def _target() -> float | None:
    raw = request.args.get("target")
    if not raw:
        return None
    try:
        target = float(raw)
    except ValueError:
        target = 0
    if not 1 <= target <= 5:
        raise ApiError(400, "invalid_parameter", f"'target' must be a number of stars from 1 to 5, got {raw!r}.")
    return target


@bp.get("/stats")
def stats():
    return ok(stats=practice_stats(store(), now(), _target()))
