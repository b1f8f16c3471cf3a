"""People's names as ReviewDesk compares them: normalised tokens, nickname groups, phonetic codes,
and the pieces a platform shows ("Bob S." on Yelp, "B. Smith", a handle, a business).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import jellyfish
from nameparser import HumanName
from nicknames import NickNamer

_NICKNAMES = NickNamer()
# Short forms the nicknames package lacks ("Katie" for Katherine, "Pepe" for José): diminutives.db (public domain)
# and ReviewDesk's own list of common pairs; each file's header names its source and licence.
NICKNAME_FILES = tuple(Path(__file__).resolve().parent / "data" / name
                       for name in ("diminutives.csv", "reviewdesk_nicknames.csv"))
TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)
BUSINESS_WORDS = frozenset({
    "llc", "inc", "ltd", "co", "corp", "company", "group", "services", "service", "dental", "clinic", "plumbing",
    "studio", "shop", "store", "restaurant", "salon", "agency", "consulting", "solutions", "foundation", "church",
})
TITLES = frozenset({"dr", "mr", "mrs", "ms", "miss", "mx", "prof", "rev", "sir", "dds", "dmd", "md", "jr", "sr", "ii", "iii"})


APOSTROPHES = re.compile(r"['’`]")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case, no accents, no apostrophes: "O’Brien" → "obrien", "José" → "jose"."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return APOSTROPHES.sub("", plain.casefold())


def tokens(text: str) -> list[str]:
    """Name words, folded; hyphenated names give their parts ("Smith-Jones" → smith, jones)."""
    if not text:
        return []
    return [folded for word in TOKEN.findall(text.replace("-", " ")) if (folded := fold(word))]


@lru_cache(maxsize=1)
def _shipped_nicknames() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """The shipped files' pairs, folded, both ways: formal name → its short forms, and short form → its formal
    names. Read once, at the first look-up."""
    short_forms: dict[str, set[str]] = {}
    formals: dict[str, set[str]] = {}
    for path in NICKNAME_FILES:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line or line.startswith("#"):
                continue
            formal, *shorts = (fold(name.strip()) for name in line.split(","))
            for short in shorts:
                short_forms.setdefault(formal, set()).add(short)
                formals.setdefault(short, set()).add(formal)
    return ({name: frozenset(forms) for name, forms in short_forms.items()},
            {name: frozenset(forms) for name, forms in formals.items()})


@lru_cache(maxsize=65536)
def nickname_group(first: str) -> frozenset[str]:
    """The name and its formal forms: "bob" → {bob, robert, ...}; two names match when groups meet."""
    if not first:
        return frozenset()
    return frozenset({first, *_NICKNAMES.canonicals_of(first), *_shipped_nicknames()[1].get(first, ())})


@lru_cache(maxsize=65536)
def name_variants(first: str) -> frozenset[str]:
    """Every form a first name may be written in: itself, its formal forms and their nicknames.

    "bob" → {bob, robert, rob, bobby, ...}. A reviewer's name is looked up under all of them, so a
    contact needs keys only for the names it was imported with.
    """
    short_forms = _shipped_nicknames()[0]
    variants = set(nickname_group(first))
    for formal in list(variants):
        variants.update(_NICKNAMES.nicknames_of(formal))
        variants.update(short_forms.get(formal, ()))
    return frozenset(variants)


@lru_cache(maxsize=65536)
def phonetic(word: str) -> str:
    return jellyfish.metaphone(word) if word else ""


@dataclass(frozen=True)
class PersonName:
    """A person's name split for matching. ``first``/``last`` may be a single letter (an initial)."""

    first: str = ""
    last: str = ""
    middle: str = ""
    preferred: str = ""
    last_parts: tuple[str, ...] = field(default=())
    given_names: tuple[str, ...] = field(default=())  # a contact's other given names (see other_given_names)

    @property
    def first_is_initial(self) -> bool:
        return len(self.first) == 1

    @property
    def last_is_initial(self) -> bool:
        return len(self.last) == 1


def last_parts_of(words: Sequence[str]) -> tuple[str, ...]:
    return tuple(words) + ((("".join(words)),) if len(words) > 1 else ())


