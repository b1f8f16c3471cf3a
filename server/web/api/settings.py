"""``GET/PUT /api/settings``: the practice's name, contact lines and reply rules."""

from __future__ import annotations

from flask import Blueprint

from server.web.api.common import json_body, ok, store
from server.settings import DEFAULTS, validate

bp = Blueprint("settings", __name__)


@bp.get("/settings")
def get_settings():
    return ok(settings={**DEFAULTS, **store().settings()})


@bp.put("/settings")
def put_settings():
    changes = validate(json_body())
    return ok(settings={**DEFAULTS, **store().update_settings(changes)})
