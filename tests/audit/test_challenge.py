"""Bot-protection pages (`collect.challenge`): a challenge that lets the browser through is
waited for and the site's page read; one that does not fails the page, kind ``blocked``; a
site's own page carrying the service's scripts is no challenge. Real pages, real Chromium."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from privacy_audit.collect import challenge, steps
from privacy_audit.collect.recorder import PhaseRecorder
from privacy_audit.i18n import Text
from privacy_audit.observations import PageVisit, page_error
from privacy_audit.settings import Timeouts

from .live_tab import run_in_tab

CHALLENGE = """<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title></head>
<body><h2 id="challenge-running">Checking if the site connection is secure</h2>{script}</body></html>"""
SHOP = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Boutique</title>
<script src="/cdn-cgi/challenge-platform/scripts/jsd/main.js"></script></head><body>
<h1>Boutique</h1><form><div class="cf-turnstile" data-sitekey="x"></div><button>Envoyer</button>
</form></body></html>"""


def _visit_of(folder: Path, wait: float) -> tuple[bool, PageVisit, list[str], float]:
    async def step(context: Any, recorder: PhaseRecorder, tab: steps.Tab, url: str) -> Any:
        visit = PageVisit(url=url, final_url=None, status=None, title=None, load_ms=None)
        response = await steps.load(tab, visit, allowed=30)
        notes: list[str] = []
        began = time.monotonic()
        passed = await challenge.get_through(
            tab.page, response, visit, notes, Timeouts(challenge=wait), time.monotonic() + 30
        )
        return passed, visit, notes, time.monotonic() - began

    result, _ = run_in_tab(folder, step)
    return result


@pytest.mark.browser
def test_a_challenge_that_lets_the_browser_through_is_waited_for(tmp_path: Path) -> None:
    script = '<script>setTimeout(function () { location.replace("/shop.html"); }, 800);</script>'
    (tmp_path / "index.html").write_text(CHALLENGE.format(script=script), encoding="utf-8")
    (tmp_path / "shop.html").write_text(SHOP, encoding="utf-8")
    passed, visit, notes, _ = _visit_of(tmp_path, wait=10)
    assert passed and visit.error is None and visit.status == 200
    assert visit.final_url is not None and visit.final_url.endswith("/shop.html")
    assert len(notes) == 1 and "bot protection (Cloudflare) let the browser through" in notes[0]


@pytest.mark.browser
def test_a_challenge_that_never_lets_it_through_fails_the_page(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(CHALLENGE.format(script=""), encoding="utf-8")
    passed, visit, notes, waited = _visit_of(tmp_path, wait=1.0)
    assert not passed and visit.error_kind == challenge.BLOCKED and not notes
    assert visit.error is not None and "bot protection (Cloudflare)" in visit.error
    assert "--user-agent-tag" in visit.error
    said = page_error(visit)  # a sentence a French report says in French
    assert isinstance(said, Text) and said.render() == visit.error
    assert "protection anti-robots du site (Cloudflare)" in said.render("fr")
    assert 1.0 <= waited < 4.0, waited


@pytest.mark.browser
def test_the_services_scripts_on_the_sites_own_page_are_no_challenge(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(SHOP, encoding="utf-8")
    passed, visit, notes, waited = _visit_of(tmp_path, wait=10)
    assert passed and visit.error is None and not notes
    assert waited < 1.0, waited  # one look, no wait


@dataclass
class _Response:
    status: int
    headers: dict[str, str] = field(default_factory=dict)


@pytest.mark.parametrize(
    ("response", "service"),
    [
        (_Response(403, {"cf-mitigated": "challenge"}), "Cloudflare"),
        (_Response(403, {"x-datadome": "protected"}), "DataDome"),
        (_Response(200, {"x-datadome": "protected"}), None),  # the site's page, let through
        (_Response(403, {"server": "cloudflare"}), None),  # the markers decide
        (None, None),
    ],
)
def test_services_named_by_the_headers_they_document(response: Any, service: str | None) -> None:
    assert challenge.service_by_headers(response) == service
