"""Train the local extractor's clause model (signalgraph/processing/extract/clause_model.json).

Every clause the segmenter cuts from a labelled signal of the training sets is an example: its class is
the kind of the label whose keyword groups it holds (the first such label, required ones first), else
"none". The model counts them (see clause_model.py). eval/holdout6 is never read here: it is the set
still held out.

    python tools/train_clause_model.py --cv                 # leave one set out, per threshold
    python tools/train_clause_model.py --threshold 0.9      # write the model trained on every set
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections import Counter
from pathlib import Path

from signalgraph.processing.extract import clause_model
from signalgraph.processing.extract.base import KINDS, ExtractionRequest
from signalgraph.processing.extract.evaluation import LabelledSignal, _normalise, evaluate, load_set
from signalgraph.processing.extract.local import LocalExtractor, clause_features, clauses_of

ROOT = Path(__file__).resolve().parents[1]
TRAINING_SETS = ("set", "holdout", "holdout2", "holdout3", "holdout4", "holdout5")  # never holdout6
CLASSES = (*KINDS, clause_model.NONE)
THRESHOLDS = (0.5, 0.7, 0.8, 0.9, 0.95, 0.99)


def clause_class(quote: str, signal: LabelledSignal) -> str:
    haystack = _normalise(quote)
    for label in sorted(signal.labels, key=lambda label: label.optional):
        if all(any(word in haystack for word in group) for group in label.keywords):
            return label.kind
    return clause_model.NONE


def examples(signals: list[LabelledSignal]) -> list[tuple[list[str], str]]:
    found = []
    for signal in signals:
        request = ExtractionRequest(text=signal.text, signal_type=signal.type)
        for clause in clauses_of(request)[0]:
            quote = signal.text[clause.start : clause.end]
            found.append((clause_features(signal.text, clause, request.profile), clause_class(quote, signal)))
    return found


def train(signals: list[LabelledSignal], threshold: float) -> dict:
    return {**clause_model.count(examples(signals), CLASSES), "threshold": threshold}


def cross_validate(sets: dict[str, list[LabelledSignal]]) -> None:
    """Leave one set out: train on the others, score the one left out with and without the model."""
    pooled: dict[float | None, Counter] = {}
    for held, signals in sets.items():
        counts = train([s for name, other in sets.items() if name != held for s in other], 1.0)
        for threshold in (None, *THRESHOLDS):
            model = None if threshold is None else clause_model.ClauseModel.from_counts({**counts, "threshold": threshold})
            report = asyncio.run(evaluate(LocalExtractor(model or _NoModel()), signals))
            o = report.overall
            pooled.setdefault(threshold, Counter()).update(
                found=o.found, correct=o.correct, labelled=o.labelled, recalled=o.recalled
            )
            print(f"{held:<10} {threshold or 'rules':<6} P {o.precision:.3f} R {o.recall:.3f}  ({o.found} found)")
    for threshold, c in pooled.items():
        print(
            f"pooled     {threshold or 'rules':<6} P {c['correct'] / c['found']:.3f} "
            f"R {c['recalled'] / c['labelled']:.3f}  ({c['found']} found)"
        )


class _NoModel(clause_model.ClauseModel):
    """A model that is never sure: the rules alone."""

    def __init__(self) -> None:
        super().__init__(classes=(clause_model.NONE,), priors=(0.0,), weights={}, unseen=(0.0,), threshold=2.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cv", action="store_true", help="cross-validate (leave one set out) instead of writing")
    parser.add_argument("--threshold", type=float, default=0.9, help="the posterior a kind needs (written model)")
    args = parser.parse_args()
    sets = {name: load_set(ROOT / "eval" / name) for name in TRAINING_SETS}
    if args.cv:
        cross_validate(sets)
        return
    data = train([s for signals in sets.values() for s in signals], args.threshold)
    clause_model.MODEL_PATH.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {clause_model.MODEL_PATH} ({len(data['feature_counts'])} features, classes {data['class_counts']})")


if __name__ == "__main__":
    main()
