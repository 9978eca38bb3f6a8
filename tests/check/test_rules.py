"""Every rule against its passing and failing cases (tests/data/check/rules/<ID>.yaml)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from privacy_pages.check import CheckOptions, check_document, run_check
from privacy_pages.model.content import load_controller
from privacy_pages.rules import REGISTRY, Rule

from .conftest import RULE_CASES, generated_file, rule_cases

CASES = rule_cases()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "rule_case" in metafunc.fixturenames:
        metafunc.parametrize(
            "rule_case", CASES, ids=[f"{rule}-{case['name']}" for rule, case in CASES]
        )


def findings(rule: str, case: dict, tmp_path: Path) -> list[tuple[int, int]]:
    if "generate" in case:
        path = generated_file(case["generate"], tmp_path)
    else:
        path = tmp_path / "controller.yaml"
        path.write_text(case["yaml"], encoding="utf-8")
    selected = frozenset({rule, *case.get("also_select", [])})
    options = CheckOptions(select=selected, as_of=_as_of(case))
    if "others" in case:  # a cross-file rule: the siblings come first in path order
        for index, text in enumerate(case["others"]):
            (tmp_path / f"0-other-{index}.yaml").write_text(text, encoding="utf-8")
        run = run_check([tmp_path], options)
        return [
            (d.line, d.column)
            for d in run.diagnostics
            if d.rule == rule and d.path.endswith("controller.yaml")
        ]
    document = load_controller(path, display_path="controller.yaml")
    result = check_document(document, options)
    return [(d.line, d.column) for d in result.diagnostics if d.rule == rule]


def _as_of(case: dict) -> datetime.date | None:
    """The day the case is checked on (``as_of``), else today."""
    value = case.get("as_of")
    return value if isinstance(value, datetime.date) else None


def test_rule_case(rule_case: tuple[str, dict], tmp_path: Path) -> None:
    rule, case = rule_case
    expected = [tuple(e) for e in case["expect"]]
    assert findings(rule, case, tmp_path) == expected


def test_every_rule_has_passing_and_failing_cases() -> None:
    by_rule: dict[str, list[dict]] = {}
    for rule, case in CASES:
        by_rule.setdefault(rule, []).append(case)
    for rule in REGISTRY.scoped("check"):
        cases = by_rule.get(rule.id)
        assert cases, f"{rule.id} has no case file in {RULE_CASES}"
        assert any(c["expect"] for c in cases), f"{rule.id} has no failing case"
        assert any(not c["expect"] for c in cases), f"{rule.id} has no passing case"
    assert set(by_rule) <= {r.id for r in REGISTRY.scoped("check")}


def _boundaries(rule: Rule) -> set[datetime.date]:
    """The first days on which the law a rule checks changes: each day one of its sources
    comes into force or the day after one ends (for a rule that reads the date), or the
    bounds of its period (for one that applies only part of the time)."""
    if rule.takes_law:
        sources = [c.source for c in rule.citations]
        starts = {s.in_force_from for s in sources if s.in_force_from}
        ends = {s.in_force_until + datetime.timedelta(days=1) for s in sources if s.in_force_until}
        return starts | ends
    start, end = rule.period
    return {d for d in (start, end and end + datetime.timedelta(days=1)) if d}


def test_dated_rules_are_tested_on_both_sides_of_every_date() -> None:
    """A rule whose law changes on a date has cases dated before and on that day, so that
    both versions of the law are checked whatever the day the suite runs."""
    by_rule: dict[str, list[dict]] = {}
    for rule_id, case in CASES:
        by_rule.setdefault(rule_id, []).append(case)
    dated = [r for r in REGISTRY.scoped("check") if _boundaries(r)]
    assert {"PN029", "PN030", "LN015", "LN016", "LN017"} <= {r.id for r in dated}
    for rule in dated:
        cases = by_rule.get(rule.id, [])
        assert all(_as_of(c) for c in cases), f"{rule.id}: every case of a dated rule says as_of"
        days = [_as_of(c) for c in cases]
        for boundary in _boundaries(rule):
            assert any(d < boundary for d in days), f"{rule.id}: no case before {boundary}"
            assert any(d >= boundary for d in days), f"{rule.id}: no case from {boundary}"