def contact_name(first: str = "", last: str = "", full: str = "", middle: str = "", preferred: str = "",
                 words: Callable[[str], Sequence[str]] = tokens) -> PersonName:
    """A contact's name from separate fields, or from a full name ("Smith, Robert J.", "Dr. Ana García López").
    ``words`` splits a field into its :func:`tokens` (an import passes one that remembers them)."""
    if not last and full:  # a full name only (the first name may have been derived from it)
        parsed = HumanName(full)
        first, middle, last = first or parsed.first, middle or parsed.middle, parsed.last
        if not last and not first:
            return PersonName()
    first_words, last_words = words(first), words(last)
    if not first_words and len(last_words) > 1:
        first_words, last_words = last_words[:1], last_words[1:]
    first, middles = (first_words[0] if first_words else ""), [*words(middle), *first_words[1:]]
    return PersonName(
        first=first,
        last="".join(last_words),
        middle=" ".join(middles),
        preferred=(words(preferred) or [""])[0],
        last_parts=last_parts_of(last_words),
        given_names=other_given_names(first, middles),
    )


def other_given_names(first: str, middles: list[str]) -> tuple[str, ...]:
    """Every given name a person may go by besides the first: each middle name ("Mary Ellen" → ellen; the
    Vietnamese "Thi Mai" → mai) and, for two or more, the names joined ("Seo-Yeon" → seoyeon)."""
    middles = [word for word in middles if len(word) > 1]
    return tuple(dict.fromkeys([*middles, *(("".join([first, *middles]),) if middles and first else ())]))


@dataclass(frozen=True)
class ShownName:
    """How a reviewer appears on a platform, read for matching."""

    kind: str  # "person", "first_only", "handle", "business", "empty"
    name: PersonName = PersonName()
    swapped: PersonName | None = None  # the same words read last-name-first


def shown_name(display: str) -> ShownName:
    """Read a reviewer's display name: "Bob S.", "B. Smith", "Robert Smith", "Smith, Robert", "xXdarkXx"."""
    if not display or not display.strip():
        return ShownName("empty")
    if "," in display:
        last, _, first = display.partition(",")
        display = f"{first} {last}"
    words = [word for word in tokens(display) if word not in TITLES]
    raw = display.strip()
    if not words:
        return ShownName("handle")
    if any(word in BUSINESS_WORDS for word in words) and len(words) > 1:
        return ShownName("business")
    if len(words) == 1:
        word = words[0]
        looks_like_handle = bool(re.search(r"\d|_|[a-z][A-Z]|[A-Z]{2}[a-z]", raw)) or len(word) > 14
        if looks_like_handle:
            return ShownName("handle")
        return ShownName("first_only", PersonName(first=word))
    first, rest = words[0], words[1:]
    # "Bob S." / "Bob S" (Yelp): the last word is an initial; "B. Smith": the first is.
    name = PersonName(first=first, last="".join(rest), middle="", last_parts=last_parts_of(rest))
    if len(rest) > 1 and len(rest[-1]) == 1:  # "Mary Ann K."
        name = PersonName(first=first, last=rest[-1], middle=" ".join(rest[:-1]), last_parts=(rest[-1],))
    swapped = None
    if len(words) == 2 and len(words[0]) > 1 and len(words[1]) > 1:
        swapped = PersonName(first=words[1], last=words[0], last_parts=(words[0],))
    elif len(words) == 3 and all(len(word) > 1 for word in words):  # family name first: "Tran Thi Mai", "Lee Seo Yeon"
        swapped = PersonName(first=words[1], last=words[0], middle=words[2], last_parts=(words[0],))
    return ShownName("person", name, swapped)



@lru_cache(maxsize=1)
def _first_names() -> frozenset[str]:
    """First names the nickname data knows (formal names and nicknames), folded."""
    names: set[str] = set()
    for table in (_NICKNAMES.nickname_lookup, _NICKNAMES.canonical_lookup):
        for key, values in table.items():
            names.add(key)
            names.update(values)
    return frozenset({fold(name) for name in names} | {name for table in _shipped_nicknames() for name in table})


def is_first_name(word: str) -> bool:
    return fold(word) in _first_names()
