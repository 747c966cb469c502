"""A small learned classifier of clauses: the local extractor's second reader.

The cue rules say what a clause is when one of their phrases occurs in it; fresh text phrases things in
ways no list foresaw. This model was trained (tools/train_clause_model.py) on the clauses of the labelled
sets under eval/, each labelled with the kind of the finding whose keyword groups it holds, or "none".
It reads lower-cased word unigrams and bigrams (each counted once per clause), a few shape features (a modal
or request word first, a negation, a question, a number, the length, the signal's profile, the heading's
hint) and the kinds the cue rules gave the clause. It is linear: a clause's score for a class is the class's
bias plus the weights of its features, and the posteriors are their softmax. The shipped weights are a
weighted mean of a multinomial naive Bayes's (log probabilities, a share of 0.3) and a logistic regression's
(0.7), both trained on the same examples (`from_weights`); a naive Bayes alone can be made from counts
(`from_counts`).

The extractor takes a clause no rule claimed as a finding of a kind in `kinds` when that kind's posterior
is at least `threshold` (or its own in `thresholds`), and drops a rule's clause the model calls "none" with
a posterior of at least `veto`; with `relabel`, a rule's clause whose cues scored under `relabel_score` (one
weak cue, or a heading's hint) takes the kind the model is that sure of.

Pure Python, no download: the model is the JSON file beside this module (classes, biases and per-feature
weights, and the policy above); the same text always gives the same answer.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MODEL_PATH = Path(__file__).with_name("clause_model.json")
NONE = "none"
ALPHA = 0.2  # additive smoothing of the feature counts
WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
LEADING_MODALS = frozenset({
    "would", "could", "should", "can", "will", "wish", "please", "need", "needs", "want", "wants", "i'd", "we'd",
    "it'd", "if", "without", "only", "hope", "love",
})
NEGATIONS = frozenset({
    "not", "no", "never", "nothing", "cannot", "can't", "don't", "doesn't", "didn't", "won't", "isn't", "aren't",
    "wasn't", "without",
})


def tokens(quote: str) -> list[str]:
    return WORD.findall(quote.lower().replace("’", "'"))


def features(
    quote: str,
    profile: str,
    hint: str | None = None,
    subject: bool = False,
    rule_kinds: tuple[str, ...] = (),
) -> list[str]:
    """The clause's features: each word and pair of words once, its shape, and the kinds the cue rules
    gave it ("r:none" when they gave it none)."""
    words = tokens(quote)
    found = {f"w:{w}" for w in words}
    found |= {f"b:{a} {b}" for a, b in zip(["<s>", *words], words, strict=False)}
    if words and words[0] in LEADING_MODALS:
        found.add("s:modal-first")
    if NEGATIONS & set(words):
        found.add("s:negation")
    if quote.rstrip().endswith("?"):
        found.add("s:question")
    if any(w.isdigit() for w in words):
        found.add("s:number")
    found.add(f"s:length-{min(len(words) // 4, 5)}")
    found.add(f"s:profile-{profile}")
    found.add(f"s:hint-{hint or 'none'}")
    if subject:
        found.add("s:subject")
    found |= {f"r:{kind}" for kind in rule_kinds} or {"r:none"}
    return sorted(found)


@dataclass(frozen=True)
class ClauseModel:
    classes: tuple[str, ...]
    priors: tuple[float, ...]  # bias per class (for naive Bayes, the log prior)
    weights: dict[str, tuple[float, ...]]  # per feature, its weight per class (naive Bayes: log P(feature | class))
    threshold: float
    kinds: tuple[str, ...] = ("feature_request", "bug")  # the kinds a learned finding may have
    thresholds: tuple[tuple[str, float], ...] = ()  # a posterior other than `threshold` for some kinds
    veto: float = 2.0  # a rule's clause the model calls "none" with this posterior is no finding (2: never)
    relabel: float = 2.0  # a rule's clause the model gives another kind with this posterior takes that kind…
    relabel_score: float = math.inf  # …when every statement the rules made of it scored under this

    @classmethod
    def from_data(cls, data: dict) -> ClauseModel:
        """A model from what the training tool writes: weights, or a naive Bayes's counts."""
        return cls.from_weights(data) if "weights" in data else cls.from_counts(data)

    @classmethod
    def from_weights(cls, data: dict) -> ClauseModel:
        return cls(
            classes=tuple(data["classes"]),
            priors=tuple(data["bias"]),
            weights={feature: tuple(w) for feature, w in data["weights"].items()},
            **cls._policy(data),
        )

    @classmethod
    def _policy(cls, data: dict) -> dict:
        return {
            "threshold": float(data["threshold"]),
            "kinds": tuple(data.get("kinds", cls.kinds)),
            "thresholds": tuple(sorted(data.get("thresholds", {}).items())),
            "veto": float(data.get("veto", cls.veto)),
            "relabel": float(data.get("relabel", cls.relabel)),
            "relabel_score": float(data.get("relabel_score", cls.relabel_score)),
        }

    @classmethod
    def from_counts(cls, data: dict) -> ClauseModel:
        """A multinomial naive Bayes from per-class counts of examples and features (`count`)."""
        classes = tuple(data["classes"])
        class_counts = data["class_counts"]
        feature_counts: dict[str, list[int]] = data["feature_counts"]
        vocabulary = len(feature_counts)
        totals = [sum(counts[i] for counts in feature_counts.values()) for i in range(len(classes))]
        denominators = [math.log(totals[i] + ALPHA * vocabulary) for i in range(len(classes))]
        weights = {
            feature: tuple(math.log(counts[i] + ALPHA) - denominators[i] for i in range(len(classes)))
            for feature, counts in feature_counts.items()
        }
        documents = sum(class_counts)
        return cls(
            classes=classes,
            priors=tuple(math.log(c / documents) for c in class_counts),
            weights=weights,
            **cls._policy(data),
        )

    def posteriors(self, feats: Iterable[str]) -> dict[str, float]:
        scores = list(self.priors)
        for feature in feats:
            weight = self.weights.get(feature)
            if weight is None:
                continue  # never seen in training: says nothing
            for i, w in enumerate(weight):
                scores[i] += w
        top = max(scores)
        exp = [math.exp(s - top) for s in scores]
        total = sum(exp)
        return {c: e / total for c, e in zip(self.classes, exp, strict=True)}

    def predict(self, feats: Iterable[str]) -> tuple[str, float]:
        """(the most likely class, its posterior); ties go to the class listed first."""
        post = self.posteriors(feats)
        best = max(self.classes, key=lambda c: (post[c], -self.classes.index(c)))
        return best, post[best]

    def kind_of(self, feats: Iterable[str]) -> str | None:
        """The kind the clause states, when the model is sure enough of it; else None."""
        kind, probability = self.predict(feats)
        if kind not in self.kinds or probability < dict(self.thresholds).get(kind, self.threshold):
            return None
        return kind


def count(examples: Sequence[tuple[list[str], str]], classes: Sequence[str], min_count: int = 2) -> dict:
    """The counts a model is made of, from (features, class) examples; features seen fewer than
    `min_count` times are dropped."""
    index = {c: i for i, c in enumerate(classes)}
    class_counts = [0] * len(classes)
    feature_counts: dict[str, list[int]] = {}
    for feats, label in examples:
        class_counts[index[label]] += 1
        for feature in feats:
            feature_counts.setdefault(feature, [0] * len(classes))[index[label]] += 1
    kept = {f: c for f, c in sorted(feature_counts.items()) if sum(c) >= min_count}
    return {"classes": list(classes), "class_counts": class_counts, "feature_counts": kept}


@lru_cache(maxsize=1)
def default_model() -> ClauseModel | None:
    """The model shipped with the package, or None when there is none."""
    if not MODEL_PATH.exists():
        return None
    return ClauseModel.from_data(json.loads(MODEL_PATH.read_text(encoding="utf-8")))
