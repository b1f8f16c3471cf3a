"""What the stats count, summed in SQL over each review's stored figures (part of :class:`server.storage.Store`).

The workflow derives each review's figures (the days it was written and first seen on the practice's calendar,
its reply, whether it needs a follow-up call) and stores them with the version of the settings they depend on;
the stats are then sums over the reviews, whatever their number.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

FIGURES_COLUMNS = ("written_day", "first_seen_day", "reply_counted", "reply_hours", "reply_before_cooldown", "follows_up")


class FigureQueries:
    """Mixed into Store. Expects ``self.db`` and ``self._rows``."""

    def reviews_needing_figures(self, version: str, limit: int) -> list[int]:
        """Reviews whose figures are missing, or were derived under other settings than ``version``."""
        return [row[0] for row in self._rows("SELECT id FROM reviews WHERE figures_version IS NOT ? LIMIT ?", (version, limit))]

    def set_figures(self, figures: Iterable[tuple[Any, ...]], version: str) -> None:
        """Store each review's figures: (review id, then FIGURES_COLUMNS in order)."""
        assignments = ", ".join(f"{column} = ?" for column in FIGURES_COLUMNS)
        self.db.conn.executemany(f"UPDATE reviews SET {assignments}, figures_version = ? WHERE id = ?",
                                 [(*values, version, review_id) for review_id, *values in figures])

    def count_by_stars(self) -> list[tuple[str, int, int]]:
        """(platform, stars, reviews) of the rated reviews."""
        return [tuple(row) for row in self._rows(
            "SELECT platform, rating, count(*) FROM reviews WHERE rating IS NOT NULL GROUP BY platform, rating")]

    def stars_by_written_day(self) -> list[tuple[str, str, int, int]]:
        """(platform, day written, rated reviews, sum of their stars)."""
        return [tuple(row) for row in self._rows(
            "SELECT platform, written_day, count(*), sum(rating) FROM reviews WHERE rating IS NOT NULL GROUP BY platform, written_day")]

    def recommendations_by_written_day(self) -> list[tuple[str, int, int]]:
        """(day written, recommends (1 or 0), reviews) of the reviews that say whether they recommend."""
        return [tuple(row) for row in self._rows(
            "SELECT written_day, recommends, count(*) FROM reviews WHERE recommends IS NOT NULL GROUP BY written_day, recommends")]

    def count_by_stage(self, cooling_since: str, due_since: str) -> list[tuple[str, int]]:
        """(stage, reviews) at the moment the bounds stand for (server.workflow.state.stage_condition's)."""
        return [tuple(row) for row in self._rows(
            "SELECT CASE WHEN settled_stage IS NOT 'open' THEN settled_stage "
            "WHEN first_viewed_at > ? THEN 'cooling_down' WHEN first_seen_at < ? THEN 'overdue' "
            "WHEN first_viewed_at IS NOT NULL THEN 'ready' ELSE 'new' END AS stage, count(*) FROM reviews GROUP BY stage",
            (cooling_since, due_since))]

    def counted_replies(self) -> list[tuple[str, float, int]]:
        """(day first seen, hours to the reply, replied before the cool-down ended) of each reply through ReviewDesk."""
        return [tuple(row) for row in self._rows(
            "SELECT first_seen_day, reply_hours, reply_before_cooldown FROM reviews WHERE reply_counted = 1")]

    def overdue_by_first_seen_day(self, due_since: str) -> list[tuple[str, int]]:
        """(day first seen, reviews) of the reviews still waiting for a reply after the target (seen before ``due_since``)."""
        return [tuple(row) for row in self._rows(
            "SELECT first_seen_day, count(*) FROM reviews WHERE settled_stage = 'open' AND first_seen_at < ? GROUP BY first_seen_day",
            (due_since,))]

    def reviews_followed_up(self) -> list[int]:
        """The reviews whose reply called for a follow-up call."""
        return [row[0] for row in self._rows("SELECT id FROM reviews WHERE follows_up = 1")]
