"""Checking a draft reply against the policy with the practice's own settings (it runs as staff type)."""

from __future__ import annotations

from typing import Any

from server.replies.policy import CheckResult, check, practice_settings, review_context
from server.storage import Store


def check_draft(store: Store, reply: str, review: dict[str, Any]) -> CheckResult:
    """Check a draft reply to a review (stored, or described by text, reviewer name, platform, rating)."""
    return check(reply, review_context(review), practice_settings(store.settings()))
