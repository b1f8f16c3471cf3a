"""The reply policy checker: every rule, with the span it reports and a safe wording beside it."""

from __future__ import annotations

import pytest

from server.replies.policy import RULES, check, sentences

pytestmark = pytest.mark.usefixtures("reply_checker")

SETTINGS = {"practice_name": "Maple Family Dental", "office_phones": ["(512) 555-0100"],
            "office_emails": ["frontdesk@maplefamilydental.example"], "staff_names": ["Dr. Lee"]}
NEGATIVE = {"text": "Waited forever and the front desk was rude.", "reviewer_name": "Jessica Smith", "platform": "google", "rating": 1}
SAFE = ("Thank you for taking the time to share this feedback. We take every concern seriously; "
        "please call our office manager at (512) 555-0100 so we can talk with you directly.")


def rules(reply: str, review: dict | None = None) -> dict[str, list[str]]:
    result = check(reply, review or NEGATIVE, SETTINGS)
    found: dict[str, list[str]] = {}
    for violation in result.violations:
        assert RULES[violation.rule] == violation.severity
        assert 0 <= violation.start <= violation.end <= len(reply)
        assert violation.message
        found.setdefault(violation.rule, []).append(reply[violation.start:violation.end])
    return found


def test_a_reply_in_the_recommended_shape_passes_clean():
    result = check(SAFE, NEGATIVE, SETTINGS)
    assert result.allowed and result.violations == []


@pytest.mark.parametrize("reply, rule, span", [
    ("Thank you. We're sorry about the infection; please call us at (512) 555-0100.", "phi_condition", "infection"),
    ("Thanks for sharing. Anxiety is common and we understand; please call us.", "phi_condition", "Anxiety"),
    ("Thank you. We hope the root canal is healing well; please call us.", "phi_treatment", "root canal"),
    ("Thanks for the kind words about the crown!", "phi_treatment", "crown"),
    ("Thank you. The antibiotics should help; please call us.", "phi_medication", "antibiotics"),
    ("Thank you. Lipitor can cause that; please call us.", "phi_medication", "Lipitor"),
    ("Thank you. We're sorry you waited 40 minutes; please call us.", "phi_visit_detail", "waited 40 minutes"),
    ("Thank you. We're sorry about your 2pm slot on March 3rd; please call us.", "phi_visit_detail", "on March 3rd"),
    ("Thank you for your visit! Please call us.", "confirms_patient", "your visit"),
    ("Thank you. When you came in we were short-staffed; please call us.", "confirms_patient", "When you came"),
    ("Thank you. Our records show a different story; please call us.", "confirms_patient", "Our records show"),
    ("Thank you for trusting us with your care! Please call us.", "confirms_patient", "trusting us with your"),
    ("Thank you! We look forward to seeing you at your next cleaning.", "confirms_patient", "seeing you at your"),
    ("Thank you, it's always good to have you back! Please call us.", "confirms_patient", "good to have you back"),
    ("Thank you. As one of our patients you matter; please call us.", "confirms_patient", "As one of our patients"),
    ("Thank you. You missed two appointments, so please call us.", "confirms_patient", "You missed"),
    ("Jessica, we're sorry to hear this. Please call us.", "names_reviewer", "Jessica"),
    ("Thank you, Ms. Smith. Please call us.", "names_reviewer", "Ms. Smith"),
    ("Sorry to hear this. Jess, please call us.", "names_reviewer", "Jess"),
    ("Thank you. That is simply not true; please call us.", "argues_facts", "That is simply not true"),
    ("Thank you. Actually, you arrived late; please call us.", "argues_facts", "you arrived late"),
    ("Thank you. Please consider updating your review once we talk; call us.", "asks_removal", "updating your review"),
    ("Thank you. We'd love for you to revise your rating; please call us.", "asks_removal", "revise your rating"),
    ("Thank you. Your insurance didn't cover it; please call us.", "billing_detail", "insurance didn't"),
    ("Thank you. The balance on the account is paid; please call us.", "billing_detail", "The balance"),
    ("Thank you. We'll call you at 512-555-0199 tomorrow.", "contact_info_of_patient", "512-555-0199"),
    ("Thank you. We sent it to your e-mail jess.smith@example.com.", "contact_info_of_patient", "jess.smith@example.com"),
])
def test_each_blocking_rule_with_its_span(reply, rule, span):
    found = rules(reply)
    assert rule in found, found
    assert span in found[rule]
    assert not check(reply, NEGATIVE, SETTINGS).allowed


def test_a_name_used_to_address_the_reader_is_blocked_even_under_a_handle():
    found = rules("Jessica, we're sorry to hear this. Please call our office manager.",
                  {**NEGATIVE, "reviewer_name": "SmileyGal22"})
    assert found["names_reviewer"] == ["Jessica"]


