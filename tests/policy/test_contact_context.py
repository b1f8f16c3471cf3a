"""Whose phone or e-mail a reply gives, when the practice has not entered its own in the settings (a fresh
install): the context shows the office's; one that is in the review is the reviewer's, whatever the words."""

from __future__ import annotations

import pytest

from server.replies.policy import check

NO_SETTINGS: dict = {}
REVIEW = {"text": "Nobody returned my calls about the bill.", "rating": 2, "platform": "google", "reviewer_name": "Lena Ortiz"}


def contact_findings(reply: str, review: dict = REVIEW, settings: dict = NO_SETTINGS):
    return [v for v in check(reply, review, settings).violations if v.rule == "contact_info_of_patient"]


@pytest.mark.parametrize("reply", [
    "Thank you for the feedback. Please call our office at (512) 555-0100.",
    "Thank you! Questions are always welcome at (432) 555-0135.",
    "We're always happy to answer questions at (432) 555-0135.",
    "Thanks for the kind words! — Willow Fork Dentistry, (281) 555-0142",
    "Thank you for the kind words! — Lakeview Oral Surgery | (903) 555-0197 | lakevieworalsurgery.example.com",
    "For anything else, please call Buckeye Endocrine Associates at 419-555-0163.",
    "Please contact our billing team at billing@gulfbendortho.example.com or (727) 555-0119.",
    "Thank you. You can write to hello@lantanaridge.example.com any time.",
    "Gracias por su opinión. Si gusta, puede llamarnos al (432) 555-0135.",
    "Lamentamos la confusión. Le invitamos a comunicarse con nuestra oficina al 937-555-0120.",
    "We'd welcome a direct conversation; please call (207) 555-0131 and ask for our practice director.",
    "We would welcome a private conversation at (971) 555-0148.",
    "We're always open to suggestions at 555-0129.",
    "We've added a dedicated line for tour requests: 555-0165.",
    "Le invitamos a comunicarse con nuestra coordinadora financiera al (317) 555-0161.",
    "Xin vui lòng liên hệ văn phòng theo số (408) 555-0153 để chúng tôi được lắng nghe thêm.",
    # where the reader reaches the office: "hear from you at", "talk with you at", "your call at"
    "Our practice manager would be glad to hear from you at (614) 555-0180.",
    "Our care coordinator would be happy to talk with you at 555-0147.",
    "Our patient advocate would welcome your call at (330) 555-0112.",
])
def test_the_office_line_is_recognised_by_its_context_with_empty_settings(reply):
    assert contact_findings(reply) == []


def test_an_address_at_the_practices_own_domain_is_the_office_s():
    settings = {"practice_name": "Riverbend Women's Health"}
    assert contact_findings("Thank you! Any questions: kim@riverbendwomens.example.com.", settings=settings) == []
    # a domain made of one of the practice's own words (not a generic one like "dental" or "gmail")
    birth = {"practice_name": "Morning Star Midwifery & Birth Center"}
    assert contact_findings("Si desea hablar con nosotros, puede escribir a cuentas@morningstarbirth.example.", settings=birth) == []
    assert contact_findings("Thank you. We sent it to morning.walker@gmail.com.", settings=birth) != []


@pytest.mark.parametrize("reply, found", [
    ("Thank you. We'll call you at 512-555-0199 tomorrow.", "512-555-0199"),
    ("Thank you. We sent the form to jess.smith@example.com.", "jess.smith@example.com"),
    ("Understood. We've texted 555-0143 with a direct line to our director.", "555-0143"),
    ("Lamentamos mucho la situación. Le llamaremos hoy mismo al 555-0135.", "555-0135"),
    ("So sorry! We have you down as 513-555-0102, is that still the best way to reach you?", "513-555-0102"),
    ("Thank you. Our manager will reach you at 330-555-0166 this week.", "330-555-0166"),
])
def test_a_line_that_reads_as_the_readers_is_blocked_and_the_message_says_how_to_add_the_offices(reply, found):
    (finding,) = contact_findings(reply)
    assert reply[finding.start:finding.end] == found and finding.severity == "block"
    assert "Settings" in finding.message


def test_a_line_the_words_do_not_place_is_taken_as_the_offices_with_a_reminder_to_add_it_in_settings():
    for reply, line in (("Thank you. Please call Maria at 512-555-0177 about it.", "512-555-0177"),
                        ("If you'd like to talk it through, give us a ring at 555-0176.", "555-0176"),
                        ("Thank you! Redwood Hematology Group, (919) 555-0145", "(919) 555-0145")):
        result = check(reply, REVIEW, NO_SETTINGS)
        (reminder,) = [v for v in result.violations if v.rule == "unknown_office_line"]
        assert result.allowed and reminder.severity == "warn" and reply[reminder.start:reminder.end] == line
        assert "Settings" in reminder.message
    settings = {"office_phones": ["555-0176"]}
    assert [v.rule for v in check("Give us a ring at 555-0176.", REVIEW, settings).violations if v.rule == "unknown_office_line"] == []


