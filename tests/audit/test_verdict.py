"""Verdicts that cannot be misread: incomplete runs, failed banner clicks, in every format."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from privacy_audit.analyze import inspect
from privacy_audit.report.write import write_reports
from privacy_audit.verdict import judge

from . import inspect_fixtures as fx

DOWN = {
    "url": "https://shop.example.fr/",
    "status": None,
    "final_url": None,
    "error": "net::ERR_CONNECTION_REFUSED",
    "error_kind": "unreachable",
}


def _reports(tmp_path: Path, compact: dict) -> tuple[dict, str, ET.Element]:  # type: ignore[type-arg]
    observations = fx.build_observations(compact)
    findings = inspect(observations, fx.controller("shop"), fx.builtin_knowledge())
    write_reports(tmp_path, observations, findings, "html,json,junit", fx.controller("shop"))
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    junit = ET.parse(tmp_path / "report.junit.xml").getroot()
    return report, html, junit


def test_unreachable_site_is_incomplete_in_every_format(tmp_path: Path) -> None:
    phases = [
        {"phase": p, "pages": [DOWN]} for p in ("before-consent", "after-reject", "after-accept")
    ]
    report, html, junit = _reports(tmp_path, {"phases": phases})
    summary = report["summary"]
    assert (summary["verdict"], summary["exit_code"]) == ("incomplete", 4)
    assert summary["faults"][0].startswith("before-consent: no page of the site could be loaded")
    assert "pass" not in json.dumps(summary)
    assert not [f for f in report["findings"] if f["rule"] == "DC02"]  # no "delete them all"
    assert "Incomplete" in html and "Passes" not in html and "ERR_CONNECTION_REFUSED" in html
    assert html.index("ERR_CONNECTION_REFUSED") < html.index('id="phase-declaration"')
    assert junit.get("errors") == "1" and junit.find(".//error") is not None
    phase_cases = junit.findall(".//testsuite[@name='privacy-audit.before-consent']/testcase")
    assert phase_cases and all(case.find("skipped") is not None for case in phase_cases)


def test_failed_banner_click_is_said_first_and_findings_not_established(tmp_path: Path) -> None:
    failed = {
        "detected": True,
        "action": "reject",
        "method": "none",
        "succeeded": False,
        "reject_option_found": False,
        "detail": "no refuse option found",
    }
    phases = [
        {"phase": "before-consent"},
        {
            "phase": "after-reject",
            "banner": failed,
            "cookies": [{"name": "_hjid", "lifetime_days": 365}],
        },
    ]
    report, html, _ = _reports(tmp_path, {"phases": phases})
    summary = report["summary"]
    assert summary["banner_failures"] == [
        {"phase": "after-reject", "action": "reject", "detail": "no refuse option found"}
    ]
    dc01 = [f for f in report["findings"] if f["rule"] == "DC01"]
    assert dc01 and dc01[0]["established"] is False
    assert summary["not_established"] >= 1
    assert html.index("could not be clicked") < html.index('id="phase-declaration"')
    assert "not established" in html


def test_judge_passes_only_an_observed_site() -> None:
    observed = fx.build_observations({"phases": [{"phase": "before-consent"}]})
    assert judge(observed, []).name == "pass"
    empty = fx.build_observations({"phases": []})
    assert judge(empty, []).exit_code == 4
