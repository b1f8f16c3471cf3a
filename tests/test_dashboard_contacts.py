"""The dashboard's contacts (/contacts, /contacts/<id>) and the API behind them: the preview of an
export, imports in the background with their progress and report, and a contact with the reviews
staff confirmed as theirs."""

from __future__ import annotations

import io
import re
import threading
import time
from datetime import datetime, timezone
from functools import partial
from pathlib import Path

import pytest

from server.contacts.import_jobs import ImportJob, ImportJobs
from server.contacts.import_process import ImportProcessFailed, import_in_child
from server.contacts.importing import import_contacts
from server.errors import NotFound, UnreadableFile
from server.storage import Store
from tests.conftest import review
from tests.test_security import csrf_of, login

EXPORT = (
    "PatNum,LName,FName,WirelessPhone,Email,Ward,DateLastVisit\n"
    "p1,Okafor,Adaeze,512-555-0110,ada@example.com,North,2026-11-02\n"
    "p2,Lindqvist,Soren,512-555-0111,,South,11/03/2026\n"
    "p3,,,512-555-0112,nobody@example.com,North,\n"
    "p4,Marchetti,Giulia,,giulia@example.com,East,\n"
).encode()
NO_NAME = "Nom complet;Téléphone\nAmélie Durand;0102030405\n".encode("cp1252")
CLOCK = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def signed_in(client, token):
    """A dashboard session: the client's CSRF header for writes."""
    login(client, token)
    return {"X-CSRF-Token": csrf_of(client)}


def _upload(content: bytes, name: str = "patients.csv", **fields) -> dict:
    return {"file": (io.BytesIO(content), name), **fields}


