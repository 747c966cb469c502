"""Train the local extractor's clause model (signalgraph/processing/extract/clause_model.json).

Every clause the segmenter cuts from a labelled signal of the training sets is an example: its class is
the kind of the label whose keyword groups it holds (the first such label, required ones first), else
"none"; its features are its words and shape and the kinds the cue rules gave it. Two linear models are
learned from them, a multinomial naive Bayes (its log probabilities) and a logistic regression, and the
model shipped is their weighted average (see clause_model.py); it carries the policy the extractor uses it with
(POLICY).

The training sets are named in TRAINING_SETS (the tuned sets, holdout6 since the sixth round, holdout7 since
the seventh, and the training batches train-a … train-z and train-aa … train-al). A set held out for judging
is never under eval/ while it is held out.

    python tools/train_clause_model.py --cv        # leave one set out, per variant in VARIANTS
    python tools/train_clause_model.py             # write the model trained on every set, with POLICY
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import random
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from signalgraph.processing.extract import clause_model
from signalgraph.processing.extract.base import KINDS, ExtractionRequest
from signalgraph.processing.extract.evaluation import LabelledSignal, _normalise, evaluate, load_set
from signalgraph.processing.extract.local import LocalExtractor, readings

ROOT = Path(__file__).resolve().parents[1]
TUNED_SETS = ("set", "holdout", "holdout2", "holdout3", "holdout4", "holdout5")  # the cue rules were tuned on them
# The sets the shipped model learned from, named so that a batch added under eval/ changes the model only
# when it is added here and the model retrained (its ratchets and the cross-validation then looked at).
TRAINING_BATCHES = (*(f"train-{c}" for c in "abcdefghijklmnopqrstuvwxyz"), *(f"train-a{c}" for c in "abcdefghijkl"))
TRAINING_SETS = (*TUNED_SETS, "holdout6", "holdout7", *TRAINING_BATCHES)
CLASSES = (*KINDS, clause_model.NONE)
Example = tuple[list[str], str]
Weights = tuple[tuple[float, ...], dict[str, tuple[float, ...]]]  # (bias per class, weights per feature)
# How the extractor uses the model (chosen by --cv on the sets the rules were not tuned on): a clause no
# rule claimed becomes a finding of any kind whose posterior is at least `threshold`; a rule's clause the
# model calls "none" with a posterior of at least `veto` is dropped; one whose cues were weak (every
# statement scored under `relabel_score`) takes the kind the model gives it with at least `relabel`.
# The veto was 0.7 until the tenth round (SEVENTH_ROUND); 0.6 keeps fewer clauses that only give a finding's
# context (eight folds of the training sets, eval/README.md).
POLICY = {"threshold": 0.55, "kinds": list(KINDS), "veto": 0.6, "relabel": 0.7, "relabel_score": 1.5}
SEVENTH_ROUND = {**POLICY, "veto": 0.7}
SIXTH_ROUND = {"threshold": 0.7, "kinds": list(KINDS), "veto": 0.6, "relabel": 0.9, "relabel_score": 1.5}
RULES_ONLY = {"threshold": 2.0, "kinds": [], "veto": 2.0}
# The logistic regression: epochs of stochastic gradient descent over the shuffled examples, a learning
# rate that decays by epoch, an L2 penalty, and the weights averaged over every step (less noisy than the
# last ones).
EPOCHS, RATE, L2, SEED = 10, 0.2, 1e-4, 0


def clause_class(quote: str, signal: LabelledSignal) -> str:
    haystack = _normalise(quote)
    for label in sorted(signal.labels, key=lambda label: label.optional):
        if all(any(word in haystack for word in group) for group in label.keywords):
            return label.kind
    return clause_model.NONE


def examples(signals: list[LabelledSignal]) -> list[Example]:
    found = []
    for signal in signals:
        request = ExtractionRequest(text=signal.text, signal_type=signal.type)
        for clause, _, feats in readings(request)[0]:
            found.append((feats, clause_class(signal.text[clause.start : clause.end], signal)))
    return found


def naive_bayes(training: Sequence[Example]) -> Weights:
    model = clause_model.ClauseModel.from_counts({**clause_model.count(training, CLASSES), "threshold": 2.0})
    return model.priors, model.weights


def logistic_regression(training: Sequence[Example], min_count: int = 2) -> Weights:
    """Softmax regression by averaged SGD with an L2 penalty, over the features seen `min_count` times."""
    k = len(CLASSES)
    seen = Counter(f for feats, _ in training for f in feats)
    vocabulary = sorted(f for f, n in seen.items() if n >= min_count)
    index = {f: i for i, f in enumerate(vocabulary)}
    data = [([index[f] for f in feats if f in index], CLASSES.index(label)) for feats, label in training]
    weights = [[0.0] * k for _ in vocabulary]
    bias = [0.0] * k
    # the average of the weights over all steps t is w - u / t, u summing each update times its step
    sums = [[0.0] * k for _ in vocabulary]
    bias_sums = [0.0] * k
    order = list(range(len(data)))
    rng = random.Random(SEED)
    step = 1
    for epoch in range(EPOCHS):
        rng.shuffle(order)
        rate = RATE / (1 + epoch / 2)
        for j in order:
            xs, y = data[j]
            scores = bias[:]
            for f in xs:
                for c, w in enumerate(weights[f]):
                    scores[c] += w
            top = max(scores)
            exp = [math.exp(s - top) for s in scores]
            total = sum(exp)
            gradient = [e / total for e in exp]
            gradient[y] -= 1.0
            for c in range(k):
                bias[c] -= rate * gradient[c]
                bias_sums[c] -= step * rate * gradient[c]
            for f in xs:
                w, u = weights[f], sums[f]
                for c in range(k):
                    d = rate * (gradient[c] + L2 * w[c])
                    w[c] -= d
                    u[c] -= step * d
            step += 1
    averaged = {f: tuple(w - u / step for w, u in zip(weights[i], sums[i], strict=True)) for f, i in index.items()}
    return tuple(b - u / step for b, u in zip(bias, bias_sums, strict=True)), averaged


def average(models: Sequence[tuple[Weights, float]]) -> Weights:
    """The weighted mean of linear models' scores is a linear model: the weighted mean of their biases and
    weights (a feature one of them does not know weighs 0 there)."""
    k = len(CLASSES)
    features = sorted(set().union(*(weights for (_, weights), _ in models)))
    zero = (0.0,) * k
    bias = tuple(sum(share * b[c] for (b, _), share in models) for c in range(k))
    return bias, {f: tuple(sum(share * w.get(f, zero)[c] for (_, w), share in models) for c in range(k)) for f in features}


NB_SHARE = 0.3  # of the shipped model's scores; the logistic regression's is the rest


def nb_and_logistic(training: Sequence[Example], nb_share: float = NB_SHARE) -> Weights:
    return average([(naive_bayes(training), nb_share), (logistic_regression(training), 1 - nb_share)])


# Candidates compared by --cv: (learner, policy). "NB+LR" is the shipped learner (`nb_and_logistic`),
# "NB+LR 0.5" gives both models the same share.
VARIANTS: dict[str, tuple[str, dict]] = {
    "rules alone": ("NB", RULES_ONLY),
    "NB, sixth round's policy": ("NB", SIXTH_ROUND),
    "NB, t 0.55 v 0.7 r 0.7": ("NB", SEVENTH_ROUND),
    "LR, t 0.55 v 0.7 r 0.7": ("LR", SEVENTH_ROUND),
    "LR, t 0.4 v 0.4 r 0.7": ("LR", {**POLICY, "threshold": 0.4, "veto": 0.4}),
    "NB+LR 0.5, sixth round's policy": ("NB+LR 0.5", SIXTH_ROUND),
    "NB+LR 0.5, t 0.5 v 0.5 r 0.8": ("NB+LR 0.5", {**POLICY, "veto": 0.5, "relabel": 0.8}),
    "NB+LR 0.5, t 0.7 v 0.7 r 0.8": ("NB+LR 0.5", {**SEVENTH_ROUND, "threshold": 0.7, "relabel": 0.8}),
    "NB+LR, sixth round's policy": ("NB+LR", SIXTH_ROUND),
    "NB+LR, t 0.5 v 0.5 r 0.8": ("NB+LR", {**POLICY, "veto": 0.5, "relabel": 0.8}),
    "NB+LR, t 0.5 v 0.7 r 0.7": ("NB+LR", {**SEVENTH_ROUND, "threshold": 0.5}),
    "NB+LR, t 0.55 v 0.7 r 0.7 (seventh round)": ("NB+LR", SEVENTH_ROUND),
    "NB+LR, t 0.55 v 0.6 r 0.7 (shipped)": ("NB+LR", POLICY),
}


def weights_data(model: Weights) -> dict:
    """The model as JSON data: each weight vector less its mean (the same posteriors: a softmax does not
    change when every class's score moves by the same amount), rounded to three decimals."""
    bias, weights = model

    def centred(w: Sequence[float]) -> list[float]:
        mean = sum(w) / len(w)
        return [round(x - mean, 3) + 0.0 for x in w]

    return {
        "classes": list(CLASSES),
        "bias": centred(bias),
        "weights": {f: centred(w) for f, w in sorted(weights.items())},
    }


def train(signals: list[LabelledSignal], policy: dict | None = None) -> dict:
    return {**weights_data(nb_and_logistic(examples(signals))), **(POLICY if policy is None else policy)}


def cross_validate(sets: dict[str, list[LabelledSignal]]) -> None:
    """Leave one set out: train on the others, score the one left out under each variant. The pooled
    figures over the sets the rules were not tuned on ("fresh") are the ones to choose by."""
    pooled: dict[str, Counter] = {name: Counter() for name in VARIANTS}
    found = {name: examples(signals) for name, signals in sets.items()}
    for held, signals in sets.items():
        training = [e for name, other in found.items() if name != held for e in other]
        nb, lr = naive_bayes(training), logistic_regression(training)
        learned = {
            "NB": weights_data(nb),
            "LR": weights_data(lr),
            "NB+LR 0.5": weights_data(average([(nb, 0.5), (lr, 0.5)])),
            "NB+LR": weights_data(average([(nb, NB_SHARE), (lr, 1 - NB_SHARE)])),
        }
        for name, (learner, policy) in VARIANTS.items():
            model = clause_model.ClauseModel.from_data({**learned[learner], **policy})
            o = asyncio.run(evaluate(LocalExtractor(model), signals)).overall
            figures = Counter(found=o.found, correct=o.correct, labelled=o.labelled, recalled=o.recalled)
            pooled[name].update(figures)
            if held not in TUNED_SETS:
                pooled[name].update({f"fresh {k}": v for k, v in figures.items()})
            print(f"{held:<10} {name:<36} P {o.precision:.3f} R {o.recall:.3f}  ({o.found} found)", flush=True)
    for name, c in pooled.items():
        for prefix in ("", "fresh "):
            precision = c[f"{prefix}correct"] / max(1, c[f"{prefix}found"])
            recall = c[f"{prefix}recalled"] / max(1, c[f"{prefix}labelled"])
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            print(f"pooled {prefix or 'all ':<6} {name:<36} P {precision:.3f} R {recall:.3f} F1 {f1:.3f}")


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
    print(f"wrote {clause_model.MODEL_PATH} ({len(data['weights'])} features)")


if __name__ == "__main__":
    main()
