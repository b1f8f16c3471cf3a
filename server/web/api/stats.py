"""``GET /api/stats?target=&months=``: how the practice follows the workflow, its trends and its rating math."""

from __future__ import annotations

from flask import Blueprint, request

from server.web.api.common import int_arg, now, ok, store
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
    months = int_arg("months", None, minimum=1, maximum=120)  # the trend's span; none: all the time
    return ok(stats=practice_stats(store(), now(), _target(), months))
