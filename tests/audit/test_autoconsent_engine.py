"""What the audit sends to autoconsent: the engine with its end-of-try signal, the rules a frame
can use (autoconsent_engine), and the question the tries ask (consent.banner_shown_script)."""

from __future__ import annotations

import asyncio
import functools
import json
import re
from pathlib import Path
from typing import Any

import pytest

from privacy_audit.collect.serve import StaticServer
from privacy_audit.consent.autoconsent import (
    BANNER_SHOWN,
    ENGINE_PATCHES,
    REPORT_FILTER,
    _rules,
    engine,
    rules_for_frame,
    rules_json_for_frame,
)
from privacy_audit.consent.driver import ConsentDriver
from privacy_audit.settings import Timeouts

from ..conftest import patience
from .live_tab import in_browser


def test_the_installed_engine_still_has_the_anchors_of_the_signal() -> None:
    """A new autoconsent version that moved them would silently bring back the 500 ms wait
    per unknown banner: this fails instead."""
    from duckduckgo_autoconsent import bundle

    for anchor, _ in ENGINE_PATCHES:
        assert bundle().count(anchor) == 1, anchor
    script, signals = engine()
    assert signals
    assert "type: 'findCmpDone'" in script and BANNER_SHOWN in script
    # The state reports the audit does not read stay in the page.
    assert bundle().count(REPORT_FILTER[0]) == 1
    assert REPORT_FILTER[1] in script


def _context(rule: dict) -> dict:
    return rule.get("runContext") or {}


def test_a_site_rule_is_sent_only_to_its_site() -> None:
    names = {r["name"] for r in rules_for_frame("https://www.ah.nl/producten", top=True)}
    assert "ah.nl" in names
    assert "ah.nl" not in {r["name"] for r in rules_for_frame("https://shop.test/", top=True)}


@pytest.mark.parametrize("url", ["https://shop.test/", "http://127.0.0.1:8080/a?b=c"])
def test_a_frame_gets_exactly_the_rules_the_engine_would_keep(url: str) -> None:
    every = [rule for rule, *_ in _rules()]
    for top in (True, False):
        kept = rules_for_frame(url, top=top)
        expected = [
            rule
            for rule in every
            if (_context(rule).get("main", True) if top else _context(rule).get("frame", False))
            and re.search(_context(rule).get("urlPattern") or "", url)
        ]
        assert kept == expected
    generic = rules_for_frame(url, top=True)
    assert 100 < len(generic) < len(every) / 2  # most rules name a site
    assert json.loads(rules_json_for_frame(url, True)) == generic


BANNER_PAGE = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>t</title>
</head><body><p>Bienvenue.</p><div id="b" style="position:fixed;bottom:0">
<p>Nous utilisons des cookies.</p><button>Refuser</button><button>Tout refuser</button>
<button>Tout accepter</button></div></body></html>"""

LATE_BANNER_PAGE = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>t</title>
</head><body><p>Bienvenue.</p><script>setTimeout(() => { const b = document.createElement('div');
b.innerHTML = '<p>Nous utilisons des cookies.</p><button>Tout refuser</button>';
document.body.appendChild(b); }, 300);</script></body></html>"""


def _wait_for_banner(
    folder: Path, html: str, timeouts: Timeouts, *, grace: bool
) -> tuple[float, ConsentDriver, str | None]:
    """Serve ``html``, load it in a real Chromium with the consent driver installed, and wait
    for its banner: the seconds waited, the driver, the text of the control marked refuse."""
    (folder / "index.html").write_text(html, encoding="utf-8")

    async def run(url: str, browser: Any) -> tuple[float, ConsentDriver, str | None]:
        context = await browser.new_context()
        try:
            page = await context.new_page()
            driver = ConsentDriver(page, timeouts)
            await driver.install()
            await page.goto(url, wait_until="load")
            started = asyncio.get_running_loop().time()
            await driver.wait_for_banner(timeouts.banner, grace=grace)
            waited = asyncio.get_running_loop().time() - started
            refuse = page.locator('[data-privacy-pages-choice="refuse"]')
            marked = await refuse.inner_text() if await refuse.count() else None
            return waited, driver, marked
        finally:
            await context.close()

    with StaticServer(folder) as server:
        return in_browser(functools.partial(run, server.url()))


def test_a_try_that_saw_an_unknown_banner_ends_the_wait_and_leaves_the_marks(
    tmp_path: Path,
) -> None:
    """Live: the engine's try reports it saw the banner; the scan's marks stay where the scan
    put them (the tries' own test marks nothing)."""
    slow = Timeouts(banner=patience(20), autoconsent_grace=patience(20))  # the signal ends it
    waited, driver, marked = _wait_for_banner(tmp_path, BANNER_PAGE, slow, grace=True)
    assert waited < patience(10), waited  # the deadline was 20 s + the grace of 20 s
    assert driver.bridge.tried  # the top frame's try saw the banner and knew no consent manager
    assert marked == "Tout refuser"  # the page's language first, most specific phrase


def test_a_banner_drawn_late_wakes_the_scan_at_once(tmp_path: Path) -> None:
    """The DOM watch, not the poll: with a 5 s poll the banner drawn 300 ms after load is
    still found within about a second."""
    timeouts = Timeouts(banner=patience(20), banner_poll=patience(5))
    waited, driver, _ = _wait_for_banner(tmp_path, LATE_BANNER_PAGE, timeouts, grace=False)
    assert [c.labels for c in driver._controls] == [{"refuse": "tout refuser"}]
    assert waited < patience(3), waited  # the first scan, then the DOM change; the poll: 5 s
