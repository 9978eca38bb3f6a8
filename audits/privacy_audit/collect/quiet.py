"""When a tab's late scripts are done: its network, cookie and storage writes and short
timers have all been quiet for a moment.

After a page loads (or a banner is answered) trackers still load scripts, send beacons and
set cookies, some from a timer seconds later (session-replay tools start recording after
about 2.5 s). A fixed wait is both too long for a quiet page and too short for a busy one;
a network-only quiet is blind to a timer that has not fired yet. So the settle ends once no
request of the tab is in flight, no cookie or storage write and no request started or ended
for ``quiet`` seconds, and every one-shot timer the page set for at most ``Timeouts.
late_tags`` seconds has fired; at the latest when its ``longest`` wait is over (pages that
never go quiet: polling, carousels). The recorder reports writes and timers (`touch`,
`expect`) from the page script that hooks them.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.async_api import Page


class NetworkQuiet:
    """One tab's activity: requests in flight, writes, timers; `settle` waits for calm."""

    def __init__(self, page: Page) -> None:
        self._loop = asyncio.get_running_loop()
        self.in_flight = 0
        self.requests = 0  # requests the tab started, ever: a click's effect shows here
        self.writes = 0  # cookie and storage writes reported, ever
        self.navigations = 0  # the tab's own page asked for another document (a link taken)
        self._page = page
        self.last_change = self._loop.time()
        self.busy_until = 0.0  # when the last short timer the page set is due
        self._changed = asyncio.Event()
        page.on("request", self._started)
        page.on("requestfinished", self._ended)
        page.on("requestfailed", self._ended)

    def _started(self, request: Any) -> None:
        self.in_flight += 1
        self.requests += 1
        try:
            if request.is_navigation_request() and request.frame == self._page.main_frame:
                self.navigations += 1
        except Exception:  # noqa: BLE001, S110 - a service worker's request has no frame
            pass
        self.touch()

    def _ended(self, _: Any) -> None:
        self.in_flight = max(0, self.in_flight - 1)
        self.touch()

    def touch(self) -> None:
        """Something happened in the tab (a request, a cookie or storage write)."""
        self.last_change = self._loop.time()
        self._changed.set()

    def wrote(self) -> None:
        """A cookie or storage key was written in the tab."""
        self.writes += 1
        self.touch()

    def expect(self, delay: float) -> None:
        """The page set a one-shot timer due in ``delay`` seconds: its work is still to come."""
        self.busy_until = max(self.busy_until, self._loop.time() + max(0.0, delay))
        self._changed.set()

    async def settle(
        self, quiet: float, longest: float, *, timers: bool = True, at_least: float = 0.0
    ) -> None:
        """Until calm for ``quiet`` seconds (with the page's short timers fired, when
        ``timers``) and ``at_least`` seconds passed, or ``longest`` passed."""
        start = self._loop.time()
        end = start + max(longest, at_least)
        while True:
            now = self._loop.time()
            if now >= end:
                return
            calm_until = max(self.last_change + quiet, start + at_least)
            if timers:
                calm_until = max(calm_until, self.busy_until + quiet)
            if self.in_flight == 0 and now >= calm_until:
                return
            self._changed.clear()
            wait = (end if self.in_flight else min(end, calm_until)) - now
            try:
                await asyncio.wait_for(self._changed.wait(), timeout=max(wait, 0.001))
            except asyncio.TimeoutError:
                pass
