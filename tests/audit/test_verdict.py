"""Verdicts that cannot be misread: incomplete runs, failed banner clicks, in every format."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from privacy_audit.analyze import inspect
from privacy_audit.history.diff import compare, format_text, since_last_audit, snapshot
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


@pytest.mark.parametrize(
    ("status", "verdict"),
    [
        *((status, "incomplete") for status in (500, 503, 401, 403, 429)),
        *((status, "pass") for status in (404, 410)),
    ],
)
def test_a_landing_page_the_server_failed_is_no_observation_of_the_site(
    status: int, verdict: str
) -> None:
    """A server error, a login asked, access denied or "too many requests" on the landing
    page is the site down, private or refusing the audit; a page not found is still a page
    the site draws."""
    page = {
        "url": "https://shop.example.fr/",
        "status": status,
        "final_url": "https://shop.example.fr/",
        "error": f"HTTP {status}",
        "error_kind": "http",
    }
    observations = fx.build_observations({"phases": [{"phase": "before-consent", "pages": [page]}]})
    judged = judge(observations, [])
    assert judged.name == verdict
    if verdict == "incomplete":
        assert f"HTTP {status}" in " ".join(judged.faults)


# --- reports that cannot be misread ----------------------------------------------------------

_DOWN_EVERYWHERE = {
    "phases": [
        {"phase": p, "pages": [DOWN]} for p in ("before-consent", "after-reject", "after-accept")
    ]
}


@pytest.mark.parametrize(
    ("lang", "neutral", "never"),
    [
        ("en", "The site could not be observed in full", "No problem was found"),
        ("fr", "Le site n’a pas pu être observé en entier", "Aucun problème n’a été trouvé"),
    ],
)
def test_an_unobserved_site_is_a_neutral_box_at_the_top_in_every_language(
    tmp_path: Path, lang: str, neutral: str, never: str
) -> None:
    observations = fx.build_observations(_DOWN_EVERYWHERE)
    findings = inspect(observations, fx.controller("shop"), fx.builtin_knowledge())
    written = write_reports(
        tmp_path, observations, findings, "html", fx.controller("shop"), presentation={"lang": lang}
    )
    top = BeautifulSoup(written["html"].read_text(encoding="utf-8"), "html.parser").select_one(
        "#executive-summary"
    )
    assert top is not None
    box = top.select_one(".verdict")
    assert box is not None and "verdict-incomplete" in box["class"]
    assert neutral in box.get_text() and "ERR_CONNECTION_REFUSED" in box.get_text()
    assert never not in top.get_text() and "verdict-pass" not in str(top)


def test_findings_not_established_are_never_counted_or_quoted_in_the_headline(
    tmp_path: Path,
) -> None:
    """The verdict line counts what was established; the rest is only a point to check."""
    failed = {"detected": True, "action": "reject", "method": "none", "succeeded": False}
    phases = [
        {"phase": "before-consent"},
        {
            "phase": "after-reject",
            "banner": {**failed, "detail": "no refuse option found"},
            "cookies": [{"name": "_hjid", "lifetime_days": 365}],
        },
    ]
    observations = fx.build_observations({"phases": phases})
    findings = inspect(observations, fx.controller("shop"), fx.builtin_knowledge())
    assert any(f.subject and f.subject.name == "_hjid" and not f.established for f in findings)
    written = write_reports(tmp_path, observations, findings, "html", fx.controller("shop"))
    soup = BeautifulSoup(written["html"].read_text(encoding="utf-8"), "html.parser")
    top = soup.select_one("#executive-summary")
    assert top is not None
    headline = top.select_one(".verdict")
    assert headline is not None and "_hjid" not in headline.get_text()
    assert "verdict-fail" not in headline["class"]  # nothing established: no breach counted
    for tier in top.select("h3"):
        if "_hjid" in str(tier.find_next_sibling("div")):
            assert tier["class"] == ["tier-to_check"]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_two_incomplete_runs_are_never_said_unchanged(tmp_path: Path, lang: str) -> None:
    observations = fx.build_observations(_DOWN_EVERYWHERE)
    findings = inspect(observations, fx.controller("shop"), fx.builtin_knowledge())
    first = tmp_path / "first"
    write_reports(first, observations, findings, "json", fx.controller("shop"))
    since = since_last_audit(first / "report.json", observations, findings)
    assert since is not None and since["unchanged"] is False
    assert since["incomplete"] == {"old": True, "new": True}
    written = write_reports(
        tmp_path / "second",
        observations,
        findings,
        "html",
        fx.controller("shop"),
        since_last=since,
        presentation={"lang": lang},
    )
    said = BeautifulSoup(written["html"].read_text(encoding="utf-8"), "html.parser")
    text = said.select_one("#since-last").get_text()  # type: ignore[union-attr]
    assert "No change" not in text and "Aucun changement" not in text
    assert ("cannot be compared" if lang == "en" else "ne peuvent pas être comparés") in text
    old = snapshot(json.loads((first / "report.json").read_text("utf-8")))
    assert "not comparable: the old and new run" in format_text(compare(old, old))
