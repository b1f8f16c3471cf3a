"""The labelled corpus (replies written independently of the checker): every unsafe reply is blocked,
at most 1 in 30 compliant replies is, and every rule a reply must raise is raised."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from server.replies.policy import check

pytestmark = pytest.mark.usefixtures("reply_checker")

EARLIER = Path(__file__).resolve().parents[2] / "server" / "replies" / "corpora" / "earlier"


def load(name: str) -> list[dict]:
    path = EARLIER / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


CORPUS = load("corpus.jsonl")
# A second corpus by another writer, first run against the finished checker (3 of 45 unsafe replies got
# through and 2 of 45 compliant ones were blocked; the rules were then generalised).
HELD_OUT = load("heldout.jsonl")
EVERYTHING = CORPUS + HELD_OUT


def test_the_corpus_is_large_and_covers_every_blocking_rule():
    assert len(CORPUS) >= 150
    flagged = {rule for case in CORPUS for rule in case["must_flag"]}
    assert {"phi_condition", "phi_treatment", "phi_medication", "phi_visit_detail", "confirms_patient", "names_reviewer",
            "argues_facts", "asks_removal", "billing_detail", "contact_info_of_patient"} <= flagged


@pytest.mark.parametrize("case", [c for c in EVERYTHING if not c["allowed"]], ids=lambda c: c["id"])
def test_every_unsafe_reply_is_blocked(case):
    result = check(case["reply"], case["review"], case["settings"])
    assert not result.allowed, case["note"]


def test_at_most_one_in_thirty_compliant_replies_is_blocked():
    compliant = [c for c in EVERYTHING if c["allowed"]]
    blocked = [c["id"] for c in compliant if not check(c["reply"], c["review"], c["settings"]).allowed]
    assert len(blocked) <= len(compliant) / 30, blocked


def test_rules_that_must_be_raised_are_raised_on_nine_in_ten_replies():
    expected = [(c, rule) for c in EVERYTHING for rule in c["must_flag"]]
    found = [(c, rule) for c, rule in expected if rule in {v.rule for v in check(c["reply"], c["review"], c["settings"]).violations}]
    assert len(found) >= 0.9 * len(expected)
