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
    """Remove a trailing "More" link text; returns the text and whether it was cut short.

    The reviewer's text keeps its own "…" ("wait, but …More" gives "wait, but …").
    """
    stripped = text.rstrip()
    lowered = stripped.lower()
    cut = False
    for word in MORE_WORDS:
        before = lowered[: -len(word)]
        if lowered.endswith(word) and (not before or not before[-1].isalnum()):
            stripped, cut = stripped[: -len(word)].rstrip(), True
            break
    if stripped.endswith(ELLIPSIS):
        cut = True
    return stripped, cut


def is_truncated(text: str) -> bool:
    return text.rstrip().endswith(ELLIPSIS)
