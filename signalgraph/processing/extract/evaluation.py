"""Scoring an extractor against labelled signals: precision, recall and F1, overall, per kind and per
signal type, with the misses and the extra findings.

A set is a directory of TOML files (or one file) of `[[signal]]` tables, each with its labelled
`[[signal.finding]]`s; eval/README.md describes the format. A finding the extractor made matches a
label when its kind is the label's (or one the label accepts) and every keyword group of the label
has one alternative in the finding's name or evidence quotes; each label is matched by at most one
finding (a maximum matching, so the order of findings does not matter). Optional labels count
neither as a miss nor, when found, as an extra.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ...vocabulary import SIGNAL_TYPE_PROFILES
from .base import KINDS, ExtractionError, ExtractionRequest, Extractor, Finding
from .naming import is_analyst_name


class EvalSetError(ValueError):
    """A set file that cannot be read: the message names the file and the field."""


@dataclass(frozen=True)
class Label:
    kind: str
    name: str
    keywords: tuple[tuple[str, ...], ...]
    accept: tuple[str, ...] = ()
    optional: bool = False

    def matches(self, finding: Finding) -> bool:
        if finding.kind != self.kind and finding.kind not in self.accept:
            return False
        haystack = _normalise(" ".join([finding.name, *(e.quote for e in finding.evidence)]))
        return all(any(word in haystack for word in group) for group in self.keywords)


@dataclass(frozen=True)
class LabelledSignal:
    id: str
    type: str
    text: str
    labels: tuple[Label, ...]
    source: str


@dataclass
class Tally:
    found: int = 0  # extracted findings
    correct: int = 0  # extracted findings that match a label
    labelled: int = 0  # required labels
    recalled: int = 0  # required labels matched

    @property
    def precision(self) -> float:
        return self.correct / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.recalled / self.labelled if self.labelled else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_json(self) -> dict:
        return {
            "found": self.found,
            "correct": self.correct,
            "labelled": self.labelled,
            "recalled": self.recalled,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass
class Report:
    extractor: str
    signals: int = 0
    overall: Tally = field(default_factory=Tally)
    by_kind: dict[str, Tally] = field(default_factory=dict)
    by_type: dict[str, Tally] = field(default_factory=dict)
    misses: list[dict] = field(default_factory=list)
    extras: list[dict] = field(default_factory=list)
    names: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)  # signals the extractor failed on (scored as finding nothing)

    @property
    def bad_names(self) -> list[dict]:
        return [n for n in self.names if not is_analyst_name(n["name"])]

    def as_json(self) -> dict:
        return {
            "extractor": self.extractor,
            "signals": self.signals,
            "overall": self.overall.as_json(),
            "byKind": {k: t.as_json() for k, t in self.by_kind.items()},
            "bySignalType": {k: t.as_json() for k, t in self.by_type.items()},
            "misses": self.misses,
            "extras": self.extras,
            "badNames": self.bad_names,
            "errors": self.errors,
        }


def _normalise(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").replace("‘", "'").split())


def _strings(value: object, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        raise EvalSetError(f"{where}: expected a non-empty list of strings")
    return tuple(_normalise(v) for v in value)


def _label(raw: object, where: str) -> Label:
    if not isinstance(raw, dict):
        raise EvalSetError(f"{where}: expected a table")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise EvalSetError(f"{where}.kind: expected one of {', '.join(KINDS)}, got {kind!r}")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise EvalSetError(f"{where}.name: expected a non-empty string")
    groups = raw.get("keywords")
    if not isinstance(groups, list) or not groups:
        raise EvalSetError(f"{where}.keywords: expected a list of keyword groups")
    accept = _strings(raw["accept"], f"{where}.accept") if "accept" in raw else ()
    if set(accept) - set(KINDS):
        raise EvalSetError(f"{where}.accept: expected kinds among {', '.join(KINDS)}")
    optional = raw.get("optional", False)
    if not isinstance(optional, bool):
        raise EvalSetError(f"{where}.optional: expected true or false")
    return Label(
        kind=kind,
        name=name.strip(),
        keywords=tuple(_strings(g, f"{where}.keywords[{i}]") for i, g in enumerate(groups)),
        accept=accept,
        optional=optional,
    )


def load_set(path: Path) -> list[LabelledSignal]:
    """Every labelled signal in `path` (a TOML file, or a directory searched recursively), in file order."""
    files = sorted(path.rglob("*.toml")) if path.is_dir() else [path]
    if not path.exists() or not files:
        raise EvalSetError(f"{path}: no such set (a .toml file or a directory of them)")
    signals: list[LabelledSignal] = []
    seen: set[str] = set()
    for file in files:
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise EvalSetError(f"{file}: {exc}") from exc
        for i, raw in enumerate(data.get("signal", [])):
            where = f"{file}: signal[{i}]"
            sid, stype, text = raw.get("id"), raw.get("type"), raw.get("text")
            if not isinstance(sid, str) or not sid or sid in seen:
                raise EvalSetError(f"{where}.id: expected a unique non-empty string, got {sid!r}")
            if stype not in SIGNAL_TYPE_PROFILES:
                raise EvalSetError(f"{where}.type: expected one of {', '.join(SIGNAL_TYPE_PROFILES)}")
            if not isinstance(text, str) or not text.strip():
                raise EvalSetError(f"{where}.text: expected the signal's text")
            seen.add(sid)
            labels = tuple(_label(f, f"{where}.finding[{j}]") for j, f in enumerate(raw.get("finding", [])))
            signals.append(LabelledSignal(sid, stype, text, labels, str(file)))
    if not signals:
        raise EvalSetError(f"{path}: the set has no [[signal]] tables")
    return signals


def match(labels: tuple[Label, ...], findings: tuple[Finding, ...]) -> dict[int, int]:
    """A maximum one-to-one matching of labels to findings: {label index: finding index}."""
    candidates = [[j for j, f in enumerate(findings) if label.matches(f)] for label in labels]
    owner: dict[int, int] = {}  # finding index → label index

    def augment(i: int, visited: set[int]) -> bool:
        for j in candidates[i]:
            if j in visited:
                continue
            visited.add(j)
            if j not in owner or augment(owner[j], visited):
                owner[j] = i
                return True
        return False

    # Required labels first, so an optional one never takes the only finding a required one has.
    for i in sorted(range(len(labels)), key=lambda i: labels[i].optional):
        augment(i, set())
    return {i: j for j, i in owner.items()}


def _tally(table: dict[str, Tally], key: str) -> Tally:
    return table.setdefault(key, Tally())


def score(report: Report, signal: LabelledSignal, findings: tuple[Finding, ...]) -> None:
    matched = match(signal.labels, findings)
    matched_findings = {j: signal.labels[i] for i, j in matched.items()}
    report.signals += 1
    by_type = _tally(report.by_type, signal.type)
    for i, label in enumerate(signal.labels):
        if label.optional:
            continue
        hit = i in matched
        for tally in (report.overall, by_type, _tally(report.by_kind, label.kind)):
            tally.labelled += 1
            tally.recalled += hit
        if not hit:
            report.misses.append({"signal": signal.id, "type": signal.type, "kind": label.kind, "name": label.name})
    for j, finding in enumerate(findings):
        report.names.append({"signal": signal.id, "kind": finding.kind, "name": finding.name})
        matched_label = matched_findings.get(j)
        if matched_label is not None and matched_label.optional:
            continue  # an optional finding found: neither right nor wrong
        for tally in (report.overall, by_type, _tally(report.by_kind, finding.kind)):
            tally.found += 1
            tally.correct += matched_label is not None
        if matched_label is None:
            quote = finding.evidence[0].quote if finding.evidence else ""
            report.extras.append(
                {"signal": signal.id, "type": signal.type, "kind": finding.kind, "name": finding.name, "quote": quote}
            )


async def evaluate(extractor: Extractor, signals: Iterable[LabelledSignal]) -> Report:
    """Run `extractor` on every signal, one at a time, and score what it finds."""
    report = Report(extractor=extractor.name)
    for signal in signals:
        try:
            extraction = await extractor.extract(ExtractionRequest(text=signal.text, signal_type=signal.type))
        except ExtractionError as exc:
            report.errors.append({"signal": signal.id, "error": str(exc)})
            score(report, signal, ())
            continue
        score(report, signal, extraction.findings)
    report.by_kind = {k: report.by_kind[k] for k in KINDS if k in report.by_kind}
    report.by_type = {k: report.by_type[k] for k in SIGNAL_TYPE_PROFILES if k in report.by_type}
    return report


def _rows(title: str, table: dict[str, Tally]) -> list[str]:
    lines = [f"{title:<18} {'found':>6} {'correct':>8} {'labelled':>9} {'recalled':>9} {'P':>6} {'R':>6} {'F1':>6}"]
    for key, t in table.items():
        lines.append(
            f"{key:<18} {t.found:>6} {t.correct:>8} {t.labelled:>9} {t.recalled:>9} "
            f"{t.precision:>6.3f} {t.recall:>6.3f} {t.f1:>6.3f}"
        )
    return lines


def render(report: Report, *, extras: bool = True) -> str:
    """The report as plain-text tables: totals, per kind, per signal type, misses, extras, bad names."""
    lines = [f"extractor {report.extractor} on {report.signals} signals", ""]
    lines += _rows("overall", {"all": report.overall}) + [""]
    lines += _rows("kind", report.by_kind) + [""]
    lines += _rows("signal type", report.by_type) + [""]
    lines.append(f"misses ({len(report.misses)})")
    lines += [f"  {m['signal']:<12} {m['kind']:<16} {m['name']}" for m in report.misses]
    if extras:
        lines += ["", f"extra findings ({len(report.extras)})"]
        lines += [f"  {e['signal']:<12} {e['kind']:<16} {e['name']}  ← “{e['quote']}”" for e in report.extras]
    bad = report.bad_names
    lines += ["", f"names that are not analyst names ({len(bad)})"]
    lines += [f"  {n['signal']:<12} {n['kind']:<16} {n['name']}" for n in bad]
    if report.errors:
        lines += ["", f"extractor errors ({len(report.errors)})"]
        lines += [f"  {e['signal']:<12} {e['error']}" for e in report.errors]
    return "\n".join(lines)
