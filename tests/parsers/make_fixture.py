"""Turn a saved review page into a parser fixture: ``fixtures/<platform>/<name>.html`` and ``.json``.

The JSON is a skeleton filled with what the parsers find today, in the format
``tests/parsers/test_fixtures.py`` reads: a person checks every value against the page before it
becomes an expectation. Fixtures hold only made-up people: replace real names, profile links, ids and
texts in the HTML, then run this again on the fixture's own .html with --force.

Run: python tests/parsers/make_fixture.py saved.html [--url URL] [--name NAME]
         [--captured-at 2026-11-23T13:00:00Z] [--lang en] [--fixtures-dir DIR] [--force]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script: make `parsers` and `tests` importable
    sys.path.insert(0, str(ROOT))

from parsers import _html as h  # noqa: E402
from parsers import parse_page  # noqa: E402
from parsers.isotime import parse_iso  # noqa: E402
from parsers.registry import UnsupportedSite, parser_for  # noqa: E402
from tests.parsers.test_fixtures import actual_review  # noqa: E402  (the fields the fixture test compares)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# "Save page as" in Chrome and Edge: <!-- saved from url=(0071)https://... -->; SingleFile: "url: https://...".
SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)\s*(\S+?)\s*-->", re.I)
SINGLEFILE_URL = re.compile(r"<!--\s*Page saved with SingleFile.*?^\s*url:\s*(\S+)", re.I | re.S | re.M)
CANONICAL = ("link[rel='canonical'][href]", "meta[property='og:url'][content]")
NAME = re.compile(r"^[a-z0-9][a-z0-9_]*$")

REVIEW_BY_EYE = (
    "The JSON is a skeleton of what the parser finds today, not a checked expectation: compare every\n"
    "value with the page, fix what is wrong, and delete the fields you do not want the test to pin.\n"
    "Fixtures hold only made-up people: replace real names, profile links, ids and review texts in the\n"
    "HTML before committing it, then run this again on the fixture's .html with --force."
)


def page_url(html: str) -> str | None:
    """The address a saved page came from: the browser's "saved from" comment, else its canonical link."""
    for pattern in (SAVED_FROM, SINGLEFILE_URL):
        if match := pattern.search(html[:20000]):
            return match.group(1)
    doc = h.parse_html(html)
    if doc is None:
        return None
    for css in CANONICAL:
        element = h.select_one(doc, css)
        if element is not None:
            return (element.get("href") or element.get("content") or "").strip() or None
    return None


def page_lang(html: str) -> str | None:
    """The language the page says it is in (``<html lang="es">``)."""
    doc = h.parse_html(html)
    if doc is None:
        return None
    return (doc.get("lang") or "").strip() or None


def capture_moment(text: str | None, page: Path) -> str:
    """The capture time as the fixture stores it (UTC as "Z"); by default the saved file's time, in the
    local time zone (the browser's, which "Yesterday at 15:28" is relative to)."""
    moment = parse_iso(text) if text else datetime.fromtimestamp(page.stat().st_mtime).astimezone()
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def expected_case(url: str, html: str, captured_at: str, lang: str) -> dict:
    """The fixture JSON for a page: capture context and what the parsers find in it today."""
    result = parse_page(url, html, parse_iso(captured_at), lang)
    case: dict = {"url": url, "captured_at": captured_at, "lang": lang, "status": result.status}
    if result.layout is not None:
        case["layout"] = result.layout
    if result.warnings:
        case["warnings_contain"] = list(result.warnings)
    case["reviews"] = [actual_review(review) for review in result.reviews]
    return case


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", type=Path, help="the saved page (.html)")
    parser.add_argument("--url", help="the page's address (default: from its 'saved from url' comment or canonical link)")
    parser.add_argument("--name", help="the fixture's name, e.g. maps_2027 (default: the file's name)")
    parser.add_argument("--captured-at", help="ISO 8601 capture time (default: the file's modification time)")
    parser.add_argument("--lang", help="the page's language (default: its <html lang>, else en)")
    parser.add_argument("--fixtures-dir", type=Path, default=FIXTURES, help=f"where fixtures live (default: {FIXTURES})")
    parser.add_argument("--force", action="store_true", help="overwrite an existing fixture")
    args = parser.parse_args(argv)

    if not args.page.is_file():
        parser.error(f"{args.page} is not a file")
    raw = args.page.read_bytes()
    html = raw.decode("utf-8", errors="replace")
    if "\ufffd" in html and b"\xef\xbf\xbd" not in raw:
        print(f"note: {args.page} is not UTF-8; unreadable characters became U+FFFD.", file=sys.stderr)
    url = args.url or page_url(html)
    if not url:
        parser.error(f"{args.page} names no address (no 'saved from url' comment, no canonical link): pass --url")
    try:
        platform = parser_for(url).platform
    except UnsupportedSite as error:
        parser.error(f"{error}; pass the Google, Yelp or Facebook address of the page with --url")
    try:
        captured_at = capture_moment(args.captured_at, args.page)
    except ValueError as error:
        parser.error(f"--captured-at: {error} (e.g. 2026-11-23T13:00:00Z)")
    lang = args.lang or page_lang(html) or "en"
    name = args.name or re.sub(r"[^a-z0-9]+", "_", args.page.stem.lower()).strip("_")
    if not NAME.match(name):
        parser.error(f"--name {name!r}: use lower-case letters, digits and underscores")

    folder = args.fixtures_dir / platform
    html_out, json_out = folder / f"{name}.html", folder / f"{name}.json"
    same_page = html_out.exists() and html_out.resolve() == args.page.resolve()  # regenerating from the fixture itself
    existing = [path for path in (html_out, json_out) if path.exists() and not (path == html_out and same_page)]
    if existing and not args.force:
        print(f"Not overwriting {', '.join(map(str, existing))}; pass --force to replace it.", file=sys.stderr)
        return 1

    folder.mkdir(parents=True, exist_ok=True)
    if not same_page:
        html_out.write_bytes(html.encode("utf-8"))
    # Parse the fixture as test_fixtures.py reads it (text mode: "\r\n" becomes "\n").
    case = expected_case(url, html_out.read_text(encoding="utf-8"), captured_at, lang)
    json_out.write_text(json.dumps(case, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    print(f"Wrote {html_out}\n  and {json_out}")
    print(f"{platform}: status {case['status']}, layout {case.get('layout')}, {len(case['reviews'])} review(s), "
          f"captured at {captured_at}, lang {lang}")
    for warning in case.get("warnings_contain", []):
        print(f"  warning: {warning}")
    print(REVIEW_BY_EYE)
    return 0


if __name__ == "__main__":
    sys.exit(main())
