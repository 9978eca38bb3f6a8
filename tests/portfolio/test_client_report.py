"""The client-facing top of the HTML report: executive summary, "since the last audit",
--lang fr|en, the agency's name and logo, print styles; and the `init` starter file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup

from privacy_audit.analyze import inspect
from privacy_audit.history.diff import since_last_audit
from privacy_audit.observations import Observations
from privacy_audit.report.options import logo_data_uri
from privacy_audit.report.write import write_reports
from privacy_pages.model.knowledge import load_knowledge
from privacy_pages.model.yaml_source import load_file

from ..conftest import REPO
from ..conftest import invoke as cli

DATA = REPO / "tests" / "data" / "audit"
XSS = "<img src=x onerror=alert(1)>"


def _controller(name: str) -> dict[str, Any]:
    data = load_file(DATA / "controllers" / f"{name}.yaml").data
    assert isinstance(data, dict)
    return data


def _report(
    out: Path, observations: str, previous: Path | None = None, **presentation: Any
) -> BeautifulSoup:
    recorded = Observations.from_json((DATA / "observations" / f"{observations}.json").read_text())
    knowledge = load_knowledge([])
    controller = _controller("shop")
    findings = inspect(recorded, controller, knowledge)
    write_reports(
        out,
        recorded,
        findings,
        "html,json",
        controller,
        knowledge=knowledge,
        since_last=since_last_audit(previous, recorded, findings),
        presentation={"lang": "en", **presentation},
    )
    return BeautifulSoup((out / "report.html").read_text(encoding="utf-8"), "html.parser")


def test_executive_summary_first_in_plain_words_with_the_rule(tmp_path: Path) -> None:
    soup = _report(tmp_path / "r", "shop-bad")
    first = soup.find("section")
    assert first["id"] == "executive-summary" and first["lang"] == "en"
    text = first.get_text(" ", strip=True)
    assert text.startswith("Executive summary Breaches of the law established by this audit: 10.")
    assert "Cookies that need consent are set before the visitor has chosen anything." in text
    assert "rule PC01 · ePrivacy Directive Art. 5(3) ; LIL art. 82" in text
    assert "CNIL recommendations not followed" in text and "Points to check" in text
    since = soup.select_one("#since-last").get_text(" ", strip=True)
    assert "first audit" in since
    assert '<style media="print">' in str(soup)


def test_french_report_with_agency_name_and_logo(tmp_path: Path) -> None:
    logo = tmp_path / "logo.svg"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>')
    soup = _report(
        tmp_path / "r",
        "shop-bad",
        lang="fr",
        agency_name=f"Agence {XSS}",
        agency_logo=logo_data_uri(logo),
    )
    summary = soup.select_one("#executive-summary")
    assert summary["lang"] == "fr"
    text = summary.get_text(" ", strip=True)
    assert text.startswith("Synthèse Manquements à la loi établis par cet audit : 10.")
    assert "Des cookies soumis au consentement sont déposés avant tout choix" in text
    assert "directive ePrivacy art. 5(3) ; LIL art. 82" in text
    assert "recommandés par la CNIL" in text
    assert "Fournisseur" in soup.get_text() and "Éditeur" not in soup.get_text()
    agency = soup.select_one(".agency")
    assert f"Préparé par Agence {XSS}" in agency.get_text(" ", strip=True)  # as text
    assert agency.select_one("img")["src"].startswith("data:image/svg+xml;base64,")
    assert not soup.select("img[onerror]")


def test_since_the_last_audit_lists_what_changed(tmp_path: Path) -> None:
    _report(tmp_path / "before", "shop-good")
    soup = _report(tmp_path / "after", "shop-bad", previous=tmp_path / "before" / "report.json")
    since = soup.select_one("#since-last")
    assert "worse" in since["class"]
    assert since.select(".appeared")
    assert "Compared with the audit of" in since.get_text()
    document = json.loads((tmp_path / "after" / "report.json").read_text())
    assert document["since_last_audit"]["worse"] is True
    assert document["since_last_audit"]["findings"]["new"]


def test_init_writes_a_starter_that_passes_the_schema(tmp_path: Path) -> None:
    result = cli("init", "exemple-boutique", "--website", "https://www.exemple.fr/", cwd=tmp_path)
    assert result.code == 0, result.err
    path = tmp_path / "content" / "exemple-boutique.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("\n#") >= 3  # commented
    checked = cli("check", str(path), "--format", "json", cwd=tmp_path)
    rules = {d["rule"] for d in json.loads(checked.out)["diagnostics"]}
    assert not {r for r in rules if r.startswith(("SCHEMA", "YAML"))}, rules
    assert "CS010" in rules  # the TODOs are listed
    again = cli("init", "exemple-boutique", cwd=tmp_path)
    assert again.code == 2 and "already exists" in again.err
    assert path.read_text(encoding="utf-8") == text  # never replaced
    bad = cli("init", "Not An Id", cwd=tmp_path)
    assert bad.code == 2 and bad.err.count("\n") == 1


def test_init_writes_the_current_schema_and_examples_that_pass_it(tmp_path: Path) -> None:
    """The starter is of the current content model, and each commented example of the
    company's identity passes the schema once uncommented (the right address keys)."""
    assert cli("init", "exemple-boutique", cwd=tmp_path).code == 0
    path = tmp_path / "content" / "exemple-boutique.yaml"
    text = path.read_text(encoding="utf-8")
    assert "\nschema_version: 2\n" in text
    lines = text.splitlines()
    start = lines.index("controller:")
    for index in range(start + 1, len(lines)):
        if not lines[index].startswith("  "):
            break
        if lines[index].startswith("  # "):
            lines[index] = "  " + lines[index][4:]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert "postal_code:" in path.read_text(encoding="utf-8")
    checked = cli("check", str(path), "--format", "json", cwd=tmp_path)
    rules = {d["rule"] for d in json.loads(checked.out)["diagnostics"]}
    assert not {r for r in rules if r.startswith(("SCHEMA", "YAML"))}, rules
