"""Readable everywhere, in a real Chromium: the cookie table at 360 and 1366 px and printed on
A4 (name, purpose, lifetime and consent of every tracker visible together), and axe-core
(from npm, pinned in tests/npm-fixtures) finding no serious violation in the pages' own markup.

Screenshots, the PDF and the axe results go to test-artifacts/render/."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Page, sync_playwright
from pypdf import PdfReader

from privacy_pages.site.build import build_site

from ..loopback import serving
from ..page_browser import launch_chromium
from .conftest import ARTIFACTS, DATA, controller_files, make_fixture_project
from .pagetext import normalise

pytestmark = pytest.mark.browser

SHOTS = ARTIFACTS / "render"
COLUMNS = {"fr": ["Nom", "Finalité", "Durée de vie", "Consentement"]}
LONG_TRACKERS = [
    {
        "name": "_hjSessionUser_3141592653589793",
        "provider": "Hotjar Ltd (Malte)",
        "party": "third",
        "category": "analytics",
        "lifetime": "P13M",
        "domain": ".analytics-and-heatmaps.example.com",
        "purpose": {
            "fr": "Mesurer le parcours des visiteurs sur les pages produits et le tunnel de "
            "commande, afin d'améliorer l'ergonomie du site",
            "en": "Measure how visitors move through product pages and checkout",
        },
    },
    {
        "name": "__Secure-3PSIDCC",
        "provider": "Google",
        "party": "third",
        "category": "analytics",
        "lifetime": "P1Y",
        "purpose": {"fr": "Sécurité du compte", "en": "Account security"},
    },
]


def _long_controller(folder: Path) -> Path:
    """atelier with more trackers, long names and a long domain: the hard case for a table."""
    data = yaml.safe_load((DATA / "atelier.yaml").read_text(encoding="utf-8"))
    data["id"] = "long-cookies"
    data["cookies"]["trackers"] = data["cookies"]["trackers"] + LONG_TRACKERS
    path = folder / "long-cookies.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def axe_script(npm_modules: Path) -> Path:
    return npm_modules / "axe-core" / "axe.min.js"


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("readable")
    extra = tmp_path_factory.mktemp("readable-extra")
    controllers = controller_files() + [DATA / "atelier.yaml", _long_controller(extra)]
    site = build_site(make_fixture_project(root, controllers), root / "site", strict=True)
    with serving(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        try:
            yield chromium
        finally:
            chromium.close()


def _open(browser: object, url: str, width: int, height: int = 900) -> Page:
    context = browser.new_context(viewport={"width": width, "height": height})  # type: ignore[attr-defined]
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(("http://127.0.0.1", "data:"))
            else route.abort()
        ),
    )
    page = context.new_page()
    page.goto(url)
    return page


_CELLS = """rows => rows.map(row => Array.from(row.cells).map(cell => {
  const box = cell.getBoundingClientRect();
  return {left: box.left, right: box.right, width: box.width, height: box.height,
          clipped: cell.scrollWidth > cell.clientWidth + 1,
          label: getComputedStyle(cell, '::before').content};
}))"""


@pytest.mark.parametrize("width", [360, 1366])
def test_cookie_table_shows_the_four_columns_together(
    browser: object, site_url: str, width: int
) -> None:
    page = _open(browser, f"{site_url}clients/long-cookies/fr/cookies/", width)
    SHOTS.mkdir(parents=True, exist_ok=True)
    table = page.locator("#tracker-table")
    table.scroll_into_view_if_needed()
    table.screenshot(path=str(SHOTS / f"cookie-table-{width}.png"))
    page.screenshot(path=str(SHOTS / f"cookie-page-{width}.png"), full_page=True)
    rows = page.eval_on_selector_all("#tracker-table tbody tr", _CELLS)
    atelier = yaml.safe_load((DATA / "atelier.yaml").read_text(encoding="utf-8"))
    assert len(rows) == len(atelier["cookies"]["trackers"]) + len(LONG_TRACKERS)
    for cells in rows:
        assert len(cells) == 4
        for cell in cells:
            assert cell["width"] > 0 and cell["height"] > 0, cell
            assert cell["left"] >= 0 and cell["right"] <= width + 1, (width, cell)
            assert not cell["clipped"], (width, cell)
            if width == 360:  # cards: every cell says what it holds
                assert cell["label"].strip('"') in COLUMNS["fr"], cell
    text = normalise(table.inner_text())
    for tracker in LONG_TRACKERS:
        assert tracker["name"] in text
    page.context.close()


def test_legal_notice_values_are_whole_on_a_phone(browser: object, site_url: str) -> None:
    page = _open(browser, f"{site_url}clients/long-cookies/fr/legal-notice/", 360)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "legal-notice-360.png"), full_page=True)
    SHOTS.mkdir(parents=True, exist_ok=True)
    rows = page.eval_on_selector_all("article .pp-block table tr", _CELLS)
    page.context.close()
    assert len(rows) > 5
    for cells_of_row in rows:
        for cell in cells_of_row:
            assert cell["right"] <= 360 + 1 and not cell["clipped"], cell


def test_cookie_page_prints_on_a4_with_every_column(browser: object, site_url: str) -> None:
    page = _open(browser, f"{site_url}clients/long-cookies/fr/cookies/", 1366)
    page.emulate_media(media="print")
    SHOTS.mkdir(parents=True, exist_ok=True)
    pdf = SHOTS / "cookie-page-a4.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    page.context.close()
    text = normalise(" ".join(p.extract_text() or "" for p in PdfReader(pdf).pages))
    for column in COLUMNS["fr"]:
        assert column in text, f"{column!r} not printed"
    for tracker in LONG_TRACKERS:
        assert normalise(tracker["purpose"]["fr"])[:40] in text
    assert "13 mois" in text and "1 an" in text
    assert "Rechercher" not in text  # the site's chrome (search box) is not printed


def test_print_stylesheet_on_every_page(browser: object, site_url: str) -> None:
    page = _open(browser, f"{site_url}clients/atelier-demo/en/legal-notice/", 1366)
    page.emulate_media(media="print")
    hidden = page.eval_on_selector(".md-header", "el => getComputedStyle(el).display")
    assert hidden == "none"
    page.goto(site_url)  # a host page too: the stylesheet is site-wide
    assert page.eval_on_selector(".md-header", "el => getComputedStyle(el).display") == "none"
    page.context.close()


AXE_PAGES = [
    "clients/atelier-demo/fr/",
    "clients/atelier-demo/fr/privacy/",
    "clients/atelier-demo/en/privacy/",  # French passages in an English page (badges)
    "clients/long-cookies/fr/cookies/",
    "clients/atelier-demo/en/legal-notice/",
    "clients/officine-generale/en/privacy/",  # a draft, with its notice
    "clients/",
]


@pytest.mark.parametrize("path", AXE_PAGES)
@pytest.mark.parametrize("width", [360, 1366])
def test_axe_finds_no_serious_violation_in_our_markup(
    browser: object, site_url: str, axe_script: Path, path: str, width: int
) -> None:
    page = _open(browser, site_url + path, width)
    page.add_script_tag(path=str(axe_script))
    result = page.evaluate("() => axe.run({include: [['article']]}, {resultTypes: ['violations']})")
    page.context.close()
    serious = [
        {"id": v["id"], "help": v["help"], "nodes": [n["html"][:200] for n in v["nodes"]]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    SHOTS.mkdir(parents=True, exist_ok=True)
    name = path.strip("/").replace("/", "_") or "index"
    (SHOTS / f"axe-{name}-{width}.json").write_text(
        json.dumps(result["violations"], indent=1), encoding="utf-8"
    )
    assert serious == [], json.dumps(serious, indent=1, ensure_ascii=False)
