"""The only code that knows SQLite: connections, transactions, and every query ReviewDesk makes.

Tables and indexes are declared in :mod:`server.storage.schema` as migrations. Everything else asks
this module's :class:`Store` for records and hands it records to write.
"""

from __future__ import annotations

import json
import os
import queue
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from parsers.review import UNKNOWN, OwnerReply, Review
from parsers.dates import intersect, iso_utc, timestamp_range
from parsers.text import cut_prefix, is_cut_short
from server.storage import schema
from server.storage.contacts import ContactImport, ContactQueries, ContactRow

BUSY_TIMEOUT_MS = 15_000

# The search index matches substrings of at least this many characters; shorter ones are scanned.
TRIGRAM = 3

# Fields whose change makes a new version of a review (and a review_updated event).
VERSIONED_FIELDS = ("rating", "recommends", "text", "owner_reply_text")


def utc_now() -> str:
    return iso_utc(datetime.now(timezone.utc))


@dataclass
class IngestResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    review_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class ReviewFilter:
    platform: str | None = None
    q: str | None = None
    rating: int | None = None
    has_owner_reply: bool | None = None
    limit: int = 50
    offset: int = 0


def create_private_file(path: Path) -> None:
    """Create ``path`` (if missing) readable by its owner only; SQLite gives -wal/-shm the same mode."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


def initialise(path: str | Path) -> None:
    """Create the database file if needed, owner-only, in WAL mode, with every migration applied."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    create_private_file(path)
    with Store.connect(path) as store:
        store.db.enable_wal()
        schema.apply(store.db)


class StorePool:
    """Open connections kept for the next request, so a request does not pay for opening one."""

    def __init__(self, path: str | Path, keep: int = 16):
        self.path = path
        self.keep = keep
        self._idle: queue.LifoQueue[Store] = queue.LifoQueue()

    def acquire(self) -> "Store":
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            return Store.connect(self.path)

    def release(self, store: "Store") -> None:
        if store.db.conn.in_transaction:
            store.db.conn.execute("ROLLBACK")
        if self._idle.qsize() < self.keep:
            self._idle.put(store)
        else:
            store.close()


