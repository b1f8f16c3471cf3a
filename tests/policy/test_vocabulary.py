"""The medical vocabularies load fast because they are kept ready: the ICD-10-CM condition names as a
shipped list (checked here against the ICD-10-CM package it is built from), and the drug names read
straight from drug-named-entity-recognition's dictionary (found here exactly as its own finder finds them)."""

from __future__ import annotations

import time

from server.replies import vocabulary


def test_the_shipped_condition_list_is_what_the_icd_10_cm_package_gives():
    assert vocabulary.build_icd_conditions() == sorted(vocabulary.icd_conditions())
    assert {"acanthosis nigricans", "actinomycosis"} <= vocabulary.icd_conditions()


def test_drug_names_are_found_as_the_packages_own_finder_finds_them():
    from drug_named_entity_recognition import find_drugs

    texts = [
        "We hope the new metformin dose and the Lipitor are easier on you.",
        "Glad the birth control and the ibuprofen 800 are working; Zoloft too.",
        "Take acetylsalicylic acid? No, just Tylenol, and the amoxicillin clavulanate course.",
        "Thank you for the kind words about our team!",
        "La insulina y el omeprazol le ayudaron, nos alegra.",
    ]
    for text in texts:
        tokens = vocabulary.words(text)
        expected = {(data.get("name", ""), tokens[first][1], tokens[min(last, len(tokens)) - 1][2])
                    for data, first, last in find_drugs([word for word, _, _ in tokens])}
        assert set(vocabulary.drug_spans(text)) == expected, text
    assert any(name == "Metformin" for name, _, _ in vocabulary.drug_spans(texts[0]))


def test_the_vocabularies_are_ready_in_about_a_second():
    vocabulary.drug_names.cache_clear()
    vocabulary.icd_conditions.cache_clear()
    vocabulary.lexicon.cache_clear()
    vocabulary.term_index.cache_clear()
    started = time.perf_counter()
    vocabulary.term_index()
    vocabulary.drug_spans("warm up")
    assert time.perf_counter() - started < 2.5
