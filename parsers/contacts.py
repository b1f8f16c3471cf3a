"""Contact exports become contact and activity records: CSV (any delimiter, quoting, line ending and
encoding), XLSX and vCard, with the columns recognised automatically or mapped explicitly.

Only what the review workflow needs is kept: names, one phone, one e-mail, the system's own id, the
last visit or activity, and activities (type, date, summary, staff). Everything else in the file is
ignored.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import threading
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date, datetime
from pathlib import Path
from typing import Any

from dateutil import parser as date_parser

from parsers import limits

FIELDS = ("external_id", "name", "first_name", "last_name", "middle_name", "preferred_name", "phone", "email",
          "last_visit", "last_activity")
ACTIVITY_FIELDS = ("contact_ref", "type", "at", "summary", "staff")

# Header words (lower case, letters and digits only) each system uses, best first within a field.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "external_id": ("contactid", "patnum", "patientid", "patientnumber", "chartnumber", "chartno", "chart", "clientid",
                    "externalid", "recordid", "uid", "id"),
    "name": ("name", "fullname", "patientname", "patient", "contactname", "clientname", "displayname", "formattedname", "fn"),
    "first_name": ("firstname", "fname", "givenname", "first", "patientfirstname", "patientfirst", "forename"),
    "last_name": ("lastname", "lname", "familyname", "surname", "last", "patientlastname", "patientlast"),
    "middle_name": ("middlename", "middlei", "middleinitial", "middle", "additionalname"),
    "preferred_name": ("preferred", "preferredname", "nickname", "goesby", "nick"),
    "phone": ("mobile", "mobilephone", "cell", "cellphone", "wirelessphone", "phone", "phonenumber", "phone1value",
              "primaryphone", "homephone", "hmphone", "telephone", "tel", "workphone", "wkphone", "businessphone"),
    "email": ("email", "emailaddress", "email1value", "primaryemail", "emailaddress1"),
    "last_visit": ("lastvisit", "datelastvisit", "lastvisitdate", "lastappointment", "lastappt", "lastseen", "lastvisitdt"),
    "last_activity": ("lastactivity", "lastactivitydate", "lastcontacted", "lastcontact", "lastinteraction"),
}
ACTIVITY_SYNONYMS: dict[str, tuple[str, ...]] = {
    "contact_ref": ("contactid", "patnum", "patientid", "externalid", "clientid", "contact", "patient", "email", "phone", "id"),
    "type": ("type", "activitytype", "kind", "category", "event"),
    "at": ("date", "datetime", "at", "when", "activitydate", "appointmentdate", "aptdatetime", "aptdate", "calldate", "time"),
    "summary": ("summary", "note", "notes", "description", "subject", "details"),
    "staff": ("staff", "user", "provider", "assignedto", "owner", "by", "employee"),
}
DELIMITERS = ",;\t|"
MISSING = object()  # a look-up's answer when there is none yet (None is an answer)
WARNINGS_LISTED = 20  # problems of single rows listed one by one; the rest are counted


class ContactFileError(ValueError):
    """A file ReviewDesk cannot read as contacts; the message says what to do."""


@dataclass(slots=True)
class Activity:
    type: str
    at: str | None
    summary: str | None = None
    staff: str | None = None
    contact_ref: str | None = None
    row: int | None = None


@dataclass(slots=True)
class Contact:
    row: int
    external_id: str | None = None
    name: str = ""
    first_name: str = ""
    last_name: str = ""
    middle_name: str = ""
    preferred_name: str = ""
    phone: str | None = None
    email: str | None = None
    last_seen_at: str | None = None
    activities: list[Activity] = field(default_factory=list)


@dataclass
class Skipped:
    row: int
    reason: str


@dataclass
class ContactFile:
    contacts: list[Contact]
    skipped: list[Skipped]
    mapping: dict[str, str]  # column -> field
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class Table:
    columns: list[str]
    rows: list[tuple[int, list[Any]]]  # (row number as the user counts it, values)
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)


def _listed(columns: list[str]) -> str:
    """Columns for an error message: the first COLUMNS_LISTED, and how many more."""
    named = [column for column in columns if column]
    shown = ", ".join(column[:60] for column in named[:limits.COLUMNS_LISTED]) or "(no columns)"
    return shown + (f" and {len(named) - limits.COLUMNS_LISTED} more" if len(named) > limits.COLUMNS_LISTED else "")


def _check_width(columns: int) -> None:
    if columns > limits.COLUMNS:
        raise ContactFileError(f"The file has {columns:,} columns; ReviewDesk reads at most {limits.COLUMNS}. "
                               "Export only the contact columns (names, phone, e-mail, id, last visit) and import that.")


_TOO_MANY_ROWS = f"The file has more than {limits.ROWS:,} rows; split it into several files and import each."


def _rows_capped(rows: Any) -> Any:
    """The rows, refusing a file with more than limits.ROWS of them."""
    for count, row in enumerate(rows, start=1):
        if count > limits.ROWS + 1:  # the header and ROWS contacts
            raise ContactFileError(_TOO_MANY_ROWS)
        yield row


def header_key(column: str) -> str:
    return re.sub(r"[^a-z0-9]", "", column.casefold())


# -- reading tables ---------------------------------------------------------------------------------


# What Windows-1252 gives for Western European text: the accented letters of Spanish, French, German, the Nordic
# and Portuguese names, and the typographic marks of a word processor. A decoding that gives only these (beside
# ASCII) is taken; one that gives anything else ("£ódŸ" for the Polish "Łódź") is left to the detector.
WESTERN = frozenset("ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿŒœŠšŽžŸ"
                    "‘’‚“”„–—…•€™«»¡¿ºª°·´¨\xa0")


WESTERN_ACCENTED_SHARE = 0.25  # Western names are mostly unaccented letters; Cyrillic read as Windows-1252 is all accents


NON_ASCII = re.compile(r"[^\x00-\x7f]")
LETTER = re.compile(r"[^\W\d_]")
ENCODING_SAMPLE_CHARS = 1_000_000  # the encoding is judged on the file's first million characters, as the detector does


def _western(text: str) -> bool:
    """Whether ``text`` reads as Western European: only WESTERN characters beyond ASCII, and few of its letters."""
    sample = text[:ENCODING_SAMPLE_CHARS]
    beyond_ascii = NON_ASCII.findall(sample)
    if not beyond_ascii:
        return True
    return (len(beyond_ascii) <= WESTERN_ACCENTED_SHARE * len(LETTER.findall(sample))
            and all(char in WESTERN for char in set(beyond_ascii)))


def decode(raw: bytes) -> tuple[str, str]:
    """Text and encoding of a file: UTF-8 (with or without BOM), UTF-16 (BOM), Windows-1252 when it reads as
    Western European text (the usual single-byte code page of US exports: "Inés Gómez", "François Müller"),
    else detected."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "utf-16"
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:  # five bytes are no character in Windows-1252
        text = None
    if text is not None and _western(text):
        return text, "cp1252"
    from charset_normalizer import from_bytes

    best = from_bytes(raw[:1_000_000]).best()
    encoding = best.encoding if best is not None else "cp1252"
    try:
        return raw.decode(encoding), encoding
    except (UnicodeDecodeError, LookupError):
        raise ContactFileError(
            "The file's text encoding could not be recognised. Save it again as CSV UTF-8 and import that."
        ) from None


