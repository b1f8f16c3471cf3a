"""Training the learned second opinions (:mod:`server.replies.learned`) from the corpora shipped with ReviewDesk
(server/replies/corpora) and, for ``reviewdesk retrain``, the practice's own corrections.

The corpora were written by people who never saw the rules or the models (corpora/README.md), split by
writer: the models are fitted on the train and dev writers; their thresholds are chosen on what a model
trained without each writer says of that writer's texts (each writer held out in turn), so a threshold is
set by text the model never saw. The test writers are never read here except to report figures.

Triage: a multinomial logistic regression over the reviews' categories (each review's stars are a word of
it), each action (escalate, do not reply, reply) weighing the same in all; the escalate threshold is the
highest that, with the rules, leaves at most MOST_MISSED of the held-out escalations to staff (recall first),
with a 5% margin; the do-not-reply threshold the lowest, from DO_NOT_REPLY_FLOOR, that leaves at most
MOST_UNANSWERED of the held-out genuine reviews unanswered.
Checker: a logistic regression over the sentences of replies (``safe`` or ``about_reader``); its threshold
lets the fewest held-out unsafe replies through while adding at most MOST_ADDED_BLOCKS of compliant ones
to those the rules block; and one logistic regression per rule naming what a blocked sentence breaks.

Staff corrections join as one more writer, ``practice``, each counted CORRECTION_WEIGHT times.
Run: ``python -m server.replies.training`` (writes the shipped models).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np

from server.replies.learned import (ANALYZERS, CATEGORIES, DO_NOT_REPLY_CATEGORIES, ESCALATE_CATEGORIES, MAX_CHARS, REPLY_MODEL,
                                    RULE_NAMES_MODEL, TRIAGE_MODEL, LinearModel, ReplySentenceModel, TriageModel, review_text,
                                    sentence_text)
from server.replies.policy import IMPLIED, check, review_context, sentences
from server.replies.safe_shapes import safe_shape
from server.replies.triage import decide, rules_triage

CORPORA = Path(__file__).resolve().parent / "corpora"
# w3, w8, w11, w14, w15, w18, w21, w22, w25 to w32 were test writers, each first read after one version of the
# models was frozen.
TRAIN_WRITERS = ("w1", "w2", "w3", "w5", "w6", "w7", "w8", "w9", "w10", "w11", "w12", "w13", "w14", "w15", "w16", "w17", "w18",
                 "w19", "w20", "w21", "w22", "w23", "w24", "w25", "w26", "w27", "w28", "w29", "w30", "w33", "w34", "w35", "w36",
                 "w39", "w40", "w41", "w42", "w43", "w44",
                 "w31", "w32", "w45", "w46", "w47", "w48", "w49", "w50")
DEV_WRITERS = ("w4",)
TEST_WRITERS = ("w37", "w38")  # written while the eleventh models were trained; first read after the twelfth were frozen
SHIPPED_WRITERS = (*TRAIN_WRITERS, *DEV_WRITERS)
EARLIER_REPLIES = (CORPORA / "earlier" / "corpus.jsonl", CORPORA / "earlier" / "heldout.jsonl")
PRACTICE = "practice"  # the writer of the practice's own corrections
CORRECTION_WEIGHT = 5.0  # a correction by the practice's staff counts as this many corpus examples
REGULARISATION = 10.0  # LogisticRegression's C
MIN_DOCUMENTS = 2  # an n-gram is kept when at least this many texts have it
WEIGHT_FLOOR = 1e-3  # smaller weights are stored as 0 (the file compresses well)
DO_NOT_REPLY_FLOOR = 0.5  # "do not reply" only where the model finds it likelier than not
MOST_UNANSWERED = 0.005  # share of held-out genuine reviews the do-not-reply threshold may leave unanswered
MOST_MISSED = 0.001  # share of held-out escalations the escalate threshold may leave to the rules and staff
SENTENCE_CLASSES = ("safe", "about_reader")
MOST_ADDED_BLOCKS = 0.03  # share of compliant replies the sentence model may block on top of the rules
UNSET_THRESHOLDS = {"threshold": 0.5, "escalate_threshold": 0.5, "do_not_reply_threshold": 0.5}  # held-out models: scores only


def corpus(kind: str, writers: Iterable[str]) -> list[dict]:
    """The writers' ``reviews`` or ``replies`` (corpora/<writer>/<kind>.jsonl), one dict per line."""
    items = []
    for writer in writers:
        path = CORPORA / writer / f"{kind}.jsonl"
        if path.exists():
            items += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return items


