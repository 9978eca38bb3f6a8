"""The audit's browser runs the site's pages and nothing else a visitor would not see.

Each window of a headless Chromium (a profile's first tab opens one) preloaded the address
bar's popup (chrome://omnibox-popup.top-chrome), WebUI pages in a renderer of their own:
measured, a third of the audit's CPU. The flags turn it off; a new Chromium that draws some
other hidden page per window or tab shows up here as a target of the browser's UI.
"""

from __future__ import annotations

import asyncio

import pytest

from privacy_audit.collect.browser import SharedBrowser, find_browser
from privacy_audit.settings import Timeouts


async def _targets() -> list[tuple[str, str]]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        choice = find_browser(None, playwright_path=None)
        async with SharedBrowser(playwright, choice, resolve={}, timeouts=Timeouts()) as browser:
            context = await browser.new_context()
            for _ in range(2):  # a second tab of the same profile, as a second worker's
                await (await context.new_page()).goto("about:blank")
            session = await browser.new_browser_cdp_session()
            found = await session.send("Target.getTargets")
            await context.close()
    return [(target["type"], target["url"]) for target in found["targetInfos"]]


@pytest.mark.browser
def test_a_new_tab_opens_no_hidden_page_of_the_browser_ui() -> None:
    targets = asyncio.run(_targets())
    assert targets == [("page", "about:blank")] * 2, targets
