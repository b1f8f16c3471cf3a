"""``make_fixture.py`` turns a saved page into a fixture whose JSON the fixture test reads as is."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from parsers.review import Review
from tests.parsers.make_fixture import main as make_fixture
from tests.parsers.test_fixtures import CASES, actual_review, load_case

SCRIPT = Path(__file__).parent / "make_fixture.py"
# Every field the fixture test can compare: the skeleton lists them all for a person to check.
REVIEW_FIELDS = set(actual_review(Review(platform="google", reviewer_name="Ann Example")))


def pinned(generated: dict, expected: dict) -> dict:
    """``generated`` cut down to what ``expected`` pins: the comparison test_fixtures.py makes."""
    cut: dict = {}
    for key, value in expected.items():
        if key == "reviews":
            reviews = [_pinned_review(g, e) for g, e in zip(generated["reviews"], value)]
            cut[key] = reviews + generated["reviews"][len(value):]  # extra reviews stay, so a count mismatch shows
        elif key == "warnings_contain":
            cut[key] = [excerpt for excerpt in value if any(excerpt in warning for warning in generated.get(key, []))]
        else:
            cut[key] = generated.get(key)
    return cut


def _pinned_review(generated: dict, expected: dict) -> dict:
    review = {key: generated.get(key) for key in expected}
    if isinstance(expected.get("owner_reply"), dict) and isinstance(review["owner_reply"], dict):
        review["owner_reply"] = {key: review["owner_reply"].get(key) for key in expected["owner_reply"]}
    return review


def run(page: Path, out: Path, *extra: str) -> int:
    return make_fixture([str(page), "--fixtures-dir", str(out), *extra])


@pytest.mark.parametrize("fixture", CASES, ids=[f"{p.parent.name}/{p.stem}" for p in CASES])
def test_a_copy_of_each_fixture_gives_back_its_expected_json(fixture: Path, tmp_path: Path, capsys):
    expected = load_case(fixture)
    saved = tmp_path / "saved" / fixture.name
    saved.parent.mkdir()
    shutil.copyfile(fixture, saved)
    out = tmp_path / "fixtures"
    assert run(saved, out, "--url", expected["url"], "--captured-at", expected["captured_at"], "--lang", expected["lang"]) == 0
    platform = fixture.parent.name
    generated = json.loads((out / platform / f"{fixture.stem}.json").read_text(encoding="utf-8"))
    assert (out / platform / fixture.name).read_bytes() == fixture.read_bytes()
    assert pinned(generated, expected) == expected
    assert all(set(review) == REVIEW_FIELDS for review in generated["reviews"])
    assert "skeleton" in capsys.readouterr().out


def test_the_url_capture_time_and_language_come_from_the_saved_page(tmp_path: Path):
    source = Path(__file__).parent / "fixtures" / "yelp" / "feed_json.html"  # has a canonical link
    saved = tmp_path / "Maple Dental - Yelp.html"
    shutil.copyfile(source, saved)
    saved_at = datetime(2026, 11, 23, 13, 0, tzinfo=timezone.utc)
    os.utime(saved, (saved_at.timestamp(), saved_at.timestamp()))
    assert run(saved, tmp_path / "fixtures") == 0
    case = json.loads((tmp_path / "fixtures" / "yelp" / "maple_dental_yelp.json").read_text(encoding="utf-8"))
    assert case["url"] == load_case(source)["url"]
    assert datetime.fromisoformat(case["captured_at"].replace("Z", "+00:00")) == saved_at
    assert case["lang"] == "en-US" and case["layout"] == "yelp_feed_json" and len(case["reviews"]) == 3


def test_an_existing_fixture_is_not_overwritten_without_force(tmp_path: Path, capsys):
    saved = tmp_path / "page.html"
    saved.write_text('<!-- saved from url=(0052)https://www.yelp.com/biz/maple-family-dental-austin -->\n<p>Hi</p>', encoding="utf-8")
    out = tmp_path / "fixtures"
    assert run(saved, out, "--name", "empty_biz") == 0
    written = out / "yelp" / "empty_biz.json"
    assert json.loads(written.read_text(encoding="utf-8"))["url"] == "https://www.yelp.com/biz/maple-family-dental-austin"
    written.write_text("{}", encoding="utf-8")
    capsys.readouterr()
    assert run(saved, out, "--name", "empty_biz") == 1
    assert "--force" in capsys.readouterr().err and written.read_text(encoding="utf-8") == "{}"
    assert run(saved, out, "--name", "empty_biz", "--force") == 0
    assert json.loads(written.read_text(encoding="utf-8"))["status"] == "no_reviews"
    # Regenerating the JSON from the fixture's own (edited) HTML: only the JSON needs --force.
    assert run(out / "yelp" / "empty_biz.html", out, "--name", "empty_biz", "--force") == 0


def test_a_page_of_an_unsupported_site_is_refused(tmp_path: Path, capsys):
    saved = tmp_path / "page.html"
    saved.write_text('<link rel="canonical" href="https://www.tripadvisor.com/x"><p>Hi</p>', encoding="utf-8")
    with pytest.raises(SystemExit) as exited:
        run(saved, tmp_path / "fixtures")
    assert exited.value.code == 2 and "does not read reviews from https://www.tripadvisor.com/x" in capsys.readouterr().err
    assert not (tmp_path / "fixtures").exists()


def test_the_script_runs_from_the_command_line(tmp_path: Path):
    source = Path(__file__).parent / "fixtures" / "google" / "search_2024.html"
    expected = load_case(source)
    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(source), "--url", expected["url"], "--captured-at", expected["captured_at"],
         "--fixtures-dir", str(tmp_path)],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "skeleton" in done.stdout and "made-up people" in done.stdout
    generated = json.loads((tmp_path / "google" / "search_2024.json").read_text(encoding="utf-8"))
    assert pinned(generated, expected) == expected
