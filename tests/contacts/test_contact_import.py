"""Importing contacts: atomic, idempotent, updates by id then e-mail then phone; the API and CLI report it."""

from __future__ import annotations

from datetime import datetime, timezone

import io
import sqlite3

import pytest

from server.contacts.importing import import_contacts
from server.storage import Store

IMPORTED_AT = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)  # when the test imports its contacts

EXPORT = (
    "Contact Id,First Name,Last Name,Phone,Email,Last Visit\n"
    "c1,Robert,Smith,512-555-0100,bob@example.com,2026-11-01\n"
    "c2,Margaret,O'Neil,512-555-0101,peggy@example.com,\n"
    ",Kofi,Mensah,512-555-0102,,2026-10-15\n"
    ",,,,,\n"
    "c4,,,512-555-0104,nobody@example.com,\n"
).encode()


@pytest.fixture
def store(app):
    with Store.connect(app.config["DATABASE"]) as opened:
        yield opened


def table_counts(store: Store) -> tuple[int, int, int]:
    conn = store.db.conn
    return tuple(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in ("contacts", "activities", "contact_keys"))


def test_import_reports_what_it_did(store):
    report = import_contacts(store, EXPORT, "export.csv", now=IMPORTED_AT)
    assert (report.imported, report.updated, report.unchanged, report.activities) == (3, 0, 0, 2)
    assert report.skipped == [{"row": 6, "reason": "no name"}]
    assert report.mapping["Last Visit"] == "last_visit"
    robert = store.search_contacts("Robert", 10, 0)[0][0]
    assert (robert["external_id"], robert["phone"], robert["email"], robert["last_seen_at"]) == ("c1", "5125550100", "bob@example.com", "2026-11-01")


def test_reimporting_the_same_file_changes_nothing(store):
    import_contacts(store, EXPORT, "export.csv", now=IMPORTED_AT)
    before = table_counts(store)
    again = import_contacts(store, EXPORT, "export.csv", now=IMPORTED_AT)
    assert (again.imported, again.updated, again.unchanged, again.activities) == (0, 0, 3, 0)
    assert table_counts(store) == before


def test_updates_by_external_id_then_email_then_phone(store):
    import_contacts(store, EXPORT, "export.csv", now=IMPORTED_AT)
    changed = (
        "Contact Id,First Name,Last Name,Phone,Email\n"
        "c1,Robert,Smith-Jones,512-555-0100,bob@example.com\n"        # same id: surname changed
        ",Peggy,O'Neil,,peggy@example.com\n"                           # found by e-mail
        ",Kofi,Mensah-Boateng,+1 (512) 555-0102,\n"                    # found by phone
        "c9,Ava,Reed,512-555-0199,ava@example.com\n"                   # new
    ).encode()
    report = import_contacts(store, changed, "changed.csv", now=IMPORTED_AT)
    assert (report.imported, report.updated, report.unchanged) == (1, 3, 0)
    contacts = {c["email"] or c["phone"]: c for c in store.search_contacts(None, 50, 0)[0]}
    assert contacts["bob@example.com"]["last_name"] == "Smith-Jones"
    assert contacts["peggy@example.com"]["first_name"] == "Peggy"
    assert contacts["5125550102"]["last_name"] == "Mensah-Boateng"
    assert store.count_contacts() == 4
    # The updated surname is what matching now finds.
    assert store.contacts_with_keys(["l:jones"]) == [contacts["bob@example.com"]["id"]]


def test_the_same_person_twice_in_one_file_is_reported(store):
    twice = "Contact Id,Name\nc1,Robert Smith\nc1,Bob Smith\n".encode()
    report = import_contacts(store, twice, "twice.csv", now=IMPORTED_AT)
    assert report.imported == 1 and report.skipped == [{"row": 3, "reason": "same contact as row 2"}]