def test_a_number_from_the_review_is_the_reviewers_whatever_the_words_around_it():
    review = {**REVIEW, "text": "Call me back at 432-555-0188, I have asked three times."}
    (finding,) = contact_findings("Thank you. Please call us back at (432) 555-0188.", review=review)
    assert "in the review" in finding.message
    assert contact_findings("Thank you. Please call our office at (432) 555-0135.", review=review) == []


@pytest.mark.parametrize("reply, settings", [
    ("Thank you for the kind words! — Sabine Crossing Orthodontics", NO_SETTINGS),
    ("Thank you for the kind words! — Becca Lyle, Sabine Crossing Orthodontics", NO_SETTINGS),
    ("Thank you for the kind words! — Lakeview Oral Surgery | (903) 555-0197 | lakevieworalsurgery.example.com", NO_SETTINGS),
    ("Thank you for this thoughtful review. With gratitude, Palmetto Aesthetic Surgery", NO_SETTINGS),
    ("Thank you from all of us at Clearbreath Allergy & Asthma Center.", {"practice_name": "Clearbreath Allergy & Asthma Center"}),
    ("Compassion is at the heart of everything our team does. Thank you for your kind words.", NO_SETTINGS),
    ("Ha! Thank you for the smile and for the kind words.", NO_SETTINGS),
    ("Thank you so much for the five stars. Reviews like this make our whole team smile.", NO_SETTINGS),
    ("That note made our front desk smile. Thank you!", NO_SETTINGS),
    ("Thank you! Please call Lakeshore Sleep Medicine at (216) 555-0190 with anything else.", NO_SETTINGS),
    ("Thank you for the kind words. Warmly, Dr. Tamar Aspirin and the team", {"staff_names": ["Dr. Tamar Aspirin"]}),
    ("We're sorry for the stress this caused. Please call our office at (512) 555-0100.", NO_SETTINGS),
    ("Everyone deserves to hear back from us within a day. Please call our office at (512) 555-0100.", NO_SETTINGS),
    ("Infection control is a top priority for our whole team. Thank you for raising it.", NO_SETTINGS),
    ("Clear answers before every consultation matter to us. Please call our office at (512) 555-0100.", NO_SETTINGS),
])
def test_medical_words_in_the_practices_name_a_sign_off_or_an_idiom_are_no_ones_care(reply, settings):
    assert [v.rule for v in check(reply, REVIEW, settings).violations if v.rule.startswith("phi_")] == []


@pytest.mark.parametrize("reply", [
    "Thank you! We hope the implant feels great. — Sabine Crossing Orthodontics",
    "Thank you for the kind words! — the team who did your root canal",
    "Thank you. We hope your heart is doing better.",
    "Thank you! Our infusion team looks forward to seeing you every Tuesday.",
    "We're sorry the stress has kept you up at night. Please call us.",
    "Thank you. We hope your back is feeling stronger.",
])
def test_care_outside_the_sign_off_or_in_a_sign_off_that_is_not_a_name_is_still_blocked(reply):
    result = check(reply, REVIEW, NO_SETTINGS)
    assert not result.allowed and any(v.rule.startswith("phi_") or v.rule == "confirms_patient" for v in result.violations)


@pytest.mark.parametrize("reply, billing", [
    ("Clear pricing is something we owe every family. Please call our office at (512) 555-0100.", False),
    ("We owe you an apology, and we'd like to talk. Please call our office at (512) 555-0100.", False),
    ("Questions about charges are best answered privately: please call our office at (512) 555-0100.", False),
    ("We're working with the building on the parking fee. Thank you for raising it.", False),
    ("Thank you. The balance you owe is correct.", True),
    ("Thank you. The charges are correct and were explained at check-in.", True),
    ("We're sorry the insurance didn't pay. Please call us.", True),
])
def test_what_the_practice_owes_everyone_is_not_the_readers_bill(reply, billing):
    found = [v.rule for v in check(reply, REVIEW, NO_SETTINGS).violations if v.rule == "billing_detail"]
    assert bool(found) == billing


@pytest.mark.parametrize("reply, name, staff, found", [
    ("Thank you so much, Omar! We loved reading this.", "Omar H.", ["Dr. Omar Qureshi"], "Omar"),
    ("Priya, we're sorry for the wait. Please call our office at (512) 555-0100.", "Priyanka Natarajan", [], "Priya"),
    ("谢谢陈女士！我们很高兴。", "陈美玲", [], "陈女士"),
])
def test_the_reviewer_is_named_by_a_short_form_a_shared_name_or_a_family_name_and_honorific(reply, name, staff, found):
    result = check(reply, {**REVIEW, "reviewer_name": name}, {"staff_names": staff})
    assert found in [reply[v.start:v.end] for v in result.violations if v.rule == "names_reviewer"] and not result.allowed


