"""The one error shape of the API, ``{"ok": false, "error": code, "message": sentence}``, and the one
handler that maps every error (domain, HTTP, unexpected) to it."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException

from server import errors as domain

log = logging.getLogger(__name__)

# Messages a person can act on, for the errors Flask and Werkzeug raise themselves.
HTTP_ERRORS: dict[int, tuple[str, str]] = {
    400: ("bad_request", "The request could not be understood; check its format against the API reference in the README."),
    401: ("unauthorized", "Pair the toolbar: send 'Authorization: Bearer <token>' with the token that 'reviewdesk token' prints."),
    403: ("forbidden", "This request is not allowed."),
    404: ("not_found", "There is nothing at this address; check the path against the API reference in the README."),
    405: ("method_not_allowed", "This address does not accept that method; check the API reference in the README."),
    413: ("payload_too_large", "The request body is too large. Send fewer reviews per request, or only the review containers of the page."),
    415: ("unsupported_media_type", "Send the body as JSON with 'Content-Type: application/json'."),
}

# The HTTP status of each kind of domain error (the most specific kind listed wins).
DOMAIN_STATUS: dict[type[domain.DomainError], int] = {
    domain.MissingField: 400,
    domain.InvalidField: 400,
    domain.ValidationError: 422,
    domain.NotFound: 404,
    domain.CooldownActive: 409,
    domain.Conflict: 409,
    domain.TooLarge: 413,
    domain.UnreadableFile: 422,
    domain.Unsupported: 422,
    domain.DomainError: 422,
}


class ApiError(Exception):
    """An error of the web layer itself (credentials, origin, a malformed body or query parameter)."""

    def __init__(self, status: int, code: str, message: str, details: list[Any] | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details


def error_response(http_status: int, code: str, message: str, details: list[Any] | None = None, **extra: Any):
    body: dict[str, Any] = {"ok": False, "error": code, "message": message, **extra}
    if details:
        body["details"] = details
    response = jsonify(body)
    response.status_code = http_status
    return response


def domain_status(error: domain.DomainError) -> int:
    return next(DOMAIN_STATUS[kind] for kind in type(error).__mro__ if kind in DOMAIN_STATUS)


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(domain.DomainError)
    def handle_domain_error(error: domain.DomainError):
        return error_response(domain_status(error), error.code, error.message, error.details, **error.extra)

    @app.errorhandler(ApiError)
    def handle_api_error(error: ApiError):
        return error_response(error.status, error.code, error.message, error.details)

    @app.errorhandler(HTTPException)
    def handle_http_exception(error: HTTPException):
        status = error.code or 500
        code, message = HTTP_ERRORS.get(status, (f"http_{status}", error.description or "The request failed."))
        if status == 413:
            limit_mb = (request.max_content_length or app.config["MAX_CONTENT_LENGTH"]) // (1024 * 1024)
            message = f"The request body is larger than {limit_mb} MB. " + message.split(". ", 1)[1]
        return error_response(status, code, message)

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception):
        log.exception("unexpected error while handling a request")
        return error_response(
            500,
            "internal_error",
            "Something went wrong inside ReviewDesk. Try again; if it keeps happening, "
            "the server's log has the details for your administrator.",
        )
