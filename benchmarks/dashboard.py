"""Where an office manager waits on the dashboard: the API calls its pages make, at scale, on the real server.

Starts ``reviewdesk serve`` on a temporary data directory and talks HTTP on 127.0.0.1 with the pairing
token, as the dashboard does, then measures:
  1. the inbox: ingests N reviews (about 5% with an escalation: a lawyer, the dental board), then
     ``GET /api/reviews?order=attention&limit=50`` the first time (it triages and stores every open
     review's action) and warm, page 2, and the newest-first list for comparison; the first page
     must start with the escalations;
  2. follow-ups: ~200 negative reviews viewed and replied to (with an override of the cool-down),
     then ``GET /api/follow-ups``;
  3. ``GET /api/stats?months=12``, and ``GET /api/review-requests`` once contacts are imported;
  4. contacts: a generated export of 100,000 contacts previewed (``POST /api/contacts/preview``) and
     imported in the background (``POST /api/contacts/imports``), its progress polled every 0.25 s as
     the page does; then searching them (``GET /api/contacts?q=``).
Run: python benchmarks/dashboard.py [--reviews 20000] [--contacts 100000] [--quick]
"""

from __future__ import annotations

import argparse
import csv
import http.client
import io
import json
import random
import secrets
import statistics
import sys
import time
from datetime import date, timedelta
from urllib.parse import quote

from served import percentile, served  # noqa: E402 (benchmarks/served.py)

FIRST_NAMES = ["Dana", "Priya", "Luis", "Mei", "Olu", "Sam", "Ava", "Noah", "Ines", "Kofi", "Hana", "Theo", "Maria", "James",
               "Robert", "Jennifer", "Michael", "Susan", "Daniel", "Aisha"]
LAST_NAMES = ["Whitfield", "Raman", "Ortega", "Chen", "Adeyemi", "Keller", "Rossi", "Novak", "Haddad", "Berg"]
COMMON_LAST = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Martinez", "Nguyen"]
SYLLABLES = ["al", "ber", "cor", "dan", "el", "fen", "gar", "hol", "ist", "jor", "kel", "lin", "mor", "nes", "ost",
             "pra", "quin", "ros", "sel", "tor", "ul", "ven", "wick", "yar", "zel"]
SENTENCES = [
    "The front desk was friendly and quick.",
    "I waited far longer than I expected.",
    "Parking was difficult to find.",
    "Everyone explained things clearly.",
    "The billing office never called me back.",
    "Clean, modern and calm waiting room.",
]
ESCALATIONS = [
    "My lawyer will be in touch.",
    "I'm reporting you to the dental board.",
    "I will take this to small claims court.",
    "I have filed a complaint with the state board.",
]
ESCALATION_SHARE = 0.05
SAFE_REPLY = "Thank you for telling us; please call our office manager."
FOLLOW_UPS = 200
POLL_SECONDS = 0.25  # as the Contacts page polls a running import


def make_review(key: str, rng: random.Random) -> dict:
    text = " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(1, 5)))
    if rng.random() < ESCALATION_SHARE:
        text += " " + rng.choice(ESCALATIONS)
    unit = rng.choice(["days", "weeks", "months", "months"])
    return {
        "platform": rng.choice(["google", "google", "yelp", "facebook"]),
        "platform_review_id": key,
        "reviewer_name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
        "rating": rng.randint(1, 5),
        "text": text,
        "date_text": f"{rng.randint(2, 6 if unit == 'days' else 3 if unit == 'weeks' else 11)} {unit} ago",
    }


def is_escalation(review: dict) -> bool:
    return any(sentence in review["text"] for sentence in ESCALATIONS)


