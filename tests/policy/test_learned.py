"""Triage's categories and evidence, and the learned second opinion: its stored model, how it is
trained, and how it may only ever raise a decision (server.replies.learned, server.replies.training)."""

from __future__ import annotations

import time

import pytest

from server.replies.learned import CATEGORIES, TRIAGE_MODEL, TriageModel, char_grams, word_grams
from server.replies.policy import review_context
from server.replies.training import fit_triage, reviews, store
from server.replies.triage import ESCALATE, REPLY, decide, rules_triage, triage


def review(text: str, rating: int = 2, platform: str = "google"):
    return review_context({"text": text, "rating": rating, "platform": platform})


@pytest.mark.parametrize("text, category, evidence", [
    ("Honestly I don't want to live anymore after what happened here.", "self_harm", "don't want to live"),
    ("They told my employer about my results without asking me.", "privacy_breach", "told my employer"),
    ("I am reporting this office to the dental board tomorrow.", "regulator", "reporting this office to"),
    ("My attorney will be in touch.", "legal", "attorney"),
    ("My son was still bleeding at midnight and nobody answered.", "emergency", "still bleeding"),
])
def test_the_rules_name_the_category_and_the_words_it_comes_from(text, category, evidence):
    decision = triage(review(text))
    assert (decision.action, decision.category, decision.decided_by) == (ESCALATE, category, "rules")
    assert [(found.text, text[found.start:found.end]) for found in decision.evidence] == [(evidence, evidence)]
    assert decision.as_json()["evidence"] == [{"start": text.index(evidence), "end": text.index(evidence) + len(evidence), "text": evidence}]


def test_a_genuine_review_is_genuine_with_no_evidence():
    decision = triage(review("The wait was long but the hygienist was kind.", rating=3))
    assert (decision.action, decision.category, decision.evidence) == (REPLY, "genuine", ())


def test_the_shipped_model_loads_quickly_and_gives_every_category_a_probability():
    started = time.perf_counter()
    model = TriageModel(TRIAGE_MODEL)
    assert time.perf_counter() - started < 1.0
    opinion = model.opinion("The front desk gave my records to my ex-husband when he called.")
    assert set(opinion.probabilities) == set(CATEGORIES)
    assert sum(opinion.probabilities.values()) == pytest.approx(1.0)
    assert model.opinion("").probabilities.keys() == opinion.probabilities.keys()


class _Alarmed:
    """A model that finds everything alarming, to show what the rules decided is never lowered."""

    escalate_threshold = do_not_reply_threshold = 0.0

    def __init__(self, real: TriageModel):
        self.real = real

    def opinion(self, text):
        return self.real.opinion(text)

    def opinions(self, texts):
        return self.real.opinions(texts)


def test_the_model_raises_a_review_with_the_sentence_it_comes_from_and_never_lowers_the_rules():
    model = _Alarmed(TriageModel(TRIAGE_MODEL))
    text = "Parking was easy. The doctor pulled the tube out of the wrong ear and brushed it off. Staff were polite."
    raised = decide(review(text), model)
    assert raised.action == ESCALATE and raised.decided_by == "model" and raised.notify
    (evidence,) = raised.evidence
    assert text[evidence.start:evidence.end] == evidence.text and evidence.text in text
    threat = "My attorney will be in touch."
    assert decide(review(threat), model) == rules_triage(review(threat))


class _ReadsWords:
    """A model to which any sentence with one of these words reads as an escalation, and nothing else does."""

    escalate_threshold, do_not_reply_threshold = 0.5, 0.9

    def __init__(self, *words: str):
        self.words = words

    def opinion(self, text):
        from server.replies.learned import Opinion

        alarming = 0.9 if any(word in text.lower() for word in self.words) else 0.01
        probabilities = dict.fromkeys(CATEGORIES, 0.0)
        probabilities.update(legal=alarming, genuine=1 - alarming)
        return Opinion(probabilities)

    def opinions(self, texts):
        return [self.opinion(text) for text in texts]


def test_the_model_does_not_escalate_on_words_the_rules_read_as_harmless_but_does_on_the_rest():
    model = _ReadsWords("lawyer", "drill")
    recommended = "My cousin, a retired lawyer, sent me here. The hygienist was gentle."
    assert rules_triage(review(recommended, 5)).action == REPLY
    assert decide(review(recommended, 5), model).action == REPLY
    harmed = "My cousin, a retired lawyer, sent me here. They left a piece of the drill in my jaw."
    assert decide(review(harmed, 1), model).action == ESCALATE


