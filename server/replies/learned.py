"""The learned second opinion on reviews: a linear model over word and character n-grams (TF-IDF),
trained by :mod:`server.replies.training` from the corpora in the repository, stored small beside this
module (its vocabulary, idf weights and coefficients: no pickle) and loaded once. Scoring a review is a
dictionary look-up per n-gram and one small product: no scikit-learn at run time.

It gives each triage category a probability, so the triage can raise a review to ``escalate`` when its
wording avoids every keyword. It never lowers what the rules decided (docs/design.md: escalation is
recall-first).
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

MODELS = Path(__file__).resolve().parent / "models"
TRIAGE_MODEL = MODELS / "triage.npz"
REPLY_MODEL = MODELS / "reply_sentences.npz"
RULE_NAMES_MODEL = MODELS / "reply_rules.npz"
ESCALATE_CATEGORIES = ("clinical_harm", "emergency", "privacy_breach", "legal", "regulator", "violence", "self_harm")
DO_NOT_REPLY_CATEGORIES = ("spam", "wrong_business", "hate", "harassment", "gibberish", "political")
CATEGORIES = (*ESCALATE_CATEGORIES, *DO_NOT_REPLY_CATEGORIES, "genuine")
MAX_CHARS = 5000  # a longer review is judged on its first 5,000 characters
SENTENCES_REMEMBERED = 4096  # sentences whose scores a checker model keeps (a few hundred kB)
WORDS_REMEMBERED = 20_000  # words whose character n-grams' rows a model keeps (under 10 MB each, whatever is sent)
TOKEN = re.compile(r"(?u)\b\w\w+\b")
# A phone number, with or without the area code, and an e-mail address (the checker's rules read them too).
PHONE = re.compile(r"(?<![\d-])(?:(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?)?\d{3}[\s.-]\d{4}(?![\d-])")
EMAIL = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")  # bounded: linear in the text's length
# A name of two or more capitalised words and an organisation's noun: "Riverbend Physical Therapy", "Core Balance Pelvic Health".
ORGANISATION = re.compile(r"\b(?!Your\b|Our\b)(?:[A-Z][\w'’&.-]{0,40}\s{1,5}){2,5}(?:Medicine|Therapy|Health|Healthcare|Dental|Dentistry|"
                          r"Clinic|Center|Centre|Care|Surgery|Imaging|Pediatrics|Associates|Group|Practice|Hospital|Institute|"
                          r"Partners|Specialists|Fertility|Dermatology|Cardiology|Orthopedics|Audiology|Optometry|Chiropractic|"
                          r"Wellness|Rehab|Rehabilitation|Medical|Smiles|Orthodontics|Midwifery|Neurology|Vision|Hearing|Hospice)\b")


def word_grams(text: str) -> list[str]:
    """Words of two letters or more, lower case, and each pair of neighbours."""
    words = TOKEN.findall(text.lower())
    return words + [f"{first} {second}" for first, second in zip(words, words[1:])]


def char_grams(text: str) -> list[str]:
    """Character 2- to 5-grams inside each word padded with a space (so "ear" and " ear " differ)."""
    return [gram for word in text.lower().split() for gram in _word_char_grams(word)]


@lru_cache(maxsize=8192)  # replies are made of the same few thousand words: each is cut once (a few MB at most)
def _word_char_grams(word: str) -> tuple[str, ...]:
    padded = f" {word} "
    return tuple(padded[start:start + size] for size in (2, 3, 4, 5) for start in range(len(padded) - size + 1))


# Each block is TF-IDF weighted (sublinear term frequency) and normalised on its own; training uses the
# same functions (scikit-learn's TfidfVectorizer with them as analyzers), so counting cannot drift.
ANALYZERS = {"words": word_grams, "chars": char_grams}


class _Block:
    """One block as stored: its vocabulary, idf weights and where its rows start in the weight matrix."""

    def __init__(self, terms: list[str], idf: np.ndarray, offset: int):
        self.index = {term: i for i, term in enumerate(terms)}
        self.idf = idf.astype(np.float64)
        self.offset = offset
        self._word_rows: dict[str, np.ndarray] = {}  # the character block: each word's known n-grams, looked up once

    def word_features(self, words: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """``features(char_grams(text))`` from the text's words, each word's n-grams looked up once per process."""
        known, index = self._word_rows, self.index
        parts = []
        for word in words:
            rows = known.get(word)
            if rows is None:
                rows = np.array([index[gram] for gram in _word_char_grams(word) if gram in index], dtype=np.intp)
                if len(known) < WORDS_REMEMBERED:
                    known[word] = rows
            parts.append(rows)
        found = np.concatenate(parts) if parts else np.zeros(0, dtype=np.intp)
        return self._weighted(*np.unique(found, return_counts=True))

    def _weighted(self, rows: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The rows in the weight matrix and the TF-IDF values (sublinear, unit length) of these counts."""
        if not len(rows):
            return np.zeros(0, dtype=np.intp), np.zeros(0)
        values = (1.0 + np.log(counts)) * self.idf[rows]
        return rows + self.offset, values / np.linalg.norm(values)

    def features(self, grams: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """The rows and TF-IDF values (unit length) of the known n-grams among ``grams``."""
        counts = Counter(grams)  # counted first: each distinct n-gram is looked up once
        index, rows, found = self.index, [], []
        for gram, count in counts.items():
            row = index.get(gram)
            if row is not None:
                rows.append(row)
                found.append(count)
        return self._weighted(np.array(rows, dtype=np.intp), np.array(found, dtype=np.float64))


@dataclass(frozen=True)
class Opinion:
    """The model's view of one text: each category's probability."""

    probabilities: dict[str, float]

    @property
    def escalate(self) -> float:
        return sum(self.probabilities[category] for category in ESCALATE_CATEGORIES)

    @property
    def do_not_reply(self) -> float:
        return sum(self.probabilities[category] for category in DO_NOT_REPLY_CATEGORIES)

    def best(self, categories: tuple[str, ...]) -> str:
        return max(categories, key=self.probabilities.__getitem__)


class LinearModel:
    """A stored linear model: per block its vocabulary and idf; the coefficients, classes and metadata."""

    def __init__(self, path: Path):
        with np.load(path, allow_pickle=False) as stored:
            self.meta = json.loads(str(stored["meta"]))
            self.weights = stored["weights"].astype(np.float64)  # features × classes
            self.bias = stored["bias"].astype(np.float64)
            offset, self.blocks = 0, []
            for name, analyzer in ANALYZERS.items():
                terms = self.meta["vocabulary"][name]
                self.blocks.append((analyzer, _Block(terms, stored[f"idf_{name}"], offset)))
                offset += len(terms)
        self.classes: list[str] = self.meta["classes"]
        self.version: str = self.meta["version"]

    def scores(self, text: str) -> np.ndarray:
        """Each class's score (before the softmax or sigmoid)."""
        scores = self.bias.copy()
        clipped = text[:MAX_CHARS]
        for analyzer, block in self.blocks:
            rows, values = block.word_features(clipped.lower().split()) if analyzer is char_grams else block.features(analyzer(clipped))
            if len(rows):
                scores += values @ self.weights[rows]
        return scores

    def probabilities(self, text: str) -> dict[str, float]:
        scores = self.scores(text)
        exp = np.exp(scores - scores.max())
        return dict(zip(self.classes, map(float, exp / exp.sum())))


class TriageModel(LinearModel):
    """Each triage category's probability for a review, and the thresholds chosen in training."""

    def __init__(self, path: Path = TRIAGE_MODEL):
        super().__init__(path)
        self.escalate_threshold: float = self.meta["escalate_threshold"]
        self.do_not_reply_threshold: float = self.meta["do_not_reply_threshold"]

    def opinion(self, text: str) -> Opinion:
        return Opinion(self.probabilities(text))

    def opinions(self, texts: list[str]) -> list[Opinion]:
        return [self.opinion(text) for text in texts]


class ReplySentenceModel(LinearModel):
    """Whether a sentence of a reply says something about the reader (``about_reader``) rather than doing
    one of the few things a safe public reply does (docs/design.md: default-deny)."""

    def __init__(self, path: Path = REPLY_MODEL):
        super().__init__(path)
        self.threshold: float = self.meta["threshold"]
        # A draft is checked again at each pause in typing: its other sentences are scored once.
        self.about_reader = lru_cache(maxsize=SENTENCES_REMEMBERED)(self._about_reader)

    def _about_reader(self, sentence: str) -> float:
        return self.probabilities(sentence)["about_reader"]


class RuleNamesModel(LinearModel):
    """Which rules a blocked sentence of a reply breaks by implication (several may): each rule's own
    probability (a logistic regression per rule over the same features)."""

    def __init__(self, path: Path = RULE_NAMES_MODEL):
        super().__init__(path)
        self.threshold: float = self.meta["threshold"]
        self.rules = lru_cache(maxsize=SENTENCES_REMEMBERED)(self._rules)

    def _rules(self, sentence: str) -> tuple[str, ...]:
        return tuple(rule for rule, score in zip(self.classes, self.scores(sentence)) if 1 / (1 + np.exp(-score)) >= self.threshold)


MARKUP = re.compile(r"<[^<>]{0,500}>")  # an HTML tag pasted into a review: no words a person reads


def readable(text: str) -> str:
    """The text as a person reads it: HTML tags pasted into it are not words."""
    return MARKUP.sub(" ", text) if "<" in text else text


def review_text(text: str, rating: int | None = None, recommends: bool | None = None) -> str:
    """A review as the triage model reads it: a word for its stars (or its recommendation) before its text,
    since the same words mean something else in a five-star post than in a one-star one."""
    stars = (f"zzrating{rating}" if rating is not None else "zzrecommends" if recommends
             else "zznotrecommends" if recommends is False else "zznorating")
    return f"{stars} {readable(text)}"


def sentence_text(sentence: str, practice_name: str = "") -> str:
    """A reply's sentence as the model reads it: phone numbers, e-mail addresses, the practice's name (or its
    first words) and any other organisation's ("Redwood Hematology Group") stand as placeholders (whose they
    are is the rules' business, and a medical word in a name is about no one's care)."""
    text = ORGANISATION.sub(" practicename ", EMAIL.sub(" emailaddress ", PHONE.sub(" phonenumber ", sentence)))
    words = practice_name.split()
    for count in range(len(words), 1, -1):  # "DoorStep Draw" for "DoorStep Draw Mobile Phlebotomy"
        text = re.sub(re.escape(" ".join(words[:count])), " practicename ", text, flags=re.IGNORECASE)
    if len(words) == 1:
        text = re.sub(re.escape(words[0]), " practicename ", text, flags=re.IGNORECASE)
    return text


_lock = threading.Lock()
_practice_models: Path | None = None  # the folder of the practice's retrained models (reviewdesk retrain)


def use_practice_models(folder: Path | None) -> None:
    """Models retrained by the practice (``reviewdesk retrain``) in ``folder`` are used instead of the
    shipped ones when they are there; None: the shipped ones."""
    global _practice_models  # noqa: PLW0603 (one setting for the process, set at start-up)
    with _lock:
        _practice_models = folder
    triage_model.cache_clear()
    reply_model.cache_clear()
    rule_names_model.cache_clear()


def model_path(shipped: Path) -> Path:
    """The practice's retrained copy of a model when there is one, else the shipped model."""
    own = _practice_models / shipped.name if _practice_models else None
    return own if own and own.exists() else shipped


@lru_cache(maxsize=1)
def triage_model() -> TriageModel | None:
    """The triage model, loaded once; None when it is missing (the rules alone decide then)."""
    with _lock:
        path = model_path(TRIAGE_MODEL)
        return TriageModel(path) if path.exists() else None


@lru_cache(maxsize=1)
def reply_model() -> ReplySentenceModel | None:
    """The checker's sentence model, loaded once; None when it is missing (the rules alone check)."""
    with _lock:
        path = model_path(REPLY_MODEL)
        return ReplySentenceModel(path) if path.exists() else None


@lru_cache(maxsize=1)
def rule_names_model() -> RuleNamesModel | None:
    """The model that names the rules a blocked sentence breaks, loaded once; None when it is missing."""
    with _lock:
        path = model_path(RULE_NAMES_MODEL)
        return RuleNamesModel(path) if path.exists() else None