def read_csv(raw: bytes) -> Table:
    text, encoding = decode(raw)
    sample = text[:64_000]
    # The header row decides: exports do not quote their headers, while values may hold any character.
    header = re.split(r"\r\n|\r|\n", sample.lstrip("\r\n"), maxsplit=1)[0]
    counts = {candidate: header.count(candidate) for candidate in DELIMITERS}
    delimiter = max(counts, key=counts.get)
    _check_width(counts[delimiter] + 1)  # before the CSV reader splits a header of a million columns
    if counts[delimiter] == 0:
        try:
            delimiter = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
        except csv.Error:
            delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', doublequote=True, skipinitialspace=False)
    columns: list[str] | None = None
    rows: list[tuple[int, list[Any]]] = []
    try:
        # Row numbers as a spreadsheet shows them (the first line is row 1).
        for number, line in enumerate(reader, start=1):
            if number > limits.ROWS + 1:  # the header and ROWS contacts
                raise ContactFileError(_TOO_MANY_ROWS)
            if not "".join(line).strip():  # a blank row
                continue
            if columns is None:
                _check_width(len(line))
                columns = [cell.strip() for cell in line]
            else:
                rows.append((number, line[:len(columns)]))
    except csv.Error as error:
        raise ContactFileError(f"The CSV file is malformed ({str(error)[:200]}); check its quotes, or export it again.") from None
    if columns is None:
        raise ContactFileError("The file is empty: it has no header row and no contacts.")
    return Table(columns, rows, encoding)