def test_n_grams_are_lower_case_words_pairs_and_padded_characters():
    assert word_grams("Wrong EAR, again") == ["wrong", "ear", "again", "wrong ear", "ear again"]
    assert char_grams("Ear") == [" e", "ea", "ar", "r ", " ea", "ear", "ar ", " ear", "ear ", " ear "]


def test_training_stores_a_model_that_reads_back_the_same(tmp_path):
    sample = [item for item in reviews(("w1",))][:120]
    fitted = fit_triage(sample)
    path = tmp_path / "triage.npz"
    store(fitted, path, {"escalate_threshold": 0.4, "do_not_reply_threshold": 0.6, "writers": ["w1"]})
    model = TriageModel(path)
    assert (model.escalate_threshold, model.do_not_reply_threshold) == (0.4, 0.6)
    assert model.classes == [category for category in CATEGORIES if category in model.classes]
    escalation = next(item for item in sample if item["action"] == "escalate")
    assert model.opinion(escalation["text"]).escalate > model.opinion("Lovely staff, easy parking.").escalate


def test_the_checker_blocks_a_sentence_about_the_reader_that_no_rule_has_a_word_for():
    from server.replies.policy import check

    review_text = {"text": "Dr. Ames delivered our daughter last month, the whole team was wonderful.", "rating": 5, "platform": "google"}
    reply = "Thank you so much for the kind words! Congratulations on the new little one!"
    assert check(reply, review_text, {}, sentence_model=None).allowed  # no rule has a word for it
    result = check(reply, review_text, {})
    (finding,) = [v for v in result.violations if v.severity == "block"]
    assert not result.allowed and finding.rule == "confirms_patient"
    assert reply[finding.start:finding.end].strip() == "Congratulations on the new little one!"
    assert "Congratulations on the new little one!" in finding.message and "invites them to contact the office" in finding.message
    assert check("Thank you so much for the kind words! Our whole team appreciates it.", review_text, {}).allowed


def test_the_shipped_sentence_model_loads_quickly():
    from server.replies.learned import REPLY_MODEL, ReplySentenceModel

    started = time.perf_counter()
    model = ReplySentenceModel(REPLY_MODEL)
    assert time.perf_counter() - started < 1.0
    assert 0.3 <= model.threshold < 1 and model.classes == ["safe", "about_reader"]


@pytest.mark.parametrize("text, category", [
    ("Voy a demandarlos, ya hablé con mi abogado.", "legal"),
    ("Mi hijo no podía respirar y nadie contestó el teléfono.", "emergency"),
    ("Ya no quiero seguir viviendo después de esto.", "self_harm"),
    ("Tôi sẽ thuê luật sư và khởi kiện phòng khám này.", "legal"),
    ("我已经找了律师，准备起诉你们。", "legal"),
    ("孩子脸肿了还发高烧，我们只好去急诊。", "emergency"),
    ("Ayoko nang mabuhay pagkatapos nito.", "self_harm"),
    ("Kakasuhan ko kayo, may abogado na ako.", "legal"),
])
def test_an_escalation_in_another_language_is_not_hidden(text, category):
    decision = triage(review(text))
    assert (decision.action, decision.category) == (ESCALATE, category)
    assert all(text[found.start:found.end] == found.text for found in decision.evidence)


@pytest.mark.parametrize("text", [
    "Excelente atención, muy amables y puntuales.",
    "Bác sĩ rất tận tình, nhân viên thân thiện.",
    "医生很耐心，护士也很细心，强烈推荐！",
    "Napakabait ng mga staff at malinis ang clinic.",
])
def test_an_ordinary_review_in_another_language_is_answered(text):
    assert triage(review(text, rating=5)).action == REPLY


