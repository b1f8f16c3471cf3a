"""Field data: on the Google Search business panel (2018 layout) an owner reply's date may come before its
text without a date element of its own ("2 days ago Thank you for …"): the date belongs in the reply's date."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from parsers import parse_page

URL = "https://www.google.com/search?q=maple+family+dental+austin"
CAPTURED = datetime(2026, 11, 23, 13, 0, tzinfo=timezone.utc)


def panel(reply_html: str, lang: str = "en") -> str:
    return (
        f'<html lang="{lang}"><body><g-lightbox class="review-dialog"><div class="review-dialog-list">'
        '<div class="WMbnJf gws-localreviews__google-review"><div class="jxjCjc">'
        '<div class="TSUbDb"><a href="/maps/contrib/118203948576102938471/reviews">Maria Delgado</a></div>'
        '<div class="PuaHbe"><g-review-stars><span aria-label="Rated 5.0 out of 5," role="img"></span></g-review-stars>'
        ' <span class="dehysf">a month ago</span></div>'
        '<div class="Jtu6Td"><span>Friendly front desk and a calm visit.</span></div>'
        f'<div class="LfKETd">{reply_html}</div>'
        "</div></div></div></g-lightbox></body></html>"
    )


@pytest.mark.parametrize("reply_html, lang, date_text", [
    ('<strong>Response from the owner</strong> <span class="pi8uOe">2 days ago</span><br>Thank you for the kind words!', "en", "2 days ago"),
    ("<strong>Response from the owner</strong> 2 days ago Thank you for the kind words!", "en", "2 days ago"),
    ('<strong>Response from the owner</strong> <span class="pi8uOe">a week ago</span> Thank you for the kind words!', "en", "a week ago"),
    ('<strong>Respuesta del propietario</strong> <span class="pi8uOe">hace 2 días</span> Thank you for the kind words!', "es", "hace 2 días"),
])
def test_a_reply_date_before_its_text_is_the_reply_date(reply_html, lang, date_text):
    [review] = parse_page(URL, panel(reply_html, lang), CAPTURED, lang).reviews
    assert review.owner_reply.text.endswith("Thank you for the kind words!")
    assert not review.owner_reply.text.startswith(date_text.split()[0])
    assert review.owner_reply.date_text == date_text
    assert review.owner_reply.date_min is not None and review.owner_reply.date_max <= "2026-11-23T13:00:00Z"


def test_a_reply_that_starts_with_a_month_or_a_number_keeps_its_words():
    html = panel("<strong>Response from the owner</strong> May we call you? 2 hygienists are on duty on weekdays.")
    [review] = parse_page(URL, html, CAPTURED).reviews
    assert review.owner_reply.text == "May we call you? 2 hygienists are on duty on weekdays."
    assert review.owner_reply.date_text is None
