"""What a review gets: its triage and, when a reply is due, suggestions that pass the checker.

Positive reviews get suggested thank-yous only when the practice wants them (``suggest_positive``);
reviews not to be answered, or to be escalated, get no reply text at all (docs/design.md#triage).
"""

from __future__ import annotations

from typing import Any

from server.replies.policy import CheckResult, check, practice_settings, review_context
from server.replies.suggest import suggestions
from server.replies.triage import REPLY, triage
from server.storage import Store

UNPROMPTED_KINDS = ("positive", "rating_only")  # reviews that need no reply unless the practice wants one


def advice(store: Store, review: dict[str, Any]) -> dict[str, Any]:
    """The triage of a stored review and, when it calls for a reply, up to three suggestions."""
    context = review_context(review)
    settings = practice_settings(store.settings())
    decision = triage(context)
    replies = []
    if decision.action == REPLY and (decision.sentiment not in UNPROMPTED_KINDS or settings.suggest_positive):
        replies = [
            {"text": suggestion.text, "violations": [violation.__dict__ for violation in suggestion.violations]}
            for suggestion in suggestions(context, decision.sentiment, settings, store.recent_owner_replies(), seed=str(review["id"]))
        ]
    return {**decision.as_json(), "suggestions": replies}


def check_draft(store: Store, reply: str, review: dict[str, Any]) -> CheckResult:
    """Check a draft reply to a review (stored, or described by text, reviewer name, platform, rating)."""
    return check(reply, review_context(review), practice_settings(store.settings()))
