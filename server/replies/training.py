"""Training the learned second opinion (:mod:`server.replies.learned`) from the corpora in the repository.

The corpora were written by people who never saw the rules or the model (corpora/README.md), split by
writer: the model is fitted on the training writers, its thresholds are chosen on the development
writer (recall first: the escalation threshold is the highest that still catches every escalation
there), then it is fitted again on both with those thresholds and stored. The test writer is never read
here. Run: ``python -m server.replies.training``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from server.replies.learned import ANALYZERS, CATEGORIES, MAX_CHARS, REPLY_MODEL, TRIAGE_MODEL, TriageModel

ROOT = Path(__file__).resolve().parents[2]
CORPORA = ROOT / "corpora"
TRAIN_WRITERS = ("w1", "w2", "w5", "w6", "w7")
DEV_WRITERS = ("w4",)
REGULARISATION = 10.0  # LogisticRegression's C
MIN_DOCUMENTS = 2  # an n-gram is kept when at least this many reviews have it
WEIGHT_FLOOR = 1e-3  # smaller weights are stored as 0 (the file compresses well)


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


def fit(items: list[dict], c: float = REGULARISATION) -> dict:
    """The triage model: a multinomial logistic regression over the reviews' categories."""
    return fit_texts([item["text"] for item in items], [item["category"] for item in items], CATEGORIES, c)


def fit_texts(texts: list[str], labels: list[str], classes: tuple[str, ...], c: float = REGULARISATION) -> dict:
    """Each block's vocabulary and idf, and the coefficients of a logistic regression over the labels
    (classes in the order of ``classes``)."""
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    texts = [text[:MAX_CHARS] for text in texts]
    fitted = {block: TfidfVectorizer(analyzer=analyzer, min_df=MIN_DOCUMENTS, sublinear_tf=True)
              for block, analyzer in ANALYZERS.items()}
    features = hstack([made.fit_transform(texts) for made in fitted.values()]).tocsr()
    model = LogisticRegression(C=c, max_iter=5000, class_weight="balanced").fit(features, labels)
    order = [list(model.classes_).index(label) for label in classes if label in model.classes_]
    if len(model.classes_) == 2:  # a binary model has one row of coefficients: for the second class
        coef = np.vstack([-model.coef_[0], model.coef_[0]])
        intercept = np.array([-model.intercept_[0], model.intercept_[0]])
    else:
        coef, intercept = model.coef_, model.intercept_
    weights = coef[order].T.copy()
    weights[np.abs(weights) < WEIGHT_FLOOR] = 0
    vocabulary = {block: [term for term, _ in sorted(made.vocabulary_.items(), key=lambda pair: pair[1])]
                  for block, made in fitted.items()}
    return {"vocabulary": vocabulary, "idf": {block: made.idf_.astype(np.float32) for block, made in fitted.items()},
            "weights": weights.astype(np.float16), "bias": intercept[order].astype(np.float32),
            "classes": [str(model.classes_[i]) for i in order]}


def save(fitted: dict, path: Path, thresholds: tuple[float, float], writers: list[str]) -> None:
    """The triage model with its escalate and do-not-reply thresholds."""
    store(fitted, path, {"escalate_threshold": thresholds[0], "do_not_reply_threshold": thresholds[1], "writers": writers})


def store(fitted: dict, path: Path, extra: dict) -> None:
    meta = {"classes": fitted["classes"], "vocabulary": fitted["vocabulary"], "regularisation": REGULARISATION, **extra}
    meta["version"] = hashlib.sha256(json.dumps(meta, sort_keys=True).encode() + fitted["weights"].tobytes()).hexdigest()[:12]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        np.savez_compressed(file, weights=fitted["weights"], bias=fitted["bias"], meta=np.array(json.dumps(meta)),
                            **{f"idf_{block}": idf for block, idf in fitted["idf"].items()})


