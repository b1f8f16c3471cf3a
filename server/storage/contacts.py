"""Contacts, their activities, match keys and staff match decisions (part of :class:`server.storage.Store`)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from operator import itemgetter
from typing import Any

from server.storage.chunks import in_chunks
from server.storage.reviews import review_json

CONTACT_COLUMNS = ("external_id", "name", "first_name", "last_name", "middle_name", "preferred_name", "phone", "email",
                   "last_seen_at")
INDEXES_REBUILT_FROM = 10_000  # contacts inserted into an empty table: its indexes are built after them
NAME_COLUMNS = "id, first_name, last_name, name, middle_name, preferred_name"  # what matching reads of a contact


@contextmanager
def _indexes_built_after(conn: sqlite3.Connection, table: str) -> Iterator[None]:
    """Drop ``table``'s indexes, and create them again (as the schema declared them) when the block is done: built
    in one sorted pass, not row by row (a first import of 100,000 contacts writes its rows three times faster).
    Inside the caller's transaction: a failure restores them with everything else."""
    declared = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
                            (table,)).fetchall()
    for name, _ in declared:
        conn.execute(f'DROP INDEX "{name}"')
    yield
    for _, sql in declared:
        conn.execute(sql)


class ContactQueries:
    """Mixed into Store: everything about contacts. Expects ``self.db``, ``self.write()`` and ``self.append_event``."""

    def contact_identities(self) -> Iterator[sqlite3.Row]:
        """Every contact's id and stored fields (CONTACT_COLUMNS), to tell known contacts from new ones."""
        return self.db.conn.execute(f"SELECT id, {', '.join(CONTACT_COLUMNS)} FROM contacts")

    def next_contact_id(self) -> int:
        return (self.db.conn.execute("SELECT max(id) FROM contacts").fetchone()[0] or 0) + 1

    def write_contacts(self, inserts: Sequence[tuple], updates: Sequence[tuple], stale_keys: Sequence[tuple],
                       named: Sequence[tuple[int, int]], name_keys: Iterable[tuple[int, str]], at: str) -> None:
        """Insert (id, *CONTACT_COLUMNS) rows, update (*CONTACT_COLUMNS, id) rows, and replace match keys: the stale
        (key, contact id) pairs go, and each (contact id, name number) of ``named`` gets the keys of its name, from
        the (name number, key) pairs of ``name_keys``."""
        conn = self.db.conn
        placeholders = ", ".join("?" * (len(CONTACT_COLUMNS) + 3))
        first_import = len(inserts) > INDEXES_REBUILT_FROM and conn.execute("SELECT NOT EXISTS (SELECT 1 FROM contacts)").fetchone()[0]
        with _indexes_built_after(conn, "contacts") if first_import else nullcontext():
            conn.executemany(
                f"INSERT INTO contacts (id, {', '.join(CONTACT_COLUMNS)}, imported_at, updated_at) VALUES ({placeholders})",
                (((*row, at, at) for row in inserts)),
            )
        assignments = ", ".join(f"{name} = ?" for name in CONTACT_COLUMNS)
        conn.executemany(f"UPDATE contacts SET {assignments}, updated_at = ? WHERE id = ?",
                         ((*row[:-1], at, row[-1]) for row in updates))
        conn.executemany("DELETE FROM contact_keys WHERE key = ? AND contact_id = ?", stale_keys)
        self._add_keys_by_name(named, name_keys)

    def _add_keys_by_name(self, named: Sequence[tuple[int, int]], name_keys: Iterable[tuple[int, str]]) -> None:
        """Each contact of ``named`` gets its name's keys, in one joined insert rather than a row from Python per key:
        the names' keys and the contacts' names go in two temporary tables (each filled in its own order), and the
        join walks the keys in order (CROSS JOIN keeps them the outer loop), so each (key, contact) row is appended
        to the keys' table, not slotted in (a first import's 325,000 keys: about 0.4 s instead of 1)."""
        conn = self.db.conn
        conn.execute("CREATE TEMP TABLE imported_name_keys (key TEXT NOT NULL, name INTEGER NOT NULL, PRIMARY KEY (key, name)) "
                     "WITHOUT ROWID")
        conn.execute("CREATE TEMP TABLE imported_names (name INTEGER NOT NULL, contact_id INTEGER NOT NULL, "
                     "PRIMARY KEY (name, contact_id)) WITHOUT ROWID")
        conn.executemany("INSERT OR IGNORE INTO temp.imported_name_keys (name, key) VALUES (?, ?)", sorted(name_keys, key=itemgetter(1)))
        conn.executemany("INSERT INTO temp.imported_names (contact_id, name) VALUES (?, ?)", sorted(named, key=itemgetter(1)))
        conn.execute("INSERT OR IGNORE INTO contact_keys (key, contact_id) SELECT keys.key, names.contact_id "
                     "FROM temp.imported_name_keys AS keys CROSS JOIN temp.imported_names AS names ON names.name = keys.name")
        conn.execute("DROP TABLE temp.imported_names")
        conn.execute("DROP TABLE temp.imported_name_keys")

    def add_activities(self, activities: Sequence[tuple], visits: Sequence[tuple[int, str]]) -> int:
        """Add (contact_id, type, at, summary, staff) activities once each, and move each visited
        contact's ``last_seen_at`` forward to its (contact_id, at) visits. Returns how many were new."""
        before = self.db.conn.total_changes
        self.db.conn.executemany(
            "INSERT OR IGNORE INTO activities (contact_id, type, at, summary, staff) VALUES (?, ?, ?, ?, ?)", activities
        )
        added = self.db.conn.total_changes - before
        self.db.conn.executemany(
            "UPDATE contacts SET last_seen_at = ?1 WHERE id = ?2 AND (last_seen_at IS NULL OR last_seen_at < ?1)",
            [(at, contact_id) for contact_id, at in visits],
        )
        return added

    def contacts_unkeyed(self) -> bool:
        """Whether there are contacts but no match keys at all (a database whose keys a migration cleared)."""
        return self.db.conn.execute("SELECT EXISTS (SELECT 1 FROM contacts) AND NOT EXISTS (SELECT 1 FROM contact_keys)").fetchone()[0] == 1

    def contact_names_after(self, after_id: int, limit: int) -> list[sqlite3.Row]:
        """The stored name fields of the contacts with an id above ``after_id``, in order."""
        return self._rows(f"SELECT {NAME_COLUMNS} FROM contacts WHERE id > ? ORDER BY id LIMIT ?", (after_id, limit))

    def add_contact_keys(self, keys: Sequence[tuple[str, int]]) -> None:
        """(key, contact id) pairs, in the caller's transaction."""
        self.db.conn.executemany("INSERT OR IGNORE INTO contact_keys (key, contact_id) VALUES (?, ?)", keys)

    def contacts_with_keys(self, any_of: Sequence[str], and_any_of: Sequence[str] = (), limit: int = 5000) -> list[int]:
        """Contacts having one of ``any_of`` (and, when given, also one of ``and_any_of``), at most ``limit``."""
        if not any_of:
            return []
        if and_any_of and self._keyed(and_any_of) < self._keyed(any_of):
            any_of, and_any_of = and_any_of, any_of  # walk the fewer contacts ("Jorzel" rather than every Robert with a J)
        sql = f"SELECT DISTINCT contact_id FROM contact_keys AS first WHERE key IN ({', '.join('?' * len(any_of))})"
        params: list[Any] = list(any_of)
        if and_any_of:  # each fit checked in the key index, so the LIMIT stops the look-up early (an INTERSECT reads both sides whole)
            sql += (f" AND EXISTS (SELECT 1 FROM contact_keys AS also WHERE also.key IN ({', '.join('?' * len(and_any_of))}) "
                    "AND also.contact_id = first.contact_id)")
            params += list(and_any_of)
        rows = self.db.conn.execute(f"{sql} LIMIT ?", (*params, limit))
        return [row[0] for row in rows]

    def _keyed(self, keys: Sequence[str], enough: int = 400) -> int:
        """How many contacts have one of ``keys``, counted up to ``enough`` (a few index steps)."""
        return self.db.conn.execute(f"SELECT count(*) FROM (SELECT 1 FROM contact_keys WHERE key IN ({', '.join('?' * len(keys))}) "
                                    "LIMIT ?)", (*keys, enough)).fetchone()[0]

    def contact_names_by_id(self, contact_ids: Sequence[int]) -> list[sqlite3.Row]:
        """The stored name fields (and id) of these contacts: what matching scores."""
        found: list[sqlite3.Row] = []
        for chunk, placeholders in in_chunks(contact_ids):
            found += self._rows(f"SELECT {NAME_COLUMNS} FROM contacts WHERE id IN ({placeholders})", chunk)
        return found

    def contacts_by_id(self, contact_ids: Sequence[int]) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for chunk, placeholders in in_chunks(contact_ids):
            found.extend(contact_json(row) for row in self.db.conn.execute(
                f"SELECT * FROM contacts WHERE id IN ({placeholders})", tuple(chunk)))
        return found

    def activities_of(self, contact_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
        by_contact: dict[int, list[dict[str, Any]]] = {contact_id: [] for contact_id in contact_ids}
        for chunk, placeholders in in_chunks(contact_ids):
            for row in self.db.conn.execute(
                f"SELECT * FROM activities WHERE contact_id IN ({placeholders}) ORDER BY at DESC, id DESC",
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

    def reviews_confirmed_for(self, contact_id: int) -> list[dict[str, Any]]:
        """The reviews staff confirmed this contact wrote (newest first), each with when and by whom it was confirmed."""
        rows = self.db.conn.execute(
            "SELECT r.*, m.decided_at AS confirmed_at, m.staff AS confirmed_by "
            "FROM match_decisions m JOIN reviews r ON r.id = m.review_id "
            "WHERE m.contact_id = ? AND m.decision = 'confirm' "
            "ORDER BY coalesce(r.created_at, r.date_max, r.first_seen_at) DESC, r.id DESC",
            (contact_id,),
        )
        return [{**review_json(row), "confirmed_at": row["confirmed_at"], "confirmed_by": row["confirmed_by"]} for row in rows]

    def save_match_decision(self, review_id: int, contact_id: int, decision: str, at: str, staff: str | None) -> None:
        self.db.conn.execute(
            "INSERT INTO match_decisions (review_id, contact_id, decision, decided_at, staff) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (review_id, contact_id) DO UPDATE SET decision = excluded.decision, "
            "decided_at = excluded.decided_at, staff = excluded.staff",
            (review_id, contact_id, decision, at, staff),
        )

    # -- review requests ----------------------------------------------------------------------

    def request_candidates(self, seen_since: str, asked_before: str, limit: int | None, offset: int = 0
                           ) -> tuple[list[dict[str, Any]], int]:
        """A page of the contacts seen on or after ``seen_since`` (a day), not opted out and not asked for a review since
        ``asked_before``, most recently seen first, each with when it was last asked (or None); and how many there are."""
        where = ("FROM contacts AS c WHERE c.last_seen_at >= ? AND NOT c.opted_out AND NOT EXISTS (SELECT 1 FROM events AS e "
                 "WHERE e.contact_id = c.id AND e.type = 'request_sent' AND e.at >= ?)")
        params = (seen_since[:10], asked_before)
        total = self.db.conn.execute(f"SELECT count(*) {where}", params).fetchone()[0]
        rows = self._rows(
            "SELECT c.id, c.name, c.phone, c.email, c.last_seen_at, (SELECT max(e.at) FROM events AS e WHERE e.contact_id = c.id "
            f"AND e.type = 'request_sent') AS last_asked_at {where} ORDER BY c.last_seen_at DESC, c.id LIMIT ? OFFSET ?",
            (*params, -1 if limit is None else limit, offset))
        return [dict(row) for row in rows], total

    def set_opted_out(self, contact_id: int, opted_out: bool, at: str) -> None:
        with self.write():
            self.db.conn.execute("UPDATE contacts SET opted_out = ?, updated_at = ? WHERE id = ?", (int(opted_out), at, contact_id))


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
