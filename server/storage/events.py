"""The append-only event log, review requests and the practice's settings (part of :class:`server.storage.Store`)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from server.storage.chunks import in_chunks


class EventQueries:
    """Mixed into Store. Expects ``self.db``, ``self._rows`` and ``self.write()``."""

    def append_event(self, review_id: int | None, event_type: str, *, at: str, recorded_at: str,
                     data: dict[str, Any] | None = None, staff: str | None = None, contact_id: int | None = None) -> int:
        cursor = self.db.conn.execute(
            "INSERT INTO events (review_id, contact_id, type, at, recorded_at, staff, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (review_id, contact_id, event_type, at, recorded_at, staff, json.dumps(data or {}, ensure_ascii=False)),
        )
        return cursor.lastrowid

    def append_review_events(self, events: Sequence[tuple[int, str, str, dict[str, Any]]], *, recorded_at: str) -> None:
        """Append (review id, type, at, data) events in one statement, in order."""
        self.db.conn.executemany(
            "INSERT INTO events (review_id, type, at, recorded_at, data) VALUES (?, ?, ?, ?, ?)",
            [(review_id, event_type, at, recorded_at, json.dumps(data or {}, ensure_ascii=False)) for review_id, event_type, at, data in events])

    def review_events(self, review_id: int) -> list[dict[str, Any]]:
        return self.events_for([review_id]).get(review_id, [])

    def events_for(self, review_ids: Iterable[int]) -> dict[int, list[dict[str, Any]]]:
        """Each of these reviews' events, oldest first."""
        rows = []
        for chunk, placeholders in in_chunks(list(review_ids)):
            rows += self._rows(f"SELECT * FROM events WHERE review_id IN ({placeholders}) ORDER BY at, id", chunk)
        rows.sort(key=lambda row: (row["at"], row["id"]))
        by_review: dict[int, list[dict[str, Any]]] = {}
        for row in rows:
            by_review.setdefault(row["review_id"], []).append(_event_json(row))
        return by_review

    def events_of_type(self, event_type: str) -> list[dict[str, Any]]:
        """Every review's events of one type, each with its ``review_id``, oldest first (e.g. the staff's
        corrections, for retraining)."""
        rows = self._rows("SELECT * FROM events WHERE type = ? AND review_id IS NOT NULL ORDER BY at, id", (event_type,))
        return [{"review_id": row["review_id"], **_event_json(row)} for row in rows]

    def event_texts(self, event_type: str) -> list[str]:
        """The ``text`` of every event of one type, oldest first (e.g. the sentences staff said are safe,
        read each time a draft is checked: the text alone, no whole rows)."""
        rows = self._rows("SELECT json_extract(data, '$.text') FROM events WHERE type = ? ORDER BY at, id", (event_type,))
        return [row[0] for row in rows if isinstance(row[0], str) and row[0]]

    # -- the practice's settings ----------------------------------------------------------------

    def settings(self) -> dict[str, Any]:
        return {row["key"]: json.loads(row["value"]) for row in self._rows("SELECT key, value FROM settings")}

    def update_settings(self, changes: dict[str, Any], at: str) -> dict[str, Any]:
        with self.write():
            self.db.conn.executemany(
                "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                [(key, json.dumps(value, ensure_ascii=False), at) for key, value in changes.items()],
            )
        return self.settings()


def _event_json(row: sqlite3.Row) -> dict[str, Any]:
    return {"id": row["id"], "type": row["type"], "at": row["at"], "recorded_at": row["recorded_at"],
            "staff": row["staff"], "contact_id": row["contact_id"], **json.loads(row["data"])}
