"""One tab of a fresh profile in a real Chromium, watched as an audit watches it, on a folder
served on 127.0.0.1: for tests that run one part of a visit alone."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from privacy_audit.collect import steps
from privacy_audit.collect.browser import SharedBrowser, find_browser
from privacy_audit.collect.recorder import PhaseRecorder
from privacy_audit.collect.serve import StaticServer
from privacy_audit.settings import Timeouts

T = TypeVar("T")
Step = Callable[[Any, PhaseRecorder, steps.Tab, str], Awaitable[T]]


def run_in_tab(folder: Path, step: Step[T]) -> tuple[T, str]:
    """Serve ``folder``, open a tab of a fresh profile watched by a recorder, run ``step``
    (``context, recorder, tab, url``); its result and the folder's URL."""
    from playwright.async_api import async_playwright

    async def run(url: str) -> T:
        timeouts = Timeouts()
        async with (
            async_playwright() as playwright,
            SharedBrowser(playwright, find_browser(None), resolve={}, timeouts=timeouts) as browser,
        ):
            context = await browser.new_context()
            recorder = PhaseRecorder("127.0.0.1")
            await recorder.watch(context)
            tab = await steps.open_tab(context, recorder, url)
            try:
                return await step(context, recorder, tab, url)
            finally:
                await steps.close_tab(tab.page, recorder, [])
                await context.close()

    with StaticServer(folder) as server:
        return asyncio.run(run(server.url())), server.url()
