"""Triage and the reply checker against the corpora written by people who never saw them
(server/replies/corpora/), with the figures of server/replies/evaluation.py.

Triage: escalations missed (target 0), actions right (target at least 95%), genuine reviews escalated
(target at most 2%), per category. Checker: unsafe replies allowed (target 0), compliant replies
blocked (target at most 2%), rule recall (target at least 90%). Both: p95 time per call (target < 5 ms).

The models are trained on the train and dev writers, so figures on those splits are in-sample (the
training prints the honest ones, each writer held out in turn). The test split (training.TEST_WRITERS) is
read only once the models are frozen; each version's first-run figures are in the README.
Run: python benchmarks/judgement.py [--split train|dev|test|all-but-test | --writers w8] [--rules] [--show]
(--rules: the rules alone, without the learned models.)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from server.replies import vocabulary  # noqa: E402
from server.replies.evaluation import checker_figures, triage_figures  # noqa: E402
from server.replies.policy import check  # noqa: E402
from server.replies.training import DEV_WRITERS, TEST_WRITERS, TRAIN_WRITERS, replies, reviews  # noqa: E402
from server.replies.triage import rules_triage, triage  # noqa: E402

SPLITS = {"train": TRAIN_WRITERS, "dev": DEV_WRITERS, "test": TEST_WRITERS, "all-but-test": (*TRAIN_WRITERS, *DEV_WRITERS)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=SPLITS, default="dev")
    parser.add_argument("--writers", nargs="+", help="these writers instead of a split (e.g. --writers w8)")
    parser.add_argument("--show", action="store_true", help="print every disagreement")
    parser.add_argument("--rules", action="store_true", help="the rules alone, without the learned models")
    args = parser.parse_args()
    writers = tuple(args.writers) if args.writers else SPLITS[args.split]
    vocabulary.warm_up()
    decide = rules_triage if args.rules else triage
    decide_check = (lambda reply, review, settings: check(reply, review, settings, sentence_model=None)) if args.rules else check
    decide_check("warm up", {}, {})
    print(f"{'Writers' if args.writers else f'Split {args.split}, writers'} {', '.join(writers)}: " + ("the rules alone" if args.rules else "the rules and the learned models"))
    triaged = triage_figures(reviews(writers), decide)
    checked = checker_figures(replies(writers), decide_check)
    if args.show:
        for item, decision in triaged.wrong:
            print(f"  [{item['id']}] {item['action']}/{item['category']} -> {decision.action}/{decision.category}: {item['text'][:160]!r}")
        for item, result in checked.wrong:
            flagged = sorted({violation.rule for violation in result.violations if violation.severity == "block"})
            print(f"  [{item['id']}] {'compliant blocked by ' + str(flagged) if item['allowed'] else 'unsafe allowed ' + str(item['must_flag'])}: "
                  f"{item['reply'][:160]!r}")
    print("\n".join(triaged.lines() + checked.lines()))


if __name__ == "__main__":
    main()
