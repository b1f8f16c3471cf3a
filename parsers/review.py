"""The review record every parser and the ingestion API produce, and its stable identity."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit

PLATFORMS = ("google", "yelp", "facebook")

# Query parameters that identify a person in a profile URL (Yelp: /user_details?userid=...,
# Facebook: /profile.php?id=...); every other parameter (hl=en, ...) is presentation.
PROFILE_ID_PARAMS = ("userid", "id")
# Path endings that show a view of a profile, not a different profile.
PROFILE_VIEW_SUFFIXES = ("/reviews", "/photos")
# A profile link urlsplit would read as a lower-case host, a plain path and only presentation parameters
# (none named like PROFILE_ID_PARAMS): "https://www.google.com/maps/contrib/123/reviews?hl=en".
PLAIN_PROFILE_URL = re.compile(r"https?://([a-z0-9.-]+)(/[A-Za-z0-9/_.~-]*)?(?:\?(?![^#]*\bid=|[^#]*userid=)[A-Za-z0-9=&_.~-]*)?\Z")


class _Unknown:
    """Marks a value the source did not show (as opposed to showing that there is none)."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        return False


UNKNOWN = _Unknown()


class ReviewError(ValueError):
    """A review record is incomplete or has an impossible value."""


@dataclass(frozen=True)
class OwnerReply:
    text: str
    date_text: str | None = None
    created_at: str | None = None
    date_min: str | None = None
    date_max: str | None = None
    truncated: bool = False


@dataclass
class Review:
    """One review as a platform shows it.

    ``owner_reply`` is ``None`` when the page shows that there is no reply and ``UNKNOWN`` when the
    source does not show replies at all (so an existing reply is kept). ``rating`` and
    ``recommends`` are ``None`` when not shown; Facebook shows ``recommends`` instead of stars.
    """

    platform: str
    reviewer_name: str
    text: str = ""
    platform_review_id: str | None = None
    rating: int | None = None
    recommends: bool | None = None
    date_text: str | None = None
    created_at: str | None = None
    url: str | None = None
    reviewer_url: str | None = None
    place: str | None = None
    owner_reply: OwnerReply | None | _Unknown = field(default=UNKNOWN)
    # When it was written: a range from the shown date (see parsers.dates), ISO 8601 UTC.
    date_min: str | None = None
    date_max: str | None = None
    date_precision: str | None = None
    edited: bool | None = None
    # The page showed a shortened text ("…" with a More button) and not the full one.
    text_truncated: bool = False
    # The language of the original text, when the page says (e.g. Google Maps' lang attribute).
    language: str | None = None

    @property
    def fingerprint(self) -> str:
        return review_fingerprint(self.platform, self.place, self.reviewer_name, self.reviewer_url)


def normalise_name(name: str) -> str:
    """Case-, accent- and spacing-insensitive form of a display name."""
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def normalise_profile_url(url: str | None) -> str | None:
    """The part of a reviewer's profile URL that identifies the person.

    ``https://www.google.com/maps/contrib/123/reviews?hl=en`` and ``/maps/contrib/123`` are the
    same person: scheme, ``www.``, presentation parameters and view suffixes are dropped.
    """
    if not url or not url.strip():
        return None
    plain = PLAIN_PROFILE_URL.match(url.strip())
    if plain is not None:  # most links of a capture: read without urllib (a fifth of storing a 200-review capture)
        return f"{plain.group(1).removeprefix('www.')}{_profile_path(plain.group(2) or '')}" or None
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").removeprefix("www.")
    except ValueError:
        return None
    identity = [(k, v) for k, v in parse_qsl(parts.query) if k in PROFILE_ID_PARAMS]
    query = f"?{urlencode(sorted(identity))}" if identity else ""
    normalised = f"{host}{_profile_path(parts.path)}{query}"
    return normalised or None


def _profile_path(path: str) -> str:
    """A profile link's path without its trailing slash and view suffix."""
    path = path.rstrip("/")
    for suffix in PROFILE_VIEW_SUFFIXES:
        if path.endswith(suffix):
            path = path[: -len(suffix)]
    return path


@lru_cache(maxsize=4096)  # a batch asks for each review's fingerprint several times
def review_fingerprint(platform: str, place: str | None, reviewer_name: str, reviewer_url: str | None) -> str:
    """A stable identity for a review on a page that shows no review id.

    Each platform allows one review per person and business. A profile link identifies the person
    on every layout of the platform (Maps and Search show the same contributor link), so it is the
    identity on its own; a display name alone is only unique within one business.
    """
    profile = normalise_profile_url(reviewer_url)
    if profile:
        material = "\x1f".join((platform, profile))
    else:
        material = "\x1f".join((platform, (place or "").strip().casefold(), "name:" + normalise_name(reviewer_name)))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:32]
