"""Find (and install when missing and possible) what the browser tests need: Debian's Chromium and
Firefox ESR, and the npm packages of the extension's tests (puppeteer-core, jsdom, web-ext).

Run ``python tests/browser.py`` before the suite (the README's test command does). As root it installs
the ``chromium`` and ``firefox-esr`` packages with apt-get, and runs ``npm ci`` in the repository when
``node_modules`` is missing or does not match ``package-lock.json``; when everything is there it only
looks (well under a second). Whatever cannot be installed is reported, and the tests that need it are
skipped with the same message.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"

CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
FIREFOX_CANDIDATES = ("/usr/bin/firefox-esr", "/usr/bin/firefox")
# Without these, Chromium tries to reach Google's services at start-up and on a closed network
# spends its time on refused connections.
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The npm packages the extension's tests load from node_modules.
NPM_PACKAGES = ("puppeteer-core", "jsdom", "web-ext")


def _first_executable(candidates) -> str | None:
    for candidate in candidates:
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def chromium_path() -> str | None:
    return _first_executable(CANDIDATES)


def firefox_path() -> str | None:
    return _first_executable(FIREFOX_CANDIDATES)


def why_missing() -> str:
    return (
        "Chromium is not installed at /usr/bin/chromium and could not be installed here "
        "(installing needs root and apt-get: 'apt-get install chromium'); the browser tests are skipped."
    )


def why_firefox_missing() -> str:
    return (
        "Firefox ESR is not installed at /usr/bin/firefox-esr and could not be installed here "
        "(installing needs root and apt-get: 'apt-get install firefox-esr'); the Firefox tests are skipped."
    )


def node_path() -> str | None:
    return shutil.which("node")


def npm_stale_reason() -> str | None:
    """Why ``node_modules`` does not match ``package-lock.json`` (None: it does).

    Compares every package the lock file installs with the version in node_modules; optional packages
    (another platform's binaries) may be absent."""
    lock_file = ROOT / "package-lock.json"
    if not lock_file.exists():
        return "package-lock.json is missing"
    if not NODE_MODULES.is_dir():
        return "node_modules is missing"
    try:
        packages = json.loads(lock_file.read_text(encoding="utf-8")).get("packages", {})
    except (OSError, ValueError) as error:
        return f"package-lock.json is unreadable ({error})"
    for location, entry in packages.items():
        if not location.startswith("node_modules/") or entry.get("link"):
            continue
        manifest = ROOT / location / "package.json"
        try:
            installed = json.loads(manifest.read_text(encoding="utf-8")).get("version")
        except (OSError, ValueError):
            if entry.get("optional"):
                continue
            return f"{location} is missing"
        if installed != entry.get("version"):
            return f"{location} is {installed}, the lock file says {entry.get('version')}"
    return None


def npm_ready() -> bool:
    return node_path() is not None and npm_stale_reason() is None


def why_npm_missing() -> str:
    if node_path() is None:
        return "Node.js is not installed ('apt-get install nodejs npm'); the Firefox end-to-end test is skipped."
    return (
        f"The npm packages of the extension's tests are not installed ({npm_stale_reason()}); "
        "run 'npm ci' in the repository (python tests/browser.py does it); the Firefox end-to-end test is skipped."
    )


def _apt_install(packages: list[str]) -> bool:
    """apt-get install ``packages`` (as root), after one apt-get update. False (and says why) on failure."""
    if not packages:
        return True
    if not shutil.which("apt-get") or os.geteuid() != 0:
        return False
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    print(f"Installing {' '.join(packages)} with apt-get...", flush=True)
    for command in (["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", "--no-install-recommends", *packages]):
        result = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if result.returncode != 0:
            print(f"'{' '.join(command)}' failed: {result.stderr.strip()[-500:]}", file=sys.stderr)
            return False
    return True


def install() -> str | None:
    """Chromium's path, installing Debian's package first if it is missing and we are root."""
    found = chromium_path()
    if found:
        return found
    _apt_install(["chromium"])
    return chromium_path()


def install_browsers() -> tuple[str | None, str | None]:
    """(Chromium's path, Firefox's path), installing the missing ones with a single apt-get run."""
    missing = [package for package, path in (("chromium", chromium_path()), ("firefox-esr", firefox_path())) if path is None]
    if missing and not _apt_install(missing) and len(missing) > 1:
        for package in missing:  # one may install where both together do not
            _apt_install([package])
    return chromium_path(), firefox_path()


def install_npm() -> str | None:
    """``npm ci`` in the repository when node_modules is missing or stale; None when ready, else why not."""
    stale = npm_stale_reason()
    if stale is None:
        return None
    npm = shutil.which("npm")
    if node_path() is None or npm is None:
        return "Node.js and npm are not installed"
    if not (ROOT / "package-lock.json").exists():
        return stale
    print(f"Running npm ci ({stale})...", flush=True)
    result = subprocess.run(
        [npm, "ci", "--include=dev", "--no-audit", "--no-fund", "--loglevel=error"], cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=900,
    )
    if result.returncode != 0:
        return f"'npm ci' failed: {result.stderr.strip()[-500:]}"
    return npm_stale_reason()


def _version(command: list[str]) -> str:
    try:
        result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    return result.stdout.strip().splitlines()[0] if result.stdout.strip() else "?"


def main() -> None:
    chromium, firefox = install_browsers()
    print(f"Chromium for the browser tests: {chromium} ({_version([chromium, '--version'])})" if chromium else why_missing())
    print(f"Firefox for the browser tests: {firefox} ({_version([firefox, '--version'])})" if firefox else why_firefox_missing())
    problem = install_npm()
    if problem is None:
        versions = []
        for name in NPM_PACKAGES:
            try:
                versions.append(f"{name} {json.loads((NODE_MODULES / name / 'package.json').read_text())['version']}")
            except (OSError, ValueError, KeyError):
                versions.append(f"{name} (not in package-lock.json)")
        print(f"npm packages for the extension's tests: {NODE_MODULES} ({', '.join(versions)}; Node.js {_version(['node', '--version'])})")
    else:
        print(f"npm packages for the extension's tests are not ready: {problem}; the tests that need them are skipped.")


if __name__ == "__main__":
    main()
