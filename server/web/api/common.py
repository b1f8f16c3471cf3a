"""Helpers every API blueprint uses: the request's JSON body, query arguments, success responses."""

from __future__ import annotations

import json
import math
from typing import Any

from flask import jsonify, request

from parsers import limits
from server.errors import NotFound
from server.web.context import now, store  # noqa: F401  (every route uses them; imported from here with the rest)
from server.web.errors import ApiError


def review_or_404(review_id: int) -> dict[str, Any]:
    """The stored review, or the 404 every review route answers for an unknown id."""
    review = store().get_review(review_id)
    if review is None:
        raise NotFound(f"There is no review {review_id}; it may have been captured into another data directory.")
    return review


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
        body = json.loads(raw, parse_constant=_no_constant, parse_int=_whole_number, parse_float=_decimal_number)
    except UnicodeDecodeError:
        raise ApiError(400, "bad_json", "The request body is not UTF-8 text; send JSON encoded as UTF-8.") from None
    except json.JSONDecodeError as exc:
        raise ApiError(
            400, "bad_json", f"The request body is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})."
        ) from None
    except RecursionError:
        raise _too_deep() from None
    _check_parsed(body)
    return body


def _too_deep() -> ApiError:
    return ApiError(400, "bad_json", f"The JSON is nested more than {limits.JSON_DEPTH} levels deep; send the flat object the API describes.")


def _no_constant(name: str) -> Any:
    raise ApiError(400, "bad_json", f"The JSON holds {name}, which is not a number in JSON; send a finite number or null.")


def _whole_number(text: str) -> int:
    if len(text) > limits.JSON_NUMBER_CHARS:
        raise ApiError(400, "bad_json", f"The JSON holds a number of {len(text)} digits; no field takes more than {limits.JSON_NUMBER_CHARS}.")
    return int(text)


def _decimal_number(text: str) -> float:
    value = float(text) if len(text) <= limits.JSON_NUMBER_CHARS else math.inf
    if not math.isfinite(value):
        raise ApiError(400, "bad_json", f"The JSON holds the number {text[:40]}, too large for any field; send a finite number.")
    return value


def _check_parsed(body: Any) -> None:
    """Refuse what json.loads lets through but nothing downstream can hold: nesting deeper than
    JSON_DEPTH, and strings with a lone surrogate ("\\ud800"), which is no character in UTF-8."""
    pending = [(body, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise ApiError(400, "bad_json", "The JSON holds a string with a lone surrogate escape (such as \\ud800), "
                                                "which is no character; send text as UTF-8.") from None
        elif isinstance(value, (dict, list)):
            if depth > limits.JSON_DEPTH:
                raise _too_deep()
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                pending.append((key, depth + 1))
                pending.append((item, depth + 1))


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


def text_arg(name: str, limit: int = limits.SEARCH_CHARS) -> str | None:
    """A text query parameter, stripped (None when absent or blank): at most ``limit`` characters, no control characters."""
    raw = (request.args.get(name) or "").strip()
    if len(raw) > limit:
        raise ApiError(400, "invalid_parameter", f"'{name}' must be at most {limit} characters; search for a shorter part of the text.")
    if any(ord(ch) < 32 or 0xD800 <= ord(ch) < 0xE000 for ch in raw):
        raise ApiError(400, "invalid_parameter", f"'{name}' holds a control character; search for plain text.")
    return raw or None


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
