"""A review's link is kept only when it is an http(s) address with a host; the quick reading of plain links gives
exactly what the full reading (urllib) gives."""

import re

import pytest

from server.reviews import intake

LINKS = [
    "https://www.google.com/maps/contrib/1077/reviews?hl=en", "http://yelp.com", "HTTPS://WWW.YELP.COM/biz/x",
    "https://a.example#reviews", "https://a.example?", "https://", "https:///path", "javascript:void(0)",
    "file:///etc/passwd", "ftp://files.example/x", "https://[::1", "https://[::1]:8080/x", " https://x.example",
    "https://x.example:443/a", "https://exämple.example/", "//x.example/a", "/maps/contrib/1077",
]


@pytest.mark.parametrize("link", LINKS)
def test_plain_links_read_as_urllib_reads_them(link, monkeypatch):
    quick = intake.is_web_address.__wrapped__(link)
    with monkeypatch.context() as patched:
        patched.setattr(intake, "PLAIN_WEB_ADDRESS", re.compile(r"(?!)"))  # no link is plain: urllib reads every one
        full = intake.is_web_address.__wrapped__(link)
    assert quick == full


def test_what_a_review_link_may_be():
    assert intake.is_web_address("https://www.google.com/maps/contrib/1077/reviews?hl=en")
    assert not intake.is_web_address("javascript:void(0)")
    assert not intake.is_web_address("https:///path")