def contacts_csv(count: int, rng: random.Random) -> tuple[bytes, str]:
    """A made-up practice export (First Name, Last Name, Phone, Email, Last Visit within 30 days) and
    its most common last name."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["First Name", "Last Name", "Phone", "Email", "Last Visit"])
    today = date.today()
    for index in range(count):
        first = rng.choice(FIRST_NAMES)
        last = (COMMON_LAST[min(int(rng.paretovariate(1.1)) - 1, len(COMMON_LAST) - 1)] if rng.random() < 0.4
                else "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize())
        phone = f"512-{200 + index // 10000:03d}-{index % 10000:04d}"
        email = f"{first}.{last}.{index}@example.com".lower()
        visit = (today - timedelta(days=rng.randint(0, 29))).isoformat()
        writer.writerow([first, last, phone, email, visit])
    return buffer.getvalue().encode("utf-8"), COMMON_LAST[0]


def multipart(files: dict[str, tuple[str, bytes, str]], fields: dict[str, str]) -> tuple[bytes, str]:
    """A multipart/form-data body as a browser's FormData sends it, and its content type."""
    boundary = f"----ReviewDeskBenchmark{secrets.token_hex(8)}"
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, data, content_type) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: {content_type}\r\n\r\n".encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Client:
    def __init__(self, port: int, token: str):
        self.port = port
        self.headers = {"Host": f"127.0.0.1:{port}", "Authorization": f"Bearer {token}"}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)

    def call(self, method: str, path: str, body: dict | None = None, *, raw: bytes | None = None,
             content_type: str | None = None) -> tuple[int, dict, float, int]:
        """(status, JSON answer, seconds, bytes of the answer)."""
        headers = dict(self.headers)
        if body is not None:
            raw, content_type = json.dumps(body).encode(), "application/json"
        if content_type:
            headers["Content-Type"] = content_type
        started = time.perf_counter()
        self.connection.request(method, path, body=raw, headers=headers)
        response = self.connection.getresponse()
        data = response.read()
        elapsed = time.perf_counter() - started
        return response.status, json.loads(data), elapsed, len(data)

    def get(self, path: str) -> tuple[dict, float, int]:
        status, answer, elapsed, size = self.call("GET", path)
        assert status == 200, (status, path, answer)
        return answer, elapsed, size


class Table:
    """The figures, printed as they come and again as one table at the end."""

    def __init__(self):
        self.rows: list[tuple[str, str, str]] = []

    def timing(self, label: str, seconds: list[float], first: float | None = None, note: str = "") -> None:
        ms = [value * 1000 for value in seconds]
        figures = []
        if first is not None:
            figures.append(f"first {first * 1000:,.0f} ms")
        if ms:
            figures.append(f"p50 {statistics.median(ms):,.1f} / p95 {percentile(ms, 0.95):,.1f} / max {max(ms):,.1f} ms "
                           f"(n={len(ms)})")
        self.add(label, ", ".join(figures), note)

    def add(self, label: str, figures: str, note: str = "") -> None:
        self.rows.append((label, figures, note))
        print(f"  {label}: {figures}{'  [' + note + ']' if note else ''}", flush=True)

    def print(self) -> None:
        width = max(len(row[0]) for row in self.rows)
        figures_width = max(len(row[1]) for row in self.rows)
        print()
        print(f"{'measurement':<{width}}  {'figures':<{figures_width}}  note")
        print(f"{'-' * width}  {'-' * figures_width}  ----")
        for label, figures, note in self.rows:
            print(f"{label:<{width}}  {figures:<{figures_width}}  {note}")


def repeat(client: Client, path: str, times: int) -> tuple[list[float], dict, int]:
    latencies, answer, size = [], {}, 0
    for _ in range(times):
        answer, elapsed, size = client.get(path)
        latencies.append(elapsed)
    return latencies, answer, size


def kb(size: int) -> str:
    return f"{size / 1024:,.0f} KB"


