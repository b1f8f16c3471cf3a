"""Storing reviews from the toolbar, captures and imports: new ones are added, known ones merged
(:mod:`server.reviews.merge`), all of a batch in one transaction, with the workflow kept in step."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from parsers.isotime import iso_utc
from parsers.review import Review
from server.reviews.merge import Row, identify, merge
from server.storage import Store
from server.workflow.events import new_review_progress, refresh_progress


@dataclass
class IngestResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    review_ids: list[int] = field(default_factory=list)


class KnownReviews:
    """The stored reviews a batch may be, read in a few queries (by platform id, then by fingerprint), not two
    per review. A review whose platform id or fingerprint an earlier one of the same batch wrote is looked up
    again, so a batch reads what its own earlier reviews stored."""

    def __init__(self, store: Store, reviews: Sequence[Review]):
        self.store = store
        self.by_id: dict[tuple[str, str], list[Row]] = {}
        self.by_fingerprint: dict[tuple[str, str], list[Row]] = {}
        self.written: set[tuple[str, str]] = set()
        for platform in {review.platform for review in reviews}:
            ids = {review.platform_review_id for review in reviews if review.platform == platform and review.platform_review_id}
            for row in store.reviews_with_ids(platform, list(ids)) if ids else []:
                self.by_id.setdefault((platform, row["platform_review_id"]), []).append(row)
            fingerprints = {review.fingerprint for review in reviews
                            if review.platform == platform and (platform, review.platform_review_id) not in self.by_id}
            for row in store.reviews_with_fingerprints(platform, list(fingerprints)) if fingerprints else []:
                self.by_fingerprint.setdefault((platform, row["fingerprint"]), []).append(row)

    def identify(self, review: Review) -> Row | None:
        with_id, with_fingerprint = (review.platform, review.platform_review_id), (review.platform, review.fingerprint)
        if review.platform_review_id is None:
            by_id = []
        elif with_id in self.written:
            by_id = self.store.reviews_with_id(*with_id)
        else:
            by_id = self.by_id.get(with_id, [])

        def by_fingerprint(without_id: bool) -> list[Row]:
            if with_fingerprint in self.written:
                return self.store.reviews_with_fingerprint(*with_fingerprint, without_id=without_id)
            rows = self.by_fingerprint.get(with_fingerprint, [])
            return [row for row in rows if row["platform_review_id"] is None] if without_id else rows

        return identify(review, by_id, by_fingerprint)

    def wrote(self, review: Review, existing: Row | None) -> None:
        self.written.update({(review.platform, review.platform_review_id), (review.platform, review.fingerprint)})
        if existing is not None:
            self.written.update({(review.platform, existing["platform_review_id"]), (review.platform, existing["fingerprint"])})


def ingest(store: Store, reviews: Iterable[Review], now: datetime) -> IngestResult:
    """Insert new reviews and merge known ones, in one transaction (nothing is stored if one fails)."""
    seen_at = iso_utc(now)
    result = IngestResult()
    touched: list[int] = []
    events: list[tuple[int, str, str, dict]] = []  # (review id, type, at, data), appended together
    reviews = list(reviews)
    with store.write():
        known = KnownReviews(store, reviews)
        for review in reviews:
            existing = known.identify(review)
            changes = merge(existing, review, seen_at)
            known.wrote(review, existing)
            if changes.new:  # stored with its progress (no read-back and second write, as refresh_progress would)
                review_id = store.insert_review({**changes.values, **new_review_progress(changes.values, changes.events)})
                result.created += 1
            else:
                review_id = existing["id"]
                if changes.earlier_version is not None:
                    store.keep_version(review_id, changes.earlier_version)
                store.update_review(review_id, changes.values)
                result.updated += changes.changed
                result.unchanged += not changes.changed
            events += [(review_id, event_type, at, data) for event_type, at, data in changes.events]
            if changes.events and not changes.new:
                touched.append(review_id)
            result.review_ids.append(review_id)
        store.append_review_events(events, recorded_at=seen_at)
        refresh_progress(store, list(dict.fromkeys(touched)))
    return result
