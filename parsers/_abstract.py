"""``PlatformParser``: what a platform parser declares, and the default behaviour built from it.

A platform module (``google.py``, ``yelp.py``, ``facebook.py``) keeps its selectors as constants at
its top, its layout readers below them, and ends with a small subclass that states its data:

    class YelpParser(PlatformParser):
        platform = "yelp"
        hosts = re.compile(r"^(?:www\\.|m\\.|biz\\.)?yelp\\.[a-z.]{2,6}$")
        block_markers = ("captcha-delivery.com", "datadome")
        layouts = (("yelp_feed_json", _feed_reviews), ("yelp_cards", _dom_reviews))
        fallback_layout = "yelp_json_ld"

The registry (:mod:`parsers.registry`) picks the parser by host, calls :meth:`PlatformParser.parse`
and, when no layout found anything, applies the schema.org fallback (:mod:`parsers.generic`) once,
as the parser's ``fallback_*`` attributes say.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from parsers import _html as h
from parsers.generic import FALLBACK_SOURCES
from parsers.page import Capture
from parsers.review import Review

# A layout reader: (document, capture, the page's place or None) -> the reviews it finds, or [].
Reader = Callable[[Any, Capture, "str | None"], list[Review]]


class PlatformParser:
    """One platform's review pages. Subclasses set the data below; the methods have defaults."""

    #: Part of every capture's URL a review page has ("/biz/"): with none, an empty page is not
    #: reported as a possibly changed layout.
    review_url_markers: tuple[str, ...] = ()
    #: Lower-case texts of the platform's block or captcha page, searched in the first
    #: ``block_scan_chars`` characters of the HTML (only when no reviews were found).
    block_markers: tuple[str, ...] = ()
    block_scan_chars: int = 50_000
    #: A selector only a page with reviews matches: when it matches, block markers do not count
    #: (a captcha script beside real review cards). None: markers alone decide.
    review_anchor: str | None = None
    #: The layout name of the schema.org fallback, or None for no fallback; the sources it reads, in
    #: order ("microdata", "json_ld"); whether its reviews get the page's place (:meth:`place_of`).
    fallback_layout: str | None = None
    fallback_sources: tuple[str, ...] = ("microdata", "json_ld")
    fallback_sets_place: bool = False

    # Required: a subclass sets these as class attributes.
    @property
    def platform(self) -> str:
        """The platform name its reviews carry ("google"); one of :data:`parsers.review.PLATFORMS`."""
        raise NotImplementedError(f"{type(self).__name__} must set `platform`, the name its reviews carry (e.g. 'google')")

    @property
    def hosts(self) -> re.Pattern:
        """A compiled regex matched against the lower-case host of a capture's URL."""
        raise NotImplementedError(f"{type(self).__name__} must set `hosts`, a compiled regex of the hosts it reads")

    @property
    def layouts(self) -> Sequence[tuple[str, Reader]]:
        """(layout name, reader) pairs, tried in order; the first that finds reviews wins."""
        raise NotImplementedError(
            f"{type(self).__name__} must set `layouts`, ordered (layout_name, reader) pairs; "
            "a reader is reader(doc, capture, place) -> list[Review]"
        )

    def __init__(self) -> None:
        # Fail when the parser is registered (at import), not on the first page a user captures.
        name = type(self).__name__
        if not isinstance(self.platform, str) or not self.platform:
            raise TypeError(f"{name}.platform must be a non-empty string, got {self.platform!r}")
        if not isinstance(self.hosts, re.Pattern):
            raise TypeError(f"{name}.hosts must be a compiled regex (re.compile(...)), got {self.hosts!r}")
        if not self.layouts:
            raise TypeError(f"{name}.layouts is empty: a parser needs at least one (layout_name, reader) pair")
        names = [layout for layout, _ in self.layouts]
        if not all(isinstance(layout, str) and layout for layout in names) or len(set(names)) != len(names):
            raise TypeError(f"{name}.layouts needs distinct non-empty layout names, got {names}")
        if not all(callable(read) for _, read in self.layouts):
            raise TypeError(f"{name}.layouts: every reader must be callable as reader(doc, capture, place)")
        if self.fallback_layout in names:
            raise TypeError(f"{name}.fallback_layout {self.fallback_layout!r} is also one of its layouts")
        unknown = [source for source in self.fallback_sources if source not in FALLBACK_SOURCES]
        if unknown:
            raise TypeError(f"{name}.fallback_sources has {unknown}; known: {sorted(FALLBACK_SOURCES)}")

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.platform}>"

    def matches(self, host: str, path: str) -> bool:
        """Whether this parser reads pages of ``host`` (lower case, no trailing dot)."""
        return bool(self.hosts.match(host))

    def is_blocked(self, doc, html: str) -> bool:
        """Asked only when no reviews were found: the page is the platform's block or captcha page."""
        lowered = html[: self.block_scan_chars].lower()
        if not any(marker in lowered for marker in self.block_markers):
            return False
        return self.review_anchor is None or not h.select(doc, self.review_anchor)

    def looks_like_review_page(self, doc, capture: Capture) -> bool:
        """Asked when nothing was found: would reviews be expected here (then the layout may have changed)?"""
        return any(marker in capture.url for marker in self.review_url_markers)

    def place_of(self, doc, capture: Capture) -> str | None:
        """The business whose reviews the page shows, as the platform names it; given to every reader."""
        return None

    def parse(self, doc, capture: Capture) -> list[Review]:
        """The reviews of the first layout that finds any, with ``capture.layout`` set to its name.

        The schema.org fallback is not applied here: the registry applies it once for every platform.
        """
        place = self.place_of(doc, capture)
        for layout, read in self.layouts:
            reviews = read(doc, capture, place)
            if reviews:
                capture.layout = layout
                return reviews
        return []
