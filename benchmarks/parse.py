"""Parse time of a captured page with 200 reviews (target: under 50 ms), per platform layout.

Builds pages of 200 synthetic review cards in each platform's real structure, padded with the kind of
noise real cards carry (jsaction attributes, inline SVG icons, photo buttons) to about 2 MB for
Google Maps, then times ``parsers.parse_page`` on them.
Run: python benchmarks/parse.py [--reviews 200] [--runs 15]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from parsers import parse_page  # noqa: E402

CAPTURED = datetime(2026, 11, 23, 13, 0, tzinfo=timezone.utc)
ICON = '<svg viewBox="0 0 24 24" width="18" height="18"><path d="M12 17.27L18.18 21l-1.64-7.03L22 9.24l-7.19-.61L12 2 9.19 8.63 2 9.24l5.46 4.73L5.82 21z"></path></svg>'
NOISE = " ".join(f'jsaction="pane.review.{i};mouseover:pane.review.in;mouseout:pane.review.out" jslog="{9000 + i};track:click"' for i in range(4))
TEXT = "The front desk was friendly and the wait was short. " * 6


def google_card(i: int) -> str:
    rid = f"ChZDSUhNMG9nS0VJQ0FnSUR{i:08d}"
    photos = "".join(f'<button class="Tya61d" data-review-id="{rid}" data-photo-index="{p}" {NOISE}>{ICON}</button>' for p in range(6))
    return (
        f'<div class="jftiEf fontBodyMedium" aria-label="Reviewer {i}" data-review-id="{rid}" {NOISE}>'
        f'<button class="WEBjve" data-review-id="{rid}" {NOISE}><img src="data:," alt=""></button>'
        f'<div class="WNxzHc"><button class="al6Kxe" data-review-id="{rid}" data-href="https://www.google.com/maps/contrib/{i}/reviews?hl=en" {NOISE}>'
        f'<div class="d4r55">Reviewer {i}</div><div class="RfnDt">Local Guide · {i % 90} reviews</div></button></div>'
        f'<div class="DU9Pgb"><span class="kvMYJc" role="img" aria-label="{1 + i % 5} stars">{ICON * 5}</span>'
        f'<span class="rsqaWe">{1 + i % 11} months ago</span></div>'
        f'<div class="MyEned" lang="en" id="{rid}"><span class="wiI7pd">{TEXT}</span></div>'
        f'<div class="KtCyie">{photos}</div>'
        f'<div class="CDe7pd"><span class="nM6d2c">Response from the owner</span> <span class="DZSIDd">3 weeks ago</span>'
        f'<div class="wiI7pd">Thank you for taking the time to share your feedback.</div></div>'
        f'<div class="GBkF3d">{ICON * 20}</div></div>'
    )


def yelp_card(i: int) -> str:
    return (
        f'<li class="y-css-1jp2syp"><div class="y-css-1iy1dwt"><div class="user-passport-info y-css-ya63xp">'
        f'<span class="fs-block y-css-ux5mu6"><a href="/user_details?userid=U{i:06d}" class="y-css-1x1e1r2">Pat {chr(65 + i % 26)}.</a></span>'
        f'<span class="y-css-qgunke">Austin, TX</span></div>'
        f'<div class="y-css-dnttlc"><div class="y-css-9tnml4" aria-label="{1 + i % 5} star rating" role="img">{ICON * 5}</div>'
        f'<span class="y-css-1d8mpv1">3/{1 + i % 28}/2025</span></div>'
        f'<p class="comment__09f24__D0cxf y-css-1wfz87z"><span class="raw__09f24__T4Ezm" lang="en">{TEXT}</span></p>'
        f'<a href="/biz/maple-family-dental-austin?hrid=R{i:08d}">Share</a></div></li>'
    )


def facebook_card(i: int) -> str:
    return (
        f'<div aria-posinset="{i + 1}" class="x1yztbdb x1n2onr6 xh8yej3 x1ja2u2z"><div class="x78zum5">'
        f'<h2 data-ad-rendering-role="profile_name" class="x1heor9g"><a href="https://www.facebook.com/person.{i}">Person {i}</a> '
        f'{"recommends" if i % 3 else "doesn&#039;t recommend"} <a href="https://www.facebook.com/maplefamilydental">Maple Family Dental</a>.</h2>'
        f'<a href="https://www.facebook.com/person.{i}/posts/pfbid0{i:010d}"><span>{1 + i % 11} mos</span></a></div>'
        f'<div data-ad-rendering-role="story_message" class="x1iorvi4"><div dir="auto">{TEXT}</div></div>{ICON * 6}</div>'
    )


PAGES = {
    "google maps": ("https://www.google.com/maps/place/Maple+Family+Dental/@30.26,-97.74,17z", google_card),
    "yelp cards": ("https://www.yelp.com/biz/maple-family-dental-austin", yelp_card),
    "facebook": ("https://www.facebook.com/maplefamilydental/reviews", facebook_card),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=200)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    for label, (url, make_card) in PAGES.items():
        html = "<html><body><div class='m6QErb'>" + "".join(make_card(i) for i in range(args.reviews)) + "</div></body></html>"
        result = parse_page(url, html, CAPTURED, "en")
        assert len(result.reviews) == args.reviews, (label, len(result.reviews), result.warnings)
        timings = []
        for _ in range(args.runs):
            started = time.perf_counter()
            parse_page(url, html, CAPTURED, "en")
            timings.append((time.perf_counter() - started) * 1000)
        print(f"{label}: {args.reviews} reviews, {len(html) / 1e6:.1f} MB: median {statistics.median(timings):.1f} ms, "
              f"max {max(timings):.1f} ms (target < 50 ms)")


if __name__ == "__main__":
    main()
