"""Signed-in dashboard sessions, kept on the server (part of :class:`server.storage.Store`): the browser's
cookie holds only a random id, this table its hash, so signing out or rotating the token ends a session
even for a copy of the cookie taken before."""

from __future__ import annotations


class SessionQueries:
    """Mixed into Store. Expects ``self.db``, ``self._rows`` and ``self.write()``."""

    def start_dashboard_session(self, id_hash: str, token_digest: str, started_at: str, expires_at: str) -> None:
        with self.write():
            self.db.conn.execute("DELETE FROM dashboard_sessions WHERE expires_at <= ?", (started_at,))
            self.db.conn.execute("INSERT INTO dashboard_sessions (id_hash, token_digest, started_at, expires_at) VALUES (?, ?, ?, ?)",
                                 (id_hash, token_digest, started_at, expires_at))

    def dashboard_session_token(self, id_hash: str, now: str) -> str | None:
        """The digest of the token a live session was started (or last kept) with; None: no such session."""
        rows = self._rows("SELECT token_digest FROM dashboard_sessions WHERE id_hash = ? AND expires_at > ?", (id_hash, now))
        return rows[0]["token_digest"] if rows else None

    def end_dashboard_session(self, id_hash: str) -> None:
        with self.write():
            self.db.conn.execute("DELETE FROM dashboard_sessions WHERE id_hash = ?", (id_hash,))

    def keep_only_dashboard_session(self, id_hash: str, token_digest: str) -> None:
        """After a token rotation from the dashboard: every other session ends, this one goes on with the new token."""
        with self.write():
            self.db.conn.execute("DELETE FROM dashboard_sessions WHERE id_hash != ?", (id_hash,))
            self.db.conn.execute("UPDATE dashboard_sessions SET token_digest = ? WHERE id_hash = ?", (token_digest, id_hash))
