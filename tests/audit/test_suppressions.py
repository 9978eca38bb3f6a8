"""Audit findings accepted in the controller file: marked, reported apart, never failing."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from privacy_audit.analyze import inspect
from privacy_audit.analyze.suppressions import apply_suppressions
from privacy_audit.findings import exit_code
from privacy_audit.observations import Observations
from privacy_audit.report.write import write_reports
from privacy_pages.check import CheckOptions, check_document
from privacy_pages.model.content import load_controller
from privacy_pages.model.schema import load_schema

from . import inspect_fixtures as fx

OBSERVATIONS = fx.DATA / "observations" / "shop-bad.json"


def _findings_with(suppressions: list[dict[str, str]]) -> tuple[list, dict]:
    controller = {**fx.controller("shop"), "suppressions": suppressions}
    observations = Observations.from_json(OBSERVATIONS.read_text(encoding="utf-8"))
    findings = inspect(observations, controller, fx.builtin_knowledge())
    return apply_suppressions(findings, controller), controller


def test_suppressing_every_error_rule_turns_the_run_green(tmp_path: Path) -> None:
    plain, _ = _findings_with([])
    errors = sorted({f.rule for f in plain if f.severity.label == "error"})
    assert exit_code(plain) == 1 and errors
    reasons = [{"rule": rule, "reason": f"accepted for the test: {rule}"} for rule in errors]
    findings, controller = _findings_with(reasons)
    assert exit_code(findings) == 0
    suppressed = [f for f in findings if f.suppressed]
    assert {f.rule for f in suppressed} == set(errors)
    assert all(f.diagnostic.suppressed_by == f"accepted for the test: {f.rule}" for f in suppressed)

    observations = Observations.from_json(OBSERVATIONS.read_text(encoding="utf-8"))
    written = write_reports(tmp_path, observations, findings, ("json", "html"), controller)
    document = json.loads(written["json"].read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(load_schema("audit-report.schema.json")).validate(document)
    assert document["summary"]["suppressed"] == len(suppressed)
    assert document["summary"]["verdict"] == "pass"
    assert not {f["rule"] for f in document["findings"]} & set(errors)
    assert {f["suppressed_by"] for f in document["suppressed"]} == {r["reason"] for r in reasons}
    html = written["html"].read_text(encoding="utf-8")
    assert "Accepted findings (suppressed with a reason)" in html
    assert "accepted for the test: PC01" in html


def test_suppression_by_name_and_by_pointer() -> None:
    plain, _ = _findings_with([])
    declared = [f for f in plain if f.diagnostic.pointer]
    assert declared, "the fixture has findings about the declaration"
    target = declared[0]
    findings, _ = _findings_with(
        [{"rule": target.name, "pointer": target.diagnostic.pointer, "reason": "known, fixing"}]
    )
    hit = [f for f in findings if f.suppressed]
    assert target.rule in {f.rule for f in hit}
    assert all(f.diagnostic.pointer.startswith(target.diagnostic.pointer) for f in hit)


def test_check_accepts_audit_rules_in_suppressions(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        "id: shop\nlanguages: [en]\nsuppressions:\n"
        "  - {rule: DC03, reason: the CDN is covered by our hosting contract}\n"
        "  - {rule: undeclared-cookie, reason: being added to the cookie list}\n"
        "  - {rule: XX99, reason: a typo in the rule identifier}\n",
        encoding="utf-8",
    )
    result = check_document(
        load_controller(path), CheckOptions(select=frozenset({"CS006", "CS007"}))
    )
    assert [(d.rule, d.line) for d in result.diagnostics] == [("CS006", 6)]
