"""Which stored contact an imported row is: the practice system's id, then the e-mail, then the phone.

Family members often share a phone or an e-mail: a row whose system id differs from the stored
contact's is a different person, whatever else they share. A re-imported row only fills in what it
has; a visit never moves back in time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from parsers.contacts import phone_key
from server.storage.contacts import CONTACT_COLUMNS

EXTERNAL_ID, EMAIL, PHONE = (CONTACT_COLUMNS.index(name) for name in ("external_id", "email", "phone"))


class ContactIdentities:
    """The stored contacts by system id, e-mail and phone, growing as new contacts are added."""

    def __init__(self, stored: Iterable[Mapping[str, Any]]):
        self.by_external: dict[str, int] = {}
        self.by_email: dict[str, int] = {}
        self.by_phone: dict[str, int] = {}
        self.rows: dict[int, Mapping[str, Any]] = {}
        self.external_ids: dict[int, str | None] = {}
        for row in stored:
            self.rows[row["id"]] = row
            self._index(row["id"], row["external_id"], row["email"], row["phone"])

    def _index(self, contact_id: int, external_id: str | None, email: str | None, phone: str | None) -> None:
        self.external_ids[contact_id] = external_id
        if external_id:
            self.by_external.setdefault(external_id, contact_id)
        if email:
            self.by_email.setdefault(email, contact_id)
        if phone:
            self.by_phone.setdefault(phone, contact_id)

    def find(self, values: tuple) -> int | None:
        """The known contact an imported row (values in CONTACT_COLUMNS order) is, or None."""
        external_id, email, phone = values[EXTERNAL_ID], values[EMAIL], values[PHONE]
        contact_id = external_id and self.by_external.get(external_id)
        if contact_id:
            return contact_id
        contact_id = (email and self.by_email.get(email)) or (phone and self.by_phone.get(phone))
        # Family members often share a phone or e-mail: a different id is a different person.
        if contact_id and external_id and self.external_ids.get(contact_id) not in (None, external_id):
            return None
        return contact_id or None

    def add(self, contact_id: int, values: tuple) -> None:
        """A new contact, so later rows of the same file find it."""
        self._index(contact_id, values[EXTERNAL_ID], values[EMAIL], values[PHONE])

    def find_reference(self, reference: str) -> int | None:
        """The contact an activity export refers to by system id, e-mail or phone."""
        return (self.by_external.get(reference) or self.by_email.get(reference.lower())
                or self.by_phone.get(phone_key(reference) or ""))


def merged(old: Mapping[str, Any], incoming: tuple) -> dict[str, Any] | None:
    """A known contact's fields after a re-import (blank fields keep the stored value, the last visit
    never moves back), or None when nothing changes."""
    values = {name: value if value not in (None, "") else old[name] for name, value in zip(CONTACT_COLUMNS, incoming)}
    if old["last_seen_at"] and values["last_seen_at"] and old["last_seen_at"] > values["last_seen_at"]:
        values["last_seen_at"] = old["last_seen_at"]
    return values if any(values[name] != old[name] for name in CONTACT_COLUMNS) else None
