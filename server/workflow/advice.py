"""What a review gets: its triage (or the decision staff made over it) and, when a reply is due,
suggestions that pass the checker.

Positive reviews get suggested thank-yous only when the practice wants them (``suggest_positive``);
reviews not to be answered, or to be escalated, get no reply text at all (docs/design.md#triage).
"""

from __future__ import annotations

from typing import Any

from server.replies.policy import practice_settings, review_context
from server.replies.suggest import suggestions
from server.replies.triage import REPLY, triage
from server.storage import Store
from server.workflow.state import staff_triage

UNPROMPTED_KINDS = ("positive", "rating_only")  # reviews that need no reply unless the practice wants one


def list_triage(review: dict[str, Any], events: list[dict[str, Any]]) -> dict[str, Any]:
    """What the inbox shows of a review's triage: ``{action, reason, staff, category}`` (staff's decision
    first; the category is always the triage's own).

    The triage alone (no suggestions), from the review and its events already loaded for the list.
    """
    staff_decision = staff_triage(events)
    decision = triage(review_context(review))
    if staff_decision:
        return {"action": staff_decision["action"], "reason": staff_decision["reason"] or decision.reason, "staff": True,
                "category": decision.category}
    return {"action": decision.action, "reason": decision.reason, "staff": False, "category": decision.category}


def advice(store: Store, review: dict[str, Any]) -> dict[str, Any]:
    """The triage of a stored review and, when it calls for a reply, up to three suggestions.

    The latest decision staff made over the triage (a ``triage_changed`` event: action, reason)
    overrides its action; the triage's own answer stays in ``triage``.
    """
    staff_decision = staff_triage(store.review_events(review["id"]))
    context = review_context(review)
    settings = practice_settings(store.settings())
    decision = triage(context)
    action = staff_decision["action"] if staff_decision else decision.action
    replies = []
    if action == REPLY and (decision.sentiment not in UNPROMPTED_KINDS or settings.suggest_positive or staff_decision):
        replies = [
            {"text": suggestion.text, "violations": [violation.__dict__ for violation in suggestion.violations]}
            for suggestion in suggestions(context, decision.sentiment, settings, store.recent_owner_replies(), seed=str(review["id"]))
        ]
    return {**decision.as_json(), "action": action, "triage": decision.as_json(), "staff_decision": staff_decision,
            "suggestions": replies}
