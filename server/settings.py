"""The practice's settings used in replies: its name, its own contact lines, who to name as the contact,
staff allowed to appear, the longest reply, and whether to suggest replies to positive reviews."""

from __future__ import annotations

import re
from typing import Any

from server.errors import ApiError
from server.policy import PracticeSettings

DEFAULTS: dict[str, Any] = {
    "practice_name": "",
    "office_phones": [],
    "office_emails": [],
    "contact_role": "our office manager",
    "staff_names": [],
    "max_sentences": 3,
    "suggest_positive": True,
}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _text(name: str, value: Any, limit: int = 200) -> str:
    if not isinstance(value, str) or len(value.strip()) > limit:
        raise ApiError(422, "invalid_value", f"'{name}' must be text of at most {limit} characters.")
    return value.strip()


def _list(name: str, value: Any, check=None, what: str = "text") -> list[str]:
    if not isinstance(value, list) or len(value) > 20:
        raise ApiError(422, "invalid_value", f"'{name}' must be a list of at most 20 {what} values.")
    items = [_text(name, item) for item in value]
    for item in items:
        if check and not check(item):
            raise ApiError(422, "invalid_value", f"'{name}': {item!r} is not a valid {what}.")
    return [item for item in items if item]


def validate(changes: Any) -> dict[str, Any]:
    """The changes of a ``PUT /api/settings``, checked; unknown keys and bad values are refused."""
    if not isinstance(changes, dict):
        raise ApiError(400, "missing_field", "Send a JSON object of settings, e.g. {\"practice_name\": \"Maple Family Dental\"}.")
    unknown = sorted(set(changes) - set(DEFAULTS))
    if unknown:
        raise ApiError(422, "invalid_value", f"Unknown setting(s): {', '.join(unknown)}. Known: {', '.join(DEFAULTS)}.")
    clean: dict[str, Any] = {}
    for name, value in changes.items():
        if name in ("practice_name", "contact_role"):
            clean[name] = _text(name, value)
        elif name == "office_phones":
            clean[name] = _list(name, value, lambda v: len(re.sub(r"\D", "", v)) >= 7, "phone number")
        elif name == "office_emails":
            clean[name] = _list(name, value, EMAIL.match, "e-mail address")
        elif name == "staff_names":
            clean[name] = _list(name, value)
        elif name == "max_sentences":
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 10:
                raise ApiError(422, "invalid_value", "'max_sentences' must be a whole number from 1 to 10.")
            clean[name] = value
        elif name == "suggest_positive":
            if not isinstance(value, bool):
                raise ApiError(422, "invalid_value", "'suggest_positive' must be true or false.")
            clean[name] = value
    return clean


def practice_settings(stored: dict[str, Any]) -> PracticeSettings:
    values = {**DEFAULTS, **stored}
    return PracticeSettings(
        practice_name=values["practice_name"],
        office_phones=tuple(values["office_phones"]),
        office_emails=tuple(values["office_emails"]),
        contact_role=values["contact_role"] or DEFAULTS["contact_role"],
        staff_names=tuple(values["staff_names"]),
        max_sentences=values["max_sentences"],
        suggest_positive=values["suggest_positive"],
    )
