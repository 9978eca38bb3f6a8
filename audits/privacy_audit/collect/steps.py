"""The steps of one page visit, each a small unit with what it needs passed in: load the page,
move the mouse, answer its banner, read it down as a visitor, read it (links, forms, sitemap,
title), read the profile's cookies, take the screenshot, let late scripts settle.

As the EDPS website-evidence-collector's ``collectLinks`` / ``collectCookies`` and OpenWPM's
command objects: `visit.PageVisitor` runs them in order within the page's time; each can be
run alone on a page in a test. A step records what went wrong on the visit or as a note, and
raises only what its caller bounds (timeouts, a tab gone).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from privacy_audit.collect.crawl import links_privacy_page, sitemap_urls
from privacy_audit.collect.domains import host_of, registrable_domain
from privacy_audit.collect.quiet import NetworkQuiet
from privacy_audit.collect.recorder import PhaseRecorder, strip_query
from privacy_audit.collect.windows import new_window
from privacy_audit.consent.driver import Action, ConsentDriver
from privacy_audit.i18n import text
from privacy_audit.observations import BannerResult, PageVisit, described, page_error, set_error
from privacy_audit.resources import page_script
from privacy_audit.settings import Timeouts

if TYPE_CHECKING:
    from playwright.async_api import BrowserContext, Page, Response


def _script(name: str) -> str:
    return page_script("privacy_audit.collect", f"scripts/{name}")


LINKS_SCRIPT = _script("links.js")
"""Every link of the page: its address and its text (or label), for the crawl and LK01."""
FORMS_SCRIPT = _script("forms.js")
"""Forms asking for personal data whose action resolves to plain http (TX02)."""
SITEMAP_SCRIPT = _script("sitemap.js")
"""The site's sitemap as text (with the first sitemaps an index lists), from the page's own
origin: /sitemap.xml, /wp-sitemap.xml or the one robots.txt names; empty when there is none."""
BROWSE_SCRIPT = _script("browse.js")
"""Down the page a screen at a time for at most the seconds given, then back to the top."""

# Chromium's net errors, grouped into the kinds a report speaks of.
ERROR_KINDS: tuple[tuple[str, str], ...] = (
    ("ERR_TOO_MANY_REDIRECTS", "redirect_loop"),
    ("ERR_CERT_", "tls"),
    ("ERR_SSL", "tls"),
    ("ERR_BAD_SSL", "tls"),
    ("crash", "crash"),
    ("ERR_CONNECTION_REFUSED", "unreachable"),
    ("ERR_NAME_NOT_RESOLVED", "unreachable"),
    ("ERR_NAME_RESOLUTION_FAILED", "unreachable"),
    ("ERR_ADDRESS_UNREACHABLE", "unreachable"),
    ("ERR_CONNECTION_RESET", "unreachable"),
    ("ERR_CONNECTION_CLOSED", "unreachable"),
    ("ERR_CONNECTION_TIMED_OUT", "unreachable"),
    ("ERR_EMPTY_RESPONSE", "unreachable"),
    ("ERR_INTERNET_DISCONNECTED", "unreachable"),
    ("ERR_TIMED_OUT", "timeout"),
    ("Timeout", "timeout"),
)


def classify_error(message: str) -> str:
    """The kind of a navigation error: unreachable, tls, redirect_loop, timeout, crash, other."""
    for needle, kind in ERROR_KINDS:
        if needle in message:
            return kind
    return "other"


def one_line(error: BaseException | str) -> str:
    """An error as one line of a note or a page's error."""
    words = " ".join(str(error).split())
    # Playwright appends a call log; the first sentence says it all.
    return words.split(" Call log:")[0].split(" =========")[0][:300]


@dataclass
class Tab:
    """A tab of a phase's profile, reused from page to page by one worker."""

    page: Page
    crashed: asyncio.Future[bool]
    network: NetworkQuiet
    visits: int = 0


@dataclass
class VisitOutcome:
    """A visit and what it found besides: links to follow, sitemap entries, the banner."""

    visit: PageVisit
    links: list[dict[str, str]] = field(default_factory=list)
    sitemap: list[str] = field(default_factory=list)
    banner: BannerResult | None = None
    notes: list[str] = field(default_factory=list)
    close_label: str | None = None  # the banner's close control (×), when it has one
    frames_elsewhere: bool = False  # the page has a frame of another site (`windows`)


async def open_tab(
    context: BrowserContext,
    recorder: PhaseRecorder,
    url: str,
    *,
    own_window: bool = False,
    timeout: float = Timeouts.tab,
) -> Tab:
    """A new tab of ``context`` (with ``own_window``, in a window of its own: `windows`),
    watched for crashes and for its network's quiet."""
    page = await new_window(context, timeout) if own_window else await context.new_page()
    crashed: asyncio.Future[bool] = asyncio.get_running_loop().create_future()

    def mark_crashed(_: Page) -> None:
        if not crashed.done():
            crashed.set_result(True)

    page.on("crash", mark_crashed)
    network = NetworkQuiet(page)
    await recorder.attach(page, url, network)
    return Tab(page, crashed, network)


