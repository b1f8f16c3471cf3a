"""Triage decides the kind of answer; suggestions are W4-shaped, varied, and always pass the checker."""

from __future__ import annotations

import random

import pytest

from server.replies.policy import PracticeSettings, ReviewContext, check
from server.replies.suggest import suggestions
from server.replies.triage import DO_NOT_REPLY, ESCALATE, REPLY, review_sentiment, triage

pytestmark = pytest.mark.usefixtures("reply_checker", "profanity_model")

SETTINGS = PracticeSettings(practice_name="Maple Family Dental", office_phones=("(512) 555-0100",),
                            office_emails=("frontdesk@maplefamilydental.example",), staff_names=("Dr. Lee",))


def review(text: str, rating: int | None = 1, platform: str = "google", name: str = "Dana Whitfield") -> ReviewContext:
    return ReviewContext(text=text, reviewer_name=name, platform=platform, rating=rating)


@pytest.mark.parametrize("text, notify", [
    ("My lawyer will be in touch about this.", "owner or manager"),
    ("I am reporting this office to the dental board.", "owner or manager"),
    ("They told my employer about my diagnosis. HIPAA violation!", "privacy officer"),
    ("I ended up in the emergency room after the extraction.", "clinician"),
    ("Honestly I don't want to live anymore after this.", "clinician"),
    ("I'll come back and burn the place down.", "practice manager"),
])
def test_legal_threats_breaches_emergencies_and_threats_are_escalated(text, notify):
    decision = triage(review(text))
    assert decision.action == ESCALATE and notify in decision.notify


@pytest.mark.parametrize("text, platform", [
    ("You are all fucking idiots and losers, rot in hell", "google"),
    ("Check out my crypto signals at www.example.com, promo code WIN", "yelp"),
    ("go back to your country", "facebook"),
])
def test_trolls_spam_and_hate_are_not_answered_but_reported(text, platform):
    decision = triage(review(text, platform=platform))
    assert decision.action == DO_NOT_REPLY
    assert "Report" in decision.report_path or "report" in decision.report_path


@pytest.mark.parametrize("text", ["Sue at the front desk is the best!", "The staff is the bomb.", "Easy parking on Court Street.",
                                  "My gums were leaking blood after brushing, they fixed it."])
def test_ordinary_words_do_not_escalate(text):
    assert triage(review(text, 5)).action == REPLY


def test_a_frustrated_patient_who_swears_still_gets_a_reply():
    decision = triage(review("Waited two fucking hours and the front desk was rude as hell."))
    assert decision.action == REPLY and decision.sentiment == "negative"


@pytest.mark.parametrize("rating, text, expected", [
    (5, "Lovely team!", "positive"), (3, "Fine but parking is awful.", "mixed"), (1, "Terrible.", "negative"),
    (4, "", "rating_only"), (None, "Absolutely wonderful, kind staff.", "positive"), (None, "Awful, rude, never again.", "negative"),
])
def test_sentiment(rating, text, expected):
    assert review_sentiment(review(text, rating)) == expected


WORDS = ("root canal", "crown", "Lipitor", "anxiety", "my insurance", "Dr. Lee", "waited 40 minutes", "my daughter Emma",
         "the billing office", "x-rays", "my appointment on March 3", "Invisalign", "a cleaning")


