"""Who wrote this review? Rank the practice's contacts for a reviewer's display name.

Candidates are fetched by indexed keys (see :mod:`server.contacts.keys`), never by scanning
every contact, then scored on first and last name (nicknames, preferred names, initials, accents,
double last names, typos, name order) and raised by a visit or call shortly before the review.

Confidence is a promise: ``high`` only when one contact clearly stands out on a full name; initials
("Bob S.") reach ``medium`` at most; several similar contacts are all ``low``; a handle, a business or
a name that fits nobody gets no ``high`` or ``medium`` candidate at all. Wrong confident matches are
worse than no match: a call to the wrong person about a review is a privacy incident.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from rapidfuzz.distance import JaroWinkler
from rapidfuzz.fuzz import ratio

from parsers.isotime import iso_utc, parse_iso
from server.contacts.keys import cached_contact_name, first_keys, last_keys, query_plan
from server.contacts.names import PersonName, ShownName, nickname_group, phonetic, shown_name
from server.errors import NotFound, ValidationError
from server.storage import Store

MAX_FETCHED = 300
MAX_TYPO_FETCHED = 100
MAX_SHOWN = 10
HIGH, MEDIUM, LOW = 0.85, 0.65, 0.40
DECISIONS = ("confirm", "reject")
ACTIVITY_WINDOW = timedelta(days=14)
# A visit or call shortly before the review is a tenth of the score: a perfect name alone scores 0.9.
ACTIVITY_WEIGHT = 0.10
TYPO_RATIO = 80
# Exact, preferred, nickname or one of two last names: what a high-confidence match needs on both names.
EXACT = 0.9


@dataclass
class Candidate:
    contact_id: int
    name: str
    score: float
    name_score: float
    exact: bool = False
    person: PersonName | None = None
    confidence: str = "low"
    reasons: list[str] = field(default_factory=list)
    activities: list[dict[str, Any]] = field(default_factory=list)
    decision: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {"contact_id": self.contact_id, "name": self.name, "score": round(self.score, 3),
                "confidence": self.confidence, "reasons": self.reasons, "activities": self.activities,
                "decision": self.decision}


def _first_score(shown: PersonName, contact: PersonName) -> tuple[float, str | None]:
    theirs = [name for name in (contact.first, contact.preferred) if name]
    if not shown.first or not theirs:
        return 0.0, None
    if shown.first_is_initial:
        if any(name[0] == shown.first for name in theirs):
            return 0.6, f"first initial {shown.first.upper()}. fits {contact.first.capitalize()}"
        return 0.0, None
    if shown.first == contact.first:
        return 1.0, f"first name {contact.first.capitalize()} matches"
    if shown.first == contact.preferred:
        return 1.0, f"matches the preferred name {contact.preferred.capitalize()}"
    for name in theirs:
        if nickname_group(shown.first) & nickname_group(name):
            return 0.9, f"{shown.first.capitalize()} is a nickname of {name.capitalize()}"
    if shown.first in contact.given_names:  # "Ellen" of Mary Ellen, "Mai" of Thi Mai, "Seoyeon" of Seo-Yeon
        return 0.9, f"{shown.first.capitalize()} is one of the given names of {contact.first.capitalize()} {contact.middle.title()}".rstrip()
    best = max(ratio(shown.first, name) for name in theirs)
    if best >= TYPO_RATIO:
        return 0.8 * best / 100, f"first name {shown.first.capitalize()} is close to {contact.first.capitalize()} (a typo?)"
    return 0.0, None


def _last_score(shown: PersonName, contact: PersonName) -> tuple[float, str | None]:
    if not shown.last or not contact.last:
        return 0.0, None
    if shown.last_is_initial:
        if contact.last[0] == shown.last:
            return 0.6, f"last initial {shown.last.upper()}. fits {contact.last.capitalize()}"
        return 0.0, None
    if shown.last == contact.last:
        return 1.0, f"last name {contact.last.capitalize()} matches"
    parts = set(contact.last_parts)
    if shown.last in parts or parts & set(shown.last_parts):
        return 0.9, "one of the last names matches (double last name)"
    best = ratio(shown.last, contact.last)
    if best >= TYPO_RATIO:
        return 0.8 * best / 100, f"last name {shown.last.capitalize()} is close to {contact.last.capitalize()} (a typo?)"
    if phonetic(shown.last) == phonetic(contact.last) and JaroWinkler.similarity(shown.last, contact.last) > 0.8:
        return 0.75, f"last name sounds like {contact.last.capitalize()}"
    return 0.0, None


def name_score(shown: PersonName, contact: PersonName) -> tuple[float, list[str], bool]:
    """The name's fit (0–1), the reasons, and whether both names fit exactly (or as a nickname)."""
    first, first_reason = _first_score(shown, contact)
    last, last_reason = _last_score(shown, contact)
    reasons = [reason for reason in (first_reason, last_reason) if reason]
    if not first or not last:
        return 0.3 * max(first, last), reasons, False
    return 0.45 * first + 0.55 * last, reasons, first >= EXACT and last >= EXACT


