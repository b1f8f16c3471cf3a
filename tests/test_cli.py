"""The ``reviewdesk`` command as a user runs it: serve, token, backup.

Commands run in this process with click's ``CliRunner`` (stdout and stderr kept apart, as a terminal
shows them). ``reviewdesk serve`` itself runs as a real process: that it starts, prints the dashboard
address and the pairing token and answers over HTTP is the point of those tests.
"""

from __future__ import annotations

import http.client
import json
import logging
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from parsers.review import Review
from server.cli import cli
from server.config import ConfigFile
from server.reviews.ingest import ingest
from server.storage import Store, initialise
from tests.conftest import reviewdesk_command


@pytest.fixture(autouse=True)
def no_real_data_dir(tmp_path, monkeypatch):
    """Whatever a test forgets to pass, the command never reaches the user's real data folder."""
    monkeypatch.setenv("REVIEWDESK_DATA_DIR", str(tmp_path / "environment-data-dir"))


@pytest.fixture(autouse=True)
def logging_left_as_found():
    """``serve`` configures logging; run in this process it must not leave handlers on the test's streams."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def run(*args: str) -> Result:
    """``reviewdesk ARGS`` in this process: ``exit_code``, and ``stdout`` and ``stderr`` apart."""
    return CliRunner().invoke(cli, list(args), prog_name="reviewdesk", catch_exceptions=False)


def get_json(port: int, path: str, token: str) -> tuple[int, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Authorization": f"Bearer {token}"})
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def test_serve_prints_the_dashboard_and_pairing_and_answers(served):
    port, lines, data_dir = served
    output = "\n".join(lines)
    token = ConfigFile(data_dir).token()
    assert f"Dashboard:       http://127.0.0.1:{port}/" in output
    assert f"Sign-in link:    http://127.0.0.1:{port}/login#token={token}" in output
    assert token in output and "reviewdesk token" in output
    status, body = get_json(port, "/api/health", token)
    assert status == 200 and body["ok"] is True and body["version"]
    deadline = time.monotonic() + 60
    while not body["checker_ready"] and time.monotonic() < deadline:  # the vocabularies load in the background
        time.sleep(0.2)
        status, body = get_json(port, "/api/health", token)
    assert body["checker_ready"] is True


def test_serve_refuses_a_network_address_without_the_flag(tmp_path):
    result = run("serve", "--host", "192.0.2.10", "--data-dir", str(tmp_path / "d"))
    assert result.exit_code != 0
    assert "Refusing to listen on 192.0.2.10" in result.stderr and "--allow-network" in result.stderr


def test_serve_on_a_busy_port_says_so(served, tmp_path):
    # A real process: on this path waitress has already started its request threads and opened its
    # trigger pipe, which only the process ending cleans up.
    port, _, _ = served
    result = subprocess.run([*reviewdesk_command(), "serve", "--port", str(port), "--data-dir", str(tmp_path / "other")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert f"Cannot listen on 127.0.0.1:{port}" in result.stderr and "--port" in result.stderr


def test_token_prints_and_rotates(tmp_path):
    data_dir = tmp_path / "d"
    printed = run("token", "--data-dir", str(data_dir))
    assert printed.exit_code == 0 and printed.stdout.strip() == ConfigFile(data_dir).token()
    again = run("token", "--data-dir", str(data_dir))
    assert again.stdout == printed.stdout
    rotated = run("token", "--rotate", "--data-dir", str(data_dir))
    assert rotated.exit_code == 0 and rotated.stdout.strip() != printed.stdout.strip()
    assert rotated.stdout.strip() == ConfigFile(data_dir).token()
    assert "old token" in rotated.stderr


def test_token_uses_the_environment_data_dir(tmp_path, monkeypatch):
    data_dir = tmp_path / "env-dir"
    monkeypatch.setenv("REVIEWDESK_DATA_DIR", str(data_dir))
    result = run("token")
    assert result.stdout.strip() == ConfigFile(data_dir).token()


def test_backup_while_writing_is_a_consistent_readable_copy(tmp_path):
    data_dir = tmp_path / "d"
    database = data_dir / "reviewdesk.sqlite3"
    initialise(database)
    stop = threading.Event()
    written = [0]

    def writer() -> None:
        with Store.connect(database) as store:
            batch = 0
            while not stop.is_set():
                ingest(store, (
                    Review(platform="google", platform_review_id=f"b{batch}-{i}", reviewer_name=f"Writer {batch} {i}", text="x" * 200)
                    for i in range(50)
                ), datetime.now(timezone.utc))
                written[0] += 50
                batch += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while written[0] < 500:
            # a writer that failed must fail the test, not leave it waiting for ever
            assert thread.is_alive() and time.monotonic() < deadline, "the writer stopped before writing 500 reviews"
            time.sleep(0.01)
        result = run("backup", str(tmp_path / "copy.sqlite3"), "--data-dir", str(data_dir))
    finally:
        stop.set()
        thread.join()
    assert result.exit_code == 0, result.stderr
    assert "integrity check ok" in result.stdout
    copy = sqlite3.connect(tmp_path / "copy.sqlite3")
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    copied = copy.execute("SELECT count(*) FROM reviews").fetchone()[0]
    assert copied >= 500 and copied % 50 == 0  # whole batches only: a consistent snapshot
    assert copied <= written[0]
    assert (tmp_path / "copy.sqlite3").stat().st_mode & 0o077 == 0


def test_backup_into_a_folder_and_refusals(tmp_path):
    data_dir = tmp_path / "d"
    missing = run("backup", str(tmp_path / "x.sqlite3"), "--data-dir", str(data_dir))
    assert missing.exit_code != 0 and "There is no ReviewDesk database" in missing.stderr

    initialise(data_dir / "reviewdesk.sqlite3")
    folder = tmp_path / "backups"
    folder.mkdir()
    assert run("backup", str(folder), "--data-dir", str(data_dir)).exit_code == 0
    [made] = folder.glob("reviewdesk-backup-*.sqlite3")

    exists = run("backup", str(made), "--data-dir", str(data_dir))
    assert exists.exit_code != 0 and "--force" in exists.stderr
    assert run("backup", str(made), "--force", "--data-dir", str(data_dir)).exit_code == 0


def test_help_lists_every_command():
    result = run("--help")
    for command in ("serve", "token", "backup"):
        assert command in result.stdout


EXPORTS = Path(__file__).parent / "parsers" / "exports"
SAVED_PAGE = """<!DOCTYPE html>
<!-- saved from url=(0074)https://www.google.com/maps/place/Maple+Family+Dental/@30.26,-97.74,17z -->
<html><head><title>Maple Family Dental - Google Maps</title></head><body>
<div class="jftiEf" aria-label="Rosa Delgado" data-review-id="ChdDSUhNMG9nS0VJQ0FnSUNRc2F2Yk9nEAE">
  <div class="DU9Pgb"><span class="kvMYJc" role="img" aria-label="3 stars"></span><span class="rsqaWe">2 months ago</span></div>
  <div class="MyEned" lang="en" id="ChdDSUhNMG9nS0VJQ0FnSUNRc2F2Yk9nEAE"><span class="wiI7pd">Billing took weeks to answer.</span></div>
