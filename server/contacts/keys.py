"""Match keys: how a contact is found by a reviewer's name without scanning every contact.

A contact gets ``fl:`` keys (a first, preferred or other given name with the initial of the last name), ``l:`` keys
(each last name) and a ``pf:`` key (the last name's sound with the first initial); a reviewer's name
becomes look-ups over those keys (:func:`query_plan`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from server.contacts.names import (PersonName, contact_name, last_parts_of, name_variants, other_given_names, phonetic,
                                   tokens)


def first_keys(firsts, last: PersonName) -> list[str]:
    """``fl:`` keys: a first name with the initial of the last name (or of each of two last names)."""
    return first_keys_with(firsts, last_initials(last))


def first_keys_with(firsts, initials) -> list[str]:
    """``fl:`` keys of first names with these last initials."""
    return [f"fl:{first}|{initial}" for first in firsts for initial in initials]


def keyed_firsts(first: str, preferred: str, given_names) -> list[str]:
    """The names a contact is found by as its first name: its first, preferred and other given names (not initials)."""
    return list(dict.fromkeys(name for name in (first, preferred, *given_names) if len(name) > 1))


def last_initials(name: PersonName) -> tuple[str, ...]:
    """The initial of the last name, or of each of two last names."""
    return tuple(dict.fromkeys(part[:1] for part in (name.last, *name.last_parts) if part))


def last_keys(name: PersonName) -> list[str]:
    """``l:`` keys: each last name (both of a double last name, and the two joined)."""
    return list(dict.fromkeys(f"l:{part}" for part in (name.last, *name.last_parts) if len(part) > 1))


def sound_stem(last: str) -> str | None:
    """A ``pf:`` key without its first initial: the last name's sound (None for an initial or no last name)."""
    return f"pf:{phonetic(last)}|" if len(last) > 1 else None


def sound_key(name: PersonName) -> str | None:
    """``pf:`` key: the last name's sound with the first initial, which survives most typos."""
    stem = sound_stem(name.last)
    return f"{stem}{name.first[:1]}" if stem is not None and name.first else None


def contact_keys(name: PersonName) -> tuple[str, ...]:
    """Keys a contact is found by (its first, preferred and other given names as imported; see query_plan)."""
    keys = first_keys(keyed_firsts(name.first, name.preferred, name.given_names), name) + last_keys(name)
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


