"""Settings precedence, the data directory, and files readable by their owner only."""

from __future__ import annotations

import json
import stat

import pytest

from server.web.app import create_app
from server.config import ConfigError, ConfigFile, resolve_data_dir


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_database_config_and_folder_are_private(app, data_dir, client, auth):
    client.post("/api/reviews", headers=auth, json={"reviews": [{"platform": "yelp", "reviewer_name": "Sam K.", "text": "ok"}]})
    assert mode(data_dir) == 0o700
    assert mode(data_dir / "config.json") == 0o600
    assert mode(data_dir / "reviewdesk.sqlite3") == 0o600
    for sidecar in data_dir.glob("reviewdesk.sqlite3-*"):
        assert mode(sidecar) & 0o077 == 0, sidecar


def test_settings_precedence_defaults_file_environment_test(data_dir, monkeypatch):
    assert create_app({"DATA_DIR": str(data_dir)}).config["PORT"] == 5151  # default

    config = json.loads((data_dir / "config.json").read_text())
    config.update(port=6001, max_body_mb=3)
    (data_dir / "config.json").write_text(json.dumps(config))
    app = create_app({"DATA_DIR": str(data_dir)})
    assert (app.config["PORT"], app.config["MAX_BODY_MB"]) == (6001, 3)
    assert app.config["MAX_CONTENT_LENGTH"] == 3 * 1024 * 1024

    monkeypatch.setenv("REVIEWDESK_PORT", "6002")
    monkeypatch.setenv("REVIEWDESK_EXTENSION_IDS", "abcdefghijklmnopabcdefghijklmnop, ponmlkjihgfedcbaponmlkjihgfedcba")
    app = create_app({"DATA_DIR": str(data_dir)})
    assert app.config["PORT"] == 6002 and app.config["MAX_BODY_MB"] == 3
    assert app.config["EXTENSION_IDS"] == ["abcdefghijklmnopabcdefghijklmnop", "ponmlkjihgfedcbaponmlkjihgfedcba"]

    assert create_app({"DATA_DIR": str(data_dir), "PORT": 6003}).config["PORT"] == 6003


def test_data_dir_comes_from_argument_then_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("REVIEWDESK_DATA_DIR", str(tmp_path / "from-env"))
    assert resolve_data_dir() == tmp_path / "from-env"
    assert resolve_data_dir(tmp_path / "explicit") == tmp_path / "explicit"
    monkeypatch.delenv("REVIEWDESK_DATA_DIR")
    assert "reviewdesk" in str(resolve_data_dir()).lower()


def test_bad_setting_names_the_setting(data_dir, monkeypatch):
    monkeypatch.setenv("REVIEWDESK_PORT", "fifty")
    with pytest.raises(ConfigError, match="REVIEWDESK_PORT: PORT must be a whole number, got 'fifty'"):
        create_app({"DATA_DIR": str(data_dir)})


def test_unreadable_config_file_says_how_to_recover(data_dir):
    data_dir.mkdir(parents=True)
    (data_dir / "config.json").write_text("{not json")
    with pytest.raises(ConfigError, match="move it away"):
        create_app({"DATA_DIR": str(data_dir)})


def test_token_survives_restarts_and_rotation_replaces_it(data_dir):
    first = ConfigFile(data_dir).token()
    assert len(first) >= 40
    assert ConfigFile(data_dir).token() == first
    rotated = ConfigFile(data_dir).rotate_token()
    assert rotated != first and ConfigFile(data_dir).token() == rotated
    assert mode(data_dir / "config.json") == 0o600


def test_tests_never_use_the_real_data_directory(app):
    from server.config import default_data_dir

    assert not app.config["DATA_DIR"].startswith(str(default_data_dir()))
