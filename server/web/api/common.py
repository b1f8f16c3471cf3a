"""Helpers every API blueprint uses: the request's JSON body, query arguments, success responses."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from flask import current_app, g, jsonify, request

from server.errors import NotFound
from server.storage import Store
from server.web.errors import ApiError


def store() -> Store:
    """This request's database connection (back to the pool when the request ends)."""
    if "store" not in g:
        g.store = current_app.extensions["reviewdesk.store_pool"].acquire()
    return g.store


def release_store(_exc: BaseException | None = None) -> None:
    used = g.pop("store", None)
    if used is not None:
        current_app.extensions["reviewdesk.store_pool"].release(used)


def review_or_404(review_id: int) -> dict[str, Any]:
    """The stored review, or the 404 every review route answers for an unknown id."""
    review = store().get_review(review_id)
    if review is None:
        raise NotFound(f"There is no review {review_id}; it may have been captured into another data directory.")
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


def json_object(example: str) -> dict[str, Any]:
    """The JSON body, which must be an object; ``example`` shows what to send."""
    body = json_body()
    if not isinstance(body, dict):
        raise ApiError(400, "missing_field", f"Send a JSON object: {example}.")
    return body


def optional_text(body: dict[str, Any], name: str, limit: int) -> str | None:
    """A text field of the body, stripped (None when absent or blank), at most ``limit`` characters."""
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > limit:
        raise ApiError(400, "invalid_field", f"'{name}' must be text of at most {limit} characters.")
    return value.strip() or None


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
