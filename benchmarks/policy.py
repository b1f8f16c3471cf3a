"""The reply policy checker against the labelled corpus: per-rule precision and recall, unsafe replies
let through (target: none), compliant replies wrongly blocked (target: at most 1 in 30), and the time
of one check (target: under 5 ms).
Run: python benchmarks/policy.py [--corpus server/replies/corpora/earlier/corpus.jsonl] [--show]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from server.replies import vocabulary  # noqa: E402
from server.replies.policy import RULES, check  # noqa: E402


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "server" / "replies" / "corpora" / "earlier" / "corpus.jsonl")
    parser.add_argument("--show", action="store_true", help="print every disagreement")
    args = parser.parse_args()
    cases = load(args.corpus)
    vocabulary.warm_up()
    check("warm up", {}, {})
    true_positive, false_positive, false_negative = Counter(), Counter(), Counter()
    let_through, wrongly_blocked, timings = [], [], []
    for case in cases:
        started = time.perf_counter()
        result = check(case["reply"], case["review"], case["settings"])
        timings.append((time.perf_counter() - started) * 1000)
        flagged = {v.rule for v in result.violations}
        for rule in case["must_flag"]:
            (true_positive if rule in flagged else false_negative)[rule] += 1
        if case["allowed"]:
            blocking = {v.rule for v in result.violations if v.severity == "block"}
            for rule in blocking:
                false_positive[rule] += 1
            if not result.allowed:
                wrongly_blocked.append((case, result))
        elif result.allowed:
            let_through.append((case, result))
    compliant = sum(case["allowed"] for case in cases)
    unsafe = len(cases) - compliant
    print(f"{len(cases)} replies: {compliant} compliant, {unsafe} unsafe")
    print(f"unsafe replies let through: {len(let_through)} of {unsafe} (target 0)")
    print(f"compliant replies wrongly blocked: {len(wrongly_blocked)} of {compliant} = "
          f"{len(wrongly_blocked) / max(compliant, 1):.1%} (target at most 1 in 30 = 3.3%)")
    print(f"{'rule':26} precision  recall  (expected, found, missed, false alarms on compliant replies)")
    for rule in RULES:
        expected = true_positive[rule] + false_negative[rule]
        if not expected and not false_positive[rule]:
            continue
        precision = true_positive[rule] / max(true_positive[rule] + false_positive[rule], 1)
        recall = true_positive[rule] / max(expected, 1)
        print(f"{rule:26} {precision:8.0%} {recall:8.0%}   ({expected}, {true_positive[rule]}, {false_negative[rule]}, {false_positive[rule]})")
    timings.sort()
    print(f"one check: median {statistics.median(timings):.2f} ms, p95 {timings[int(0.95 * len(timings))]:.2f} ms, "
          f"max {timings[-1]:.2f} ms (target < 5 ms)")
    if args.show:
        for title, items in (("LET THROUGH", let_through), ("WRONGLY BLOCKED", wrongly_blocked)):
            for case, result in items:
                print(f"\n{title} {case['id']}: {case['reply']}\n  expected {case['must_flag']}; got "
                      + "; ".join(f"{v.rule}: {case['reply'][v.start:v.end]!r}" for v in result.violations))
        for case in cases:
            flagged = {v.rule for v in check(case["reply"], case["review"], case["settings"]).violations}
            missing = set(case["must_flag"]) - flagged
            if missing and not case["allowed"] is False or (missing and case not in [c for c, _ in let_through]):
                if missing:
                    print(f"\nMISSED RULE {case['id']}: {sorted(missing)}: {case['reply']}")


if __name__ == "__main__":
    main()
