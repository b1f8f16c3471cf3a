"""The practice's own corrections, as examples for retraining the local models (``reviewdesk retrain``):
each review whose triage staff changed, with the category they chose, and each sentence of a reply
whose learned block staff overrode (labelled safe). They never leave the machine.

The texts are the snapshots logged with the corrections (the review as it read when staff decided),
not the review as it reads now.
"""

from __future__ import annotations

from dataclasses import dataclass

from server.replies.drafts import CHECK_OVERRIDDEN
from server.replies.policy import sentence_key
from server.storage import Store


@dataclass(frozen=True)
class Corrections:
    """``triage``: (review text, category), the latest decision per review; ``reply_sentences``: the sentences
    staff said are safe, each once (whitespace and case aside), oldest first; ``skipped``: triage changes that
    teach no category (no text logged with them, or an action without a category)."""

    triage: list[tuple[str, str]]
    reply_sentences: list[str]
    skipped: int = 0

    @property
    def counts(self) -> dict[str, int]:
        return {"triage": len(self.triage), "reply_sentences": len(self.reply_sentences), "skipped": self.skipped}


def staff_corrections(store: Store) -> Corrections:
    """Every correction staff made in this practice, ready to train on."""
    latest: dict[int, dict] = {}
    for event in store.events_of_type("triage_changed"):  # oldest first: a later decision replaces an earlier one
        latest[event["review_id"]] = event
    triage, skipped = [], 0
    for event in latest.values():
        text, category = str(event.get("text") or "").strip(), event.get("category")
        if not category and event.get("action") == "reply":
            category = "genuine"  # a reply's only category, also for decisions logged before categories were
        if text and category:
            triage.append((text, category))
        else:
            skipped += 1
    sentences: dict[str, str] = {}
    for text in store.event_texts(CHECK_OVERRIDDEN):
        sentences.setdefault(sentence_key(text), text.strip())
    return Corrections(triage=triage, reply_sentences=[text for key, text in sentences.items() if key], skipped=skipped)
