"""Follow-up calls (docs/design.md#w6): the calls due, by assignee and due date."""

from __future__ import annotations

from flask import Blueprint

from parsers import limits
from server.web.api.common import now, ok, store, text_arg
from server.workflow.follow_ups import open_follow_ups

bp = Blueprint("follow_ups", __name__)


@bp.get("/follow-ups")
def follow_ups():
    """``?assignee=`` → ``{ok, follow_ups, assignees}``: the open follow-up calls, overdue first, then by due date."""
    return ok(**open_follow_ups(store(), now(), assignee=text_arg("assignee", limits.NAME_OF_STAFF_CHARS)))
