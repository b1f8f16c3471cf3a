"""Match keys: how a contact is found by a reviewer's name without scanning every contact.

A contact gets ``fl:`` keys (a first, preferred or other given name with the initial of the last name), ``l:`` keys
(each last name) and a ``pf:`` key (the last name's sound with the first initial); a reviewer's name
becomes look-ups over those keys (:func:`query_plan`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from server.contacts.names import PersonName, contact_name, name_variants, phonetic, tokens


def first_keys(firsts, last: PersonName) -> list[str]:
    """``fl:`` keys: a first name with the initial of the last name (or of each of two last names)."""
    initials = dict.fromkeys(part[:1] for part in (last.last, *last.last_parts) if part)
    return [f"fl:{first}|{initial}" for first in firsts for initial in initials]


def last_keys(name: PersonName) -> list[str]:
    """``l:`` keys: each last name (both of a double last name, and the two joined)."""
    return list(dict.fromkeys(f"l:{part}" for part in (name.last, *name.last_parts) if len(part) > 1))


def sound_key(name: PersonName) -> str | None:
    """``pf:`` key: the last name's sound with the first initial, which survives most typos."""
    return f"pf:{phonetic(name.last)}|{name.first[:1]}" if len(name.last) > 1 and name.first else None


def contact_keys(name: PersonName) -> tuple[str, ...]:
    """Keys a contact is found by (its first, preferred and other given names as imported; see query_plan)."""
    firsts = list(dict.fromkeys(first for first in (name.first, name.preferred, *name.given_names) if len(first) > 1))
    keys = first_keys(firsts, name) + last_keys(name)
    if (sound := sound_key(name)) is not None:
        keys.append(sound)
    return tuple(dict.fromkeys(keys))


@dataclass(frozen=True)
class Lookup:
    """Contacts with one of ``any_of`` keys (and one of ``and_any_of``, if given). A ``complete``
    look-up must return every fit: when it overflows, nobody can be told apart."""

    any_of: list[str]
    and_any_of: list[str]
    complete: bool


def query_plan(name: PersonName) -> list[Lookup]:
    """Look-ups that find the contacts a reviewer's name could fit.

    A full name: same first-name form and same last name (complete), plus the same sound and first
    initial (typos). "Bob S.": any form of Bob with a last initial S. "B. Smith": the sound of Smith with B.
    """
    variants = sorted(name_variants(name.first)) if len(name.first) > 1 else []
    plan: list[Lookup] = []
    if variants and len(name.last) > 1:
        plan.append(Lookup(first_keys(variants, name), last_keys(name), complete=True))
    elif variants and name.last:
        plan.append(Lookup(first_keys(variants, name), [], complete=True))
    if (sound := sound_key(name)) is not None:
        plan.append(Lookup([sound], [], complete=not plan))
    return plan


cached_contact_name = lru_cache(maxsize=65536)(contact_name)  # matching: common names repeat across a practice's contacts

NameAndKeys = Callable[[str, str, str, str, str], tuple[PersonName, tuple[str, ...]]]


def names_and_keys() -> NameAndKeys:
    """A reader of stored name fields (first, last, full, middle, preferred) into the parsed name and its keys, which
    remembers each distinct name for as long as it is kept: one import, one re-keying. Common names repeat, and
    a 100,000-contact import leaves nothing behind in the server's memory (nor for its garbage collector to walk)."""
    seen: dict[tuple[str, ...], tuple[PersonName, tuple[str, ...]]] = {}
    seen_words: dict[str, tuple[str, ...]] = {}  # and each field's words: first and last names repeat more than whole names

    def words(text: str) -> tuple[str, ...]:
        found = seen_words.get(text)
        if found is None:
            found = seen_words[text] = tuple(tokens(text))
        return found

    def read(first: str, last: str, full: str, middle: str, preferred: str) -> tuple[PersonName, tuple[str, ...]]:
        fields = (first, last, full, middle, preferred)
        found = seen.get(fields)
        if found is None:
            name = contact_name(*fields, words=words)
            found = seen[fields] = (name, contact_keys(name))
        return found

    return read


class NamedContacts:
    """The contacts an import stores, by their distinct name fields (first, last, full, middle, preferred): each
    distinct name is numbered and keyed once, and the store gives its keys to every contact with that name in one
    statement (a first import of 100,000 contacts has some 43,000 names and 325,000 keys)."""

    def __init__(self, read: NameAndKeys):
        self.read = read
        self.numbers: dict[tuple[str, str, str, str, str], int] = {}
        self.contacts: list[tuple[int, int]] = []  # (contact id, name number)

    def add(self, contact_id: int, name_fields: tuple[str, str, str, str, str]) -> None:
        self.contacts.append((contact_id, self.numbers.setdefault(name_fields, len(self.numbers))))  # a new name: the next number

    def name_keys(self) -> Iterator[tuple[int, str]]:
        """(name number, key) for every key of every distinct name."""
        read = self.read
        for name_fields, number in self.numbers.items():
            for key in read(*name_fields)[1]:
                yield number, key


KEYING_BATCH = 5000  # contacts keyed in one transaction


def key_unkeyed_contacts(store) -> int:
    """Give every stored contact its keys when the database has contacts but no keys (a migration cleared them
    because the keys changed); returns how many were keyed. One transaction: all are keyed, or none. At any
    other start it costs two look-ups."""
    if not store.contacts_unkeyed():
        return 0
    done, after, read = 0, 0, names_and_keys()
    with store.write():
        while rows := store.contact_names_after(after, KEYING_BATCH):
            store.add_contact_keys([(key, row["id"]) for row in rows for key in stored_contact_keys(row, read)])
            done, after = done + len(rows), rows[-1]["id"]
    return done


def stored_contact_keys(row, read: NameAndKeys) -> tuple[str, ...]:
    """The keys a stored contact was given (from its stored name fields)."""
    return read(row["first_name"] or "", row["last_name"] or "", row["name"] or "", row["middle_name"] or "",
                row["preferred_name"] or "")[1]
