"""The built site in a real Chromium: language switch on a cookie page, the cookie table, the
index. Screenshots go to test-artifacts/render/. Never skipped: Chromium is required."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Route, expect, sync_playwright

from privacy_pages.model.content import require_controller
from privacy_pages.site.build import build_site

from ..loopback import serving
from ..page_browser import launch_chromium
from .conftest import ARTIFACTS, DATA, controller_files, make_fixture_project

SHOTS = ARTIFACTS / "render"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def served_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The seed controllers plus the complete fixture, built and served on 127.0.0.1."""
    root = tmp_path_factory.mktemp("browser-project")
    config = make_fixture_project(root, controller_files() + [DATA / "atelier.yaml"])
    site = build_site(config, root / "site", strict=True)
    with serving(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser_page(served_site: str) -> Iterator[tuple[Page, list[str]]]:
    outside: list[str] = []

    def only_loopback(route: Route) -> None:
        host = urlsplit(route.request.url).hostname
        if host not in ("127.0.0.1", None) and not route.request.url.startswith("data:"):
            outside.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.route("**/*", only_loopback)
        page = context.new_page()
        try:
            yield page, outside
        finally:
            context.close()
            browser.close()


def _switch_cases() -> list[tuple[str, str, str, int]]:
    """(id, first language, second language, trackers) of each multilingual controller."""
    cases = []
    for path in controller_files() + [DATA / "atelier.yaml"]:
        data = require_controller(path).data
        if len(data["languages"]) > 1:
            trackers = len((data.get("cookies") or {}).get("trackers") or [])
            cases.append((data["id"], data["languages"][0], data["languages"][1], trackers))
    return cases


SWITCH_CASES = _switch_cases()


def test_a_controller_with_trackers_is_covered() -> None:
    assert any(trackers for *_, trackers in SWITCH_CASES)


@pytest.mark.parametrize(
    ("controller", "first", "second", "trackers"), SWITCH_CASES, ids=[c[0] for c in SWITCH_CASES]
)
def test_language_switch_keeps_the_cookie_page(
    served_site: str,
    browser_page: tuple[Page, list[str]],
    controller: str,
    first: str,
    second: str,
    trackers: int,
) -> None:
    page, outside = browser_page
    page.goto(f"{served_site}clients/{controller}/{first}/cookies/")
    expect(page.locator("html")).to_have_attribute("lang", first)
    if trackers:
        table = page.locator("#tracker-table")
        expect(table).to_be_visible()
        expect(table.locator("tbody tr")).to_have_count(trackers)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{controller}-cookies-{first}.png"), full_page=True)

    page.hover(".md-header__option .md-select")
    page.locator(f'a.md-select__link[hreflang="{second}"]').click()
    page.wait_for_url(f"**/clients/{controller}/{second}/cookies/")
    expect(page.locator("html")).to_have_attribute("lang", second)
    if trackers:
        expect(page.locator("#tracker-table")).to_be_visible()
    page.screenshot(path=str(SHOTS / f"{controller}-cookies-{second}.png"), full_page=True)
    assert not outside, f"requests left the loopback: {outside}"


def test_index_links_every_controller(
    served_site: str, browser_page: tuple[Page, list[str]]
) -> None:
    page, outside = browser_page
    page.goto(f"{served_site}clients/")
    links = page.locator("a.pp-controller-link")
    expected = {require_controller(p).data["id"] for p in controller_files()} | {"atelier-demo"}
    expect(links).to_have_count(len(expected))
    page.screenshot(path=str(SHOTS / "index.png"), full_page=True)
    hrefs = [links.nth(i).get_attribute("href") or "" for i in range(links.count())]
    assert {h.split("/")[0] for h in hrefs} == expected
    for href in hrefs:
        response = page.goto(f"{served_site}clients/{href}")
        assert response is not None and response.ok, href
        expect(page.locator("h1")).to_be_visible()
    assert not outside, f"requests left the loopback: {outside}"


def test_privacy_page_renders(served_site: str, browser_page: tuple[Page, list[str]]) -> None:
    page, outside = browser_page
    page.goto(f"{served_site}clients/atelier-demo/en/privacy/")
    expect(page.locator(".pp-summary-table table")).to_be_visible()
    expect(page.locator(".pp-fallback-notice")).to_be_visible()
    page.screenshot(path=str(SHOTS / "atelier-demo-privacy-en.png"), full_page=True)
    for path in controller_files():
        data = require_controller(path).data
        lang = data["languages"][0]
        page.goto(f"{served_site}clients/{data['id']}/{lang}/privacy/")
        expect(page.locator("h1")).to_be_visible()
        page.screenshot(path=str(SHOTS / f"{data['id']}-privacy-{lang}.png"), full_page=True)
    assert not outside, f"requests left the loopback: {outside}"