@pytest.mark.parametrize("text", [
    "My lawyer buddy Dave referred me, he's been going here 10 yrs. Good call Dave.",
    "My brother-in-law is a malpractice attorney and he's the one who told me to come here.",
    "Mi cuñado es abogado y él me recomendó este consultorio.",
    "I'm not going to sue anybody lol but I AM going to complain about the wait.",
    "Went to the ER twice last spring for a tooth and all they did was hand me pills. This office fixed it.",
    "Honestly faster to just go to the ER than to get through on the phone here.",
    "I nearly died of boredom in that waiting room.",
    "My boss is gonna kill me, I missed half a shift because the lab line was backed up.",
    "Doc said 'this is gonna hurt' and he was not lying, but he was fast.",
    "A cousin of mine who's a defense attorney says this is the only dentist she trusts. Agreed.",
    "We first came here after an ER night two winters ago. Calm, kind people.",
    "I almost died when I saw the parking fee, but the nurses were lovely and my knee is fine.",
    "They helped us set up a power of attorney and a caregiver plan. So organized.",
    "Two years ago I had a bad fall in the parking lot. Before my wife could dial, a nurse ran out to call 911. Kindest people.",
    "We haven't been back to the ER since Dr. Ames changed the plan for our son's asthma.",
    "Ended up in the ER back in 2019 before I found this clinic. The portal is clunky though.",
    "As a lawyer I read every form I sign, and theirs were the clearest I've seen.",
    "Abogado ang kapatid ko at siya ang nagrekomenda sa clinic na ito.",
    "Mi abogado es mi compadre y me dijo que mejor me cambie de doctor.",
    "I'm going to kill whoever designed that phone tree.",
    "Gonna kill my sister for not telling me about this clinic sooner.",
    "I almost died when they told me the price, but they worked out a payment plan.",
    "Mi esposo casi se muere buscando estacionamiento jaja.",
    "Grabe, muntik na akong mamatay sa tagal ng paghihintay!",
    "Reporting this office to every mom in my group chat: rescheduled three times.",
    "They respected my privacy and kept everything confidential.",
    "环境安静，隐私也做得很好。",
    "I won't be around for the holidays, so they moved my cleaning to January. Easy.",
    "I don't want to go on the waitlist again, so I booked my next visit on the spot.",
    "I can't swallow big pills and the pharmacist found a liquid version. So thoughtful.",
    "We bought a gun safe for the house after the pediatrician's safety talk. Good advice.",
    "I will kill for this kind of convenience honestly. Tech was friendly.",
    "My husband's a personal injury lawyer and even he says these are the guys you want for a shoulder.",
    "The dental clinic in the hospital did good work on my dentures.",
    "Me voy a morir de aburrimiento en esa sala de espera, tres horas!!",
    "I'm going to sue myself for ever thinking a $400 consult fee was reasonable.",
    "I should sue you for the three hours of my life I lost in that waiting room. Joking. Mostly.",
    "I was this close to filing in small claims, then the billing manager reversed the charge.",
    "My mother's elder law attorney told us to find a geriatrician who returns calls. This one does.",
    "My state dental board exam is next month and shadowing here was a masterclass.",
    "Lawsuit-worthy levels of incompetence at the billing office, but the doctor is great.",
])
def test_escalation_words_used_harmlessly_get_a_reply(text):
    assert rules_triage(review(text, rating=4)).action == REPLY


@pytest.mark.parametrize("text, category", [
    ("I have already spoken to an attorney about the way my father was treated here.", "legal"),
    ("My brother is a lawyer and he says we have a case.", "legal"),
    ("The guy in the waiting room was yelling that he had a knife and would use it on the tech.", "violence"),
    ("Next time I am coming back with a gun.", "violence"),
    ("My son can't breathe and nobody answers the phone, we're going to the ER now.", "emergency"),
    ("We started here two years ago. Last night my son couldn't swallow and we ended up in the ER.", "emergency"),
    ("My lawyer is my cousin and we are suing this office.", "legal"),
    ("Reporting this office to the medical board and to all my friends.", "regulator"),
    ("I am reporting this office to my state's licensing authority.", "regulator"),
    ("They did not keep my results confidential: my boss knew before I did.", "privacy_breach"),
    # warning signs told without the words
    ("Won't need to reschedule. I won't be around for it.", "self_harm"),
    ("Honestly I've thought about just not waking up.", "self_harm"),
    ("My kids would be better off without me anyway.", "self_harm"),
    ("Ya me despedí de mi familia. Gracias por nada.", "self_harm"),
    ("Dr. Reyes, you should sleep with one eye open. You know what you did.", "violence"),
    ("I know where the staff park. Remember that.", "violence"),
    ("Bought a gun today. No reason. Have a great week.", "violence"),
    ("Took the first shot and within minutes my tongue feels thick and my whole body broke out in hives.", "emergency"),
    ("我妈妈今天早上开始说话不清楚，嘴也有点歪。", "emergency"),
    ("I called my insurance's grievance line about the 3rd lost authorization.", "regulator"),
    ("The consumer affairs people are going to love my recording.", "regulator"),
    ("Found my scan printouts in the public recycling bin out back.", "privacy_breach"),
    ("Staff were talking in the hallway about a patient by first and last name.", "privacy_breach"),
    ("I was in the hospital for a week after they nicked an artery.", "clinical_harm"),
    ("My husband's a lawyer and we are suing.", "legal"),
    ("They pulled the wrong tooth and nobody will call me back.", "clinical_harm"),
    ("Two days later I needed emergency surgery to undo what they did.", "clinical_harm"),
    ("I'll sue you for this. My lawyer has the file.", "legal"),
    # a harmless phrase beside the real thing in one sentence does not hide it
    ("I'd kill whoever designed the phone tree, and I'm going to come back with a gun for the doctor.", "violence"),
    ("They said they keep everything confidential, then shared my diagnosis with my boss.", "privacy_breach"),
    ("The doctor is board certified, but I'm reporting this office to the medical board.", "regulator"),
])
def test_the_same_words_in_earnest_still_escalate(text, category):
    decision = rules_triage(review(text))
    assert (decision.action, decision.category) == (ESCALATE, category)


