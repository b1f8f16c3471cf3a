"""Load and abuse: each hostile request a probe of the running server found, replayed while 8 clients work.

Starts ``reviewdesk serve`` on a temporary data directory (127.0.0.1 only, nothing else is contacted), stores
N reviews and contacts, then runs 8 client threads that do what the toolbar and the dashboard do (the inbox,
a review, a reply check, a small capture, stats now and then; each waits 0.1-0.5 s between requests, as a
person or the toolbar does) while one more thread sends each hostile request in turn. It reports, and checks:
  - every hostile request answered within 1 s with a 4xx (a heavy but valid one with a 2xx, storing nothing),
  - the clients' p99 under 100 ms throughout, and each route's,
  - the server's memory (resident now and at its peak) under 300 MB,
  - 0 answers 5xx,
  - nothing lost: every review a client stored is there at the end,
  - no value of a malformed vCard in the server's log, no live formula in the review-request CSV,
  - a copied session cookie refused after sign-out, Host forms other than loopback refused.
Bounded: each hostile body is at most 10 MB (the body cap); one hostile request a second, about half a minute in all.
Run: python benchmarks/abuse.py [--reviews 5000] [--clients 8]
"""

from __future__ import annotations

import argparse
import csv
import http.client
import io
import json
import random
import re
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

from served import percentile, served  # noqa: E402 (benchmarks/served.py)

MAPS_URL = "https://www.google.com/maps/place/Maple+Family+Dental/@30.26,-97.74,17z"
HOSTILE_SECONDS = 1.0
CLIENT_P99_MS = 100
MEMORY_MB = 300
HOSTILE_EVERY_SECONDS = 1.0  # one hostile request a second: the run lasts about half a minute
THINK_SECONDS = (0.1, 0.5)  # between one client's requests: a person at the dashboard, the toolbar on a page (~25 requests/s in all)
VCARD_SECRETS = ("512-555-0177", "kofi.private@example.com", "root canal on 14")


def card(review_id: str, name: str, stars: int, text: str) -> str:
    """A Google Maps review card (the structure of tests/test_captures.py)."""
    return (f'<div class="jftiEf" aria-label="{name}" data-review-id="{review_id}">'
            f'<div class="WNxzHc"><button class="al6Kxe" data-href="https://www.google.com/maps/contrib/{review_id[-8:]}/reviews">'
            f'<div class="d4r55">{name}</div></button></div>'
            f'<div class="DU9Pgb"><span class="kvMYJc" role="img" aria-label=" {stars} stars "></span><span class="rsqaWe">a week ago</span></div>'
            f'<div class="MyEned" lang="en" id="{review_id}"><span class="wiI7pd">{text}</span></div></div>')


class Client:
    """One HTTP/1.1 connection to the server, as the toolbar or the dashboard keeps one."""

    def __init__(self, port: int, token: str | None):
        self.port, self.token = port, token
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def send(self, method: str, path: str, body: bytes | str | None = None, content_type: str = "application/json",
             headers: dict | None = None) -> tuple[int, bytes, float, http.client.HTTPMessage]:
        sent = {"Content-Type": content_type, **({"Authorization": f"Bearer {self.token}"} if self.token else {}), **(headers or {})}
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=body.encode() if isinstance(body, str) else body, headers=sent)
            answer = self.connection.getresponse()
            data = answer.read()
        except (ConnectionError, http.client.HTTPException):  # the server may close a connection after a refused body
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            raise
        return answer.status, data, time.perf_counter() - started, answer.headers

    def json(self, method: str, path: str, payload=None) -> tuple[int, dict]:
        status, data, _, _ = self.send(method, path, None if payload is None else json.dumps(payload))
        return status, json.loads(data or b"{}")


