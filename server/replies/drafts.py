"""Checking a draft reply against the policy with the practice's own settings (it runs as staff type),
and the sentences the practice's staff said are safe (a ``check_overridden`` event each), which the
learned layer of the checker then leaves alone."""

from __future__ import annotations

import re
from typing import Any

from server.replies.policy import CheckResult, Violation, check, practice_settings, review_context, sentence_key
from server.storage import Store

CHECK_OVERRIDDEN = "check_overridden"  # the event that says a sentence the learned layer blocked is safe
SAFE = "safe"  # its label, for retraining


def approved_sentences(store: Store) -> frozenset[str]:
    """The :func:`sentence_key` of every sentence staff overrode a learned block of, for every review."""
    return frozenset(sentence_key(text) for text in store.event_texts(CHECK_OVERRIDDEN))


def check_draft(store: Store, reply: str, review: dict[str, Any]) -> CheckResult:
    """Check a draft reply to a review (stored, or described by text, reviewer name, platform, rating)."""
    return check(reply, review_context(review), practice_settings(store.settings()), approved=approved_sentences(store))


def learned_block(result: CheckResult, reply: str, sentence: str) -> Violation | None:
    """The violation of ``result`` (a check of ``reply``) that blocks ``sentence`` by the learned layer alone, if any."""
    key = sentence_key(sentence)
    return next((violation for violation in result.violations
                 if violation.learned and sentence_key(reply[violation.start:violation.end]) == key), None)


def blocks_of(result: CheckResult, reply: str, sentence: str) -> list[Violation]:
    """The blocking violations of ``result`` (a check of ``reply``) that touch ``sentence`` where it first
    stands in ``reply`` (whitespace and case aside); none when it is not in the reply."""
    words = sentence.split()
    found = re.search(r"\s+".join(map(re.escape, words)), reply, re.IGNORECASE) if words else None
    if found is None:
        return []
    return [violation for violation in result.violations
            if violation.severity == "block" and violation.start < found.end() and found.start() < violation.end]
