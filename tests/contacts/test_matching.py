"""Matching reviewers to contacts: every kind of name, and confidence as a promise."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from parsers import Review
from server.contacts.importing import import_contacts
from server.contacts.matching import candidates_for
from server.reviews.ingest import ingest
from server.storage import Store

IMPORTED_AT = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)  # when the test imports its contacts

CONTACTS = """Contact Id,First Name,Last Name,Preferred Name,Email,Last Visit
1,Robert,Smith,,robert.smith@example.com,
2,Margaret,O'Neil,Peggy,peggy@example.com,
3,John,Smith,,john.smith@example.com,
4,John,Sanders,,john.sanders@example.com,
5,John,Stone,,john.stone@example.com,
6,John,Silva,,john.silva@example.com,
7,John,Sato,,john.sato@example.com,
8,Ana,García López,,ana@example.com,
9,Élodie,Durand,,elodie@example.com,
10,Elizabeth,Nguyen,Liz,liz@example.com,
11,Mary-Kate,Delacroix-Hart,,mk@example.com,
12,Dana,Whitfield,,dana1@example.com,2026-11-01
13,Dana,Whitfield,,dana2@example.com,2025-01-10
14,Tomás,Ibarra,,tomas@example.com,2026-10-30
15,Rebecca,Olsen,,rebecca@example.com,
"""


@pytest.fixture
def store(app):
    with Store.connect(app.config["DATABASE"]) as opened:
        import_contacts(opened, CONTACTS.encode(), "contacts.csv", now=IMPORTED_AT)
        yield opened


def match(store: Store, reviewer: str, when: str = "2026-11-05T12:00:00Z"):
    review_id = ingest(store, [Review(platform="google", reviewer_name=reviewer, text="x", created_at=when)], IMPORTED_AT).review_ids[0]
    return candidates_for(store, store.get_review(review_id))[0]


def top(store: Store, reviewer: str) -> tuple[str, str] | None:
    candidates = match(store, reviewer)
    return (candidates[0].name, candidates[0].confidence) if candidates else None


@pytest.mark.parametrize("reviewer, expected", [
    ("Robert Smith", ("Robert Smith", "high")),
    ("Bob Smith", ("Robert Smith", "high")),                 # nickname
    ("Peggy O'Neil", ("Margaret O'Neil", "high")),           # preferred name and nickname
    ("Margaret ONeil", ("Margaret O'Neil", "high")),          # apostrophe
    ("Liz Nguyen", ("Elizabeth Nguyen", "high")),
    ("elodie DURAND", ("Élodie Durand", "high")),             # accents and case
    ("Ana García", ("Ana García López", "high")),            # one of two last names
    ("Mary Kate Delacroix Hart", ("Mary-Kate Delacroix-Hart", "high")),  # hyphens
    ("Smith, Robert", ("Robert Smith", "high")),             # name order
    ("Olsen Rebecca", ("Rebecca Olsen", "high")),            # reversed without a comma
])
def test_names_that_clearly_point_to_one_contact(store, reviewer, expected):
    assert top(store, reviewer) == expected


def test_reasons_say_why(store):
    [candidate] = match(store, "Bob Smith")[:1]
    assert "Bob is a nickname of Robert" in candidate.reasons
    assert "last name Smith matches" in candidate.reasons
    assert 0.8 < candidate.score <= 1


@pytest.mark.parametrize("reviewer, expected", [
    ("Bob S.", ("Robert Smith", "medium")),       # Yelp style: initials never reach high
    ("R. Smith", ("Robert Smith", "medium")),
    ("Robret Smith", ("Robert Smith", "medium")),  # typo in the first name
    ("Rebeca Olson", ("Rebecca Olsen", "low")),   # typos in both: found, but only as a hint
])
def test_initials_and_typos_are_never_high(store, reviewer, expected):
    assert top(store, reviewer) == expected


def test_five_john_s_are_never_confident(store):
    candidates = match(store, "John S.")
    assert len(candidates) == 5
    assert {c.confidence for c in candidates} == {"low"}
    assert any("5 contacts fit this name about as well" in reason for c in candidates for reason in c.reasons)


def test_two_identical_names_are_not_high_but_a_recent_visit_ranks_first(store):
    candidates = match(store, "Dana Whitfield")
    assert [c.confidence for c in candidates] == ["medium", "medium"]
    assert candidates[0].contact_id == 12  # visited four days before the review
    assert any("4 days before the review" in reason for reason in candidates[0].reasons)
    assert candidates[0].activities[0]["at"] == "2026-11-01"


def test_a_visit_shortly_before_the_review_raises_the_score(store):
    near = match(store, "Tomás Ibarra", when="2026-11-02T12:00:00Z")[0]
    far = match(store, "Tomás Ibarra", when="2027-06-01T12:00:00Z")[0]
    assert near.score > far.score
    assert any("3 days before the review" in reason for reason in near.reasons)
    assert not any("before the review" in reason for reason in far.reasons)


@pytest.mark.parametrize("reviewer", ["xXdarkXx", "SmileyGal22", "Smith Plumbing LLC", "Quentin Zabriskie", "Jessica", "", "🦷🦷🦷"])
def test_strangers_handles_and_businesses_get_no_confident_candidate(store, reviewer):
    candidates = match(store, reviewer)
    assert not [c for c in candidates if c.confidence in ("high", "medium")]


def test_matching_fetches_by_keys_not_by_scanning(store, monkeypatch):
    fetched = []
    real = Store.contact_names_by_id
    monkeypatch.setattr(Store, "contact_names_by_id", lambda self, ids: fetched.append(list(ids)) or real(self, ids))
    match(store, "Robert Smith")
    assert fetched and len(fetched[0]) < store.count_contacts() / 2


def test_confirmed_match_is_remembered_first_and_logged(client, auth, app):
    with Store.connect(app.config["DATABASE"]) as opened:
        import_contacts(opened, CONTACTS.encode(), "contacts.csv", now=IMPORTED_AT)
    review_id = client.post("/api/reviews", headers=auth, json={"reviews": [
        {"platform": "yelp", "reviewer_name": "John S.", "text": "Long wait", "created_at": "2026-11-05"}]}).json["review_ids"][0]
    candidates = client.get(f"/api/reviews/{review_id}/matches", headers=auth).json["candidates"]
    chosen = next(c for c in candidates if c["name"] == "John Stone")
    rejected = next(c for c in candidates if c["name"] == "John Smith")
    client.post(f"/api/reviews/{review_id}/match", headers=auth, json={"contact_id": rejected["contact_id"], "decision": "reject"})
    answer = client.post(f"/api/reviews/{review_id}/match", headers=auth,
                         json={"contact_id": chosen["contact_id"], "decision": "confirm", "staff": "Front desk"})
    assert answer.status_code == 200
    again = client.get(f"/api/reviews/{review_id}/matches", headers=auth).json["candidates"]
    assert again[0]["name"] == "John Stone" and again[0]["decision"] == "confirmed"
    assert again[-1]["name"] == "John Smith" and again[-1]["decision"] == "rejected"
    events = client.get(f"/api/reviews/{review_id}", headers=auth).json["events"]
    assert [(e["type"], e["contact_id"], e["staff"]) for e in events] == [("match_confirmed", chosen["contact_id"], "Front desk")]


def test_match_refusals(client, auth):
    review_id = client.post("/api/reviews", headers=auth, json={"reviews": [
        {"platform": "yelp", "reviewer_name": "John S.", "text": "x"}]}).json["review_ids"][0]
    assert client.get("/api/reviews/999/matches", headers=auth).status_code == 404
    assert client.post(f"/api/reviews/{review_id}/match", headers=auth, json={"contact_id": 1}).status_code == 400
    assert client.post(f"/api/reviews/{review_id}/match", headers=auth, json={"contact_id": 1, "decision": "maybe"}).status_code == 422
    assert client.post(f"/api/reviews/{review_id}/match", headers=auth, json={"contact_id": 424242, "decision": "confirm"}).status_code == 404


def test_a_namesake_the_nickname_data_misses_still_prevents_high(app):
    # "Joe" reaches one Giuseppe Rossi through his preferred name; no nickname data ties Joe to Giuseppe, so the
    # other Giuseppe Rossi is not a candidate at all, and only the namesake check keeps the first from high.
    with Store.connect(app.config["DATABASE"]) as store:
        import_contacts(store, "First Name,Last Name,Preferred Name\nGiuseppe,Rossi,Joe\nGiuseppe,Rossi,\n".encode(), "g.csv", now=IMPORTED_AT)
        [top, *_] = match(store, "Joe Rossi")
        assert top.confidence == "medium"
        assert "1 other contact named Giuseppe Rossi" in top.reasons


def test_contacts_imported_with_a_full_name_column_only_are_matched(app):
    with Store.connect(app.config["DATABASE"]) as store:
        import_contacts(store, "Patient Name,Email\nRobert Smith,rs@example.com\nJosé García,jg@example.com\n".encode(), "n.csv", now=IMPORTED_AT)
        assert top(store, "Robert Smith") == ("Robert Smith", "high")
        assert top(store, "Bob S.") == ("Robert Smith", "medium")
        assert top(store, "Jose Garcia") == ("José García", "high")


# -- field data: a practice-management export and the names reviewers go by (issue 14) ---------------------

PRACTICE_EXPORT = "\n".join([
    "Patient,Chart #,Home Phone,Cell Phone,Email Address,Last Appt",
    '"LEE, SEO-YEON (SARAH)",2001,,512-555-0201,,10/30/2026',
    '"ROSSI, GIUSEPPE ""JOE""",2002,,512-555-0202,,10/28/2026',
    '"HART, MARY ELLEN",2003,,512-555-0203,,10/21/2026',
    '"TRAN, THI MAI",2004,,512-555-0204,,10/15/2026',
    '"FERNÁNDEZ-RUIZ, LUCÍA",2005,,512-555-0205,,10/12/2026',
    '"PARK, JI-HOON",2006,,512-555-0206,,10/02/2026',
    '"WILLIAMS, SARAH",2007,,512-555-0207,,09/30/2026',
    '"NGUYEN, VAN AN",2008,,512-555-0208,,09/28/2026',
]) + "\n"