def seed(client: Client, reviews: int, contacts: int) -> list[int]:
    rng = random.Random(7)
    ids: list[int] = []
    for start in range(0, reviews, 1000):
        batch = [{"platform": rng.choice(["google", "yelp"]), "platform_review_id": f"seed-{i}", "reviewer_name": f"Person {i} K.",
                  "rating": rng.randint(1, 5), "text": rng.choice(["Kind staff and a calm visit.", "Waited an hour, nobody said why.",
                                                                  "Billing never called me back.", "Great with my kids."]),
                  "created_at": f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}"} for i in range(start, min(start + 1000, reviews))]
        status, body = client.json("POST", "/api/reviews", {"reviews": batch})
        assert status == 200, body
        ids += body["review_ids"]
    rows = "First Name,Last Name,Mobile,Email,Last Visit\n" + "".join(
        f"Person{i},K{i},512555{i % 10000:04d},p{i}@example.com,2026-11-{1 + i % 28:02d}\n" for i in range(contacts))
    rows += '"=HYPERLINK(""http://evil.example"",""x"")",Formula,5125550999,formula@example.com,2026-11-20\n'
    status, data, _, _ = multipart(client, "/api/contacts/import", rows.encode(), "contacts.csv")
    assert status == 200, data[:300]
    return ids


def multipart(client: Client, path: str, content: bytes, filename: str):
    boundary = "----reviewdesk-abuse"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return client.send("POST", path, body, content_type=f"multipart/form-data; boundary={boundary}")


def xlsx_bomb() -> bytes:
    """A 200 KB workbook whose shared strings unpack to 200 MB: one contact with a 200 MB name."""
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        archive.writestr("xl/sharedStrings.xml", "<sst><si><t>" + "A" * 200_000_000 + "</t></si></sst>")
    return packed.getvalue()


def hostile_requests(ids: list[int]) -> list[tuple[str, str, str, object, str]]:
    """(finding, method, path, body, kind): kind is "json", "raw" (JSON text), "file:<name>" (multipart) or "get"."""
    long_review = {"platform": "google", "reviewer_name": "A", "text": "x"}
    capture = lambda url, html: {"url": url, "html": html, "captured_at": "2026-11-23T13:00:00Z"}  # noqa: E731
    return [
        ("name of 32,000 capitals in a capture", "POST", "/api/captures", capture(MAPS_URL, card("rid-cap-32k", "A" * 32_000, 1, "Bad")), "json"),
        ("name of 5 MB in a capture", "POST", "/api/captures", capture(MAPS_URL, card("rid-cap-5mb", "A" * 5_000_000, 1, "Bad")), "json"),
        ("200 KB of unclosed <style and <svg", "POST", "/api/captures", capture(MAPS_URL, "<div>" + "<style a>xxxxxxxxx<svg b>yyyyyyy" * 6_000), "json"),
        ("9.5 MB review text in a capture", "POST", "/api/captures", capture(MAPS_URL, card("rid-long", "Ana P", 1, "x " * 4_750_000)), "json"),
        ("20,000 reviews in one capture", "POST", "/api/captures",
         capture(MAPS_URL, "".join(card(f"rid-{i:06d}", f"P{i}", 5, "ok") for i in range(20_000))), "json"),
        *[(f"{scheme} address as a capture's URL", "POST", "/api/captures", capture(f"{scheme}://www.google.com/maps/place/x", card("rid-s", "Ana P", 5, "Fine")), "json")
          for scheme in ("ftp", "file", "javascript", "gopher")],
        ("XLSX of 200 KB that unpacks to a 200 MB contact", "POST", "/api/contacts/import", xlsx_bomb(), "file:bomb.xlsx"),
        ("CSV of 100,000 columns that all mean e-mail", "POST", "/api/contacts/import",
         ("Name," + ",".join(["Email"] * 100_000) + "\nAna P\n").encode(), "file:wide.csv"),
        ("CSV of 1,000,000 columns", "POST", "/api/contacts/preview", ("Name," + ",".join(["E"] * 1_000_000) + "\n").encode(), "file:wider.csv"),
        ("CSV of 8.9 MB of columns and no name column", "POST", "/api/contacts/import",
         (",".join(f"Column number {i}" for i in range(500_000)) + "\n1\n").encode()[:8_900_000], "file:nameless.csv"),
        ("JSON nested 1,000 deep", "POST", "/api/reviews", "[" * 1000 + "]" * 1000, "raw"),
        ("JSON nested 1,000,000 deep", "POST", "/api/reviews", "[" * 1_000_000 + "]" * 1_000_000, "raw"),
        ("an integer past Python's digit limit", "POST", "/api/reviews", '{"reviews": [{"platform": "google", "reviewer_name": "A", '
                                                                       '"text": "x", "rating": ' + "9" * 5000 + "}]}", "raw"),
        *[(f"{value} stars", "POST", "/api/reviews", '{"reviews": [{"platform": "google", "reviewer_name": "A", "text": "x", "rating": '
                                                    + value + "}]}", "raw") for value in ("NaN", "Infinity", "1e400")],
        ("a lone surrogate in a name", "POST", "/api/reviews", '{"reviews": [{"platform": "google", "reviewer_name": "\\ud800", "text": "x"}]}', "raw"),
        ("a lone surrogate in a reply check", "POST", "/api/replies/check", '{"reply": "Thanks \\udc00", "review": {}}', "raw"),
        ("created_at past year 9999", "POST", "/api/reviews", {"reviews": [{**long_review, "created_at": "9999-12-31T23:59:59-23:59"}]}, "json"),
        ("an event before year 1", "POST", f"/api/reviews/{ids[0]}/events", {"type": "escalated", "at": "0001-01-01T00:00:00+23:59"}, "json"),
        ("a NUL in the search text", "GET", "/api/reviews?q=a%00b", None, "get"),
        ("a 50,000-character search", "GET", "/api/reviews?q=" + "x" * 50_000, None, "get"),
        ("a review of 9.5 MB over the API", "POST", "/api/reviews", {"reviews": [{**long_review, "text": "x" * 9_500_000}]}, "json"),
        ("a javascript: link over the API", "POST", "/api/reviews", {"reviews": [{**long_review, "url": "javascript:alert(1)"}]}, "json"),
    ]


def send_hostile(client: Client, method: str, path: str, body, kind: str):
    if kind.startswith("file:"):
        return multipart(client, path, body, kind[5:])
    if kind == "json":
        return client.send(method, path, json.dumps(body))
    if kind == "raw":
        return client.send(method, path, body)
    return client.send(method, path)


HEAVY_BUT_VALID = ("200 KB of unclosed <style and <svg",)


class Load:
    """The 8 clients: what the toolbar and the dashboard ask while the hostile requests come in."""

    def __init__(self, port: int, token: str, ids: list[int], clients: int):
        self.port, self.token, self.ids = port, token, ids
        self.stop = threading.Event()
        self.timings: dict[str, list[float]] = {}
        self.statuses: list[int] = []
        self.stored: list[int] = []  # review ids the clients' captures stored
        self.slowest: list[tuple[float, float, str]] = []  # (seconds, started, route) of every request
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.work, args=(n,), daemon=True) for n in range(clients)]

    def work(self, number: int) -> None:
        client, rng = Client(self.port, self.token), random.Random(number)
        count = 0
        while not self.stop.wait(rng.uniform(*THINK_SECONDS)):
            count += 1
            choice = rng.random()
            if choice < 0.3:
                route, (status, data, seconds, _) = "inbox", client.send("GET", "/api/reviews?order=attention&limit=50")
            elif choice < 0.55:
                route, (status, data, seconds, _) = "review", client.send("GET", f"/api/reviews/{rng.choice(self.ids)}")
            elif choice < 0.8:
                route, (status, data, seconds, _) = "reply check", client.send("POST", "/api/replies/check", json.dumps(
                    {"reply": "Thank you for your feedback. Please call our office manager at 512-555-0100.",
                     "review": {"text": "Waited an hour.", "reviewer_name": "Ana P", "rating": 2}}))
            elif choice < 0.97:
                html = "".join(card(f"load-{number}-{count}-{i}", f"Visitor {number} {count} {i}", rng.randint(1, 5), "Friendly front desk.")
                               for i in range(3))
                route, (status, data, seconds, _) = "capture", client.send("POST", "/api/captures", json.dumps(
                    {"url": MAPS_URL, "html": html, "captured_at": "2026-11-23T13:00:00Z"}))
                if status == 200:
                    with self.lock:
                        self.stored += [review["id"] for review in json.loads(data)["reviews"]]
            else:
                route, (status, data, seconds, _) = "stats", client.send("GET", "/api/stats?months=12")
            with self.lock:
                self.timings.setdefault(route, []).append(seconds)
                self.statuses.append(status)
                self.slowest.append((seconds, time.perf_counter() - seconds, route))

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=120)