class Store(ContactQueries):
    """One connection to the ReviewDesk database. Not shared between threads."""

    def __init__(self, db: Database):
        self.db = db
        self._search_index: bool | None = None

    @classmethod
    def connect(cls, path: str | Path) -> "Store":
        # check_same_thread=False: a pooled connection serves one request at a time, on any thread.
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA cache_size = -16000")  # 16 MB: a 100,000-contact import stays in memory until commit
        return cls(Database(conn))

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    @contextmanager
    def write(self) -> Iterator[None]:
        """A write transaction that takes the write lock up front (no deadlock between writers)."""
        conn = self.db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        return self.db.conn.execute(sql, tuple(params)).fetchall()

    # -- health -------------------------------------------------------------------------------

    def health(self) -> dict[str, Any]:
        """Whether the database answers and has every migration applied (cheap: the toolbar polls it)."""
        pending = schema.pending(self.db)
        return {
            "ok": not pending,
            "schema": schema.applied_migration(self.db),
            "pending_migrations": pending,
            "journal_mode": self.db.conn.execute("PRAGMA journal_mode").fetchone()[0],
            "reviews": self.count_reviews(),
        }

    def integrity(self) -> str:
        """SQLite's full integrity check: ``"ok"`` or the first problems found (reads the whole file)."""
        return self.db.conn.execute("PRAGMA integrity_check").fetchone()[0]

    def backup_to(self, destination: str | Path) -> None:
        """Copy the whole database to ``destination`` as one consistent snapshot (SQLite online backup)."""
        destination = Path(destination)
        create_private_file(destination)
        target = sqlite3.connect(str(destination))
        try:
            self.db.conn.backup(target)
        finally:
            target.close()

    # -- reviews ------------------------------------------------------------------------------

    def ingest_reviews(self, reviews: Iterable[Review], seen_at: str | None = None) -> IngestResult:
        """Insert new reviews and update known ones, in one transaction.

        A changed rating, recommendation, text or owner reply keeps the old version in
        ``review_versions`` and appends a ``review_updated`` event with old and new values. Other
        shown details (display name, date text, URL) are refreshed without a new version.
        """
        seen_at = seen_at or utc_now()
        result = IngestResult()
        with self.write():
            for review in reviews:
                existing = self._find_review(review)
                if existing is None:
                    result.review_ids.append(self._insert_review(review, seen_at))
                    result.created += 1
                elif self._update_review(existing, review, seen_at):
                    result.review_ids.append(existing["id"])
                    result.updated += 1
                else:
                    result.review_ids.append(existing["id"])
                    result.unchanged += 1
        return result

    def _find_review(self, review: Review) -> sqlite3.Row | None:
        if review.platform_review_id is not None:
            rows = self._rows(
                "SELECT * FROM reviews WHERE platform = ? AND platform_review_id = ?",
                (review.platform, review.platform_review_id),
            )
            if rows:
                return rows[0]
            # The same review captured earlier from a layout without ids: adopt it.
            rows = self._rows(
                "SELECT * FROM reviews WHERE platform = ? AND fingerprint = ? AND platform_review_id IS NULL",
                (review.platform, review.fingerprint),
            )
            return rows[0] if rows else None
        rows = self._rows(
            "SELECT * FROM reviews WHERE platform = ? AND fingerprint = ? "
            "ORDER BY platform_review_id IS NOT NULL, id",
            (review.platform, review.fingerprint),
        )
        # Without an id, only an unambiguous fingerprint identifies the review.
        if rows and (rows[0]["platform_review_id"] is None or len(rows) == 1):
            return rows[0]
        return None

    @staticmethod
    def _shown_fields(review: Review, existing: sqlite3.Row | None) -> dict[str, Any]:
        """Details refreshed on every capture without a new version; what is not shown is kept."""
        date_range, precision = review_date_range(review), review.date_precision
        if review.created_at and not review.date_precision and date_range:
            precision = "second"
        if existing is not None:
            stored = date_range_of(existing, "date")
            if stored and review.edited and not existing["edited"]:
                # The page now shows when the review was edited, not when it was written: keep what we know.
                date_range, precision = stored, existing["date_precision"]
            else:
                narrowed = intersect(stored, date_range)
                if narrowed == stored:
                    precision = existing["date_precision"]
                date_range = narrowed
        values = {
            "reviewer_name": review.reviewer_name,
            "reviewer_url": review.reviewer_url,
            "date_text": review.date_text,
            "created_at": review.created_at,
            "url": review.url,
            "place": review.place,
            "language": review.language,
            "date_min": date_range[0] if date_range else None,
            "date_max": date_range[1] if date_range else None,
            "date_precision": precision if date_range else None,
            # Once a page has said "Edited", the review stays edited.
            "edited": 1 if review.edited or (existing is not None and existing["edited"]) else 0,
        }
        if existing is None:
            return values
        return {name: value for name, value in values.items() if value is not None}

    @staticmethod
    def _versioned_fields(review: Review, existing: sqlite3.Row | None) -> dict[str, Any]:
        """Versioned values from ``review``; what it does not show keeps the stored value."""

        def keep(name: str, value: Any) -> Any:
            return existing[name] if value is None and existing is not None else value

        text, truncated = review.text, int(review.text_truncated)
        if existing is not None and truncated and existing["text"].startswith(cut_prefix(text)):
            # A shortened copy of what we know in full (or already knew shortened): keep what we know.
            text, truncated = existing["text"], existing["text_truncated"]
        values = {
            "rating": keep("rating", review.rating),
            "recommends": keep("recommends", None if review.recommends is None else int(review.recommends)),
            "text": text,
            "text_truncated": truncated,
        }
        reply = review.owner_reply
        reply_columns = ("owner_reply_text", "owner_reply_date_text", "owner_reply_at", "owner_reply_date_min", "owner_reply_date_max")
        if reply is UNKNOWN:
            for name in reply_columns:
                values[name] = existing[name] if existing is not None else None
        elif not reply:
            values.update(dict.fromkeys(reply_columns))
        elif existing is not None and reply.truncated and (existing["owner_reply_text"] or "").startswith(cut_prefix(reply.text)):
            for name in reply_columns:  # a shortened copy of the reply we know: keep ours
                values[name] = existing[name]
        else:
            reply_range = (reply.date_min, reply.date_max) if reply.date_min and reply.date_max else None
            if reply.created_at:
                reply_range = timestamp_range(reply.created_at)
            if existing is not None and existing["owner_reply_text"] == reply.text:
                reply_range = intersect(date_range_of(existing, "owner_reply_date"), reply_range)
            values.update(
                owner_reply_text=reply.text,
                owner_reply_date_text=reply.date_text,
                owner_reply_at=reply.created_at,
                owner_reply_date_min=reply_range[0] if reply_range else None,
                owner_reply_date_max=reply_range[1] if reply_range else None,
            )
        return values

    def _insert_review(self, review: Review, seen_at: str) -> int:
        row = {
            "platform": review.platform,
            "platform_review_id": review.platform_review_id,
            "fingerprint": review.fingerprint,
            **self._shown_fields(review, None),
            **self._versioned_fields(review, None),
            "version": 1,
            "first_seen_at": seen_at,
            "last_seen_at": seen_at,
            "changed_at": seen_at,
        }
        columns = ", ".join(row)
        placeholders = ", ".join("?" for _ in row)
        cursor = self.db.conn.execute(f"INSERT INTO reviews ({columns}) VALUES ({placeholders})", tuple(row.values()))
        if row["owner_reply_text"] is not None:
            self._log_detected_reply(cursor.lastrowid, row, seen_at, already_there=True)
        return cursor.lastrowid

    def _log_detected_reply(self, review_id: int, values: dict[str, Any], seen_at: str, already_there: bool = False) -> None:
        """An owner reply seen on the page: a ``replied`` event at its (latest possible) time."""
        latest = values.get("owner_reply_date_max") or values.get("owner_reply_at")
        at = min(latest, seen_at) if latest else seen_at
        self.append_event(review_id, "replied", at=at, data={
            "source": "capture", "text": values["owner_reply_text"], "date_min": values.get("owner_reply_date_min"),
            "date_max": values.get("owner_reply_date_max"), "already_replied_when_first_seen": already_there,
        })

    def _update_review(self, existing: sqlite3.Row, review: Review, seen_at: str) -> bool:
        """Refresh a stored review; returns whether a versioned field changed."""
        shown = self._shown_fields(review, existing)
        versioned = self._versioned_fields(review, existing)
        changes = {
            name: {"old": existing[name], "new": versioned[name]}
            for name in VERSIONED_FIELDS
            if existing[name] != versioned[name]
            and not _completes(name, existing, versioned[name])
        }
        updates: dict[str, Any] = {**shown, "last_seen_at": seen_at}
        if existing["platform_review_id"] is None and review.platform_review_id is not None:
            updates["platform_review_id"] = review.platform_review_id
        updates.update({name: value for name, value in versioned.items() if value != existing[name]})
        if changes:
            self.db.conn.execute(
                "INSERT INTO review_versions (review_id, version, rating, recommends, text, owner_reply_text, "
                "owner_reply_date_text, owner_reply_at, seen_from, replaced_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    existing["id"], existing["version"], existing["rating"], existing["recommends"], existing["text"],
                    existing["owner_reply_text"], existing["owner_reply_date_text"], existing["owner_reply_at"],
                    existing["changed_at"], seen_at,
                ),
            )
            updates.update(version=existing["version"] + 1, changed_at=seen_at)
            self.append_event(existing["id"], "review_updated", at=seen_at, data={"changes": changes})
            if existing["owner_reply_text"] is None and versioned["owner_reply_text"] is not None:
                self._log_detected_reply(existing["id"], versioned, seen_at)
        assignments = ", ".join(f"{name} = ?" for name in updates)
        self.db.conn.execute(f"UPDATE reviews SET {assignments} WHERE id = ?", (*updates.values(), existing["id"]))
        return bool(changes)

    def list_reviews(self, query: ReviewFilter) -> tuple[list[dict[str, Any]], int]:
        clauses, params = [], []
        if query.platform:
            clauses.append("platform = ?")
            params.append(query.platform)
        if query.rating is not None:
            clauses.append("rating = ?")
            params.append(query.rating)
        if query.has_owner_reply is not None:
            clauses.append("owner_reply_text IS NOT NULL" if query.has_owner_reply else "owner_reply_text IS NULL")
        if query.q:
            if len(query.q) >= TRIGRAM and self._has_search_index():
                clauses.append("id IN (SELECT rowid FROM reviews_search WHERE reviews_search MATCH ?)")
                params.append('"' + query.q.replace('"', '""') + '"')
            else:
                clauses.append("(reviewer_name LIKE ? ESCAPE '\\' OR text LIKE ? ESCAPE '\\')")
                pattern = "%" + query.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
                params += [pattern, pattern]
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        total = self.db.conn.execute(f"SELECT count(*) FROM reviews {where}", params).fetchone()[0]
        rows = self._rows(f"SELECT * FROM reviews {where} ORDER BY id DESC LIMIT ? OFFSET ?", (*params, query.limit, query.offset))
        return [review_json(row) for row in rows], total

    def _has_search_index(self) -> bool:
        if self._search_index is None:
            self._search_index = self.db["reviews_search"].exists()
        return self._search_index

    def get_review(self, review_id: int) -> dict[str, Any] | None:
        rows = self._rows("SELECT * FROM reviews WHERE id = ?", (review_id,))
        return review_json(rows[0]) if rows else None

    def review_history(self, review_id: int) -> list[dict[str, Any]]:
        rows = self._rows("SELECT * FROM review_versions WHERE review_id = ? ORDER BY version", (review_id,))
        return [
            {
                "version": row["version"],
                "rating": row["rating"],
                "recommends": _bool_or_none(row["recommends"]),
                "text": row["text"],
                "owner_reply": _owner_reply_json(row),
                "seen_from": row["seen_from"],
                "replaced_at": row["replaced_at"],
            }
            for row in rows
        ]

    def count_reviews(self) -> int:
        return self.db.conn.execute("SELECT count(*) FROM reviews").fetchone()[0]

    # -- settings and the practice's own replies -------------------------------------------------

    def settings(self) -> dict[str, Any]:
        return {row["key"]: json.loads(row["value"]) for row in self._rows("SELECT key, value FROM settings")}

    def update_settings(self, changes: dict[str, Any]) -> dict[str, Any]:
        now = utc_now()
        with self.write():
            self.db.conn.executemany(
                "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                [(key, json.dumps(value, ensure_ascii=False), now) for key, value in changes.items()],
            )
        return self.settings()

    def recent_owner_replies(self, limit: int = 50) -> list[str]:
        """The practice's latest replies as seen on the platforms (to vary new suggestions against them)."""
        rows = self._rows("SELECT owner_reply_text FROM reviews WHERE owner_reply_text IS NOT NULL ORDER BY last_seen_at DESC LIMIT ?", (limit,))
        return [row[0] for row in rows]

    # -- events -------------------------------------------------------------------------------

    def append_event(
        self,
        review_id: int | None,
        event_type: str,
        *,
        at: str,
        data: dict[str, Any] | None = None,
        staff: str | None = None,
        contact_id: int | None = None,
    ) -> int:
        cursor = self.db.conn.execute(
            "INSERT INTO events (review_id, contact_id, type, at, recorded_at, staff, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (review_id, contact_id, event_type, at, utc_now(), staff, json.dumps(data or {}, ensure_ascii=False)),
        )
        return cursor.lastrowid

    def review_events(self, review_id: int) -> list[dict[str, Any]]:
        return self.events_for([review_id]).get(review_id, [])

    def events_for(self, review_ids: Iterable[int] | None = None) -> dict[int, list[dict[str, Any]]]:
        """Each review's events, oldest first (every review's when ``review_ids`` is None)."""
        if review_ids is None:
            rows = self._rows("SELECT * FROM events WHERE review_id IS NOT NULL ORDER BY at, id")
        else:
            ids = list(review_ids)
            rows = []
            for start in range(0, len(ids), 900):
                chunk = ids[start:start + 900]
                rows += self._rows(f"SELECT * FROM events WHERE review_id IN ({', '.join('?' * len(chunk))}) ORDER BY at, id", chunk)
            rows.sort(key=lambda row: (row["at"], row["id"]))
        by_review: dict[int, list[dict[str, Any]]] = {}
        for row in rows:
            by_review.setdefault(row["review_id"], []).append(_event_json(row))
        return by_review

    def all_reviews(self) -> list[dict[str, Any]]:
        return [review_json(row) for row in self._rows("SELECT * FROM reviews ORDER BY id")]

    def requests_sent_since(self, since: str) -> dict[int, str]:
        """Contact id → when a review request was last sent to them, for requests since ``since``."""
        rows = self._rows("SELECT contact_id, max(at) FROM events WHERE type = 'request_sent' AND contact_id IS NOT NULL "
                          "AND at >= ? GROUP BY contact_id", (since,))
        return {row[0]: row[1] for row in rows}

    def contacts_seen_since(self, since: str) -> list[dict[str, Any]]:
        from server.storage.contacts import contact_json

        rows = self._rows("SELECT * FROM contacts WHERE last_seen_at >= ? ORDER BY last_seen_at DESC, id", (since[:10],))
        return [contact_json(row) for row in rows]

    def set_opted_out(self, contact_id: int, opted_out: bool, at: str) -> None:
        with self.write():
            self.db.conn.execute("UPDATE contacts SET opted_out = ?, updated_at = ? WHERE id = ?", (int(opted_out), at, contact_id))

    def log_requests_sent(self, contact_ids: list[int], at: str, staff: str | None) -> None:
        with self.write():
            for contact_id in contact_ids:
                self.append_event(None, "request_sent", at=at, staff=staff, contact_id=contact_id)

    def log_event(self, review_id: int, event_type: str, at: str, data: dict[str, Any], staff: str | None) -> int:
        with self.write():
            return self.append_event(review_id, event_type, at=at, data=data, staff=staff)


