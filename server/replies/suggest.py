"""Reply suggestions in the shape reputation experts teach (docs/design.md, W4): acknowledge, say the feedback is taken
seriously, invite the reviewer to contact the office directly. Personalised only with the practice's own
settings, never with anything from the review; every suggestion passes the policy checker. Wordings
rotate: those least like the practice's recent posted replies come first.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from itertools import product

from rapidfuzz.fuzz import token_set_ratio

from server.replies.policy import PracticeSettings, ReviewContext, Violation, check

ACKNOWLEDGE = (
    "Thank you for taking the time to share this feedback.",
    "Thank you for letting us know about this.",
    "We appreciate you taking the time to write to us.",
    "Thank you for sharing your concerns with us.",
    "We're sorry to hear that the experience you describe fell short of what we aim for.",
    "We're sorry this did not meet your expectations, and we appreciate you telling us.",
)
MIXED_ACKNOWLEDGE = (
    "Thank you for the feedback, both the kind words and the concerns.",
    "Thank you for taking the time to share what went well and what did not.",
    "We appreciate your honest feedback.",
)
SERIOUS = (
    "We take every concern seriously and want to understand what happened.",
    "All feedback matters to us, and we take it seriously.",
    "Out of respect for everyone's privacy we don't discuss details here, but we take this seriously.",
    "We hold ourselves to a high standard and want to look into this.",
)
INVITE_BY_PHONE = (
    "Please call {role} at {line} so we can talk with you directly.",
    "We'd welcome the chance to talk; please reach {role} at {line}.",
    "Please contact {role} at {line} so we can look into this together.",
)
INVITE_BY_EMAIL = (
    "Please e-mail {role} at {line} so we can talk with you directly.",
    "We'd welcome the chance to talk; please write to {role} at {line}.",
    "Please contact {role} at {line} so we can look into this together.",
)
INVITE_WITHOUT_LINE = (
    "Please contact {role} directly so we can talk with you.",
    "We'd welcome the chance to talk; please get in touch with {role} directly.",
)
THANKS = (
    "Thank you for the kind words; we truly appreciate them!",
    "Thank you for taking the time to leave a review, it means a lot to our team.",
    "We appreciate your feedback and are glad to hear it!",
    "Thank you so much for the kind words!",
    "Thanks for taking the time to share this; our team will be glad to read it.",
)


@dataclass(frozen=True)
class Suggestion:
    text: str
    violations: tuple[Violation, ...]


def _invites(settings: PracticeSettings) -> list[str]:
    role = settings.contact_role or "our office manager"
    if settings.office_phones:
        return [pattern.format(role=role, line=settings.office_phones[0]) for pattern in INVITE_BY_PHONE]
    if settings.office_emails:
        return [pattern.format(role=role, line=settings.office_emails[0]) for pattern in INVITE_BY_EMAIL]
    return [pattern.format(role=role) for pattern in INVITE_WITHOUT_LINE]


def _candidates(kind: str, settings: PracticeSettings) -> list[str]:
    if kind in ("positive", "rating_only"):
        return list(THANKS)
    invites = _invites(settings)
    openers = MIXED_ACKNOWLEDGE + ACKNOWLEDGE[:3] if kind == "mixed" else ACKNOWLEDGE
    serious = SERIOUS + ((f"Everyone at {settings.practice_name} takes feedback like this seriously.",) if settings.practice_name else ())
    if settings.max_sentences >= 3:
        texts = [" ".join(parts) for parts in product(openers, serious, invites)]
    elif settings.max_sentences == 2:  # the practice wants it shorter: acknowledge and invite
        texts = [" ".join(parts) for parts in product(openers, invites)]
    else:
        texts = [f"{opener.rstrip('.')}; {invite[0].lower()}{invite[1:]}" for opener, invite in product(openers, invites)]
    return [text[0].upper() + text[1:] for text in texts]


def _staleness(text: str, recent: list[str]) -> float:
    """How much a wording resembles the practice's recent replies (0: not at all, 100: the same)."""
    return max((token_set_ratio(text, reply) for reply in recent), default=0.0)


def suggestions(review: ReviewContext, kind: str, settings: PracticeSettings, recent_replies: list[str],
                count: int = 3, seed: str = "") -> list[Suggestion]:
    """``count`` differently worded replies that pass the checker, freshest wordings first.

    ``seed`` (the review's id) varies the order among equally fresh wordings, so two reviews posted the
    same day do not get the same reply.
    """
    def order(text: str) -> tuple[float, str]:
        return (_staleness(text, recent_replies), hashlib.sha256(f"{seed}|{text}".encode()).hexdigest())

    chosen: list[Suggestion] = []
    used_openers: set[str] = set()
    for text in sorted(_candidates(kind, settings), key=order):
        opener = text.split(".")[0]
        if opener in used_openers:  # several wordings, not one wording three times
            continue
        result = check(text, review, settings)
        if not result.allowed:
            continue
        chosen.append(Suggestion(text, tuple(result.violations)))
        used_openers.add(opener)
        if len(chosen) == count:
            break
    return chosen
