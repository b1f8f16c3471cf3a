"""The contact import's speed alone, over several rounds: this machine's timings vary by a third from one
minute to the next, so one run of benchmarks/footprint.py says little about a change.

Each round imports the same generated CSV (benchmarks/contacts.py's population) into an empty database in a
process of its own, as footprint.py does (so no cache is warm from an earlier round), then imports it again (every
row unchanged), then runs `sqlite-utils insert --csv` on the file; the ratio compares the first import with
sqlite-utils in the same round. The floor is SQLite alone writing the rows the first import stored (read back
from its database) into an empty one: what is left when nothing is read, parsed or keyed. With --halves, each round
also measures the best case of an import spread over two processes: each half of the file imported at the same time,
in a process and database of its own, then the two databases merged into one (rows copied, indexes built, committed);
that estimate leaves out the work such an import would add (a row of one half may be a contact of the other).
Prints each round, then the medians and ranges.
Run: python benchmarks/import_speed.py [--contacts 100000] [--rounds 5] [--halves]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from contacts import IMPORTED_AT, population, write_csv  # noqa: E402 (benchmarks/contacts.py)
from server.contacts.importing import import_contacts  # noqa: E402
from server.storage import LARGE_WRITE_CACHE_KB, Store, initialise  # noqa: E402


STORED_TABLES = ("contacts", "contact_keys", "activities")  # what an import writes


def timed_imports(database: Path, export: Path) -> None:
    """Import the file twice into ``database`` (an empty one first), then time SQLite alone writing what the first
    import stored; print the three times."""
    raw = export.read_bytes()
    times = []
    for _ in range(2):
        with Store.connect(database) as store:
            started = time.perf_counter()
            import_contacts(store, raw, export.name, now=IMPORTED_AT)
            times.append(time.perf_counter() - started)
    times.append(sqlite_floor(database, database.with_name(f"floor-{database.name}")))
    print(*times)


def sqlite_floor(imported: Path, empty: Path) -> float:
    """The import's floor: SQLite writing the rows the import stored (read back, nothing left to work out) into an
    empty database of the same schema, in one transaction, with the import's page cache, no foreign-key checks, and
    the indexes of the contacts and their activities built after the rows (the keys go in in key order)."""
    with sqlite3.connect(imported) as source:
        rows = {table: source.execute(f"SELECT * FROM {table}").fetchall() for table in STORED_TABLES}
    initialise(empty)
    conn = sqlite3.connect(empty, isolation_level=None)
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute(f"PRAGMA cache_size = -{LARGE_WRITE_CACHE_KB}")
    conn.execute("PRAGMA foreign_keys = OFF")
    indexes = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                           "AND tbl_name IN ('contacts', 'activities')").fetchall()
    started = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    for name, _ in indexes:
        conn.execute(f"DROP INDEX {name}")
    for table, table_rows in rows.items():
        if table_rows:
            conn.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(table_rows[0]))})", table_rows)
    for _, sql in indexes:
        conn.execute(sql)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def timed_import(database: Path, export: Path) -> None:
    """Import the file into ``database`` (an empty one) once; print the time."""
    with Store.connect(database) as store:
        started = time.perf_counter()
        import_contacts(store, export.read_bytes(), export.name, now=IMPORTED_AT)
        print(time.perf_counter() - started)


def two_halves_merged(folder: Path, halves: tuple[Path, Path], round_number: int) -> tuple[float, float]:
    """Import each half of the file at the same time, each in a process and database of its own, then merge the two
    databases into one as a two-process import would have to: the first half's rows copied, the second's renumbered
    after them, the contacts' and activities' indexes built, committed. Returns (the slower half, the merge)."""
    databases = [folder / f"half{number}-{round_number}.sqlite3" for number in (1, 2)]
    for database in databases:
        initialise(database)
    imports = [subprocess.Popen([sys.executable, __file__, "--import-once", str(database), str(half)], stdout=subprocess.PIPE,
                                text=True) for database, half in zip(databases, halves)]
    slower = max(float(process.communicate()[0]) for process in imports)
    merged = folder / f"merged-{round_number}.sqlite3"
    initialise(merged)
    conn = sqlite3.connect(merged, isolation_level=None)
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute(f"PRAGMA cache_size = -{LARGE_WRITE_CACHE_KB}")
    conn.execute("PRAGMA foreign_keys = OFF")
    for number, database in enumerate(databases, start=1):
        conn.execute(f"ATTACH ? AS half{number}", (str(database),))
    indexes = conn.execute("SELECT name, sql FROM main.sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                           "AND tbl_name IN ('contacts', 'activities')").fetchall()
    columns = {table: [row[1] for row in conn.execute(f"PRAGMA main.table_info({table})")] for table in STORED_TABLES}
    started = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    for name, _ in indexes:
        conn.execute(f"DROP INDEX main.{name}")
    contacts_offset, activities_offset = (conn.execute(f"SELECT max(id) FROM half1.{table}").fetchone()[0] or 0
                                          for table in ("contacts", "activities"))
    offsets = {("contacts", "id"): contacts_offset, ("activities", "id"): activities_offset,
               ("contact_keys", "contact_id"): contacts_offset, ("activities", "contact_id"): contacts_offset}
    for table in STORED_TABLES:
        conn.execute(f"INSERT INTO main.{table} SELECT * FROM half1.{table}")
        chosen = ", ".join(f"{column} + {offsets[table, column]}" if (table, column) in offsets else column
                           for column in columns[table])
        conn.execute(f"INSERT INTO main.{table} SELECT {chosen} FROM half2.{table}")
    for _, sql in indexes:
        conn.execute(sql)
    conn.execute("COMMIT")
    merge = time.perf_counter() - started
    for table in STORED_TABLES:  # every row of both halves is in, none twice (the keys' primary key would refuse it)
        counts = [conn.execute(f"SELECT count(*) FROM {schema}.{table}").fetchone()[0] for schema in ("main", "half1", "half2")]
        assert counts[0] == counts[1] + counts[2], (table, counts)
    conn.close()
    return slower, merge


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--halves", action="store_true", help="also estimate an import spread over two processes")
    parser.add_argument("--import-into", nargs=2, metavar=("DATABASE", "CSV"), help=argparse.SUPPRESS)  # one round's imports
    parser.add_argument("--import-once", nargs=2, metavar=("DATABASE", "CSV"), help=argparse.SUPPRESS)  # one half's import
    args = parser.parse_args()
    if args.import_into:
        timed_imports(*map(Path, args.import_into))
        return
    if args.import_once:
        timed_import(*map(Path, args.import_once))
        return
    sqlite_utils = shutil.which("sqlite-utils") or str(Path(sys.executable).with_name("sqlite-utils"))
    firsts, agains, ratios, floors, two_processes = [], [], [], [], []
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        export = folder / "contacts.csv"
        people = population(args.contacts, random.Random(14))
        write_csv(people, export)
        halves = (folder / "first-half.csv", folder / "second-half.csv")
        if args.halves:
            write_csv(people[:len(people) // 2], halves[0])
            write_csv(people[len(people) // 2:], halves[1])
        for round_number in range(1, args.rounds + 1):
            database = folder / f"round{round_number}.sqlite3"
            initialise(database)
            answer = subprocess.run([sys.executable, __file__, "--import-into", str(database), str(export)], check=True,
                                    capture_output=True, text=True).stdout
            first, again, floor = map(float, answer.split())
            started = time.perf_counter()
            subprocess.run([sqlite_utils, "insert", str(folder / f"peer{round_number}.db"), "contacts", str(export), "--csv"],
                           check=True, stdout=subprocess.DEVNULL)
            peer = time.perf_counter() - started
            firsts.append(first), agains.append(again), ratios.append(first / peer), floors.append(floor / peer)
            print(f"round {round_number}: import {first:.2f} s, again {again:.2f} s; sqlite-utils {peer:.2f} s: ratio {first / peer:.2f}; "
                  f"SQLite alone writing what the import stored: {floor:.2f} s, {floor / peer:.2f} x sqlite-utils")
            if args.halves:
                slower, merge = two_halves_merged(folder, halves, round_number)
                two_processes.append((slower + merge) / peer)
                print(f"  two halves at once: the slower {slower:.2f} s, merging them {merge:.2f} s: a two-process import's best case "
                      f"{slower + merge:.2f} s, {(slower + merge) / peer:.2f} x sqlite-utils")
    for name, values in (("import", firsts), ("again", agains), ("ratio", ratios), ("SQLite-alone ratio", floors),
                         ("two-process best-case ratio", two_processes)):
        if not values:
            continue
        print(f"{name}: median {statistics.median(values):.2f}, {min(values):.2f}-{max(values):.2f}")


if __name__ == "__main__":
    main()
