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
    assert [c.name for c in result.contacts] == ["Dana Whitfield", "Tomás Ibarra"]  # "Last, First" is shown first name first


def test_quoted_fields_with_newlines_and_commas():
    text = 'Full Name,Notes,Mobile\n"Ortega, Luis","first line\nsecond, line",512-555-0102\n'
    [contact] = read_contacts(text.encode(), "x.csv").contacts
    assert (contact.name, contact.first_name, contact.last_name, contact.phone) == ("Luis Ortega", "Luis", "Ortega", "5125550102")


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
    assert (ana.name, ana.first_name, ana.last_name, ana.preferred_name, ana.phone) == ("Ana Reyes", "Ana", "Reyes", "Ana", "5125550120")
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


# -- files built to flood the server (issue: imports that cannot flood) ----------------------------------


def test_a_field_longer_than_any_contact_field_is_left_out_and_reported():
    text = f"First Name,Last Name,Phone,Notes\nAva,Reed,{'5' * 5000},x\nNoah,{'K' * 400},512-555-0101,y\n"
    result = read_contacts(text.encode(), "x.csv")
    ava, noah = result.contacts
    assert (ava.first_name, ava.phone) == ("Ava", None)
    assert (noah.first_name, noah.last_name, noah.phone) == ("Noah", "", "5125550101")
    warning = next(w for w in result.warnings if "longer than" in w)
    assert "2 field(s)" in warning and "rows 2, 3" in warning


def test_a_file_with_too_many_columns_is_refused_quickly():
    import time

    from parsers import limits

    header = ",".join(["Name"] + [f"Email{i}" for i in range(100_000)])
    started = time.perf_counter()
    with pytest.raises(ContactFileError) as error:
        read_contacts(f"{header}\nAva Reed\n".encode(), "wide.csv")
    assert time.perf_counter() - started < 2
    assert f"at most {limits.COLUMNS}" in str(error.value) and len(str(error.value)) < 300


def test_many_columns_that_mean_the_same_field_are_mapped_in_linear_time():
    import time

    from parsers import limits

    header = ",".join(["Name"] * limits.COLUMNS)
    started = time.perf_counter()
    result = read_contacts(f"{header}\nAva Reed\n".encode(), "same.csv")
    assert time.perf_counter() - started < 1
    assert [c.name for c in result.contacts] == ["Ava Reed"]


def test_the_error_for_a_file_without_a_name_column_lists_only_the_first_columns():
    from parsers import limits

    header = ",".join(f"Column {i}" for i in range(400))
    with pytest.raises(ContactFileError) as error:
        read_contacts(f"{header}\n1\n".encode(), "nameless.csv")
    message = str(error.value)
    assert "Column 0, Column 1" in message and f"Column {limits.COLUMNS_LISTED}," not in message
    assert f"and {400 - limits.COLUMNS_LISTED} more" in message and len(message) < 1200


def test_a_workbook_that_unpacks_to_far_more_than_its_size_is_refused():
    import zipfile

    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/sharedStrings.xml", "<sst>" + "5" * 50_000_000 + "</sst>")  # 50 MB of one digit
    raw = packed.getvalue()
    assert len(raw) < 200_000
    with pytest.raises(ContactFileError, match="unpacks to 50 MB"):
        read_contacts(raw, "bomb.xlsx")


