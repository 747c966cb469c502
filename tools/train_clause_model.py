"""Train the local extractor's clause model (signalgraph/processing/extract/clause_model.json).

Every clause the segmenter cuts from a labelled signal of the training sets is an example: its class is
the kind of the label whose keyword groups it holds (the first such label, required ones first), else
"none"; its features are its words and shape and the kinds the cue rules gave it. The model counts them
(see clause_model.py) and carries the policy the extractor uses it with (POLICY).

The training sets are named in TRAINING_SETS (the tuned sets, holdout6 since the sixth round, and the
training batches train-a … train-n). A set held out for judging is never under eval/ while it is held out.

    python tools/train_clause_model.py --cv        # leave one set out, per policy in POLICIES
    python tools/train_clause_model.py             # write the model trained on every set, with POLICY
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
from collections import Counter
from pathlib import Path

from signalgraph.processing.extract import clause_model
from signalgraph.processing.extract.base import KINDS, ExtractionRequest
from signalgraph.processing.extract.evaluation import LabelledSignal, _normalise, evaluate, load_set
from signalgraph.processing.extract.local import LocalExtractor, readings

ROOT = Path(__file__).resolve().parents[1]
TUNED_SETS = ("set", "holdout", "holdout2", "holdout3", "holdout4", "holdout5")  # the cue rules were tuned on them
# The sets the shipped model learned from, named so that a batch added under eval/ changes the model only
# when it is added here and the model retrained (its ratchets and the cross-validation then looked at).
TRAINING_BATCHES = tuple(f"train-{letter}" for letter in "abcdefghijklmn")
TRAINING_SETS = (*TUNED_SETS, "holdout6", *TRAINING_BATCHES)
CLASSES = (*KINDS, clause_model.NONE)
# How the extractor uses the model (chosen by --cv on the sets the rules were not tuned on): a clause no
# rule claimed becomes a finding of any kind whose posterior is at least `threshold`; a rule's clause the
# model calls "none" with a posterior of at least `veto` is dropped; one whose cues were weak (every
# statement scored under `relabel_score`) takes the kind the model gives it with at least `relabel`.
POLICY = {"threshold": 0.7, "kinds": list(KINDS), "veto": 0.6, "relabel": 0.9, "relabel_score": 1.5}
RULES_ONLY = {"threshold": 2.0, "kinds": [], "veto": 2.0}
POLICIES = {
    "rules": RULES_ONLY,
    "requests+bugs 0.9": {"threshold": 0.9, "kinds": ["feature_request", "bug"]},
    "all 0.7": {"threshold": 0.7, "kinds": list(KINDS)},
    "all 0.7 veto 0.7": {"threshold": 0.7, "kinds": list(KINDS), "veto": 0.7},
    "all 0.8 veto 0.7": {"threshold": 0.8, "kinds": list(KINDS), "veto": 0.7},
    "all 0.7 veto 0.6 relabel 0.9": {**POLICY, "relabel_score": math.inf},
    "all 0.7 veto 0.6 relabel 0.9 weak": POLICY,
    "all 0.7 veto 0.6 relabel 0.9 under 2": {**POLICY, "relabel_score": 2.0},
    "all 0.5 veto 0.5 relabel 0.8 weak": {**POLICY, "threshold": 0.5, "veto": 0.5, "relabel": 0.8},
}


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
        for clause, _, feats in readings(request)[0]:
            found.append((feats, clause_class(signal.text[clause.start : clause.end], signal)))
    return found


def train(signals: list[LabelledSignal], policy: dict | None = None) -> dict:
    return {**clause_model.count(examples(signals), CLASSES), **(POLICY if policy is None else policy)}


def cross_validate(sets: dict[str, list[LabelledSignal]]) -> None:
    """Leave one set out: train on the others, score the one left out under each policy. The pooled
    figures over the sets the rules were not tuned on ("fresh") are the ones to choose by."""
    pooled: dict[str, Counter] = {name: Counter() for name in POLICIES}
    for held, signals in sets.items():
        counts = train([s for name, other in sets.items() if name != held for s in other], {})
        for name, policy in POLICIES.items():
            model = clause_model.ClauseModel.from_counts({**counts, **policy})
            o = asyncio.run(evaluate(LocalExtractor(model), signals)).overall
            figures = Counter(found=o.found, correct=o.correct, labelled=o.labelled, recalled=o.recalled)
            pooled[name].update(figures)
            if held not in TUNED_SETS:
                pooled[name].update({f"fresh {k}": v for k, v in figures.items()})
            print(f"{held:<10} {name:<30} P {o.precision:.3f} R {o.recall:.3f}  ({o.found} found)")
    for name, c in pooled.items():
        for prefix in ("", "fresh "):
            precision = c[f"{prefix}correct"] / max(1, c[f"{prefix}found"])
            recall = c[f"{prefix}recalled"] / max(1, c[f"{prefix}labelled"])
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            print(f"pooled {prefix or 'all ':<6} {name:<30} P {precision:.3f} R {recall:.3f} F1 {f1:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cv", action="store_true", help="cross-validate (leave one set out) instead of writing")
    args = parser.parse_args()
    sets = {name: load_set(ROOT / "eval" / name) for name in TRAINING_SETS}
    if args.cv:
        cross_validate(sets)
        return
    data = train([s for signals in sets.values() for s in signals])
    clause_model.MODEL_PATH.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {clause_model.MODEL_PATH} ({len(data['feature_counts'])} features, classes {data['class_counts']})")


if __name__ == "__main__":
    main()
