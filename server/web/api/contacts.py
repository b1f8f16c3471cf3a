"""Contacts: preview and import an export (multipart), at once or in the background with its progress,
search, and one contact with its activities and the reviews matched to it."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, current_app, request

from parsers import limits
from parsers.contacts import ContactFileError, parse_mapping_options
from server.contacts.import_jobs import ImportJobs
from server.contacts.importing import preview_contacts
from server.contacts.record import contact_record
from server.web.api.common import int_arg, now, ok, store, text_arg
from server.web.errors import ApiError

bp = Blueprint("contacts", __name__)


def _mapping(field_name: str) -> dict[str, str] | None:
    """An explicit mapping: a JSON object {"Nom": "last_name"} or lines "Nom=last_name"."""
    raw = (request.form.get(field_name) or "").strip()
    if not raw:
        return None
    try:
        if raw.startswith("{"):
            value = json.loads(raw)
            if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
                raise ValueError
            return value
        return parse_mapping_options([line for line in raw.splitlines() if line.strip()])
    except (ValueError, ContactFileError):
        raise ApiError(400, "bad_mapping", f"'{field_name}' must be a JSON object like {{\"Nom\": \"last_name\"}} or lines like Nom=last_name.") from None


def _export() -> tuple[bytes, str]:
    """The uploaded contact export (multipart field ``file``) and its name."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ApiError(400, "missing_field", "Send the contact export as the multipart field 'file'.")
    return upload.read(), upload.filename


def _import_options() -> dict[str, Any]:
    """The optional parts of an import: the explicit mapping, a separate activity export and its mapping."""
    activities = request.files.get("activities")
    has_activities = activities is not None and bool(activities.filename)
    return {
        "mapping": _mapping("mapping"),
        "activities": (activities.read(), activities.filename) if has_activities else None,
        "activity_mapping": _mapping("activities_mapping"),
    }


def _import_jobs() -> ImportJobs:
    return current_app.extensions["reviewdesk.import_jobs"]


@bp.post("/contacts/preview")
def preview_file():
    raw, filename = _export()
    return ok(**preview_contacts(raw, filename, _mapping("mapping")).as_json())


@bp.post("/contacts/import")
def import_file():
    raw, filename = _export()
    report = current_app.extensions["reviewdesk.contact_importer"](raw, filename, now=now(), **_import_options())
    return ok(**report.as_json())


@bp.post("/contacts/imports")
def start_import():
    raw, filename = _export()
    job = _import_jobs().start(raw, filename, now=now(), **_import_options())
    return ok(202, **job.as_json())


@bp.get("/contacts/imports/<job_id>")
def import_progress(job_id: str):
    return ok(**_import_jobs().get(job_id).as_json())


@bp.get("/contacts")
def list_contacts():
    q = text_arg("q")
    limit = int_arg("limit", 50, minimum=1, maximum=limits.PAGE_SIZE)
    offset = int_arg("offset", 0, minimum=0, maximum=10**9)
    contacts, total = store().search_contacts(q, limit, offset)
    return ok(contacts=contacts, total=total, limit=limit, offset=offset)


@bp.get("/contacts/<int:contact_id>")
def get_contact(contact_id: int):
    return ok(contact=contact_record(store(), contact_id))