def test_a_colleague_who_shares_the_reviewers_name_may_still_be_mentioned():
    reply = "Thank you! Omar and the whole team will be glad to read this."
    assert [v for v in check(reply, {**REVIEW, "reviewer_name": "Omar H."}, {"staff_names": ["Omar Qureshi"]}).violations
            if v.rule == "names_reviewer"] == []


@pytest.mark.parametrize("reply, found", [
    ("Gracias. Nos vemos el próximo martes.", "próximo martes"),
    ("Para su próxima cita tendremos una intérprete lista.", "próxima cita"),
    ("Salamat po! Kita-kits sa Huwebes.", "sa Huwebes"),
    ("Y tá sẽ đến vào thứ Hai.", "vào thứ Hai"),
    ("谢谢！下次复诊见。", "下次复诊"),
])
def test_a_visit_detail_in_another_language_is_a_visit_detail(reply, found):
    assert found in [reply[v.start:v.end] for v in check(reply, REVIEW, NO_SETTINGS).violations if v.rule == "phi_visit_detail"]


@pytest.mark.parametrize("reply, name, rule, found", [
    ("We'd appreciate it if you took this post down while we sort it out.", "Ana Ruiz", "asks_removal", "took this post down"),
    ("Thank you! We'll see you in three months.", "Ana Ruiz", "phi_visit_detail", "see you in three months"),
    ("Thank you! See you in the fall!", "Ana Ruiz", "phi_visit_detail", "See you in the fall"),
    ("Our nurse will be out again on the 15th.", "Ana Ruiz", "phi_visit_detail", "on the 15th"),
    ("El cargo es por la cita del 3 de mayo.", "Ana Ruiz", "phi_visit_detail", "3 de mayo"),
    ("Gracias, señora Ramos. Le llamamos pronto.", "Elena Ramos", "names_reviewer", "señora Ramos"),
    ("Thank you for the feedback, Ms. Delgado-Reyes.", "Marisol Delgado", "names_reviewer", "Ms. Delgado-Reyes"),
    ("We'll send the form to k.morrow.home@example.com today.", "Kate Morrow", "names_reviewer", "k.morrow.home@example.com"),
    ("Managing her pain at home was our first concern.", "Ana Ruiz", "phi_condition", "pain"),
    ("¡Gracias! Esperamos que las vacunas sigan funcionando.", "Ana Ruiz", "phi_treatment", "vacunas"),
    ("We hope the itching has calmed down.", "Ana Ruiz", "phi_condition", "itching"),
])
def test_disclosures_in_other_tenses_forms_and_languages_are_named(reply, name, rule, found):
    result = check(reply, {**REVIEW, "reviewer_name": name}, NO_SETTINGS)
    assert found in [reply[v.start:v.end] for v in result.violations if v.rule == rule] and not result.allowed


@pytest.mark.parametrize("reply", [
    "Thank you. We've asked our team to step up cleaning of the play area. Please call our office at (512) 555-0100.",
    "We're sorry for the hurt described. Please call our office at (512) 555-0100 so we can talk.",
    "Every person deserves a judgment-free place to care for their smile. Please call our office at (512) 555-0100.",
    "No billing question should become a headache. Please call our office at (512) 555-0100.",
    "Thank you! Scan the QR code at the front desk to reach our office manager.",
])
def test_everyday_words_of_a_building_or_a_feeling_are_no_ones_care(reply):
    assert [v.rule for v in check(reply, REVIEW, NO_SETTINGS).violations if v.severity == "block" and not v.learned] == []


def test_an_office_mailbox_is_not_the_reviewers_name_though_it_holds_its_letters():
    reply = "Thank you for the feedback. Please reach our front desk at frontdesk@northridge.example."
    assert [v for v in check(reply, {**REVIEW, "reviewer_name": "Ron Castellano"}, NO_SETTINGS).violations if v.rule == "names_reviewer"] == []


def test_a_sentence_blocked_for_a_name_is_not_also_said_to_imply_care_unless_the_rest_of_it_does():
    greeting = "Gracias, señora Ramos. Por favor llame a nuestra oficina al (512) 555-0100."
    found = {v.rule for v in check(greeting, {**REVIEW, "reviewer_name": "Elena Ramos"}, NO_SETTINGS).violations}
    assert "names_reviewer" in found and not {rule for rule in found if rule.startswith("phi_")}
    hoping = "Rhonda, we hope the new inhaler helps."
    found = {v.rule for v in check(hoping, {**REVIEW, "reviewer_name": "Rhonda K."}, NO_SETTINGS).violations}
    assert {"names_reviewer", "phi_medication"} <= found
