"""The medical vocabularies load fast because they are kept ready: the ICD-10-CM condition names as a
shipped list (checked here against the ICD-10-CM package it is built from), and the drug names read
straight from drug-named-entity-recognition's dictionary (found here exactly as its own finder finds them)."""

from __future__ import annotations

import time
from importlib.metadata import version

import pytest

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


def test_the_drug_table_is_kept_in_the_cache_and_read_from_it_on_the_next_start(tmp_path, monkeypatch):
    monkeypatch.setenv("REVIEWDESK_CACHE_DIR", str(tmp_path / "cache"))
    vocabulary.drug_names.cache_clear()
    built = vocabulary.drug_names()
    kept = list((tmp_path / "cache").glob("drug-names-*.tsv"))
    assert len(kept) == 1 and built["metformin"] == "Metformin"
    assert not [path for path in (tmp_path / "cache").iterdir() if path.name.startswith(".")]  # no half-written file left

    monkeypatch.setattr(vocabulary, "_drug_names_from_package", lambda: pytest.fail("the cache was not read"))
    vocabulary.drug_names.cache_clear()
    assert vocabulary.drug_names() == built
    vocabulary.drug_names.cache_clear()


@pytest.mark.parametrize("damage", [
    b"metformin\tMetformin\n",  # cut short: no end line
    b"metformin\tMetformin\n# end of 2 drug names",  # an end line that does not count what came before
    b"metformin Metformin\n# end of 0 drug names",  # a line that is not a variant and a name
    b"metformin\tMetformin\xff\n# end of 1 drug names",  # not UTF-8
    b"",
])
def test_a_damaged_drug_cache_is_built_again(damage, tmp_path, monkeypatch):
    monkeypatch.setenv("REVIEWDESK_CACHE_DIR", str(tmp_path))
    vocabulary.drug_names.cache_clear()
    kept = tmp_path / f"drug-names-{version('drug-named-entity-recognition')}-{vocabulary.DRUG_NAMES_FORMAT}.tsv"
    kept.write_bytes(damage)
    names = vocabulary.drug_names()
    assert names["metformin"] == "Metformin" and len(names) > 100_000
    vocabulary.drug_names.cache_clear()
    monkeypatch.setattr(vocabulary, "_drug_names_from_package", lambda: pytest.fail("the cache was not kept whole again"))
    assert vocabulary.drug_names() == names
    vocabulary.drug_names.cache_clear()


def test_a_cache_that_cannot_be_written_is_only_not_kept(tmp_path, monkeypatch):
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("")
    monkeypatch.setenv("REVIEWDESK_CACHE_DIR", str(blocked / "cache"))
    vocabulary.drug_names.cache_clear()
    assert vocabulary.drug_names()["metformin"] == "Metformin"
    vocabulary.drug_names.cache_clear()