def test_the_model_reads_the_stars_with_the_words():
    from server.replies.learned import review_text

    assert review_text("Great!", 5).startswith("zzrating5 ") and review_text("Great!", None, True).startswith("zzrecommends ")
    assert review_text("Great!").startswith("zznorating ")


def test_the_escalate_threshold_is_set_by_the_hardest_held_out_escalation_after_the_few_left_to_staff():
    from server.replies.learned import Opinion
    from server.replies.training import MOST_MISSED, triage_thresholds

    def opinion(escalate: float, do_not_reply: float = 0.0) -> Opinion:
        probabilities = dict.fromkeys(CATEGORIES, 0.0)
        probabilities.update(clinical_harm=escalate, spam=do_not_reply, genuine=1 - escalate - do_not_reply)
        return Opinion(probabilities)

    items = [{"action": "escalate"}] * 3 + [{"action": "reply"}] * 3
    scores = [opinion(0.1), opinion(0.5), opinion(0.6), opinion(0.3), opinion(0.45), opinion(0.05, 0.6)]
    assert triage_thresholds(items, scores, ["reply"] * 6)[0] == pytest.approx(0.095)  # none of 3 may be missed
    assert MOST_MISSED <= 0.001
    escalate, do_not_reply, summary = triage_thresholds(items, scores, ["reply"] * 6, most_missed=1 / 3)
    assert escalate == pytest.approx(0.475)  # one in three may be left to staff: the 0.1 escalation is
    assert "misses 1 of 3" in summary and "escalates 0 of 3 genuine" in summary
    assert do_not_reply == pytest.approx(0.61)  # just above the most do-not-reply-looking genuine review
    assert "leaves 0 of them unanswered" in summary


def test_a_blocked_sentence_is_told_what_it_breaks_by_implication_and_nothing_else_is_blocked_for_it():
    from server.replies.policy import check

    review_text = {"text": "Great visit, thanks!", "rating": 5, "platform": "google"}
    reply = "Thank you! We hope the new birth control is working well for you."
    result = check(reply, review_text, {})
    named = {v.rule for v in result.violations if v.severity == "block"}
    assert not result.allowed and {"confirms_patient", "phi_medication"} <= named
    assert all(v.learned for v in result.violations if v.severity == "block")  # no rule: staff may override them together
    assert "medication" in next(v.message for v in result.violations if v.rule == "phi_medication")
    safe = "Thank you for the kind words! Our whole team appreciates it."
    assert check(safe, review_text, {}).violations == check(safe, review_text, {}, rule_model=None).violations
    without_names = check(reply, review_text, {}, rule_model=None)
    assert without_names.allowed == result.allowed and {v.rule for v in without_names.violations} == {"confirms_patient"}


class _Sure:
    """A model with one fixed opinion of every text."""

    escalate_threshold, do_not_reply_threshold = 0.2, 0.5

    def __init__(self, **probabilities: float):
        from server.replies.learned import Opinion

        filled = dict.fromkeys(CATEGORIES, 0.0)
        filled.update(probabilities, genuine=1 - sum(probabilities.values()))
        self.fixed = Opinion(filled)

    def opinion(self, text):
        return self.fixed

    def opinions(self, texts):
        return [self.fixed for _ in texts]


def test_a_post_the_model_is_sure_is_spam_is_not_raised_on_a_weak_escalation_score_but_a_veiled_threat_is():
    text = "Best deals on car insurance this week only, ask for Rick at the lot on Main."
    assert decide(review(text, 1), _Sure(spam=0.7, legal=0.25)).action == "do_not_reply"
    threat = "Tell the doctor to keep his porch light on. He knows why."
    assert decide(review(threat, 1), _Sure(harassment=0.7, violence=0.25)).action == ESCALATE
    assert decide(review(text, 1), _Sure(spam=0.5, legal=0.45)).action == ESCALATE  # not sure enough: recall first
