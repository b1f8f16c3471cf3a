"""Logging what staff did with a review (docs/design.md#the-workflow): the cool-down is enforced here,
the reply that was posted is checked here, and each review's stored progress is kept in step with
its events, all inside the write transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from parsers.isotime import iso_utc, parse_iso
from server.errors import CooldownActive, InvalidField, ValidationError
from server.replies import vocabulary
from server.replies.drafts import CHECK_OVERRIDDEN, SAFE, approved_sentences, blocks_of, learned_block
from server.replies.learned import DO_NOT_REPLY_CATEGORIES, ESCALATE_CATEGORIES
from server.replies.policy import REMOVAL, check, practice_settings, review_context
from server.storage import Store
from server.workflow.advice import list_triage
from server.workflow.state import (CALL_OUTCOMES, EVENT_TYPES, LOGGABLE, OPEN, TRIAGE_ACTIONS, WorkflowSettings, cooldown_ends, first_view,
                                   minutes_until, settled_stage, staff_triage, state)

# A time a little ahead of the server's clock is the same moment on another clock, not the future.
CLOCK_TOLERANCE = timedelta(minutes=1)
REMOVAL_WARNING = ("The call note mentions removing or changing the review: never ask for that; the FTC rule on consumer "
                   "reviews forbids it. Call to resolve the concern, nothing else.")
PROGRESS_BATCH = 900  # reviews (and their events) held in memory at once when deriving missing progress
OVERRIDE_WARNING = "Replied before the cool-down ended; the override is counted in the stats."
GENUINE = "genuine"
# The triage categories staff may choose for each action (docs/design.md#policy-checker).
TRIAGE_CATEGORIES: dict[str, tuple[str, ...]] = {"reply": (GENUINE,), "do_not_reply": DO_NOT_REPLY_CATEGORIES,
                                                 "escalate": ESCALATE_CATEGORIES}


@dataclass(frozen=True)
class StaffEvent:
    """What staff report they did: the type, when (None: now), and what they noted."""

    type: str
    at: str | None = None  # ISO 8601; None: now
    note: str | None = None
    outcome: str | None = None
    text: str | None = None
    override_reason: str | None = None
    staff: str | None = None
    action: str | None = None  # a triage_changed event: the action staff chose instead
    category: str | None = None  # a triage_changed event: the category of that action (reply: genuine)
    assignee: str | None = None  # an assigned event: who makes the follow-up call from now on
    reply: str | None = None  # a check_overridden event: the whole draft whose sentence (``text``) staff say is safe


@dataclass
class Logged:
    event_id: int
    state: dict[str, Any]
    warnings: list[str] = field(default_factory=list)


def log_event(store: Store, review: dict[str, Any], event: StaffEvent, now: datetime) -> Logged:
    """Append a staff event to a review's log, or refuse it (a reply before the cool-down ends, W1)."""
    if event.type not in LOGGABLE:
        known = "ReviewDesk logs it itself" if event.type in EVENT_TYPES else f"types you can log: {', '.join(LOGGABLE)}"
        raise InvalidField("type", f"'type' {event.type!r} cannot be logged here ({known}).")
    # A view starts the cool-down: it is stamped by the server, so a back-dated view cannot shorten it.
    at = now if event.type == "viewed" or event.at is None else _moment(event.at, now)
    data: dict[str, Any] = {name: value for name, value in
                            (("note", event.note), ("override_reason", event.override_reason), ("text", event.text)) if value}
    warnings: list[str] = []
    if event.type == "triage_changed":
        data |= _triage_change(event)
        list_triage(review, store.review_events(review["id"]))  # the triage's models load here, not under the write lock
    if event.type == CHECK_OVERRIDDEN:
        data = _check_override(store, review, event)
    if event.type == "assigned":
        if not event.assignee:
            raise InvalidField("assignee", "Assigning the follow-up needs 'assignee': the name of the person who will call.")
        data["assignee"] = event.assignee
    if event.type == "followup_call":
        if event.outcome not in CALL_OUTCOMES:
            raise InvalidField("outcome", f"A follow-up call needs 'outcome': one of {', '.join(CALL_OUTCOMES)}.")
        data["outcome"] = event.outcome
        if event.note and any(pattern.search(event.note) for pattern in REMOVAL):
            warnings.append(REMOVAL_WARNING)
    if event.type == "replied" and data.get("text") and not vocabulary.is_ready():
        vocabulary.warm_up()  # seconds on a fresh start: not while holding the write lock
    with store.write():
        # Everything is read again inside the transaction: a capture may have changed the review since.
        review = store.get_review(review["id"]) or review
        stored = store.settings()
        settings = WorkflowSettings.of(stored)
        if event.type == "replied":
            warnings += _check_reply(store, review, store.review_events(review["id"]), settings, stored, at, data)
        if event.type == "triage_changed":
            data |= _triage_snapshot(review, store.review_events(review["id"]))
        event_id = store.append_event(review["id"], event.type, at=iso_utc(at), recorded_at=iso_utc(now), data=data, staff=event.staff)
        events = store.review_events(review["id"])
        store.set_progress([(settled_stage(review, events), first_view(events), review["id"])])
    return Logged(event_id, state(review, events, settings, now), warnings)


def _moment(value: str, now: datetime) -> datetime:
    try:
        moment = parse_iso(value)
    except ValueError:
        raise InvalidField("at", "'at' must be an ISO 8601 date-time such as 2026-11-23T14:05:00Z.") from None
    if moment > now + CLOCK_TOLERANCE:
        raise InvalidField("at", "'at' is in the future: log what happened, when it happened (past times are fine).")
    return moment


