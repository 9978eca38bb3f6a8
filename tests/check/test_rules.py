"""Every rule against its passing and failing cases (tests/data/check/rules/<ID>.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest

from privacy_pages.check import CheckOptions, check_document, run_check
from privacy_pages.model.content import load_controller
from privacy_pages.rules import REGISTRY

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
    if "others" in case:  # a cross-file rule: the siblings come first in path order
        for index, text in enumerate(case["others"]):
            (tmp_path / f"0-other-{index}.yaml").write_text(text, encoding="utf-8")
        run = run_check([tmp_path], CheckOptions(select=selected))
        return [
            (d.line, d.column)
            for d in run.diagnostics
            if d.rule == rule and d.path.endswith("controller.yaml")
        ]
    document = load_controller(path, display_path="controller.yaml")
    result = check_document(document, CheckOptions(select=selected))
    return [(d.line, d.column) for d in result.diagnostics if d.rule == rule]


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
