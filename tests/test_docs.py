"""The README documents every command and route, and CI runs the README's test command."""

from __future__ import annotations

import re
from pathlib import Path

import click

from server.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def normalised_route(path: str) -> str:
    return re.sub(r"<[^>]+>", "<id>", path)


def test_readme_documents_every_cli_command_and_option():
    for name, command in cli.commands.items():
        assert f"`reviewdesk {name}" in README, f"README does not document 'reviewdesk {name}'"
        for param in command.params:
            if isinstance(param, click.Option):
                flag = max(param.opts, key=len)
                section = README[README.index(f"`reviewdesk {name}"):]
                assert flag in section.split("\n", 1)[0], f"README does not document {flag} of 'reviewdesk {name}'"


def test_readme_documents_every_api_route(app):
    routes = {
        (method, normalised_route(rule.rule))
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes, "no API routes found"
    missing = [f"{method} {path}" for method, path in sorted(routes) if f"`{method} {path}`" not in README]
    assert not missing, f"README does not document: {missing}"


def readme_command(heading_words: str) -> str:
    section = README[README.index(heading_words):]
    return re.search(r"```sh\n(.+?)\n```", section, re.S).group(1).strip()


def test_ci_runs_the_readme_test_command():
    test_command = readme_command("Install everything the tests need")
    ci_script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci_script


def test_readme_run_command_installs_and_serves():
    run_command = readme_command("Install and start ReviewDesk")
    assert "pip install ." in run_command and run_command.endswith("reviewdesk serve")


def _shown(default) -> str:
    if isinstance(default, bool):
        return f"`{str(default).lower()}`"
    return "empty" if default in ("", []) else f"`{default}`"


def test_readme_documents_every_server_setting_with_its_default_and_meaning():
    from server.config import SERVER_SETTINGS

    for setting in SERVER_SETTINGS:
        row = next((line for line in README.splitlines()
                    if line.startswith(f"| `{setting.name.lower()}` / `REVIEWDESK_{setting.name}` |")), None)
        assert row is not None, f"README's settings table lacks {setting.name.lower()}"
        assert _shown(setting.default) in row and setting.help in row, f"README's row for {setting.name.lower()} is out of date"


def test_readme_documents_every_practice_setting_with_its_default_and_meaning():
    from server.settings import SETTINGS

    for setting in SETTINGS:
        row = next((line for line in README.splitlines() if line.startswith(f"| `{setting.name}` |")), None)
        assert row is not None, f"README's practice settings table lacks {setting.name}"
        assert row == f"| `{setting.name}` | {_shown(setting.default)} | {setting.help} |", f"README's row for {setting.name} is out of date"
