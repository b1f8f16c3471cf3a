"""The known safe shapes of a reply's sentence: made only of the words of thanks, apology, general
commitment, invitation and sign-off, they are not sent to the learned layer, which judges every other one."""

from __future__ import annotations

import pytest

from server.replies.learned import sentence_text
from server.replies.policy import check
from server.replies.safe_shapes import safe_shape

REVIEW = {"text": "Lovely people, quick visit.", "rating": 5, "platform": "google", "reviewer_name": "Ana Ruiz"}


@pytest.mark.parametrize("sentence", [
    "Thank you so much for the recommendation, it means a great deal to our staff.",
    "Thanks for taking the time to write such a thoughtful review!",
    "We're sorry for the frustration.",
    "Please call our office manager at (512) 555-0100.",
    "Muchas gracias por sus amables palabras.",
    "We appreciate your honest feedback and will pass it along to the whole team.",
    "We're always here if you need us.",
    "Please don't hesitate to reach out if you need anything.",
    "We understand, and that's not okay.",
    "Take care!",
    "Lamentamos que no haya quedado satisfecha.",
])
def test_thanks_apology_invitation_and_commitment_are_safe_shapes(sentence):
    assert safe_shape(sentence_text(sentence))


@pytest.mark.parametrize("sentence", [
    "Thank you so much, and congratulations on the new baby!",
    "We're so glad you're feeling better.",
    "See you at your next cleaning!",
    "We appreciate patients like you!",
    "Thank you for trusting us with your mother.",
    "Gracias, y que disfrute su nueva sonrisa.",
    "We missed you!",
    "We're sorry you fell.",
    "Thanks, Don!",
    "Take care of that knee!",
    "",
])
def test_one_word_outside_the_safe_functions_is_not_a_safe_shape(sentence):
    assert not safe_shape(sentence_text(sentence))


class _BlocksEverything:
    """A sentence model that finds every sentence about the reader: what reaches it is blocked."""
    threshold = 0.5

    def about_reader(self, sentence: str) -> float:
        return 1.0


def test_the_learned_layer_judges_only_sentences_outside_the_safe_shapes():
    reply = "Thank you so much for the kind words! Enjoy the lake this summer."
    result = check(reply, REVIEW, {}, sentence_model=_BlocksEverything(), rule_model=None)
    blocked = [reply[v.start:v.end] for v in result.violations if v.severity == "block"]
    assert blocked == ["Enjoy the lake this summer."]


@pytest.mark.parametrize("reply, judged", [
    ("Thank you for the feedback. Dana Whitcomb, Office Manager", []),
    ("Thank you for the feedback.\n— Dr. Priya Nair, DDS", []),
    ("Thank you! Congratulations Maria Lopez, Happy Graduation", ["Congratulations Maria Lopez, Happy Graduation"]),
    ("Thank you! See You Soon", ["See You Soon"]),
])
def test_a_signature_with_a_role_at_the_practice_is_a_sign_off_anything_else_is_judged(reply, judged):
    result = check(reply, REVIEW, {}, sentence_model=_BlocksEverything(), rule_model=None)
    assert [reply[v.start:v.end] for v in result.violations if v.severity == "block"] == judged


def test_the_practice_named_by_its_first_words_is_its_name_to_the_model():
    assert sentence_text("Saludos del equipo de DoorStep Draw.", "DoorStep Draw Mobile Phlebotomy").split() == \
        ["Saludos", "del", "equipo", "de", "practicename", "."]
    assert safe_shape(sentence_text("Saludos del equipo de DoorStep Draw.", "DoorStep Draw Mobile Phlebotomy"))
