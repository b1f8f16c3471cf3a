"""``POST /api/captures``: a page the toolbar captured becomes stored reviews, through the same ingestion."""

from __future__ import annotations

from flask import Blueprint

from parsers import limits
from server.reviews.capture import store_capture
from server.web.api.common import json_object, now, ok, store
from server.web.errors import ApiError

bp = Blueprint("captures", __name__)


@bp.post("/captures")
def capture():
    body = json_object('{"url": ..., "html": ..., "captured_at": ..., "lang": ...}')
    for name in ("url", "html"):
        if name not in body:
            raise ApiError(400, "missing_field", f"'{name}' is required: the page's address and its captured HTML.")
        if not isinstance(body[name], str):
            raise ApiError(422, "invalid_value", f"'{name}' must be a string.")
    lang = body.get("lang") or "en"
    if not isinstance(lang, str) or len(lang) > limits.LANGUAGE_TAG_CHARS:
        raise ApiError(422, "invalid_value", "'lang' must be the page's language tag, such as 'en' or 'es-MX'.")
    captured = store_capture(store(), body["url"], body["html"], body.get("captured_at"), lang, now())
    return ok(platform=captured.platform, status=captured.status, layout=captured.layout, warnings=captured.warnings,
              reviews=captured.reviews, created=captured.stored.created, updated=captured.stored.updated,
              unchanged=captured.stored.unchanged)
