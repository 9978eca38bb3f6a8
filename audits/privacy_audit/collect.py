"""Drive Chromium over a site in three consent states and record what it sets.

Each phase starts from a clean regular profile: ``before-consent`` loads pages and never
touches the banner, ``after-reject`` refuses everything on the landing page then browses,
``after-accept`` accepts everything then browses. ``before-consent`` also discovers the
pages (links and sitemap.xml, same registrable domain); the later phases visit the same
list, so the three are comparable. Faults are recorded on the page that caused them and the
crawl goes on within its time budget.
"""

from __future__ import annotations

import asyncio
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import PHASES
from .browser import BrowserChoice, find_browser, new_profile_dir, open_profile
from .consent import Action, ConsentDriver
from .crawl import LINKS_SCRIPT, Frontier, links_privacy_page, normalise_url, sitemap_urls
from .domains import host_of, registrable_domain
from .observations import BannerResult, Observations, PageVisit, PhaseObservations
from .recorder import PhaseRecorder, strip_query
from .settings import AuditSettings

if TYPE_CHECKING:
    from playwright.async_api import BrowserContext, Page, Playwright

PHASE_ACTIONS: dict[str, Action] = {
    "before-consent": "none",
    "after-reject": "reject",
    "after-accept": "accept",
}
SCREENSHOT_DIR = "screenshots"
SCREENSHOT_DELAY = 0.6  # seconds
TAB_VISITS = 20  # a tab is replaced after this many pages, so its renderer's memory stays flat
SITEMAP_SCRIPT = """async () => {
  try {
    const r = await fetch('/sitemap.xml', {credentials: 'omit', redirect: 'follow'});
    const type = r.headers.get('content-type') || '';
    return r.ok && !type.includes('html') ? (await r.text()).slice(0, 5000000) : '';
  } catch (e) { return ''; }
}"""

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

Progress = Callable[[str], None]


class AuditError(Exception):
    """The audit could not run at all (no browser, browser would not start); one line."""


def classify_error(message: str) -> str:
    """The kind of a navigation error: unreachable, tls, redirect_loop, timeout, crash, other."""
    for needle, kind in ERROR_KINDS:
        if needle in message:
            return kind
    return "other"


def _one_line(error: BaseException | str) -> str:
    text = " ".join(str(error).split())
    # Playwright appends a call log; the first sentence says it all.
    return text.split(" Call log:")[0].split(" =========")[0][:300]


