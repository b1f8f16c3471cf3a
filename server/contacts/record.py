"""One contact as the dashboard's contact page shows it: the stored details, the activities (newest
first) and the reviews staff confirmed this person wrote (confirmed on a review's page, never automatically)."""

from __future__ import annotations

from typing import Any

from server.errors import NotFound
from server.storage import Store


def contact_record(store: Store, contact_id: int) -> dict[str, Any]:
    """The contact with ``activities`` and ``reviews`` (the confirmed matches); NotFound for an unknown id."""
    contact = store.get_contact(contact_id)
    if contact is None:
        raise NotFound(f"There is no contact {contact_id}; it may have been imported into another data directory.")
    return {**contact, "reviews": store.reviews_confirmed_for(contact_id)}


__all__ = ["contact_record"]