def inbox(client: Client, table: Table, count: int, rng: random.Random) -> list[tuple[int, dict]]:
    """Ingest ``count`` reviews; time the inbox's pages. Returns (id, review) of what was ingested."""
    print(f"1. inbox with {count:,} reviews", flush=True)
    ingested: list[tuple[int, dict]] = []
    started = time.perf_counter()
    for batch in range(0, count, 100):
        reviews = [make_review(f"d-{batch}-{i}", rng) for i in range(min(100, count - batch))]
        status, answer, _, _ = client.call("POST", "/api/reviews", {"reviews": reviews})
        assert status == 200 and answer["created"] == len(reviews), answer
        ingested += zip(answer["review_ids"], reviews)
        assert len(answer["review_ids"]) == len(reviews), answer
    elapsed = time.perf_counter() - started
    escalations = sum(is_escalation(review) for _, review in ingested)
    table.add("ingest, batches of 100", f"{count:,} reviews in {elapsed:.1f} s = {count / elapsed:,.0f} reviews/s",
              f"{escalations:,} escalations ({escalations / count:.1%})")

    path = "/api/reviews?order=attention&limit=50"
    answer, first, size = client.get(path)
    reviews = answer["reviews"]
    leading = next((i for i, review in enumerate(reviews) if review.get("attention") != "escalate"), len(reviews))
    assert reviews and reviews[0].get("attention") == "escalate", [review.get("attention") for review in reviews[:5]]
    assert leading == min(50, escalations), f"the first page has {leading} escalations first, expected {min(50, escalations)}"
    warm, _, _ = repeat(client, path, 30)
    table.timing("inbox by attention, page 1", warm, first,
                 f"first call triages every open review; page starts with {leading} escalations; {kb(size)}")
    second_path = "/api/reviews?order=attention&limit=50&offset=50"
    _, second_first, _ = client.get(second_path)
    warm, answer, size = repeat(client, second_path, 30)
    table.timing("inbox by attention, page 2", warm, second_first, f"{kb(size)}")
    newest = "/api/reviews?limit=50"
    _, newest_first, _ = client.get(newest)
    warm, answer, size = repeat(client, newest, 30)
    table.timing("inbox newest first, page 1", warm, newest_first, f"total {answer['total']:,}; {kb(size)}")
    return ingested


def follow_ups(client: Client, table: Table, ingested: list[tuple[int, dict]], wanted: int) -> None:
    print(f"2. follow-ups: {wanted} negative reviews viewed and replied to", flush=True)
    negatives = [review_id for review_id, review in ingested if review["rating"] <= 2 and not is_escalation(review)]
    chosen = negatives[:wanted]
    viewed, replied = [], []
    for review_id in chosen:
        status, answer, elapsed, _ = client.call("POST", f"/api/reviews/{review_id}/events", {"type": "viewed"})
        assert status == 200, answer
        viewed.append(elapsed)
        status, answer, elapsed, _ = client.call("POST", f"/api/reviews/{review_id}/events", {
            "type": "replied", "text": SAFE_REPLY, "override_reason": "benchmark: the practice replies at once",
            "staff": "Benchmark"})
        assert status == 200 and answer["state"]["stage"] == "follow_up", answer
        replied.append(elapsed)
    table.timing("log event: viewed", viewed)
    table.timing("log event: replied (checked reply)", replied)

    path = "/api/reviews?order=attention&limit=50"
    _, again, _ = client.get(path)
    table.add("inbox by attention after the replies", f"first {again * 1000:,.0f} ms",
              f"re-triages the {len(chosen)} reviews with new events")
    _, first, _ = client.get("/api/follow-ups")
    warm, answer, size = repeat(client, "/api/follow-ups", 20)
    assert len(answer["follow_ups"]) == len(chosen), (len(answer["follow_ups"]), len(chosen))
    table.timing("follow-ups", warm, first, f"{len(answer['follow_ups'])} open follow-ups; {kb(size)}")


def stats(client: Client, table: Table) -> None:
    print("3. stats", flush=True)
    path = "/api/stats?months=12"
    _, first, size = client.get(path)
    warm, _, _ = repeat(client, path, 10)
    table.timing("stats, 12 months", warm, first, kb(size))