def reviews(writers: Iterable[str]) -> list[dict]:
    return corpus("reviews", writers)


def replies(writers: Iterable[str]) -> list[dict]:
    return corpus("replies", writers)


def action_of(category: str) -> str:
    return "escalate" if category in ESCALATE_CATEGORIES else "do_not_reply" if category in DO_NOT_REPLY_CATEGORIES else "reply"


def weight_of(item: dict) -> float:
    return CORRECTION_WEIGHT if item["writer"] == PRACTICE else 1.0


def fit_texts(texts: list[str], labels: list[str], classes: tuple[str, ...], weights: Sequence[float] | None = None,
              c: float = REGULARISATION, class_weight: str | None = "balanced") -> dict:
    """Each block's vocabulary and idf, and the coefficients of a logistic regression over the labels
    (classes in the order of ``classes``; ``class_weight="balanced"``: each label weighs the same in all)."""
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    texts = [text[:MAX_CHARS] for text in texts]
    fitted = {block: TfidfVectorizer(analyzer=analyzer, min_df=MIN_DOCUMENTS, sublinear_tf=True)
              for block, analyzer in ANALYZERS.items()}
    features = hstack([made.fit_transform(texts) for made in fitted.values()]).tocsr()
    model = LogisticRegression(C=c, max_iter=5000, class_weight=class_weight).fit(features, labels, sample_weight=weights)
    order = [list(model.classes_).index(label) for label in classes if label in model.classes_]
    if len(model.classes_) == 2:  # a binary model has one row of coefficients: for the second class
        coef = np.vstack([-model.coef_[0], model.coef_[0]])
        intercept = np.array([-model.intercept_[0], model.intercept_[0]])
    else:
        coef, intercept = model.coef_, model.intercept_
    weights_out = coef[order].T.copy()
    weights_out[np.abs(weights_out) < WEIGHT_FLOOR] = 0
    vocabulary = {block: [term for term, _ in sorted(made.vocabulary_.items(), key=lambda pair: pair[1])]
                  for block, made in fitted.items()}
    return {"vocabulary": vocabulary, "idf": {block: made.idf_.astype(np.float32) for block, made in fitted.items()},
            "weights": weights_out.astype(np.float16), "bias": intercept[order].astype(np.float32),
            "classes": [str(model.classes_[i]) for i in order]}


def store(fitted: dict, path: Path, extra: dict) -> None:
    """The model as one compressed NumPy file (no pickle), written whole or not at all."""
    meta = {"classes": fitted["classes"], "vocabulary": fitted["vocabulary"], "regularisation": REGULARISATION, **extra}
    meta["version"] = hashlib.sha256(json.dumps(meta, sort_keys=True).encode() + fitted["weights"].tobytes()).hexdigest()[:12]
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    with partial.open("wb") as file:
        np.savez_compressed(file, weights=fitted["weights"], bias=fitted["bias"], meta=np.array(json.dumps(meta)),
                            **{f"idf_{block}": idf for block, idf in fitted["idf"].items()})
    os.replace(partial, path)


def held_out(items: list[dict], fit_one: Callable[[list[dict]], dict], load: Callable[[Path], LinearModel],
             score: Callable[[LinearModel, dict], object]) -> list[object]:
    """``score(model, item)`` for every item, by a model fitted (``fit_one``) without the item's writer."""
    scores: list[object] = [None] * len(items)
    with tempfile.TemporaryDirectory() as folder:
        for writer in sorted({item["writer"] for item in items}):
            path = Path(folder) / f"without-{writer}.npz"
            store(fit_one([item for item in items if item["writer"] != writer]), path, UNSET_THRESHOLDS)
            model = load(path)
            for index, item in enumerate(items):
                if item["writer"] == writer:
                    scores[index] = score(model, item)
    return scores


# -- triage ------------------------------------------------------------------------------------------------


