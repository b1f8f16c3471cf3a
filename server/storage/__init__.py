"""The only code that knows SQLite: connections, transactions, and every query ReviewDesk makes.

Tables and indexes are declared in :mod:`server.storage.schema` as migrations. Storage persists and
decides nothing: the domain opens a transaction with :meth:`Store.write`, reads rows, decides, and
hands the store what to write.
"""

from __future__ import annotations

import os
import queue
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from server.storage import schema
from server.storage.contacts import ContactQueries
from server.storage.events import EventQueries
from server.storage.figures import FigureQueries
from server.storage.reviews import ATTENTION_GROUPS, AttentionOrder, ReviewFilter, ReviewQueries, StageFilter
from server.storage.sessions import SessionQueries

BUSY_TIMEOUT_MS = 15_000
CACHE_KB = 2_000  # each pooled connection's page cache (a request reads a few pages of indexes and rows)
LARGE_WRITE_CACHE_KB = 16_000  # an import's (Store.large_write)


def create_private_file(path: Path) -> None:
    """Create ``path`` (if missing) readable by its owner only; SQLite gives -wal/-shm the same mode."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


class Database:
    """A store's SQLite connection."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def has_table(self, name: str) -> bool:
        return self.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None

    def close(self) -> None:
        self.conn.close()


def initialise(path: str | Path) -> None:
    """Create the database file if needed, owner-only, in WAL mode, with every migration applied."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    create_private_file(path)
    with Store.connect(path) as store:
        store.db.conn.execute("PRAGMA journal_mode = wal")
        schema.apply(store.db.conn)


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
            store.db.conn.execute("ROLLBACK")  # what it had to index is forgotten when its next write begins
        if self._idle.qsize() < self.keep:
            self._idle.put(store)
        else:
            store.close()


class Store(ReviewQueries, EventQueries, ContactQueries, SessionQueries, FigureQueries):
    """One connection to the ReviewDesk database. Not shared between threads."""

    def __init__(self, db: Database):
        self.db = db
        self._search_index: bool | None = None
        self._unindexed: set[int] = set()  # reviews inserted in this write transaction, for the search index

    @classmethod
    def connect(cls, path: str | Path) -> "Store":
        # check_same_thread=False: a pooled connection serves one request at a time, on any thread.
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute(f"PRAGMA cache_size = -{CACHE_KB}")
        return cls(Database(conn))

    @contextmanager
    def large_write(self, check_foreign_keys: bool = True) -> Iterator[None]:
        """A write transaction with a page cache big enough that a 100,000-contact import stays in memory until its
        commit; the connection goes back to the small cache (and gives the memory back) when it ends. Without
        ``check_foreign_keys``, rows are not checked against the rows they refer to (nor are cascades run): for a
        writer whose rows can only refer to rows it has just read or written, and that deletes none."""
        conn = self.db.conn
        conn.execute(f"PRAGMA cache_size = -{LARGE_WRITE_CACHE_KB}")
        if not check_foreign_keys:
            conn.execute("PRAGMA foreign_keys = OFF")  # set outside a transaction only, as SQLite requires
        try:
            with self.write():
                yield
        finally:
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute(f"PRAGMA cache_size = -{CACHE_KB}")
            conn.execute("PRAGMA shrink_memory")

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    @contextmanager
    def write(self) -> Iterator[None]:
        """A write transaction that takes the write lock up front (no deadlock between writers); the
        caller brings the logic. Nested use joins the outer transaction."""
        conn = self.db.conn
        if conn.in_transaction:
            yield
            return
        conn.execute("BEGIN IMMEDIATE")
        self._unindexed.clear()  # what a rolled-back transaction left is not this one's
        try:
            yield
            self.index_new_reviews()
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
        pending = schema.pending(self.db.conn)
        return {
            "ok": not pending,
            "schema": schema.applied_migration(self.db.conn),
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


__all__ = ["ATTENTION_GROUPS", "AttentionOrder", "ReviewFilter", "StageFilter", "Store", "StorePool", "initialise"]