def memory_mb(pid: int) -> tuple[float, float]:
    """The server's resident memory now and at its peak, in MB (Linux /proc)."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def checks_of_trust(port: int, token: str, client: Client, log: Path) -> list[tuple[str, bool, str]]:
    """The findings that are not about time: the log, the CSV, sessions, Host."""
    found = []
    vcard = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Kofi Mensah\r\nN:Mensah;Kofi;;;\r\n"
             f"this line has no colon {' '.join(VCARD_SECRETS)}\r\nTEL;TYPE=CELL:512-555-0108\r\nEND:VCARD\r\n").encode()
    status, data, _, _ = multipart(client, "/api/contacts/import", vcard, "contacts.vcf")
    logged = log.read_text(errors="replace")
    found.append(("a malformed vCard: none of its values in the server log", status == 200 and not any(s in logged for s in VCARD_SECRETS),
                  f"import {status}; skipped line reported: {'could not be read' in data.decode(errors='replace')}"))
    status, data, _, _ = client.send("GET", "/api/review-requests?format=csv")
    rows = list(csv.reader(io.StringIO(data.decode())))
    live = [row for row in rows[1:] if any(cell[:1] in "=+-@\t\r" and not re.fullmatch(r"\+?[0-9 ().-]+", cell) for cell in row)]
    found.append(("review-request CSV: no cell a spreadsheet runs as a formula", status == 200 and not live and len(rows) > 1,
                  f"{len(rows) - 1} rows, {len(live)} live formulas"))
    browser = Client(port, None)
    status, page, _, headers = browser.send("GET", "/login", content_type="text/html")
    cookie = headers.get("Set-Cookie", "").split(";")[0]
    csrf = re.search(rb'name="csrf_token" value="([^"]+)"', page).group(1).decode()
    form = f"token={token}&csrf_token={csrf}"
    status, _, _, headers = browser.send("POST", "/login", form, "application/x-www-form-urlencoded",
                                         {"Cookie": cookie, "Origin": f"http://127.0.0.1:{port}"})
    signed_in = headers.get("Set-Cookie", "").split(";")[0]
    status, page, _, _ = browser.send("GET", "/", content_type="text/html", headers={"Cookie": signed_in})
    csrf = re.search(rb'<meta name="csrf-token" content="([^"]+)"', page).group(1).decode()
    before = browser.send("GET", "/api/reviews?limit=1", headers={"Cookie": signed_in})[0]
    browser.send("POST", "/logout", f"csrf_token={csrf}", "application/x-www-form-urlencoded",
                 {"Cookie": signed_in, "Origin": f"http://127.0.0.1:{port}"})
    after = browser.send("GET", "/api/reviews?limit=1", headers={"Cookie": signed_in})[0]
    found.append(("a session cookie copied before sign-out", before == 200 and after == 401, f"before {before}, after {after}"))
    hosts = {host: Client(port, token).send("GET", "/api/health", headers={"Host": host})[0]
             for host in (f"localhost:{port}@evil.example", "127.0.0.1:evil.example", "evil.example", f"127.0.0.1:{port}")}
    found.append(("Host forms other than loopback", all(status == 403 for host, status in hosts.items() if "evil" in host)
                  and hosts[f"127.0.0.1:{port}"] == 200, ", ".join(f"{host[:28]} {status}" for host, status in hosts.items())))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=5000)
    parser.add_argument("--contacts", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    log = Path(tempfile.mkdtemp()) / "server.log"
    process: list = []
    with served(log=log, process=process) as (port, token):
        pid = process[0].pid
        admin = Client(port, token)
        print(f"storing {args.reviews:,} reviews and {args.contacts:,} contacts", flush=True)
        ids = seed(admin, args.reviews, args.contacts)
        admin.send("GET", "/api/reviews?order=attention&limit=50")  # the first inbox triages every review
        admin.send("GET", "/api/stats?months=12")  # the first stats derive every review's figures
        hostile_results = []
        hostile = hostile_requests(ids)  # built first: making them (a 200 MB workbook to pack) would slow the machine mid-run
        with Load(port, token, ids, args.clients) as load:
            time.sleep(2)
            for finding, method, path, body, kind in hostile:
                attacker = Client(port, token)
                sent_at = time.perf_counter()
                try:
                    status, data, seconds, _ = send_hostile(attacker, method, path, body, kind)
                    answer = json.loads(data) if data[:1] == b"{" else {}
                except (ConnectionError, http.client.HTTPException) as error:
                    status, seconds, answer = 0, 0.0, {"message": f"connection closed: {error}"}
                hostile_results.append((finding, status, seconds, answer.get("error", ""), len(data) if status else 0, sent_at))
                print(f"  {finding:<48} {status} in {seconds * 1000:7.1f} ms  {answer.get('error', '')}", flush=True)
                time.sleep(HOSTILE_EVERY_SECONDS)  # the clients work on between two attacks
        now_mb, peak_mb = memory_mb(pid)
        stored = load.stored
        present = 0
        for start in range(0, len(stored), 400):
            chunk = stored[start:start + 400]
            status, body = admin.json("GET", f"/api/reviews?ids={','.join(map(str, chunk))}&limit=500")
            present += len(body.get("reviews", []))
        trust = checks_of_trust(port, token, admin, log)
    every = [seconds for values in load.timings.values() for seconds in values]
    fives = sum(status >= 500 for status in load.statuses) + sum(status >= 500 for _, status, *_ in hostile_results)
    hostile_ok = [(finding, status, seconds) for finding, status, seconds, *_ in hostile_results
                  if seconds < HOSTILE_SECONDS and (400 <= status < 500 or (finding in HEAVY_BUT_VALID and status == 200))]
    print(f"\nhostile requests: {len(hostile_ok)} of {len(hostile_results)} answered within {HOSTILE_SECONDS:.0f} s with a 4xx "
          f"(slowest {max(s for _, _, s, *_ in hostile_results) * 1000:.0f} ms)")
    print(f"clients: {len(every):,} requests, p50 {percentile(every, 0.5) * 1000:.1f} ms, p99 {percentile(every, 0.99) * 1000:.1f} ms "
          f"(target < {CLIENT_P99_MS} ms)")
    for route, values in sorted(load.timings.items()):
        print(f"  {route:<12} {len(values):6,} requests  p50 {percentile(values, 0.5) * 1000:7.1f} ms  p99 {percentile(values, 0.99) * 1000:7.1f} ms  "
              f"max {max(values) * 1000:7.1f} ms")
    print("the clients' slowest requests, with the hostile request sent last before each:")
    for seconds, started, route in sorted(load.slowest, reverse=True)[:5]:
        before = max((result for result in hostile_results if result[5] <= started + seconds), key=lambda result: result[5], default=None)
        print(f"  {route:<12} {seconds * 1000:7.1f} ms" + (f", {started - before[5]:+.2f} s after {before[0]!r}" if before else ""))
    print(f"server memory: {now_mb:.0f} MB resident at the end, {peak_mb:.0f} MB at its peak (target < {MEMORY_MB} MB)")
    print(f"answers 5xx: {fives}")
    print(f"nothing lost: {present} of {len(stored)} reviews the clients' captures stored are there")
    for finding, passed, detail in trust:
        print(f"{'ok ' if passed else 'NO '} {finding}: {detail}")
    failed = (len(hostile_ok) < len(hostile_results) or percentile(every, 0.99) * 1000 >= CLIENT_P99_MS or peak_mb >= MEMORY_MB
              or fives or present < len(stored) or not all(passed for _, passed, _ in trust))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
