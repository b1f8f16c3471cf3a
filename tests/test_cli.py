"""The ``reviewdesk`` command as a user runs it: serve, token, backup."""

from __future__ import annotations

import http.client
import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from parsers.review import Review
from server.config import ConfigFile
from server.reviews.ingest import ingest
from server.storage import Store, initialise


def reviewdesk_command() -> list[str]:
    script = Path(sys.executable).with_name("reviewdesk")
    return [str(script)] if script.exists() else [sys.executable, "-m", "server.cli"]


def run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([*reviewdesk_command(), *args], capture_output=True, text=True, timeout=timeout)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get_json(port: int, path: str, token: str) -> tuple[int, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Authorization": f"Bearer {token}"})
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


@pytest.fixture
def served(tmp_path):
    """``reviewdesk serve`` running in a subprocess; yields (port, printed lines, data dir)."""
    data_dir = tmp_path / "served"
    port = free_port()
    process = subprocess.Popen(
        [*reviewdesk_command(), "serve", "--port", str(port), "--data-dir", str(data_dir)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    lines: list[str] = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip("\n"))
        if line.startswith("Press Ctrl+C"):
            break
    try:
        yield port, lines, data_dir
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serve_prints_the_dashboard_and_pairing_and_answers(served):
    port, lines, data_dir = served
    output = "\n".join(lines)
    token = ConfigFile(data_dir).token()
    assert f"Dashboard:       http://127.0.0.1:{port}/" in output
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
    assert result.returncode != 0
    assert "Refusing to listen on 192.0.2.10" in result.stderr and "--allow-network" in result.stderr


def test_serve_on_a_busy_port_says_so(served, tmp_path):
    port, _, _ = served
    result = run("serve", "--port", str(port), "--data-dir", str(tmp_path / "other"))
    assert result.returncode != 0
    assert f"Cannot listen on 127.0.0.1:{port}" in result.stderr and "--port" in result.stderr


def test_token_prints_and_rotates(tmp_path):
    data_dir = tmp_path / "d"
    printed = run("token", "--data-dir", str(data_dir))
    assert printed.returncode == 0 and printed.stdout.strip() == ConfigFile(data_dir).token()
    again = run("token", "--data-dir", str(data_dir))
    assert again.stdout == printed.stdout
    rotated = run("token", "--rotate", "--data-dir", str(data_dir))
    assert rotated.returncode == 0 and rotated.stdout.strip() != printed.stdout.strip()
    assert rotated.stdout.strip() == ConfigFile(data_dir).token()
    assert "old token" in rotated.stderr


def test_token_uses_the_environment_data_dir(tmp_path):
    data_dir = tmp_path / "env-dir"
    result = subprocess.run([*reviewdesk_command(), "token"], capture_output=True, text=True,
                            env={**os.environ, "REVIEWDESK_DATA_DIR": str(data_dir)}, timeout=60)
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
        while written[0] < 500:
            time.sleep(0.01)
        result = run("backup", str(tmp_path / "copy.sqlite3"), "--data-dir", str(data_dir))
    finally:
        stop.set()
        thread.join()
    assert result.returncode == 0, result.stderr
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
    assert missing.returncode != 0 and "There is no ReviewDesk database" in missing.stderr

    initialise(data_dir / "reviewdesk.sqlite3")
    folder = tmp_path / "backups"
    folder.mkdir()
    assert run("backup", str(folder), "--data-dir", str(data_dir)).returncode == 0
    [made] = folder.glob("reviewdesk-backup-*.sqlite3")

    exists = run("backup", str(made), "--data-dir", str(data_dir))
    assert exists.returncode != 0 and "--force" in exists.stderr
    assert run("backup", str(made), "--force", "--data-dir", str(data_dir)).returncode == 0


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
    assert result.returncode == 0, result.stderr
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
    assert result.returncode != 0 and "not a review export" in result.stderr
    with Store.connect(data_dir / "reviewdesk.sqlite3") as store:
        assert store.count_reviews() == 0
    page = tmp_path / "page.html"
    page.write_text("<html><body>no address here</body></html>", encoding="utf-8")
    missing_url = run("import-reviews", str(page), "--data-dir", str(data_dir))
    assert missing_url.returncode != 0 and "--url" in missing_url.stderr
