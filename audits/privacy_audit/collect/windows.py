"""A phase's next tab in a browser window of its own, as a visitor's foreground tab is.

Playwright opens a context's second page as a tab of the first one's window, behind it.
Measured on pages with a frame of another site (an ad, a video, a consent manager's
frame), the first page such a tab loaded drew no frame and took no input for 2 to 3
seconds: the visitor's gesture was not delivered in time, and the page was not read down,
so what loads only when scrolled to (a lazy ad, a tracking pixel at the bottom) was never
loaded (the `crossframe` accuracy site). A tab in a window of its own draws at once. A
window costs more CPU than a tab (4 % of a whole audit on a site with such a frame on every
page, measured): the collector asks for one only when the phase's landing page has a frame
of another site.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.async_api import BrowserContext, Page


async def new_window(context: BrowserContext, timeout: float) -> Page:
    """A new page of ``context``, alone in a new window, within ``timeout`` seconds.

    The browser's DevTools session is detached once it succeeds; on a failure or a
    cancellation (Ctrl-C) it is left to close with the browser: awaiting a detach there
    would keep the cancelled task waiting on a driver that is shutting down."""
    browser = context.browser
    context_id = await _context_id(context)
    if context_id is None or browser is None:
        return await context.new_page()  # the context's first window
    arrived: asyncio.Queue[Page | None] = asyncio.Queue()
    ended = _ended(arrived)
    context.on("page", arrived.put_nowait)
    context.on("close", ended)
    try:
        session = await browser.new_browser_cdp_session()
        created = await session.send(
            "Target.createTarget",
            {"url": "about:blank", "browserContextId": context_id, "newWindow": True},
        )
        while True:  # the site's own popups may arrive meanwhile: ours is known by its id
            page = await asyncio.wait_for(arrived.get(), timeout=timeout)
            if page is None:
                raise RuntimeError("the browser context closed while a tab opened")
            info = await _target_info(context, page)
            if info is not None and info["targetId"] == created["targetId"]:
                break
    finally:
        context.remove_listener("page", arrived.put_nowait)
        context.remove_listener("close", ended)
    await session.detach()
    return page


def _ended(arrived: asyncio.Queue[Page | None]) -> Callable[[Any], None]:
    return lambda _: arrived.put_nowait(None)


async def _context_id(context: BrowserContext) -> str | None:
    """Chromium's id of ``context``, asked of one of its open tabs (another worker's tab may
    be closing meanwhile); None when it has none."""
    for page in context.pages:
        info = await _target_info(context, page)
        if info is not None:
            return info["browserContextId"]
    return None


async def _target_info(context: BrowserContext, page: Page) -> dict[str, str] | None:
    """The page's target as Chromium describes it; None if it closed meanwhile."""
    from playwright.async_api import Error as PlaywrightError  # the audit's own dependency

    if page.is_closed():
        return None
    try:
        session = await context.new_cdp_session(page)
        info: dict[str, str] = (await session.send("Target.getTargetInfo"))["targetInfo"]
    except PlaywrightError:
        return None
    try:
        await session.detach()
    except PlaywrightError:
        pass  # its tab closed: the session went with it
    return info
