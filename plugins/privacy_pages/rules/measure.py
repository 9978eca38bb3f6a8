"""How right `check` is on real documents: its findings against a lawyer's expectations.

A corpus is a folder with ``documents/`` (controller files modelled from real documents) and
``expected/`` (one file per document: the findings a lawyer expects, each a rule and the JSON
pointer of the place to fix). A finding matches an expectation of the same document, rule
and place; precision and recall follow per rule and per severity. The suite's corpus test,
``bench/corpus_bench.py`` and the measured column of ``docs/rules.md`` all read this module.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from privacy_pages.atomic import write_text_atomic
from privacy_pages.check import CheckOptions, run_check
from privacy_pages.data_yaml import load_yaml
from privacy_pages.diagnostics import Diagnostic
from privacy_pages.rules import REGISTRY

Key = tuple[str, str, str]  # (document, rule, JSON pointer)


@dataclass
class Score:
    """Counts of one rule (or one severity) on the corpus."""

    true: int = 0
    false: int = 0
    missed: int = 0

    @property
    def precision(self) -> float | None:
        """Share of findings that were expected; None when the rule found nothing."""
        found = self.true + self.false
        return self.true / found if found else None

    @property
    def recall(self) -> float | None:
        """Share of expected findings that were found; None when none was expected."""
        expected = self.true + self.missed
        return self.true / expected if expected else None

    def add(self, other: Score) -> None:
        self.true += other.true
        self.false += other.false
        self.missed += other.missed


@dataclass
class Measurement:
    """Findings against expectations, per rule, with the mismatches named."""

    documents: int
    rules: dict[str, Score] = field(default_factory=dict)
    false: list[Diagnostic] = field(default_factory=list)
    missed: list[Key] = field(default_factory=list)

    def by_severity(self) -> dict[str, Score]:
        totals: dict[str, Score] = {}
        for rule_id, score in self.rules.items():
            label = REGISTRY.get(rule_id).severity.label if rule_id in REGISTRY else "?"
            totals.setdefault(label, Score()).add(score)
        return totals

    def total(self) -> Score:
        result = Score()
        for score in self.rules.values():
            result.add(score)
        return result


def load_expectations(folder: Path) -> Counter[Key]:
    """Every expected finding of ``folder``/*.yaml as (document, rule, pointer), counted."""
    expected: Counter[Key] = Counter()
    for path in sorted(folder.glob("*.yaml")):
        data = load_yaml(path.read_text(encoding="utf-8")) or {}
        document = str(data.get("document") or path.stem)
        for entry in data.get("expected") or ():
            expected[(document, str(entry["rule"]), str(entry.get("at") or ""))] += 1
    return expected


def measure(corpus: Path, options: CheckOptions | None = None) -> Measurement:
    """Run `check` over ``corpus``/documents and score it against ``corpus``/expected."""
    documents = corpus / "documents"
    expected = load_expectations(corpus / "expected")
    result = run_check([documents], options or CheckOptions())
    return compare(result.diagnostics, expected, documents=len(result.files))


def compare(
    diagnostics: Iterable[Diagnostic], expected: Mapping[Key, int], documents: int = 0
) -> Measurement:
    """Match findings with expectations: same document (file stem), rule and pointer."""
    remaining = Counter(expected)
    measurement = Measurement(documents=documents)
    for diagnostic in diagnostics:
        key = (Path(diagnostic.path).stem, diagnostic.rule, diagnostic.pointer)
        score = measurement.rules.setdefault(diagnostic.rule, Score())
        if remaining[key] > 0:
            remaining[key] -= 1
            score.true += 1
        else:
            score.false += 1
            measurement.false.append(diagnostic)
    for key, count in sorted(remaining.items()):
        if count > 0:
            measurement.rules.setdefault(key[1], Score()).missed += count
            measurement.missed.extend([key] * count)
    return measurement


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.0f} %"


def table(measurement: Measurement) -> str:
    """Precision and recall per rule, then per severity, as aligned text."""
    header = (
        f"{'rule':<10}{'severity':<9}{'found':>6}{'true':>6}{'false':>6}{'missed':>7}"
        f"{'precision':>11}{'recall':>8}"
    )
    lines = [f"corpus: {measurement.documents} documents", header]
    for rule_id in sorted(measurement.rules):
        score = measurement.rules[rule_id]
        label = REGISTRY.get(rule_id).severity.label if rule_id in REGISTRY else "?"
        lines.append(
            f"{rule_id:<10}{label:<9}{score.true + score.false:>6}{score.true:>6}"
            f"{score.false:>6}{score.missed:>7}{_percent(score.precision):>11}"
            f"{_percent(score.recall):>8}"
        )
    for label, score in sorted(measurement.by_severity().items()):
        lines.append(
            f"{'all':<10}{label:<9}{score.true + score.false:>6}{score.true:>6}"
            f"{score.false:>6}{score.missed:>7}{_percent(score.precision):>11}"
            f"{_percent(score.recall):>8}"
        )
    total = measurement.total()
    lines.append(
        f"{'all':<10}{'':<9}{total.true + total.false:>6}{total.true:>6}{total.false:>6}"
        f"{total.missed:>7}{_percent(total.precision):>11}{_percent(total.recall):>8}"
    )
    return "\n".join(lines) + "\n"


def mismatches(measurement: Measurement) -> str:
    """Each false and each missed finding on a line, for a failing test or a bench run."""
    lines = [
        f"false  {Path(d.path).stem} {d.rule} {d.pointer or '(file)'}: {d.message}"
        for d in measurement.false
    ]
    lines += [f"missed {doc} {rule} {at or '(file)'}" for doc, rule, at in measurement.missed]
    return "\n".join(lines) + ("\n" if lines else "")


RECORD = "data/corpus_precision.json"
"""Each rule's measured figures on the corpus, shipped for the rule reference."""


def precision_record(measurement: Measurement) -> dict[str, Any]:
    """The figures docs/rules.md shows: per rule, findings, true ones and expected ones."""
    return {
        "documents": measurement.documents,
        "rules": {
            rule_id: {
                "found": score.true + score.false,
                "true": score.true,
                "expected": score.true + score.missed,
            }
            for rule_id, score in sorted(measurement.rules.items())
        },
    }


def load_record() -> dict[str, Any]:
    """The recorded figures (empty when none were recorded)."""
    resource = resources.files("privacy_pages").joinpath(RECORD)
    if not resource.is_file():
        return {"documents": 0, "rules": {}}
    return json.loads(resource.read_text(encoding="utf-8"))


def write_record(record: dict[str, Any]) -> Path:
    path = Path(str(resources.files("privacy_pages").joinpath(RECORD)))
    write_text_atomic(path, json.dumps(record, indent=2, sort_keys=True) + "\n")
    return path
