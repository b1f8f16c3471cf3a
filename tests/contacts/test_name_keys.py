"""An import keys most names from their two halves, each read once (NameKeys): the keys must be exactly those
of the full reading (contact_keys of contact_name), for every kind of name field an export holds."""

from __future__ import annotations

import itertools

import pytest

from server.contacts.keys import NameKeys, contact_keys
from server.contacts.names import contact_name

FIRSTS = ["", "Robert", "robert", "Mary Ann", "Seo-Yeon", "J.", "J", "Zoë", "O'Neil", "Thi Mai", "Jean-Luc Marie", "123",
          " ", "Dr. Ana", "Ł"]
LASTS = ["", "Smith", "García López", "Smith-Jones", "O'Brien", "D’Angelo", "Ødegaard", "S.", "K", "van der Berg", "42",
         "Nguyễn", "Lee-Park Kim"]
MIDDLES = ["", "Ellen", "J", "Mai Thi"]
PREFERRED = ["", "Bob", "B", "Sarah Jane", "Joe"]
FULLS = ["", "Robert Smith", "Smith, Robert J.", "Dr. Ana García López", "Cher"]


def every_field_combination():
    for first, last, middle, preferred in itertools.product(FIRSTS, LASTS, MIDDLES, PREFERRED):
        yield first, last, f"{first} {last}".strip(), middle, preferred
    for full, first, last in itertools.product(FULLS, ("", "Robert"), ("", "Smith")):
        yield first, last, full, "", ""


def test_keys_from_the_two_halves_are_those_of_the_full_reading():
    keys = NameKeys()
    compared = 0
    for fields in every_field_combination():
        assert keys(*fields) == contact_keys(contact_name(*fields)), fields
        compared += 1
    assert compared > 3000


def test_a_name_read_again_gives_the_same_keys_and_order():
    keys = NameKeys()
    first_reading = keys("Seo-Yeon", "Lee", "Seo-Yeon Lee", "", "Sarah")
    assert first_reading == ("fl:seo|l", "fl:sarah|l", "fl:yeon|l", "fl:seoyeon|l", "l:lee", "pf:L|s")
    assert keys("Seo-Yeon", "Lee", "Seo-Yeon Lee", "", "Sarah") is first_reading
    assert keys("Seo-Yeon", "Park", "Seo-Yeon Park", "", "") == ("fl:seo|p", "fl:yeon|p", "fl:seoyeon|p", "l:park", "pf:PRK|s")


@pytest.mark.parametrize("fields, first", [
    (("", "", "Robert Smith", "", ""), "robert"),  # a full name only: its first name is worked out of it
    (("", "Smith Robert", "", "", ""), "smith"),  # a last-name field holding two words and no first name
])
def test_the_name_of_fields_without_a_first_name(fields, first):
    assert NameKeys().name(*fields).first == first
