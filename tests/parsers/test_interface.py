"""The platform parser interface: a parser is data plus defaults, the registry picks it by host and
applies the schema.org fallback once, and a parser missing a part fails when it is created."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from parsers import _html as h
from parsers import generic, parse_page, registry
from parsers._abstract import PlatformParser
from parsers.page import Capture
from parsers.registry import PARSERS, UnsupportedSite, parser_for
from parsers.review import Review

CAPTURED = datetime(2026, 11, 23, 13, 0, tzinfo=timezone.utc)
JSON_LD_PAGE = (Path(__file__).parent / "fixtures" / "yelp" / "json_ld_only.html").read_text(encoding="utf-8")
SCHEMA_ORG_REVIEW = ('<script type="application/ld+json">{"@type": "Review", "author": {"name": "Dana Whitfield"}, '
                     '"reviewRating": {"ratingValue": 4}, "reviewBody": "Quick cleaning."}</script>')
URL = "https://stars.example/acme/reviews"
CARDS = '<div class="rv" data-stars="5">Ann Lee</div><div class="rv" data-stars="2">Bo Chan</div>'


def _example_cards(doc, capture: Capture, place: str | None) -> list[Review]:
    return [Review(platform="example", reviewer_name=h.visible_text(card), rating=int(card.get("data-stars")), place=place)
            for card in h.select(doc, "div.rv")]


class ExampleParser(PlatformParser):
    """A platform with nothing but its data: every method is the default."""

    platform = "example"
    hosts = re.compile(r"^(?:www\.)?stars\.example$")
    block_markers = ("are you a robot",)
    review_url_markers = ("/reviews",)
    layouts = (("example_cards", _example_cards),)
    fallback_layout = "example_schema_org"


@pytest.fixture
def example(monkeypatch) -> ExampleParser:
    parser = ExampleParser()
    monkeypatch.setattr(registry, "PARSERS", (parser,))
    return parser


@pytest.fixture
def fallback_calls(monkeypatch) -> list[str]:
    """The schema.org sources read, in order, across one test."""
    calls: list[str] = []
    for source, read in list(generic.FALLBACK_SOURCES.items()):
        def spy(doc, capture, platform, source=source, read=read):
            calls.append(source)
            return read(doc, capture, platform)
        monkeypatch.setitem(generic.FALLBACK_SOURCES, source, spy)
    return calls


def test_a_parser_that_declares_only_its_data_reads_its_pages(example):
    assert parser_for("https://www.stars.example/acme/reviews") is example
    result = parse_page(URL, f"<html><body>{CARDS}</body></html>", CAPTURED, "en")
    assert (result.status, result.platform, result.layout) == ("ok", "example", "example_cards")
    assert [(review.reviewer_name, review.rating) for review in result.reviews] == [("Ann Lee", 5), ("Bo Chan", 2)]


def test_default_block_check_and_changed_layout_warning(example):
    blocked = parse_page(URL, "<p>Are you a robot? Press and hold.</p>", CAPTURED, "en")
    assert blocked.status == "blocked" and "Example showed a block or captcha page" in blocked.warnings[0]
    empty = parse_page(URL, "<p>Nothing here yet.</p>", CAPTURED, "en")
    assert empty.status == "no_reviews" and any("layout may have changed" in w for w in empty.warnings)
    elsewhere = parse_page("https://stars.example/acme/photos", "<p>Nothing here yet.</p>", CAPTURED, "en")
    assert elsewhere.status == "no_reviews" and elsewhere.warnings == []


def test_a_block_marker_beside_reviews_is_not_a_block_page_when_the_parser_names_its_anchor():
    class Anchored(ExampleParser):
        review_anchor = "div.rv"

    doc = h.parse_html("<p>are you a robot</p><div class='rv'>Ann</div>")
    assert ExampleParser().is_blocked(doc, "<p>are you a robot</p>") is True
    assert Anchored().is_blocked(doc, "<p>are you a robot</p>") is False


def test_the_registry_applies_the_schema_org_fallback_once_when_no_layout_finds_reviews(example, fallback_calls):
    result = parse_page(URL, f"<html><head>{SCHEMA_ORG_REVIEW}</head></html>", CAPTURED, "en")
    assert (result.status, result.layout) == ("ok", "example_schema_org")
    assert [(r.reviewer_name, r.rating, r.platform) for r in result.reviews] == [("Dana Whitfield", 4, "example")]
    assert fallback_calls == ["microdata", "json_ld"]


def test_the_fallback_is_not_read_when_a_layout_finds_reviews(example, fallback_calls):
    result = parse_page(URL, f"<html><head>{SCHEMA_ORG_REVIEW}</head><body>{CARDS}</body></html>", CAPTURED, "en")
    assert result.layout == "example_cards" and len(result.reviews) == 2
    assert fallback_calls == []


def test_a_parser_without_a_fallback_layout_has_no_fallback(monkeypatch, fallback_calls):
    class NoFallback(ExampleParser):
        fallback_layout = None

    monkeypatch.setattr(registry, "PARSERS", (NoFallback(),))
    result = parse_page(URL, SCHEMA_ORG_REVIEW, CAPTURED, "en")
    assert result.status == "no_reviews" and result.reviews == [] and fallback_calls == []


@pytest.mark.parametrize("parser", PARSERS, ids=lambda parser: parser.platform)
def test_platform_parsers_leave_the_fallback_to_the_registry(parser, fallback_calls):
    url = {"google": "https://www.google.com/maps/place/Maple+Family+Dental/",
           "yelp": "https://www.yelp.com/biz/maple-family-dental-austin",
           "facebook": "https://www.facebook.com/MapleFamilyDentalATX/reviews"}[parser.platform]
    capture = Capture(url=url, captured_at=CAPTURED)
    assert parser.parse(h.parse_html(JSON_LD_PAGE), capture) == [] and capture.layout is None
    assert fallback_calls == []
    result = parse_page(url, JSON_LD_PAGE, CAPTURED, "en")
    assert result.layout == parser.fallback_layout and len(result.reviews) == 3
    assert fallback_calls == list(parser.fallback_sources)  # each source read once, in the parser's order


def test_each_platform_keeps_its_fallback():
    by_platform = {p.platform: (p.fallback_layout, p.fallback_sources, p.fallback_sets_place) for p in PARSERS}
    assert by_platform == {
        "google": ("google_generic", ("microdata", "json_ld"), False),
        "yelp": ("yelp_json_ld", ("json_ld",), True),
        "facebook": ("facebook_generic", ("microdata", "json_ld"), False),
    }


@pytest.mark.parametrize("url", [
    "https://www.tripadvisor.com/Attraction_Review-g1-d2",
    "https://google.com.stars.example/maps/place/x",
    "https://notyelp.com/biz/x",
    "https://www.facebook.com.example/page/reviews",
    "not a url",
    "",
])
def test_unknown_hosts_raise_unsupported_site_with_the_url(url):
    with pytest.raises(UnsupportedSite) as raised:
        parser_for(url)
    assert raised.value.url == url
    assert parse_page(url, "<html></html>", CAPTURED, "en").status == "unsupported"


def test_the_registered_parsers_are_found_by_host():
    assert [parser_for(url).platform for url in (
        "https://www.google.com/maps/place/x", "https://maps.google.co.uk/x", "https://business.google.com/reviews",
        "https://www.yelp.com/biz/x", "https://biz.yelp.com/r2r/x", "https://m.facebook.com/x/reviews",
    )] == ["google", "google", "google", "yelp", "yelp", "facebook"]


@pytest.mark.parametrize("missing", ["platform", "hosts", "layouts"])
def test_a_parser_missing_a_required_part_fails_when_it_is_created(missing):
    data = {"platform": "example", "hosts": re.compile(r"^stars\.example$"), "layouts": (("example_cards", _example_cards),)}
    del data[missing]
    incomplete = type("IncompleteParser", (PlatformParser,), data)
    with pytest.raises(NotImplementedError, match=f"IncompleteParser must set `{missing}`"):
        incomplete()


@pytest.mark.parametrize("wrong, message", [
    ({"hosts": r"^stars\.example$"}, "hosts must be a compiled regex"),
    ({"layouts": ()}, "layouts is empty"),
    ({"layouts": (("cards", _example_cards), ("cards", _example_cards))}, "distinct non-empty layout names"),
    ({"layouts": (("cards", "div.rv"),)}, "every reader must be callable"),
    ({"fallback_layout": "example_cards"}, "also one of its layouts"),
    ({"fallback_sources": ("rdfa",)}, "fallback_sources has \\['rdfa'\\]"),
])
def test_a_parser_with_a_malformed_part_fails_when_it_is_created(wrong, message):
    malformed = type("MalformedParser", (ExampleParser,), wrong)
    with pytest.raises(TypeError, match=message):
        malformed()
