"""Follow-up calls (docs/design.md#w6): the calls due, by assignee and due date."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("follow_ups", __name__)