def test_a_workbook_with_a_huge_cell_imports_the_other_fields():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["First Name", "Last Name", "Mobile"])
    sheet.append(["Ava", "Reed", "5" * 30_000])
    sheet.append(["Noah", "Kim", "512-555-0102"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = read_contacts(buffer.getvalue(), "x.xlsx")
    assert [(c.first_name, c.phone) for c in result.contacts] == [("Ava", None), ("Noah", "5125550102")]
    assert any("longer than" in w for w in result.warnings)


def test_a_malformed_vcard_logs_none_of_its_values(caplog):
    card = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Kofi Mensah\r\nN:Mensah;Kofi;;;\r\n"
            "this line has no colon 512-555-0177 kofi.private@example.com root canal on 14\r\n"
            "TEL;TYPE=CELL:512-555-0108\r\nEND:VCARD\r\n")
    with caplog.at_level("DEBUG"):
        result = read_contacts(card.encode(), "contacts.vcf")
    assert [c.name for c in result.contacts] == ["Kofi Mensah"]
    logged = " ".join(record.getMessage() for record in caplog.records)
    for value in ("512-555-0177", "kofi.private", "root canal"):
        assert value not in logged
    assert result.warnings == ["1 line(s) of the vCard file could not be read and were skipped."]


# -- field data: an Outlook export saved in Windows-1252 (issue 14) ------------------------------------------


WESTERN_NAMES = [("François", "Müller"), ("Inés", "Gómez"), ("Søren", "Ørsted"), ("Jürgen", "Groß"), ("Ana", "Ibáñez"), ("Noël", "Çelik")]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_a_windows_1252_export_keeps_every_western_letter(delimiter):
    rows = ["First Name", "Last Name", "Mobile Phone"], *[[first, last, f"512-555-01{i:02d}"] for i, (first, last) in enumerate(WESTERN_NAMES)]
    raw = "\r\n".join(delimiter.join(row) for row in rows).encode("cp1252")
    result = read_contacts(raw, "outlook.csv")
    assert result.encoding == "cp1252"
    assert names(result) == WESTERN_NAMES


def test_a_windows_1252_vcard_keeps_every_western_letter():
    cards = "".join(f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{first} {last}\r\nN:{last};{first};;;\r\nEND:VCARD\r\n" for first, last in WESTERN_NAMES)
    result = read_contacts(cards.encode("cp1252"), "contacts.vcf")
    assert names(result) == WESTERN_NAMES


@pytest.mark.parametrize("text, encoding", [("Imię,Nazwisko\nŁukasz,Wąs\nZofia,Łódź\n", "cp1250"),
                                            ("Имя,Фамилия\nИван,Петров\nАнна,Смирнова\n", "cp1251")])
def test_other_code_pages_are_still_recognised(text, encoding):
    result = read_preview(text.encode(encoding), "export.csv")
    assert result.encoding == encoding and result.columns == text.splitlines()[0].split(",")


# -- field data: one name column written "Last, First", as practice-management systems export it (issue 14) ----


@pytest.mark.parametrize("written, shown, first, middle, last, goes_by", [
    ("GÓMEZ, INÉS", "Inés Gómez", "Inés", "", "Gómez", ""),
    ("D'Souza, Mary Ann", "Mary Ann D'Souza", "Mary", "Ann", "D'Souza", ""),
    ("Fernández-Ruiz, Lucía", "Lucía Fernández-Ruiz", "Lucía", "", "Fernández-Ruiz", ""),
    ("LEE, SEO-YEON (SARAH)", "Seo-Yeon Lee", "Seo-Yeon", "", "Lee", "Sarah"),
    ('ROSSI, GIUSEPPE "JOE"', "Giuseppe Rossi", "Giuseppe", "", "Rossi", "Joe"),
    ("Smith Jr., John", "John Smith Jr.", "John", "", "Smith", ""),
])
def test_a_last_name_first_column_is_read_as_last_and_first_name(written, shown, first, middle, last, goes_by):
    raw = ("Patient,Chart #,Home Phone,Cell Phone,Email Address,Last Appt\n" + '"' + written.replace('"', '""')
           + '",1042,512-555-0199,512-555-0101,pt1042@example.com,10/30/2026\n').encode("cp1252")
    [contact] = read_contacts(raw, "patients.csv").contacts
    assert (contact.name, contact.first_name, contact.middle_name, contact.last_name, contact.preferred_name) == (
        shown, first, middle, last, goes_by)
    assert (contact.external_id, contact.phone, contact.email, contact.last_seen_at) == ("1042", "5125550101", "pt1042@example.com", "2026-10-30")


def test_a_phone_column_the_mapping_left_aside_is_held_to_the_cell_limit_too():
    """The first phone column with a number is the contact's, mapped or not: a cell longer than any field is
    left out and reported there as anywhere else, never stored as a phone."""
    from parsers import limits
    from parsers.contacts import read_contacts

    export = f"First Name,Last Name,Phone,Mobile\nAna,Lopez,{'5' * (limits.CELL_CHARS + 1)},\nBo,Kim,,512-555-0100\n"
    read = read_contacts(export.encode(), "contacts.csv")
    assert [contact.phone for contact in read.contacts] == [None, "5125550100"]
    assert any("left out: rows 2" in warning for warning in read.warnings)
