"""What a review gets: its triage (or the decision staff made over it) and, when a reply is due,
suggestions that pass the checker.

Positive reviews get suggested thank-yous only when the practice wants them (``suggest_positive``);
reviews not to be answered, or to be escalated, get no reply text at all (docs/design.md#triage).
"""

from __future__ import annotations

from typing import Any

from server.replies.policy import practice_settings, review_context
from server.replies.suggest import suggestions
from server.replies.triage import REPLY, Triage, decided_by_staff, triage
from server.storage import Store
from server.workflow.state import staff_triage

UNPROMPTED_KINDS = ("positive", "rating_only")  # reviews that need no reply unless the practice wants one


def _decision(review: dict[str, Any], events: list[dict[str, Any]]) -> tuple[Triage, Triage, dict[str, Any] | None]:
    """(what applies, the triage's own decision, the staff's decision or None): staff's decision first, with
    its category (else the triage's own when it is of the same action), who to notify and how to report."""
    context = review_context(review)
    own = triage(context)
    staff_decision = staff_triage(events)
    if not staff_decision:
        return own, own, None
    category = staff_decision.get("category") or (own.category if own.action == staff_decision["action"] else "")
    return decided_by_staff(context, staff_decision["action"], category, staff_decision["reason"]), own, staff_decision


def list_triage(review: dict[str, Any], events: list[dict[str, Any]]) -> dict[str, Any]:
    """What the inbox shows of a review's triage: ``{action, reason, staff, category}`` (staff's decision
    first). The triage alone (no suggestions), from the review and its events already loaded for the list.
    """
    applies, _, staff_decision = _decision(review, events)
    return {"action": applies.action, "reason": applies.reason, "staff": staff_decision is not None, "category": applies.category}


def advice(store: Store, review: dict[str, Any]) -> dict[str, Any]:
    """The triage of a stored review and, when it calls for a reply, up to three suggestions.

    The latest decision staff made over the triage (a ``triage_changed`` event: action, category, reason)
    applies, with who to notify or how to report; the triage's own answer stays in ``triage``.
    """
    applies, own, staff_decision = _decision(review, store.review_events(review["id"]))
    settings = practice_settings(store.settings())
    replies = []
    if applies.action == REPLY and (own.sentiment not in UNPROMPTED_KINDS or settings.suggest_positive or staff_decision):
        replies = [
            {"text": suggestion.text, "violations": [violation.__dict__ for violation in suggestion.violations]}
            for suggestion in suggestions(review_context(review), own.sentiment, settings, store.recent_owner_replies(),
                                          seed=str(review["id"]))
        ]
    return {**applies.as_json(), "triage": own.as_json(), "staff_decision": staff_decision, "suggestions": replies}
