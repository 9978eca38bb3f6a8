"""The Set-Cookie lines the browser refuses by the line alone: our rules (`refusals`) against
Chromium's own reasons, and what the recorder then reports."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from privacy_audit.collect import steps
from privacy_audit.collect.recorder import PhaseRecorder
from privacy_audit.collect.refusals import refusal
from privacy_audit.settings import parse_resolve

from ..conftest import patience
from ..loopback import LoopbackServer, Reply, Request
from .live_tab import in_browser
from .site_server import RESOLVE

LINES = (
    "ok=1; Path=/",
    "secure_only=1; Secure; Path=/",
    "__secure-lower=1; Path=/",
    "__Secure-good=1; Secure; Path=/",
    "__Host-no_path=1; Secure",
    "__Host-domain=1; Secure; Path=/; Domain=HOST",
    "suffix=1; Domain=co.uk",
    "other_site=1; Domain=example.org",
    "dotted=1; Domain=.HOST",
    "trailing_dot=1; Domain=HOST.",
    "long=" + "x" * 4100,
    "none_insecure=1; SameSite=None",
    "control=a\x01b",
)
HOSTS = ("shop.test", "127.0.0.1", "localhost")
"""A name (HTTP is not secure there), an IP address and localhost (both secure for cookies)."""


@pytest.mark.parametrize(
    ("line", "url", "reason"),
    [
        ("id=1", "http://shop.test/", None),
        ("id=1; Secure", "http://shop.test/", "SecureOnly"),
        ("id=1; Secure", "https://shop.test/", None),
        ("id=1; Secure", "http://127.0.0.1:8000/", None),
        ("id=1; Secure", "http://a.localhost/", None),
        ("__Secure-id=1; Secure", "http://shop.test/", "InvalidPrefix"),
        ("__SECURE-id=1", "https://shop.test/", "InvalidPrefix"),
        ("__Host-id=1; Secure; Path=/", "https://shop.test/", None),
        ("__Host-id=1; Secure; Path=/; Domain=shop.test", "https://shop.test/", "InvalidPrefix"),
        ("__Host-id=1; Secure; Path=/; Domain=127.0.0.1", "http://127.0.0.1/", None),
        ("id=1; Domain=.shop.test", "https://www.shop.test/", None),
        ("id=1; Domain=shop.test.", "https://shop.test/", "InvalidDomain"),
        ("id=1; Domain=github.io", "https://me.github.io/", "InvalidDomain"),
        ("id=1; Domain=me.github.io", "https://me.github.io/", None),
        ("id=1; Domain=tracker.test", "https://shop.test/", "InvalidDomain"),
        ("id=1; Domain=127.0.0.2", "http://127.0.0.1/", "InvalidDomain"),
        ("id=" + "v" * 4095, "https://shop.test/", "NameValuePairExceedsMaxSize"),
        ("id=a\x01b", "https://shop.test/", "DisallowedCharacter"),
        ("id=a\tb", "https://shop.test/", None),
        ("id=1; SameSite=None", "http://shop.test/", None),  # the browser's issue says it
        ("id=1; Secure", "not a url", None),
    ],
)
def test_a_line_is_refused_by_its_own_attributes(line: str, url: str, reason: str | None) -> None:
    assert refusal(line, url) == reason


@pytest.mark.browser
def test_the_refusals_reported_are_the_browsers_own() -> None:
    """Each host's page sets `LINES`; the recorder (raw headers, the Audits domain, the jar)
    reports what Chromium's Network domain says it refused, with the same reasons."""

    def respond(request: Request) -> Reply:
        if request.path != "/":  # the favicon: no lines of its own
            return Reply(status=404)
        return Reply(body=b"<p>cookies</p>", cookies=tuple(
            line.replace("HOST", request.host) for line in LINES
        ))  # fmt: skip

    with LoopbackServer(respond) as server:
        urls = [server.url("/", host) for host in HOSTS]

        async def work(browser: Any) -> list[tuple[list[Any], list[Any]]]:
            results = []
            for url in urls:
                context = await browser.new_context()
                try:
                    recorder = PhaseRecorder("shop.test")
                    await recorder.watch(context)
                    tab = await steps.open_tab(context, recorder, url)
                    chromium: list[tuple[str, tuple[str, ...]]] = []
                    session = await context.new_cdp_session(tab.page)
                    session.on(
                        "Network.responseReceivedExtraInfo",
                        lambda event, heard=chromium: heard.extend(
                            (b["cookieLine"].split("=", 1)[0], tuple(b["blockedReasons"]))
                            for b in event.get("blockedCookies") or []
                        ),
                    )
                    await session.send("Network.enable")
                    await tab.page.goto(url)
                    # Both reports come as events after the load: the browser's refusals,
                    # and its SameSite issue for the recorder.
                    deadline = asyncio.get_running_loop().time() + patience(5)
                    while not (chromium and recorder.blocked_cookies):
                        if asyncio.get_running_loop().time() > deadline:
                            break
                        await asyncio.sleep(0.05)
                    await recorder.snapshot_cookies(context, url)
                    await recorder.flush(5)
                    recorder.finish()
                    reported = [
                        (b["name"], b["reasons"], b["url"]) for b in recorder.blocked_cookies
                    ]
                    results.append((sorted(set(chromium)), sorted(reported)))
                    await steps.close_tab(tab.page, recorder, [])
                finally:
                    await context.close()
            return results

        results = in_browser(work, parse_resolve(list(RESOLVE)))
    refused_everywhere = {"__secure-lower", "__Host-no_path", "suffix", "other_site"}
    refused_everywhere |= {"trailing_dot", "long", "control", "none_insecure"}
    for url, (chromium, reported) in zip(urls, results):
        assert refused_everywhere <= {name for name, _ in chromium}, (url, chromium)
        assert reported == [(name, list(reasons), url) for name, reasons in chromium], url