def contacts(client: Client, table: Table, count: int, rng: random.Random) -> None:
    print(f"4. contacts: an export of {count:,}", flush=True)
    raw, common = contacts_csv(count, rng)
    filename = "patients.csv"
    body, content_type = multipart({"file": (filename, raw, "text/csv")}, {})
    status, preview, elapsed, _ = client.call("POST", "/api/contacts/preview", raw=body, content_type=content_type)
    assert status == 200 and preview["rows"] == count, preview
    table.add("contacts preview", f"{elapsed * 1000:,.0f} ms", f"{count:,} rows, {len(raw) / 1e6:.1f} MB CSV")

    body, content_type = multipart({"file": (filename, raw, "text/csv")}, {"mapping": json.dumps(preview["mapping"])})
    started = time.perf_counter()
    status, job, elapsed, _ = client.call("POST", "/api/contacts/imports", raw=body, content_type=content_type)
    assert status == 202, (status, job)
    polls, seen = [], []
    phases = [(job.get("phase"), elapsed)] if job.get("status") == "running" else []  # (phase, when first seen), in order
    while job.get("status") == "running":
        time.sleep(POLL_SECONDS)
        job, poll, _ = client.get(f"/api/contacts/imports/{quote(job['import_id'])}")
        polls.append(poll)
        if job.get("status") == "running":
            seen.append((job.get("phase"), job.get("done"), job.get("total")))
            if not phases or phases[-1][0] != job.get("phase"):
                phases.append((job.get("phase"), time.perf_counter() - started))
    total_time = time.perf_counter() - started
    # How long the page showed each phase (as seen by polling every POLL_SECONDS).
    shown = [f"{phase} {(phases[i + 1][1] if i + 1 < len(phases) else total_time) - at:.1f} s"
             for i, (phase, at) in enumerate(phases)]
    if job.get("status") != "done":
        sys.exit(f"the import failed: {job}")
    report = job["report"]
    distinct = len(set(seen))  # (phase, done, total) the page was shown while the import ran
    checking = {done for phase, done, total in seen if phase == "checking" or (phase is None and total)}
    table.add("contacts import (background)", f"{total_time:,.1f} s to done ({count / total_time:,.0f} contacts/s)",
              f"POST answered in {elapsed * 1000:,.0f} ms; {len(polls)} polls, {distinct} distinct progress values "
              f"({len(checking)} counts while checking), phases {' > '.join(shown) or 'none seen'}")
    table.timing("  import progress polls", polls)
    table.add("  import report", f"imported {report['imported']:,}, updated {report['updated']:,}, "
              f"unchanged {report['unchanged']:,}, skipped {len(report['skipped']):,}, activities {report['activities']:,}",
              f"{sum(field != 'ignore' for field in report['mapping'].values())} columns mapped")

    path = f"/api/contacts?q={quote(common)}"
    _, first, _ = client.get(path)
    warm, answer, size = repeat(client, path, 20)
    table.timing(f"contacts search q={common}", warm, first, f"{answer['total']:,} matches; {kb(size)}")

    _, first, _ = client.get("/api/review-requests")
    warm, answer, size = repeat(client, "/api/review-requests", 10)
    table.timing("review requests", warm, first,
                 f"{len(answer['contacts']):,} contacts seen within {answer['seen_within_days']} days; {kb(size)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=None, help="reviews to ingest (default 20,000)")
    parser.add_argument("--contacts", type=int, default=None, help="contacts in the imported export (default 100,000)")
    parser.add_argument("--quick", action="store_true", help="small sizes for a smoke run (2,000 reviews, 5,000 contacts)")
    args = parser.parse_args()
    reviews = args.reviews if args.reviews is not None else 2_000 if args.quick else 20_000
    contact_count = args.contacts if args.contacts is not None else 5_000 if args.quick else 100_000
    wanted_follow_ups = min(FOLLOW_UPS, reviews // 10)

    with served() as (port, token):
        client = Client(port, token)
        while not client.get("/api/health")[0]["checker_ready"]:  # measure the warmed-up server
            time.sleep(0.2)
        table = Table()
        ingested = inbox(client, table, reviews, random.Random(1))
        follow_ups(client, table, ingested, wanted_follow_ups)
        stats(client, table)
        contacts(client, table, contact_count, random.Random(2))
        table.print()


if __name__ == "__main__":
    main()
