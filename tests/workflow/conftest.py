"""A real SQLite store on a temporary file, for the workflow's domain functions (no HTTP)."""

from __future__ import annotations

import pytest

from server.storage import Store, initialise


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "reviewdesk.sqlite3"
    initialise(path)
    with Store.connect(path) as opened:
        yield opened
