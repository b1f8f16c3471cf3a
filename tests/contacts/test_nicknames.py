"""The short forms reviewers go by, from the shipped nickname files (server/contacts/data/): Katie for Katherine,
Lupita for Guadalupe, Pepe for José, Paco for Francisco, ... found with confidence, both ways, and never at the
cost of a wrong confident match."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from parsers import Review
from server.contacts import names
from server.contacts.importing import import_contacts
from server.contacts.matching import candidates_for
from server.reviews.ingest import ingest
from server.storage import Store

IMPORTED_AT = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)  # when the test imports its contacts

# (contact, reviewer): every pair of ReviewDesk's own list, and some of diminutives.db's. Each contact has a last
# name of its own, so the short form alone must bring the reviewer to it.
FOUND = [
    ("Katherine Moore", "Katie Moore"),
    ("Katharine Bell", "Katie Bell"),
    ("Kathryn Shaw", "Katie Shaw"),
    ("Catherine Lowe", "Katie Lowe"),          # diminutives.db
    ("Kathleen Doyle", "Katie Doyle"),
    ("Mackenzie Hale", "Kenzie Hale"),
    ("Joan Pryor", "Joanie Pryor"),
    ("Joanne Keller", "Joanie Keller"),
    ("Guadalupe Reyes", "Lupita Reyes"),
    ("Guadalupe Reyes", "Lupe Reyes"),
    ("José Ortega", "Pepe Ortega"),
    ("José Ortega", "Pepito Ortega"),
    ("José Ortega", "Chepe Ortega"),
    ("Josefina Campos", "Pepa Campos"),
    ("Josefina Campos", "Pepita Campos"),
    ("Francisco Ruiz", "Paco Ruiz"),
    ("Francisco Ruiz", "Paquito Ruiz"),
    ("Francisco Ruiz", "Pancho Ruiz"),
    ("Francisco Ruiz", "Curro Ruiz"),
    ("Francisca Molina", "Paca Molina"),
    ("Francisca Molina", "Paquita Molina"),
    ("Francisca Molina", "Pancha Molina"),
    ("Ignacio Vega", "Nacho Vega"),
    ("Eduardo Ramos", "Lalo Ramos"),
    ("Alberto Castillo", "Beto Castillo"),
    ("Roberto Navarro", "Beto Navarro"),
    ("Humberto Delgado", "Beto Delgado"),
    ("Gilberto Fuentes", "Beto Fuentes"),
    ("Consuelo Vargas", "Chelo Vargas"),
    ("Graciela Romero", "Chela Romero"),
    ("Gabriela Herrera", "Gabby Herrera"),
    ("Gabriela Herrera", "Gabi Herrera"),
    ("Gabriella Conti", "Gabi Conti"),
    ("Gabrielle Dupont", "Gabi Dupont"),
    ("Jesús Medina", "Chuy Medina"),
    ("Jesús Medina", "Chucho Medina"),
    ("Guillermo Aguilar", "Memo Aguilar"),
    ("Enrique Guerrero", "Quique Guerrero"),
    ("Antonio Mendoza", "Toño Mendoza"),
    ("Antonio Mendoza", "Tono Mendoza"),           # written without the tilde
    ("Antonio Mendoza", "Toñito Mendoza"),
    ("Dolores Cabrera", "Lola Cabrera"),
    ("Dolores Cabrera", "Lolita Cabrera"),
    ("Dolores Cabrera", "Loli Cabrera"),
    ("Concepción Salazar", "Concha Salazar"),
    ("Concepción Salazar", "Conchita Salazar"),
    ("Concepción Salazar", "Conchi Salazar"),
    ("Rosario Ibáñez", "Charo Ibáñez"),
    ("Rosario Ibáñez", "Chayo Ibáñez"),
    ("Fernando Rojas", "Nando Rojas"),
    ("Manuel Soto", "Manolo Soto"),
    ("Salvador Pineda", "Chava Pineda"),
    ("Salvador Pineda", "Chavo Pineda"),
    ("Santiago Ríos", "Santi Ríos"),
    ("Santiago Ríos", "Chago Ríos"),
    ("Mercedes Lozano", "Merche Lozano"),
    ("Mercedes Lozano", "Meche Lozano"),
    ("Rafael Benítez", "Rafa Benítez"),
    ("Luis Carrasco", "Lucho Carrasco"),
    ("Isabel Quintero", "Chabela Quintero"),
    ("Teresa Montoya", "Tere Montoya"),
    ("Pilar Esteban", "Pili Esteban"),
    ("Alejandro Villalobos", "Alex Villalobos"),
    ("Alejandro Villalobos", "Jandro Villalobos"),
    ("Alejandra Sandoval", "Alex Sandoval"),
    ("Patricia Olmedo", "Paty Olmedo"),
    ("Patricia Olmedo", "Pati Olmedo"),
    ("Ernesto Cordero", "Neto Cordero"),
    ("Rodolfo Barrera", "Fito Barrera"),
    ("Adolfo Zamora", "Fito Zamora"),
    ("Rebecca Lind", "Becki Lind"),                # diminutives.db
    ("Florence Abbott", "Florrie Abbott"),          # diminutives.db
    ("Maurice Whitlock", "Mo Whitlock"),           # diminutives.db
]


@pytest.fixture(scope="module")
def practice(tmp_path_factory):
    from server.web.app import create_app

    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path_factory.mktemp("data"))})
    contacts = sorted({contact for contact, _ in FOUND})
    rows = ["First Name,Last Name"] + [",".join(contact.split(" ", 1)) for contact in contacts]
    with Store.connect(app.config["DATABASE"]) as store:
        import_contacts(store, ("\n".join(rows) + "\n").encode(), "patients.csv", now=IMPORTED_AT)
        yield store


def matches(store: Store, reviewer: str):
    review_id = ingest(store, [Review(platform="google", reviewer_name=reviewer, text="x", created_at="2026-11-05T12:00:00Z")],
                       IMPORTED_AT).review_ids[0]
    return candidates_for(store, store.get_review(review_id))[0]


def top(store: Store, reviewer: str) -> tuple[str, str] | None:
    candidates = matches(store, reviewer)
    return (candidates[0].name, candidates[0].confidence) if candidates else None


@pytest.mark.parametrize("contact, reviewer", FOUND)
def test_a_reviewer_who_goes_by_a_short_form_finds_the_contact_with_confidence(practice, contact, reviewer):
    assert top(practice, reviewer) == (contact, "high")


def test_the_reasons_name_the_short_form(practice):
    [candidate, *_] = matches(practice, "Katie Moore")
    assert "Katie is a nickname of Katherine" in candidate.reasons


@pytest.mark.parametrize("imported, reviewer", [
    ("Katie Moore", "Katherine Moore"),
    ("Lupita Reyes", "Guadalupe Reyes"),
    ("Pepe Ortega", "José Ortega"),
    ("Paco Ruiz", "Francisco Ruiz"),
    ("Toño Mendoza", "Antonio Mendoza"),
])
def test_a_contact_imported_under_the_short_form_is_found_by_the_formal_name(app, imported, reviewer):
    with Store.connect(app.config["DATABASE"]) as store:
        import_contacts(store, f"First Name,Last Name\n{imported.replace(' ', ',')}\n".encode(), "c.csv", now=IMPORTED_AT)
        assert top(store, reviewer) == (imported, "high")


@pytest.mark.parametrize("contact, reviewer", [
    ("Kevin Moore", "Katie Moore"),        # another name altogether
    ("Lawrence Hill", "Lauren Hill"),      # left out of diminutives.db: mostly names of the other sex
    ("Georgia Hill", "George Hill"),
    ("Robert Hill", "Bobbie Hill"),
    ("Danielle Hill", "Danny Hill"),
    ("Mary Hill", "Jo Hill"),              # a part of a double name (Mary Jo)
    ("James Hill", "Jake Hill"),           # a name in its own right
    ("Gordon Hill", "Don Hill"),
])
def test_a_short_form_that_is_someone_elses_name_gets_no_confident_candidate(app, contact, reviewer):
    with Store.connect(app.config["DATABASE"]) as store:
        import_contacts(store, f"First Name,Last Name\n{contact.replace(' ', ',')}\n".encode(), "c.csv", now=IMPORTED_AT)
        assert not [c for c in matches(store, reviewer) if c.confidence == "high"]


def test_a_short_form_of_several_names_is_not_confident_between_them(app):
    # Beto is Alberto's, Roberto's and Humberto's: with two of them under one last name, neither stands out.
    with Store.connect(app.config["DATABASE"]) as store:
        import_contacts(store, "First Name,Last Name\nAlberto,Vargas\nRoberto,Vargas\n".encode(), "c.csv", now=IMPORTED_AT)
        candidates = matches(store, "Beto Vargas")
        assert {c.name for c in candidates} == {"Alberto Vargas", "Roberto Vargas"}
        assert all(c.confidence != "high" for c in candidates)


def test_two_contacts_of_the_same_name_are_not_confident_for_their_short_form(app):
    with Store.connect(app.config["DATABASE"]) as store:
        import_contacts(store, "First Name,Last Name,Preferred Name\nKatherine,Pérez,Kathy\nKatherine,Pérez,\n".encode(), "k.csv",
                        now=IMPORTED_AT)
        candidates = matches(store, "Katie Pérez")
        assert len(candidates) == 2 and all(c.confidence == "medium" for c in candidates)


def test_the_shipped_nickname_files_load_and_name_their_source():
    short_forms, formals = names._shipped_nicknames()
    assert {"katie", "kate", "cate"} <= short_forms["catherine"]          # diminutives.db
    assert {"lupe", "lupita"} <= short_forms["guadalupe"]                  # ReviewDesk's own list, folded
    assert formals["beto"] == {"alberto", "roberto", "humberto", "gilberto"}
    assert formals["tono"] == {"antonio"}
    assert len(short_forms) > 500 and sum(map(len, short_forms.values())) > 1000
    for path in names.NICKNAME_FILES:
        header = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
        assert any("Source:" in line for line in header) and any("icence" in line for line in header), path.name
        for line in path.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                assert all(names.TOKEN.fullmatch(name) for name in line.split(",")), line


def test_the_short_forms_reach_the_reply_checker_and_the_first_names():
    # A reply to "José Ortega" must not call him Pepe, and "Lupita" is a first name wherever it appears.
    assert {"pepe", "pepito"} <= names.name_variants("jose")
    assert {"jose", "joseph"} <= names.name_variants("pepe")
    assert {"katherine", "kathryn", "catherine", "kate", "kathy"} <= names.name_variants("katie")
    assert names.is_first_name("Lupita") and names.is_first_name("Chuy") and names.is_first_name("Katie")
