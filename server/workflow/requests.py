"""Review requests (docs/design.md#w8-outweigh-negatives-with-volume-review-requests): every contact
seen recently who was not asked lately, never filtered by how happy they are (Google forbids review
gating, the FTC rule bans suppression), and never Yelp (Yelp forbids asking for reviews)."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta
from typing import Any

from parsers.isotime import iso_utc
from server.errors import NotFound
from server.settings import all_settings
from server.storage import Store

YELP_NOTE = "Yelp is never included: Yelp forbids asking customers for reviews."
LINKED_PLATFORMS = ("google", "facebook")
# A spreadsheet reads a cell starting with these as a formula (a leading tab or carriage return is skipped first).
FORMULA_START = re.compile(r"^[=+\-@\t\r]")
PHONE_NUMBER = re.compile(r"^\+?[0-9 ().\-]+$")  # digits and punctuation only: nothing a formula could call


def request_list(store: Store, now: datetime, limit: int | None = None, offset: int = 0) -> dict[str, Any]:
    """Who to ask for a review now, most recently seen first (a page of ``limit`` from ``offset``; None: all of
    them), how many there are in all, and the practice's review links."""
    settings = all_settings(store.settings())
    recent_since = iso_utc(now - timedelta(days=settings["request_recent_days"]))
    asked_since = iso_utc(now - timedelta(days=settings["request_cap_days"]))
    links = {name: settings[f"{name}_review_link"] for name in LINKED_PLATFORMS if settings[f"{name}_review_link"]}
    found, total = store.request_candidates(recent_since, asked_since, limit, offset)
    contacts = [{"contact_id": c["id"], "name": c["name"], "phone": c["phone"], "email": c["email"], "last_seen_at": c["last_seen_at"],
                 "last_asked_at": c["last_asked_at"]} for c in found]
    note = YELP_NOTE
    if not links:
        note += " Add your Google and Facebook review links in the settings (google_review_link, facebook_review_link)."
    return {"contacts": contacts, "total": total, "limit": limit, "offset": offset, "links": links,
            "seen_within_days": settings["request_recent_days"], "not_asked_within_days": settings["request_cap_days"], "note": note}


def as_csv(listing: dict[str, Any]) -> str:
    """The request list as a spreadsheet: one row per contact, with the review links. Contact fields come
    from imported exports, so none of them can become a live formula in the spreadsheet (:func:`inert`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["name", "phone", "email", "last_seen_at", *[f"{name}_review_link" for name in listing["links"]]])
    for contact in listing["contacts"]:
        writer.writerow([inert(value) for value in (contact["name"], contact["phone"], contact["email"], contact["last_seen_at"],
                                                    *listing["links"].values())])
    return buffer.getvalue()


def inert(value: str | None) -> str:
    """A spreadsheet cell that shows ``value`` as text: a value a spreadsheet would run as a formula
    (starting with =, +, -, @, or a tab or carriage return) gets a leading single quote; phone numbers
    such as +1 512 555 0100 stay as they are."""
    text = value or ""
    if FORMULA_START.match(text) and not PHONE_NUMBER.match(text):
        return "'" + text
    return text


def _require_contacts(store: Store, contact_ids: list[int]) -> None:
    missing = [contact_id for contact_id in contact_ids if store.get_contact(contact_id) is None]
    if missing:
        raise NotFound(f"No contact with id {', '.join(map(str, missing))}.")


def mark_sent(store: Store, contact_ids: list[int], now: datetime, staff: str | None) -> int:
    """Record that these contacts were asked (a ``request_sent`` event each); returns how many."""
    _require_contacts(store, contact_ids)
    unique = list(dict.fromkeys(contact_ids))
    at = iso_utc(now)
    with store.write():
        for contact_id in unique:
            store.append_event(None, "request_sent", at=at, recorded_at=at, staff=staff, contact_id=contact_id)
    return len(unique)


def set_opt_out(store: Store, contact_id: int, opted_out: bool, now: datetime) -> dict[str, Any]:
    """Never ask this contact (or ask again); returns the contact."""
    if store.get_contact(contact_id) is None:
        raise NotFound(f"There is no contact {contact_id}.")
    store.set_opted_out(contact_id, opted_out, iso_utc(now))
    return store.get_contact(contact_id)
