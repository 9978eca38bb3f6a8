"""The Chromium of the tests that look at pages (rendered sites, reports, the portfolio),
launched by Playwright itself: the project's own binary (``find_browser``), flags in one place.

The audits start their browser their own way (`collect.browser.SharedBrowser`); these tests
need only a headless page. Its ``--disable-features`` carries the audit's list, which holds
Playwright's own (a later ``--disable-features`` replaces an earlier one) and the address
bar popup's two WebUI pages, which every window would otherwise preload in a renderer no
one sees.
"""

from __future__ import annotations

from typing import Any

import pytest

from privacy_audit.collect.browser import (
    DISABLED_FEATURES,
    BrowserNotFound,
    find_browser,
    launch_flags,
)

LAUNCH_ARGS = [*launch_flags({}), "--disable-features=" + ",".join(DISABLED_FEATURES)]
"""The audit's own quiet flags (no background traffic, no update, no sync, no QUIC)."""


def launch_chromium(playwright: Any) -> Any:
    """``playwright.chromium.launch`` (sync or async API) on the project's Chromium; a
    missing browser fails the test with the line that says what to install."""
    try:  # the project's own discovery: --browser, $PRIVACY_PAGES_CHROMIUM, Playwright's, PATH
        path = find_browser(None).path
    except BrowserNotFound as error:
        pytest.fail(str(error), pytrace=False)
    return playwright.chromium.launch(executable_path=path, args=LAUNCH_ARGS)
