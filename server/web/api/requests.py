"""Review requests (W8): every contact seen recently who was not asked lately, never filtered by how
happy they are (Google forbids review gating, the FTC rule bans suppression), and never Yelp (Yelp
forbids asking for reviews)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from flask import Blueprint, Response, request

from parsers.dates import iso_utc
from server.web.api.common import json_body, now, ok, store
from server.web.errors import ApiError
from server.settings import all_settings

bp = Blueprint("requests", __name__)
YELP_NOTE = "Yelp is never included: Yelp forbids asking customers for reviews."


def _request_list() -> dict:
    db, current = store(), now()
    settings = all_settings(db.settings())
    recent_since = iso_utc(current - timedelta(days=settings["request_recent_days"]))
    asked_since = iso_utc(current - timedelta(days=settings["request_cap_days"]))
    asked = db.requests_sent_since(asked_since)
    links = {name: settings[f"{name}_review_link"] for name in ("google", "facebook") if settings[f"{name}_review_link"]}
    contacts = [
        {"contact_id": c["id"], "name": c["name"], "phone": c["phone"], "email": c["email"], "last_seen_at": c["last_seen_at"]}
        for c in db.contacts_seen_since(recent_since)
        if not c["opted_out"] and c["id"] not in asked
    ]
    note = YELP_NOTE
    if not links:
        note += " Add your Google and Facebook review links in the settings (google_review_link, facebook_review_link)."
    return {"contacts": contacts, "links": links, "seen_within_days": settings["request_recent_days"],
            "not_asked_within_days": settings["request_cap_days"], "note": note}


@bp.get("/review-requests")
def review_requests():
    listing = _request_list()
    if request.args.get("format") == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["name", "phone", "email", "last_seen_at", *[f"{name}_review_link" for name in listing["links"]]])
        for contact in listing["contacts"]:
            writer.writerow([contact["name"], contact["phone"] or "", contact["email"] or "", contact["last_seen_at"] or "",
                             *listing["links"].values()])
        return Response(buffer.getvalue(), mimetype="text/csv",
                        headers={"Content-Disposition": "attachment; filename=review-requests.csv"})
    return ok(**listing)


@bp.post("/review-requests/sent")
def mark_sent():
    body = json_body()
    ids = body.get("contact_ids") if isinstance(body, dict) else None
    if not isinstance(ids, list) or not ids or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        raise ApiError(400, "missing_field", "Send {\"contact_ids\": [<id>, ...]} for the contacts you asked.")
    db = store()
    missing = [i for i in ids if db.get_contact(i) is None]
    if missing:
        raise ApiError(404, "not_found", f"No contact with id {', '.join(map(str, missing))}.")
    db.log_requests_sent(list(dict.fromkeys(ids)), iso_utc(now()), body.get("staff") if isinstance(body.get("staff"), str) else None)
    return ok(marked=len(set(ids)))


@bp.post("/contacts/<int:contact_id>/opt-out")
def opt_out(contact_id: int):
    body = json_body()
    if not isinstance(body, dict) or not isinstance(body.get("opted_out"), bool):
        raise ApiError(400, "missing_field", "Send {\"opted_out\": true} (or false to ask them again).")
    db = store()
    if db.get_contact(contact_id) is None:
        raise ApiError(404, "not_found", f"There is no contact {contact_id}.")
    db.set_opted_out(contact_id, body["opted_out"], iso_utc(now()))
    return ok(contact=db.get_contact(contact_id))
