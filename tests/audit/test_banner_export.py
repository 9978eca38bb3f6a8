"""Declare once, configure the banner, audit the result: `export --format <consent manager>`
in a real Chromium with each consent manager from npm (pinned in npm-fixtures/).

For each manager: the configuration is exported from ``tests/data/audit/banner/controller.yaml``
(plus the manager's own cookie), a loopback shop (``sites/banner-<format>/``) loads it with
its trackers marked as `export` says, and

* before any choice no tracker needing consent is set, none after "refuse all" (page
  reloaded), all of them after "accept all";
* `privacy-pages audit` of that shop with the same controller finds no DC, PC or RJ finding.

The buttons are clicked by each manager's own selectors, not by the audit's banner search,
so that the two checks stay independent.
"""

from __future__ import annotations

import asyncio
import functools
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from privacy_audit.settings import parse_resolve
from privacy_pages.banner import FORMATS
from privacy_pages.cli import main
from privacy_pages.model import Controller

from ..conftest import patience
from .live_tab import in_browser
from .site_server import SITES, SiteServer

CONTROLLER = Path(__file__).parents[1] / "data" / "audit" / "banner" / "controller.yaml"
CONFIG_PATH = "/consent-config.js"
POLICY = "/cookies.html"

# How the test itself refuses and accepts with each manager (first layer, both one click).
BUTTONS = {
    "cookieconsent": ('#cc-main button[data-role="necessary"]', '#cc-main button[data-role="all"]'),
    "tarteaucitron": ("#tarteaucitronAllDenied2", "#tarteaucitronPersonalize2"),
    "klaro": (".klaro .cn-decline", ".klaro .cm-btn-success"),
    "orejime": (".orejime-Banner-declineButton", ".orejime-Banner-saveButton"),
}
SETTLE_DEADLINE = patience(20)  # seconds for what must appear; outcomes end the wait earlier


def _controller(fmt: str, folder: Path) -> Path:
    """The shared declaration plus the manager's own cookie (its lifetime: the choice's)."""
    data = yaml.safe_load(CONTROLLER.read_text(encoding="utf-8"))
    own = FORMATS[fmt].consent_cookie
    data["cookies"]["trackers"].insert(
        0, {"name": own, "provider": FORMATS[fmt].title, "category": "necessary", "lifetime": "P6M"}
    )
    path = folder / "controller.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _export(fmt: str, controller: Path, out: Path, capsys: Any) -> tuple[Path, str]:
    code = main(
        ["export", str(controller), "--format", fmt, "--out", str(out), "--policy-url", POLICY]
    )
    printed = capsys.readouterr()
    assert code == 0, printed
    assert printed.err == ""  # the manager's cookie is declared: nothing to warn about
    config = out / "banner-shop" / FORMATS[fmt].file_name
    assert printed.out.splitlines()[0] == str(config)
    return config, printed.out


def _consent_trackers(controller: Path) -> list[Any]:
    model = Controller(yaml.safe_load(controller.read_text(encoding="utf-8")))
    return [t for t in model.trackers if t.needs_consent and t.name]


async def _state(context: Any, page: Any) -> tuple[set[str], set[str]]:
    """Cookie names of every domain; storage keys of every frame of ``page``."""
    cookies = {c["name"] for c in await context.cookies()}
    keys: set[str] = set()
    for frame in page.frames:
        try:
            keys |= set(
                await frame.evaluate(
                    "() => [...Object.keys(localStorage), ...Object.keys(sessionStorage)]"
                )
            )
        except Exception:  # noqa: BLE001, S112 - a frame gone or navigating has nothing to read
            continue
    return cookies, keys


def _seen(trackers: list[Any], cookies: set[str], keys: set[str]) -> list[str]:
    seen = []
    for tracker in trackers:
        names = cookies if tracker.type == "cookie" else keys
        kind = "cookie" if tracker.type == "cookie" else tracker.type
        if any(tracker.matches(name, kind) for name in names):
            seen.append(tracker.name)
    return seen


async def _phases(
    server: SiteServer, fmt: str, trackers: list[Any], browser: Any
) -> dict[str, list[str]]:
    """The consent trackers seen before any choice, after refusing, after accepting."""
    refuse, accept = BUTTONS[fmt]
    consent_cookie = FORMATS[fmt].consent_cookie
    seen: dict[str, list[str]] = {}
    for phase, button in (("refuse", refuse), ("accept", accept)):
        context = await browser.new_context(ignore_https_errors=True)
        page = await context.new_page()
        await page.goto(server.url(), wait_until="networkidle")
        await page.locator(button).first.wait_for(state="visible", timeout=patience(15_000))
        if phase == "refuse":
            seen["before"] = _seen(trackers, *await _state(context, page))
        await _choose(page, button)
        await _until(functools.partial(_has_cookie, context, consent_cookie))
        if phase == "refuse":
            await page.reload(wait_until="networkidle")
            seen["refuse"] = _seen(trackers, *await _state(context, page))
        else:
            await _until(functools.partial(_complete, context, page, trackers))
            seen["accept"] = _seen(trackers, *await _state(context, page))
        await context.close()
    return seen


