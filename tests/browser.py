"""Find Debian's Chromium for the browser tests, installing it with apt-get when missing and possible.

Run ``python tests/browser.py`` before the suite (the README's test command does): it installs the
``chromium`` package as root, and otherwise says why the browser tests will be skipped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
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


def chromium_path() -> str | None:
    for candidate in CANDIDATES:
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def why_missing() -> str:
    return (
        "Chromium is not installed at /usr/bin/chromium and could not be installed here "
        "(installing needs root and apt-get: 'apt-get install chromium'); the browser tests are skipped."
    )


def install() -> str | None:
    """Chromium's path, installing Debian's package first if it is missing and we are root."""
    found = chromium_path()
    if found:
        return found
    if not shutil.which("apt-get") or os.geteuid() != 0:
        return None
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", "--no-install-recommends", "chromium"]):
        result = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if result.returncode != 0:
            print(f"'{' '.join(command)}' failed: {result.stderr.strip()[-500:]}", file=sys.stderr)
            return None
    return chromium_path()


if __name__ == "__main__":
    path = install()
    print(f"Chromium for the browser tests: {path}" if path else why_missing())
