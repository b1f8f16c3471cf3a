"""Reviews, their earlier versions and their workflow progress (part of :class:`server.storage.Store`)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from server.storage.chunks import in_chunks

# What the triage of a review reads: a change to one of them makes its stored triage stale.
TRIAGED_FIELDS = frozenset({"text", "rating", "recommends", "platform", "reviewer_name", "language"})
# The search index matches substrings of at least this many characters; shorter ones are scanned.
TRIGRAM = 3


@dataclass(frozen=True)
class StageFilter:
    """Reviews at one stage, as stored facts (see :class:`server.workflow.state.StageCondition`)."""

    settled: str
    viewed: bool | None = None
    viewed_after: str | None = None
    viewed_not_after: str | None = None
    seen_before: str | None = None
    seen_not_before: str | None = None


@dataclass(frozen=True)
class AttentionOrder:
    """The inbox's order at one moment, as stored facts (decided by :func:`server.workflow.inbox.attention_order`):
    open reviews the triage escalates, then overdue reviews and follow-up calls, then new, ready, cooling down,
    follow-ups, and the rest; newest first within each group."""

    overdue_seen_before: str  # open reviews first seen before this are overdue
    cooling_viewed_after: str  # open reviews first viewed after this are cooling down
    late_calls: tuple[int, ...] = ()  # follow-ups whose call is overdue


# "triage_rules IS NOT ?" as ranges, so that the index on (settled_stage, triage_rules) finds them without a scan.
_TRIAGED_BY_OTHERS = "(triage_rules IS NULL OR triage_rules < ? OR triage_rules > ?)"

# The groups of AttentionOrder, first to last; the rank below is the index (its ?s: overdue, late calls, cooling).
ATTENTION_GROUPS = ("escalate", "overdue", "new", "ready", "cooling_down", "follow_up", "other")
_ATTENTION_RANK = """CASE
    WHEN settled_stage = 'open' AND triage_action = 'escalate' THEN 0
    WHEN settled_stage = 'open' AND first_seen_at < ? THEN 1
    WHEN settled_stage = 'follow_up' AND id IN (SELECT value FROM json_each(?)) THEN 1
    WHEN settled_stage = 'open' AND first_viewed_at IS NULL THEN 2
    WHEN settled_stage = 'open' AND first_viewed_at <= ? THEN 3
    WHEN settled_stage = 'open' THEN 4
    WHEN settled_stage = 'follow_up' THEN 5
    ELSE 6 END"""


@dataclass(frozen=True)
class ReviewFilter:
    platform: str | None = None
    q: str | None = None
    rating: int | None = None
    has_owner_reply: bool | None = None
    stage: StageFilter | None = None
    ids: tuple[int, ...] | None = None
    order: AttentionOrder | None = None  # None: newest first
    limit: int = 50
    offset: int = 0


class ReviewQueries:
    """Mixed into Store: everything about reviews. Expects ``self.db``, ``self._rows`` and ``self.append_event``."""

    def reviews_with_id(self, platform: str, platform_review_id: str) -> list[sqlite3.Row]:
        return self._rows("SELECT * FROM reviews WHERE platform = ? AND platform_review_id = ?", (platform, platform_review_id))

    def reviews_with_fingerprint(self, platform: str, fingerprint: str, *, without_id: bool = False) -> list[sqlite3.Row]:
        """Stored reviews with this fingerprint, those without a platform id first, oldest first (at most two:
        enough to tell one from several); ``without_id``: only those without a platform id."""
        if without_id:
            return self._rows("SELECT * FROM reviews WHERE platform = ? AND fingerprint = ? AND platform_review_id IS NULL "
                              "ORDER BY id LIMIT 2", (platform, fingerprint))
        return self._rows("SELECT * FROM reviews WHERE platform = ? AND fingerprint = ? "
                          "ORDER BY platform_review_id IS NOT NULL, id LIMIT 2", (platform, fingerprint))

    def reviews_with_ids(self, platform: str, platform_review_ids: Sequence[str]) -> list[sqlite3.Row]:
        """The stored reviews with any of these platform ids (one query for a batch)."""
        return self._rows("SELECT * FROM reviews WHERE platform = ? AND platform_review_id IN (SELECT value FROM json_each(?))",
                          (platform, json.dumps(list(platform_review_ids))))

    def reviews_with_fingerprints(self, platform: str, fingerprints: Sequence[str]) -> list[sqlite3.Row]:
        """For each of these fingerprints, what :meth:`reviews_with_fingerprint` gives (one query for a batch)."""
        return self._rows(
            "SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY fingerprint ORDER BY platform_review_id IS NOT NULL, id) "
            "AS fingerprint_rank FROM reviews WHERE platform = ? AND fingerprint IN (SELECT value FROM json_each(?))) WHERE fingerprint_rank <= 2 "
            "ORDER BY fingerprint, fingerprint_rank", (platform, json.dumps(list(fingerprints))))

    def insert_review(self, values: dict[str, Any]) -> int:
        """Insert a review; it enters the search index when the write transaction ends (see index_new_reviews)."""
        columns = ", ".join(values)
        placeholders = ", ".join("?" for _ in values)
        review_id = self.db.conn.execute(f"INSERT INTO reviews ({columns}) VALUES ({placeholders})", tuple(values.values())).lastrowid
        self._unindexed.add(review_id)
        if not self.db.conn.in_transaction:
            self.index_new_reviews()
        return review_id

    def index_new_reviews(self) -> None:
        """Add the reviews inserted since the last call to the search index, in one statement: FTS5 writes an
        index segment per statement, so a row at a time costs ten times more."""
        if self._unindexed and self._has_search_index():
            self.db.conn.execute("INSERT INTO reviews_search (rowid, reviewer_name, text) "
                                 "SELECT id, reviewer_name, text FROM reviews WHERE id IN (SELECT value FROM json_each(?))",
                                 (json.dumps(list(self._unindexed)),))
        self._unindexed.clear()

    def update_review(self, review_id: int, values: dict[str, Any]) -> None:
        if review_id in self._unindexed:  # the search index's update trigger takes out what the index holds of it
            self.index_new_reviews()
        assignments = ", ".join(f"{name} = ?" for name in values)
        params = list(values.values())
        triaged = [name for name in values if name in TRIAGED_FIELDS]
        if triaged:  # what the triage reads changed (SET compares with the row as it was): it is decided again
            assignments += f", triage_rules = CASE WHEN {' AND '.join(f'{name} IS ?' for name in triaged)} THEN triage_rules END"
            params += [values[name] for name in triaged]
        # what the stats count of it is derived again (its dates or rating may have changed)
        assignments = ", ".join(filter(None, (assignments, "figures_version = NULL")))
        self.db.conn.execute(f"UPDATE reviews SET {assignments} WHERE id = ?", (*params, review_id))

    def keep_version(self, review_id: int, version: dict[str, Any]) -> None:
        """Append an earlier version of a review (the table is append-only)."""
        row = {"review_id": review_id, **version}
        self.db.conn.execute(f"INSERT INTO review_versions ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                             tuple(row.values()))

    def set_progress(self, progress: Iterable[tuple[str, str | None, int]]) -> None:
        """Store each review's (settled stage, first viewed at), as the workflow derived them. Its stored
        triage is forgotten (decided again when the inbox needs it): the events may hold a staff decision."""
        self.db.conn.executemany(
            "UPDATE reviews SET settled_stage = ?, first_viewed_at = ?, triage_rules = NULL, figures_version = NULL WHERE id = ?", progress)

    def follow_ups_awaiting_a_call(self) -> list[tuple[int, str]]:
        """(review id, when the reply was posted) of each open follow-up with no call logged yet."""
        return [(row[0], row[1]) for row in self._rows(
            "SELECT r.id, (SELECT min(e.at) FROM events e WHERE e.review_id = r.id AND e.type = 'replied') FROM reviews r "
            "WHERE r.settled_stage = 'follow_up' "
            "AND NOT EXISTS (SELECT 1 FROM events e WHERE e.review_id = r.id AND e.type = 'followup_call')")]

    def needs_triage(self, rules: str) -> bool:
        """Whether an open review's stored triage is missing or was decided by other rules (a read, no lock)."""
        return self.db.conn.execute(f"SELECT EXISTS (SELECT 1 FROM reviews WHERE settled_stage = 'open' AND {_TRIAGED_BY_OTHERS})",
                                    (rules, rules)).fetchone()[0] == 1

    def reviews_to_triage(self, rules: str, limit: int) -> list[dict[str, Any]]:
        """Open reviews whose triage is not stored yet, or was decided by other rules than ``rules``."""
        rows = self._rows(f"SELECT * FROM reviews WHERE settled_stage = 'open' AND {_TRIAGED_BY_OTHERS} LIMIT ?", (rules, rules, limit))
        return [review_json(row) for row in rows]

    def set_triage(self, decisions: Iterable[tuple[str, str, int]]) -> None:
        """Store each review's (triage action, or the staff's decision over it; rules version)."""
        self.db.conn.executemany("UPDATE reviews SET triage_action = ?, triage_rules = ? WHERE id = ?", decisions)

    def reviews_without_progress(self) -> list[int]:
        return [row[0] for row in self._rows("SELECT id FROM reviews WHERE settled_stage IS NULL")]

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
        if query.ids is not None:
            clauses.append(f"id IN ({', '.join('?' * len(query.ids))})")
            params += list(query.ids)
        if query.stage is not None:
            stage_clauses, stage_params = _stage_clauses(query.stage)
            clauses += stage_clauses
            params += stage_params
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
        if query.order is None:
            rows = self._rows(f"SELECT * FROM reviews {where} ORDER BY id DESC LIMIT ? OFFSET ?", (*params, query.limit, query.offset))
            return [review_json(row) for row in rows], total
        order = query.order
        # The page's ids are ranked over an index that holds what the rank reads; only their rows are read whole.
        rows = self._rows(
            f"SELECT reviews.*, page.attention_rank FROM (SELECT id, {_ATTENTION_RANK} AS attention_rank FROM reviews {where} "
            "ORDER BY attention_rank, id DESC LIMIT ? OFFSET ?) AS page JOIN reviews ON reviews.id = page.id "
            "ORDER BY page.attention_rank, page.id DESC",
            (order.overdue_seen_before, json.dumps(order.late_calls), order.cooling_viewed_after, *params, query.limit, query.offset),
        )
        return [{**review_json(row), "attention": ATTENTION_GROUPS[row["attention_rank"]]} for row in rows], total

    def _has_search_index(self) -> bool:
        if self._search_index is None:
            self._search_index = self.db.has_table("reviews_search")
        return self._search_index

    def get_review(self, review_id: int) -> dict[str, Any] | None:
        if not 0 < review_id < 2**63:  # SQLite's integers: a larger id cannot exist
            return None
        rows = self._rows("SELECT * FROM reviews WHERE id = ?", (review_id,))
        return review_json(rows[0]) if rows else None

    def reviews_by_id(self, review_ids: Sequence[int]) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for chunk, placeholders in in_chunks(review_ids):
            found += [review_json(row) for row in self._rows(f"SELECT * FROM reviews WHERE id IN ({placeholders})", chunk)]
        return found

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

    def recent_owner_replies(self, limit: int = 50) -> list[str]:
        """The practice's latest replies as seen on the platforms (to vary new suggestions against them)."""
        rows = self._rows("SELECT owner_reply_text FROM reviews WHERE owner_reply_text IS NOT NULL ORDER BY last_seen_at DESC LIMIT ?", (limit,))
        return [row[0] for row in rows]


def _stage_clauses(stage: StageFilter) -> tuple[list[str], list[Any]]:
    clauses, params = ["settled_stage = ?"], [stage.settled]
    if stage.viewed is True:
        clauses.append("first_viewed_at IS NOT NULL")
    elif stage.viewed is False:
        clauses.append("first_viewed_at IS NULL")
    for value, clause in ((stage.viewed_after, "first_viewed_at > ?"),
                          (stage.viewed_not_after, "(first_viewed_at IS NULL OR first_viewed_at <= ?)"),
                          (stage.seen_before, "first_seen_at < ?"),
                          (stage.seen_not_before, "first_seen_at >= ?")):
        if value is not None:
            clauses.append(clause)
            params.append(value)
    return clauses, params


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