def test_an_import_that_fails_halfway_leaves_the_database_as_it_was(store, monkeypatch):
    import_contacts(store, EXPORT, "export.csv", now=IMPORTED_AT)
    before = table_counts(store)
    real_executemany = sqlite3.Connection.executemany
    calls = []

    class FailingConnection:
        def __init__(self, conn):
            self._conn = conn

        def __getattr__(self, name):
            return getattr(self._conn, name)

        def executemany(self, sql, rows):
            calls.append(sql)
            return real_executemany(self._conn, sql, rows)

        def execute(self, sql, *params):
            if sql.startswith("INSERT OR IGNORE INTO contact_keys"):  # the keys, after the contacts
                raise sqlite3.OperationalError("disk I/O error")
            return self._conn.execute(sql, *params)

    monkeypatch.setattr(store.db, "conn", FailingConnection(store.db.conn))
    bigger = EXPORT + b"c10,Noah,Kim,512-555-0110,noah@example.com,2026-11-02\n"
    with pytest.raises(sqlite3.OperationalError):
        import_contacts(store, bigger, "bigger.csv", now=IMPORTED_AT)
    assert any(sql.startswith("INSERT INTO contacts") for sql in calls)  # it did fail halfway
    monkeypatch.undo()
    assert table_counts(store) == before
    again = import_contacts(store, bigger, "bigger.csv", now=IMPORTED_AT)  # nothing of the failed import is left in the way
    assert (again.imported, again.unchanged) == (1, 3)


def test_separate_activities_file_attaches_to_contacts(store):
    import_contacts(store, EXPORT, "export.csv", now=IMPORTED_AT)
    activities = (
        "Contact ID,Type,Date,Summary,Staff\n"
        "c1,call,2026-11-03,Called about billing,Front desk\n"
        "peggy@example.com,appointment,11/04/2026,Check-up,Dr. Lee\n"
        "(512) 555-0102,note,2026-11-05,Asked for a callback,Sam\n"
        "c77,call,2026-11-03,Nobody,Sam\n"
    ).encode()
    report = import_contacts(store, EXPORT, "export.csv", activities=(activities, "activities.csv"), now=IMPORTED_AT)
    assert report.activities == 3
    assert {"row": 5, "reason": "activities file: no contact with reference 'c77'"} in report.skipped
    robert = store.get_contact(store.search_contacts("Robert", 1, 0)[0][0]["id"])
    assert [(a["type"], a["at"], a["summary"]) for a in robert["activities"]] == [
        ("call", "2026-11-03", "Called about billing"), ("appointment", "2026-11-01", "Appointment (Last Visit)")]


def test_api_import_search_and_detail(client, auth):
    answer = client.post("/api/contacts/import", headers=auth, content_type="multipart/form-data",
                         data={"file": (io.BytesIO(EXPORT), "export.csv")})
    assert answer.status_code == 200, answer.json
    assert (answer.json["imported"], answer.json["skipped"]) == (3, [{"row": 6, "reason": "no name"}])
    listing = client.get("/api/contacts?q=smith", headers=auth).json
    assert listing["total"] == 1 and listing["contacts"][0]["first_name"] == "Robert"
    detail = client.get(f"/api/contacts/{listing['contacts'][0]['id']}", headers=auth).json
    assert detail["contact"]["activities"][0]["at"] == "2026-11-01"
    assert client.get("/api/contacts/9999", headers=auth).status_code == 404


def test_api_import_refusals(client, auth):
    no_file = client.post("/api/contacts/import", headers=auth, content_type="multipart/form-data", data={})
    assert no_file.status_code == 400 and "'file'" in no_file.json["message"]
    no_names = client.post("/api/contacts/import", headers=auth, content_type="multipart/form-data",
                           data={"file": (io.BytesIO("Nom,Prénom\nDurand,Élodie\n".encode()), "fr.csv")})
    assert no_names.status_code == 422 and "Nom, Prénom" in no_names.json["message"]
    mapped = client.post("/api/contacts/import", headers=auth, content_type="multipart/form-data",
                         data={"file": (io.BytesIO("Nom,Prénom\nDurand,Élodie\n".encode()), "fr.csv"),
                               "mapping": '{"Nom": "last_name", "Prénom": "first_name"}'})
    assert mapped.status_code == 200 and mapped.json["imported"] == 1
    bad_mapping = client.post("/api/contacts/import", headers=auth, content_type="multipart/form-data",
                              data={"file": (io.BytesIO(EXPORT), "export.csv"), "mapping": "{nope"})
    assert bad_mapping.status_code == 400 and bad_mapping.json["error"] == "bad_mapping"