class Collector:
    """One audit run: the browser found once, one clean profile per phase."""

    def __init__(
        self, settings: AuditSettings, out_dir: Path, progress: Progress | None = None
    ) -> None:
        self.settings = settings
        self.out_dir = out_dir
        self.progress = progress or (lambda message: None)
        self.site_domain = registrable_domain(host_of(settings.url))
        self.pages: list[str] = []
        self._deadline = 0.0

    async def run(self, playwright: "Playwright") -> Observations:
        started = datetime.now(timezone.utc)
        self._deadline = time.monotonic() + self.settings.budget
        choice = find_browser(self.settings.browser, playwright_path=_bundled_path(playwright))
        browser_info: dict[str, str] = {"path": choice.path, "source": choice.source}
        phases = []
        for index, phase in enumerate(PHASES):
            remaining = max(0.0, self._deadline - time.monotonic())
            phase_deadline = time.monotonic() + remaining / (len(PHASES) - index)
            phases.append(
                await self._run_phase(playwright, choice, phase, phase_deadline, browser_info)
            )
        return Observations(
            target_url=self.settings.url,
            site_domain=self.site_domain,
            started_at=_iso(started),
            finished_at=_iso(datetime.now(timezone.utc)),
            browser=browser_info,
            settings=self.settings.to_dict(),
            phases=phases,
        )

    async def _run_phase(
        self,
        playwright: "Playwright",
        choice: BrowserChoice,
        phase: str,
        deadline: float,
        browser_info: dict[str, str],
    ) -> PhaseObservations:
        self.progress(f"{phase}: starting")
        started = time.monotonic()
        observed = PhaseObservations(phase=phase)  # type: ignore[arg-type]
        recorder = PhaseRecorder(self.site_domain)
        profile = new_profile_dir()
        context: BrowserContext | None = None
        try:
            try:
                context = await open_profile(
                    playwright,
                    choice,
                    resolve=self.settings.resolve,
                    ignore_https_errors=self.settings.ignore_https_errors,
                    user_data_dir=profile,
                )
            except Exception as error:
                raise AuditError(
                    f"{choice.path}: the browser did not start: {_one_line(error)}"
                ) from None
            for extra in list(context.pages):  # the blank first tab of a persistent profile
                await extra.close()
            if "version" not in browser_info:
                browser_info["version"] = await _browser_version(context)
            await recorder.watch(context)
            await self._browse(context, recorder, phase, observed, deadline)
        finally:
            if context is not None:
                try:
                    await asyncio.wait_for(context.close(), timeout=15)
                except Exception:
                    pass
            shutil.rmtree(profile, ignore_errors=True)
        observed.cookies, observed.storage, observed.requests = recorder.finish()
        observed.blocked_cookies = recorder.blocked_cookies
        observed.duration_ms = round((time.monotonic() - started) * 1000, 1)
        self.progress(
            f"{phase}: {len(observed.pages)} page(s), {len(observed.cookies)} cookie(s), "
            f"{len(observed.requests)} third-party host(s)"
        )
        return observed

    async def _browse(
        self,
        context: "BrowserContext",
        recorder: PhaseRecorder,
        phase: str,
        observed: PhaseObservations,
        deadline: float,
    ) -> None:
        action = PHASE_ACTIONS[phase]
        landing_url = normalise_url(self.settings.url)
        screenshot = f"{SCREENSHOT_DIR}/{phase}.png"
        landing, _ = await self._visit(
            context,
            recorder,
            landing_url,
            deadline,
            action=action,
            screenshot=screenshot,
            discover=phase == PHASES[0],
        )
        observed.pages.append(landing.visit)
        observed.banner = landing.banner
        if phase == PHASES[0]:
            frontier = Frontier(landing_url, self.site_domain, self.settings.pages)
            frontier.pop()
            if landing.visit.final_url:
                frontier.mark_seen(landing.visit.final_url)
            frontier.add(link["href"] for link in landing.links)
            frontier.add(landing.sitemap)
            self.pages = [landing_url]
            await self._crawl(context, recorder, frontier, observed, deadline, discover=True)
            self.pages = [landing_url, *sorted(self.pages[1:])]
        else:
            frontier = Frontier(landing_url, self.site_domain, len(self.pages) + 1)
            frontier.add(self.pages)
            await self._crawl(context, recorder, frontier, observed, deadline, discover=False)
        # Workers finish in any order; reports read better, and runs compare, in URL order.
        observed.pages[1:] = sorted(observed.pages[1:], key=lambda visit: visit.url)

    async def _crawl(
        self,
        context: "BrowserContext",
        recorder: PhaseRecorder,
        frontier: Frontier,
        observed: PhaseObservations,
        deadline: float,
        *,
        discover: bool,
    ) -> None:
        in_flight = 0
        wake = asyncio.Condition()
        skipped: list[str] = []

        async def next_url() -> str | None:
            nonlocal in_flight
            async with wake:
                while True:
                    while not len(frontier) and in_flight:
                        await wake.wait()
                    url = frontier.pop()
                    if url is None:
                        wake.notify_all()
                        return None
                    if time.monotonic() < deadline - 1:
                        in_flight += 1
                        if discover:
                            self.pages.append(url)
                        return url
                    skipped.append(url)

        async def worker() -> None:
            nonlocal in_flight
            tab: _Tab | None = None
            try:
                while (url := await next_url()) is not None:
                    result = None
                    try:
                        result, tab = await self._visit(context, recorder, url, deadline, tab=tab)
                        observed.pages.append(result.visit)
                    finally:
                        async with wake:
                            in_flight -= 1
                            if discover and result is not None:
                                if result.visit.final_url:
                                    frontier.mark_seen(result.visit.final_url)
                                frontier.add(link["href"] for link in result.links)
                            wake.notify_all()
            finally:
                if tab is not None:
                    await _close(tab.page, recorder)

        await asyncio.gather(*(worker() for _ in range(self.settings.concurrency)))
        if skipped:
            observed.notes.append(
                f"time budget exhausted: {len(skipped)} page(s) not visited in this phase"
            )

    async def _visit(
        self,
        context: "BrowserContext",
        recorder: PhaseRecorder,
        url: str,
        deadline: float,
        *,
        tab: "_Tab | None" = None,
        action: Action | None = None,
        screenshot: str | None = None,
        discover: bool = False,
    ) -> "tuple[_Outcome, _Tab | None]":
        """Visit ``url`` in ``tab`` (or a new tab); returns the tab when it can be reused.

        A worker's tab navigates from page to page: opening and closing a tab per page costs
        more than the page itself on a small site. A tab that crashed, timed out or handled
        the banner is closed.
        """
        settings = self.settings
        remaining = deadline - time.monotonic()
        allowed = max(1.0, min(settings.timeout, remaining))
        # Load, settle, banner, screenshot and reads all fit in a bound, whatever the page
        # does, and the bound never runs more than a moment past the phase's share of budget.
        bound = allowed + settings.settle + (2 * settings.consent_wait + 10 if action else 10)
        bound = max(1.0, min(bound, remaining + 2))
        visit = PageVisit(url=url, final_url=None, status=None, title=None, load_ms=None)
        outcome = _Outcome(visit=visit, links=[], sitemap=[], banner=None)
        try:
            if tab is not None and tab.visits >= TAB_VISITS:
                await _close(tab.page, recorder)
                tab = None
            if tab is None or tab.page.is_closed() or tab.crashed.done():
                tab = await _open_tab(context, recorder, url)
            else:
                recorder.page_urls[tab.page] = url
            tab.visits += 1
            await asyncio.wait_for(
                self._drive(tab, recorder, outcome, allowed, action, screenshot, discover),
                timeout=bound,
            )
        except asyncio.TimeoutError:
            visit.error = visit.error or f"the page did not finish within {bound:.0f} s"
            visit.error_kind = visit.error_kind or "timeout"
        except Exception as error:
            visit.error = visit.error or _one_line(error)
            visit.error_kind = visit.error_kind or classify_error(str(error))
        finally:
            try:
                await asyncio.wait_for(recorder.snapshot_cookies(context, url), timeout=10)
            except Exception:
                pass
        # After a network error the tab is still settling on Chromium's error page, which
        # would interrupt the next navigation: only a tab that loaded a page is reused.
        reusable = action is None and visit.error_kind in (None, "http")
        if tab is not None and not reusable:
            await _close(tab.page, recorder)
            tab = None
        if action is not None and outcome.banner is None:
            outcome.banner = BannerResult(
                detected=False,
                action=action,
                method="none",
                succeeded=False,
                detail=f"banner not examined: {visit.error or 'the page did not load'}",
            )
        self.progress(f"  {visit.status or visit.error_kind or '-'} {url}")
        return outcome, tab

    async def _drive(
        self,
        tab: "_Tab",
        recorder: PhaseRecorder,
        outcome: "_Outcome",
        allowed: float,
        action: Action | None,
        screenshot: str | None,
        discover: bool,
    ) -> None:
        visit = outcome.visit
        page, crashed = tab.page, tab.crashed
        driver = ConsentDriver(page) if action is not None else None
        if driver is not None:
            await driver.install()
        started = time.monotonic()
        try:
            navigation = asyncio.ensure_future(
                page.goto(visit.url, wait_until="load", timeout=allowed * 1000)
            )
            racing: set[asyncio.Future[Any]] = {navigation, crashed}
            done, _ = await asyncio.wait(racing, return_when=asyncio.FIRST_COMPLETED)
            if navigation not in done:
                navigation.cancel()
                raise RuntimeError("the tab crashed while loading the page")
            response = navigation.result()
        except Exception as error:
            message = _one_line(error)
            visit.error, visit.error_kind = message, classify_error(message)
            if "crash" in message.lower() or crashed.done():
                visit.error_kind = "crash"
                return
            if visit.error_kind == "timeout":
                # A page still loading may have a document worth reading, or none yet: try
                # briefly, since reads wait for a document that may never come.
                try:
                    await asyncio.wait_for(self._read(page, outcome, recorder, False), timeout=3)
                except Exception:
                    pass
            return
        visit.load_ms = round((time.monotonic() - started) * 1000, 1)
        visit.final_url = strip_query(page.url) if page.url else None
        if response is not None:
            visit.status = response.status
            if response.status >= 400 and not visit.error:
                visit.error, visit.error_kind = f"HTTP {response.status}", "http"
        if driver is not None:
            await driver.wait_for_banner(self.settings.consent_wait)
        else:
            await asyncio.sleep(self.settings.settle)
        if screenshot:
            await asyncio.sleep(SCREENSHOT_DELAY)  # banners fade in: show the settled one
            target = self.out_dir / screenshot
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                await page.screenshot(path=str(target), timeout=10_000)
                visit.screenshot = screenshot
            except Exception:
                pass
        if driver is not None and action is not None:
            try:
                outcome.banner = await driver.act(action, self.settings.consent_wait)
            finally:
                await driver.close()
            await asyncio.sleep(self.settings.settle)
        visit.title = (await page.title())[:300] or None
        await self._read(page, outcome, recorder, discover)

    async def _read(
        self, page: "Page", outcome: "_Outcome", recorder: PhaseRecorder, discover: bool
    ) -> None:
        """Links, storage keys and, on the landing page of the first phase, the sitemap."""
        visit = outcome.visit
        outcome.links = [
            {"href": str(link.get("href", "")), "text": str(link.get("text", ""))}
            for link in await page.evaluate(LINKS_SCRIPT)
        ]
        visit.links_privacy_page = links_privacy_page(outcome.links)
        await recorder.snapshot_storage(page, visit.url)
        if discover:
            outcome.sitemap = sitemap_urls(await page.evaluate(SITEMAP_SCRIPT), page.url)


