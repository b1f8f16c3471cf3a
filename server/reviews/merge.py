"""How a captured review changes what is stored: a pure function of the stored row and the new copy.

Rules (docs/design.md#reviews-identity-and-changes): a review is its platform id, else its fingerprint
(:func:`identify`); a changed rating, recommendation, text or owner
reply makes a new version and a ``review_updated`` event; other shown details (display name, date
text, URL) are refreshed without one; a copy cut short by "More" never replaces the full text; shown
date ranges narrow to what both captures allow; an owner reply that appears is logged as ``replied``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from parsers.dates import intersect
from parsers.isotime import timestamp_range
from parsers.review import UNKNOWN, Review
from parsers.text import cut_prefix, is_cut_short

# Fields whose change makes a new version of a review (and a review_updated event).
VERSIONED_FIELDS = ("rating", "recommends", "text", "owner_reply_text")
REPLY_COLUMNS = ("owner_reply_text", "owner_reply_date_text", "owner_reply_at", "owner_reply_date_min", "owner_reply_date_max")
# What an earlier version keeps (besides when it was seen first and replaced).
VERSION_COLUMNS = ("rating", "recommends", "text", "owner_reply_text", "owner_reply_date_text", "owner_reply_at")

Row = Mapping[str, Any]


@dataclass
class ReviewChanges:
    """What to write for one incoming review: the row (whole when new, the changed columns when known),
    the earlier version to keep, and the events to append, as (type, at, data)."""

    values: dict[str, Any]
    new: bool
    changed: bool = False
    earlier_version: dict[str, Any] | None = None
    events: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)


def identify(incoming: Review, by_id: list[Row], by_fingerprint: Callable[[bool], list[Row]]) -> Row | None:
    """Which stored review ``incoming`` is: the one with its platform id; else one captured earlier
    from a layout without ids (adopted); without an id, only an unambiguous fingerprint.

    ``by_id`` are the stored reviews with its platform id; ``by_fingerprint(without_id)`` fetches
    those with its fingerprint (only those without a platform id, when asked), without-id ones first.
    """
    if incoming.platform_review_id is not None:
        if by_id:
            return by_id[0]
        return next(iter(by_fingerprint(True)), None)
    rows = by_fingerprint(False)
    if rows and (rows[0]["platform_review_id"] is None or len(rows) == 1):
        return rows[0]
    return None


def merge(existing: Row | None, incoming: Review, seen_at: str) -> ReviewChanges:
    """The changes ``incoming`` (seen at ``seen_at``) makes to the stored review ``existing`` (None: new)."""
    shown = _shown_fields(incoming, existing)
    versioned = _versioned_fields(incoming, existing)
    if existing is None:
        values = {
            "platform": incoming.platform,
            "platform_review_id": incoming.platform_review_id,
            "fingerprint": incoming.fingerprint,
            **shown,
            **versioned,
            "version": 1,
            "first_seen_at": seen_at,
            "last_seen_at": seen_at,
            "changed_at": seen_at,
        }
        result = ReviewChanges(values, new=True)
        if values["owner_reply_text"] is not None:
            result.events.append(_detected_reply(values, seen_at, already_there=True))
        return result
    changes = {
        name: {"old": existing[name], "new": versioned[name]}
        for name in VERSIONED_FIELDS
        if existing[name] != versioned[name] and not _completes(name, existing[name], versioned[name])
    }
    updates: dict[str, Any] = {**shown, "last_seen_at": seen_at}
    if existing["platform_review_id"] is None and incoming.platform_review_id is not None:
        updates["platform_review_id"] = incoming.platform_review_id
    updates.update({name: value for name, value in versioned.items() if value != existing[name]})
    result = ReviewChanges(updates, new=False, changed=bool(changes))
    if changes:
        result.earlier_version = {
            "version": existing["version"], **{name: existing[name] for name in VERSION_COLUMNS},
            "seen_from": existing["changed_at"], "replaced_at": seen_at,
        }
        updates.update(version=existing["version"] + 1, changed_at=seen_at)
        result.events.append(("review_updated", seen_at, {"changes": changes}))
        if existing["owner_reply_text"] is None and versioned["owner_reply_text"] is not None:
            result.events.append(_detected_reply(versioned, seen_at))
    return result


def _detected_reply(values: dict[str, Any], seen_at: str, already_there: bool = False) -> tuple[str, str, dict[str, Any]]:
    """An owner reply seen on the page: a ``replied`` event at its (latest possible) time."""
    latest = values.get("owner_reply_date_max") or values.get("owner_reply_at")
    at = min(latest, seen_at) if latest else seen_at
    return "replied", at, {
        "source": "capture", "text": values["owner_reply_text"], "date_min": values.get("owner_reply_date_min"),
        "date_max": values.get("owner_reply_date_max"), "already_replied_when_first_seen": already_there,
    }


def _shown_fields(review: Review, existing: Row | None) -> dict[str, Any]:
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


def _versioned_fields(review: Review, existing: Row | None) -> dict[str, Any]:
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
    if reply is UNKNOWN:
        for name in REPLY_COLUMNS:
            values[name] = existing[name] if existing is not None else None
    elif not reply:
        values.update(dict.fromkeys(REPLY_COLUMNS))
    elif existing is not None and reply.truncated and (existing["owner_reply_text"] or "").startswith(cut_prefix(reply.text)):
        for name in REPLY_COLUMNS:  # a shortened copy of the reply we know: keep ours
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


def _completes(name: str, old: Any, new: Any) -> bool:
    """The full text of what was only known shortened: not a change by the reviewer or the owner."""
    if not isinstance(old, str) or not isinstance(new, str) or not is_cut_short(old):
        return False
    return name in ("text", "owner_reply_text") and new.startswith(cut_prefix(old))


def date_range_of(row: Row, prefix: str) -> tuple[str, str] | None:
    low, high = row[f"{prefix}_min"], row[f"{prefix}_max"]
    return (low, high) if low and high else None


def review_date_range(review: Review) -> tuple[str, str] | None:
    """The range a review was written in: from its shown date, else its exact creation time."""
    if review.date_min and review.date_max:
        return review.date_min, review.date_max
    if review.created_at:
        return timestamp_range(review.created_at)
    return None