def test_a_nickname_of_the_reviewer_is_their_name():
    found = rules("Bob, thank you for the feedback. Please call our office manager.", {**NEGATIVE, "reviewer_name": "Robert Smith"})
    assert found["names_reviewer"] == ["Bob"]


def test_echoing_a_medical_word_the_reviewer_used_is_blocked():
    review = {**NEGATIVE, "text": "The pain after the procedure was awful."}
    found = rules("Thank you. We're sorry about the pain; please call our office manager.", review)
    assert "pain" in found["phi_condition"]
    # The same everyday word is fine when the review did not use it and it is not about the reader.
    assert "phi_condition" not in rules("Thank you. We're sorry for any pain this caused; please call us.")


@pytest.mark.parametrize("reply, rule", [
    ("Thank you. Some people just love to complain; please call us.", "defensive_tone"),
    ("Thank you. This is RIDICULOUS; please call us.", "defensive_tone"),
    ("Thank you. Dr. Patel will reach out to you; please call us.", "names_other_person_phi"),
    ("Thank you for sharing. We take it seriously. We value our patients. We care about privacy. Please call us.", "too_long"),
    ("Thank you for sharing this feedback.", "no_offline_invite"),
    ("Please call our office manager at (512) 555-0100.", "no_acknowledgment"),
])
def test_warnings_do_not_block(reply, rule):
    result = check(reply, NEGATIVE, SETTINGS, sentence_model=None)  # the rules' own severities
    assert rule in {v.rule for v in result.violations}
    assert result.allowed


def test_practice_lines_and_allowed_staff_are_fine():
    for reply in (
        "Thank you for the feedback. Please e-mail frontdesk@maplefamilydental.example so we can talk.",
        "Thank you for the feedback. Dr. Lee and our team would like to talk; please call (512) 555-0100.",
        "Thank you for the feedback. Please call our office at 512-555-0177 so we can talk.",  # an office line by context
    ):
        assert check(reply, NEGATIVE, SETTINGS).allowed, check(reply, NEGATIVE, SETTINGS).violations


@pytest.mark.parametrize("safe", [
    "Thank you for your kind words! We're glad to hear it.",
    "We're sorry you were disappointed, and we appreciate your feedback; please call our office manager.",
    "Thank you for sharing your concerns. We care about all of our patients; please contact our office manager.",
    "We appreciate your patience and your comments. Please call us at (512) 555-0100 to talk.",
    "Thank you for what you've described here. Out of respect for everyone's privacy we don't discuss details here; please call us.",
])
def test_generic_wordings_are_allowed(safe):
    assert check(safe, NEGATIVE, SETTINGS).allowed, check(safe, NEGATIVE, SETTINGS).violations


def test_sentences_are_counted_despite_abbreviations():
    text = "Dr. Lee and St. Mary's staff open at 8 a.m. on weekdays. Thank you! Please call us at 3.5 past noon. Bye."
    assert len(sentences(text)) == 4


def test_no_offline_invite_is_only_for_negative_and_mixed_reviews():
    positive = {**NEGATIVE, "rating": 5}
    assert "no_offline_invite" not in rules("Thank you for the kind words!", positive)
    assert "no_offline_invite" in rules("Thank you for the kind words!", {**NEGATIVE, "rating": 3})


# Wordings from a second reviewer of the checker, who never saw its rules.
@pytest.mark.parametrize("reply, reviewer", [
    ("Thank you for your wonderful review; we're so glad to read it!", "Ann Lee"),
    ("Thank you for your lovely comments and your five-star review!", "Ann Lee"),
    ("Thank you for your recommendation! We appreciate it.", "Ann Lee"),
    ("Your privacy matters to us, so we don't discuss details here; please call our office manager.", "Ann Lee"),
    ("Thank you for trusting us with your feedback; please call our office manager.", "Ann Lee"),
    ("We're sorry you had to write this, and we'd like to talk; please call our office manager.", "Ann Lee"),
    ("We're sorry you were made to feel unwelcome; please call our office manager so we can talk.", "Ann Lee"),
    ("This does not reflect the level of service we strive for; please call our office manager.", "Ann Lee"),
    ("Nobody should ever feel rushed or ignored. Please call our office manager so we can talk.", "Ann Lee"),
    ("We never like to hear this. Please call our office manager so we can talk.", "Ann Lee"),
    ("Thank you for the feedback. Please call us at your convenience, Monday through Friday, 8 a.m. to 5 p.m.", "Ann Lee"),
    ("Thank you for the feedback. Will you please call our office manager so we can talk?", "Will Turner"),
    ("Thank you for the feedback. Hope to hear from you soon; please call our office manager.", "Hope M."),
])
def test_safe_wordings_from_an_independent_reviewer_are_allowed_by_the_rules(reply, reviewer):
    result = check(reply, {**NEGATIVE, "reviewer_name": reviewer}, SETTINGS, sentence_model=None)
    assert result.allowed, [(v.rule, reply[v.start:v.end]) for v in result.violations]