@dataclass
class _Outcome:
    """A visit and what it found besides: links to follow, sitemap entries, the banner."""

    visit: PageVisit
    links: list[dict[str, str]]
    sitemap: list[str]
    banner: BannerResult | None


@dataclass
class _Tab:
    page: "Page"
    crashed: "asyncio.Future[bool]"
    visits: int = 0


async def _open_tab(context: "BrowserContext", recorder: PhaseRecorder, url: str) -> _Tab:
    page = await context.new_page()
    crashed: asyncio.Future[bool] = asyncio.get_running_loop().create_future()

    def mark_crashed(_: "Page") -> None:
        if not crashed.done():
            crashed.set_result(True)

    page.on("crash", mark_crashed)
    await recorder.attach(page, url)
    return _Tab(page, crashed)


async def _close(page: "Page", recorder: PhaseRecorder) -> None:
    try:
        await asyncio.wait_for(page.close(), timeout=10)
    except Exception:
        pass
    recorder.page_urls.pop(page, None)


def _bundled_path(playwright: "Playwright") -> str | None:
    try:
        return playwright.chromium.executable_path
    except Exception:
        return None


async def _browser_version(context: "BrowserContext") -> str:
    browser = context.browser
    if browser is not None:
        return browser.version
    return ""


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


async def collect_async(
    settings: AuditSettings, out_dir: Path, progress: Progress | None = None
) -> Observations:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        return await Collector(settings, out_dir, progress).run(playwright)


def collect(
    settings: AuditSettings, out_dir: Path, progress: Progress | None = None
) -> Observations:
    """Run the three phases; screenshots go to ``out_dir/screenshots``. Raises `AuditError`."""
    return asyncio.run(collect_async(settings, out_dir, progress))