async def close_tab(
    page: Page, recorder: PhaseRecorder, notes: list[str], timeout: float = Timeouts.close
) -> None:
    try:
        await asyncio.wait_for(page.close(), timeout=timeout)
    except Exception as error:  # noqa: BLE001 - a crashed or hung tab: noted, the browser
        # closes it with the context
        notes.append(f"a tab did not close: {one_line(error) or 'timed out'}")
    recorder.detach(page)


async def load(tab: Tab, visit: PageVisit, allowed: float) -> Response | None:
    """Navigate ``tab`` to the visit's URL, until ``load`` or ``allowed`` seconds; its final
    address, status and load time go to ``visit``. A failed load is recorded on ``visit``
    and raised, so that the caller can read what a page stuck loading shows."""
    started = time.monotonic()
    navigation = asyncio.ensure_future(
        tab.page.goto(visit.url, wait_until="load", timeout=allowed * 1000)
    )
    # Whatever happens next (crash, cancellation by the budget, Ctrl-C), the navigation
    # is cancelled and its outcome retrieved: no "exception never retrieved" at exit.
    navigation.add_done_callback(retrieve)
    try:
        racing: set[asyncio.Future[Any]] = {navigation, tab.crashed}
        done, _ = await asyncio.wait(racing, return_when=asyncio.FIRST_COMPLETED)
        if navigation not in done:
            set_error(visit, text("page_error.crashed"), "crash")
            raise RuntimeError(visit.error)
        response = navigation.result()
    except Exception as error:
        if visit.error_kind != "crash":
            message = one_line(error)
            crashed = "crash" in message.lower() or tab.crashed.done()
            set_error(visit, message, "crash" if crashed else classify_error(message))
        raise
    finally:
        if not navigation.done():
            navigation.cancel()
    visit.load_ms = round((time.monotonic() - started) * 1000, 1)
    visit.final_url = strip_query(tab.page.url) if tab.page.url else None
    if response is not None:
        visit.status = response.status
        if response.status >= 400 and not visit.error:
            set_error(visit, text("page_error.http", status=response.status), "http")
    return response


async def read_page(
    page: Page,
    outcome: VisitOutcome,
    recorder: PhaseRecorder,
    discover: bool,
    *,
    storage: float | None = None,
) -> None:
    """Links, forms, with ``discover`` the sitemap, and with ``storage`` the storage keys
    (each frame answering within that many seconds)."""
    visit = outcome.visit
    outcome.frames_elsewhere = frames_elsewhere(page)
    outcome.links = [
        {"href": str(link.get("href", "")), "text": str(link.get("text", ""))}
        for link in await page.evaluate(LINKS_SCRIPT)
    ]
    visit.links_privacy_page = links_privacy_page(outcome.links)
    visit.insecure_forms = sorted({str(a) for a in await page.evaluate(FORMS_SCRIPT)})
    if storage is not None:
        await recorder.snapshot_storage(page, visit.url, storage)
    if discover:
        outcome.sitemap = sitemap_urls(await page.evaluate(SITEMAP_SCRIPT), page.url)


def frames_elsewhere(page: Page) -> bool:
    """Whether a frame of ``page`` shows a page of another site (its own process, in
    Chromium): what Playwright knows of the frames, no call to the browser."""
    site = _site_of(page.url)
    return any(
        _site_of(frame.url) not in (site, None) for frame in page.frames if frame != page.main_frame
    )


def _site_of(url: str) -> tuple[str, str] | None:
    scheme, host = url.partition(":")[0].lower(), host_of(url)
    if scheme not in ("http", "https") or not host:
        return None  # about:blank, data:, srcdoc: the page's own
    return scheme, registrable_domain(host)


REPLACED = "Execution context was destroyed"
"""What Playwright says of a read whose document was replaced while it ran (a navigation)."""


async def read_document(
    page: Page, outcome: VisitOutcome, recorder: PhaseRecorder, discover: bool, timeout: float
) -> None:
    """The title, then `read_page`. When the document is replaced meanwhile (a consent
    manager that reloads the page once the choice is stored, a redirect after it), the
    new one is read once it has loaded, within ``timeout``: what the visitor then sees."""
    for attempt in range(2):
        try:
            outcome.visit.title = (await page.title())[:300] or None
            await read_page(page, outcome, recorder, discover)
            return
        except Exception as error:
            if attempt or REPLACED not in str(error):
                raise
            outcome.notes.append(f"{outcome.visit.url}: the page reloaded or moved; read again")
            await page.wait_for_load_state("load", timeout=timeout * 1000)