def triage_items(corrections: Iterable[tuple[str, str]] = ()) -> list[dict]:
    """The shipped writers' reviews and the practice's corrected reviews (text, category)."""
    return reviews(SHIPPED_WRITERS) + [{"text": text, "category": category, "action": action_of(category), "writer": PRACTICE}
                                       for text, category in corrections]


def triage_input(item: dict) -> str:
    return review_text(item["text"], item.get("rating"), item.get("recommends"))


def fit_triage(items: list[dict]) -> dict:
    """Each action weighs the same in all (weighing each of the 14 categories the same would give the seven
    escalation categories half the weight and genuine reviews a fourteenth: every complaint would read as
    an escalation); a staff correction counts CORRECTION_WEIGHT times."""
    per_action = {action: len(items) / (3 * sum(item["action"] == action for item in items))
                  for action in ("escalate", "do_not_reply", "reply") if any(item["action"] == action for item in items)}
    return fit_texts([triage_input(item) for item in items], [item["category"] for item in items], CATEGORIES,
                     [weight_of(item) * per_action[item["action"]] for item in items], class_weight=None)


def triage_thresholds(items: list[dict], opinions: list, rules: list[str], most_missed: float = MOST_MISSED) -> tuple[float, float, str]:
    """The escalate and do-not-reply thresholds from the held-out opinions, and what they give there."""
    left = sorted(opinion.escalate for opinion, item, by_rules in zip(opinions, items, rules)
                  if item["action"] == "escalate" and by_rules != "escalate")
    # The hardest held-out escalation after the few (most_missed) left to staff sets it, with a margin.
    allowed = int(most_missed * sum(item["action"] == "escalate" for item in items))
    escalate = round(left[allowed] * 0.95, 3) if len(left) > allowed else 0.5
    genuine = [opinion.do_not_reply for opinion, item, by_rules in zip(opinions, items, rules)
               if item["action"] == "reply" and by_rules == "reply" and opinion.escalate < escalate]
    genuine_count = sum(item["action"] == "reply" for item in items)
    # The lowest, from the floor, that leaves at most MOST_UNANSWERED of the held-out genuine reviews unanswered.
    candidates = (round(DO_NOT_REPLY_FLOOR + step / 100, 2) for step in range(round((0.95 - DO_NOT_REPLY_FLOOR) * 100) + 1))
    do_not_reply = next((threshold for threshold in candidates
                         if sum(score >= threshold for score in genuine) <= MOST_UNANSWERED * genuine_count), 0.95)
    unanswered = sum(score >= do_not_reply for score in genuine)
    missed = sum(score < escalate for score in left)
    escalated = sum(item["action"] == "reply" and (by_rules == "escalate" or opinion.escalate >= escalate)
                    for opinion, item, by_rules in zip(opinions, items, rules))
    return escalate, do_not_reply, (f"each writer held out in turn ({len(items)} reviews): escalate at {escalate:.3f} misses "
                                    f"{missed} of {sum(item['action'] == 'escalate' for item in items)} escalations and escalates "
                                    f"{escalated} of {genuine_count} genuine reviews; do not reply at {do_not_reply:.3f} leaves "
                                    f"{unanswered} of them unanswered")


def train_triage(out: Path, corrections: Iterable[tuple[str, str]] = ()) -> str:
    items = triage_items(corrections)
    opinions = held_out(items, fit_triage, TriageModel, lambda model, item: model.opinion(triage_input(item)))
    rules = [rules_triage(review_context(item)).action for item in items]
    escalate, do_not_reply, summary = triage_thresholds(items, opinions, rules)
    store(fit_triage(items), out, {"escalate_threshold": escalate, "do_not_reply_threshold": do_not_reply,
                                   "writers": sorted({item["writer"] for item in items})})
    return f"triage: {summary}"


# -- the checker's sentence model --------------------------------------------------------------------------


def earlier_safe_replies() -> list[dict]:
    """The compliant replies of the checker's earlier hand-labelled corpora (they mark no evidence, so only
    their safe replies teach the sentence model), as one more writer."""
    items = []
    for path in EARLIER_REPLIES:
        if path.exists():
            items += [{**item, "writer": "earlier", "evidence": []} for item in map(json.loads, path.read_text(encoding="utf-8").splitlines())
                      if item.get("allowed")]
    return items