def choose_thresholds(model: TriageModel, dev: list[dict], decided_by_rules: list[str]) -> tuple[float, float]:
    """Chosen on the development writer. Escalate: the highest threshold that, with the rules, catches
    every escalation there (recall first). Do not reply: the lowest that leaves every genuine review
    there answered."""
    opinions = model.opinions([item["text"] for item in dev])
    left = [opinion.escalate for opinion, item, rules in zip(opinions, dev, decided_by_rules)
            if item["action"] == "escalate" and rules != "escalate"]
    escalate = min(left, default=0.5) * 0.95
    genuine = [opinion.do_not_reply for opinion, item, rules in zip(opinions, dev, decided_by_rules)
               if item["action"] == "reply" and rules == "reply" and opinion.escalate < escalate]
    return escalate, min(0.95, max(genuine, default=0.5) * 1.05)


def report(model: TriageModel, items: list[dict], label: str) -> str:
    """How the rules and the model together decide the items: escalations missed, genuine reviews
    escalated, actions right."""
    from server.replies.policy import review_context
    from server.replies.triage import decide

    actions = [decide(review_context(item), model).action for item in items]
    missed = sum(item["action"] == "escalate" and action != "escalate" for item, action in zip(items, actions))
    over = sum(item["action"] == "reply" and action == "escalate" for item, action in zip(items, actions))
    right = sum(item["action"] == action for item, action in zip(items, actions))
    return (f"{label}: {len(items)} reviews; escalations missed {missed} of {sum(item['action'] == 'escalate' for item in items)}; "
            f"genuine reviews escalated {over} of {sum(item['action'] == 'reply' for item in items)}; "
            f"actions right {right / max(len(items), 1):.1%}")


def by_rules(items: list[dict]) -> list[str]:
    from server.replies.policy import review_context
    from server.replies.triage import rules_triage

    return [rules_triage(review_context(item)).action for item in items]


# -- the checker's sentence model ------------------------------------------------------------------------

SENTENCE_CLASSES = ("safe", "about_reader")
MOST_ADDED_BLOCKS = 0.03  # the threshold lets the fewest unsafe replies through while the model blocks at most this share of compliant ones more than the rules


EARLIER_REPLIES = (ROOT / "tests" / "policy" / "corpus.jsonl", ROOT / "tests" / "policy" / "heldout.jsonl")


def earlier_safe_replies() -> list[dict]:
    """The compliant replies of the checker's earlier hand-labelled corpora (they mark no evidence, so only
    their safe replies teach the sentence model), as one more writer."""
    items = []
    for path in EARLIER_REPLIES:
        if path.exists():
            items += [{**item, "writer": "earlier", "evidence": []} for item in map(json.loads, path.read_text(encoding="utf-8").splitlines())
                      if item.get("allowed")]
    return items


def replies(writers: Iterable[str]) -> list[dict]:
    return corpus("replies", writers)


def sentence_examples(items: list[dict]) -> tuple[list[str], list[str]]:
    """Every sentence of a safe reply is ``safe``; a sentence of an unsafe reply that holds what its writer
    marked as the problem is ``about_reader``; the other sentences of unsafe replies are left out."""
    from server.replies.learned import sentence_text
    from server.replies.policy import sentences

    texts, labels = [], []
    for item in items:
        reply, practice = item["reply"], (item.get("settings") or {}).get("practice_name") or ""
        marked = [(reply.find(evidence), reply.find(evidence) + len(evidence)) for evidence in item["evidence"] if evidence in reply]
        for start, end in sentences(reply):
            unsafe = any(start < m_end and m_start < end for m_start, m_end in marked)
            if item["allowed"] or unsafe:
                texts.append(sentence_text(reply[start:end], practice))
                labels.append("about_reader" if unsafe and not item["allowed"] else "safe")
    return texts, labels


