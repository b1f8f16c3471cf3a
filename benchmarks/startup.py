"""How long `reviewdesk serve` takes from the command to answering, and to `checker_ready` (the vocabularies
and both learned models loaded, so the first check or triage does not wait): target under 3 s.

Run: python benchmarks/startup.py [--runs 3]
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.served import served  # noqa: E402


def health(port: int, token: str) -> dict | None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", "/api/health", headers={"Authorization": f"Bearer {token}"})
        response = connection.getresponse()
        return json.loads(response.read()) if response.status == 200 else None
    except OSError:
        return None
    finally:
        connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    for run in range(1, args.runs + 1):
        started = time.perf_counter()
        with served() as (port, token):
            answering = time.perf_counter() - started
            while not (health(port, token) or {}).get("checker_ready"):
                time.sleep(0.02)
            ready = time.perf_counter() - started
        print(f"run {run}: answering after {answering:.2f} s, checker_ready after {ready:.2f} s (target < 3 s)")


if __name__ == "__main__":
    main()