@pytest.fixture
def practice(app):
    with Store.connect(app.config["DATABASE"]) as opened:
        import_contacts(opened, PRACTICE_EXPORT.encode("cp1252"), "patients.csv", now=IMPORTED_AT)
        yield opened


@pytest.mark.parametrize("reviewer, expected", [
    ("Sarah Lee", "Seo-Yeon Lee"),                  # the preferred name written inside the name field
    ("Joe Rossi", "Giuseppe Rossi"),
    ("Ellen Hart", "Mary Ellen Hart"),              # known by the middle name
    ("Mai Tran", "Thi Mai Tran"),                   # Vietnamese: the last given name
    ("Tran Thi Mai", "Thi Mai Tran"),               # family name first
    ("Seoyeon Lee", "Seo-Yeon Lee"),                # a Korean hyphenated given name, joined
    ("Seo Yeon Lee", "Seo-Yeon Lee"),               # or split
    ("Jihoon Park", "Ji-Hoon Park"),
    ("Lucia Fernandez Ruiz", "Lucía Fernández-Ruiz"),  # a compound surname without accents or hyphen
    ("Lucia Fernandez", "Lucía Fernández-Ruiz"),
])
def test_the_names_reviewers_go_by_find_their_contact(practice, reviewer, expected):
    assert top(practice, reviewer) == (expected, "high")


