"""Domain errors are plain exceptions; the web layer answers each with its status and the one error shape."""

from __future__ import annotations

import pytest

from server import errors
from server.web.errors import DOMAIN_STATUS

KINDS = [
    (errors.MissingField("reviews", "Send a 'reviews' list."), 400, "missing_field"),
    (errors.InvalidField("at", "'at' is in the future."), 400, "invalid_field"),
    (errors.ValidationError("rating", "'rating' must be 1 to 5."), 422, "invalid_value"),
    (errors.NotFound("There is no review 9."), 404, "not_found"),
    (errors.CooldownActive(12), 409, "cooldown"),
    (errors.TooLarge("Send at most 5000 reviews."), 413, "payload_too_large"),
    (errors.UnreadableFile("export.csv: no name column."), 422, "unreadable_file"),
    (errors.Unsupported("ReviewDesk does not read this site.", extra={"status": "unsupported", "platform": None}), 422, "unsupported"),
]


def test_every_kind_of_domain_error_has_a_status():
    kinds = {cls for cls in vars(errors).values() if isinstance(cls, type) and issubclass(cls, errors.DomainError)}
    assert kinds <= set(DOMAIN_STATUS), f"no HTTP status for {kinds - set(DOMAIN_STATUS)}"


@pytest.mark.parametrize("error, status, code", KINDS, ids=[code for _, _, code in KINDS])
def test_a_domain_error_is_answered_with_its_status_code_and_message(app, auth, error, status, code):
    @app.get("/api/test-raise")
    def raise_it():
        raise error

    answer = app.test_client().get("/api/test-raise", headers=auth)
    assert answer.status_code == status
    assert answer.json["ok"] is False and answer.json["error"] == code and answer.json["message"] == error.message
    for name, value in error.extra.items():
        assert answer.json[name] == value


def test_the_cooldown_error_says_how_many_minutes_are_left():
    assert "12 more minutes" in errors.CooldownActive(12).message and "1 more minute." in errors.CooldownActive(1).message
