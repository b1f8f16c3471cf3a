"""Importing a practice's contact export: read it, compute each contact's match keys, and store new
and changed contacts and their activities in one transaction (all or nothing; a re-import changes nothing)."""

from __future__ import annotations

import gc
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from parsers.contacts import Contact, ContactFileError, ContactPreview, read_activities, read_contacts, read_preview
from parsers.isotime import iso_utc
from server.contacts.identity import ContactIdentities, merged
from server.contacts.keys import NamedContacts, NameKeys, stored_contact_keys
from server.errors import UnreadableFile
from server.storage import Store

# Activities that are not a visit: they do not make a contact "seen" for review requests.
NOT_A_VISIT = frozenset({"note", "call", "email", "e-mail", "sms", "text", "letter", "activity"})
Progress = Callable[[int, int], None]
Saving = Callable[[], None]
PROGRESS_EVERY = 250  # rows between two progress reports, at least (and at least 1% of the rows)


def contact_values(contact: Contact, names: NameKeys) -> tuple:
    """A contact's values in CONTACT_COLUMNS order (a full name only: its first name is worked out of it)."""
    return (
        contact.external_id,
        contact.name,
        contact.first_name or names.name(*name_fields(contact)).first.capitalize() or None,
        contact.last_name or None,
        contact.middle_name or None,
        contact.preferred_name or None,
        contact.phone,
        contact.email,
        contact.last_seen_at,
    )


def name_fields(contact: Contact) -> tuple[str, str, str, str, str]:
    """The name fields as read (first, last, full, middle, preferred): what a contact's keys are made from."""
    return contact.first_name, contact.last_name, contact.name, contact.middle_name, contact.preferred_name


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
    *,
    now: datetime,
    mapping: dict[str, str] | None = None,
    activities: tuple[bytes, str] | None = None,
    activity_mapping: dict[str, str] | None = None,
    progress: Progress | None = None,
    saving: Saving | None = None,
) -> ImportReport:
    """Import one contact export (and optionally a separate activity export). Raises UnreadableFile.

    ``progress(done, total)`` is called as the rows are checked against the contacts already saved, and
    ``saving()`` once they all are, before the contacts and activities are written."""
    with _collector_paused():  # and back on only once _imported has returned: its millions of objects are freed by then
        report = _imported(store, raw, filename, now, mapping, activities, activity_mapping, progress, saving)
    report.skipped.sort(key=lambda skipped: (skipped["reason"].startswith("activities file"), skipped["row"]))
    return report


def _imported(store: Store, raw: bytes, filename: str, now: datetime, mapping: dict[str, str] | None,
              activities: tuple[bytes, str] | None, activity_mapping: dict[str, str] | None, progress: Progress | None,
              saving: Saving | None) -> ImportReport:
    try:
        read = read_contacts(raw, filename, mapping)
        activity_rows = read_activities(*activities, activity_mapping) if activities else None
    except ContactFileError as error:
        raise UnreadableFile(str(error)) from None
    report = ImportReport(mapping=read.mapping, encoding=read.encoding, warnings=list(read.warnings))
    report.skipped = [{"row": s.row, "reason": s.reason} for s in read.skipped]
    extra = []
    if activity_rows is not None:
        rows, skipped, used = activity_rows
        report.activity_mapping = used
        report.skipped.extend({"row": s.row, "reason": f"activities file: {s.reason}"} for s in skipped)
        extra = [(a.contact_ref or "", a.type, a.at, a.summary, a.staff, a.row) for a in rows]
    _store(store, read.contacts, iso_utc(now), report, progress, saving, extra, NameKeys())
    return report


def preview_contacts(raw: bytes, filename: str, mapping: dict[str, str] | None = None) -> ContactPreview:
    """How :func:`import_contacts` would read an export (its columns, their mapping, the first rows),
    without storing anything. Raises UnreadableFile."""
    try:
        return read_preview(raw, filename, mapping)
    except ContactFileError as error:
        raise UnreadableFile(str(error)) from None


def _store(store: Store, contacts: Sequence[Contact], now: str, report: ImportReport, progress: Progress | None,
           saving: Saving | None, extra_activities: Sequence[tuple], names: NameKeys) -> None:
    """Insert new contacts and update known ones, atomically.

    ``extra_activities`` (reference, type, at, summary, staff, row) come from a separate export and
    are attached, in the same transaction, to the contact whose system id, e-mail or phone the
    reference is. ``progress(done, total)`` is called as rows are checked (every PROGRESS_EVERY rows or 1%
    of them, whichever is more), then ``saving()`` before the writing.
    """
    # Its keys and activities refer only to contacts it stores or reads in the same transaction: checking each row's
    # contact again would cost a look-up per key, in the keys' order a scattered one (half a second for a first import).
    with store.large_write(check_foreign_keys=False):
        known = ContactIdentities(store.contact_identities())
        next_id = store.next_contact_id()
        seen_in_file: dict[int, int] = {}
        every = max(PROGRESS_EVERY, len(contacts) // 100)
        if progress:
            progress(0, len(contacts))
        inserts, updates, stale_keys, activities = [], [], [], []
        named = NamedContacts(names)  # new and changed contacts: what their keys are made from
        unchanged = 0
        for done, contact in enumerate(contacts):  # ``done`` rows are checked before this one
            if progress and done and done % every == 0:
                progress(done, len(contacts))
            incoming = contact_values(contact, names)
            contact_id = known.find(incoming)
            if contact_id and contact_id in seen_in_file:
                report.skipped.append({"row": contact.row, "reason": f"same contact as row {seen_in_file[contact_id]}"})
                continue
            if contact_id:
                old = known.rows[contact_id]
                changed = None if incoming == tuple(old[1:]) else merged(old, incoming)  # a re-import: nothing to compare
                if changed is None:
                    unchanged += 1
                else:
                    updates.append((*changed.values(), contact_id))
                    stale_keys.extend((key, contact_id) for key in stored_contact_keys(old, names))
                    named.add(contact_id, name_fields(contact))
            else:
                contact_id, next_id = next_id, next_id + 1
                inserts.append((contact_id, *incoming))
                known.add(contact_id, incoming)
                named.add(contact_id, name_fields(contact))
            seen_in_file[contact_id] = contact.row
            for activity in contact.activities:
                activities.append((contact_id, activity.type, activity.at, activity.summary, activity.staff))
        report.imported, report.updated, report.unchanged = len(inserts), len(updates), unchanged
        if progress:
            progress(len(contacts), len(contacts))
        if saving:
            saving()
        store.write_contacts(inserts, updates, stale_keys, named.contacts, named.name_keys(), now)
        visits = []  # a contact row's own dates are in its last_seen_at already; a separate export's visits move it forward
        for reference, *activity, row in extra_activities:
            contact_id = known.find_reference(reference)
            if contact_id is None:
                report.skipped.append({"row": row, "reason": f"activities file: no contact with reference {reference!r}"})
            else:
                activities.append((contact_id, *activity))
                kind, at = activity[0], activity[1]
                if at and kind not in NOT_A_VISIT:
                    visits.append((contact_id, at))
        report.activities = store.add_activities(activities, visits)


@contextmanager
def _collector_paused():
    """A 100,000-row import makes millions of small objects and no reference cycles: Python's cycle
    collector would walk them all again and again (a third of the import time) for nothing. They must be
    freed before it is back on: its first pass would walk them all at once (360 ms, every request waiting)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


__all__ = ["ImportReport", "import_contacts", "preview_contacts"]
