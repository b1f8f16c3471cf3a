"""Ingestion throughput and read latency of the real server over HTTP on 127.0.0.1.

Starts ``reviewdesk serve`` on a temporary data directory, then measures:
  1. one client ingesting reviews in batches of 100 (target: at least 1,000 reviews/s);
  2. 8 concurrent client processes, 4 ingesting and 4 reading the inbox and single reviews
     (target: read p99 under 50 ms), and 8 clients only reading.
Run: python benchmarks/ingest.py [--reviews 20000] [--seconds 10]
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import random
import statistics
import time

from served import percentile, served  # noqa: E402 (benchmarks/served.py)

FIRST_NAMES = ["Dana", "Priya", "Luis", "Mei", "Olu", "Sam", "Ava", "Noah", "Ines", "Kofi", "Hana", "Theo"]
LAST_NAMES = ["Whitfield", "Raman", "Ortega", "Chen", "Adeyemi", "Keller", "Rossi", "Novak", "Haddad", "Berg"]
SENTENCES = [
    "The front desk was friendly and quick.",
    "I waited far longer than I expected.",
    "Parking was difficult to find.",
    "Everyone explained things clearly.",
    "The billing office never called me back.",
    "Clean, modern and calm waiting room.",
]


def make_review(key: str, rng: random.Random) -> dict:
    return {
        "platform": rng.choice(["google", "google", "yelp", "facebook"]),
        "platform_review_id": key,
        "reviewer_name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
        "rating": rng.randint(1, 5),
        "text": " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(1, 6))),
        "date_text": f"{rng.randint(1, 11)} months ago",
    }


class Client:
    def __init__(self, port: int, token: str):
        self.port = port
        self.headers = {"Host": f"127.0.0.1:{port}", "Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict, float]:
        payload = json.dumps(body) if body is not None else None
        started = time.perf_counter()
        self.connection.request(method, path, body=payload, headers=self.headers)
        response = self.connection.getresponse()
        data = response.read()
        elapsed = time.perf_counter() - started
        return response.status, json.loads(data), elapsed


def ingest_worker(port: int, token: str, prefix: str, seconds: float, queue) -> None:
    client, rng = Client(port, token), random.Random(prefix)
    deadline, sent, batch = time.monotonic() + seconds, 0, 0
    while time.monotonic() < deadline:
        reviews = [make_review(f"{prefix}-{batch}-{i}", rng) for i in range(100)]
        status, _, _ = client.call("POST", "/api/reviews", {"reviews": reviews})
        assert status == 200, status
        sent += 100
        batch += 1
    queue.put(("ingested", sent))


def read_worker(port: int, token: str, seed: int, seconds: float, max_id: int, queue) -> None:
    client, rng = Client(port, token), random.Random(seed)
    deadline, latencies = time.monotonic() + seconds, []
    while time.monotonic() < deadline:
        if rng.random() < 0.5:
            path = f"/api/reviews?limit=50&offset={rng.randint(0, 1000)}"
        elif rng.random() < 0.5:
            path = f"/api/reviews?q={rng.choice(LAST_NAMES)}&limit=50"
        else:
            path = f"/api/reviews/{rng.randint(1, max_id)}"
        status, _, elapsed = client.call("GET", path)
        assert status == 200, (status, path)
        latencies.append(elapsed)
    queue.put(("latencies", latencies))


def run_mix(port: int, token: str, writers: int, readers: int, seconds: float, max_id: int, tag: str) -> tuple[list[float], int]:
    queue = multiprocessing.Queue()
    processes = [
        multiprocessing.Process(target=ingest_worker, args=(port, token, f"{tag}-w{i}", seconds, queue)) for i in range(writers)
    ] + [multiprocessing.Process(target=read_worker, args=(port, token, i, seconds, max_id, queue)) for i in range(readers)]
    for process in processes:
        process.start()
    latencies, ingested = [], 0
    for _ in processes:
        kind, value = queue.get(timeout=seconds + 120)
        if kind == "latencies":
            latencies += value
        else:
            ingested += value
    for process in processes:
        process.join()
    return latencies, ingested


def report_reads(label: str, latencies: list[float]) -> None:
    ms = [value * 1000 for value in latencies]
    print(f"{label}: {len(ms)} reads, p50 {statistics.median(ms):.1f} ms, p95 {percentile(ms, 0.95):.1f} ms, "
          f"p99 {percentile(ms, 0.99):.1f} ms (target p99 < 50 ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=20_000, help="reviews for the single-client ingest")
    parser.add_argument("--seconds", type=float, default=10, help="duration of each concurrent scenario")
    args = parser.parse_args()

    with served() as (port, token):
        client, rng = Client(port, token), random.Random(1)
        while not client.call("GET", "/api/health")[1]["checker_ready"]:  # measure the warmed-up server
            time.sleep(0.2)

        started = time.perf_counter()
        for batch in range(args.reviews // 100):
            status, body, _ = client.call("POST", "/api/reviews", {"reviews": [make_review(f"s-{batch}-{i}", rng) for i in range(100)]})
            assert status == 200 and body["created"] == 100, body
        elapsed = time.perf_counter() - started
        print(f"ingest, 1 client, batches of 100: {args.reviews} new reviews in {elapsed:.2f} s = "
              f"{args.reviews / elapsed:,.0f} reviews/s (target >= 1,000)")

        rng = random.Random(1)  # the same reviews again: every one is unchanged
        started = time.perf_counter()
        for batch in range(args.reviews // 100):
            status, body, _ = client.call("POST", "/api/reviews", {"reviews": [make_review(f"s-{batch}-{i}", rng) for i in range(100)]})
            assert status == 200 and body["unchanged"] == 100, body
        elapsed = time.perf_counter() - started
        print(f"re-ingest of known reviews: {args.reviews / elapsed:,.0f} reviews/s")

        latencies, _ = run_mix(port, token, 0, 8, args.seconds, args.reviews, "r")
        report_reads("8 clients reading", latencies)
        latencies, ingested = run_mix(port, token, 4, 4, args.seconds, args.reviews, "m")
        report_reads("4 clients reading while 4 ingest", latencies)
        print(f"  ... meanwhile 4 clients ingested {ingested} reviews = {ingested / args.seconds:,.0f} reviews/s")


if __name__ == "__main__":
    main()