@pytest.mark.parametrize("seed", range(40))
def test_every_suggestion_passes_the_checker_for_many_reviews(seed):
    rng = random.Random(seed)
    rating = rng.choice([1, 2, 3, 4, 5])
    text = " ".join(f"The {rng.choice(WORDS)} was {rng.choice(['awful', 'fine', 'great', 'slow'])}." for _ in range(rng.randint(1, 4)))
    name = rng.choice(["Robert Smith", "Bob S.", "SmileyGal22", "María José García", "J. Park", "xXdarkXx"])
    context = review(text, rating, rng.choice(["google", "yelp", "facebook"]), name)
    kind = review_sentiment(context)
    settings = rng.choice([SETTINGS, PracticeSettings(), PracticeSettings(office_emails=("hi@example.com",))])
    made = suggestions(context, kind, settings, [], seed=str(seed))
    assert len(made) >= 3
    assert len({s.text for s in made}) == len(made)
    for suggestion in made:
        result = check(suggestion.text, context, settings)
        assert result.allowed, (suggestion.text, result.violations)
        assert not [v for v in result.violations if v.rule in ("no_offline_invite", "no_acknowledgment", "too_long")]
        for sensitive in ("root canal", "crown", "lipitor", "anxiety", "insurance", "lee", "emma", "x-rays", "march",
                          "invisalign", "cleaning", "minutes", "smith", "bob", "park", "maría"):
            if sensitive in text.lower() or sensitive in name.lower():
                assert sensitive not in suggestion.text.lower(), f"{sensitive!r} from the review is in {suggestion.text!r}"


def test_suggestions_carry_the_practice_contact_line_and_role():
    settings = PracticeSettings(office_phones=("(512) 555-0100",), contact_role="our practice manager")
    made = suggestions(review("Rude staff."), "negative", settings, [])
    assert all("(512) 555-0100" in s.text and "our practice manager" in s.text for s in made)


def test_wordings_rotate_away_from_recent_replies():
    first = suggestions(review("Rude staff."), "negative", SETTINGS, [], seed="1")
    later = suggestions(review("Rude staff."), "negative", SETTINGS, [first[0].text, first[1].text], seed="1")
    assert later[0].text not in (first[0].text, first[1].text)


def test_positive_reviews_get_a_short_generic_thank_you():
    made = suggestions(review("Dr. Lee did my crown, amazing!", 5), "positive", SETTINGS, [])
    assert made and all(len(s.text) < 120 and "crown" not in s.text and "Lee" not in s.text for s in made)


@pytest.mark.parametrize("sentences", [1, 2, 3])
def test_suggestions_respect_the_practices_maximum_sentences(sentences):
    settings = PracticeSettings(practice_name="Maple Family Dental", office_phones=("(512) 555-0100",), max_sentences=sentences)
    made = suggestions(review("Rude staff."), "negative", settings, [])
    assert len(made) >= 3
    for suggestion in made:
        assert not [v for v in suggestion.violations if v.rule == "too_long"], suggestion.text


def test_the_practice_name_can_appear_in_suggestions():
    settings = PracticeSettings(practice_name="Maple Family Dental", office_phones=("(512) 555-0100",))
    texts = [s.text for s in suggestions(review("Rude staff."), "negative", settings, [], count=50)]
    assert any("Maple Family Dental" in text for text in texts)


@pytest.mark.parametrize("text", ["The front desk was rude.", "The root canal hurt and the front desk was rude.", "Rude staff, long wait.",
                                  "Waited two hours.", "Billing is a mess.", "Terrible service", "Worst dentist ever", "Never again.",
                                  "Horrible"])
def test_a_short_one_star_complaint_gets_a_reply(text):
    assert triage(review(text, 1)).action == REPLY


@pytest.mark.parametrize("text", ["qwerty uiop zzzz lol", "........", "Recall the mayor. Vote Tuesday!", "代购名牌包，低价，加微信 bag8899"])
def test_a_short_post_that_shows_on_its_face_it_needs_no_reply_gets_none(text):
    decided = triage(review(text, 1))
    assert decided.action == DO_NOT_REPLY and decided.category in ("gibberish", "political", "spam")


def test_html_pasted_into_a_short_complaint_is_not_read_as_words():
    from server.replies.triage import word_count

    text = '<img src=x onerror="alert(1)">Terrible <b>service</b> & "rude" staff <script>steal()</script>'
    assert word_count(text) == 5
    assert triage(review(text, 1)).action == REPLY
