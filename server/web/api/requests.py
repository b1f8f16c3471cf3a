"""Review requests (docs/design.md#w8-outweigh-negatives-with-volume-review-requests): the list (JSON or CSV),
marking contacts asked, and opting a contact out."""

from __future__ import annotations

from flask import Blueprint, Response, request

from parsers import limits
from server.web.api.common import int_arg, json_body, now, ok, store
from server.web.errors import ApiError
from server.workflow.requests import as_csv, mark_sent, request_list, set_opt_out

bp = Blueprint("requests", __name__)
DEFAULT_PAGE = 100  # contacts the list answers when no limit is asked


@bp.get("/review-requests")
def review_requests():
    if request.args.get("format") == "csv":  # everyone, for the practice's texting or e-mail tool
        return Response(as_csv(request_list(store(), now())), mimetype="text/csv",
                        headers={"Content-Disposition": "attachment; filename=review-requests.csv"})
    limit = int_arg("limit", DEFAULT_PAGE, minimum=1, maximum=limits.PAGE_SIZE)
    return ok(**request_list(store(), now(), limit, int_arg("offset", 0, minimum=0, maximum=10**9)))


@bp.post("/review-requests/sent")
def sent():
    body = json_body()
    ids = body.get("contact_ids") if isinstance(body, dict) else None
    if not isinstance(ids, list) or not ids or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        raise ApiError(400, "missing_field", "Send {\"contact_ids\": [<id>, ...]} for the contacts you asked.")
    staff = body.get("staff") if isinstance(body.get("staff"), str) else None
    return ok(marked=mark_sent(store(), ids, now(), staff))


@bp.post("/contacts/<int:contact_id>/opt-out")
def opt_out(contact_id: int):
    body = json_body()
    if not isinstance(body, dict) or not isinstance(body.get("opted_out"), bool):
        raise ApiError(400, "missing_field", "Send {\"opted_out\": true} (or false to ask them again).")
    return ok(contact=set_opt_out(store(), contact_id, body["opted_out"], now()))
