"""Every table and index of the ReviewDesk database, as ordered, recorded migrations.

Migrations are applied in the order they are declared and recorded in ``_sqlite_migrations``; a
released migration is never edited: change the schema by adding a new one at the end.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

MIGRATION_SET = "reviewdesk"
_STEPS: list[Callable[[Database], None]] = []


def migration(step: Callable[[Database], None]) -> Callable[[Database], None]:
    """Declare the next migration (its name is the function's)."""
    _STEPS.append(step)
    return step


@lru_cache(maxsize=1)
def _migrations() -> Migrations:
    """sqlite-utils' migrations, imported only when the schema is read or changed: sqlite-utils also imports NumPy,
    0.2 s that a command which only reads the database would pay for nothing."""
    from sqlite_utils.migrations import Migrations

    migrations = Migrations(MIGRATION_SET)
    for step in _STEPS:
        migrations()(step)
    return migrations


def _database(conn: sqlite3.Connection) -> Database:
    from sqlite_utils import Database

    return Database(conn)

APPEND_ONLY_TABLES = ("events", "review_versions")


@migration
def m001_reviews(db: Database) -> None:
    """Reviews as last seen, one row per review on a platform."""
    db.execute(
        """
        CREATE TABLE reviews (
            id INTEGER PRIMARY KEY,
            platform TEXT NOT NULL CHECK (platform IN ('google', 'yelp', 'facebook')),
            platform_review_id TEXT,
            fingerprint TEXT NOT NULL,
            place TEXT,
            reviewer_name TEXT NOT NULL,
            reviewer_url TEXT,
            rating INTEGER CHECK (rating BETWEEN 1 AND 5),
            recommends INTEGER CHECK (recommends IN (0, 1)),
            text TEXT NOT NULL DEFAULT '',
            date_text TEXT,
            created_at TEXT,
            url TEXT,
            owner_reply_text TEXT,
            owner_reply_date_text TEXT,
            owner_reply_at TEXT,
            version INTEGER NOT NULL DEFAULT 1,
            first_seen_at TEXT NOT NULL,
            last_seen_at TEXT NOT NULL,
            changed_at TEXT NOT NULL
        )
        """
    )
    db.execute(
        "CREATE UNIQUE INDEX reviews_platform_id ON reviews (platform, platform_review_id) "
        "WHERE platform_review_id IS NOT NULL"
    )
    db.execute(
        "CREATE UNIQUE INDEX reviews_platform_fingerprint_without_id ON reviews (platform, fingerprint) "
        "WHERE platform_review_id IS NULL"
    )
    db.execute("CREATE INDEX reviews_fingerprint ON reviews (platform, fingerprint)")
    db.execute("CREATE INDEX reviews_first_seen ON reviews (first_seen_at)")


@migration
def m002_review_versions(db: Database) -> None:
    """Earlier versions of a review, kept when its rating, text or owner reply changes."""
    db.execute(
        """
        CREATE TABLE review_versions (
            id INTEGER PRIMARY KEY,
            review_id INTEGER NOT NULL REFERENCES reviews (id),
            version INTEGER NOT NULL,
            rating INTEGER,
            recommends INTEGER,
            text TEXT NOT NULL,
            owner_reply_text TEXT,
            owner_reply_date_text TEXT,
            owner_reply_at TEXT,
            seen_from TEXT NOT NULL,
            replaced_at TEXT NOT NULL,
            UNIQUE (review_id, version)
        )
        """
    )


@migration
def m003_contacts_and_activities(db: Database) -> None:
    """The practice's imported contacts (only what the workflow needs) and their activities."""
    db.execute(
        """
        CREATE TABLE contacts (
            id INTEGER PRIMARY KEY,
            external_id TEXT,
            name TEXT NOT NULL,
            first_name TEXT,
            last_name TEXT,
            preferred_name TEXT,
            phone TEXT,
            email TEXT,
            last_seen_at TEXT,
            opted_out INTEGER NOT NULL DEFAULT 0 CHECK (opted_out IN (0, 1)),
            imported_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """
    )
    db.execute(
        "CREATE UNIQUE INDEX contacts_external_id ON contacts (external_id) WHERE external_id IS NOT NULL"
    )
    db.execute("CREATE INDEX contacts_email ON contacts (email)")
    db.execute("CREATE INDEX contacts_phone ON contacts (phone)")
    db.execute(
        """
        CREATE TABLE activities (
            id INTEGER PRIMARY KEY,
            contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
            type TEXT NOT NULL,
            at TEXT,
            summary TEXT,
            staff TEXT
        )
        """
    )
    db.execute("CREATE INDEX activities_contact ON activities (contact_id, at)")


@migration
def m004_events(db: Database) -> None:
    """The append-only log of what happened to a review (and to a contact's review requests)."""
    db.execute(
        """
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            review_id INTEGER REFERENCES reviews (id),
            contact_id INTEGER REFERENCES contacts (id),
            type TEXT NOT NULL,
            at TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            staff TEXT,
            data TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(data))
        )
        """
    )
    db.execute("CREATE INDEX events_review ON events (review_id, at)")
    db.execute("CREATE INDEX events_contact ON events (contact_id, at)")
    db.execute("CREATE INDEX events_type ON events (type, at)")
    for table in APPEND_ONLY_TABLES:
        for action in ("UPDATE", "DELETE"):
            db.execute(
                f"""
                CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table}
                BEGIN
                    SELECT RAISE(ABORT, '{table} are append-only: record a correction instead');
                END
                """
            )


@migration
def m005_match_decisions(db: Database) -> None:
    """Staff decisions on reviewer-to-contact candidates: confirmed or rejected, remembered."""
    db.execute(
        """
        CREATE TABLE match_decisions (
            id INTEGER PRIMARY KEY,
            review_id INTEGER NOT NULL REFERENCES reviews (id),
            contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
            decision TEXT NOT NULL CHECK (decision IN ('confirm', 'reject')),
            decided_at TEXT NOT NULL,
            staff TEXT,
            UNIQUE (review_id, contact_id)
        )
        """
    )


@migration
def m006_settings(db: Database) -> None:
    """Practice settings edited in the dashboard (name, contact line, ...), one JSON value per key."""
    db.execute(
        """
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL CHECK (json_valid(value)),
            updated_at TEXT NOT NULL
        )
        """
    )


@migration
def m007_review_search(db: Database) -> None:
    """A trigram full-text index of reviewer names and review text, for substring search in the inbox.

    SQLite older than 3.34 has no trigram tokenizer; the inbox search then scans with LIKE instead.
    """
    try:
        db.execute(
            "CREATE VIRTUAL TABLE reviews_search USING fts5(reviewer_name, text, "
            "content='reviews', content_rowid='id', tokenize='trigram')"
        )
    except sqlite3.OperationalError:
        return
    db.execute("INSERT INTO reviews_search (rowid, reviewer_name, text) SELECT id, reviewer_name, text FROM reviews")
    db.execute(
        """
        CREATE TRIGGER reviews_search_insert AFTER INSERT ON reviews BEGIN
            INSERT INTO reviews_search (rowid, reviewer_name, text) VALUES (new.id, new.reviewer_name, new.text);
        END
        """
    )
    db.execute(
        """
        CREATE TRIGGER reviews_search_delete AFTER DELETE ON reviews BEGIN
            INSERT INTO reviews_search (reviews_search, rowid, reviewer_name, text)
            VALUES ('delete', old.id, old.reviewer_name, old.text);
        END
        """
    )
    db.execute(
        """
        CREATE TRIGGER reviews_search_update AFTER UPDATE OF reviewer_name, text ON reviews BEGIN
            INSERT INTO reviews_search (reviews_search, rowid, reviewer_name, text)
            VALUES ('delete', old.id, old.reviewer_name, old.text);
            INSERT INTO reviews_search (rowid, reviewer_name, text) VALUES (new.id, new.reviewer_name, new.text);
        END
        """
    )



@migration
def m008_review_dates_and_shown_details(db: Database) -> None:
    """When a review (and its reply) was written, as a range from the shown date; edits; cut-short text."""
    for column, kind in (
        ("date_min", "TEXT"),
        ("date_max", "TEXT"),
        ("date_precision", "TEXT"),
        ("edited", "INTEGER NOT NULL DEFAULT 0"),
        ("text_truncated", "INTEGER NOT NULL DEFAULT 0"),
        ("language", "TEXT"),
        ("owner_reply_date_min", "TEXT"),
        ("owner_reply_date_max", "TEXT"),
    ):
        db.execute(f"ALTER TABLE reviews ADD COLUMN {column} {kind}")
    db.execute("CREATE INDEX reviews_date ON reviews (date_max)")


@migration
def m009_contact_match_keys(db: Database) -> None:
    """Keys that fetch a reviewer's candidate contacts without scanning them all, and activity de-duplication."""
    db.execute("ALTER TABLE contacts ADD COLUMN middle_name TEXT")
    db.execute(
        """
        CREATE TABLE contact_keys (
            key TEXT NOT NULL,
            contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
            PRIMARY KEY (key, contact_id)
        ) WITHOUT ROWID
        """
    )
    db.execute("CREATE INDEX contacts_name ON contacts (name COLLATE NOCASE)")
    db.execute("CREATE UNIQUE INDEX activities_once ON activities (contact_id, type, ifnull(at, ''), ifnull(summary, ''))")



@migration
def m010_review_progress(db: Database) -> None:
    """Each review's settled workflow stage and first view, derived from its events by the workflow
    (NULL until derived), so the inbox filters stages with a query."""
    db.execute("ALTER TABLE reviews ADD COLUMN settled_stage TEXT")
    db.execute("ALTER TABLE reviews ADD COLUMN first_viewed_at TEXT")
    db.execute("CREATE INDEX reviews_stage ON reviews (settled_stage, first_seen_at)")


@migration
def m011_review_triage(db: Database) -> None:
    """Each review's triage action, kept for the inbox's order (escalations first across pages) with the
    version of the triage rules that decided it (NULL: not decided yet, or decided by older rules)."""
    db.execute("ALTER TABLE reviews ADD COLUMN triage_action TEXT")
    db.execute("ALTER TABLE reviews ADD COLUMN triage_rules TEXT")


@migration
def m012_dashboard_sessions(db: Database) -> None:
    """Signed-in dashboard sessions, by the hash of the random id in their cookie (server/storage/sessions.py)."""
    db.execute(
        """
        CREATE TABLE dashboard_sessions (
            id_hash TEXT PRIMARY KEY,
            token_digest TEXT NOT NULL,
            started_at TEXT NOT NULL,
            expires_at TEXT NOT NULL
        )
        """
    )


@migration
def m013_review_figures(db: Database) -> None:
    """What the stats count of each review, derived by the workflow (server/workflow/stats.py) and kept until the
    review, its events or the settings they depend on change (``figures_version`` NULL or another: derived again),
    so the stats are sums in SQL, not a pass over every review."""
    for column, kind in (
        ("written_day", "TEXT"),  # the day it was written, on the practice's calendar
        ("first_seen_day", "TEXT"),  # the day ReviewDesk first saw it, on the practice's calendar
        ("reply_counted", "INTEGER NOT NULL DEFAULT 0"),  # replied through ReviewDesk (not before it first saw the review)
        ("reply_hours", "REAL"),  # hours from first seen to that reply
        ("reply_before_cooldown", "INTEGER NOT NULL DEFAULT 0"),
        ("follows_up", "INTEGER NOT NULL DEFAULT 0"),  # its reply calls for a follow-up call (W6)
        ("figures_version", "TEXT"),
    ):
        db.execute(f"ALTER TABLE reviews ADD COLUMN {column} {kind}")
    # Each sum reads an index that holds what it needs, not the reviews' rows (their text makes them wide).
    for name, definition in (
        ("reviews_figures", "(figures_version)"),
        ("reviews_stars_by_day", "(platform, written_day, rating) WHERE rating IS NOT NULL"),
        ("reviews_recommendations", "(written_day, recommends) WHERE recommends IS NOT NULL"),
        ("reviews_stage_by_day", "(settled_stage, first_seen_day, first_seen_at, first_viewed_at)"),
        ("reviews_stage_views", "(settled_stage, first_viewed_at)"),
        ("reviews_counted_replies", "(first_seen_day, reply_hours, reply_before_cooldown) WHERE reply_counted = 1"),
        ("reviews_followed_up", "(id) WHERE follows_up = 1"),
        ("reviews_attention", "(settled_stage, triage_action, first_seen_at, first_viewed_at)"),  # the inbox's order
        ("reviews_triage_rules", "(settled_stage, triage_rules)"),  # open reviews to triage (again)
    ):
        db.execute(f"CREATE INDEX {name} ON reviews {definition}")


@migration
def m014_contact_keys_for_given_names(db: Database) -> None:
    """Contacts are now also found by their other given names (a middle name, a hyphenated given name joined):
    the keys are derived again, all at once, by the server as it starts (server.contacts.keys.key_unkeyed_contacts)."""
    db.execute("DELETE FROM contact_keys")


@migration
def m015_review_search_indexed_per_batch(db: Database) -> None:
    """New reviews enter the search index once per write transaction (Store.write), not through a trigger per
    row: FTS5 wrote a new index segment for each row a trigger inserted (about 0.1 ms a review)."""
    db.execute("DROP TRIGGER IF EXISTS reviews_search_insert")


@migration
def m016_contacts_by_last_visit(db: Database) -> None:
    """The review-request list finds the contacts seen lately through an index, a page at a time."""
    db.execute("CREATE INDEX contacts_last_seen ON contacts (last_seen_at)")


def apply(conn: sqlite3.Connection) -> None:
    _migrations().apply(_database(conn))


def pending(conn: sqlite3.Connection) -> list[str]:
    return [step.name for step in _migrations().pending(_database(conn))]


def applied_migration(conn: sqlite3.Connection) -> str | None:
    applied = _migrations().applied(_database(conn))
    return applied[-1].name if applied else None
