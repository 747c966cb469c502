"""The learned clause model: deterministic features, a shipped model that training reproduces from the
labelled sets (never the held-out one), and the extractor using it only for clauses no rule claimed."""

from __future__ import annotations

import importlib.util
import json
import math
from pathlib import Path

import pytest

from signalgraph.processing.extract import clause_model
from signalgraph.processing.extract.base import ExtractionRequest
from signalgraph.processing.extract.local import extract

ROOT = Path(__file__).resolve().parents[3]


def _tool():
    spec = importlib.util.spec_from_file_location("train_clause_model", ROOT / "tools" / "train_clause_model.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _model(threshold: float) -> clause_model.ClauseModel:
    counts = {"classes": ["feature_request", "none"], "class_counts": [1, 1],
              "feature_counts": {"w:zebra": [30, 0], "w:thanks": [0, 30]}}
    return clause_model.ClauseModel.from_counts({**counts, "threshold": threshold})


def test_features_are_words_pairs_and_shape_in_a_fixed_order():
    feats = clause_model.features("Would LOVE a dark mode?", "review", None)

    assert feats == clause_model.features("Would LOVE a dark mode?", "review", None)
    assert {"w:love", "b:dark mode", "b:<s> would", "s:modal-first", "s:question", "s:profile-review"} <= set(feats)
    assert "r:none" in feats and "r:bug" in clause_model.features("It crashes.", "review", None, False, ("bug",))
    assert feats == sorted(feats)


def test_the_shipped_model_is_what_training_on_the_labelled_sets_writes():
    tool = _tool()
    shipped = json.loads(clause_model.MODEL_PATH.read_text(encoding="utf-8"))

    held_out = {"holdout8", "holdout9", "holdout10", "holdout11", "holdout12", "holdout13"}
    assert {"holdout7", "train-a"} <= set(tool.TRAINING_SETS) and held_out.isdisjoint(tool.TRAINING_SETS)
    signals = [s for name in tool.TRAINING_SETS for s in tool.load_set(ROOT / "eval" / name)]
    assert tool.train(signals) == shipped
    assert clause_model.default_model() is not None


def test_a_clause_no_rule_claims_is_a_finding_only_when_the_model_is_sure():
    request = ExtractionRequest(text="The zebra export to Jupiter.", signal_type="review")

    assert extract(request, _model(2.0)).findings == ()  # never sure: the rules alone find nothing here
    (finding,) = extract(request, _model(0.9)).findings
    assert finding.kind == "feature_request" and "zebra" in finding.name.lower()
    assert finding.evidence[0].quote == "The zebra export to Jupiter."


def _vetoing(veto: float) -> clause_model.ClauseModel:
    counts = {"classes": ["pain_point", "none"], "class_counts": [1, 1],
              "feature_counts": {"w:disclaimer": [0, 30], "w:zebra": [30, 0]}}
    return clause_model.ClauseModel.from_counts({**counts, "threshold": 0.9, "veto": veto})


def test_a_rules_clause_the_model_is_sure_states_nothing_is_dropped():
    request = ExtractionRequest(text="The disclaimer export is painfully slow.", signal_type="review")

    assert [f.kind for f in extract(request, _vetoing(2.0)).findings] == ["pain_point"]  # the rule's finding
    assert extract(request, _vetoing(0.9)).findings == ()  # "disclaimer" makes the model sure it is nothing


def test_a_learned_statement_just_before_a_rules_one_of_its_kind_on_its_line_joins_it():
    model = clause_model.ClauseModel.from_counts({
        "classes": ["pain_point", "none"], "class_counts": [1, 1],
        "feature_counts": {"w:zebra": [30, 0], "w:thanks": [0, 30]},
        "threshold": 0.9, "kinds": ["pain_point"],
    })
    request = ExtractionRequest(text="The zebra herd stampedes daily. The export is painfully slow.", signal_type="review")

    (finding,) = extract(request, model).findings
    assert finding.kind == "pain_point" and len(finding.evidence) == 2


def test_a_learned_statement_of_another_kind_with_a_subject_of_its_own_is_its_own_finding():
    model = clause_model.ClauseModel.from_counts({
        "classes": ["bug", "none"], "class_counts": [1, 1],
        "feature_counts": {"w:reaches": [30, 0], "w:thanks": [0, 30]}, "threshold": 0.9, "kinds": ["bug"],
    })

    def findings(text: str) -> list[tuple[str, str, int]]:
        found = extract(ExtractionRequest(text=text, signal_type="review"), model).findings
        return [(f.kind, f.name, len(f.evidence)) for f in found]

    # a sentence of its own about another subject: a point of its own, not more about the request before it
    assert findings("Would be five stars with a dark mode. The invoice PDF never reaches our accountant.") == [
        ("feature_request", "Dark mode", 1), ("bug", "Invoice PDF never reaches our accountant", 1),
    ]
    # about "it": more about the point before
    assert findings("Would be five stars with a dark mode. It reaches nobody on the night shift.") == [
        ("feature_request", "Dark mode", 2),
    ]


def test_a_rules_clause_takes_the_models_kind_only_when_its_cues_were_weak():
    counts = {"classes": ["bug", "none"], "class_counts": [1, 1],
              "feature_counts": {"w:export": [30, 0], "w:zebra": [0, 30]}}
    request = ExtractionRequest(text="The export is painfully slow.", signal_type="review")

    def kinds(relabel_score: float) -> list[str]:
        model = clause_model.ClauseModel.from_counts(
            {**counts, "threshold": 2.0, "relabel": 0.9, "relabel_score": relabel_score}
        )
        return [f.kind for f in extract(request, model).findings]

    assert kinds(float("inf")) == ["bug"]  # the model is sure: the clause is a bug
    assert kinds(0.0) == ["pain_point"]  # the rule's cue counts as strong: its kind stays


def _toy_examples() -> list[tuple[list[str], str]]:
    return [(["w:crash", "w:export"], "bug"), (["w:crash", "w:login"], "bug"), (["w:add", "w:export"], "feature_request"),
            (["w:add", "w:dark"], "feature_request"), (["w:thanks"], "none"), (["w:thanks", "w:team"], "none"),
            (["w:slow"], "pain_point"), (["w:love"], "praise"), (["w:how"], "question")] * 3


def test_the_logistic_regression_learns_what_its_examples_separate_the_same_way_each_time():
    tool = _tool()
    bias, weights = tool.logistic_regression(_toy_examples())
    model = clause_model.ClauseModel(classes=tool.CLASSES, priors=bias, weights=weights, threshold=0.5)

    assert model.predict(["w:crash"])[0] == "bug" and model.predict(["w:add"])[0] == "feature_request"
    assert model.predict(["w:thanks"])[0] == "none"
    assert tool.logistic_regression(_toy_examples()) == (bias, weights)


def test_the_shipped_data_is_a_weighted_mean_of_the_two_models_scores_and_keeps_their_posteriors():
    tool = _tool()
    learned = [tool.naive_bayes(_toy_examples()), tool.logistic_regression(_toy_examples())]
    data = tool.weights_data(tool.average([(learned[0], 0.3), (learned[1], 0.7)]))
    model = clause_model.ClauseModel.from_data({**data, "threshold": 0.5})
    feats = ["w:crash", "w:export", "w:unknown"]

    def scores(bias, weights):
        return [b + sum(weights[f][c] for f in feats if f in weights) for c, b in enumerate(bias)]

    mean = [0.3 * a + 0.7 * b for a, b in zip(*(scores(*m) for m in learned), strict=True)]
    exp = [math.exp(s - max(mean)) for s in mean]
    expected = {c: e / sum(exp) for c, e in zip(tool.CLASSES, exp, strict=True)}
    assert model.posteriors(feats) == pytest.approx(expected, abs=0.01)  # weights centred and rounded
    assert model.kind_of(feats) == "bug"
