"""Pure functions that turn what the practice sees or exports into ReviewDesk records.

No Flask and no database here: captured pages and platform exports become :class:`Review` records,
contact exports become contacts and activities.
"""

from parsers.page import PageResult
from parsers.registry import UnsupportedSite, parse_page, parser_for
from parsers.review import PLATFORMS, UNKNOWN, OwnerReply, Review, ReviewError

__all__ = ["PLATFORMS", "UNKNOWN", "OwnerReply", "PageResult", "Review", "ReviewError", "UnsupportedSite",
           "parse_page", "parser_for"]
