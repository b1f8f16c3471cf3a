"""Storing reviews from the toolbar, captures and imports: new ones are added, known ones merged
(:mod:`server.reviews.merge`), all of a batch in one transaction, with the workflow kept in step."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from parsers.isotime import iso_utc
from parsers.review import Review
from server.reviews.merge import identify, merge
from server.storage import Store
from server.workflow.events import refresh_progress


@dataclass
class IngestResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    review_ids: list[int] = field(default_factory=list)


def ingest(store: Store, reviews: Iterable[Review], now: datetime) -> IngestResult:
    """Insert new reviews and merge known ones, in one transaction (nothing is stored if one fails)."""
    seen_at = iso_utc(now)
    result = IngestResult()
    touched: list[int] = []
    with store.write():
        for review in reviews:
            existing = identify(
                review,
                store.reviews_with_id(review.platform, review.platform_review_id) if review.platform_review_id else [],
                lambda without_id: store.reviews_with_fingerprint(review.platform, review.fingerprint, without_id=without_id),
            )
            changes = merge(existing, review, seen_at)
            if changes.new:
                review_id = store.insert_review(changes.values)
                result.created += 1
            else:
                review_id = existing["id"]
                if changes.earlier_version is not None:
                    store.keep_version(review_id, changes.earlier_version)
                store.update_review(review_id, changes.values)
                result.updated += changes.changed
                result.unchanged += not changes.changed
            for event_type, at, data in changes.events:
                store.append_event(review_id, event_type, at=at, recorded_at=seen_at, data=data)
            if changes.new or changes.events:
                touched.append(review_id)
            result.review_ids.append(review_id)
        refresh_progress(store, list(dict.fromkeys(touched)))
    return result
