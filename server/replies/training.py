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

from server.replies.learned import ANALYZERS, CATEGORIES, MAX_CHARS, TRIAGE_MODEL, TriageModel

ROOT = Path(__file__).resolve().parents[2]
CORPORA = ROOT / "corpora"
TRAIN_WRITERS = ("w1", "w2", "w5", "w6", "w7")
DEV_WRITERS = ("w4",)
REGULARISATION = 10.0  # LogisticRegression's C
MIN_DOCUMENTS = 2  # an n-gram is kept when at least this many reviews have it
WEIGHT_FLOOR = 1e-3  # smaller weights are stored as 0 (the file compresses well)


def reviews(writers: Iterable[str]) -> list[dict]:
    items = []
    for writer in writers:
        path = CORPORA / writer / "reviews.jsonl"
        if path.exists():
            items += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return items


def fit(items: list[dict], c: float = REGULARISATION) -> dict:
    """Each block's vocabulary and idf, and the coefficients of a multinomial logistic regression over the
    items' categories (classes in CATEGORIES order)."""
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    texts = [item["text"][:MAX_CHARS] for item in items]
    fitted = {block: TfidfVectorizer(analyzer=analyzer, min_df=MIN_DOCUMENTS, sublinear_tf=True)
              for block, analyzer in ANALYZERS.items()}
    features = hstack([made.fit_transform(texts) for made in fitted.values()]).tocsr()
    model = LogisticRegression(C=c, max_iter=5000, class_weight="balanced").fit(features, [item["category"] for item in items])
    order = [list(model.classes_).index(category) for category in CATEGORIES if category in model.classes_]
    weights = model.coef_[order].T.copy()
    weights[np.abs(weights) < WEIGHT_FLOOR] = 0
    vocabulary = {block: [term for term, _ in sorted(made.vocabulary_.items(), key=lambda pair: pair[1])]
                  for block, made in fitted.items()}
    return {"vocabulary": vocabulary, "idf": {block: made.idf_.astype(np.float32) for block, made in fitted.items()},
            "weights": weights.astype(np.float16), "bias": model.intercept_[order].astype(np.float32),
            "classes": [str(model.classes_[i]) for i in order]}


def save(fitted: dict, path: Path, thresholds: tuple[float, float], writers: list[str]) -> None:
    meta = {"classes": fitted["classes"], "vocabulary": fitted["vocabulary"], "escalate_threshold": thresholds[0],
            "do_not_reply_threshold": thresholds[1], "writers": writers, "regularisation": REGULARISATION}
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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=TRIAGE_MODEL)
    args = parser.parse_args(argv)
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
