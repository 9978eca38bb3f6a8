"""One tab of a fresh profile in a real Chromium, watched as an audit watches it, on a folder
served on 127.0.0.1: for tests that run one part of a visit alone (`run_in_tab`), and the
Chromium itself for tests that drive a page their own way (`in_browser`).

Each test opens fresh contexts (their own cookie jar, storage and cache); the driver and
the Chromium behind them are started once per worker and kept (`_LiveBrowser`), as an audit
keeps its browser from phase to phase: starting them costs about a second of CPU, more than
most of these tests' steps. A browser that crashed or closed, or that was started with other
``--resolve`` rules, is started again (`BrowserKeeper.lend`).
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import threading
from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

from privacy_audit.collect import steps
from privacy_audit.collect.browser import BrowserKeeper, find_browser
from privacy_audit.collect.recorder import PhaseRecorder
from privacy_audit.collect.serve import StaticServer
from privacy_audit.settings import Timeouts

T = TypeVar("T")
Step = Callable[[Any, PhaseRecorder, steps.Tab, str], Awaitable[T]]


class _LiveBrowser:
    """A Playwright driver on an event loop of its own thread, and the Chromium a
    `BrowserKeeper` keeps between tests (as `BrowserHost` keeps it between audits)."""

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._manager: Any = None
        self._playwright: Any = None
        self._keeper = BrowserKeeper()

    def run(self, work: Callable[[Any], Coroutine[Any, Any, T]], resolve: dict[str, str]) -> T:
        """``work(browser)`` on the loop; its result or its exception."""
        return asyncio.run_coroutine_threadsafe(self._run(work, resolve), self._loop).result()

    async def _run(
        self, work: Callable[[Any], Coroutine[Any, Any, T]], resolve: dict[str, str]
    ) -> T:
        if self._playwright is None:
            from playwright.async_api import async_playwright

            self._manager = async_playwright()
            self._playwright = await self._manager.start()
        shared = await self._keeper.lend(
            self._playwright,
            find_browser(None),
            resolve=resolve,
            timeouts=Timeouts(),
            close_by=None,
        )
        browser = await shared.start()  # the kept one as it is, or a new one started
        before = set(browser.contexts)
        try:
            return await work(browser)
        finally:  # what a failed test left open is closed: the next test finds none
            for context in set(browser.contexts) - before:
                with contextlib.suppress(Exception):
                    await context.close()
            self._keeper.keep(shared)

    def close(self) -> None:
        async def shutdown() -> None:
            await self._keeper.close()
            if self._manager is not None:
                await self._manager.__aexit__(None, None, None)

        try:
            asyncio.run_coroutine_threadsafe(shutdown(), self._loop).result(timeout=30)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=5)


_live: _LiveBrowser | None = None


def _browser() -> _LiveBrowser:
    global _live
    if _live is None:
        _live = _LiveBrowser()
        atexit.register(_live.close)
    return _live


def in_browser(
    work: Callable[[Any], Coroutine[Any, Any, T]], resolve: dict[str, str] | None = None
) -> T:
    """``work(browser)`` on the worker's Chromium (started with ``resolve``'s rules); ``work``
    opens its own contexts and closes them."""
    return _browser().run(work, dict(resolve or {}))


def run_in_tab(folder: Path, step: Step[T]) -> tuple[T, str]:
    """Serve ``folder``, open a tab of a fresh profile watched by a recorder, run ``step``
    (``context, recorder, tab, url``); its result and the folder's URL."""

    with StaticServer(folder) as server:
        url = server.url()

        async def in_a_fresh_context(browser: Any) -> T:
            context = await browser.new_context()
            try:
                recorder = PhaseRecorder("127.0.0.1")
                await recorder.watch(context)
                tab = await steps.open_tab(context, recorder, url)
                try:
                    return await step(context, recorder, tab, url)
                finally:
                    await steps.close_tab(tab.page, recorder, [])
            finally:
                await context.close()

        return in_browser(in_a_fresh_context), url
