"""A banner's click is judged by its effect, not by the click call (`consent.controls`): on a
real page in a real Chromium, a consent manager whose button keeps its frame busy after the
choice, and one that hangs without ever answering."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from privacy_audit.collect import steps
from privacy_audit.consent.driver import ConsentDriver
from privacy_audit.observations import BannerResult
from privacy_audit.settings import Timeouts

from ..conftest import patience
from .live_tab import run_in_tab

pytestmark = pytest.mark.browser

BANNER = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Boutique</title>
</head><body><p>Bienvenue.</p><div id="banner" style="position:fixed;bottom:0">
<p>Nous utilisons des cookies pour mesurer l’audience.</p>
<button id="non">Tout refuser</button> <button id="oui">Tout accepter</button></div>
<script>
function busy(seconds) { const end = Date.now() + seconds * 1000; while (Date.now() < end) {} }
document.getElementById("oui").onclick = function () { %s };
</script></body></html>"""

LATE_EFFECT = BANNER % (
    # The choice is stored once the frame is free again: after the click call timed out.
    'busy(BUSY); document.cookie = "consent=all; path=/";'
    ' document.getElementById("banner").remove();'
)
NO_EFFECT = BANNER % "busy(BUSY);"  # hung: nothing stored, nothing requested, still shown


def _accept(folder: Path, html: str, busy: float, timeouts: Timeouts) -> BannerResult:
    """Serve ``html``, load it in a tab watched as an audit watches it, answer "accept"."""
    (folder / "index.html").write_text(html.replace("BUSY", str(busy)), encoding="utf-8")

    async def accept(context: Any, recorder: Any, tab: steps.Tab, url: str) -> BannerResult:
        driver = ConsentDriver(tab.page, timeouts, activity=tab.network)
        await driver.install()
        await tab.page.goto(url, wait_until="load")
        await driver.wait_for_banner(timeouts.banner)
        return await driver.act("accept")

    return run_in_tab(folder, accept)[0]


# Short waits, so that the frame's busy time outlasts the click call (``choice``), the script
# click tried after it (``read``) and twice ``after_click`` (all an effect once had); scaled
# on a loaded machine like the busy times.
TIMEOUTS = Timeouts(choice=patience(2), read=patience(0.5), banner=patience(5))


def test_a_click_whose_effect_comes_after_the_call_timed_out_took_effect(tmp_path: Path) -> None:
    """The button's handler runs past the click call's timeout, then stores the choice."""
    result = _accept(tmp_path, LATE_EFFECT, patience(3.5), TIMEOUTS)
    assert result.succeeded is True
    assert result.clicked == ["tout accepter"]
    assert result.method == "text-fallback"


def test_a_found_control_whose_click_showed_no_effect_is_not_called_missing(
    tmp_path: Path,
) -> None:
    """The report names the control it found and says its click did nothing; it never says
    there was no accept option (the words of issue 20's report under load)."""
    result = _accept(tmp_path, NO_EFFECT, patience(6), TIMEOUTS)
    assert result.succeeded is False
    assert result.clicked == []
    assert str(result.detail).startswith(
        "found 'tout accepter', but clicking it showed no effect"
    ), result.detail
    assert "no accept option" not in str(result.detail)