def reply_items(approved: Iterable[str] = ()) -> list[dict]:
    """The shipped writers' replies, the earlier corpora's safe ones, and the sentences staff approved."""
    return replies(SHIPPED_WRITERS) + earlier_safe_replies() + [
        {"reply": sentence, "allowed": True, "evidence": [], "writer": PRACTICE, "review": {}, "settings": {}} for sentence in approved]


def sentence_examples(items: list[dict]) -> tuple[list[str], list[str], list[float]]:
    """Every sentence of a safe reply is ``safe``; a sentence of an unsafe reply that holds what its writer
    marked as the problem is ``about_reader``; the other sentences of unsafe replies are left out."""
    texts, labels, weights = [], [], []
    for item in items:
        reply, practice = item["reply"], (item.get("settings") or {}).get("practice_name") or ""
        marked = [(reply.find(evidence), reply.find(evidence) + len(evidence)) for evidence in item["evidence"] if evidence in reply]
        for start, end in sentences(reply):
            unsafe = any(start < m_end and m_start < end for m_start, m_end in marked)
            if item["allowed"] or unsafe:
                texts.append(sentence_text(reply[start:end], practice))
                labels.append("about_reader" if unsafe and not item["allowed"] else "safe")
                weights.append(weight_of(item))
    return texts, labels, weights


def fit_sentences(items: list[dict]) -> dict:
    texts, labels, weights = sentence_examples(items)
    return fit_texts(texts, labels, SENTENCE_CLASSES, weights)


def sentence_scores(model: ReplySentenceModel, item: dict) -> tuple[bool, list[float]]:
    """The rules' verdict on a reply (blocked?) and each of its sentences' score."""
    practice = (item.get("settings") or {}).get("practice_name") or ""
    rules = check(item["reply"], item["review"], item.get("settings") or {}, sentence_model=None)
    texts = [sentence_text(item["reply"][start:end], practice) for start, end in sentences(item["reply"])]
    return not rules.allowed, [0.0 if safe_shape(text) else model.about_reader(text) for text in texts]  # as check() reads them


def sentence_threshold(items: list[dict], scored: list) -> tuple[float, str]:
    """The threshold that lets the fewest unsafe replies through while the model adds at most
    MOST_ADDED_BLOCKS of the compliant replies to those the rules block, and what it gives."""
    compliant = sum(item["allowed"] for item in items)
    unsafe = len(items) - compliant
    rules_unsafe = sum(not item["allowed"] and not by_rules for item, (by_rules, _) in zip(items, scored))
    rules_compliant = sum(item["allowed"] and by_rules for item, (by_rules, _) in zip(items, scored))
    best = None
    for threshold in np.arange(0.30, 0.96, 0.01):
        blocked = [by_rules or any(score >= threshold for score in scores) for by_rules, scores in scored]
        allowed_unsafe = sum(not item["allowed"] and not block for item, block in zip(items, blocked))
        blocked_compliant = sum(item["allowed"] and block for item, block in zip(items, blocked))
        if blocked_compliant <= rules_compliant + MOST_ADDED_BLOCKS * compliant and (best is None or allowed_unsafe < best[1]):
            best = (round(float(threshold), 2), allowed_unsafe, blocked_compliant)
    threshold, allowed_unsafe, blocked_compliant = best or (0.95, rules_unsafe, rules_compliant)
    return threshold, (f"each writer held out in turn ({len(items)} replies): the rules alone allow {rules_unsafe} of {unsafe} "
                       f"unsafe and block {rules_compliant} of {compliant} compliant; with the model at {threshold:.2f}: "
                       f"{allowed_unsafe} unsafe allowed, {blocked_compliant} compliant blocked")


def train_reply_sentences(out: Path, approved: Iterable[str] = ()) -> str:
    items = reply_items(approved)
    threshold, summary = sentence_threshold(items, held_out(items, fit_sentences, ReplySentenceModel, sentence_scores))
    store(fit_sentences(items), out, {"threshold": threshold, "writers": sorted({item["writer"] for item in items})})
    return f"checker: {summary}"


# -- naming the rules a blocked sentence breaks -----------------------------------------------------------