def _review_moment(review: dict[str, Any]) -> datetime | None:
    for key in ("date_max", "created_at", "first_seen_at"):
        value = review.get(key)
        if value:
            try:
                return parse_iso(value)
            except ValueError:
                continue
    return None


def _recent_activity(activities: list[dict[str, Any]], review_at: datetime | None) -> str | None:
    if review_at is None:
        return None
    for activity in activities:
        try:
            at = parse_iso(str(activity["at"]))
        except ValueError:
            continue
        if review_at - ACTIVITY_WINDOW <= at <= review_at:
            days = (review_at - at).days
            when = "the same day as" if days == 0 else f"{days} day{'s' if days > 1 else ''} before"
            return f"{activity['type']} on {at.date().isoformat()}, {when} the review"
    return None


def _readings(shown: ShownName) -> list[tuple[PersonName, str | None]]:
    readings = [(shown.name, None)]
    if shown.swapped is not None:
        readings.append((shown.swapped, "with the name order reversed"))
    return readings


def candidates_for(store: Store, review: dict[str, Any]) -> tuple[list[Candidate], str]:
    """Ranked candidates for a review's reviewer, and a sentence saying what the name allows."""
    shown = shown_name(review.get("reviewer_name") or "")
    decisions = store.match_decisions(review["id"])
    if shown.kind != "person":
        note = {
            "handle": "The reviewer uses a handle, not a name: no contact can be matched with confidence.",
            "business": "The reviewer looks like a business, not a patient: no contact is matched.",
            "first_only": "A first name alone fits too many people: no contact can be matched with confidence.",
            "empty": "The review shows no reviewer name.",
        }[shown.kind]
        readings: list[tuple[PersonName, str | None]] = []
    else:
        note = "Candidates are ranked by name and recent activity; confirm the right one before calling anyone."
        readings = _readings(shown)
    fetched, too_many = _fetch(store, readings)
    ids = list(dict.fromkeys([*decisions, *fetched]))
    scored: list[Candidate] = []
    for contact in store.contact_names_by_id(ids):
        name = cached_contact_name(contact["first_name"] or "", contact["last_name"] or "", contact["name"] or "",
                                   contact["middle_name"] or "", contact["preferred_name"] or "")  # parsed once per name
        best, best_reasons, exact = 0.0, [], False
        for reading, how in readings:
            score, reasons, both_exact = name_score(reading, name)
            if score > best:
                best, best_reasons, exact = score, reasons + ([how] if how else []), both_exact
        decision = {"confirm": "confirmed", "reject": "rejected"}.get(decisions.get(contact["id"], ""))
        if best >= LOW or decision:
            scored.append(Candidate(contact["id"], contact["name"], best, best, exact=exact, reasons=best_reasons,
                                    decision=decision, person=name))
    scored.sort(key=lambda c: -c.name_score)
    shown_candidates = scored[:MAX_SHOWN * 2]
    activities = store.activities_of([c.contact_id for c in shown_candidates])
    review_at = _review_moment(review)
    for candidate in shown_candidates:
        candidate.activities = activities.get(candidate.contact_id, [])[:5]
        recent = _recent_activity(candidate.activities, review_at)
        candidate.score = (1 - ACTIVITY_WEIGHT) * candidate.name_score + (ACTIVITY_WEIGHT if recent else 0.0)
        if recent:
            candidate.reasons.append(recent)
    _assign_confidence(shown, shown_candidates, too_many)
    _no_confidence_between_namesakes(store, shown_candidates)
    for candidate in shown_candidates:
        if candidate.decision:
            candidate.reasons.insert(0, f"{candidate.decision} by staff")
    order = {"confirmed": 0, None: 1, "rejected": 2}
    shown_candidates.sort(key=lambda c: (order[c.decision], -c.score))
    if shown.kind == "person" and not shown_candidates:
        note = "No contact fits this name: the reviewer may not be in the contact list (or uses another name)."
    return shown_candidates[:MAX_SHOWN], note


