"""``GET/PUT /api/settings``: the practice's name, contact lines, reply rules and workflow targets.

``GET`` also describes the settings form (each setting's label, section, kind, default, help and bounds),
so the dashboard builds its form from the one table in :mod:`server.settings`.
"""

from __future__ import annotations

from flask import Blueprint

from parsers.isotime import iso_utc
from server.settings import all_settings, form_fields, form_sections, validate
from server.web.api.common import json_body, now, ok, store

bp = Blueprint("settings", __name__)


@bp.get("/settings")
def get_settings():
    return ok(settings=all_settings(store().settings()), fields=form_fields(), sections=form_sections())


@bp.put("/settings")
def put_settings():
    changes = validate(json_body())
    return ok(settings=all_settings(store().update_settings(changes, iso_utc(now()))))
