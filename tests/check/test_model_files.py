"""Controller files in the shapes real documents have (issue 8): they validate, the model
reads each new fact, and `check` gives exactly the diagnostics their gaps justify."""

from __future__ import annotations

import json
from pathlib import Path

from privacy_pages.model import Controller, Stated
from privacy_pages.model.content import load_controller

from ..conftest import assert_golden
from .conftest import DATA, GOLDEN_DAY

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "tests" / "data" / "model"


def model(name: str) -> Controller:
    document = load_controller(MODEL / f"{name}.yaml", display_path=f"{name}.yaml")
    assert not document.diagnostics, document.diagnostics
    return Controller.from_document(document)


def test_model_files_diagnostics_golden(cli, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    result = cli("check", "tests/data/model", "--format", "json", "--as-of", GOLDEN_DAY)
    document = json.loads(result.out)
    lines = [
        f"{d['path']}:{d['line']}:{d['column']} {d['rule']} {d['severity']} {d['message']}"
        for d in document["diagnostics"]
    ]
    assert not [
        line
        for line in lines
        if " YAML" in line or " SCHEMA00" in line and " SCHEMA003 " not in line
    ], lines
    assert_golden("\n".join(lines) + "\n", DATA / "golden" / "model.txt")


def test_scope_limits_the_rule_families() -> None:
    bank, fashion, retailer = (
        model("banque-exemple"),
        model("mode-exemple"),
        model("detail-exemple"),
    )
    assert bank.covered_documents == ("legal_notice",)
    assert bank.covers("legal_notice") and not bank.covers("privacy_notice")
    assert bank.published_elsewhere("cookie_policy") == "https://www.banque-exemple.test/cookies"
    assert fashion.covered_documents == ("cookie_policy",)
    assert retailer.covered_documents == ("privacy_notice", "cookie_policy", "legal_notice")


def test_printed_numbers_are_normalised() -> None:
    bank = model("banque-exemple")
    assert bank.siren == "512345679"
    assert bank.siret == "51234567900009"
    assert bank.vat_number == "FR75512345679"


def test_websites_and_apps() -> None:
    bank = model("banque-exemple")
    assert bank.website == "https://www.banque-exemple.test/"
    assert bank.websites == [
        "https://www.banque-exemple.test/",
        "https://apps.example.test/exemple-mobile",
    ]


def test_trackers_by_provider_and_unstated_category() -> None:
    fashion = model("mode-exemple")
    by_label = {t.label: t for t in fashion.trackers}
    assert by_label["Google Analytics"].name == ""
    assert by_label["Google Analytics"].needs_consent is True  # an analytics category
    partners = fashion.categories["partners"]
    assert partners.kind is None and partners.stated_consent is None
    assert partners.needs_consent is None  # unknown, never a default
    assert by_label["session_id"].lifetime_days is not None  # PT30M


def test_retailer_facts() -> None:
    retailer = model("detail-exemple")
    assert retailer.transfers.outside_eea is Stated.POSSIBLE
    assert retailer.sells_online and retailer.sells_to_consumers is Stated.YES
    assert retailer.rights.identity_check == "when_in_doubt"
    assert retailer.rights.names_cnil is True
    newsletter = next(a for a in retailer.activities if a.id == "newsletter")
    assert newsletter.direct_marketing is not None
    assert newsletter.direct_marketing.channels == {"email", "sms"}
    orders = next(a for a in retailer.activities if a.id == "orders")
    assert orders.collects_phone_numbers
    assert [s.get("activities") for s in retailer.data_sources] == [["partners"]]


def test_non_professional_publisher() -> None:
    blog = model("blog-exemple")
    assert not blog.is_company


def test_schema_1_file_is_read_and_each_old_field_named() -> None:
    old = model("architecte-v1")
    assert old.schema_version == 1
    assert not old.is_company  # schema 1: natural_person meant a non-professional publisher


def test_pages_are_built_only_for_documents_in_scope() -> None:
    from privacy_pages.model.content import require_controller
    from privacy_pages.render.pages import page_kinds, render_pages

    bank = require_controller(MODEL / "banque-exemple.yaml").data
    assert page_kinds(bank) == ["landing", "legal_notice"]
    landing = next(p for p in render_pages(bank) if p.kind == "landing" and p.lang == "fr")
    assert 'href="https://www.banque-exemple.test/cookies"' in landing.markdown
    fashion = require_controller(MODEL / "mode-exemple.yaml").data
    assert page_kinds(fashion) == ["landing", "cookies"]


def test_proper_names_are_not_shown_as_untranslated() -> None:
    from privacy_pages.model.content import require_controller
    from privacy_pages.render.pages import render_pages

    bank = require_controller(MODEL / "banque-exemple.yaml").data
    page = next(p for p in render_pages(bank) if p.kind == "legal_notice" and p.lang == "en")
    assert "Exemple Mobile" in page.markdown and "ORIAS" in page.markdown
    assert "pp-fallback" not in page.markdown