def _fetch(store: Store, readings: list[tuple[PersonName, str | None]]) -> tuple[list[int], bool]:
    """The contacts a reviewer's name may be, and whether more fit than MAX_FETCHED (then nobody can stand out,
    and only a sample is ranked: those with the shown first name itself, then the other fits, MAX_SHOWN * 2 in all)."""
    fetched: list[int] = []
    for reading, _ in readings:
        for lookup in query_plan(reading):
            limit = MAX_FETCHED if lookup.complete else MAX_TYPO_FETCHED
            found = store.contacts_with_keys(lookup.any_of, lookup.and_any_of, limit=limit + 1)
            if lookup.complete and len(found) > limit:
                own = store.contacts_with_keys(first_keys([reading.first], reading), last_keys(reading), limit=MAX_SHOWN * 2)
                return list(dict.fromkeys([*own, *found]))[:MAX_SHOWN * 2], True
            fetched += found[:limit]
    return fetched, False


def _no_confidence_between_namesakes(store: Store, candidates: list[Candidate]) -> None:
    """A high candidate with a namesake in the list (same first and last name, however the reviewer's
    name reached them: "Katie" may fit one Katherine through her preferred "Kathy" and miss the other)
    cannot be told apart by name: it is medium."""
    for candidate in candidates:
        if candidate.confidence != "high" or candidate.person is None:
            continue
        person = candidate.person
        namesakes = store.contacts_with_keys(first_keys([person.first], person), last_keys(person), limit=50)
        others = [contact_id for contact_id in namesakes if contact_id != candidate.contact_id]
        names = (cached_contact_name(c["first_name"] or "", c["last_name"] or "", c["name"] or "", "", "")
                 for c in store.contact_names_by_id(others))
        same_name = [name for name in names if (name.first, name.last) == (person.first, person.last)]
        if same_name:
            candidate.confidence = "medium"
            candidate.reasons.append(f"{len(same_name)} other contact{'s' if len(same_name) > 1 else ''} named "
                                     f"{person.first.capitalize()} {person.last.capitalize()}")


def _assign_confidence(shown: ShownName, candidates: list[Candidate], too_many: bool) -> None:
    if not candidates:
        return
    if too_many:
        for candidate in candidates:
            candidate.confidence = "low"
        candidates[0].reasons.append(f"more than {MAX_FETCHED} contacts fit this name")
        return
    top = max(candidates, key=lambda c: c.score)
    similar = [c for c in candidates if c.name_score >= top.name_score - 0.1 and c.name_score >= MEDIUM]
    initials = shown.name.first_is_initial or shown.name.last_is_initial
    for candidate in candidates:
        if candidate.score < MEDIUM or len(similar) > 2 or candidate.decision == "rejected":
            candidate.confidence = "low"
        elif (candidate is top and candidate.exact and candidate.score >= HIGH and len(similar) == 1 and not initials
              and not any(c is not top and c.score > top.score - 0.2 for c in candidates)):
            candidate.confidence = "high"
        else:
            candidate.confidence = "medium"
    if len(similar) > 2:
        top.reasons.append(f"{len(similar)} contacts fit this name about as well")


def decide(store: Store, review: dict[str, Any], contact_id: Any, decision: Any, now: datetime, staff: str | None) -> None:
    """Staff confirm or reject a candidate; the decision is remembered and a confirmation is logged
    as a ``match_confirmed`` event (docs/design.md, W3: nothing is confirmed automatically)."""
    if decision not in DECISIONS:
        raise ValidationError("decision", f"'decision' must be confirm or reject, got {decision!r}.")
    if isinstance(contact_id, bool) or not isinstance(contact_id, int) or store.get_contact(contact_id) is None:
        raise NotFound(f"There is no contact {contact_id!r}.")
    at = iso_utc(now)
    with store.write():
        store.save_match_decision(review["id"], contact_id, decision, at, staff)
        if decision == "confirm":
            store.append_event(review["id"], "match_confirmed", at=at, recorded_at=at, staff=staff, contact_id=contact_id,
                               data={"contact_id": contact_id})