def test_huge_upload_is_refused_with_413(data_dir):
    from server.web.app import create_app

    app = create_app({"TESTING": True, "DATA_DIR": str(data_dir), "IMPORT_MAX_MB": 1})
    token = app.extensions["reviewdesk.config_file"].token()
    big = b"Name\n" + b"Someone Somebody\n" * 80_000
    answer = app.test_client().post("/api/contacts/import", headers={"Authorization": f"Bearer {token}"},
                                    content_type="multipart/form-data", data={"file": (io.BytesIO(big), "big.csv")})
    assert answer.status_code == 413 and "1 MB" in answer.json["message"]


def test_family_members_sharing_a_phone_and_email_stay_separate(store):
    family = ("PatNum,FName,LName,WirelessPhone,Email\n"
              "1,Maria,Lopez,512-555-0150,lopez.family@example.com\n"
              "2,Sofia,Lopez,512-555-0150,lopez.family@example.com\n").encode()
    assert import_contacts(store, family, "family.csv", now=IMPORTED_AT).imported == 2
    later = "PatNum,FName,LName,WirelessPhone\n4,Diego,Lopez,512-555-0150\n".encode()
    assert import_contacts(store, later, "later.csv", now=IMPORTED_AT).imported == 1
    names = sorted(c["first_name"] for c in store.search_contacts("Lopez", 10, 0)[0])
    assert names == ["Diego", "Maria", "Sofia"]


def test_a_visit_in_the_activities_file_counts_as_seen(store):
    import_contacts(store, EXPORT, "export.csv", now=IMPORTED_AT)
    visits = "Contact ID,Type,Date\nc2,appointment,2026-11-05\nc2,note,2026-11-20\n".encode()
    import_contacts(store, EXPORT, "export.csv", activities=(visits, "visits.csv"), now=IMPORTED_AT)
    peggy = store.search_contacts("Margaret", 1, 0)[0][0]
    assert peggy["last_seen_at"] == "2026-11-05"  # the visit, not the later note


def test_a_large_first_import_keeps_every_index_and_finds_by_e_mail_and_phone(store):
    """A first import of many contacts builds the contacts' indexes after the rows (faster): they are all there
    afterwards, as declared, and the database is sound."""
    def indexes() -> list[tuple[str, str]]:
        return store.db.conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'contacts' "
                                     "ORDER BY name").fetchall()

    declared = [tuple(row) for row in indexes()]
    assert len(declared) >= 4
    rows = "".join(f"c{i},Person,Number{i},512-555-{i:04d},p{i}@example.com,\n" for i in range(12_000))
    header = "Contact Id,First Name,Last Name,Phone,Email,Last Visit\n"
    report = import_contacts(store, (header + rows).encode(), "export.csv", now=IMPORTED_AT)
    assert report.imported == 12_000
    assert [tuple(row) for row in indexes()] == declared
    plan = " ".join(row[-1] for row in store.db.conn.execute("EXPLAIN QUERY PLAN SELECT id FROM contacts WHERE email = ?", ("p7@example.com",)))
    assert "INDEX contacts_email" in plan
    assert store.db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_large_first_import_that_fails_leaves_no_contact_and_every_index(store, monkeypatch):
    declared = store.db.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'contacts'").fetchall()
    rows = "".join(f"c{i},Person,Number{i},512-555-{i:04d},p{i}@example.com,2026-11-01\n" for i in range(12_000))

    def disk_full(*_):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(Store, "add_activities", disk_full)
    with pytest.raises(sqlite3.OperationalError):
        import_contacts(store, ("Contact Id,First Name,Last Name,Phone,Email,Last Visit\n" + rows).encode(), "export.csv", now=IMPORTED_AT)
    assert table_counts(store) == (0, 0, 0)
    assert store.db.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'contacts'").fetchall() == declared


