"""What a request works with besides its input: its database connection and the current moment."""

from __future__ import annotations

from datetime import datetime, timezone

from flask import current_app, g

from server.storage import Store


def store() -> Store:
    """This request's database connection (back to the pool when the request ends)."""
    if "store" not in g:
        g.store = current_app.extensions["reviewdesk.store_pool"].acquire()
    return g.store


def release_store(_exc: BaseException | None = None) -> None:
    used = g.pop("store", None)
    if used is not None:
        current_app.extensions["reviewdesk.store_pool"].release(used)


def now() -> datetime:
    """The current moment; tests set ``CLOCK`` in the app config to move time without sleeping."""
    clock = current_app.config.get("CLOCK")
    return clock() if clock else datetime.now(timezone.utc)