def _check_unpacked_size(raw: bytes) -> None:
    """A workbook is a zip archive: refuse one whose parts unpack to more than limits.XLSX_UNPACKED_BYTES, or
    to more than limits.XLSX_RATIO times their packed size (a few kilobytes that unpack to gigabytes)."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as error:
        raise ContactFileError(f"The Excel file could not be opened ({error}); save it again as .xlsx or CSV.") from None
    unpacked = sum(part.file_size for part in parts)
    packed = sum(part.compress_size for part in parts)
    if unpacked > limits.XLSX_UNPACKED_BYTES or unpacked > limits.XLSX_RATIO * max(packed, 1) + 1_000_000:
        raise ContactFileError(f"The Excel file unpacks to {unpacked / 1e6:,.0f} MB from {len(raw) / 1e6:,.1f} MB, far more than "
                               "a contact list; open it in Excel, save it again as .xlsx or CSV, and import that.")


def read_xlsx(raw: bytes) -> Table:
    _check_unpacked_size(raw)  # first: a workbook refused costs no import of openpyxl
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise ContactFileError(f"The Excel file could not be opened ({error}); save it again as .xlsx or CSV.") from None
    sheet = workbook.worksheets[0]
    columns: list[str] | None = None
    rows: list[tuple[int, list[Any]]] = []
    for number, values in enumerate(_rows_capped(sheet.iter_rows(values_only=True, max_col=limits.COLUMNS + 1)), start=1):
        values = ["" if value is None else value for value in values]
        if not any(str(value).strip() for value in values):
            continue
        if columns is None:
            while values and values[-1] == "":  # a read-only sheet pads its rows to max_col
                values.pop()
            _check_width(len(values))
            columns = [str(value).strip() for value in values]
        else:
            rows.append((number, values[:len(columns)]))
    workbook.close()
    if columns is None:
        raise ContactFileError("The first sheet of the workbook is empty.")
    return Table(columns, rows)


class _UnreadableLines(logging.Handler):
    """Counts, per thread, the lines the vCard reader skipped. vobject reports each one at ERROR level with
    the line itself (a phone, an e-mail, a note about a treatment): its log goes here, never to the log."""

    def __init__(self) -> None:
        super().__init__()
        self.counts = threading.local()

    def emit(self, record: logging.LogRecord) -> None:
        self.counts.value = getattr(self.counts, "value", 0) + 1

    def take(self) -> int:
        count, self.counts.value = getattr(self.counts, "value", 0), 0
        return count


_VCARD_LOG = _UnreadableLines()


def _quiet_vobject() -> None:
    """vobject's reader logs to "vobject.base", with a handler of its own on stderr when it is imported before
    logging is set up: that log goes to the count alone."""
    logger = logging.getLogger("vobject.base")
    for handler in list(logger.handlers):
        if handler is not _VCARD_LOG:
            logger.removeHandler(handler)
    if _VCARD_LOG not in logger.handlers:
        logger.addHandler(_VCARD_LOG)
    logger.propagate = False


def read_vcard(raw: bytes) -> Table:
    import vobject

    _quiet_vobject()
    text, encoding = decode(raw)
    columns = ["UID", "FN", "First Name", "Last Name", "Middle Name", "Nickname", "Phone", "Email"]
    rows = []
    _VCARD_LOG.take()
    try:
        cards = list(vobject.readComponents(text, ignoreUnreadable=True))
    except Exception:  # vobject raises ParseError and others; its message quotes the line
        raise ContactFileError("The vCard file could not be read; export the contacts again as vCard 3.0 or as CSV.") from None
    unreadable = _VCARD_LOG.take()
    for number, card in enumerate(cards, start=1):
        def value(name: str) -> str:
            item = card.contents.get(name)
            return str(item[0].value).strip() if item else ""

        n = card.contents.get("n")
        given = family = additional = ""
        if n:
            parts = n[0].value
            given, family, additional = str(parts.given or ""), str(parts.family or ""), str(parts.additional or "")
        phones = card.contents.get("tel", [])
        mobile = next((t for t in phones if "CELL" in str(t.params.get("TYPE", "")).upper()), phones[0] if phones else None)
        rows.append((number, [value("uid"), value("fn"), given, family, additional, value("nickname"),
                              str(mobile.value).strip() if mobile else "", value("email")]))
        if len(rows) > limits.ROWS:
            raise ContactFileError(f"The file has more than {limits.ROWS:,} contacts; split it into several files and import each.")
    warnings = [f"{unreadable} line(s) of the vCard file could not be read and were skipped."] if unreadable else []
    return Table(columns, rows, encoding, warnings)


def unique_headings(columns: list[str]) -> list[str]:
    """Headings that tell every column apart: a repeated "Name" becomes "Name (2)", then "Name (3)"; a
    repeated empty heading "(no heading 2)"."""
    taken = set(columns)
    seen: set[str] = set()
    next_number: dict[str, int] = {}  # where the search for a free number goes on: linear in the columns
    unique = []
    for column in columns:
        if column in seen:
            number = next_number.get(column, 2)
            while (renamed := f"{column} ({number})" if column else f"(no heading {number})") in taken:
                number += 1
            next_number[column] = number + 1
            column = renamed
            taken.add(column)
        seen.add(column)
        unique.append(column)
    return unique


def read_table(raw: bytes, filename: str) -> Table:
    """The table of a CSV, XLSX or vCard file, its headings made unique."""
    table = _read_any_table(raw, filename)
    table.columns = unique_headings(table.columns)
    return table


def _read_any_table(raw: bytes, filename: str) -> Table:
    if len(raw) > limits.CONTACT_FILE_BYTES:
        raise ContactFileError(f"The file is larger than {limits.CONTACT_FILE_BYTES // (1024 * 1024)} MB; split it into several files.")
    suffix = Path(filename).suffix.lower()
    if suffix in (".xlsx", ".xlsm") or raw[:4] == b"PK\x03\x04":
        return read_xlsx(raw)
    if suffix in (".vcf", ".vcard") or raw.lstrip(b"\xef\xbb\xbf \r\n").upper().startswith(b"BEGIN:VCARD"):
        return read_vcard(raw)
    if suffix == ".xls":
        raise ContactFileError("Old .xls workbooks are not supported; save the file as .xlsx or CSV.")
    return read_csv(raw)


# -- column mapping ---------------------------------------------------------------------------------


def auto_mapping(columns: list[str], synonyms: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """column -> field for the columns ReviewDesk recognises (each field from its best column)."""
    by_key: dict[str, list[str]] = {}  # header word -> its columns, in file order
    for column in columns:
        by_key.setdefault(header_key(column), []).append(column)
    mapping: dict[str, str] = {}
    for target, words in synonyms.items():
        for word in words:
            column = next((c for c in by_key.get(word, ()) if c not in mapping), None)
            if column is not None:
                mapping[column] = target
                break
    return mapping


def apply_explicit(mapping: dict[str, str], explicit: dict[str, str], columns: list[str], fields: tuple[str, ...]) -> dict[str, str]:
    mapping = dict(mapping)
    for column, target in explicit.items():
        if column not in columns:
            raise ContactFileError(f"Column '{column}' is not in the file; it has: {', '.join(columns)}.")
        if target not in fields and target != "ignore":
            raise ContactFileError(f"'{target}' is not a contact field; use one of: {', '.join(fields)}, ignore.")
        for other in [c for c, f in mapping.items() if f == target]:
            del mapping[other]
        mapping.pop(column, None)
        if target != "ignore":
            mapping[column] = target
    return mapping


def parse_mapping_options(options: list[str] | tuple[str, ...]) -> dict[str, str]:
    """``["Nom=last_name", "Prénom=first_name"]`` → {"Nom": "last_name", ...}."""
    explicit = {}
    for option in options:
        column, sep, target = option.rpartition("=")
        if not sep or not column.strip() or not target.strip():
            raise ContactFileError(f"--map takes COLUMN=field, got {option!r}.")
        explicit[column.strip()] = target.strip()
    return explicit


# -- values -----------------------------------------------------------------------------------------


ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
US_DAY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_date(value: Any) -> str | None:
    """ISO, US (11/05/2026) and spelled-out dates ("Nov 5, 2026") → "2026-11-05" (or a date-time)."""
    if value.__class__ is str:  # a CSV's every value
        return _parse_date_text(value.strip())
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes") if (value.hour or value.minute) else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return _parse_date_text(str(value).strip())


@lru_cache(maxsize=65536)
def _parse_date_text(text: str) -> str | None:
    """Exports repeat the same dates thousands of times: each distinct text is read once."""
    if not text:
        return None
    for pattern, order in ((ISO_DAY, (0, 1, 2)), (US_DAY, (2, 0, 1))):
        if match := pattern.match(text):
            year, month, day = (int(match.group(i + 1)) for i in order)
            try:
                return date(year, month, day).isoformat() if 1900 <= year <= 2100 else None
            except ValueError:
                return None
    try:
        parsed = date_parser.parse(text, dayfirst=False, yearfirst=bool(re.match(r"^\d{4}", text)))
    except (ValueError, OverflowError):
        return None
    if parsed.year < 1900 or parsed.year > 2100:
        return None
    has_time = bool(re.search(r"\d:\d{2}", text))
    return parsed.isoformat(timespec="minutes") if has_time else parsed.date().isoformat()


NOT_A_DIGIT = re.compile(r"\D")


def phone_key(value: Any) -> str | None:
    """Digits of a phone number, without a North American leading 1: "(512) 555-0100" → "5125550100"."""
    text = value if value.__class__ is str else str(value or "")
    digits = text if text.isdecimal() else NOT_A_DIGIT.sub("", text)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return digits if len(digits) >= 7 else None


EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def email_key(value: Any) -> str | None:
    text = (value if value.__class__ is str else str(value or "")).strip().lower()
    return text if EMAIL.match(text) else None


def _cell(values: list[Any], index: int) -> Any:
    return values[index] if index < len(values) else ""


def _read_as_is(texts: list[Any]) -> bool:
    """Whether a row's fields are all text already as it is read (most rows): within the shortest field's length,
    printable, with no space at either end or doubled. A few checks of the fields joined, not a loop over them."""
    try:
        joined = "|".join(texts)
    except TypeError:  # a workbook's numbers and dates
        return False
    return (len(joined) <= limits.NAME_CHARS and joined.isprintable() and "  " not in joined and " |" not in joined
            and "| " not in joined and joined[:1] != " " and joined[-1:] != " ")


def _clean_fields(texts: list[Any], longest: tuple[int, ...], number: int, too_long: list[int]) -> None:
    """A row's fields as they are read, in place: as text, spaces collapsed, and a field longer than any contact
    field can be left out (its row reported in ``too_long``, never stored)."""
    for place, value in enumerate(texts):
        if value.__class__ is not str:
            texts[place] = _text(value)
        elif len(value) > longest[place]:
            too_long.append(number)
            texts[place] = ""
        elif value and (value[0] == " " or value[-1] == " " or "  " in value or not value.isprintable()):
            texts[place] = " ".join(value.split())


def _other_phone(values: list[Any], column: int, number: int, too_long: list[int]) -> str:
    """The text of a phone column the mapping left aside (the first with a number is the contact's); longer than
    any field: left out and reported, as a mapped cell is."""
    texts = [_cell(values, column)]
    _clean_fields(texts, (limits.CELL_CHARS,), number, too_long)
    return texts[0]


def _text(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    return " ".join(text.split()) if "  " in text or text != text.strip() or "\n" in text or "\t" in text else text


# -- contacts ---------------------------------------------------------------------------------------


def mapped_table(raw: bytes, filename: str, explicit: dict[str, str] | None = None) -> tuple[Table, dict[str, str]]:
    """A contact export's table and its column -> field mapping (automatic, then ``explicit``)."""
    table = read_table(raw, filename)
    mapping = auto_mapping(table.columns, SYNONYMS)
    if explicit:
        mapping = apply_explicit(mapping, explicit, table.columns, FIELDS)
    return table, mapping


def read_contacts(raw: bytes, filename: str, explicit: dict[str, str] | None = None) -> ContactFile:
    table, mapping = mapped_table(raw, filename, explicit)
    targets = set(mapping.values())
    if not targets & {"name", "first_name", "last_name"}:
        raise ContactFileError(
            f"No name column found; the file has: {_listed(table.columns)}. "
            "Pass --map COLUMN=first_name (and last_name, or name for a full name)."
        )
    index = {target: table.columns.index(column) for column, target in mapping.items()}
    phone_columns = [i for i, c in enumerate(table.columns) if header_key(c) in SYNONYMS["phone"] and c not in mapping]
    dated = [(kind, index[target], f"{kind.capitalize()} ({header_of(mapping, target)})")
             for target, kind in (("last_visit", "appointment"), ("last_activity", "activity")) if target in index]
    result = ContactFile([], [], mapping, table.encoding, list(table.warnings))
    bad_dates, bad_emails, too_long = 0, [], []
    no_column = len(table.columns) + 1_000_000  # an index no row has: the field reads as ""
    first_i, last_i, full_i = (index.get(target, no_column) for target in ("first_name", "last_name", "name"))
    other = {target: index.get(target, no_column) for target in ("phone", "email", "external_id", "middle_name", "preferred_name")}
    # Each row's fields, in this order, and the longest text each may hold.
    fields = (first_i, last_i, full_i, other["middle_name"], other["preferred_name"], other["external_id"], other["phone"], other["email"])
    longest = (limits.NAME_CHARS,) * 5 + (limits.CELL_CHARS,) * 3
    contacts, skipped = result.contacts, result.skipped
    dates: dict[Any, str | None] = {}  # each shown date read once: visits repeat across contacts (and dateutil is slow)
    for number, values in table.rows:
        width = len(values)
        texts = [values[column] if column < width else "" for column in fields]
        if not _read_as_is(texts):
            _clean_fields(texts, longest, number, too_long)
        first, last, full, middle, preferred, external_id, phone_text, raw_email = texts
        if not (first or last or full):
            skipped.append(Skipped(number, "no name"))
            continue
        phone = phone_key(phone_text)
        if phone is None and phone_columns:
            phone = next((key for key in (phone_key(_other_phone(values, i, number, too_long)) for i in phone_columns) if key), None)
        email = email_key(raw_email) if raw_email else None
        if raw_email and not email:
            bad_emails.append(f"Row {number}: '{raw_email[:80]}' is not an e-mail address; it was left out.")
        if full and not (first or last) and "," in full:  # "GÓMEZ, INÉS", "D'Souza, Mary Ann", 'ROSSI, GIUSEPPE "JOE"'
            first, middle_in_name, last, shown, nickname = last_name_first(full)
            middle, preferred, full = middle or middle_in_name, preferred or nickname, shown or full
        contact = Contact(
            row=number,
            external_id=external_id or None,
            name=full or (f"{first} {last}" if first and last else first or last),
            first_name=first,
            last_name=last,
            middle_name=middle,
            preferred_name=preferred,
            phone=phone,
            email=email,
        )
        for kind, column, summary in dated:
            shown = values[column] if column < width else ""
            if shown == "" or shown is None:
                continue
            when = dates.get(shown, MISSING)
            if when is MISSING:
                when = dates[shown] = parse_date(shown)
            if when is None:
                bad_dates += 1
                continue
            contact.activities.append(Activity(kind, when, summary=summary, row=number))
            if contact.last_seen_at is None or when > contact.last_seen_at:
                contact.last_seen_at = when
        contacts.append(contact)
    if bad_dates:
        result.warnings.append(f"{bad_dates} date(s) could not be read and were left out; use ISO (2026-11-05) or US (11/05/2026) dates.")
    result.warnings += bad_emails[:WARNINGS_LISTED]
    if len(bad_emails) > WARNINGS_LISTED:
        result.warnings.append(f"{len(bad_emails) - WARNINGS_LISTED} more value(s) in the e-mail column are not e-mail addresses "
                               "and were left out.")
    if too_long:
        result.warnings.append(f"{len(too_long)} field(s) longer than a contact field can be ({limits.NAME_CHARS} characters for a "
                               f"name, {limits.CELL_CHARS} for the others) were left out: rows " + _first_few([str(n) for n in too_long]) + ".")
    return result


def last_name_first(full: str) -> tuple[str, str, str, str, str]:
    """(first, middle, last, the name shown first name first, the name the person goes by) of a name written
    "Last, First Middle" (perhaps with a suffix, or the name the person goes by in quotes or brackets), as
    written: accents and hyphens kept, only a name in capitals put in title case ("GÓMEZ, INÉS" → Inés Gómez).
    All empty when it does not read so."""
    from nameparser import HumanName

    parsed = HumanName(full)
    if not (parsed.first and parsed.last):
        return "", "", "", "", ""
    if full.isupper():
        parsed.capitalize(force=True)
    shown = " ".join(part for part in (parsed.first, parsed.middle, parsed.last, parsed.suffix) if part)
    return parsed.first, parsed.middle, parsed.last, shown, parsed.nickname


def _first_few(items: list[str], shown: int = 5) -> str:
    return ", ".join(items[:shown]) + (f" and {len(items) - shown} more" if len(items) > shown else "")


@dataclass
class ContactPreview:
    """What an export looks like before it is imported: its columns, the field each column goes to
    ("ignore" for the rest), the first rows as text, the encoding and the number of rows."""

    columns: list[str]
    mapping: dict[str, str]  # every column -> a field of FIELDS or "ignore"
    sample: list[dict[str, Any]]  # {"row": number, "values": [text per column]}
    rows: int
    encoding: str | None
    has_name: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "columns": self.columns, "mapping": self.mapping, "fields": list(FIELDS), "sample": self.sample,
            "rows": self.rows, "encoding": self.encoding, "has_name": self.has_name,
        }


