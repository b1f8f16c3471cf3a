"""Pure functions that turn what the practice sees or exports into ReviewDesk records.

No Flask and no database here: captured pages and platform exports become :class:`Review` records,
contact exports become contacts and activities.

The page readers (lxml, the date parser) are imported on first use, so a command that only needs a
record or a date does not load them.
"""

from __future__ import annotations

import importlib
from typing import Any

from parsers.review import PLATFORMS, UNKNOWN, OwnerReply, Review, ReviewError

_ON_FIRST_USE = {"PageResult": "parsers.page", "UnsupportedSite": "parsers.registry", "parse_page": "parsers.registry",
                 "parser_for": "parsers.registry"}

__all__ = ["PLATFORMS", "UNKNOWN", "OwnerReply", "PageResult", "Review", "ReviewError", "UnsupportedSite",
           "parse_page", "parser_for"]


def __getattr__(name: str) -> Any:
    if name not in _ON_FIRST_USE:
        raise AttributeError(f"module 'parsers' has no attribute {name!r}")
    value = getattr(importlib.import_module(_ON_FIRST_USE[name]), name)
    globals()[name] = value
    return value
