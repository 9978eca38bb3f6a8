"""Audits one after another on one Playwright driver and, while it behaves, one Chromium.

`audit --all` and a controller with several websites audit site after site. Starting the
driver and Chromium for each site costs about a second of CPU and of wall time per site
(``bench/host_bench.py`` measures it). A `BrowserHost` starts them once for the command.

What each audit is promised does not change:

- every phase still runs in a fresh context of its own (its own cookie jar, storage and
  cache), so nothing a site set reaches the next audit;
- the browser is lent again only if the last audit closed every context it opened within
  its budget. Otherwise it is closed (or killed) by that audit's budget exactly as a lone
  audit's browser is, and the next audit starts a new one;
- a browser that crashed or was closed between audits is replaced;
- the settings that shape the browser itself (its binary, ``--resolve``) must match the
  kept one's, else the kept one is closed and a new one started.

Within ``with host.lent():`` every audit this thread runs (`pipeline.audit_controller`, the
command line's ``main(["audit", ...])``, ``audit --all``) uses the host rather than a driver
and Chromium of its own: a program that runs audit after audit in one process, as the test
suite's accuracy audits do, pays for one start-up (`current`).

The pipeline is synchronous; the driver needs one event loop for its whole life. So the
host runs that loop in a thread of its own, and `observe` waits for its audit there.
Leaving the ``with`` block (Ctrl-C included) cancels a running audit, then closes the
browser as a lone audit's is closed: over the protocol, by process id if it must.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Coroutine, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, final

from privacy_audit.collect.browser import BrowserKeeper
from privacy_audit.settings import AuditSettings, Timeouts

if TYPE_CHECKING:
    from playwright.async_api import Playwright

    from privacy_audit.collect.visit import Progress
    from privacy_audit.observations import Observations

T = TypeVar("T")

_LENT: ContextVar[BrowserHost | None] = ContextVar("privacy_pages_browser_host", default=None)
"""The host `BrowserHost.lent` made this thread's audits use, if any."""


@final
class BrowserHost:
    """``with BrowserHost() as host:`` then ``host.observe(settings, folder)`` per site.

    ``observe`` has `collect.collector.collect`'s signature, for `pipeline.Observe`.
    """

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._playwright_manager: Any = None
        self._playwright: Playwright | None = None
        self._keeper = BrowserKeeper()
        self._running: Future[Any] | None = None
        self._task: asyncio.Task[Any] | None = None
        self.started_browsers = 0
        """Browsers started for this host's audits (one while each audit behaves)."""

    def __enter__(self) -> BrowserHost:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="privacy-pages-browser", daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        try:
            running, task = self._running, self._task
            if running is not None and not running.done() and task is not None:
                # Ctrl-C while an audit ran: its task is cancelled and closes what it opened
                # (its browser included, as a lone audit's); the host waits for that.
                loop.call_soon_threadsafe(task.cancel)
                _wait_quietly(running, _cleanup_time(Timeouts()))
            try:
                self._call(self._shutdown())
            except Exception:  # noqa: BLE001, S110 - a driver already gone: the browser went
                pass  # with it, and each audit has reported its own troubles
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join()
            loop.close()
            self._loop = self._thread = None

    @staticmethod
    def current() -> BrowserHost | None:
        """The host lent to this thread's audits (`lent`), if one is."""
        return _LENT.get()

    @contextmanager
    def lent(self) -> Iterator[BrowserHost]:
        """Within the block, this thread's audits use this host (`current`)."""
        if self._loop is None:
            raise RuntimeError("BrowserHost lent outside its `with` block")
        token = _LENT.set(self)
        try:
            yield self
        finally:
            _LENT.reset(token)

    def observe(
        self, settings: AuditSettings, out_dir: Path, progress: Progress | None = None
    ) -> Observations:
        """Run the three phases of one site; raises what `collect` raises."""
        started = time.monotonic()  # the budget counts from the call, as `collect`'s does
        return self._call(self._observe(settings, out_dir, progress, started))

    def _call(self, work: Coroutine[Any, Any, T]) -> T:
        if self._loop is None:
            work.close()
            raise RuntimeError("BrowserHost used outside its `with` block")
        future = asyncio.run_coroutine_threadsafe(self._tracked(work), self._loop)
        self._running = future
        try:
            return future.result()
        finally:
            self._running = None if future.done() else future

    async def _tracked(self, work: Coroutine[Any, Any, T]) -> T:
        """Run ``work`` as the task `__exit__` cancels when the caller is interrupted."""
        self._task = asyncio.current_task()
        try:
            return await work
        finally:
            self._task = None

    async def _observe(
        self,
        settings: AuditSettings,
        out_dir: Path,
        progress: Progress | None,
        started: float,
    ) -> Observations:
        from privacy_audit.collect.collector import Collector

        if self._playwright is None:
            from playwright.async_api import async_playwright

            self._playwright_manager = async_playwright()
            self._playwright = await self._playwright_manager.start()
        collector = Collector(settings, out_dir, progress, started, keeper=self._keeper)
        try:
            return await collector.run(self._playwright)
        finally:
            self.started_browsers += collector.started_browser

    async def _shutdown(self) -> None:
        try:
            await self._keeper.close()
        finally:
            if self._playwright_manager is not None:
                manager, self._playwright_manager, self._playwright = (
                    self._playwright_manager,
                    None,
                    None,
                )
                await manager.__aexit__(None, None, None)


def _cleanup_time(timeouts: Timeouts) -> float:
    """How long a cancelled audit may take to close what it opened: its phases' contexts
    and tabs (closed side by side), then its browser, cleanly or by process id."""
    tabs_then_contexts, browser = 2 * timeouts.close, timeouts.close + timeouts.terminate
    return tabs_then_contexts + timeouts.read + browser


def _wait_quietly(future: Future[Any], timeout: float) -> None:
    """Wait for a cancelled audit to finish its own cleanup; its outcome is not wanted.
    Past ``timeout`` the command goes on: what is left of the browser is killed by process
    id (the command's own Ctrl-C handling does that for its descendants)."""
    try:
        future.result(timeout=timeout)
    except BaseException:  # noqa: BLE001, S110 - cancelled, failed or late: the host closes
        pass
