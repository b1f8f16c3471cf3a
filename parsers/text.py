"""Review text as a platform shows it: the original (not a translation), and whether it was cut short."""

from __future__ import annotations

import re

TRANSLATED_PREFIX = re.compile(r"^\(?\s*translated by google\s*\)?\s*", re.I)
ORIGINAL_MARKER = re.compile(r"\(\s*original\s*\)", re.I)
ELLIPSIS = ("…", "...")
MORE_WORDS = frozenset({"more", "see more", "read more", "more…", "…more", "... more", "show more"})


def original_text(text: str) -> tuple[str, bool]:
    """The reviewer's own words, and whether only Google's translation was shown.

    Google writes "(Translated by Google) <translation> (Original) <original>"; keep the original.
    """
    text = (text or "").strip()
    if not TRANSLATED_PREFIX.match(text):
        return text, False
    marker = ORIGINAL_MARKER.search(text)
    if marker:
        return text[marker.end():].strip(), False
    return TRANSLATED_PREFIX.sub("", text, count=1).strip(), True


def strip_more(text: str) -> tuple[str, bool]:
    """Remove a trailing "More"/"… more" link text; returns the text and whether it was cut short."""
    stripped = text.rstrip()
    lowered = stripped.lower()
    cut = False
    for word in sorted(MORE_WORDS, key=len, reverse=True):
        if lowered.endswith(word) and (len(lowered) == len(word) or not lowered[-len(word) - 1].isalnum()):
            stripped = stripped[: -len(word)].rstrip()
            cut = True
            break
    if stripped.endswith(ELLIPSIS):
        cut = True
    return stripped, cut


def is_truncated(text: str) -> bool:
    return text.rstrip().endswith(ELLIPSIS)
