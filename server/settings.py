"""The practice's settings, declared once: each one's name, default, kind of value, help, label and section.

The table validates ``PUT /api/settings``, gives the defaults, documents them (the docs test holds
it against the README) and describes the dashboard's settings form (:func:`form_fields`). The checker
and the workflow read their views of it (:func:`server.replies.policy.practice_settings`,
:meth:`server.workflow.state.WorkflowSettings.of`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from parsers import limits
from server.errors import MissingField, ValidationError

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Kind:
    """A kind of setting value: how it is checked, and how a form shows it (``text``, ``number``, ``yes_no``,
    ``list`` of text, ``link``, ``time_zone``) with its bounds."""

    name: str
    check: Callable[[str, Any], Any]  # the clean value, or ValidationError
    minimum: float | None = None
    maximum: float | None = None
    step: float | None = None
    max_length: int | None = None


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    kind: Kind
    help: str
    label: str  # what the dashboard's form calls it
    section: str  # a key of SECTIONS

    @property
    def check(self) -> Callable[[str, Any], Any]:
        return self.kind.check


def _text_check(limit: int) -> Callable[[str, Any], str]:
    def check(name: str, value: Any) -> str:
        if not isinstance(value, str) or len(value.strip()) > limit:
            raise ValidationError(name, f"'{name}' must be text of at most {limit} characters.")
        return value.strip()
    return check


def text(limit: int = 200) -> Kind:
    return Kind("text", _text_check(limit), max_length=limit)


def whole_number(low: int, high: int, note: str = "") -> Kind:
    def check(name: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValidationError(name, f"'{name}' must be a whole number from {low} to {high}{note}.")
        return value
    return Kind("number", check, minimum=low, maximum=high, step=1)


def text_list(is_valid: Callable[[str], Any] | None = None, what: str = "text") -> Kind:
    item_check = _text_check(200)

    def check(name: str, value: Any) -> list[str]:
        if not isinstance(value, list) or len(value) > limits.SETTING_LIST_ITEMS:
            raise ValidationError(name, f"'{name}' must be a list of at most {limits.SETTING_LIST_ITEMS} {what} values.")
        items = [item_check(name, item) for item in value]
        for item in items:
            if is_valid and not is_valid(item):
                raise ValidationError(name, f"'{name}': {item!r} is not a valid {what}.")
        return [item for item in items if item]
    return Kind("list", check, maximum=limits.SETTING_LIST_ITEMS, max_length=200)


def review_link(host: str | None = None) -> Kind:
    link_check = _text_check(500)

    def check(name: str, value: Any) -> str:
        link = link_check(name, value)
        if link and not re.match(r"^https://[^\s]+$", link):
            raise ValidationError(name, f"'{name}' must be an https:// link (the platform's 'write a review' link).")
        if host and link and host not in link:
            raise ValidationError(name, f"'{name}' must be a {host} link.")
        return link
    return Kind("link", check, max_length=500)


def _time_zone_check(name: str, value: Any) -> str:
    zone = _text_check(64)(name, value)
    if zone:
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValidationError(name, f"'time_zone' must be a time zone name such as America/Chicago, got {zone!r}.") from None
    return zone


def _stars_check(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 1 <= value <= 5:
        raise ValidationError(name, f"'{name}' must be a number of stars from 1 to 5.")
    return float(value)


def _yes_no_check(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(name, f"'{name}' must be true or false.")
    return value


time_zone = Kind("time_zone", _time_zone_check, max_length=64)
stars = Kind("number", _stars_check, minimum=1, maximum=5, step=0.1)
yes_no = Kind("yes_no", _yes_no_check)


def _phone(value: str) -> bool:
    return len(re.sub(r"\D", "", value)) >= 7


# The sections of the dashboard's settings form, in order.
SECTIONS: dict[str, str] = {
    "replies": "Practice details used in replies",
    "workflow": "Cool-down, targets and follow-up calls",
    "requests": "Review requests and the rating target",
}

SETTINGS: tuple[Setting, ...] = (
    Setting("practice_name", "", text(), "the practice's name, used in suggested replies", "Practice name", "replies"),
    Setting("office_phones", [], text_list(_phone, "phone number"), "the office's own phone numbers (allowed in replies)",
            "Office phone numbers", "replies"),
    Setting("office_emails", [], text_list(EMAIL.match, "e-mail address"), "the office's own e-mail addresses (allowed in replies)",
            "Office e-mail addresses", "replies"),
    Setting("contact_role", "our office manager", text(), "who replies invite the reader to contact", "Who readers are invited to contact",
            "replies"),
    Setting("staff_names", [], text_list(), "staff names allowed to appear in replies", "Staff names allowed in replies", "replies"),
    Setting("max_sentences", 3, whole_number(1, 10), "the longest reply, in sentences", "Longest reply (sentences)", "replies"),
    Setting("suggest_positive", True, yes_no, "whether positive reviews get suggested thank-you replies",
            "Suggest thank-you replies for positive reviews", "replies"),
    Setting("cooldown_minutes", 30, whole_number(15, 24 * 60, " (the cool-down is never shorter than 15 minutes)"),
            "minutes between first reading a review and replying, never below 15 (W1)", "Cool-down before replying (minutes)", "workflow"),
    Setting("response_target_hours", 24, whole_number(1, 24 * 14), "hours after a review is first seen before it is overdue (W2)",
            "Reply target (hours)", "workflow"),
    Setting("followup_business_days", 2, whole_number(1, 20), "business days after a reply by which the follow-up call is due (W6)",
            "Follow-up call due after (business days)", "workflow"),
    Setting("followup_assignee", "our office manager", text(), "who makes follow-up calls", "Who makes follow-up calls", "workflow"),
    Setting("google_review_link", "", review_link(), "the practice's Google 'write a review' link, for review requests (W8)",
            "Google review link", "requests"),
    Setting("facebook_review_link", "", review_link("facebook.com"), "the practice's Facebook review link, for review requests (W8)",
            "Facebook review link", "requests"),
    Setting("request_recent_days", 14, whole_number(1, 365), "contacts seen within these days are on the request list",
            "Ask contacts seen within (days)", "requests"),
    Setting("request_cap_days", 90, whole_number(1, 3650), "nobody is asked again within these days", "Ask nobody again within (days)",
            "requests"),
    Setting("rating_target", 4.5, stars, "the average rating the rating math aims for (W8)", "Target average rating (stars)", "requests"),
    Setting("time_zone", "", time_zone, "IANA time zone for business days, such as `America/Chicago`; empty: this computer's",
            "Time zone", "workflow"),
)
BY_NAME = {setting.name: setting for setting in SETTINGS}
DEFAULTS: dict[str, Any] = {setting.name: setting.default for setting in SETTINGS}


def validate(changes: Any) -> dict[str, Any]:
    """The changes of a ``PUT /api/settings``, checked; unknown keys and bad values are refused.

    Every value is checked before anything is refused, so the error's ``details`` name each refused
    setting (``[{"field", "message"}]``, the message calling it by its label) and a form can mark them all
    at once; nothing is stored then.
    """
    if not isinstance(changes, dict):
        raise MissingField("settings", "Send a JSON object of settings, e.g. {\"practice_name\": \"Maple Family Dental\"}.")
    unknown = sorted(set(changes) - set(BY_NAME))
    if unknown:
        raise ValidationError(unknown[0], f"Unknown setting(s): {', '.join(unknown)}. Known: {', '.join(BY_NAME)}.",
                              details=[{"field": name, "message": f"'{name}' is not a setting."} for name in unknown])
    clean: dict[str, Any] = {}
    refused: list[ValidationError] = []
    for name, value in changes.items():
        try:
            clean[name] = BY_NAME[name].check(name, value)
        except ValidationError as error:
            refused.append(error)
    if refused:
        more = f" {len(refused) - 1} more setting(s) were refused too (see 'details')." if len(refused) > 1 else ""
        raise ValidationError(refused[0].field, f"{refused[0].message}{more} Nothing was saved.",
                              details=[{"field": error.field, "message": _in_words(error)} for error in refused])
    return clean


def _in_words(error: ValidationError) -> str:
    """A refusal as the settings form says it: with the setting's label instead of its key."""
    return error.message.replace(f"'{error.field}'", BY_NAME[error.field].label, 1)


