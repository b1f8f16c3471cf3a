"""Errors the domain raises: plain exceptions with a stable code and a sentence a person can act on.

They import nothing of the web: the web layer maps each kind to an HTTP status in one handler
(:mod:`server.web.errors`), and the CLI turns them into its own error messages.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Something the user asked for cannot be done; ``message`` says what to do instead.

    ``details`` may list every problem found (e.g. each invalid review); ``extra`` are fields the
    answer carries besides the message (e.g. a capture's ``status``).
    """

    code = "invalid_value"

    def __init__(self, message: str, *, details: list[Any] | None = None, extra: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        self.details = details
        self.extra = extra or {}


class ValidationError(DomainError):
    """A value that cannot be used (``field`` names it)."""

    def __init__(self, field: str, message: str, *, details: list[Any] | None = None):
        super().__init__(message, details=details)
        self.field = field


class MissingField(ValidationError):
    """A required field is absent, or the request is not the object it should be."""

    code = "missing_field"


class InvalidField(ValidationError):
    """A field of a logged event that is malformed (a bad time, an unknown type, a missing outcome)."""

    code = "invalid_field"


class NotFound(DomainError):
    code = "not_found"


class Conflict(DomainError):
    """Something already under way stands in the way (an import still running): wait, then try again."""

    code = "conflict"


class TooLarge(DomainError):
    """More than one request may carry (too many reviews): send it in parts."""

    code = "payload_too_large"


class UnreadableFile(DomainError):
    """An export that cannot be read as contacts, reviews or a saved page."""

    code = "unreadable_file"


class Unsupported(DomainError):
    """A page from a site ReviewDesk does not read."""

    code = "unsupported"


class CooldownActive(DomainError):
    """A reply logged before the cool-down ended (docs/design.md, W1), without an override reason."""

    code = "cooldown"

    def __init__(self, minutes_left: int):
        super().__init__(
            f"Wait before replying: the cool-down has {minutes_left} more minute{'s' if minutes_left != 1 else ''}. "
            "Step away, then reply calmly; or give an 'override_reason' (overrides are reported)."
        )
        self.minutes_left = minutes_left