def test_a_contact_renamed_in_a_reimport_is_found_by_its_new_name_only(store):
    """A re-import reads the names of new and changed contacts only: a surname changed in the export replaces the
    keys the contact is found by, and an unchanged contact keeps its own."""
    from server.contacts.matching import candidates_for

    import_contacts(store, EXPORT, "export.csv", now=IMPORTED_AT)
    renamed = EXPORT.decode().replace("c1,Robert,Smith,", "c1,Robert,Okafor,").encode()
    again = import_contacts(store, renamed, "export.csv", now=IMPORTED_AT)
    assert (again.updated, again.unchanged) == (1, 2)

    def top(reviewer: str) -> str | None:
        candidates, _ = candidates_for(store, {"id": -1, "reviewer_name": reviewer})
        return candidates[0].name if candidates else None

    assert top("Robert Okafor") == "Robert Okafor" and top("Bob Okafor") == "Robert Okafor"
    assert top("Robert Smith") is None
    assert top("Kofi Mensah") == "Kofi Mensah"  # unchanged: still found


def test_keys_are_the_same_after_a_first_import_and_after_a_reimport_that_renames(store, tmp_path):
    """Contacts sharing a name each get all of its keys, whether the name comes with a first import or with a
    re-import that renames them: the keys are those of a first import of the renamed file."""
    from server.storage import initialise

    def keys(opened: Store) -> list[tuple[str, str]]:
        return [tuple(row) for row in opened.db.conn.execute("SELECT c.external_id, k.key FROM contact_keys AS k JOIN contacts AS c ON c.id = k.contact_id "
                                      "ORDER BY 1, 2")]

    header = "Contact Id,First Name,Last Name,Preferred Name,Email\n"
    first = header + "".join(f"c{i},Robert,Smith,Bob,p{i}@example.com\n" for i in range(3)) + "c3,Ana,García López,,ana@example.com\n"
    renamed = first.replace("c1,Robert,Smith,Bob", "c1,Margaret,Smith-Jones,Peggy").replace("c2,Robert,Smith,Bob", "c2,Margaret,Smith-Jones,Peggy")
    import_contacts(store, first.encode(), "export.csv", now=IMPORTED_AT)
    again = import_contacts(store, renamed.encode(), "export.csv", now=IMPORTED_AT)
    assert (again.updated, again.unchanged) == (2, 2)
    initialise(tmp_path / "fresh.sqlite3")
    with Store.connect(tmp_path / "fresh.sqlite3") as fresh:
        import_contacts(fresh, renamed.encode(), "export.csv", now=IMPORTED_AT)
        assert keys(store) == keys(fresh)
    assert ("c1", "fl:peggy|s") in keys(store) and ("c2", "fl:peggy|j") in keys(store) and ("c0", "fl:bob|s") in keys(store)
    assert ("c1", "fl:bob|s") not in keys(store)


def test_the_connection_checks_foreign_keys_again_after_an_import_even_one_that_failed(store, monkeypatch):
    """An import's transaction leaves its foreign keys unchecked (it writes rows only for its own contacts); the
    connection checks them again afterwards, whatever happened."""
    def checked() -> int:
        return store.db.conn.execute("PRAGMA foreign_keys").fetchone()[0]

    import_contacts(store, EXPORT, "export.csv", now=IMPORTED_AT)
    assert checked() == 1

    def disk_full(*_):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(Store, "add_activities", disk_full)
    with pytest.raises(sqlite3.OperationalError):
        import_contacts(store, EXPORT + b"c10,Noah,Kim,512-555-0110,noah@example.com,2026-11-02\n", "export.csv", now=IMPORTED_AT)
    assert checked() == 1
    with pytest.raises(sqlite3.IntegrityError):
        store.db.conn.execute("INSERT INTO contact_keys (key, contact_id) VALUES ('l:nobody', 999999)")