def _triage_change(event: StaffEvent) -> dict[str, Any]:
    """What staff decided instead of the triage: the action, its category (a reply's is genuine) and why."""
    if event.action not in TRIAGE_ACTIONS:
        raise InvalidField("action", f"Changing the triage needs 'action': one of {', '.join(TRIAGE_ACTIONS)}.")
    if not event.note:
        raise InvalidField("note", "Say in 'note' why the triage is changed (a short reason; it teaches the triage later).")
    allowed = TRIAGE_CATEGORIES[event.action]
    category = event.category if event.category not in (None, "") else (GENUINE if event.action == "reply" else None)
    if category is not None and (not isinstance(category, str) or category not in allowed):
        raise InvalidField("category", f"'category' {str(category)[:40]!r} is not one of {event.action}'s categories: "
                                       f"{', '.join(allowed)}.")
    return {"action": event.action, "category": category}


def _triage_snapshot(review: dict[str, Any], events: list[dict[str, Any]]) -> dict[str, Any]:
    """What was corrected, as it was at that moment: the review's text (a re-capture may change it later) and
    what the triage said (the decision staff made before, if any)."""
    current = list_triage(review, events)
    earlier = staff_triage(events)
    return {"text": str(review.get("text") or ""), "was_action": current["action"],
            "was_category": earlier.get("category") if earlier else current["category"]}


def _check_override(store: Store, review: dict[str, Any], event: StaffEvent) -> dict[str, Any]:
    """Staff say a sentence the learned layer of the checker blocked is safe: accepted only when that sentence
    of the draft is blocked by the learned layer alone right now (a rule's block is never overridden)."""
    if not event.reply:
        raise InvalidField("reply", "Overriding the checker needs 'reply': the whole draft as it was checked.")
    if not event.text or not event.text.strip():
        raise InvalidField("text", "Overriding the checker needs 'text': the sentence it blocked, as it was quoted.")
    if not event.note:
        raise InvalidField("note", "Say in 'note' why the sentence is safe (a short reason; it teaches the checker later).")
    if not vocabulary.is_ready():
        vocabulary.warm_up()
    # Checked as the checker alone sees it, without earlier approvals: overriding twice is not an error.
    result = check(event.reply, review_context(review), practice_settings(store.settings()))
    if learned_block(result, event.reply, event.text) is None:
        blocks = blocks_of(result, event.reply, event.text)
        by_rules = [violation for violation in blocks if not violation.learned]
        if by_rules:
            rules = ", ".join(dict.fromkeys(violation.rule for violation in by_rules))
            raise ValidationError("text", f"This sentence is blocked by the rule {rules} ({by_rules[0].message}) Rule blocks "
                                          "cannot be overridden: rewrite the sentence.")
        if blocks:
            raise ValidationError("text", "Send in 'text' the whole sentence the checker blocked, exactly as it quoted it.")
        raise ValidationError("text", "The checker does not block this sentence of the reply (or it is not in the reply): "
                                      "there is nothing to override.")
    return {"text": event.text.strip(), "reply": event.reply, "note": event.note, "label": SAFE}


def _check_reply(store: Store, review: dict[str, Any], events: list[dict[str, Any]], settings: WorkflowSettings,
                 stored: dict[str, Any], at: datetime, data: dict[str, Any]) -> list[str]:
    """Refuse a reply inside the cool-down unless overridden; check the posted text against the policy."""
    viewed_at = first_view(events)
    # Replying without a view: the cool-down starts now.
    cooldown_end = cooldown_ends(parse_iso(viewed_at) if viewed_at else at, settings)
    warnings = []
    if at < cooldown_end and "override_reason" not in data:
        raise CooldownActive(minutes_until(cooldown_end, at))
    if "override_reason" in data:
        warnings.append(OVERRIDE_WARNING)
    if data.get("text"):
        result = check(data["text"], review_context(review), practice_settings(stored), approved=approved_sentences(store))
        data["violations"] = [violation.rule for violation in result.violations]
        if not result.allowed:
            blocked = sorted({violation.rule for violation in result.violations if violation.severity == "block"})
            warnings.append(f"The posted reply breaks the reply policy ({', '.join(blocked)}): edit it on the platform now.")
    return warnings


def new_review_progress(values: dict[str, Any], events: Sequence[tuple[str, str, dict[str, Any]]]) -> dict[str, Any]:
    """The progress of a review about to be inserted with ``events`` (type, at, data): what refresh_progress
    would derive once it is stored, without reading it back."""
    logged = [{"type": event_type, "at": at, **data} for event_type, at, data in events]
    return {"settled_stage": settled_stage(values, logged), "first_viewed_at": first_view(logged)}


def refresh_progress(store: Store, review_ids: Sequence[int]) -> None:
    """Derive and store the settled stage and first view of these reviews from their events (inside
    the caller's transaction, or in one of its own)."""
    if not review_ids:
        return
    with store.write():
        events = store.events_for(review_ids)
        with_events = {review["id"]: review for review in store.reviews_by_id(list(events))} if events else {}
        store.set_progress([
            (settled_stage(with_events[review_id], events[review_id]), first_view(events[review_id]), review_id)
            if review_id in with_events else (OPEN, None, review_id)  # nothing has happened to it yet
            for review_id in review_ids
        ])


def derive_missing_progress(store: Store) -> int:
    """Derive the stored progress of reviews that have none yet (a database from before it was kept)."""
    missing = store.reviews_without_progress()
    for start in range(0, len(missing), PROGRESS_BATCH):
        refresh_progress(store, missing[start:start + PROGRESS_BATCH])
    return len(missing)
