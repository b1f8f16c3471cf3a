"""Importing a practice's contact export: read it, compute each contact's match keys, store atomically."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable

from parsers.contacts import Contact, ContactFileError, read_activities, read_contacts
from server.contacts.names import PersonName, contact_name, name_variants, phonetic
from server.storage import ContactRow, Store, utc_now


def first_keys(firsts, last: PersonName) -> list[str]:
    """``fl:`` keys: a first name with the initial of the last name (or of each of two last names)."""
    initials = dict.fromkeys(part[:1] for part in (last.last, *last.last_parts) if part)
    return [f"fl:{first}|{initial}" for first in firsts for initial in initials]


def last_keys(name: PersonName) -> list[str]:
    """``l:`` keys: each last name (both of a double last name, and the two joined)."""
    return list(dict.fromkeys(f"l:{part}" for part in (name.last, *name.last_parts) if len(part) > 1))


def sound_key(name: PersonName) -> str | None:
    """``pf:`` key: the last name's sound with the first initial, which survives most typos."""
    return f"pf:{phonetic(name.last)}|{name.first[:1]}" if len(name.last) > 1 and name.first else None


@lru_cache(maxsize=65536)
def contact_keys(name: PersonName) -> tuple[str, ...]:
    """Keys a contact is found by (its first and preferred names as imported; see query_plan)."""
    firsts = [first for first in (name.first, name.preferred) if len(first) > 1]
    keys = first_keys(firsts, name) + last_keys(name)
    if (sound := sound_key(name)) is not None:
        keys.append(sound)
    return tuple(dict.fromkeys(keys))


@dataclass(frozen=True)
class Lookup:
    """Contacts with one of ``any_of`` keys (and one of ``and_any_of``, if given). A ``complete``
    look-up must return every fit: when it overflows, nobody can be told apart."""

    any_of: list[str]
    and_any_of: list[str]
    complete: bool


def query_plan(name: PersonName) -> list[Lookup]:
    """Look-ups that find the contacts a reviewer's name could fit.

    A full name: same first-name form and same last name (complete), plus the same sound and first
    initial (typos). "Bob S.": any form of Bob with a last initial S. "B. Smith": the sound of Smith with B.
    """
    variants = sorted(name_variants(name.first)) if len(name.first) > 1 else []
    plan: list[Lookup] = []
    if variants and len(name.last) > 1:
        plan.append(Lookup(first_keys(variants, name), last_keys(name), complete=True))
    elif variants and name.last:
        plan.append(Lookup(first_keys(variants, name), [], complete=True))
    if (sound := sound_key(name)) is not None:
        plan.append(Lookup([sound], [], complete=not plan))
    return plan


def contact_row(contact: Contact) -> ContactRow:
    name = cached_contact_name(contact.first_name, contact.last_name, contact.name, contact.middle_name, contact.preferred_name)
    return ContactRow(
        contact.row,
        (  # in CONTACT_COLUMNS order
            contact.external_id,
            contact.name,
            contact.first_name or name.first.capitalize() or None,
            contact.last_name or None,
            contact.middle_name or None,
            contact.preferred_name or None,
            contact.phone,
            contact.email,
            contact.last_seen_at,
        ),
        contact_keys(name),
        [(a.type, a.at, a.summary, a.staff) for a in contact.activities],
    )


cached_contact_name = lru_cache(maxsize=65536)(contact_name)  # common names repeat across a practice's contacts


def stored_contact_keys(row) -> tuple[str, ...]:
    """The keys a stored contact was given (from its stored name fields)."""
    return contact_keys(cached_contact_name(row["first_name"] or "", row["last_name"] or "", row["name"] or "",
                                            row["middle_name"] or "", row["preferred_name"] or ""))


@dataclass
class ImportReport:
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    activities: int = 0
    skipped: list[dict[str, Any]] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)
    activity_mapping: dict[str, str] = field(default_factory=dict)
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "imported": self.imported, "updated": self.updated, "unchanged": self.unchanged,
            "activities": self.activities, "skipped": self.skipped, "mapping": self.mapping,
            "activity_mapping": self.activity_mapping, "encoding": self.encoding, "warnings": self.warnings,
        }


def import_contacts(
    store: Store,
    raw: bytes,
    filename: str,
    mapping: dict[str, str] | None = None,
    activities: tuple[bytes, str] | None = None,
    activity_mapping: dict[str, str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import one contact export (and optionally a separate activity export). Raises ContactFileError."""
    with _collector_paused():
        return _import(store, raw, filename, mapping, activities, activity_mapping, progress)


@contextmanager
def _collector_paused():
    """A 100,000-row import makes millions of small objects and no reference cycles: Python's cycle
    collector would walk them all again and again (a third of the import time) for nothing."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _import(store, raw, filename, mapping, activities, activity_mapping, progress) -> ImportReport:
    read = read_contacts(raw, filename, mapping)
    activity_rows = read_activities(*activities, activity_mapping) if activities else None
    report = ImportReport(mapping=read.mapping, encoding=read.encoding, warnings=list(read.warnings))
    report.skipped = [{"row": s.row, "reason": s.reason} for s in read.skipped]
    extra = []
    if activity_rows is not None:
        rows, skipped, used = activity_rows
        report.activity_mapping = used
        report.skipped.extend({"row": s.row, "reason": f"activities file: {s.reason}"} for s in skipped)
        extra = [(a.contact_ref or "", a.type, a.at, a.summary, a.staff, a.row) for a in rows]
    result = store.import_contacts([contact_row(c) for c in read.contacts], utc_now(), stored_contact_keys, progress, extra)
    report.imported, report.updated, report.unchanged, report.activities = result.imported, result.updated, result.unchanged, result.activities
    report.skipped.extend(result.skipped)
    report.skipped.sort(key=lambda skipped: (skipped["reason"].startswith("activities file"), skipped["row"]))
    return report


__all__ = ["ContactFileError", "ImportReport", "contact_keys", "import_contacts", "query_plan"]