class NameKeys:
    """Reads stored name fields (first, last, full, middle, preferred) into a contact's keys, remembering each distinct
    name for as long as it is kept: one import, one re-keying. Common names repeat, and a 100,000-contact import leaves
    nothing behind in the server's memory (nor for its garbage collector to walk).

    A name with a first and a last name (nearly every contact) is keyed from its two halves, each read once per
    import: the given names (first, middle, preferred) give the ``fl:`` first names, the last name gives its initials,
    ``l:`` keys and sound. The keys are those of :func:`contact_keys` of :func:`contact_name`, which keys every other
    name (a full name only, a last name alone)."""

    def __init__(self) -> None:
        self._keys: dict[tuple[str, ...], tuple[str, ...]] = {}
        self._names: dict[tuple[str, ...], PersonName] = {}
        self._words: dict[str, tuple[str, ...]] = {}  # each field's words: first and last names repeat more than whole names
        self._given: dict[tuple[str, str, str], tuple[list[str], str]] = {}
        self._last: dict[str, tuple[tuple[str, ...], list[str], str | None]] = {}

    def __call__(self, first: str, last: str, full: str, middle: str, preferred: str) -> tuple[str, ...]:
        """The keys of a contact with these name fields."""
        fields = (first, last, full, middle, preferred)
        found = self._keys.get(fields)
        if found is None:
            if last and self.words(first):
                found = self._from_halves(first, last, middle, preferred)
            else:
                found = contact_keys(self.name(first, last, full, middle, preferred))
            self._keys[fields] = found
        return found

    def name(self, first: str, last: str, full: str, middle: str, preferred: str) -> PersonName:
        """The name these fields are read as (:func:`contact_name`)."""
        fields = (first, last, full, middle, preferred)
        found = self._names.get(fields)
        if found is None:
            found = self._names[fields] = contact_name(*fields, words=self.words)
        return found

    def words(self, text: str) -> tuple[str, ...]:
        found = self._words.get(text)
        if found is None:
            found = self._words[text] = tuple(tokens(text))
        return found

    def _from_halves(self, first: str, last: str, middle: str, preferred: str) -> tuple[str, ...]:
        firsts, initial = self._given_half(first, middle, preferred)
        initials, keys_of_last, sound = self._last_half(last)
        keys = first_keys_with(firsts, initials) + keys_of_last
        if sound is not None:
            keys.append(f"{sound}{initial}")
        return tuple(dict.fromkeys(keys))

    def _given_half(self, first: str, middle: str, preferred: str) -> tuple[list[str], str]:
        """The first names a contact is keyed by, and its first initial (as contact_name and contact_keys read them)."""
        found = self._given.get((first, middle, preferred))
        if found is None:
            first_words = self.words(first)
            given = first_words[0]
            others = other_given_names(given, [*self.words(middle), *first_words[1:]])
            firsts = keyed_firsts(given, (self.words(preferred) or ("",))[0], others)
            found = self._given[(first, middle, preferred)] = (firsts, given[:1])
        return found

    def _last_half(self, last: str) -> tuple[tuple[str, ...], list[str], str | None]:
        """A last name's initials, ``l:`` keys and sound (:func:`sound_stem`)."""
        found = self._last.get(last)
        if found is None:
            last_words = self.words(last)
            name = PersonName(last="".join(last_words), last_parts=last_parts_of(last_words))
            found = self._last[last] = (last_initials(name), last_keys(name), sound_stem(name.last))
        return found


class NamedContacts:
    """The contacts an import stores, by their distinct name fields (first, last, full, middle, preferred): each
    distinct name is numbered and keyed once, and the store gives its keys to every contact with that name in one
    statement (a first import of 100,000 contacts has some 43,000 names and 325,000 keys)."""

    def __init__(self, keys: NameKeys):
        self.keys = keys
        self.numbers: dict[tuple[str, str, str, str, str], int] = {}
        self.contacts: list[tuple[int, int]] = []  # (contact id, name number)

    def add(self, contact_id: int, name_fields: tuple[str, str, str, str, str]) -> None:
        self.contacts.append((contact_id, self.numbers.setdefault(name_fields, len(self.numbers))))  # a new name: the next number

    def name_keys(self) -> Iterator[tuple[int, str]]:
        """(name number, key) for every key of every distinct name."""
        keys = self.keys
        for name_fields, number in self.numbers.items():
            for key in keys(*name_fields):
                yield number, key


KEYING_BATCH = 5000  # contacts keyed in one transaction


def key_unkeyed_contacts(store) -> int:
    """Give every stored contact its keys when the database has contacts but no keys (a migration cleared them
    because the keys changed); returns how many were keyed. One transaction: all are keyed, or none. At any
    other start it costs two look-ups."""
    if not store.contacts_unkeyed():
        return 0
    done, after, keys = 0, 0, NameKeys()
    with store.write():
        while rows := store.contact_names_after(after, KEYING_BATCH):
            store.add_contact_keys([(key, row["id"]) for row in rows for key in stored_contact_keys(row, keys)])
            done, after = done + len(rows), rows[-1]["id"]
    return done


def stored_contact_keys(row, keys: NameKeys) -> tuple[str, ...]:
    """The keys a stored contact was given (from its stored name fields)."""
    return keys(row["first_name"] or "", row["last_name"] or "", row["name"] or "", row["middle_name"] or "",
                row["preferred_name"] or "")
