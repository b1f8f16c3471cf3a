"""Contacts: import an export (multipart), search, and one contact with its activities."""

from __future__ import annotations

import json

from flask import Blueprint, request

from parsers.contacts import ContactFileError, parse_mapping_options
from server.contacts.importing import import_contacts
from server.errors import NotFound
from server.web.api.common import int_arg, now, ok, store
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


@bp.post("/contacts/import")
def import_file():
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ApiError(400, "missing_field", "Send the contact export as the multipart field 'file'.")
    activities = request.files.get("activities")
    report = import_contacts(
        store(), upload.read(), upload.filename, now=now(), mapping=_mapping("mapping"),
        activities=(activities.read(), activities.filename or "activities.csv") if activities and activities.filename else None,
        activity_mapping=_mapping("activities_mapping"),
    )
    return ok(**report.as_json())


@bp.get("/contacts")
def list_contacts():
    q = (request.args.get("q") or "").strip() or None
    limit = int_arg("limit", 50, minimum=1, maximum=500)
    offset = int_arg("offset", 0, minimum=0, maximum=10**9)
    contacts, total = store().search_contacts(q, limit, offset)
    return ok(contacts=contacts, total=total, limit=limit, offset=offset)


@bp.get("/contacts/<int:contact_id>")
def get_contact(contact_id: int):
    contact = store().get_contact(contact_id)
    if contact is None:
        raise NotFound(f"There is no contact {contact_id}; it may have been imported into another data directory.")
    return ok(contact=contact)
