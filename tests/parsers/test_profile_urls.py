"""A reviewer's profile link read as the person it identifies: the quick reading of plain links gives
exactly what the full reading (urllib) gives."""

import re

import pytest

from parsers import review

PROFILE_LINKS = [
    "https://www.google.com/maps/contrib/1077/reviews?hl=en",
    "https://www.google.com/maps/contrib/1077?hl=de",
    "https://www.google.com/maps/contrib/1077/photos/",
    "http://google.com/maps/contrib/1077",
    "https://www.Google.com/maps/contrib/1077",
    "https://www.google.com:443/maps/contrib/1077",
    "https://www.google.com/maps/contrib/1077/photos?hl=en#reviews",
    "https://www.google.com/maps/contrib/1077?hl=en&authuser=0",
    "https://www.yelp.com/user_details?userid=Xy_12-ab",
    "https://www.yelp.com/user_details?userid=",
    "https://www.facebook.com/profile.php?id=100012345",
    "https://www.facebook.com/profile.php?hl=en&id=100012345",
    "https://www.facebook.com/profile.php?ID=7",
    "https://www.facebook.com/jane.doe.5?ref=br_rs",
    "https://m.facebook.com/jane.doe/reviews/photos",
    "https://www.google.com",
    "https://www.google.com/?hl=en",
    "https://example.com/a?b=&c",
]


def full_reading(link: str, monkeypatch) -> str | None:
    with monkeypatch.context() as patched:
        patched.setattr(review, "PLAIN_PROFILE_URL", re.compile(r"(?!)"))  # no link is plain: urllib reads every one
        return review.normalise_profile_url(link)


@pytest.mark.parametrize("link", PROFILE_LINKS)
def test_plain_profile_links_read_as_urllib_reads_them(link, monkeypatch):
    assert review.normalise_profile_url(link) == full_reading(link, monkeypatch)


def test_the_person_a_profile_link_identifies():
    assert review.normalise_profile_url("https://www.google.com/maps/contrib/1077/reviews?hl=en") == "google.com/maps/contrib/1077"
    assert review.normalise_profile_url("https://www.facebook.com/profile.php?hl=en&id=100012345") == "facebook.com/profile.php?id=100012345"
    assert review.PLAIN_PROFILE_URL.match("https://www.google.com/maps/contrib/1077/reviews?hl=en")
    assert not review.PLAIN_PROFILE_URL.match("https://www.yelp.com/user_details?userid=Xy_12-ab")