def _finished(client, headers, import_id: str, timeout: float = 20) -> dict:
    """The import's answer once it is no longer running."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = client.get(f"/api/contacts/imports/{import_id}", headers=headers)
        assert answer.status_code == 200, answer.json
        if answer.json["status"] != "running":
            return answer.json
        time.sleep(0.02)
    pytest.fail(f"the import {import_id} was still running after {timeout} s")


# -- the pages ----------------------------------------------------------------------------------


def test_the_contact_pages_need_a_session(client):
    for path in ("/contacts", "/contacts/1"):
        answer = client.get(path)
        assert answer.status_code == 302 and answer.headers["Location"].endswith("/login")


def test_the_contacts_page_has_the_upload_form_search_and_its_script(client, signed_in):
    answer = client.get("/contacts")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert 'id="upload"' in html and 'type="file"' in html and 'accept=".csv,.txt,.xlsx,.vcf' in html
    assert 'id="search"' in html and 'type="search"' in html
    assert '<script type="module" src="/static/contacts.js"></script>' in html
    assert "/static/contacts.css" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) and "style=" not in html


def test_the_contact_page_carries_its_id_and_an_unknown_contact_is_404(client, auth, signed_in):
    client.post("/api/contacts/import", headers=auth, data=_upload(EXPORT))
    answer = client.get("/contacts/1")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and 'data-contact-id="1"' in html
    assert '<script type="module" src="/static/contact.js"></script>' in html
    assert "Adaeze" not in html  # the contact's details come through the API, as text
    assert client.get("/contacts/999").status_code == 404


def test_the_scripts_write_text_only():
    folder = Path(__file__).resolve().parent.parent / "server" / "web" / "static"
    for name in ("contacts.js", "contact.js"):
        source = (folder / name).read_text(encoding="utf-8")
        assert "innerHTML" not in source and "insertAdjacentHTML" not in source and "outerHTML" not in source


# -- preview --------------------------------------------------------------------------------------


def test_the_preview_shows_the_mapping_the_first_rows_the_encoding_and_the_count(client, signed_in):
    answer = client.post("/api/contacts/preview", headers=signed_in, data=_upload(EXPORT))
    assert answer.status_code == 200
    preview = answer.json
    assert preview["columns"] == ["PatNum", "LName", "FName", "WirelessPhone", "Email", "Ward", "DateLastVisit"]
    assert preview["mapping"] == {"PatNum": "external_id", "LName": "last_name", "FName": "first_name", "WirelessPhone": "phone",
                                  "Email": "email", "Ward": "ignore", "DateLastVisit": "last_visit"}
    assert "preferred_name" in preview["fields"] and "ignore" not in preview["fields"]
    assert preview["rows"] == 4 and preview["encoding"] == "utf-8" and preview["has_name"] is True
    assert preview["sample"][0] == {
        "row": 2, "values": ["p1", "Okafor", "Adaeze", "512-555-0110", "ada@example.com", "North", "2026-11-02"]}
    assert [row["row"] for row in preview["sample"]] == [2, 3, 4, 5]
    assert client.get("/api/contacts", headers=signed_in).json["total"] == 0  # a preview stores nothing


def test_the_preview_says_when_no_name_column_is_found_and_takes_a_mapping(client, signed_in):
    preview = client.post("/api/contacts/preview", headers=signed_in, data=_upload(NO_NAME, "export.csv")).json
    assert preview["has_name"] is False and preview["encoding"] not in (None, "utf-8")
    assert preview["mapping"] == {"Nom complet": "ignore", "Téléphone": "ignore"}
    assert preview["sample"][0]["values"] == ["Amélie Durand", "0102030405"]
    mapped = client.post("/api/contacts/preview", headers=signed_in, data=_upload(
        NO_NAME, "export.csv", mapping='{"Nom complet": "name", "Téléphone": "phone"}')).json
    assert mapped["has_name"] is True and mapped["mapping"] == {"Nom complet": "name", "Téléphone": "phone"}


def test_repeated_headings_can_each_be_mapped(client, signed_in):
    export = b"Name,Name,Phone\nAna Reyes,Reyes Ana,512-555-0120\n"
    preview = client.post("/api/contacts/preview", headers=signed_in, data=_upload(export)).json
    assert preview["columns"] == ["Name", "Name (2)", "Phone"]
    assert preview["mapping"] == {"Name": "name", "Name (2)": "ignore", "Phone": "phone"}
    started = client.post("/api/contacts/imports", headers=signed_in,
                          data=_upload(export, mapping='{"Name": "ignore", "Name (2)": "name", "Phone": "phone"}'))
    job = _finished(client, signed_in, started.json["import_id"])
    assert job["report"]["mapping"] == {"Name (2)": "name", "Phone": "phone"}
    assert [contact["name"] for contact in client.get("/api/contacts", headers=signed_in).json["contacts"]] == ["Reyes Ana"]


def test_a_mapping_naming_a_column_the_file_lacks_says_which_it_has(client, signed_in):
    answer = client.post("/api/contacts/preview", headers=signed_in, data=_upload(EXPORT, mapping='{"Nme": "name"}'))
    assert answer.status_code == 422
    assert answer.json["message"].startswith("Column 'Nme' is not in the file; it has: PatNum, LName, FName,")
    assert "--map" not in answer.json["message"]  # the page has no command-line options


def test_the_preview_of_an_unreadable_file_is_422_with_what_to_do(client, signed_in):
    answer = client.post("/api/contacts/preview", headers=signed_in, data=_upload(b"PK\x03\x04 not a workbook", "patients.xlsx"))
    assert answer.status_code == 422 and answer.json["error"] == "unreadable_file"
    assert "save it again as .xlsx or CSV" in answer.json["message"]
    missing = client.post("/api/contacts/preview", headers=signed_in, data={})
    assert missing.status_code == 400 and "'file'" in missing.json["message"]


def test_the_preview_needs_the_csrf_token(client, signed_in):
    answer = client.post("/api/contacts/preview", data=_upload(EXPORT))
    assert answer.status_code == 403


# -- imports in the background --------------------------------------------------------------------


def test_an_import_runs_in_the_background_and_reports_what_it_did(app, client, signed_in):
    app.config["CLOCK"] = lambda: CLOCK
    started = client.post("/api/contacts/imports", headers=signed_in,
                          data=_upload(EXPORT, mapping='{"Ward": "preferred_name"}'))
    assert started.status_code == 202 and started.json["status"] in ("running", "done")
    job = _finished(client, signed_in, started.json["import_id"])
    assert job["status"] == "done" and job["done"] == job["total"] == 3 and job["phase"] is None
    assert job["filename"] == "patients.csv" and job["started_at"] == "2026-11-20T09:00:00Z"
    report = job["report"]
    assert (report["imported"], report["updated"], report["unchanged"], report["activities"]) == (3, 0, 0, 2)
    assert report["skipped"] == [{"row": 4, "reason": "no name"}]
    assert report["mapping"]["Ward"] == "preferred_name" and report["encoding"] == "utf-8"
    ada = client.get("/api/contacts?q=Okafor", headers=signed_in).json["contacts"][0]
    assert ada["preferred_name"] == "North"
    with Store.connect(app.config["DATABASE"]) as store:
        imported_at = store.db.conn.execute("SELECT imported_at FROM contacts WHERE id = ?", (ada["id"],)).fetchone()[0]
    assert imported_at == "2026-11-20T09:00:00Z"  # the app's clock

    restarted = client.post("/api/contacts/imports", headers=signed_in, data=_upload(EXPORT))
    again = _finished(client, signed_in, restarted.json["import_id"])
    assert again["report"]["unchanged"] == 3 and again["report"]["imported"] == 0


def test_a_second_import_while_one_runs_is_refused_with_409(app, client, signed_in, monkeypatch):
    release = threading.Event()
    jobs = app.extensions["reviewdesk.import_jobs"]
    real_import = jobs.importer

    def slow_import(*args, **kwargs):
        release.wait(10)
        return real_import(*args, **kwargs)

    monkeypatch.setattr(jobs, "importer", slow_import)
    first = client.post("/api/contacts/imports", headers=signed_in, data=_upload(EXPORT))
    assert client.get(f"/api/contacts/imports/{first.json['import_id']}", headers=signed_in).json["status"] == "running"
    second = client.post("/api/contacts/imports", headers=signed_in, data=_upload(EXPORT, "other.csv"))
    assert second.status_code == 409 and second.json["error"] == "import_running"
    assert "patients.csv" in second.json["message"] and "Wait until it has finished" in second.json["message"]
    release.set()
    assert _finished(client, signed_in, first.json["import_id"])["status"] == "done"
    third = client.post("/api/contacts/imports", headers=signed_in, data=_upload(EXPORT, "other.csv"))
    assert third.status_code == 202


def test_an_unreadable_file_fails_in_the_job_with_what_to_do(client, signed_in):
    started = client.post("/api/contacts/imports", headers=signed_in, data=_upload(NO_NAME, "export.csv"))
    job = _finished(client, signed_in, started.json["import_id"])
    assert job["status"] == "failed" and job["error"] == "unreadable_file"
    assert job["message"].startswith("No name column found; the file has: Nom complet, Téléphone.")
    assert "report" not in job
    assert client.get("/api/contacts", headers=signed_in).json["total"] == 0


def test_the_preview_and_the_import_take_files_up_to_the_import_limit(client, signed_in):
    big = b"First Name,Last Name,Notes\n" + b"".join(b"Ana,Reyes%d,%s\n" % (i, b"x" * 2000) for i in range(6000))
    assert len(big) > 10 * 1024 * 1024  # over max_body_mb, under import_max_mb
    preview = client.post("/api/contacts/preview", headers=signed_in, data=_upload(big))
    assert preview.status_code == 200 and preview.json["rows"] == 6000
    started = client.post("/api/contacts/imports", headers=signed_in, data=_upload(big))
    assert started.status_code == 202
    assert _finished(client, signed_in, started.json["import_id"])["report"]["imported"] == 6000


def test_an_unknown_import_is_404(client, signed_in):
    answer = client.get("/api/contacts/imports/0123456789abcdef", headers=signed_in)
    assert answer.status_code == 404 and "import the file again" in answer.json["message"]


def _rows(count: int) -> bytes:
    lines = "".join(f"c{i},Person{i},Family{i % 97},512555{i:04d}\n" for i in range(count))
    return ("Contact Id,First Name,Last Name,Phone\n" + lines).encode()


@pytest.mark.parametrize("rows, every", [(1_000, 250), (40_000, 400)])  # 250 rows, or 1% of a large file
def test_progress_is_reported_often_then_the_saving(app, rows, every):
    calls: list[tuple] = []
    with Store.connect(app.config["DATABASE"]) as store:
        def saving() -> None:
            saved = store.db.conn.execute("SELECT count(*) FROM contacts").fetchone()[0]
            calls.append(("saving", saved))

        report = import_contacts(store, _rows(rows), "export.csv", now=CLOCK,
                                 progress=lambda done, total: calls.append((done, total)), saving=saving)
    assert report.imported == rows
    assert calls == [(done, rows) for done in range(0, rows + 1, every)] + [("saving", 0)]  # before anything is written


def test_a_job_says_what_it_is_doing_reading_checking_then_saving():
    job = ImportJob("0123456789abcdef", "big.csv", CLOCK)
    assert (job.as_json()["phase"], job.as_json()["total"]) == ("reading", None)
    job.progress(250, 1_000)
    assert {key: job.as_json()[key] for key in ("status", "phase", "done", "total")} == {
        "status": "running", "phase": "checking", "done": 250, "total": 1_000}
    job.progress(1_000, 1_000)
    job.saving()
    assert (job.as_json()["phase"], job.as_json()["done"]) == ("saving", 1_000)
    job.status = "done"
    assert job.as_json()["phase"] is None


def test_a_background_import_goes_through_its_phases_in_order(app):
    seen: list[tuple[str | None, int, int | None]] = []
    jobs = ImportJobs(partial(import_in_child, app.config["DATABASE"]))
    job = jobs.start(_rows(12_000), "big.csv", now=CLOCK)
    while job.status == "running":
        shown = job.as_json()
        if not seen or seen[-1] != (shown["phase"], shown["done"], shown["total"]):
            seen.append((shown["phase"], shown["done"], shown["total"]))
        time.sleep(0.001)
    assert job.status == "done" and (job.done, job.total) == (12_000, 12_000) and job.as_json()["phase"] is None
    phases = list(dict.fromkeys(phase for phase, _, _ in seen))
    assert phases == ["reading", "checking", "saving"] or phases == ["checking", "saving"], seen
    steps = [done for phase, done, total in seen if phase == "checking"]
    assert steps == sorted(steps) and len([done for done in steps if 0 < done < 12_000]) >= 3, seen


def test_finished_imports_are_forgotten_after_a_while(app):
    jobs = ImportJobs(partial(import_in_child, app.config["DATABASE"]), keep_seconds=0)
    job = jobs.start(EXPORT, "patients.csv", now=CLOCK)
    deadline = time.monotonic() + 10
    while job.finished is None and time.monotonic() < deadline:
        time.sleep(0.01)
    with pytest.raises(NotFound):
        jobs.get(job.id)


def test_the_synchronous_import_still_answers_at_once(client, auth):
    answer = client.post("/api/contacts/import", headers=auth, data=_upload(EXPORT))
    assert answer.status_code == 200 and answer.json["imported"] == 3


# -- one contact ----------------------------------------------------------------------------------


def test_a_contact_carries_its_activities_and_the_reviews_confirmed_as_theirs(client, auth):
    client.post("/api/contacts/import", headers=auth, data=_upload(EXPORT))
    ada = client.get("/api/contacts?q=Okafor", headers=auth).json["contacts"][0]
    stored = client.post("/api/reviews", headers=auth, json={"reviews": [
        review(platform_review_id="r1", reviewer_name="Adaeze O.", text="Kind front desk.", rating=5,
               created_at="2026-11-05T10:00:00Z"),
        review(platform_review_id="r2", reviewer_name="Ada Okafor", text="The wait was long.", rating=2,
               created_at="2026-11-10T10:00:00Z"),
        review(platform_review_id="r3", reviewer_name="A. Okafor", text="Someone else, perhaps.", rating=3),
    ]}).json["review_ids"]
    for review_id, decision in zip(stored, ("confirm", "confirm", "reject")):
        decided = {"contact_id": ada["id"], "decision": decision}
        answer = client.post(f"/api/reviews/{review_id}/match", headers=auth, json=decided)
        assert answer.status_code == 200, answer.json

    contact = client.get(f"/api/contacts/{ada['id']}", headers=auth).json["contact"]
    assert contact["name"] == "Adaeze Okafor" and contact["phone"] == "5125550110"
    assert [(a["type"], a["at"]) for a in contact["activities"]] == [("appointment", "2026-11-02")]
    assert [r["id"] for r in contact["reviews"]] == [stored[1], stored[0]]  # newest first; the rejected one is not theirs
    newest = contact["reviews"][0]
    assert (newest["platform"], newest["rating"], newest["text"]) == ("google", 2, "The wait was long.")
    assert newest["confirmed_at"]

    soren = client.get("/api/contacts?q=Lindqvist", headers=auth).json["contacts"][0]
    assert client.get(f"/api/contacts/{soren['id']}", headers=auth).json["contact"]["reviews"] == []
    missing = client.get("/api/contacts/999", headers=auth)
    assert missing.status_code == 404 and "no contact 999" in missing.json["message"]


def test_the_server_imports_in_a_process_of_its_own_with_the_same_report_progress_and_errors(app, tmp_path):
    """What the server runs for an import (import_in_child): the CLI's import in a child process, which gives the
    server no memory to keep and no lock to wait for; what it says comes back as if it had run here."""
    calls: list[tuple] = []
    report = import_in_child(app.config["DATABASE"], _rows(1_000), "export.csv", now=CLOCK,
                             progress=lambda done, total: calls.append((done, total)), saving=lambda: calls.append(("saving",)))
    assert report.imported == 1_000 and report.mapping["First Name"] == "first_name"
    assert calls == [(done, 1_000) for done in range(0, 1_001, 250)] + [("saving",)]
    with Store.connect(app.config["DATABASE"]) as store:
        assert store.db.conn.execute("SELECT count(*) FROM contacts").fetchone()[0] == 1_000
    with pytest.raises(UnreadableFile, match="No name column found"):
        import_in_child(app.config["DATABASE"], NO_NAME, "export.csv", now=CLOCK)
    with pytest.raises(ImportProcessFailed, match="unable to open database file"):
        import_in_child(tmp_path / "missing" / "reviewdesk.sqlite3", EXPORT, "export.csv", now=CLOCK)


def test_a_refusal_in_the_import_process_comes_back_as_the_same_kind_of_error():
    from server.contacts.import_process import domain_error
    from server.errors import Conflict, DomainError

    assert type(domain_error("UnreadableFile", "Save it as CSV UTF-8.")) is UnreadableFile
    assert domain_error("UnreadableFile", "Save it as CSV UTF-8.").code == "unreadable_file"
    assert type(domain_error("Conflict", "Wait.")) is Conflict
    other = domain_error("ValidationError", "'when' is not a date.")  # made from a field and a message: a plain one
    assert type(other) is DomainError and other.message == "'when' is not a date."
    assert type(domain_error("SystemExit", "x")) is DomainError  # only the domain's own errors are made again
