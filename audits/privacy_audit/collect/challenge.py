"""Bot-protection pages standing in for the site's: a challenge ("Just a moment...") or a
block page from the service in front of it (Cloudflare, DataDome, Akamai...).

Some let a browser through within seconds: the page reloads into the site's, which is then
the page audited. Otherwise the audit saw nothing of the site there. It says so (the page
fails, kind ``blocked``, and a landing page that fails makes the audit incomplete) instead of
reporting on the service's page: no banner, no privacy link, findings about a page the client
never wrote.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any

from privacy_audit.frames import evaluate
from privacy_audit.i18n import text
from privacy_audit.observations import clear_error, set_error
from privacy_audit.resources import page_script
from privacy_audit.settings import Timeouts

if TYPE_CHECKING:
    from playwright.async_api import Page, Response

    from privacy_audit.observations import PageVisit

BLOCKED = "blocked"
"""The error kind of a page a bot-protection service kept from the audit."""
CHALLENGE_SCRIPT = page_script("privacy_audit.collect", "scripts/challenge.js")
"""The name of the bot-protection service whose challenge or block page the tab shows, or
null: by the markers of those pages only."""


def service_by_headers(response: Response | None) -> str | None:
    """The service that answered with a challenge, by the headers it documents."""
    if response is None:
        return None
    headers = response.headers
    if headers.get("cf-mitigated", "").lower() == "challenge":
        return "Cloudflare"
    if response.status in (401, 403, 429) and "x-datadome" in headers:
        return "DataDome"
    return None


async def get_through(
    page: Page,
    response: Response | None,
    visit: PageVisit,
    notes: list[str],
    timeouts: Timeouts,
    end: float,
) -> bool:
    """Whether the tab shows the site's page. On a bot-protection page, wait (``challenge``
    at most, never past ``end``, a `time.monotonic` time) for it to let the browser through:
    then the visit is the site's page, with a note; if it does not, the visit fails, kind
    ``blocked``, its error saying which service and what to do."""
    service = service_by_headers(response) or await _service_shown(page, timeouts)
    if service is None:
        return True
    statuses: list[int] = []

    def on_response(answer: Any) -> None:
        try:
            if answer.frame == page.main_frame and answer.request.is_navigation_request():
                statuses.append(answer.status)
        except Exception:  # noqa: BLE001, S110 - a response with no frame is no page of ours
            pass

    started = time.monotonic()
    deadline = min(started + timeouts.challenge, end)
    page.on("response", on_response)
    try:
        while time.monotonic() < deadline:
            await asyncio.sleep(timeouts.challenge_poll)
            if await _service_shown(page, timeouts, missing=service) is None:
                await _loaded(page, deadline)
                waited = time.monotonic() - started
                notes.append(
                    f"{visit.url}: the site's bot protection ({service}) let the browser "
                    f"through after {waited:.1f} s"
                )
                if statuses:
                    visit.status = statuses[-1]
                if visit.error_kind == "http" and (visit.status or 0) < 400:
                    clear_error(visit)
                visit.final_url = page.url or visit.final_url
                return True
    finally:
        page.remove_listener("response", on_response)
    waited = time.monotonic() - started
    error = text("page_error.blocked", service=service, seconds=f"{waited:.0f}")
    set_error(visit, error, BLOCKED)
    return False


async def _service_shown(page: Page, timeouts: Timeouts, missing: str | None = None) -> str | None:
    """The service whose page the tab shows, or None; ``missing`` when the page cannot be
    read now (a new document on its way: the next look reads it)."""
    try:
        found = await evaluate(page.main_frame, CHALLENGE_SCRIPT, timeout=timeouts.read)
    except Exception:  # noqa: BLE001 - navigating, or busy: unknown yet
        return missing
    return str(found) if found else None


async def _loaded(page: Page, deadline: float) -> None:
    """The site's page, once the service let the browser through, loaded (until ``deadline``)."""
    left = max(0.5, deadline - time.monotonic())
    try:
        await page.wait_for_load_state("load", timeout=left * 1000)
    except Exception:  # noqa: BLE001, S110 - still loading: the visit reads what there is
        pass
