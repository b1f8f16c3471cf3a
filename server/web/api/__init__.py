"""The JSON API under ``/api``: one blueprint per resource, registered by :func:`register`."""

from __future__ import annotations

from flask import Flask

from server.web.api import (
    captures, contacts, events, follow_ups, health, matches, pairing, replies, requests, reviews, settings, stats,
)

BLUEPRINTS = (health.bp, reviews.bp, captures.bp, contacts.bp, matches.bp, replies.bp, settings.bp, events.bp, stats.bp,
              requests.bp, follow_ups.bp, pairing.bp)


def register(app: Flask) -> None:
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint, url_prefix="/api")
