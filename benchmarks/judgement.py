"""Triage and the reply checker against the corpora written by people who never saw them (corpora/).

Triage: escalations missed (target 0), actions right (target at least 95%), genuine reviews escalated
(target at most 2%), per category. Checker: unsafe replies allowed (target 0), compliant replies
blocked (target at most 2%), rule recall (target at least 90%). Both: p95 time per call (target < 5 ms).

The test split (writer w3) is read only with --split test, once the models are frozen.
Run: python benchmarks/judgement.py [--split train|dev|test|all-but-test] [--model] [--show]
(--model: with the learned second opinion; it is trained on the train and dev writers, so figures on
those splits are in-sample; `python -m server.replies.training` prints the honest dev figure.)
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
from server.replies.policy import check, review_context  # noqa: E402
from server.replies.learned import triage_model  # noqa: E402
from server.replies.triage import decide, triage  # noqa: E402

MODEL = triage_model()
SPLITS = {"train": ("w1", "w2"), "dev": ("w4",), "test": ("w3",), "all-but-test": ("w1", "w2", "w4")}


def load(kind: str, writers: tuple[str, ...]) -> list[dict]:
    items = []
    for writer in writers:
        path = ROOT / "corpora" / writer / f"{kind}.jsonl"
        items += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return items


def p95(timings: list[float]) -> float:
    return statistics.quantiles(timings, n=20)[-1] if len(timings) > 1 else (timings[0] if timings else 0.0)


def measure_triage(reviews: list[dict], show: bool, with_model: bool) -> None:
    timings, confusion, missed, over = [], Counter(), [], []
    right = 0
    per_category: dict[str, Counter] = {}
    for item in reviews:
        started = time.perf_counter()
        decision = decide(review_context(item), MODEL) if with_model else triage(review_context(item))
        timings.append((time.perf_counter() - started) * 1000)
        gold, got = item["action"], decision.action
        confusion[(gold, got)] += 1
        right += gold == got
        per_category.setdefault(item["category"], Counter())[got == gold] += 1
        if gold == "escalate" and got != "escalate":
            missed.append((item, decision))
        if gold == "reply" and got == "escalate":
            over.append((item, decision))
        if show and gold != got:
            print(f"  [{item['id']}] {gold}/{item['category']} -> {got}: {item['text'][:160]!r}")
    escalations = sum(item["action"] == "escalate" for item in reviews)
    genuine = sum(item["action"] == "reply" for item in reviews)
    print(f"Triage, {len(reviews)} reviews:")
    print(f"  escalations missed: {len(missed)} of {escalations} (target 0)")
    print(f"  actions right: {right / len(reviews):.1%} (target >= 95%)")
    print(f"  genuine reviews escalated: {len(over)} of {genuine} = {len(over) / max(genuine, 1):.1%} (target <= 2%)")
    print("  by category (right/total): " + ", ".join(
        f"{category} {counts[True]}/{counts[True] + counts[False]}" for category, counts in sorted(per_category.items())))
    print(f"  p95 per call: {p95(timings):.2f} ms (target < 5 ms)")


def measure_checker(replies: list[dict], show: bool) -> None:
    timings, let_through, blocked = [], [], []
    found = expected = 0
    per_rule: dict[str, Counter] = {}
    for item in replies:
        started = time.perf_counter()
        result = check(item["reply"], item["review"], item.get("settings") or {})
        timings.append((time.perf_counter() - started) * 1000)
        flagged = {violation.rule for violation in result.violations if violation.severity == "block"}
        for rule in item["must_flag"]:
            expected += 1
            found += rule in flagged
            per_rule.setdefault(rule, Counter())[rule in flagged] += 1
        if item["allowed"] and not result.allowed:
            blocked.append((item, result))
            if show:
                print(f"  [{item['id']}] compliant blocked by {sorted(flagged)}: {item['reply'][:160]!r}")
        if not item["allowed"] and result.allowed:
            let_through.append((item, result))
            if show:
                print(f"  [{item['id']}] unsafe allowed {item['must_flag']}: {item['reply'][:160]!r}")
    compliant = sum(item["allowed"] for item in replies)
    unsafe = len(replies) - compliant
    print(f"Checker, {len(replies)} replies:")
    print(f"  unsafe replies allowed: {len(let_through)} of {unsafe} (target 0)")
    print(f"  compliant replies blocked: {len(blocked)} of {compliant} = {len(blocked) / max(compliant, 1):.1%} (target <= 2%)")
    print(f"  rule recall: {found / max(expected, 1):.1%} (target >= 90%); " + ", ".join(
        f"{rule} {counts[True]}/{counts[True] + counts[False]}" for rule, counts in sorted(per_rule.items())))
    print(f"  p95 per call: {p95(timings):.2f} ms (target < 5 ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=SPLITS, default="dev")
    parser.add_argument("--show", action="store_true", help="print every disagreement")
    parser.add_argument("--model", action="store_true", help="triage with the learned second opinion (server/replies/models)")
    args = parser.parse_args()
    writers = SPLITS[args.split]
    vocabulary.warm_up()
    check("warm up", {}, {})
    triage(review_context({"text": "warm up"}))
    print(f"Split {args.split} (writers {', '.join(writers)})")
    print("Triage by " + ("the rules and the learned second opinion" if args.model else "the rules alone"))
    measure_triage(load("reviews", writers), args.show, args.model)
    measure_checker(load("replies", writers), args.show)


if __name__ == "__main__":
    main()
