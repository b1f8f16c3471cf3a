"""How well triage and the checker judge the corpora (server/replies/corpora): the figures the issue's targets
are about, computed in one place for the benchmark (benchmarks/judgement.py) and for ``reviewdesk retrain``
(before and after, on the shipped test split).

Triage: escalations missed (target 0), actions right (target at least 95%), genuine reviews escalated (at
most 2%). Checker: unsafe replies allowed (target 0), compliant replies blocked (at most 2%), rule recall
(at least 90%). Both: p95 time per call (under 5 ms).
"""

from __future__ import annotations

import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from server.replies.policy import CheckResult, review_context
from server.replies.triage import Triage


def p95(timings: list[float]) -> float:
    return statistics.quantiles(timings, n=20)[-1] if len(timings) > 1 else (timings[0] if timings else 0.0)


@dataclass
class TriageFigures:
    reviews: int = 0
    escalations: int = 0
    missed: int = 0
    genuine: int = 0
    genuine_escalated: int = 0
    right: int = 0
    per_category: dict[str, Counter] = field(default_factory=dict)
    p95_ms: float = 0.0
    wrong: list[tuple[dict, Triage]] = field(default_factory=list)

    @property
    def actions_right(self) -> float:
        return self.right / max(self.reviews, 1)

    @property
    def genuine_escalated_share(self) -> float:
        return self.genuine_escalated / max(self.genuine, 1)

    def summary(self) -> str:
        return (f"escalations missed {self.missed} of {self.escalations}; actions right {self.actions_right:.1%}; "
                f"genuine reviews escalated {self.genuine_escalated} of {self.genuine} = {self.genuine_escalated_share:.1%}")

    def lines(self) -> list[str]:
        return [
            f"Triage, {self.reviews} reviews:",
            f"  escalations missed: {self.missed} of {self.escalations} (target 0)",
            f"  actions right: {self.actions_right:.1%} (target >= 95%)",
            f"  genuine reviews escalated: {self.genuine_escalated} of {self.genuine} = {self.genuine_escalated_share:.1%} (target <= 2%)",
            "  by category (right/total): " + ", ".join(f"{category} {counts[True]}/{counts[True] + counts[False]}"
                                                        for category, counts in sorted(self.per_category.items())),
            f"  p95 per call: {self.p95_ms:.2f} ms (target < 5 ms)",
        ]


@dataclass
class CheckerFigures:
    replies: int = 0
    unsafe: int = 0
    allowed_unsafe: int = 0
    compliant: int = 0
    blocked_compliant: int = 0
    found: int = 0
    expected: int = 0
    per_rule: dict[str, Counter] = field(default_factory=dict)
    p95_ms: float = 0.0
    wrong: list[tuple[dict, CheckResult]] = field(default_factory=list)

    @property
    def blocked_share(self) -> float:
        return self.blocked_compliant / max(self.compliant, 1)

    @property
    def recall(self) -> float:
        return self.found / max(self.expected, 1)

    def summary(self) -> str:
        return (f"unsafe replies allowed {self.allowed_unsafe} of {self.unsafe}; compliant replies blocked "
                f"{self.blocked_compliant} of {self.compliant} = {self.blocked_share:.1%}; rule recall {self.recall:.1%}")

    def lines(self) -> list[str]:
        return [
            f"Checker, {self.replies} replies:",
            f"  unsafe replies allowed: {self.allowed_unsafe} of {self.unsafe} (target 0)",
            f"  compliant replies blocked: {self.blocked_compliant} of {self.compliant} = {self.blocked_share:.1%} (target <= 2%)",
            f"  rule recall: {self.recall:.1%} (target >= 90%); " + ", ".join(
                f"{rule} {counts[True]}/{counts[True] + counts[False]}" for rule, counts in sorted(self.per_rule.items())),
            f"  p95 per call: {self.p95_ms:.2f} ms (target < 5 ms)",
        ]


def triage_figures(reviews: list[dict[str, Any]], decide: Callable[[Any], Triage]) -> TriageFigures:
    """``decide(review_context)`` on each corpus review, against its labelled action."""
    figures, timings = TriageFigures(reviews=len(reviews)), []
    for item in reviews:
        context = review_context(item)
        started = time.perf_counter()
        decision = decide(context)
        timings.append((time.perf_counter() - started) * 1000)
        gold, got = item["action"], decision.action
        figures.escalations += gold == "escalate"
        figures.genuine += gold == "reply"
        figures.missed += gold == "escalate" and got != "escalate"
        figures.genuine_escalated += gold == "reply" and got == "escalate"
        figures.right += gold == got
        figures.per_category.setdefault(item["category"], Counter())[got == gold] += 1
        if gold != got:
            figures.wrong.append((item, decision))
    figures.p95_ms = p95(timings)
    return figures


def checker_figures(replies: list[dict[str, Any]], check: Callable[[str, dict, dict], CheckResult]) -> CheckerFigures:
    """``check(reply, review, settings)`` on each corpus reply, against its label and the rules it must trip."""
    figures, timings = CheckerFigures(replies=len(replies)), []
    for item in replies:
        started = time.perf_counter()
        result = check(item["reply"], item["review"], item.get("settings") or {})
        timings.append((time.perf_counter() - started) * 1000)
        flagged = {violation.rule for violation in result.violations if violation.severity == "block"}
        for rule in item["must_flag"]:
            figures.expected += 1
            figures.found += rule in flagged
            figures.per_rule.setdefault(rule, Counter())[rule in flagged] += 1
        figures.compliant += bool(item["allowed"])
        figures.unsafe += not item["allowed"]
        if item["allowed"] != result.allowed:
            figures.wrong.append((item, result))
            figures.blocked_compliant += bool(item["allowed"])
            figures.allowed_unsafe += not item["allowed"]
    figures.p95_ms = p95(timings)
    return figures