def _completes(name: str, existing: sqlite3.Row, new: Any) -> bool:
    """The full text of what was only known shortened: not a change by the reviewer or the owner."""
    old = existing[name]
    if not isinstance(old, str) or not isinstance(new, str) or not is_cut_short(old):
        return False
    return (name == "text" or name == "owner_reply_text") and new.startswith(cut_prefix(old))


def date_range_of(row: sqlite3.Row, prefix: str) -> tuple[str, str] | None:
    low, high = row[f"{prefix}_min"], row[f"{prefix}_max"]
    return (low, high) if low and high else None


def review_date_range(review: Review) -> tuple[str, str] | None:
    """The range a review was written in: from its shown date, else its exact creation time."""
    if review.date_min and review.date_max:
        return review.date_min, review.date_max
    if review.created_at:
        return timestamp_range(review.created_at)
    return None


def _event_json(row: sqlite3.Row) -> dict[str, Any]:
    return {"id": row["id"], "type": row["type"], "at": row["at"], "recorded_at": row["recorded_at"],
            "staff": row["staff"], "contact_id": row["contact_id"], **json.loads(row["data"])}


def _bool_or_none(value: int | None) -> bool | None:
    return None if value is None else bool(value)


def _owner_reply_json(row: sqlite3.Row) -> dict[str, Any] | None:
    if row["owner_reply_text"] is None:
        return None
    reply = {"text": row["owner_reply_text"], "date_text": row["owner_reply_date_text"], "created_at": row["owner_reply_at"]}
    if "owner_reply_date_min" in row.keys():
        reply.update(date_min=row["owner_reply_date_min"], date_max=row["owner_reply_date_max"])
    return reply


def review_json(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "platform": row["platform"],
        "platform_review_id": row["platform_review_id"],
        "fingerprint": row["fingerprint"],
        "place": row["place"],
        "reviewer_name": row["reviewer_name"],
        "reviewer_url": row["reviewer_url"],
        "rating": row["rating"],
        "recommends": _bool_or_none(row["recommends"]),
        "text": row["text"],
        "date_text": row["date_text"],
        "date_min": row["date_min"],
        "date_max": row["date_max"],
        "date_precision": row["date_precision"],
        "edited": bool(row["edited"]),
        "created_at": row["created_at"],
        "text_truncated": bool(row["text_truncated"]),
        "language": row["language"],
        "url": row["url"],
        "owner_reply": _owner_reply_json(row),
        "version": row["version"],
        "first_seen_at": row["first_seen_at"],
        "last_seen_at": row["last_seen_at"],
        "changed_at": row["changed_at"],
    }


__all__ = ["ContactImport", "ContactRow", "IngestResult", "OwnerReply", "ReviewFilter", "Store", "StorePool", "initialise", "utc_now"]
