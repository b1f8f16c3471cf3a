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
        # "IS NOT ?" written as ranges, so that the index on figures_version finds them without a scan
        return [row[0] for row in self._rows(
            "SELECT id FROM reviews WHERE figures_version IS NULL OR figures_version < ? OR figures_version > ? LIMIT ?",
            (version, version, limit))]

    def set_figures(self, figures: Iterable[tuple[Any, ...]], version: str) -> None:
        """Store each review's figures: (review id, then FIGURES_COLUMNS in order)."""
        assignments = ", ".join(f"{column} = ?" for column in FIGURES_COLUMNS)
        self.db.conn.executemany(f"UPDATE reviews SET {assignments}, figures_version = ? WHERE id = ?",
                                 [(*values, version, review_id) for review_id, *values in figures])

    def stars_by_written_day(self) -> list[tuple[str, str, int, int]]:
        """(platform, day written, stars, reviews) of the rated reviews."""
        return [tuple(row) for row in self._rows(
            "SELECT platform, written_day, rating, count(*) FROM reviews INDEXED BY reviews_stars_by_day WHERE rating IS NOT NULL "
            "GROUP BY platform, written_day, rating")]

    def recommendations_by_written_day(self) -> list[tuple[str, int, int]]:
        """(day written, recommends (1 or 0), reviews) of the reviews that say whether they recommend."""
        return [tuple(row) for row in self._rows(
            "SELECT written_day, recommends, count(*) FROM reviews WHERE recommends IS NOT NULL GROUP BY written_day, recommends")]

    def count_by_settled_stage_and_day(self, due_since: str) -> list[tuple[str, str, int, int, int]]:
        """(settled stage, day first seen, of them first seen before ``due_since``, of the others those viewed, reviews):
        one pass over an index."""
        return [tuple(row) for row in self._rows(
            "SELECT settled_stage, first_seen_day, sum(first_seen_at < ?), sum(first_seen_at >= ? AND first_viewed_at IS NOT NULL), "
            "count(*) FROM reviews INDEXED BY reviews_stage_by_day GROUP BY settled_stage, first_seen_day", (due_since, due_since))]

    def first_seen_of_cooling(self, cooling_since: str) -> list[str]:
        """When each review waiting for a reply that was first viewed after ``cooling_since`` was first seen."""
        return [row[0] for row in self._rows(
            "SELECT first_seen_at FROM reviews INDEXED BY reviews_stage_views WHERE settled_stage = 'open' AND first_viewed_at > ?",
            (cooling_since,))]

    def counted_replies(self) -> list[tuple[str, float, int]]:
        """(day first seen, hours to the reply, replied before the cool-down ended) of each reply through ReviewDesk."""
        return [tuple(row) for row in self._rows(
            "SELECT first_seen_day, reply_hours, reply_before_cooldown FROM reviews INDEXED BY reviews_counted_replies "
            "WHERE reply_counted = 1")]

    def reviews_followed_up(self) -> list[int]:
        """The reviews whose reply called for a follow-up call."""
        return [row[0] for row in self._rows("SELECT id FROM reviews INDEXED BY reviews_followed_up WHERE follows_up = 1")]
