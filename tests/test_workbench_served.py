"""The dashboard serves the review-workbench components, the one copy in extension/workbench/, and a
built wheel carries them so that ``pip install .`` works."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from server.web import workbench
from tests.conftest import review

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "extension" / "workbench"
SHIPPED = sorted(path for pattern in ("*.js", "*.css") for path in SOURCE.glob(pattern))
CONTENT_TYPES = {".js": "text/javascript", ".css": "text/css"}
RELATIVE_IMPORT = re.compile(r"""\bfrom\s+["'](\./[^"']+)["']|\bimport\s+["'](\./[^"']+)["']""")


def test_the_workbench_has_its_components():
    names = {path.name for path in SHIPPED}
    assert {"dom.js", "workbench.js", "inbox-list.js", "reply-editor.js", "countdown.js", "workbench.css"} <= names


@pytest.mark.parametrize("source", SHIPPED, ids=lambda path: path.name)
def test_the_dashboard_serves_each_workbench_file_unchanged(client, source):
    answer = client.get(f"/workbench/{source.name}")
    assert answer.status_code == 200
    assert answer.get_data() == source.read_bytes()
    assert answer.mimetype == CONTENT_TYPES[source.suffix]
    assert answer.headers["X-Content-Type-Options"] == "nosniff"


def test_every_module_the_workbench_imports_is_served_beside_it(client):
    for source in SHIPPED:
        for match in RELATIVE_IMPORT.finditer(source.read_text(encoding="utf-8")):
            imported = (match.group(1) or match.group(2))[2:]
            assert client.get(f"/workbench/{imported}").status_code == 200, f"{source.name} imports {imported}"


@pytest.mark.parametrize("path", [
    "/workbench/../app.py", "/workbench/..%2Fapp.py", "/workbench/%2e%2e%2fworkbench.py", "/workbench/..%2F..%2Fpyproject.toml",
    "/workbench/missing.js", "/workbench/README.md", "/workbench/.hidden.js", "/workbench/", "/workbench/sub/dom.js",
])
def test_nothing_outside_the_workbench_files_is_served(client, path):
    assert client.get(path).status_code == 404


def test_the_dashboard_policy_lets_its_pages_load_the_workbench(client):
    csp = client.get("/login").headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp


def test_the_source_tree_serves_the_repository_copy():
    assert workbench.workbench_folder() in (workbench.PACKAGED, SOURCE)
    if not workbench.PACKAGED.exists():
        assert workbench.workbench_folder() == SOURCE


@pytest.fixture(scope="module")
def built_wheel(tmp_path_factory) -> Path:
    """A wheel built from a copy of the sources (the repository itself gets no build/ folder)."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "src"
    source.mkdir()
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder in ("server", "parsers", "extension/workbench"):
        shutil.copytree(ROOT / folder, source / folder, ignore=ignore)
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-q", "-w", str(work / "dist")],
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = (work / "dist").glob("reviewdesk-*.whl")
    return wheel


def test_the_wheel_carries_the_workbench(built_wheel):
    with zipfile.ZipFile(built_wheel) as wheel:
        packaged = {name.rsplit("/", 1)[1]: wheel.read(name) for name in wheel.namelist() if name.startswith("server/web/workbench/")}
    assert packaged == {source.name: source.read_bytes() for source in SHIPPED}


def test_an_installed_wheel_serves_its_own_copy(built_wheel, tmp_path):
    installed = tmp_path / "site"
    with zipfile.ZipFile(built_wheel) as wheel:
        wheel.extractall(installed)  # what installing a pure-Python wheel does
    probe = ("from server.web import workbench; print(workbench.__file__); print(workbench.workbench_folder())")
    answer = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env={"PYTHONPATH": str(installed)},
                            capture_output=True, text=True, timeout=60)
    assert answer.returncode == 0, answer.stderr
    module, folder = answer.stdout.split()
    assert Path(module) == installed / "server" / "web" / "workbench.py"
    assert Path(folder) == installed / "server" / "web" / "workbench"


# The dashboard's review page will mount the workbench like this (a same-origin fetch as its `api`).
MOUNT_ON_THE_DASHBOARD = """async (reviewId) => {
  const { mountWorkbench } = await import("/workbench/workbench.js");
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  async function api(method, path, body) {
    const response = await fetch(path, {
      method, credentials: "same-origin",
      headers: { "X-CSRF-Token": csrf, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = await response.json().catch(() => ({ ok: false, message: `The server answered ${response.status}.` }));
    return { ok: response.ok && data.ok !== false, status: response.status, data };
  }
  const style = Object.assign(document.createElement("link"), { rel: "stylesheet", href: "/workbench/workbench.css" });
  document.head.append(style);
  const container = document.createElement("section");
  document.querySelector("main").prepend(container);
  const bench = await mountWorkbench(container, { api, reviewId, hooks: { copyText: async () => {} } });
  return bench !== null && bench.element.dataset.loaded;
}"""


def test_the_dashboard_mounts_the_workbench_under_its_content_security_policy(live_server, page):
    hostile = '<img src=x onerror="window.__pwned = 1">Terrible <b>service</b>'
    (review_id,) = live_server.request("POST", "/api/reviews", {"reviews": [review(text=hostile, rating=1)]}).json["review_ids"]
    refused = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None)
    page.goto(live_server.url + "/login")
    page.fill("#token", live_server.token)
    page.click("button[type=submit]")
    page.wait_for_selector("#reviews")

    assert page.evaluate(MOUNT_ON_THE_DASHBOARD, review_id) == "true"
    bench = page.locator(f"article[data-review-id='{review_id}']")
    assert bench.locator("[data-role=review-text]").inner_text() == hostile
    assert bench.locator("[data-role=stage]").inner_text() == "Cooling down"
    assert bench.locator("[data-action=copy]").is_disabled()
    assert page.evaluate("window.__pwned") is None and not refused
    events = live_server.request("GET", f"/api/reviews/{review_id}").json["events"]
    assert [event["type"] for event in events] == ["viewed"]