def all_settings(stored: dict[str, Any]) -> dict[str, Any]:
    """Every setting: the stored values over the defaults."""
    return {**DEFAULTS, **stored}


def local_time_zone() -> str:
    """This computer's time zone name (the practice's, since ReviewDesk runs at the practice)."""
    try:
        from tzlocal import get_localzone_name

        name = get_localzone_name()
        ZoneInfo(name)
        return name
    except Exception:  # no zone configured on the machine, or an unknown name: business days in UTC
        return "UTC"


# Time zone regions a practice may be in (the rest of the tz database is aliases and legacy names).
ZONE_REGIONS = ("Africa/", "America/", "Antarctica/", "Asia/", "Atlantic/", "Australia/", "Europe/", "Indian/", "Pacific/")


@lru_cache(maxsize=1)  # reading them walks the whole time zone database (15-30 ms): once per process
def _time_zones() -> tuple[str, ...]:
    return (*sorted(zone for zone in available_timezones() if zone.startswith(ZONE_REGIONS)), "UTC")


def time_zone_choices() -> list[str]:
    """The time zones a form offers: every region's zone (``America/Chicago``) and UTC, sorted."""
    return list(_time_zones())


def form_fields() -> list[dict[str, Any]]:
    """What a settings form needs of each setting, from the table: name, label, section, kind, default,
    help and bounds; the time zone also carries its choices and this computer's zone (used when empty)."""
    fields = []
    for setting in SETTINGS:
        kind = setting.kind
        field: dict[str, Any] = {
            "name": setting.name, "label": setting.label, "section": setting.section, "kind": kind.name,
            "default": setting.default, "help": setting.help,
            "min": kind.minimum, "max": kind.maximum, "step": kind.step, "max_length": kind.max_length,
        }
        if kind is time_zone:
            field.update(choices=time_zone_choices(), local=local_time_zone())
        fields.append(field)
    return fields


def form_sections() -> list[dict[str, str]]:
    """The form's sections in order: ``{name, title}``."""
    return [{"name": name, "title": title} for name, title in SECTIONS.items()]