def test_the_sentence_model_costs_at_most_three_of_the_independent_safe_wordings():
    """The learned default-deny layer blocks sentences it cannot tell from talk about the reader; on these
    13 safe wordings it blocked 3 when it was switched on ("Nobody should ever feel rushed or ignored.",
    "Please call us at your convenience, Monday through Friday, ...", "Hope to hear from you soon; ...")."""
    wordings = test_safe_wordings_from_an_independent_reviewer_are_allowed_by_the_rules.pytestmark[0].args[1]
    blocked = [reply for reply, reviewer in wordings if not check(reply, {**NEGATIVE, "reviewer_name": reviewer}, SETTINGS).allowed]
    assert len(blocked) <= 3, blocked


@pytest.mark.parametrize("reply", [
    "Thank you for being a patient with us!",
    "Thank you for coming to see us!",
    "It was a pleasure having you in our office.",
    "We miss seeing you!",
    "Since you've been with us for years, we understand.",
    "You're part of our practice family!",
    "The team remembers you well.",
    "We have reached out to you privately by phone.",
    "We hope you are feeling better now!",
    "Wishing you a speedy recovery!",
    "Get well soon!",
    "We hope you'll leave a better rating afterwards.",
    "Please reconsider your 1-star.",
    "We'd appreciate an updated review afterwards.",
    "Feel free to edit what you wrote once we talk.",
    "A duplicate charge will be reversed.",
    "The double billing was a system error.",
    "Both charges were legitimate.",
    "Our hygienist was following standard protocol.",
    "It's unusual for us to run late.",
])
def test_unsafe_wordings_from_an_independent_reviewer_are_blocked(reply):
    assert not check(reply, NEGATIVE, SETTINGS).allowed


def test_the_reviewers_name_counts_even_when_a_staff_member_shares_it():
    settings = {**SETTINGS, "staff_names": ["Karen"]}
    result = check("Thank you, Karen! Please call our office manager.", {**NEGATIVE, "reviewer_name": "Karen W."}, settings)
    assert not result.allowed


def test_the_tone_check_skips_vader_only_where_it_could_not_read_anything_negative():
    from server.replies.policy import _may_read_negative, sentiment
    from server.replies.training import replies

    texts = [item["reply"] for item in replies(("w1", "w2", "w21"))] + ["This is not great.", "We never said that!", "Bad call 😡"]
    skipped = [text for text in texts if not _may_read_negative(text)]
    assert len(skipped) > len(texts) / 4  # the point: most calls are spared
    assert [text for text in skipped if sentiment(text) < 0] == []
    assert all(_may_read_negative(text) for text in texts[-3:])


@pytest.mark.parametrize("reply", [
    "Please contact our director of operations at (713) 555-0166 so we can address this with you directly.",
    "We're sorry for the trouble. — Desmond Hale, Operations Manager",
    "Please reach us at 555-0192 or shots@meadowbrookallergy.example.",
    "Please call us at (512) 555-0100 and a manager will respond today.",
    "Our after-hours line should always reach a person, and we're reviewing it today.",
    "Wait times are something we're actively working on, and we'd welcome your thoughts at (919) 555-0172.",
])
def test_the_practices_own_roles_mailboxes_lines_and_steps_are_no_ones_care(reply):
    result = check(reply, NEGATIVE, {"practice_name": "Maple Family Dental"}, sentence_model=None)
    assert result.allowed, result.violations


@pytest.mark.parametrize("reply, rule", [
    ("We will see you today at 3.", "phi_visit_detail"),
    ("We are sorry about today.", "phi_visit_detail"),
    ("We're looking into what happened today.", "phi_visit_detail"),
    ("We will follow up with you today about your results.", "phi_visit_detail"),
    ("We'd welcome your thoughts at 555-0166, the number you left with us.", "contact_info_of_patient"),
])
def test_the_same_words_about_the_reader_are_still_blocked(reply, rule):
    review = {**NEGATIVE, "text": "Waited forever. Call me at 555-0166."}
    result = check(reply, review, {"practice_name": "Maple Family Dental"}, sentence_model=None)
    assert not result.allowed and rule in {v.rule for v in result.violations}, result.violations


def test_a_handle_gives_the_reviewers_name_words():
    review = {**NEGATIVE, "reviewer_name": "GwenO_62"}
    result = check("Thank you, Gwen Ostrander, for the kind words.", review, {"practice_name": "Maple Family Dental"}, sentence_model=None)
    assert "names_reviewer" in {v.rule for v in result.violations}


def test_recovery_in_spanish_is_someones_care():
    result = check("Gracias por confiar en nosotros durante su recuperación.", NEGATIVE, SETTINGS, sentence_model=None)
    assert not result.allowed
