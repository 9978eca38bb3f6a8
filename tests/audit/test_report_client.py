"""The HTML report as a client receives it (issue 19, section 4): the company's name, dates in
words in the client's language and time zone, the browser in a technical appendix, plural
forms from the catalogue, rule names in words, a readable screenshot, a <main> landmark and
no page wider than a phone (checked in Chromium at 360 px).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from privacy_audit.i18n import catalogue
from privacy_audit.report.dates import client_zone, say_moment

from ..page_browser import launch_chromium
from . import test_report_language as language

CONTROLLER = Path(__file__).resolve().parents[1] / "data/audit/banner/controller.yaml"
TEMPLATES = Path(__file__).resolve().parents[2] / "audits/privacy_audit/report/templates"


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("client-report")
    for lang in ("fr", "en"):
        language.render(out / lang, "bad-site-recorded", "bad-shop", lang)
    return {lang: out / lang / lang / "report.html" for lang in ("fr", "en")}


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_no_catalogue_sentence_hedges_its_plural() -> None:
    """ "problème(s)" is never written: a sentence with a count has its plural forms."""
    root = Path(__file__).resolve().parents[2]
    for path in [*root.glob("audits/privacy_audit/locales/*.yaml"),
                 *root.glob("plugins/privacy_pages/render/locales/*.yaml")]:  # fmt: skip
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\w\((s|es|x)\)", text), path


def test_the_client_is_named_and_the_id_is_in_the_appendix(reports: dict[str, Path]) -> None:
    soup = _soup(reports["fr"])
    header = soup.select_one("header").get_text(" ", strip=True)
    assert "Mauvaise boutique SARL" in header and "bad-shop" not in header
    appendix = soup.select_one("main #appendix").get_text(" ", strip=True)
    assert "bad-shop" in appendix
    assert "/usr/bin/chromium" not in header and "chromium" in appendix
    assert "Navigateur" in appendix and "version" in appendix


def test_dates_are_words_in_the_language_and_zone_of_the_client(
    reports: dict[str, Path],
) -> None:
    soup = _soup(reports["fr"])
    header = soup.select_one("header").get_text(" ", strip=True)
    assert "22 novembre 2026 à 2 h 51" in header and "T01:51" not in header  # Paris, UTC+1
    assert "29 novembre 2026 à 11 h 00" in soup.select_one("footer").get_text()
    assert say_moment("2026-12-06T14:49:03Z", "fr", "Europe/Paris") == "6 décembre 2026 à 15 h 49"
    assert say_moment("2026-12-06T14:49:03Z", "en", "UTC") == "December 6, 2026 at 2:49 PM"
    assert client_zone({"controller": {"address": {"country": "FR"}}}) == "Europe/Paris"
    assert client_zone({"controller": {"address": {"country": "ES"}}}) == "Europe/Madrid"
    assert client_zone({}) == "UTC"  # English, no country: the United States, many zones
    assert client_zone({"languages": ["fr"]}) == "Europe/Paris"  # French: France, by CLDR
    assert client_zone({}, "America/Montreal") == "America/Montreal"


def test_plurals_and_rule_names_are_said_in_french(reports: dict[str, Path]) -> None:
    html = reports["fr"].read_text(encoding="utf-8")
    assert "(s)" not in html
    assert "1 occurrence," in html and "4 occurrences" in html
    soup = _soup(reports["fr"])
    assert "cookie avant consentement" in soup.select_one("#rules").get_text()
    assert "pre-consent-cookie" not in soup.get_text()


def test_every_rule_has_a_name_in_words_in_each_language() -> None:
    from privacy_audit.rules import RULES

    for lang in ("en", "fr"):
        names = {k.split(".", 1)[1] for k in catalogue(lang) if k.startswith("rule_name.")}
        assert names == {rule.id for rule in RULES}, lang


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            yield browser
        finally:
            browser.close()


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_on_a_phone_nothing_widens_the_page(
    chromium: object, reports: dict[str, Path], lang: str
) -> None:
    page = chromium.new_page(viewport={"width": 360, "height": 740})  # type: ignore[attr-defined]
    try:
        page.goto(reports[lang].as_uri())
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 360, f"the report is {width} px wide at a 360 px viewport"
        assert page.evaluate("() => document.querySelectorAll('main').length") == 1
        landmarks = page.evaluate(
            "() => [...document.body.children].map(e => e.tagName.toLowerCase())"
            ".filter(t => ['header', 'main', 'footer'].includes(t))"
        )
        assert landmarks == ["header", "main", "footer"]
    finally:
        page.close()


@pytest.mark.browser
def test_the_banner_screenshot_is_shown_at_the_content_width(
    chromium: object, tmp_path: Path
) -> None:
    """A screenshot is as wide as the text column (capped), not a thumbnail, and prints."""
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    pixel = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
    page_html = (f"<!doctype html><style>{css}</style><main><figure>"
                 f"<img src='data:image/png;base64,{pixel}'></figure></main>")  # fmt: skip
    path = tmp_path / "figure.html"
    path.write_text(page_html, encoding="utf-8")
    page = chromium.new_page(viewport={"width": 1280, "height": 800})  # type: ignore[attr-defined]
    try:
        page.goto(path.as_uri())
        shown = page.evaluate("() => document.querySelector('figure img').clientWidth")
        column = page.evaluate("() => document.querySelector('main').clientWidth")
        assert shown >= 0.9 * min(column, 64 * 15), (shown, column)
    finally:
        page.close()
    print_css = (TEMPLATES / "report_top.html.j2").read_text(encoding="utf-8")
    assert "figure, img { display: none; }" not in print_css


def test_the_timezone_option_is_checked(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    from privacy_pages.cli import main

    controller = tmp_path / "c.yaml"
    controller.write_text(CONTROLLER.read_text(encoding="utf-8"), encoding="utf-8")
    code = main(["audit", str(controller), "--url", "http://127.0.0.1:9/", "--timezone", "Mars/X"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert "--timezone: 'Mars/X' is not a time zone" in err
