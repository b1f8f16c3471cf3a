"""The contact import's speed alone, over several rounds: this machine's timings vary by a third from one
minute to the next, so one run of benchmarks/footprint.py says little about a change.

Each round imports the same generated CSV (benchmarks/contacts.py's population) into an empty database in a
process of its own, as footprint.py does (so no cache is warm from an earlier round), then imports it again (every
row unchanged), then runs `sqlite-utils insert --csv` on the file; the ratio compares the first import with
sqlite-utils in the same round. Prints each round, then the medians and ranges.
Run: python benchmarks/import_speed.py [--contacts 100000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from contacts import IMPORTED_AT, population, write_csv  # noqa: E402 (benchmarks/contacts.py)
from server.contacts.importing import import_contacts  # noqa: E402
from server.storage import Store, initialise  # noqa: E402


def timed_imports(database: Path, export: Path) -> None:
    """Import the file twice into ``database`` (an empty one first) and print both times."""
    raw = export.read_bytes()
    times = []
    for _ in range(2):
        with Store.connect(database) as store:
            started = time.perf_counter()
            import_contacts(store, raw, export.name, now=IMPORTED_AT)
            times.append(time.perf_counter() - started)
    print(*times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--import-into", nargs=2, metavar=("DATABASE", "CSV"), help=argparse.SUPPRESS)  # one round's imports
    args = parser.parse_args()
    if args.import_into:
        timed_imports(*map(Path, args.import_into))
        return
    sqlite_utils = shutil.which("sqlite-utils") or str(Path(sys.executable).with_name("sqlite-utils"))
    firsts, agains, ratios = [], [], []
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        export = folder / "contacts.csv"
        write_csv(population(args.contacts, random.Random(14)), export)
        for round_number in range(1, args.rounds + 1):
            database = folder / f"round{round_number}.sqlite3"
            initialise(database)
            answer = subprocess.run([sys.executable, __file__, "--import-into", str(database), str(export)], check=True,
                                    capture_output=True, text=True).stdout
            first, again = map(float, answer.split())
            started = time.perf_counter()
            subprocess.run([sqlite_utils, "insert", str(folder / f"peer{round_number}.db"), "contacts", str(export), "--csv"],
                           check=True, stdout=subprocess.DEVNULL)
            peer = time.perf_counter() - started
            firsts.append(first), agains.append(again), ratios.append(first / peer)
            print(f"round {round_number}: import {first:.2f} s, again {again:.2f} s; sqlite-utils {peer:.2f} s: ratio {first / peer:.2f}")
    for name, values in (("import", firsts), ("again", agains), ("ratio", ratios)):
        print(f"{name}: median {statistics.median(values):.2f}, {min(values):.2f}-{max(values):.2f}")


if __name__ == "__main__":
    main()
