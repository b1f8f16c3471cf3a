"""Helpers every API blueprint uses: the request's JSON body, query arguments, success responses."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from flask import current_app, g, jsonify, request

from server.web.errors import ApiError
from server.storage import Store


def store() -> Store:
    """This request's database connection (back to the pool when the request ends)."""
    if "store" not in g:
        g.store = current_app.extensions["reviewdesk.store_pool"].acquire()
    return g.store


def release_store(_exc: BaseException | None = None) -> None:
    used = g.pop("store", None)
    if used is not None:
        current_app.extensions["reviewdesk.store_pool"].release(used)


MAX_ID = 2**63  # SQLite's integers: a larger id cannot exist


def review_or_404(review_id: int) -> dict[str, Any]:
    """The stored review, or the 404 every review route answers for an unknown id."""
    review = store().get_review(review_id) if 0 < review_id < MAX_ID else None
    if review is None:
        raise ApiError(404, "not_found", f"There is no review {review_id}; it may have been captured into another data directory.")
    return review


def now() -> datetime:
    """The current moment; tests set ``CLOCK`` in the app config to move time without sleeping."""
    clock = current_app.config.get("CLOCK")
    return clock() if clock else datetime.now(timezone.utc)


def ok(http_status: int = 200, **data: Any):
    response = jsonify({"ok": True, **data})
    response.status_code = http_status
    return response


def json_body() -> Any:
    """The request body parsed as JSON, or a 400/415 that says what is wrong with it."""
    if not request.mimetype or request.mimetype != "application/json":
        raise ApiError(415, "unsupported_media_type", "Send the body as JSON with 'Content-Type: application/json'.")
    raw = request.get_data(cache=False)
    if not raw.strip():
        raise ApiError(400, "bad_json", "The request body is empty; send a JSON object.")
    try:
        return json.loads(raw)
    except UnicodeDecodeError:
        raise ApiError(400, "bad_json", "The request body is not UTF-8 text; send JSON encoded as UTF-8.") from None
    except json.JSONDecodeError as exc:
        raise ApiError(
            400, "bad_json", f"The request body is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})."
        ) from None


def int_arg(name: str, default: int | None, *, minimum: int, maximum: int) -> int | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or not minimum <= value <= maximum:
        raise ApiError(400, "invalid_parameter", f"'{name}' must be a whole number from {minimum} to {maximum}, got {raw!r}.")
    return value