</div></body></html>"""


def test_import_reviews_from_exports_and_a_saved_page(tmp_path):
    data_dir = tmp_path / "d"
    page = tmp_path / "maple.html"
    page.write_text(SAVED_PAGE, encoding="utf-8")
    files = [str(EXPORTS / name) for name in ("google_business_profile_api.json", "yelp_fusion.json", "facebook_ratings.json")]
    result = run("import-reviews", *files, str(page), "--data-dir", str(data_dir))
    assert result.exit_code == 0, result.stderr
    assert "google_business_profile_api.json: google export: 3 reviews, 3 new" in result.stdout
    assert "maple.html: google page (google_maps): 1 reviews, 1 new" in result.stdout
    assert "excerpts" in result.stderr
    with Store.connect(data_dir / "reviewdesk.sqlite3") as store:
        assert store.count_reviews() == 3 + 2 + 2 + 1

    again = run("import-reviews", *files, str(page), "--data-dir", str(data_dir))
    assert "3 reviews, 0 new, 0 updated, 3 unchanged" in again.stdout


def test_import_reviews_refuses_unknown_files_before_storing_anything(tmp_path):
    data_dir = tmp_path / "d"
    bad = tmp_path / "contacts.json"
    bad.write_text('{"contacts": []}', encoding="utf-8")
    result = run("import-reviews", str(EXPORTS / "yelp_fusion.json"), str(bad), "--data-dir", str(data_dir))
    assert result.exit_code != 0 and "not a review export" in result.stderr
    with Store.connect(data_dir / "reviewdesk.sqlite3") as store:
        assert store.count_reviews() == 0
    page = tmp_path / "page.html"
    page.write_text("<html><body>no address here</body></html>", encoding="utf-8")
    missing_url = run("import-reviews", str(page), "--data-dir", str(data_dir))
    assert missing_url.exit_code != 0 and "--url" in missing_url.stderr


def test_commands_that_read_the_database_load_no_model_page_reader_or_migration_library(tmp_path):
    """What keeps `reviewdesk report` quick to start: NumPy (pulled in by sqlite-utils and the models), lxml and
    sqlite-utils itself are loaded only by the commands that need them."""
    initialise(tmp_path / "reviewdesk.sqlite3")
    script = ("import sys; from click.testing import CliRunner; from server.cli import cli; "
              f"result = CliRunner().invoke(cli, ['report', '--data-dir', {str(tmp_path)!r}]); "
              "assert result.exit_code == 0, result.output; "
              "print(sorted(name for name in ('numpy', 'lxml', 'sqlite_utils', 'sklearn') if name in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"
