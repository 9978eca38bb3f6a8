"""`check` on real documents: every rule's findings against a lawyer's expectations.

The corpus is tests/data/corpus (documents modelled from real French documents, and the
findings a lawyer expects in each, written before `check` ran on them). A rule fails the
suite when its precision falls under 90 % or when it misses an expected finding, errors and
warnings alike; rules another issue is reworking are listed in pending.yaml and reported by
name. The table of precision and recall per rule and per severity is printed at the end of
the run.
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


def _pending() -> dict[str, str]:
    return yaml.safe_load((CORPUS / "pending.yaml").read_text(encoding="utf-8")) or {}


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
    pending = _pending()
    failing = _failing(measurement)
    unexpected = {rule: why for rule, why in failing.items() if rule not in pending}
    stale = sorted(rule for rule in pending if rule not in failing)
    assert not unexpected and not stale, (
        table(measurement)
        + mismatches(measurement)
        + "".join(f"{rule}: {why}\n" for rule, why in sorted(unexpected.items()))
        + "".join(
            f"{rule} meets the thresholds now: remove it from pending.yaml\n" for rule in stale
        )
    )


def test_pending_rules_are_named(measurement: Measurement, capsys: pytest.CaptureFixture) -> None:
    """The rules another issue is reworking, reported by name with what the corpus shows."""
    failing = _failing(measurement)
    with capsys.disabled():
        for rule, why in sorted(_pending().items()):
            if rule in failing:
                print(
                    f"\ncorpus: {rule} pending (issue 17): {failing[rule]}; {' '.join(why.split())}"
                )


def test_recorded_precision_is_the_corpus(measurement: Measurement) -> None:
    """docs/rules.md shows each rule's measured precision from a record shipped with the
    package; the record must be what the corpus gives now (`python bench/corpus_bench.py
    --write` records it again)."""
    assert load_record() == precision_record(measurement)
