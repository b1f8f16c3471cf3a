"""The toolbar's own checks, run from pytest: its unit tests under Node's test runner (jsdom),
``web-ext lint`` on the extension folder, and the content scripts' captures of the parser fixture
pages read back by the real parsers (what the toolbar sends holds every review the server expects).

Skipped, with what to install, only when Node.js or the npm packages (``npm ci``) are missing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from parsers import parse_page
from tests.parsers.test_fixtures import FIXTURES, actual_review, load_case

ROOT = Path(__file__).resolve().parents[2]
EXTENSION = ROOT / "extension"
NODE_MODULES = ROOT / "node_modules"
NODE = shutil.which("node")


def _why_not_ready() -> str | None:
    if NODE is None:
        return "Node.js is not installed ('apt-get install nodejs npm'); the toolbar's unit tests and web-ext lint are skipped."
    missing = [name for name in ("jsdom", "web-ext") if not (NODE_MODULES / name / "package.json").exists()]
    if missing:
        return (f"The npm packages of the toolbar's tests are missing ({', '.join(missing)}): run 'npm ci' in the repository "
                "(python tests/browser.py does it); the toolbar's unit tests and web-ext lint are skipped.")
    return None


pytestmark = pytest.mark.skipif(_why_not_ready() is not None, reason=_why_not_ready() or "")


def _run(command: list[str], timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=timeout)


def _failures(tap: str) -> str:
    """The failing tests of a TAP report, with their messages (the whole report when none is marked)."""
    lines = tap.splitlines()
    marked = [index for index, line in enumerate(lines) if line.lstrip().startswith("not ok")]
    if not marked:
        return tap[-6000:]
    return "\n".join("\n".join(lines[index:index + 25]) for index in marked)[-12000:]


def test_extension_unit_tests_pass():
    result = _run([NODE, "--test", "--test-reporter=tap", "extension/tests/"])
    assert result.returncode == 0, _failures(result.stdout)


def test_web_ext_lint_finds_no_errors():
    result = _run([str(NODE_MODULES / ".bin" / "web-ext"), "lint", "--source-dir", str(EXTENSION), "--self-hosted",
                   "--output", "json", "--no-input"], timeout=180)
    start = result.stdout.find("{")
    assert start >= 0, result.stdout[-3000:]
    report = json.loads(result.stdout[start:])
    errors = [f"{item['code']}: {item['message']} ({item.get('file')})" for item in report["errors"]]
    assert errors == [], "\n".join(errors)
    assert result.returncode == 0, result.stdout[-3000:]


@pytest.fixture(scope="module")
def fixture_captures() -> dict[str, list[dict]]:
    result = subprocess.run([NODE, str(EXTENSION / "tests" / "helpers" / "capture-fixtures.js")], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


CASES = sorted(FIXTURES.glob("*/*.html"))


@pytest.mark.parametrize("page", CASES, ids=[f"{p.parent.name}/{p.stem}" for p in CASES])
def test_what_the_toolbar_sends_parses_to_the_fixture_reviews(page: Path, fixture_captures):
    case = load_case(page)
    sent = fixture_captures[f"{page.parent.name}/{page.stem}"]
    if case["status"] == "no_reviews" and not case["reviews"]:
        assert sent == [], "a review page without reviews is not sent"
        return
    assert sent, "the toolbar sent nothing for this page"
    captured_at = datetime.fromisoformat(case["captured_at"].replace("Z", "+00:00"))
    results = [parse_page(message["url"], message["html"], captured_at, case.get("lang", "en")) for message in sent]
    assert [result.status for result in results] == [case["status"]] * len(sent), [result.warnings for result in results]
    if "layout" in case:
        assert {result.layout for result in results} == {case["layout"]}
    reviews = [review for result in results for review in result.reviews]
    assert len(reviews) == len(case["reviews"]), [review.reviewer_name for review in reviews]
    for index, (review, expected) in enumerate(zip(reviews, case["reviews"])):
        actual = actual_review(review)
        if isinstance(expected.get("owner_reply"), dict) and actual["owner_reply"]:
            actual["owner_reply"] = {key: actual["owner_reply"][key] for key in expected["owner_reply"]}
        assert {key: actual[key] for key in expected} == expected, f"review {index} ({review.reviewer_name})"
