"""Contacts, their activities, match keys and staff match decisions (part of :class:`server.storage.Store`)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from parsers.contacts import phone_key

CONTACT_COLUMNS = ("external_id", "name", "first_name", "last_name", "middle_name", "preferred_name", "phone", "email",
                   "last_seen_at")
ACTIVITY_COLUMNS = ("contact_id", "type", "at", "summary", "staff")
# Activities that are not a visit: they do not make a contact "seen" for review requests.
NOT_A_VISIT = frozenset({"note", "call", "email", "e-mail", "sms", "text", "letter", "activity"})
EXTERNAL_ID, EMAIL, PHONE = (CONTACT_COLUMNS.index(name) for name in ("external_id", "email", "phone"))
# SQLite allows 32,766 parameters per statement; id look-ups are chunked well below that.
PARAMETER_CHUNK = 900


@dataclass(slots=True)
class ContactRow:
    """One contact to store: ``values`` in CONTACT_COLUMNS order, the keys that find it, and its
    activities as (type, at, summary, staff)."""

    row: int
    values: tuple
    keys: tuple[str, ...]
    activities: list[tuple] = field(default_factory=list)


KeysOf = Callable[[sqlite3.Row], Iterable[str]]


@dataclass
class ContactImport:
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    activities: int = 0
    skipped: list[dict[str, Any]] = field(default_factory=list)


class ContactQueries:
    """Mixed into Store: everything about contacts. Expects ``self.db`` and ``self.write()``."""

    def _identity_index(self) -> tuple[dict, dict, dict, dict[int, sqlite3.Row]]:
        by_external, by_email, by_phone, rows = {}, {}, {}, {}
        for row in self.db.conn.execute(f"SELECT id, {', '.join(CONTACT_COLUMNS)} FROM contacts"):
            rows[row["id"]] = row
            if row["external_id"]:
                by_external[row["external_id"]] = row["id"]
            if row["email"]:
                by_email.setdefault(row["email"], row["id"])
            if row["phone"]:
                by_phone.setdefault(row["phone"], row["id"])
        return by_external, by_email, by_phone, rows

    def import_contacts(self, contacts: Sequence[ContactRow], now: str, keys_of: KeysOf, progress=None,
                        extra_activities: Sequence[tuple] = ()) -> ContactImport:
        """Insert new contacts and update known ones (by external id, then e-mail, then phone), atomically.

        ``extra_activities`` (reference, type, at, summary, staff, row) come from a separate export and
        are attached, in the same transaction, to the contact whose external id, e-mail or phone the
        reference is. Re-importing the same file changes nothing. ``keys_of(stored_row)`` gives the match keys a
        stored contact has (to replace them when its name changes); ``progress(done, total)`` is
        called as rows are processed.
        """
        result = ContactImport()
        conn = self.db.conn
        with self.write():
            by_external, by_email, by_phone, existing = self._identity_index()
            external_ids = {contact_id: row["external_id"] for contact_id, row in existing.items()}
            next_id = (conn.execute("SELECT max(id) FROM contacts").fetchone()[0] or 0) + 1
            seen_in_file: dict[int, int] = {}
            inserts, updates, keys, stale_keys, activities = [], [], [], [], []
            for done, contact in enumerate(contacts, start=1):
                incoming = contact.values
                external_id, email, phone = incoming[EXTERNAL_ID], incoming[EMAIL], incoming[PHONE]
                contact_id = external_id and by_external.get(external_id)
                if not contact_id:
                    contact_id = (email and by_email.get(email)) or (phone and by_phone.get(phone))
                    # Family members often share a phone or e-mail: a different id is a different person.
                    if contact_id and external_id and external_ids.get(contact_id) not in (None, external_id):
                        contact_id = None
                if contact_id and contact_id in seen_in_file:
                    result.skipped.append({"row": contact.row, "reason": f"same contact as row {seen_in_file[contact_id]}"})
                    continue
                if contact_id:
                    old = existing[contact_id]
                    if incoming == tuple(old[1:]):
                        result.unchanged += 1  # the common case of a re-import: nothing to compare field by field
                    else:
                        merged = {name: value if value not in (None, "") else old[name] for name, value in zip(CONTACT_COLUMNS, incoming)}
                        if old["last_seen_at"] and merged["last_seen_at"] and old["last_seen_at"] > merged["last_seen_at"]:
                            merged["last_seen_at"] = old["last_seen_at"]
                        if any(merged[name] != old[name] for name in CONTACT_COLUMNS):
                            updates.append((*merged.values(), now, contact_id))
                            stale_keys.extend((key, contact_id) for key in keys_of(old))
                            keys.extend((key, contact_id) for key in contact.keys)
                            result.updated += 1
                        else:
                            result.unchanged += 1
                else:
                    contact_id, next_id = next_id, next_id + 1
                    inserts.append((contact_id, *incoming, now, now))
                    external_ids[contact_id] = external_id
                    keys.extend((key, contact_id) for key in contact.keys)
                    for value, index in ((external_id, by_external), (email, by_email), (phone, by_phone)):
                        if value:
                            index.setdefault(value, contact_id)
                    result.imported += 1
                seen_in_file[contact_id] = contact.row
                activities.extend((contact_id, *activity) for activity in contact.activities)
                if progress and done % 5000 == 0:
                    progress(done, len(contacts))
            placeholders = ", ".join("?" * (len(CONTACT_COLUMNS) + 3))
            conn.executemany(
                f"INSERT INTO contacts (id, {', '.join(CONTACT_COLUMNS)}, imported_at, updated_at) VALUES ({placeholders})", inserts
            )
            assignments = ", ".join(f"{name} = ?" for name in CONTACT_COLUMNS)
            conn.executemany(f"UPDATE contacts SET {assignments}, updated_at = ? WHERE id = ?", updates)
            conn.executemany("DELETE FROM contact_keys WHERE key = ? AND contact_id = ?", stale_keys)
            conn.executemany("INSERT OR IGNORE INTO contact_keys (key, contact_id) VALUES (?, ?)", keys)
            for reference, *activity, row in extra_activities:
                contact_id = (by_external.get(reference) or by_email.get(reference.lower())
                              or by_phone.get(phone_key(reference) or ""))
                if contact_id is None:
                    result.skipped.append({"row": row, "reason": f"activities file: no contact with reference {reference!r}"})
                else:
                    activities.append((contact_id, *activity))
            result.activities = self._insert_activities(activities)
        if progress:
            progress(len(contacts), len(contacts))
        return result

    def _insert_activities(self, activities: Iterable[tuple]) -> int:
        """Add activities once each; a visit moves its contact's ``last_seen_at`` forward."""
        activities = list(activities)
        before = self.db.conn.total_changes
        self.db.conn.executemany(
            "INSERT OR IGNORE INTO activities (contact_id, type, at, summary, staff) VALUES (?, ?, ?, ?, ?)", activities
        )
        added = self.db.conn.total_changes - before
        seen = [(at, contact_id, at) for contact_id, kind, at, _, _ in activities if at and kind not in NOT_A_VISIT]
        self.db.conn.executemany(
            "UPDATE contacts SET last_seen_at = ? WHERE id = ? AND (last_seen_at IS NULL OR last_seen_at < ?)", seen
        )
        return added

    def contacts_with_keys(self, any_of: Sequence[str], and_any_of: Sequence[str] = (), limit: int = 5000) -> list[int]:
        """Contacts having one of ``any_of`` (and, when given, also one of ``and_any_of``), at most ``limit``."""
        if not any_of:
            return []
        sql = f"SELECT contact_id FROM contact_keys WHERE key IN ({', '.join('?' * len(any_of))})"
        params: list[Any] = list(any_of)
        if and_any_of:
            sql += f" INTERSECT SELECT contact_id FROM contact_keys WHERE key IN ({', '.join('?' * len(and_any_of))})"
            params += list(and_any_of)
        else:
            sql = sql.replace("SELECT contact_id", "SELECT DISTINCT contact_id", 1)
        rows = self.db.conn.execute(f"{sql} LIMIT ?", (*params, limit))
        return [row[0] for row in rows]

    def contacts_by_id(self, contact_ids: Sequence[int]) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for start in range(0, len(contact_ids), PARAMETER_CHUNK):
            chunk = contact_ids[start:start + PARAMETER_CHUNK]
            found.extend(contact_json(row) for row in self.db.conn.execute(
                f"SELECT * FROM contacts WHERE id IN ({', '.join('?' * len(chunk))})", tuple(chunk)))
        return found

    def activities_of(self, contact_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
        by_contact: dict[int, list[dict[str, Any]]] = {contact_id: [] for contact_id in contact_ids}
        for start in range(0, len(contact_ids), PARAMETER_CHUNK):
            chunk = contact_ids[start:start + PARAMETER_CHUNK]
            for row in self.db.conn.execute(
                f"SELECT * FROM activities WHERE contact_id IN ({', '.join('?' * len(chunk))}) ORDER BY at DESC, id DESC",
                tuple(chunk),
            ):
                by_contact[row["contact_id"]].append(
                    {"type": row["type"], "at": row["at"], "summary": row["summary"], "staff": row["staff"]}
                )
        return by_contact

    def get_contact(self, contact_id: int) -> dict[str, Any] | None:
        if not 0 < contact_id < 2**63:
            return None
        found = self.contacts_by_id([contact_id])
        if not found:
            return None
        return {**found[0], "activities": self.activities_of([contact_id])[contact_id]}

    def search_contacts(self, q: str | None, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
        where, params = "", []
        if q:
            pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            where = "WHERE name LIKE ? ESCAPE '\\' OR email LIKE ? ESCAPE '\\' OR phone LIKE ? ESCAPE '\\' OR external_id = ?"
            params = [pattern, pattern, pattern, q]
        total = self.db.conn.execute(f"SELECT count(*) FROM contacts {where}", params).fetchone()[0]
        rows = self.db.conn.execute(f"SELECT * FROM contacts {where} ORDER BY name COLLATE NOCASE, id LIMIT ? OFFSET ?",
                                    (*params, limit, offset))
        return [contact_json(row) for row in rows], total

    def count_contacts(self) -> int:
        return self.db.conn.execute("SELECT count(*) FROM contacts").fetchone()[0]

    # -- staff decisions on candidates --------------------------------------------------------

    def match_decisions(self, review_id: int) -> dict[int, str]:
        rows = self.db.conn.execute("SELECT contact_id, decision FROM match_decisions WHERE review_id = ?", (review_id,))
        return {row["contact_id"]: row["decision"] for row in rows}

    def decide_match(self, review_id: int, contact_id: int, decision: str, at: str, staff: str | None) -> None:
        """Remember a confirmation or rejection; a confirmation is logged as a ``match_confirmed`` event."""
        with self.write():
            self.db.conn.execute(
                "INSERT INTO match_decisions (review_id, contact_id, decision, decided_at, staff) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (review_id, contact_id) DO UPDATE SET decision = excluded.decision, "
                "decided_at = excluded.decided_at, staff = excluded.staff",
                (review_id, contact_id, decision, at, staff),
            )
            if decision == "confirm":
                self.append_event(review_id, "match_confirmed", at=at, staff=staff, contact_id=contact_id,
                                  data={"contact_id": contact_id})


def contact_json(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "external_id": row["external_id"],
        "name": row["name"],
        "first_name": row["first_name"],
        "last_name": row["last_name"],
        "middle_name": row["middle_name"],
        "preferred_name": row["preferred_name"],
        "phone": row["phone"],
        "email": row["email"],
        "last_seen_at": row["last_seen_at"],
        "opted_out": bool(row["opted_out"]),
    }