async def _choose(page: Any, button: str) -> None:
    """Click until the banner takes the choice (the button goes away): on a loaded machine it
    can be drawn before the manager listens to it, and that first click does nothing."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + SETTLE_DEADLINE
    target = page.locator(button).first
    while loop.time() < deadline and await target.is_visible():
        await target.click(timeout=patience(5_000))
        await _until(_hidden(target), patience(2))


def _hidden(target: Any) -> Any:
    async def hidden() -> bool:
        return not await target.is_visible()

    return hidden


async def _complete(context: Any, page: Any, trackers: list[Any]) -> bool:
    return _seen(trackers, *await _state(context, page)) == [t.name for t in trackers]


async def _has_cookie(context: Any, name: str) -> bool:
    return any(c["name"] == name for c in await context.cookies())


async def _until(condition: Any, within: float = SETTLE_DEADLINE) -> None:
    """Wait until ``condition()`` holds, or the deadline: the assertions then say what is missing."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while loop.time() < deadline and not await condition():
        await asyncio.sleep(0.1)


def _findings(out: Path) -> list[tuple[str, str, str]]:
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return [
        (f["rule"], f.get("phase") or "", json.dumps(f.get("cookie") or f.get("storage") or ""))
        for f in report["findings"]
    ]


@pytest.mark.browser
@pytest.mark.parametrize("fmt", list(FORMATS))
def test_generated_banner_blocks_until_consent_and_the_audit_agrees(
    fmt: str,
    serve_site: Any,
    site_certificate: Any,
    tmp_path: Path,
    capsys: Any,
    lent_browser: Any,  # the audit runs on the worker's shared driver and Chromium
) -> None:
    controller = _controller(fmt, tmp_path)
    config, guide = _export(fmt, controller, tmp_path / "export", capsys)
    page = (SITES / f"banner-{fmt}" / "shop.test" / "index.html").read_text(encoding="utf-8")
    for tag in re.findall(r"^    (<.*>)$", guide, flags=re.MULTILINE):
        marks = re.findall(r'(data-[a-z]+="[^"…]+")', tag)
        assert marks and all(mark in page for mark in marks), (tag, marks)
    server = SiteServer(f"banner-{fmt}", site_certificate, extra={CONFIG_PATH: config}).start()
    try:
        trackers = _consent_trackers(controller)
        names = [t.name for t in trackers]
        seen = in_browser(
            functools.partial(_phases, server, fmt, trackers), parse_resolve(server.resolve)
        )
        assert seen == {"before": [], "refuse": [], "accept": names}, seen

        out = tmp_path / "audit"
        argv = ["audit", str(controller), "--url", server.url(), "--ignore-https-errors",
                "--quiet", "--timeout", str(round(patience(10))), "--out", str(out)]  # fmt: skip
        for rule in server.resolve:
            argv += ["--resolve", rule]
        main(argv)
        capsys.readouterr()
        findings = _findings(out)
        assert [f for f in findings if f[0][:2] in ("DC", "PC", "RJ")] == [], findings
        report = json.loads((out / "report.json").read_text(encoding="utf-8"))
        assert report["summary"]["verdict"] != "incomplete", report["summary"]
    finally:
        server.stop()


# The second layer, where each manager shows category descriptions and services.
SETTINGS = {
    "cookieconsent": '#cc-main button[data-role="show"]',
    "tarteaucitron": "#tarteaucitronCloseAlert",
    "klaro": ".klaro .cn-learn-more",
    "orejime": ".orejime-Banner-learnMoreButton",
}
HOSTILE = '<img src="x" onerror="window.__pwned = 1">'


async def _second_layer_text(server: SiteServer, fmt: str, browser: Any) -> tuple[str, Any]:
    context = await browser.new_context(ignore_https_errors=True)
    page = await context.new_page()
    await page.goto(server.url(), wait_until="networkidle")
    await page.locator(SETTINGS[fmt]).first.click(timeout=15_000)
    await page.get_by_text(HOSTILE).first.wait_for(state="attached", timeout=15_000)
    text = await page.evaluate("() => document.body.textContent")
    pwned = await page.evaluate(
        "() => window.__pwned || document.querySelectorAll('img[src=\"x\"]').length"
    )
    await context.close()
    return text, pwned


@pytest.mark.browser
@pytest.mark.parametrize("fmt", list(FORMATS))
def test_text_from_the_file_is_shown_as_text_by_each_manager(
    fmt: str, site_certificate: Any, tmp_path: Path, capsys: Any
) -> None:
    """A provider and a description holding markup reach the visitor as those characters,
    never as an element: the managers that show texts as HTML get them escaped."""
    controller = _controller(fmt, tmp_path)
    data = yaml.safe_load(controller.read_text(encoding="utf-8"))
    data["cookies"]["categories"][1]["description"] = {"fr": HOSTILE, "en": HOSTILE}
    for tracker in data["cookies"]["trackers"]:
        if tracker.get("provider") == "Shop Ads":
            tracker["provider"] = HOSTILE
    controller.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    config, _ = _export(fmt, controller, tmp_path / "export", capsys)
    server = SiteServer(f"banner-{fmt}", site_certificate, extra={CONFIG_PATH: config}).start()
    try:
        text, pwned = in_browser(
            functools.partial(_second_layer_text, server, fmt), parse_resolve(server.resolve)
        )
    finally:
        server.stop()
    assert not pwned
    assert HOSTILE in text
