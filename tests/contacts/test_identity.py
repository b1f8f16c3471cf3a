"""Contact identity on re-import, as pure rules (no HTTP, no database)."""

from __future__ import annotations

from server.contacts.identity import ContactIdentities, merged
from server.storage.contacts import CONTACT_COLUMNS


def row(contact_id: int, **fields) -> dict:
    return {"id": contact_id, **{name: fields.get(name) for name in CONTACT_COLUMNS}}


def values(**fields) -> tuple:
    return tuple(fields.get(name) for name in CONTACT_COLUMNS)


STORED = [
    row(1, external_id="P-100", name="Robert Smith", email="rs@example.com", phone="5125550101", last_seen_at="2026-11-02"),
    row(2, external_id="P-200", name="Maria Lopez", phone="5125550199"),
]


def test_the_system_id_wins_over_everything_else():
    known = ContactIdentities(STORED)
    assert known.find(values(external_id="P-100", email="new@example.com", phone="5125550000")) == 1


def test_without_an_id_the_email_then_the_phone_find_the_contact():
    known = ContactIdentities(STORED)
    assert known.find(values(email="rs@example.com")) == 1
    assert known.find(values(phone="5125550199")) == 2
    assert known.find(values(email="nobody@example.com")) is None


def test_family_members_sharing_a_phone_but_not_an_id_are_different_people():
    known = ContactIdentities(STORED)
    assert known.find(values(external_id="P-201", name="Lucia Lopez", phone="5125550199")) is None


def test_a_contact_added_earlier_in_the_file_is_found_by_later_rows():
    known = ContactIdentities([])
    known.add(5, values(external_id="P-5", email="ann@example.com"))
    assert known.find(values(email="ann@example.com")) == 5


def test_activity_references_match_id_email_in_any_case_or_phone_in_any_format():
    known = ContactIdentities(STORED)
    assert known.find_reference("P-200") == 2
    assert known.find_reference("RS@Example.com") == 1
    assert known.find_reference("(512) 555-0101") == 1


def test_a_reimport_fills_blanks_and_never_moves_the_last_visit_back():
    old = STORED[0]
    assert merged(old, values(**{**old, "email": None, "last_seen_at": "2026-10-01"})) is None
    changed = merged(old, values(**{**old, "phone": "5125550102", "last_seen_at": "2026-10-01"}))
    assert changed["phone"] == "5125550102" and changed["last_seen_at"] == "2026-11-02" and changed["email"] == "rs@example.com"
