"""Contacts at scale: matching accuracy, import speed against sqlite-utils, and match latency.

(a) Generates a practice's population (common names with many collisions, nicknames, preferred
    names, accents, double last names) and reviewers as each platform shows them (Google full or
    nickname names, Yelp "First L.", Facebook full names), plus strangers and handles. Reports top-1
    accuracy, confident wrong matches (target 0) and strangers given a confident match (target 0).
(b) Imports 100,000 contacts from CSV and compares with `sqlite-utils insert --csv` on the same file.
(c) p95 time of one match against those 100,000 contacts (target: under 10 ms).
Run: python benchmarks/contacts.py [--contacts 100000] [--reviewers 2000]
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from server.contacts.importing import import_contacts  # noqa: E402
from server.contacts.matching import candidates_for  # noqa: E402
from server.storage import Store, initialise  # noqa: E402

IMPORTED_AT = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)  # when the benchmark imports its contacts

# (formal name, nicknames people use) — common names collide a lot.
FIRST = [("Robert", ["Bob", "Rob", "Bobby"]), ("William", ["Bill", "Will", "Billy"]), ("Elizabeth", ["Liz", "Beth", "Betsy"]),
         ("Margaret", ["Peggy", "Maggie", "Meg"]), ("James", ["Jim", "Jimmy"]), ("Jennifer", ["Jen", "Jenny"]),
         ("Michael", ["Mike", "Mikey"]), ("Katherine", ["Kate", "Kathy", "Katie"]), ("Richard", ["Rick", "Dick", "Rich"]),
         ("Patricia", ["Pat", "Patty", "Trish"]), ("Thomas", ["Tom", "Tommy"]), ("Susan", ["Sue", "Susie"]),
         ("Christopher", ["Chris"]), ("Jessica", ["Jess"]), ("Daniel", ["Dan", "Danny"]), ("Rebecca", ["Becky"]),
         ("Anthony", ["Tony"]), ("Alexander", ["Alex"]), ("Samantha", ["Sam"]), ("Joseph", ["Joe", "Joey"]),
         ("Maria", []), ("José", []), ("Ana", []), ("Luis", []), ("Sofía", []), ("Chloé", []), ("Zoë", []),
         ("Nguyen", []), ("Priya", []), ("Olu", []), ("Hana", []), ("Mateo", []), ("Aisha", []), ("Kofi", []),
         ("Ingrid", []), ("Søren", []), ("Siobhán", []), ("Yusuf", []), ("Mei", []), ("Dmitri", [])]
LAST_COMMON = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
               "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
               "Nguyen", "Müller", "O'Brien", "García López", "Smith-Jones", "Pérez", "Kowalski", "Ødegaard", "D'Angelo"]
SYLLABLES = ["al", "ber", "cor", "dan", "el", "fen", "gar", "hol", "ist", "jor", "kel", "lin", "mor", "nes", "ost",
             "pra", "quin", "ros", "sel", "tor", "ul", "ven", "wick", "yar", "zel"]


def rare_last(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def population(count: int, rng: random.Random) -> list[dict]:
    people = []
    for index in range(count):
        formal, nicknames = FIRST[min(int(rng.paretovariate(1.2)) - 1, len(FIRST) - 1)] if rng.random() < 0.8 else rng.choice(FIRST)
        last = rng.choice(LAST_COMMON) if rng.random() < 0.35 else rare_last(rng)
        preferred = rng.choice(nicknames) if nicknames and rng.random() < 0.2 else ""
        visit = f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}" if rng.random() < 0.6 else ""
        people.append({"Contact Id": f"p{index}", "First Name": formal, "Last Name": last, "Preferred Name": preferred,
                       "Email": f"p{index}@example.com", "Phone": f"512{index:07d}", "Last Visit": visit,
                       "_nicknames": nicknames})
    return people


def shown_as(person: dict, platform: str, rng: random.Random) -> str:
    first = person["Preferred Name"] or (rng.choice(person["_nicknames"]) if person["_nicknames"] and rng.random() < 0.3 else person["First Name"])
    last = person["Last Name"]
    if platform == "yelp":
        return f"{first} {last[0]}."
    if platform == "google" and rng.random() < 0.2:
        return f"{first} {last.split()[0].split('-')[0]}"
    if rng.random() < 0.1:
        return f"{first.lower()} {last.lower()}"
    return f"{first} {last}"


def write_csv(people: list[dict], path: Path) -> None:
    columns = ["Contact Id", "First Name", "Last Name", "Preferred Name", "Email", "Phone", "Last Visit"]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(people)


def accuracy(store: Store, people: list[dict], reviewers: int, rng: random.Random) -> None:
    by_external = {row[1]: row[0] for row in store.db.conn.execute("SELECT id, external_id FROM contacts")}
    samples = rng.sample(people, reviewers)
    correct = confident_wrong = medium_wrong = confident = 0
    wrong_examples = []
    for person in samples:
        platform = rng.choice(["google", "yelp", "facebook"])
        review = {"id": -1, "reviewer_name": shown_as(person, platform, rng), "date_max": "2026-11-20T00:00:00Z"}
        candidates, _ = candidates_for(store, review)
        truth = by_external[person["Contact Id"]]
        if candidates and candidates[0].contact_id == truth:
            correct += 1
        for candidate in candidates:
            if candidate.confidence == "high":
                confident += 1
                if candidate.contact_id != truth:
                    confident_wrong += 1
                    wrong_examples.append(f"{review['reviewer_name']!r} -> {candidate.name} ({'; '.join(candidate.reasons)}); "
                                          f"truth: {person['First Name']} {person['Last Name']} / {person['Preferred Name']}")
            elif candidate.confidence == "medium":
                medium_wrong += candidate.contact_id != truth
    strangers = [f"{rng.choice(['Quentin', 'Xiomara', 'Thaddeus', 'Ottoline'])} {rare_last(rng)}{rng.choice(['son', 'ski', 'ez'])}"
                 for _ in range(reviewers // 2)] + ["xXdarkXx", "SmileyGal22", "Austin Plumbing LLC", "Jessica", "dentist_hater"]
    stranger_confident = sum(
        any(c.confidence in ("high", "medium") for c in candidates_for(store, {"id": -1, "reviewer_name": name})[0])
        for name in strangers
    )
    print(f"(a) {reviewers} reviewers: top-1 accuracy {correct / reviewers:.1%}; high-confidence answers {confident} "
          f"({confident / reviewers:.1%} of reviewers), of which wrong: {confident_wrong} (target 0); "
          f"medium candidates for the wrong contact: {medium_wrong}")
    for example in wrong_examples[:5]:
        print(f"    wrong high: {example}")
    print(f"    {len(strangers)} strangers, handles and businesses: {stranger_confident} given a high or medium candidate (target 0)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--reviewers", type=int, default=2000)
    parser.add_argument("--matches", type=int, default=1000)
    args = parser.parse_args()
    rng = random.Random(7)
    people = population(args.contacts, rng)
    with tempfile.TemporaryDirectory() as folder:
        export = Path(folder) / "contacts.csv"
        write_csv(people, export)
        raw = export.read_bytes()
        database = Path(folder) / "reviewdesk.sqlite3"
        initialise(database)
        with Store.connect(database) as store:
            started = time.perf_counter()
            report = import_contacts(store, raw, export.name, now=IMPORTED_AT)
            ours = time.perf_counter() - started
            assert report.imported == args.contacts, report.as_json()["skipped"][:3]
            started = time.perf_counter()
            again = import_contacts(store, raw, export.name, now=IMPORTED_AT)
            reimport = time.perf_counter() - started
            assert again.unchanged == args.contacts

            sqlite_utils_cli = shutil.which("sqlite-utils") or str(Path(sys.executable).with_name("sqlite-utils"))
            baseline_db = Path(folder) / "baseline.db"
            started = time.perf_counter()
            subprocess.run([sqlite_utils_cli, "insert", str(baseline_db), "contacts", str(export), "--csv"], check=True)
            baseline = time.perf_counter() - started
            print(f"(b) import {args.contacts:,} contacts ({len(raw) / 1e6:.1f} MB CSV, with match keys and activities): "
                  f"{ours:.2f} s; sqlite-utils insert --csv: {baseline:.2f} s; ratio {ours / baseline:.2f} "
                  f"(target <= 1, design goal <= 0.25); re-import (all unchanged): {reimport:.2f} s")

            names = [shown_as(rng.choice(people), rng.choice(["google", "yelp", "facebook"]), rng) for _ in range(args.matches)]
            timings = []
            for name in names:
                started = time.perf_counter()
                candidates_for(store, {"id": -1, "reviewer_name": name, "date_max": "2026-11-20T00:00:00Z"})
                timings.append((time.perf_counter() - started) * 1000)
            timings.sort()
            print(f"(c) one match against {args.contacts:,} contacts: p50 {statistics.median(timings):.2f} ms, "
                  f"p95 {timings[int(0.95 * len(timings))]:.2f} ms, max {timings[-1]:.2f} ms (target p95 < 10 ms)")
            accuracy(store, people, min(args.reviewers, len(people)), rng)


if __name__ == "__main__":
    main()