async def move_mouse(page: Page, outcome: VisitOutcome, timeouts: Timeouts) -> None:
    """The visitor's first gesture, as soon as the page shows: the mouse moves over it,
    nothing is clicked. What a site holds back until then (the "delay JavaScript" of
    performance plugins, which may hold the consent manager too) runs, before the banner is
    looked for. A page that does not take it within ``read`` is a note."""
    size = page.viewport_size or {"width": 1280, "height": 720}
    width, height = size["width"], size["height"]

    async def gesture() -> None:
        await page.mouse.move(width / 4, height / 4)
        await page.mouse.move(width / 2, height / 2, steps=2)

    await _as_visitor(gesture(), outcome, timeouts.read, "the mouse not moved")


async def read_down(page: Page, outcome: VisitOutcome, timeouts: Timeouts) -> None:
    """After the choice (or with none), the wheel turns and the page is read down a screen
    at a time, then back to the top, never clicking or typing: embeds loaded lazily below
    the fold load, and tags started by scrolling run. A page that does not let it finish
    within ``read`` (plus ``browse``) is a note."""
    size = page.viewport_size or {"width": 1280, "height": 720}

    async def scroll() -> None:
        await page.mouse.wheel(0, size["height"] / 4)
        await page.evaluate(BROWSE_SCRIPT, timeouts.browse)

    await _as_visitor(scroll(), outcome, timeouts.read + timeouts.browse, "not read down")


async def _as_visitor(
    gesture: Coroutine[Any, Any, None], outcome: VisitOutcome, timeout: float, failed: str
) -> None:
    try:
        await asyncio.wait_for(gesture, timeout=timeout)
    except Exception as error:  # noqa: BLE001 - a busy or closed page: what loaded is read
        reason = one_line(error) or "no answer in time"
        outcome.notes.append(f"{outcome.visit.url}: {failed}: {reason}")


async def read_cookies(
    recorder: PhaseRecorder,
    context: BrowserContext,
    url: str,
    timeout: float,
    notes: list[str],
) -> None:
    """The cookies the profile holds after the visit of ``url``; a failure is a note."""
    try:
        await asyncio.wait_for(recorder.snapshot_cookies(context, url), timeout=timeout)
    except Exception as error:  # noqa: BLE001 - a timeout, the context gone: the next page's
        # read sees the cookies; the note says why this one did not
        notes.append(f"{url}: cookies not read: {one_line(error) or 'timed out'}")


async def screenshot(
    page: Page, outcome: VisitOutcome, out_dir: Path, relative: str, timeout: float
) -> None:
    """The page as the visitor sees it, into ``out_dir/relative``; a failure is a note."""
    target = out_dir / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        await page.screenshot(path=str(target), timeout=timeout * 1000)
        outcome.visit.screenshot = relative
    except Exception as error:  # noqa: BLE001 - a report without its picture, not a fault
        outcome.notes.append(f"{outcome.visit.url}: screenshot not taken: {one_line(error)}")


async def close_banner(driver: ConsentDriver, outcome: VisitOutcome) -> None:
    """Click the banner's close control (×): the close probe's only choice (BN08)."""
    label, closed = await driver.close_banner()
    outcome.banner = BannerResult(
        detected=label is not None,
        action="none",
        method="text-fallback" if label else "none",
        succeeded=closed,
        **described(
            text("banner_detail.closed_with", label=repr(label))
            if label
            else text("banner_detail.no_close_control")
        ),
        clicks=1 if label else None,
        clicked=[label] if label else [],
    )


def not_examined(action: Action, visit: PageVisit) -> BannerResult:
    """The banner of a page that failed before its banner could be looked at."""
    return BannerResult(
        detected=False,
        action=action if action != "close" else "none",
        method="none",
        succeeded=False,
        **described(
            text(
                "banner_detail.not_examined",
                reason=page_error(visit) or text("banner_detail.page_not_loaded"),
            )
        ),
    )


async def name_cmp(driver: ConsentDriver, banner: BannerResult, grace: float) -> None:
    """The consent manager of a banner left unanswered, as autoconsent recognises it and its
    own signature confirms."""
    await driver.wait_for_autoconsent(grace)
    banner.cmp = await driver.consent_manager()


async def withdraw(driver: ConsentDriver, banner: BannerResult) -> None:
    """Whether the page offers a way back on the choice just made (a "Manage cookies" link,
    the consent manager's icon)."""
    banner.withdraw_option_found = await driver.withdraw_option_found()


def left(wait: float, end: float) -> float:
    """``wait``, cut to what is left before ``end`` (a monotonic time)."""
    return max(0.0, min(wait, end - time.monotonic()))


def retrieve(task: asyncio.Future[Any]) -> None:
    """Read a finished task's outcome so asyncio never reports it as unretrieved."""
    if not task.cancelled():
        task.exception()
