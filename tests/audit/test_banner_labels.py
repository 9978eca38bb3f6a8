"""The banner scan reads consent managers' default labels as a visitor does
(tests/data/audit/banner-labels.yaml): one banner per case, in a real Chromium."""

from __future__ import annotations

import asyncio
import html
from pathlib import Path
from typing import Any

import pytest
import yaml

from privacy_audit.collect.browser import SharedBrowser, find_browser
from privacy_audit.consent.controls import FIND_CONTROLS_SCRIPT
from privacy_audit.consent.phrases import CLOSE_GLYPHS, PHRASE_TABLES, phrases_for
from privacy_audit.settings import Timeouts

pytestmark = pytest.mark.browser

CASES = yaml.safe_load(
    (Path(__file__).resolve().parents[1] / "data" / "audit" / "banner-labels.yaml").read_text(
        encoding="utf-8"
    )
)


def _page(case: dict[str, Any]) -> str:
    buttons = " ".join(f"<button>{html.escape(label)}</button>" for label in case["buttons"])
    return (
        f'<!doctype html><html lang="{case["lang"]}"><body><h1>Boutique</h1>'
        '<div role="dialog" style="position:fixed;bottom:0;left:0;right:0;background:#fff">'
        f"<p>Cookies et données personnelles / cookies and privacy.</p>{buttons}</div></body></html>"
    )


def _read_all() -> list[dict[str, Any]]:
    from playwright.async_api import async_playwright

    async def run() -> list[dict[str, Any]]:
        timeouts = Timeouts()
        async with (
            async_playwright() as playwright,
            SharedBrowser(playwright, find_browser(None), resolve={}, timeouts=timeouts) as browser,
        ):
            context = await browser.new_context()
            page = await context.new_page()
            results = []
            for case in CASES:
                await page.set_content(_page(case))
                lists = {kind: phrases_for(case["lang"], t) for kind, t in PHRASE_TABLES.items()}
                results.append(
                    await page.evaluate(FIND_CONTROLS_SCRIPT, [lists, list(CLOSE_GLYPHS)])
                )
            await context.close()
            return results

    return asyncio.run(run())


@pytest.fixture(scope="module")
def readings() -> dict[str, dict[str, Any]]:
    return {case["name"]: result for case, result in zip(CASES, _read_all(), strict=True)}


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_the_scan_reads_each_label_as_a_visitor_does(
    case: dict[str, Any], readings: dict[str, dict[str, Any]]
) -> None:
    result = readings[case["name"]]
    found = {kind: value["label"] for kind, value in result.items() if kind != "undecided"}
    assert found == case["expect"]
    undecided = [item["label"] for item in result.get("undecided") or []]
    assert undecided == case.get("undecided", [])
