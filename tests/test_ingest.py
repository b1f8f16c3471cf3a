"""POST /api/reviews and the review list: idempotent, versioned, validated, safe under concurrency."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from server.storage import Store
from tests.conftest import review


def post(client, auth, *reviews):
    return client.post("/api/reviews", headers=auth, json={"reviews": list(reviews)})


def test_same_review_twice_is_stored_once(client, auth):
    first = post(client, auth, review())
    second = post(client, auth, review())
    assert first.status_code == second.status_code == 200
    assert (first.json["created"], first.json["updated"], first.json["unchanged"]) == (1, 0, 0)
    assert (second.json["created"], second.json["updated"], second.json["unchanged"]) == (0, 0, 1)
    assert first.json["review_ids"] == second.json["review_ids"]
    listing = client.get("/api/reviews", headers=auth).json
    assert listing["total"] == 1
    assert listing["reviews"][0]["reviewer_name"] == "Dana Whitfield"


def test_changed_rating_and_text_keep_the_old_version_and_log_the_change(client, auth):
    review_id = post(client, auth, review(rating=2, text="Rude on the phone.")).json["review_ids"][0]
    answer = post(client, auth, review(rating=4, text="They called back and sorted it out."))
    assert answer.json["updated"] == 1

    detail = client.get(f"/api/reviews/{review_id}", headers=auth).json
    assert detail["review"]["rating"] == 4
    assert detail["review"]["version"] == 2
    assert [(v["version"], v["rating"], v["text"]) for v in detail["history"]] == [(1, 2, "Rude on the phone.")]
    [event] = detail["events"]
    assert event["type"] == "review_updated"
    assert event["changes"]["rating"] == {"old": 2, "new": 4}
    assert event["changes"]["text"] == {"old": "Rude on the phone.", "new": "They called back and sorted it out."}


def test_an_owner_reply_appearing_is_a_change(client, auth):
    review_id = post(client, auth, review(owner_reply=None)).json["review_ids"][0]
    answer = post(client, auth, review(owner_reply={"text": "Thank you for the feedback.", "date_text": "2 days ago"}))
    assert answer.json["updated"] == 1
    detail = client.get(f"/api/reviews/{review_id}", headers=auth).json
    assert detail["review"]["owner_reply"]["text"] == "Thank you for the feedback."
    assert detail["events"][0]["changes"]["owner_reply_text"] == {"old": None, "new": "Thank you for the feedback."}


def test_a_source_without_replies_keeps_the_known_reply(client, auth):
    post(client, auth, review(owner_reply="Thank you for the feedback."))
    answer = post(client, auth, review())  # no owner_reply key: the source does not show replies
    assert answer.json["unchanged"] == 1
    [stored] = client.get("/api/reviews", headers=auth).json["reviews"]
    assert stored["owner_reply"]["text"] == "Thank you for the feedback."


def test_a_new_relative_date_alone_is_not_a_new_version(client, auth):
    post(client, auth, review(date_text="a week ago"))
    answer = post(client, auth, review(date_text="2 weeks ago"))
    assert answer.json["unchanged"] == 1
    [stored] = client.get("/api/reviews", headers=auth).json["reviews"]
    assert stored["date_text"] == "2 weeks ago"
    assert stored["version"] == 1


def test_reviews_without_an_id_are_identified_by_reviewer_and_place(client, auth):
    no_id = dict(platform_review_id=..., platform="google", place="Maple Dental")
    first = post(client, auth, review(**no_id, reviewer_url="https://www.google.com/maps/contrib/1077/reviews?hl=en"))
    again = post(
        client, auth,
        review(**no_id, reviewer_url="https://www.google.com/maps/contrib/1077?hl=de", rating=5, text="Edited: all good now."),
    )
    other = post(client, auth, review(**no_id, reviewer_name="Priya Raman", reviewer_url="https://www.google.com/maps/contrib/2088"))
    assert first.json["created"] == 1
    assert again.json["updated"] == 1 and again.json["review_ids"] == first.json["review_ids"]
    assert other.json["created"] == 1
    assert client.get("/api/reviews", headers=auth).json["total"] == 2


def test_a_review_first_seen_without_id_adopts_its_id_later(client, auth):
    without = post(client, auth, review(platform_review_id=...)).json["review_ids"][0]
    with_id = post(client, auth, review(platform_review_id="Ci9DQUlRQUNvZENodHljRjloUlVOd2FWbE")).json
    assert with_id["review_ids"] == [without] and with_id["created"] == 0
    stored = client.get(f"/api/reviews/{without}", headers=auth).json["review"]
    assert stored["platform_review_id"] == "Ci9DQUlRQUNvZENodHljRjloUlVOd2FWbE"


def test_same_id_on_two_platforms_is_two_reviews(client, auth):
    answer = post(client, auth, review(platform="google", platform_review_id="r1"), review(platform="yelp", platform_review_id="r1"))
    assert answer.json["created"] == 2


def test_facebook_recommendation_is_stored_without_stars(client, auth):
    answer = post(client, auth, review(platform="facebook", platform_review_id="fb-9", rating=None, recommends=False))
    stored = client.get(f"/api/reviews/{answer.json['review_ids'][0]}", headers=auth).json["review"]
    assert stored["rating"] is None and stored["recommends"] is False


@pytest.mark.parametrize(
    "bad, status, field, says",
    [
        ({"reviewer_name": None}, 400, "reviewer_name", "'reviewer_name' is required"),
        ({"text": ...}, 400, "text", "'text' is required"),
        ({"rating": 7}, 422, "rating", "from 1 to 5"),
        ({"rating": "five"}, 422, "rating", "from 1 to 5"),
        ({"platform": "tripadvisor"}, 422, "platform", "google, yelp, facebook"),
        ({"created_at": "last Tuesday"}, 422, "created_at", "ISO 8601"),
        ({"recommends": "yes"}, 422, "recommends", "true or false"),
        ({"owner_reply": {"date_text": "a day ago"}}, 400, "text", "'text' is required"),
    ],
)
def test_invalid_review_is_refused_naming_the_review_and_field(client, auth, bad, status, field, says):
    good = review(platform_review_id="good-one")
    answer = post(client, auth, good, review(platform_review_id="bad-one", **bad))
    assert answer.status_code == status
    body = answer.json
    assert body["ok"] is False and body["error"] in ("missing_field", "invalid_value")
    assert body["message"].startswith("reviews[1] (bad-one)")
    assert says in body["message"]
    assert body["details"][0]["field"] == field
    # Nothing of the batch was stored.
    assert client.get("/api/reviews", headers=auth).json["total"] == 0


def test_body_without_reviews_list_is_a_clear_400(client, auth):
    answer = client.post("/api/reviews", headers=auth, json={"review": []})
    assert answer.status_code == 400
    assert "'reviews' list" in answer.json["message"]


def test_created_at_is_normalised_to_utc(client, auth):
    answer = post(client, auth, review(created_at="2026-03-03T09:15:00-05:00"))
    stored = client.get(f"/api/reviews/{answer.json['review_ids'][0]}", headers=auth).json["review"]
    assert stored["created_at"] == "2026-03-03T14:15:00Z"


def test_list_filters_and_pages(client, auth):
    reviews = [review(platform_review_id=f"g{i}", reviewer_name=f"Person {i}", rating=1 + i % 5) for i in range(12)]
    reviews.append(review(platform="yelp", platform_review_id="y1", reviewer_name="Morgan T.", text="Front desk 100% great"))
    post(client, auth, *reviews)

    assert client.get("/api/reviews?platform=yelp", headers=auth).json["total"] == 1
    assert client.get("/api/reviews?rating=5", headers=auth).json["total"] == 2
    assert client.get("/api/reviews?q=morgan", headers=auth).json["total"] == 1
    assert client.get("/api/reviews?q=100%25", headers=auth).json["total"] == 1  # % is literal, not a wildcard
    page = client.get("/api/reviews?limit=5&offset=10", headers=auth).json
    assert page["total"] == 13 and len(page["reviews"]) == 3

    bad = client.get("/api/reviews?limit=lots", headers=auth)
    assert bad.status_code == 400 and "'limit' must be a whole number" in bad.json["message"]
    bad = client.get("/api/reviews?platform=myspace", headers=auth)
    assert bad.status_code == 400 and "google, yelp, facebook" in bad.json["message"]


def test_unknown_review_is_a_404_in_the_error_shape(client, auth):
    answer = client.get("/api/reviews/999", headers=auth)
    assert answer.status_code == 404
    assert answer.json["ok"] is False and answer.json["error"] == "not_found"


def test_events_and_history_cannot_be_edited_or_deleted(app, client, auth):
    post(client, auth, review(rating=1))
    post(client, auth, review(rating=3))
    with Store.connect(app.config["DATABASE"]) as store:
        for statement in ("UPDATE events SET type = 'x'", "DELETE FROM events", "DELETE FROM review_versions"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                store.db.conn.execute(statement)


def test_concurrent_ingest_from_eight_clients_loses_nothing(live_server):
    errors: list[str] = []

    def client_thread(worker: int) -> None:
        for batch in range(10):
            reviews = [
                review(platform_review_id=f"w{worker}-b{batch}-r{i}", reviewer_name=f"Reviewer {worker}.{batch}.{i}")
                for i in range(20)
            ]
            answer = live_server.request("POST", "/api/reviews", {"reviews": reviews})
            if answer.status != 200 or answer.json["created"] != 20:
                errors.append(f"{answer.status}: {answer.body[:200]!r}")

    threads = [threading.Thread(target=client_thread, args=(worker,)) for worker in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert live_server.request("GET", "/api/reviews?limit=1").json["total"] == 8 * 10 * 20


def test_one_batch_that_holds_a_review_twice_stores_it_once_and_searches_its_last_text(client, auth, app):
    """A batch's reviews are looked up together: the second copy still finds the first, and the search index
    (filled once per transaction) holds only what is stored."""
    answer = post(client, auth, review(text="Rude on the phone."), review(rating=4, text="They called back and sorted it out."),
                  review(platform_review_id=..., reviewer_name="Priya Raman", text="Lovely hygienist."),
                  review(platform_review_id=..., reviewer_name="Priya Raman", text="Lovely hygienist, quick visit."))
    assert (answer.json["created"], answer.json["updated"]) == (2, 2)
    assert answer.json["review_ids"][0] == answer.json["review_ids"][1]
    assert answer.json["review_ids"][2] == answer.json["review_ids"][3]

    def found(text: str) -> int:
        return client.get("/api/reviews", headers=auth, query_string={"q": text}).json["total"]

    assert found("sorted it out") == 1 and found("quick visit") == 1
    assert found("Rude on the phone") == 0  # the replaced text left the index with the row's update
    assert found("Priya") == 1 and client.get("/api/reviews", headers=auth).json["total"] == 2
    with Store.connect(app.config["DATABASE"]) as store:
        store.db.conn.execute("INSERT INTO reviews_search (reviews_search, rank) VALUES ('integrity-check', 1)")


def test_a_batch_that_fails_leaves_nothing_in_the_search_index(client, auth, app):
    post(client, auth, review())
    with Store.connect(app.config["DATABASE"]) as store:
        with pytest.raises(sqlite3.IntegrityError), store.write():
            store.insert_review({"platform": "google", "platform_review_id": "other", "fingerprint": "f1",
                                 "reviewer_name": "Ghost Writer", "text": "never stored", "version": 1})
            store.db.conn.execute("INSERT INTO reviews (id, platform, fingerprint, reviewer_name, version) VALUES (1, 'x', 'y', 'z', 1)")
        # rank 1: the index is compared with the reviews themselves (it raises "malformed" on any difference)
        store.db.conn.execute("INSERT INTO reviews_search (reviews_search, rank) VALUES ('integrity-check', 1)")
    assert client.get("/api/reviews", headers=auth, query_string={"q": "never stored"}).json["total"] == 0
    assert client.get("/api/reviews", headers=auth, query_string={"q": "Dana"}).json["total"] == 1
