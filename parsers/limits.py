"""Every cap ReviewDesk puts on what it is sent, in one place: the API, the capture path and the importers
all read them here. A request or file past a cap is refused with a message that says what to do (413 or 422
over HTTP); nothing is cut silently. The caps are far above anything a real page or export holds, and low
enough that no single request can make the server work for more than a moment.
"""

from __future__ import annotations

# -- reviews (POST /api/reviews and captured pages alike) -----------------------------------------------
REVIEWER_NAME_CHARS = 300
REVIEW_TEXT_CHARS = 50_000  # Google allows 4,096 characters, Yelp 5,000
SHORT_TEXT_CHARS = 2_000  # a place, what a page shows beside a review
SHOWN_DATE_CHARS = 200  # "Edited 3 weeks ago", "Dined on 12 de noviembre de 2026": a longer one is read as no date
REVIEW_ID_CHARS = 500
URL_CHARS = 2_048
REVIEWS_PER_REQUEST = 5_000
CAPTURE_BYTES = 5 * 1024 * 1024  # a captured page's request (the toolbar sends the review containers, or a page's JSON)
REVIEWS_PER_CAPTURE = 1_000  # a page read stops there (a review panel scrolled to its end rarely holds more)
TRIAGE_CHARS = 20_000  # the triage judges a longer review on its beginning (four times what Yelp allows)
URL_SCHEMES = ("http", "https")  # a review's link and a captured page's address

# -- what staff type ----------------------------------------------------------------------------------------
REPLY_CHARS = 5_000
NOTE_CHARS = 5_000
SEARCH_CHARS = 200
NAME_OF_STAFF_CHARS = 200  # who a follow-up call is assigned to
PAGE_SIZE = 500  # reviews or contacts a list answers at once (and review ids asked for at once)
SETTING_LIST_ITEMS = 20  # values of a list setting (the office's phone numbers, staff names, ...)
LANGUAGE_TAG_CHARS = 35

# -- JSON bodies ----------------------------------------------------------------------------------------------
JSON_DEPTH = 20  # nesting of objects and lists
JSON_NUMBER_CHARS = 30  # digits of one number

# -- contact imports ----------------------------------------------------------------------------------------
CONTACT_FILE_BYTES = 200 * 1024 * 1024
CELL_CHARS = 1_000  # one field of one contact; a longer one is skipped and reported
NAME_CHARS = REVIEWER_NAME_CHARS  # a contact's name field
COLUMNS = 500
ROWS = 1_000_000
XLSX_UNPACKED_BYTES = 300 * 1024 * 1024  # what the parts of a workbook may unpack to, in all
XLSX_RATIO = 100  # and at most this many times their packed size (a zip bomb packs far tighter)
COLUMNS_LISTED = 20  # columns an error message names
