"""Every page of the dashboard, found in the app: signed-in only, one navigation, a strict
Content-Security-Policy with nothing inline, scripts that exist, and the Host check as for the API."""

from __future__ import annotations

import re

import pytest

from server.contacts.importing import import_contacts
from tests.conftest import review
from tests.test_security import assert_error, login

PAGE_SCRIPT = re.compile(r'<script type="module" src="(/static/[^"]+\.js)"></script>')


def _pages(app) -> list[str]:
    """Every dashboard page (GET, HTML): the dashboard blueprint's routes but sign-in."""
    rules = [rule.rule for rule in app.url_map.iter_rules()
             if rule.endpoint.startswith("dashboard.") and "GET" in rule.methods and rule.endpoint != "dashboard.login"]
    return sorted(re.sub(r"<[^>]+>", "1", rule) for rule in rules)


@pytest.fixture
def signed_in(app, client, auth, token):
    client.post("/api/reviews", json={"reviews": [review()]}, headers=auth)
    with app.app_context():
        from server.web.api.common import now, store
        import_contacts(store(), b"First Name,Last Name,Phone\nAvery,Lindqvist,555-201-3344\n", "contacts.csv", now=now())
    login(client, token)
    return client


def test_the_dashboard_has_every_section(app):
    assert _pages(app) == ["/", "/contacts", "/contacts/1", "/follow-ups", "/requests", "/reviews/1", "/settings", "/stats"]


def test_every_page_needs_a_session(app, client):
    for path in _pages(app):
        answer = client.get(path)
        assert answer.status_code == 302 and answer.headers["Location"].endswith("/login"), path


def test_every_page_is_strict_and_loads_only_its_own_scripts(app, signed_in):
    for path in _pages(app):
        answer = signed_in.get(path)
        assert answer.status_code == 200, path
        html = answer.get_data(as_text=True)
        csp = answer.headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "script-src 'self'" in csp and "style-src 'self'" in csp, path
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, path
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), f"{path} has an inline script"
        assert not re.search(r"\sstyle=", html), f"{path} has a style attribute"
        assert not re.search(r"\son[a-z]+=", html), f"{path} has an event attribute"
        assert not re.search(r'(src|href)="(https?:)?//', html), f"{path} loads something from elsewhere"
        assert 'aria-label="Sections"' in html and 'aria-current="page"' in html, f"{path} lacks the navigation"
        assert "Being built" not in html, f"{path} is a placeholder"
        scripts = PAGE_SCRIPT.findall(html)
        assert scripts, f"{path} has no script"
        for script in scripts:
            assert signed_in.get(script).status_code == 200, script


def test_every_page_refuses_a_foreign_host(app, signed_in):
    for path in _pages(app):
        assert_error(signed_in.get(path, headers={"Host": "reviewdesk.example.com"}), 403, "forbidden_host")