RULE_NAME_THRESHOLD = 0.5  # a rule is named when its own probability reaches this
RULE_NAMES_REGULARISATION = 3.0


def rule_examples(items: list[dict]) -> tuple[list[str], list[set[str]]]:
    """Each sentence of an unsafe reply that holds what its writer marked, with the rules the reply breaks."""
    texts, labels = [], []
    for item in items:
        if item["allowed"]:
            continue
        reply, practice = item["reply"], (item.get("settings") or {}).get("practice_name") or ""
        marked = [(reply.find(evidence), reply.find(evidence) + len(evidence)) for evidence in item["evidence"] if evidence in reply]
        for start, end in sentences(reply):
            if any(start < m_end and m_start < end for m_start, m_end in marked):
                texts.append(sentence_text(reply[start:end], practice))
                labels.append(set(item["must_flag"]) & set(IMPLIED))
    return texts, labels


def fit_rule_names(texts: list[str], labels: list[set[str]], c: float = RULE_NAMES_REGULARISATION) -> dict:
    """One logistic regression per rule (does the sentence break it?) over shared TF-IDF features."""
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    texts = [text[:MAX_CHARS] for text in texts]
    fitted = {block: TfidfVectorizer(analyzer=analyzer, min_df=MIN_DOCUMENTS, sublinear_tf=True) for block, analyzer in ANALYZERS.items()}
    features = hstack([made.fit_transform(texts) for made in fitted.values()]).tocsr()
    rules = [rule for rule in IMPLIED if any(rule in label for label in labels)]
    coefficients, intercepts = [], []
    for rule in rules:
        model = LogisticRegression(C=c, max_iter=5000, class_weight="balanced").fit(features, [rule in label for label in labels])
        coefficients.append(model.coef_[0])
        intercepts.append(model.intercept_[0])
    weights = np.vstack(coefficients).T
    weights[np.abs(weights) < WEIGHT_FLOOR] = 0
    return {"vocabulary": {block: [term for term, _ in sorted(made.vocabulary_.items(), key=lambda pair: pair[1])]
                           for block, made in fitted.items()},
            "idf": {block: made.idf_.astype(np.float32) for block, made in fitted.items()},
            "weights": weights.astype(np.float16), "bias": np.array(intercepts, dtype=np.float32), "classes": rules}


def train_rule_names(out: Path) -> str:
    items = reply_items()
    texts, labels = rule_examples(items)
    store(fit_rule_names(texts, labels), out, {"threshold": RULE_NAME_THRESHOLD, "writers": sorted({item["writer"] for item in items})})
    return f"rule names: {len(texts)} marked sentences of unsafe replies"


# -- both --------------------------------------------------------------------------------------------------


def train(folder: Path, triage_corrections: Iterable[tuple[str, str]] = (), approved_sentences: Iterable[str] = (),
          progress: Callable[[str], None] = print) -> None:
    """The models into ``folder`` (triage.npz, reply_sentences.npz, reply_rules.npz), with what they give held out."""
    progress("Training the triage model (each writer held out in turn, then all together)…")
    progress(train_triage(folder / TRIAGE_MODEL.name, list(triage_corrections)))
    progress("Training the checker's sentence model…")
    progress(train_reply_sentences(folder / REPLY_MODEL.name, list(approved_sentences)))
    progress(train_rule_names(folder / RULE_NAMES_MODEL.name))


def figures_on_test_split(triage_model: TriageModel | None, sentence_model: ReplySentenceModel | None, rule_model=None) -> tuple:
    """Triage and checker figures of these models on the shipped test writers (server.replies.evaluation)."""
    from server.replies.evaluation import checker_figures, triage_figures

    return (triage_figures(reviews(TEST_WRITERS), lambda review: decide(review, triage_model)),
            checker_figures(replies(TEST_WRITERS), lambda reply, review, settings: check(reply, review, settings, sentence_model=sentence_model,
                                                                                           rule_model=rule_model)))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=TRIAGE_MODEL.parent, help="folder for the models")
    args = parser.parse_args(argv)
    train(args.out)
    for name in (TRIAGE_MODEL.name, REPLY_MODEL.name, RULE_NAMES_MODEL.name):
        print(f"stored {args.out / name} ({(args.out / name).stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    sys.exit(main())