def held_out_sentence_scores(items: list[dict]) -> list[tuple[dict, bool, list[float]]]:
    """Each reply with the rules' verdict and its sentences' scores from a model trained without its writer."""
    from server.replies.learned import ReplySentenceModel, sentence_text
    from server.replies.policy import check, sentences

    scored = []
    for writer in sorted({item["writer"] for item in items}):
        others = [item for item in items if item["writer"] != writer]
        path = TRIAGE_MODEL.with_name(f"held-out-{writer}.npz")
        store(fit_texts(*sentence_examples(others), SENTENCE_CLASSES), path, {"threshold": 0.5})
        model = ReplySentenceModel(path)
        path.unlink()
        for item in (item for item in items if item["writer"] == writer):
            practice = (item.get("settings") or {}).get("practice_name") or ""
            rules = check(item["reply"], item["review"], item.get("settings") or {}, sentence_model=None)
            scores = [model.about_reader(sentence_text(item["reply"][start:end], practice)) for start, end in sentences(item["reply"])]
            scored.append((item, not rules.allowed, scores))
    return scored


def sentence_threshold(scored: list[tuple[dict, bool, list[float]]]) -> tuple[float, str]:
    """The threshold that lets the fewest unsafe replies through while the model adds at most
    MOST_ADDED_BLOCKS of the compliant replies to those the rules block, and what it gives."""
    compliant = sum(item["allowed"] for item, _, _ in scored)
    unsafe = len(scored) - compliant
    rules_unsafe = sum(not item["allowed"] and not by_rules for item, by_rules, _ in scored)
    rules_compliant = sum(item["allowed"] and by_rules for item, by_rules, _ in scored)
    best = None
    for threshold in np.arange(0.30, 0.96, 0.01):
        blocked = [by_rules or any(score >= threshold for score in scores) for _, by_rules, scores in scored]
        allowed_unsafe = sum(not item["allowed"] and not block for (item, _, _), block in zip(scored, blocked))
        blocked_compliant = sum(item["allowed"] and block for (item, _, _), block in zip(scored, blocked))
        if blocked_compliant <= rules_compliant + MOST_ADDED_BLOCKS * compliant and (best is None or allowed_unsafe < best[1]):
            best = (round(float(threshold), 2), allowed_unsafe, blocked_compliant)
    threshold, allowed_unsafe, blocked_compliant = best or (0.95, rules_unsafe, rules_compliant)
    return threshold, (f"each writer held out in turn ({len(scored)} replies): the rules alone allow {rules_unsafe} of {unsafe} "
                       f"unsafe and block {rules_compliant} of {compliant} compliant; with the model at {threshold:.2f}: "
                       f"{allowed_unsafe} unsafe allowed, {blocked_compliant} compliant blocked")


def train_reply_sentences(out: Path) -> None:
    items = replies((*TRAIN_WRITERS, *DEV_WRITERS)) + earlier_safe_replies()
    threshold, summary = sentence_threshold(held_out_sentence_scores(items))
    print(summary)
    store(fit_texts(*sentence_examples(items), SENTENCE_CLASSES), out,
          {"threshold": threshold, "writers": sorted({item["writer"] for item in items})})
    print(f"stored {out} ({out.stat().st_size / 1e6:.1f} MB), trained on {len(items)} replies")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=TRIAGE_MODEL)
    parser.add_argument("--replies-out", type=Path, default=REPLY_MODEL)
    args = parser.parse_args(argv)
    train_reply_sentences(args.replies_out)
    train, dev = reviews(TRAIN_WRITERS), reviews(DEV_WRITERS)
    first = args.out.with_suffix(".dev.npz")
    save(fit(train), first, (0.5, 0.5), sorted({item["writer"] for item in train}))
    on_dev = TriageModel(first)
    thresholds = choose_thresholds(on_dev, dev, by_rules(dev))
    on_dev.escalate_threshold, on_dev.do_not_reply_threshold = thresholds
    first.unlink()
    print(f"thresholds chosen on {', '.join(DEV_WRITERS)}: escalate {thresholds[0]:.3f}, do not reply {thresholds[1]:.3f}")
    print(report(on_dev, dev, "rules and the model trained without the development writer, on it"))
    both = train + dev
    save(fit(both), args.out, thresholds, sorted({item["writer"] for item in both}))
    print(f"stored {args.out} ({args.out.stat().st_size / 1e6:.1f} MB), trained on {len(both)} reviews")


if __name__ == "__main__":
    sys.exit(main())
