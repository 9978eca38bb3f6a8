"""When a tab's late scripts and beacons are done: its network has been quiet for a moment.

After a page loads (or a banner is answered) trackers still load scripts, send beacons and
set cookies. A fixed wait is both too long for a quiet page and too short for a busy one:
the settle ends instead once no request of the tab is in flight and none started or ended
for ``quiet`` seconds, and at the latest after ``settle`` seconds (pages that never go
quiet: polling, long requests).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.async_api import Page


class NetworkQuiet:
    """Counts one tab's requests in flight; `settle` waits for them to calm down."""

    def __init__(self, page: "Page") -> None:
        self._loop = asyncio.get_running_loop()
        self.in_flight = 0
        self.last_change = self._loop.time()
        self._changed = asyncio.Event()
        page.on("request", self._started)
        page.on("requestfinished", self._ended)
        page.on("requestfailed", self._ended)

    def _started(self, _: Any) -> None:
        self.in_flight += 1
        self._touch()

    def _ended(self, _: Any) -> None:
        self.in_flight = max(0, self.in_flight - 1)
        self._touch()

    def _touch(self) -> None:
        self.last_change = self._loop.time()
        self._changed.set()

    async def settle(self, quiet: float, longest: float) -> None:
        """Until nothing was in flight for ``quiet`` seconds, or ``longest`` passed."""
        end = self._loop.time() + longest
        while True:
            now = self._loop.time()
            if now >= end:
                return
            calm_until = self.last_change + quiet
            if self.in_flight == 0 and now >= calm_until:
                return
            self._changed.clear()
            wait = (end if self.in_flight else min(end, calm_until)) - now
            try:
                await asyncio.wait_for(self._changed.wait(), timeout=wait)
            except asyncio.TimeoutError:
                pass
