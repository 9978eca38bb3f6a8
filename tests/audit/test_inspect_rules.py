"""Data-driven rule cases: one YAML file per rule in tests/data/audit/rules/.

Each file names a controller (a fixture name, or one inline) and cases with compact
observations and the exact findings of that rule, field by field. A case may override the
controller. Findings of other rules are another file's business.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from privacy_audit.analyze import inspect
from privacy_audit.rules import RULES
from privacy_pages.model.schema import load_schema

from . import inspect_fixtures as fx

CASE_FILES = sorted((fx.DATA / "rules").glob("*.yaml"))
SUBJECT_KEYS = ("cookie", "storage", "host")


def _cases() -> list[Any]:
    params = []
    for path in CASE_FILES:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in spec["cases"]:
            params.append(
                pytest.param(
                    spec["rule"], spec.get("controller"), case, id=f"{path.stem}-{case['name']}"
                )
            )
    return params


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if {"rule_id", "controller_spec", "case"} <= set(metafunc.fixturenames):
        metafunc.parametrize(("rule_id", "controller_spec", "case"), _cases())


def _controller(spec: Any) -> dict[str, Any] | None:
    if spec is None:
        return None
    if isinstance(spec, str):
        return fx.controller(spec)
    jsonschema.validate(spec, load_schema())  # inline controllers obey the contract too
    return spec


def _project(finding: dict[str, Any]) -> dict[str, Any]:
    keys = ("rule", "severity", "phase", "url", "message", *SUBJECT_KEYS)
    return {k: finding[k] for k in keys if k in finding}


def test_rule_case(rule_id: str, controller_spec: Any, case: dict[str, Any]) -> None:
    controller = _controller(case.get("controller", controller_spec))
    observations = fx.build_observations(case["observations"])
    findings = inspect(observations, controller, fx.builtin_knowledge())
    actual = [f.to_dict() for f in findings if f.rule == rule_id]
    expected = []
    for raw in case["expected"]:
        entry = {"rule": rule_id, "severity": RULES.get(rule_id).severity.label, **raw}
        expected.append(entry)
    assert [_project(a) for a in actual] == [_project(e) for e in expected]
    for a, e in zip(actual, expected):
        if "phases" in e:
            assert a["phases"] == e["phases"]


def test_every_rule_has_a_case_file() -> None:
    assert {p.stem for p in CASE_FILES} == {r.id for r in RULES}


def test_every_case_file_has_a_passing_and_a_failing_case() -> None:
    for path in CASE_FILES:
        cases = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
        assert any(c["expected"] for c in cases), f"{path.name}: no failing case"
        if path.stem not in ("DC04", "DC05", "DC06"):  # declaration rules: one file, both kinds
            assert any(not c["expected"] for c in cases), f"{path.name}: no passing case"


def test_case_files_are_named_after_their_rule() -> None:
    for path in CASE_FILES:
        assert yaml.safe_load(path.read_text(encoding="utf-8"))["rule"] == Path(path).stem
