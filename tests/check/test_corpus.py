"""`check` on real documents: every rule's findings against a lawyer's expectations.

The corpus is tests/data/corpus (documents modelled from real French documents, and the
findings a lawyer expects in each, written before `check` ran on them). Every rule fails the
suite when its precision falls under 90 % or when it misses an expected finding, errors and
warnings alike, with no exemption: a rule is fixed, or an expectation corrected with its
legal reason written beside it (`corrected:`). The table of precision and recall per rule
and per severity is printed at the end of the run.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from privacy_pages.rules.measure import (
    Measurement,
    load_record,
    measure,
    mismatches,
    precision_record,
    table,
)

from .conftest import CORPUS_TABLE

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
PRECISION = 0.9


@pytest.fixture(scope="module")
def measurement(request: pytest.FixtureRequest) -> Measurement:
    result = measure(CORPUS)
    request.config.stash[CORPUS_TABLE] = table(result)
    return result


def _failing(measurement: Measurement) -> dict[str, str]:
    """Rules under the precision threshold or missing an expected finding, with why."""
    failing = {}
    for rule_id, score in measurement.rules.items():
        reasons = []
        if score.precision is not None and score.precision < PRECISION:
            reasons.append(f"precision {score.precision:.0%}")
        if score.missed:
            reasons.append(f"{score.missed} expected finding(s) missed")
        if reasons:
            failing[rule_id] = ", ".join(reasons)
    return failing


def test_every_document_has_its_expectations() -> None:
    documents = {p.stem for p in (CORPUS / "documents").glob("*.yaml")}
    expected = {p.stem for p in (CORPUS / "expected").glob("*.yaml")}
    assert len(documents) >= 12
    assert documents == expected


def test_every_document_names_its_source() -> None:
    for path in sorted((CORPUS / "documents").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        source = data["meta"]["source"]
        assert source["url"].startswith("https://") and source["retrieved"], path
        assert "commit" in path.read_text(encoding="utf-8").split("schema_version")[0], path


def test_rules_are_right_on_real_documents(measurement: Measurement) -> None:
    failing = _failing(measurement)
    assert not failing, (
        table(measurement)
        + mismatches(measurement)
        + "".join(f"{rule}: {why}\n" for rule, why in sorted(failing.items()))
    )


def test_no_rule_is_exempted() -> None:
    """The corpus holds no list of rules let off the thresholds (the pending.yaml of issue
    18's first half, emptied when the law review landed)."""
    assert sorted(p.name for p in CORPUS.iterdir()) == ["README.md", "documents", "expected"]


def test_every_corrected_expectation_says_why() -> None:
    """An expectation changed after check ran carries its legal reason (`corrected`)."""
    for path in sorted((CORPUS / "expected").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for entry in data.get("expected") or ():
            assert set(entry) <= {"rule", "at", "why", "corrected"}, (path, entry)
            assert len(str(entry.get("why", "")).split()) >= 5, (path, entry)
            if "corrected" in entry:
                assert len(str(entry["corrected"]).split()) >= 10, (path, entry)


def test_recorded_precision_is_the_corpus(measurement: Measurement) -> None:
    """docs/rules.md shows each rule's measured precision from a record shipped with the
    package; the record must be what the corpus gives now (`python bench/corpus_bench.py
    --write` records it again)."""
    assert load_record() == precision_record(measurement)
