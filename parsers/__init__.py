"""Pure functions that turn what the practice sees or exports into ReviewDesk records.

No Flask and no database here: captured pages and platform exports become :class:`Review` records,
contact exports become contacts and activities.
"""

from parsers.review import PLATFORMS, UNKNOWN, OwnerReply, Review, ReviewError

__all__ = ["PLATFORMS", "UNKNOWN", "OwnerReply", "Review", "ReviewError"]