def test_a_name_that_fits_two_readings_is_not_confident(practice):
    # "Sarah" is Seo-Yeon Lee's preferred name and Sarah Williams' first name: "Sarah L." fits only one
    # of them, but an initial is never high.
    assert top(practice, "Sarah L.") == ("Seo-Yeon Lee", "medium")


def test_contacts_stored_before_a_change_of_the_keys_are_keyed_again_at_start(app, data_dir):
    import sqlite3

    from server.web.app import create_app

    with Store.connect(app.config["DATABASE"]) as store:
        import_contacts(store, PRACTICE_EXPORT.encode("cp1252"), "patients.csv", now=IMPORTED_AT)
    with sqlite3.connect(app.config["DATABASE"]) as db:  # as a database keyed before given names were keys
        db.execute("DELETE FROM contact_keys")
    restarted = create_app({"TESTING": True, "DATA_DIR": str(data_dir)})
    with Store.connect(restarted.config["DATABASE"]) as store:
        assert top(store, "Ellen Hart") == ("Mary Ellen Hart", "high")
        assert top(store, "Sarah Lee") == ("Seo-Yeon Lee", "high")


def test_more_fits_than_can_be_told_apart_are_all_low_and_the_shown_first_name_comes_first(app):
    """301 contacts fit "Bob Moore" (Roberts, Bobs and Robs): nobody stands out, so none is confident, and the ten
    listed start with those actually called Bob."""
    rows = ["Contact Id,First Name,Last Name,Email"]
    rows += [f"r{i},{('Robert', 'Rob', 'Bobby')[i % 3]},Moore,r{i}@example.com" for i in range(298)]
    rows += [f"b{i},Bob,Moore,b{i}@example.com" for i in range(3)]
    with Store.connect(app.config["DATABASE"]) as store:
        import_contacts(store, "\n".join(rows).encode(), "contacts.csv", now=IMPORTED_AT)
        candidates = match(store, "Bob Moore")
    assert len(candidates) == 10
    assert {c.confidence for c in candidates} == {"low"}
    assert [c.name for c in candidates[:3]] == ["Bob Moore"] * 3
    assert any("more than 300 contacts fit this name" in reason for c in candidates for reason in c.reasons)