def read_preview(raw: bytes, filename: str, explicit: dict[str, str] | None = None, sample_rows: int = 5) -> ContactPreview:
    """The columns of a contact export and how they would be mapped (automatically, then ``explicit``),
    with its first ``sample_rows`` rows, read the same way :func:`read_contacts` reads them."""
    table, mapping = mapped_table(raw, filename, explicit)
    sample = [
        {"row": number, "values": [_shown(_cell(values, i)) for i in range(len(table.columns))]}
        for number, values in table.rows[:sample_rows]
    ]
    return ContactPreview(
        columns=table.columns,
        mapping={column: mapping.get(column, "ignore") for column in table.columns},
        sample=sample,
        rows=len(table.rows),
        encoding=table.encoding,
        has_name=bool(set(mapping.values()) & {"name", "first_name", "last_name"}),
    )


def _shown(value: Any, limit: int = 200) -> str:
    """A cell as a person reads it: dates as dates, whole numbers without ".0", long text cut short."""
    text = (parse_date(value) or "") if isinstance(value, (datetime, date)) else _text(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def header_of(mapping: dict[str, str], target: str) -> str:
    return next(column for column, field_name in mapping.items() if field_name == target)


def read_activities(raw: bytes, filename: str, explicit: dict[str, str] | None = None) -> tuple[list[Activity], list[Skipped], dict[str, str]]:
    """A separate activity export: contact reference, type, date, summary, staff."""
    table = read_table(raw, filename)
    mapping = auto_mapping(table.columns, ACTIVITY_SYNONYMS)
    if explicit:
        mapping = apply_explicit(mapping, explicit, table.columns, ACTIVITY_FIELDS)
    missing = [f for f in ("contact_ref", "at") if f not in mapping.values()]
    if missing:
        raise ContactFileError(
            f"The activities file needs a contact reference and a date column; missing {', '.join(missing)}. "
            f"It has: {_listed(table.columns)}. Pass --map COLUMN=contact_ref or COLUMN=at."
        )
    index = {target: table.columns.index(column) for column, target in mapping.items()}
    activities, skipped = [], []
    for number, values in table.rows:
        def get(target: str) -> str:
            return _text(_cell(values, index[target])) if target in index else ""

        reference, when = get("contact_ref"), parse_date(_cell(values, index["at"]))
        if not reference:
            skipped.append(Skipped(number, "no contact reference"))
        elif when is None:
            skipped.append(Skipped(number, f"date {get('at')!r} could not be read"))
        else:
            activities.append(Activity(get("type").lower() or "note", when, get("summary") or None, get("staff") or None, reference, number))
    return activities, skipped, mapping
