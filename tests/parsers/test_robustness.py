"""No input makes a parser raise: empty, cut, binary, enormous or mutated pages all give a result."""

from __future__ import annotations

import random
import re
from datetime import datetime, timezone
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers import parse_page
from parsers.page import STATUSES

FIXTURES = sorted((Path(__file__).parent / "fixtures").glob("*/*.html"))
URLS = {
    "google": "https://www.google.com/maps/place/Maple+Family+Dental/@30.26,-97.74,17z",
    "yelp": "https://www.yelp.com/biz/maple-family-dental-austin",
    "facebook": "https://www.facebook.com/maplefamilydental/reviews",
}
CAPTURED = datetime(2026, 11, 23, 13, 0, tzinfo=timezone.utc)
ATTRIBUTE = re.compile(r'\s[\w:-]+="[^"]*"')


def assert_sane(result) -> None:
    assert result.status in STATUSES
    for review in result.reviews:
        assert isinstance(review.reviewer_name, str) and review.reviewer_name.strip()
        assert review.rating is None or 1 <= review.rating <= 5
        assert isinstance(review.text, str)


def mutate(html: str, seed: int) -> str:
    rng = random.Random(seed)
    for _ in range(rng.randint(1, 4)):
        kind = rng.choice(["cut", "delete", "duplicate", "strip_attributes", "insert", "unclose"])
        if not html:
            break
        a, b = sorted(rng.randrange(len(html) + 1) for _ in range(2))
        if kind == "cut":
            html = html[:a]
        elif kind == "delete":
            html = html[:a] + html[b:]
        elif kind == "duplicate":
            html = html[:b] + html[a:b] + html[b:]  # nested and repeated copies of cards
        elif kind == "strip_attributes":
            html = ATTRIBUTE.sub(lambda m: "" if rng.random() < 0.3 else m.group(), html)
        elif kind == "insert":
            html = html[:a] + rng.choice(["<div>", "</span>", "\x00", "🦷😬", "Ωмега", "&#xD800;", "<!--", "]]>", "\ufeff"]) + html[a:]
        elif kind == "unclose":
            html = html.replace("</div>", "", rng.randint(1, 20))
    return html


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(page=st.sampled_from(FIXTURES or [None]), seed=st.integers(0, 2**32), lang=st.sampled_from(["en", "es", "", "zz-ZZ"]))
def test_mutated_fixtures_never_raise(page, seed, lang):
    if page is None:
        return
    html = mutate(page.read_text(encoding="utf-8"), seed)
    assert_sane(parse_page(URLS[page.parent.name], html, CAPTURED, lang))


@settings(max_examples=100, deadline=None)
@given(raw=st.binary(max_size=4000), platform=st.sampled_from(sorted(URLS)))
def test_binary_garbage_never_raises(raw, platform):
    assert_sane(parse_page(URLS[platform], raw.decode("latin-1"), CAPTURED, "en"))


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=2000), platform=st.sampled_from(sorted(URLS)))
def test_arbitrary_text_never_raises(text, platform):
    assert_sane(parse_page(URLS[platform], text, CAPTURED, "en"))


def test_empty_and_whitespace_pages_say_so():
    for html in ("", "   \n  ", "\x00\x00"):
        result = parse_page(URLS["google"], html, CAPTURED, "en")
        assert result.status == "no_reviews" and result.warnings


def test_enormous_page_is_parsed_without_error():
    pages = [p for p in FIXTURES if p.parent.name == "google"] or FIXTURES
    html = "".join(p.read_text(encoding="utf-8") for p in pages) * 40
    assert_sane(parse_page(URLS["google"], html, CAPTURED, "en"))


def test_missing_url_or_non_string_html():
    assert parse_page("", "<html></html>", CAPTURED, "en").status == "unsupported"
    assert parse_page("not a url", "<html></html>", CAPTURED, "en").status == "unsupported"
    assert parse_page(URLS["yelp"], None, CAPTURED, "en").status == "no_reviews"  # type: ignore[arg-type]
    assert parse_page("http://[::1", "<html></html>", CAPTURED, "en").status == "unsupported"
    assert parse_page(b"https://www.yelp.com/biz/x", "<html></html>", CAPTURED, "en").status == "unsupported"  # type: ignore[arg-type]
    assert parse_page(URLS["yelp"], "<html></html>", "yesterday", "en").status == "no_reviews"  # type: ignore[arg-type]
    link = '<div class="jftiEf" aria-label="Ann" data-review-id="r1"><a href="http://[x/maps/contrib/1">Ann</a></div>'
    assert parse_page(URLS["google"], link, CAPTURED, "en").reviews[0].reviewer_url is None


def test_a_review_that_ends_with_the_word_more_keeps_it():
    html = ('<div class="jftiEf" aria-label="Ann Lee" data-review-id="r1"><div class="MyEned" id="r1">'
            '<span class="wiI7pd">Wonderful staff, I could not ask for more</span></div></div>')
    [review] = parse_page(URLS["google"], html, CAPTURED, "en").reviews
    assert review.text == "Wonderful staff, I could not ask for more" and not review.text_truncated


def test_owner_words_inside_a_yelp_review_are_not_a_reply():
    html = ('<div><a href="/user_details?userid=u1">Sam K.</a><div role="img" aria-label="1 star rating"></div>'
            '<p class="comment__09f24__x"><span class="raw__09f24__y">The business owner yelled at my mother.</span></p></div>')
    [review] = parse_page(URLS["yelp"], html, CAPTURED, "en").reviews
    assert review.text == "The business owner yelled at my mother." and review.owner_reply is None


def test_a_recaptcha_script_on_a_page_with_reviews_is_not_a_block():
    html = ('<script src="https://www.google.com/recaptcha/api.js"></script><div class="bwb7ce"><div class="Vpc5Fe">Ann Lee</div>'
            '<span aria-label="Rated 5.0 out of 5,"></span><div class="OA1nbd">Great.</div></div>')
    result = parse_page("https://www.google.com/search?q=maple", html, CAPTURED, "en")
    assert result.status == "ok" and len(result.reviews) == 1
