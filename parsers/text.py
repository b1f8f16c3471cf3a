"""Review text as a platform shows it: the original (not a translation), and whether it was cut short."""

from __future__ import annotations

import re

# "(Translated by Google)", "(Traducido por Google)", "(Übersetzt von Google)", ...: Google labels a
# translation in the page's language, and the original after "(Original)" (or its translation).
TRANSLATED_PREFIX = re.compile(r"^\(\s*[^()]{0,40}\bGoogle\s*\)\s*", re.I)
ORIGINAL_MARKER = re.compile(
    r"\(\s*(?:original|texto original|texte original|avis d'origine|originale|oryginał|asli|原文|原文を表示)\s*\)", re.I
)
ELLIPSIS = ("…", "...")
MORE_WORDS = ("read more", "see more", "show more", "more")


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
    """Remove a "More" link glued after the "…" of a shortened text; returns the text and whether it
    was cut short. "wait, but …More" gives "wait, but …"; a review that ends with the word "more"
    ("could not ask for more") keeps it. (More *buttons* never reach the text: they are skipped.)
    """
    stripped = text.rstrip()
    lowered = stripped.lower()
    for word in MORE_WORDS:
        if lowered.endswith(word):
            before = stripped[: len(stripped) - len(word)].rstrip()
            if before.endswith(ELLIPSIS):
                stripped = before
                break
    return stripped, is_cut_short(stripped)


def is_cut_short(text: str) -> bool:
    return text.rstrip().endswith(ELLIPSIS)


def cut_prefix(text: str) -> str:
    """What a shortened text ("Great staff but the wait…") certainly begins with."""
    return text.rstrip().removesuffix("…").removesuffix("...").rstrip()
