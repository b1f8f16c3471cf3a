"""What the benchmarks that talk to the real server share: ``reviewdesk serve`` started as a process on a
free port with a temporary data directory, and a percentile."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def served(log: Path | None = None, process: list | None = None, data_dir: Path | None = None,
           options: tuple[str, ...] = ()) -> Iterator[tuple[int, str]]:
    """The server running on 127.0.0.1: its port and pairing token (stopped on leaving). ``log``: a file for
    what it writes to stderr (its log); ``process``: a list the server's process is appended to; ``data_dir``:
    its data folder (by default a new empty one); ``options``: more options for ``reviewdesk serve``."""
    with tempfile.TemporaryDirectory() as empty_dir:
        data_dir = str(data_dir or empty_dir)
        port = free_port()
        command = [sys.executable, "-m", "server.cli", "serve", "--port", str(port), "--data-dir", data_dir, *options]
        server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parent.parent,
                                  stderr=log.open("w") if log else subprocess.DEVNULL)
        if process is not None:
            process.append(server)
        try:
            while not server.stdout.readline().startswith("Press Ctrl+C"):
                if server.poll() is not None:
                    sys.exit("the server did not start")
            # Keep reading what the server prints, so a full pipe never blocks it.
            threading.Thread(target=lambda: [None for _ in server.stdout], daemon=True).start()
            yield port, json.loads((Path(data_dir) / "config.json").read_text())["token"]
        finally:
            server.terminate()
            server.wait(timeout=10)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]
