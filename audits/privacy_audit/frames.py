"""Running a page script in the frames of a tab: the banner scan, the withdrawal check and
the storage read look into every frame.

A frame that holds no document yet has no URL: an iframe with ``loading="lazy"`` below the
fold (WordPress adds it to every embed) until the visitor scrolls near it, or one whose
first response has not come. Playwright's ``evaluate`` there waits for a document that may
never come, so such a frame is skipped; the next look sees it once it has loaded. A frame
that does not answer in time (a third party's busy script) is given up with an error.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.async_api import Frame, Page


def loaded_frames(page: Page) -> list[Frame]:
    """The frames of ``page`` that hold a document, the main frame first."""
    return [frame for frame in page.frames if frame.url]


async def evaluate(frame: Frame, script: str, arg: Any = None, *, timeout: float) -> Any:
    """``frame.evaluate(script, arg)``, or `asyncio.TimeoutError` after ``timeout`` seconds."""
    return await asyncio.wait_for(frame.evaluate(script, arg), timeout=timeout)
