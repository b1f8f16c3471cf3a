"""The dashboard's review page (/reviews/<id>) and the inbox's next step per review (the triage in the list)."""

from __future__ import annotations

import re

from tests.conftest import review
from tests.test_security import login

THREAT = "My lawyer will be in touch about this."


def _stored(client, auth, **fields) -> int:
    return client.post("/api/reviews", json={"reviews": [review(**fields)]}, headers=auth).json["review_ids"][0]


def test_the_review_page_needs_a_session(client, auth):
    review_id = _stored(client, auth)
    answer = client.get(f"/reviews/{review_id}")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/login")


def test_the_review_page_mounts_the_workbench_under_a_strict_policy(client, auth, token):
    review_id = _stored(client, auth, text='<script>alert(1)</script> awful')
    login(client, token)
    answer = client.get(f"/reviews/{review_id}")
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    csp = answer.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert f'data-review-id="{review_id}"' in html
    assert '<script type="module" src="/static/review.js"></script>' in html
    assert "/workbench/workbench.css" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "no inline script"
    assert "alert(1)" not in html  # the review's text comes through the API, never the template
    assert " on" + "error=" not in html and "style=" not in html


def test_an_unknown_review_is_404(client, token):
    login(client, token)
    assert client.get("/reviews/999").status_code == 404


def test_the_review_script_is_served(client):
    answer = client.get("/static/review.js")
    assert answer.status_code == 200
    body = answer.get_data(as_text=True)
    assert 'from "/workbench/workbench.js"' in body and "innerHTML" not in body


def test_the_dashboards_scripts_write_text_only():
    from pathlib import Path
    root = Path(__file__).resolve().parent.parent
    scripts = [*(root / "server" / "web" / "static").glob("*.js"), *(root / "extension" / "workbench").glob("*.js")]
    assert len(scripts) > 10
    for script in scripts:
        source = script.read_text(encoding="utf-8")
        for markup in ("innerHTML", "insertAdjacentHTML", "outerHTML", "document.write"):
            assert markup not in source, f"{script.name} uses {markup}"


def test_the_list_carries_each_reviews_triage(client, auth):
    threat = _stored(client, auth, platform_review_id="t1", text=THREAT, rating=1)
    kind = _stored(client, auth, platform_review_id="k1", text="Lovely front desk, quick visit.", rating=5)
    listed = {entry["id"]: entry for entry in client.get("/api/reviews", headers=auth).json["reviews"]}
    assert listed[threat]["triage"]["action"] == "escalate" and listed[threat]["triage"]["staff"] is False
    assert listed[kind]["triage"]["action"] == "reply"


def test_the_list_shows_the_staff_decision_over_the_triage(client, auth):
    threat = _stored(client, auth, text=THREAT, rating=1)
    answer = client.post(f"/api/reviews/{threat}/events", headers=auth,
                         json={"type": "triage_changed", "action": "reply", "note": "Talked to the patient; not a threat."})
    assert answer.status_code == 200, answer.json
    (entry,) = client.get("/api/reviews", headers=auth).json["reviews"]
    assert entry["triage"] == {"action": "reply", "reason": "Decided by staff: Talked to the patient; not a threat.", "staff": True,
                              "category": "genuine"}
    advice = client.get(f"/api/reviews/{threat}/suggestions", headers=auth).json
    assert (advice["action"], advice["decided_by"], advice["notify"], advice["triage"]["category"]) == ("reply", "staff", None, "legal")
    assert advice["suggestions"]  # staff said reply: the suggestions come


def test_a_staff_escalation_says_who_sees_it_first(client, auth):
    calm = _stored(client, auth, text="The wait was long and the magazines were old.", rating=2)
    answer = client.post(f"/api/reviews/{calm}/events", headers=auth, json={
        "type": "triage_changed", "action": "escalate", "category": "violence", "note": "He threatened the receptionist on the phone."})
    assert answer.status_code == 200, answer.json
    advice = client.get(f"/api/reviews/{calm}/suggestions", headers=auth).json
    assert (advice["action"], advice["category"], advice["decided_by"]) == ("escalate", "violence", "staff")
    assert "practice manager" in advice["notify"] and advice["reason"] == "Decided by staff: He threatened the receptionist on the phone."
    assert advice["suggestions"] == [] and advice["triage"]["action"] == "reply"
