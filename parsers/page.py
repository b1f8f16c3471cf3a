"""What parsing a captured page gives back, and the context a platform parser works in."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

from parsers import limits
from parsers.dates import DateRange, parse_shown_date
from parsers.review import OwnerReply, Review
from parsers.text import strip_more

OK = "ok"
BLOCKED = "blocked"
NO_REVIEWS = "no_reviews"
UNSUPPORTED = "unsupported"
STATUSES = (OK, BLOCKED, NO_REVIEWS, UNSUPPORTED)


@dataclass
class PageResult:
    url: str
    platform: str | None
    status: str
    reviews: list[Review] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    layout: str | None = None
    too_many: bool = False  # the page holds more than limits.REVIEWS_PER_CAPTURE reviews: none were read


class TooManyReviews(Exception):
    """Raised by :meth:`Capture.dated` once a page has given more reviews than a capture may store."""


@dataclass
class Capture:
    """One captured page as a parser sees it: where it came from, when, in which language."""

    url: str
    captured_at: datetime
    lang: str = "en"
    warnings: list[str] = field(default_factory=list)
    layout: str | None = None
    reviews_read: int = 0

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def date(self, shown: str | None) -> DateRange | None:
        return parse_shown_date(shown, self.captured_at, self.lang)

    def reply(self, text: str, date_text: str | None = None) -> OwnerReply | None:
        """An owner's reply as shown, with its date range; None when it has no text."""
        text, truncated = strip_more(text or "")
        if not text:
            return None
        found = self.date(date_text)
        low, high = found.iso() if found else (None, None)
        return OwnerReply(text, date_text or None, date_min=low, date_max=high, truncated=truncated)

    def dated(self, review: Review) -> Review:
        """``review`` with its date range filled from its shown date (and its reply's). Every layout reads
        each review through here: past limits.REVIEWS_PER_CAPTURE of them it stops the page's reading."""
        self.reviews_read += 1
        if self.reviews_read > limits.REVIEWS_PER_CAPTURE:
            raise TooManyReviews()
        found = self.date(review.date_text)
        if found is not None:
            review.date_min, review.date_max = found.iso()
            review.date_precision = found.precision
            if found.edited:
                review.edited = True
        elif review.date_text:
            self.warn(f"Could not read the date {review.date_text!r} of {review.reviewer_name}'s review.")
        return review


def aware(moment: datetime) -> datetime:
    """The capture moment with its time zone: the browser's offset says what "Yesterday at 15:28"
    means; a moment without one is taken as UTC."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment
