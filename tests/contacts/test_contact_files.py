"""Contact exports of every kind are read, their columns recognised, and bad input refused clearly."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from parsers.contacts import ContactFileError, parse_date, parse_mapping_options, read_activities, read_contacts, read_preview

HIGHLEVEL = (
    "Contact Id,First Name,Last Name,Name,Phone,Email,Business Name,Created,Last Activity,Tags\r\n"
    "hl_01,Dana,Whitfield,Dana Whitfield,+1 512-555-0101,Dana.W@example.com,,2025-02-01,11/05/2026,\"vip, recall\"\r\n"
    "hl_02,Luis,Ortega,Luis Ortega,(512) 555-0102,,Ortega Roofing,2025-03-01,,\r\n"
)
GOOGLE_NEW = (
    "First Name,Middle Name,Last Name,Phonetic First Name,Nickname,Birthday,Notes,E-mail 1 - Label,E-mail 1 - Value,"
    "Phone 1 - Label,Phone 1 - Value\n"
    "Margaret,Ann,O'Neil,,Peggy,,,* Home,peggy.oneil@example.com,Mobile,512 555 0103\n"
)
GOOGLE_LEGACY = (
    "Name,Given Name,Additional Name,Family Name,Yomi Name,Nickname,E-mail 1 - Type,E-mail 1 - Value,Phone 1 - Type,Phone 1 - Value\n"
    "Priya Raman,Priya,,Raman,,,* Other,priya@example.com,Mobile,5125550104\n"
)
OUTLOOK = (
    "First Name,Middle Name,Last Name,Title,Suffix,Nickname,E-mail Address,E-mail 2 Address,Mobile Phone,Home Phone,Business Phone\n"
    "Elizabeth,,Nguyen,Dr.,,Liz,liz.nguyen@example.com,,,512-555-0105,512-555-0199\n"
)
PRACTICE = (
    "PatNum;LName;FName;MiddleI;Preferred;WirelessPhone;HmPhone;WkPhone;Email;DateLastVisit\r\n"
    "1042;Garc\u00eda L\u00f3pez;Ana;M;;;512.555.0106;;ana.gl@example.com;Nov 2, 2026\r\n"
    "1043;M\u00fcller;J\u00fcrgen;;Jay;512-555-0107;;;;2026-10-30\r\n"
)
VCARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Kofi Mensah\r\nN:Mensah;Kofi;;;\r\nNICKNAME:Kof\r\n"
    "TEL;TYPE=HOME:512-555-0110\r\nTEL;TYPE=CELL:512-555-0108\r\nEMAIL:kofi@example.com\r\nUID:urn:uuid:1\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:H\u00e9l\u00e8ne Dubois\r\nN:Dubois;H\u00e9l\u00e8ne;;;\r\nTEL;TYPE=cell:+1-512-555-0109\r\nEND:VCARD\r\n"
)


def names(result) -> list[tuple[str, str]]:
    return [(c.first_name, c.last_name) for c in result.contacts]


def test_highlevel_crm_export():
    result = read_contacts(HIGHLEVEL.encode(), "export.csv")
    assert result.mapping == {"Contact Id": "external_id", "Name": "name", "First Name": "first_name", "Last Name": "last_name",
                              "Phone": "phone", "Email": "email", "Last Activity": "last_activity"}
    dana, luis = result.contacts
    assert (dana.external_id, dana.phone, dana.email) == ("hl_01", "5125550101", "dana.w@example.com")
    assert dana.activities[0].type == "activity" and dana.activities[0].at == "2026-11-05" and dana.last_seen_at == "2026-11-05"
    assert luis.phone == "5125550102" and luis.activities == []


@pytest.mark.parametrize("text, expected", [
    (GOOGLE_NEW, ("Margaret", "O'Neil", "Peggy", "peggy.oneil@example.com", "5125550103")),
    (GOOGLE_LEGACY, ("Priya", "Raman", "", "priya@example.com", "5125550104")),
    (OUTLOOK, ("Elizabeth", "Nguyen", "Liz", "liz.nguyen@example.com", "5125550105")),
])
def test_google_and_outlook_exports(text, expected):
    [contact] = read_contacts(text.encode(), "contacts.csv").contacts
    assert (contact.first_name, contact.last_name, contact.preferred_name, contact.email, contact.phone) == expected


def test_practice_management_export_in_a_windows_code_page():
    result = read_contacts(PRACTICE.encode("cp1252"), "patients.csv")
    assert result.encoding not in ("utf-8", "utf-16")
    assert names(result) == [("Ana", "García López"), ("Jürgen", "Müller")]
    ana, jurgen = result.contacts
    assert ana.external_id == "1042" and ana.phone == "5125550106" and ana.last_seen_at == "2026-11-02"
    assert jurgen.preferred_name == "Jay" and jurgen.phone == "5125550107"  # the mobile column comes first


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_any_encoding_reads_the_same(encoding):
    assert names(read_contacts(PRACTICE.encode(encoding), "p.csv")) == [("Ana", "García López"), ("Jürgen", "Müller")]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_any_delimiter_and_line_ending(delimiter, newline):
    rows = [["Patient Name", "Cell", "E-mail"], ["Whitfield, Dana", "512-555-0101", "dana@example.com"],
            ["Tom\u00e1s Ibarra", "512-555-0111", ""]]
    text = newline.join(delimiter.join(f'"{cell}"' if delimiter in cell or "," in cell else cell for cell in row) for row in rows)
    result = read_contacts(text.encode(), "x.csv")
    assert result.mapping == {"Patient Name": "name", "Cell": "phone", "E-mail": "email"}
    assert [c.name for c in result.contacts] == ["Whitfield, Dana", "Tomás Ibarra"]


def test_quoted_fields_with_newlines_and_commas():
    text = 'Full Name,Notes,Mobile\n"Ortega, Luis","first line\nsecond, line",512-555-0102\n'
    [contact] = read_contacts(text.encode(), "x.csv").contacts
    assert contact.name == "Ortega, Luis" and contact.phone == "5125550102"


def test_generic_headers_in_any_case_and_spacing():
    text = "  FIRST name , last NAME,Preferred Name, e-mail ,LAST VISIT\nJo,Baker,Joey,jo@example.com,05/11/2026\n"
    result = read_contacts(text.encode(), "x.csv")
    assert set(result.mapping.values()) == {"first_name", "last_name", "preferred_name", "email", "last_visit"}
    assert result.contacts[0].last_seen_at == "2026-05-11"  # US month/day


def test_xlsx_export():
    book = Workbook()
    sheet = book.active
    sheet.append(["Contact Id", "First Name", "Last Name", "Mobile", "Last Visit"])
    sheet.append([17, "Mei", "Chen", 5125550112, __import__("datetime").datetime(2026, 11, 3, 9, 30)])
    sheet.append([None, None, None, None, None])
    sheet.append([18, "", "", "", None])
    buffer = io.BytesIO()
    book.save(buffer)
    result = read_contacts(buffer.getvalue(), "contacts.xlsx")
    [mei] = result.contacts
    assert (mei.external_id, mei.first_name, mei.phone, mei.last_seen_at) == ("17", "Mei", "5125550112", "2026-11-03T09:30")
    assert [(s.row, s.reason) for s in result.skipped] == [(4, "no name")]


def _xlsx(*rows: list) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


REPEATED_HEADINGS = [["Name", "Name", "Phone", "Name"], ["Ana Reyes", "Reyes, Ana", "512-555-0120", "Ana"]]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_repeated_headings_are_told_apart(kind):
    raw = ("\n".join(",".join(f'"{cell}"' for cell in row) for row in REPEATED_HEADINGS).encode() if kind == "csv"
           else _xlsx(*REPEATED_HEADINGS))
    preview = read_preview(raw, f"export.{kind}")
    assert preview.columns == ["Name", "Name (2)", "Phone", "Name (3)"]
    assert preview.mapping == {"Name": "name", "Name (2)": "ignore", "Phone": "phone", "Name (3)": "ignore"}
    assert preview.sample[0]["values"] == ["Ana Reyes", "Reyes, Ana", "512-555-0120", "Ana"]

    chosen = parse_mapping_options(["Name=ignore", "Name (2)=name", "Name (3)=preferred_name"])  # as the CLI's --map reads them
    [ana] = read_contacts(raw, f"export.{kind}", chosen).contacts
    assert (ana.name, ana.preferred_name, ana.phone) == ("Reyes, Ana", "Ana", "5125550120")
    assert read_preview(raw, f"export.{kind}", chosen).mapping == {
        "Name": "ignore", "Name (2)": "name", "Phone": "phone", "Name (3)": "preferred_name"}


def test_a_heading_already_numbered_is_not_taken_twice():
    preview = read_preview(b"Name,Name (2),Name,,\nAna,Ann,Annie,x,y\n", "export.csv")
    assert preview.columns == ["Name", "Name (2)", "Name (3)", "", "(no heading 2)"]
    assert len(set(preview.columns)) == len(preview.mapping) == 5


def test_vcard_3_and_4():
    result = read_contacts(VCARD.encode(), "contacts.vcf")
    assert names(result) == [("Kofi", "Mensah"), ("Hélène", "Dubois")]
    kofi, helene = result.contacts
    assert kofi.phone == "5125550108" and kofi.preferred_name == "Kof" and kofi.email == "kofi@example.com"
    assert helene.phone == "5125550109"


def test_file_without_a_name_column_lists_its_columns():
    with pytest.raises(ContactFileError) as error:
        read_contacts("Nom,Prénom,Téléphone\nDurand,Élodie,0601020304\n".encode(), "fr.csv")
    message = str(error.value)
    assert "Nom, Prénom, Téléphone" in message and "--map" in message


def test_explicit_mapping_reads_any_columns():
    explicit = parse_mapping_options(["Nom=last_name", "Prénom=first_name", "Téléphone=phone"])
    result = read_contacts("Nom,Prénom,Téléphone\nDurand,Élodie,0601020304\n".encode(), "fr.csv", explicit)
    assert (result.contacts[0].first_name, result.contacts[0].last_name, result.contacts[0].phone) == ("Élodie", "Durand", "0601020304")
    with pytest.raises(ContactFileError) as error:
        read_contacts("Nom\nDurand\n".encode(), "fr.csv", {"Nme": "last_name"})
    assert str(error.value) == "Column 'Nme' is not in the file; it has: Nom."  # the dashboard shows it too: no --map
    with pytest.raises(ContactFileError, match="not a contact field"):
        read_contacts("Nom\nDurand\n".encode(), "fr.csv", {"Nom": "surname"})
    with pytest.raises(ContactFileError, match="COLUMN=field"):
        parse_mapping_options(["Nom"])


def test_bad_rows_are_reported_with_row_numbers():
    text = "First Name,Last Name,Email,Last Visit\nAva,Reed,not-an-email,13/45/2026\n,,x@example.com,\nNoah,Kim,noah@example.com,\n"
    result = read_contacts(text.encode(), "x.csv")
    assert [(s.row, s.reason) for s in result.skipped] == [(3, "no name")]
    assert [c.first_name for c in result.contacts] == ["Ava", "Noah"]
    assert result.contacts[0].email is None and result.contacts[0].last_seen_at is None
    assert any("Row 2" in w and "not-an-email" in w for w in result.warnings)
    assert any("could not be read" in w for w in result.warnings)


def test_empty_and_unreadable_files():
    with pytest.raises(ContactFileError, match="empty"):
        read_contacts(b"\n\n", "x.csv")
    with pytest.raises(ContactFileError, match="Excel file could not be opened"):
        read_contacts(b"PK\x03\x04 not really a zip", "x.xlsx")
    with pytest.raises(ContactFileError, match=".xls"):
        read_contacts(b"\xd0\xcf\x11\xe0", "old.xls")


@pytest.mark.parametrize("shown, expected", [
    ("2026-11-05", "2026-11-05"), ("11/05/2026", "2026-11-05"), ("November 5, 2026", "2026-11-05"),
    ("5 Nov 2026", "2026-11-05"), ("2026-11-05 14:30", "2026-11-05T14:30"), ("someday", None), ("", None),
])
def test_contact_dates(shown, expected):
    assert parse_date(shown) == expected


def test_separate_activity_export():
    text = "PatNum,Type,Date,Note,Staff\n1042,Appointment,11/02/2026,Cleaning,Front desk\n1043,call,,Left voicemail,Sam\n,call,11/01/2026,x,y\n"
    activities, skipped, mapping = read_activities(text.encode(), "activities.csv")
    assert mapping == {"PatNum": "contact_ref", "Type": "type", "Date": "at", "Note": "summary", "Staff": "staff"}
    assert [(a.contact_ref, a.type, a.at, a.summary, a.staff) for a in activities] == [
        ("1042", "appointment", "2026-11-02", "Cleaning", "Front desk")]
    assert [(s.row, s.reason) for s in skipped] == [(3, "date '' could not be read"), (4, "no contact reference")]
