"""Drive Chromium over a site in three consent states and record what it sets.

Each phase starts from a clean regular profile: ``before-consent`` loads pages and never
touches the banner, ``after-reject`` refuses everything on the landing page then browses,
``after-accept`` accepts everything then browses. ``before-consent`` also discovers the
pages (links and sitemap.xml, same registrable domain); the later phases visit the same
list, so the three are comparable. Faults are recorded on the page that caused them and the
crawl goes on within its time budget.

The collector holds the phases and their workers; one page's visit is `visit.PageVisitor`,
made of the small units of `steps` (load, answer the banner, read, settle).
"""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from privacy_audit import PHASES
from privacy_audit.collect.browser import (
    BrowserKeeper,
    BrowserStartError,
    SharedBrowser,
    find_browser,
)
from privacy_audit.collect.crawl import Frontier, normalise_url, same_site_page
from privacy_audit.collect.domains import Site, SiteDomains, host_of, registrable_domain
from privacy_audit.collect.recorder import PhaseRecorder
from privacy_audit.collect.steps import (
    Tab,
    VisitOutcome,
    close_tab,
    one_line,
    open_tab,
    retrieve,
)
from privacy_audit.collect.visit import PageVisitor, Progress
from privacy_audit.consent.driver import Action
from privacy_audit.i18n import text
from privacy_audit.observations import Observations, PhaseObservations, add_note
from privacy_audit.settings import BUDGET_RESERVE, AuditSettings

if TYPE_CHECKING:
    from playwright.async_api import Browser, BrowserContext, Playwright

PHASE_ACTIONS: dict[str, Action] = {
    "before-consent": "none",
    "after-reject": "reject",
    "after-accept": "accept",
    "after-close": "close",
}
CLOSE_PROBE = "after-close"
"""A fourth, internal run: the banner closed with its ×, for BN08 (not a reported phase)."""
SCREENSHOT_DIR = "screenshots"


BROWSER_CLOSE = 0.5
"""Seconds kept at the budget's end for the browser's ``Browser.close`` (the kill and its
wait, ``Timeouts.terminate``, come on top): the budget is a wall clock, close included."""
CLOSE_RESERVE = 3.0
"""Seconds at least (``BUDGET_RESERVE`` of a long budget) between the end of the phases and
the end of the budget: the pages stop, then the browser closes itself in that time, and
is killed by process id only if it has not."""


class AuditError(Exception):
    """The audit could not run at all (no browser, browser would not start); one line."""


class Collector:
    """One audit run: the browser found once, one clean profile per phase."""

    def __init__(
        self,
        settings: AuditSettings,
        out_dir: Path,
        progress: Progress | None = None,
        started: float | None = None,
        keeper: BrowserKeeper | None = None,
    ) -> None:
        self.settings = settings
        self.keeper = keeper  # hands the browser over to the next audit (`host.BrowserHost`)
        self.started_browser = 0  # 1 once this audit started a browser of its own
        self.progress = progress or (lambda message: None)
        self.visitor = PageVisitor(settings, out_dir, self.progress)
        self.site_domain = registrable_domain(host_of(settings.url))
        self.site = SiteDomains(self.site_domain)
        self.pages: list[str] = []
        # The budget is a wall clock from the call of `collect`, browser start included.
        self._started = time.monotonic() if started is None else started
        self._deadline = 0.0
        self._context_options: dict[str, str] = {}  # a tagged User-Agent, when asked
        # Contexts opened and not closed yet: a browser with any is not lent again.
        self._open_contexts = 0
        # Phases whose landing page has a frame of another site: their next tabs get a
        # window of their own (`windows`).
        self._own_windows: set[str] = set()

    async def run(self, playwright: Playwright) -> Observations:
        """The three phases (and the close probe) at once, each in its own browser profile.

        Only ``before-consent`` discovers pages; the others answer their banner meanwhile
        and wait for its page list before browsing, so the three visit the same pages.
        """
        started = datetime.now(timezone.utc)
        budget = self.settings.budget
        self._end = self._started + budget
        self._deadline = self._end - max(budget * BUDGET_RESERVE, CLOSE_RESERVE)
        self._discovery = _Discovery()
        self._close_label: asyncio.Future[str | None] = asyncio.get_running_loop().create_future()
        choice = find_browser(self.settings.browser, playwright_path=_bundled_path(playwright))
        browser_info: dict[str, str] = {"path": choice.path, "source": choice.source}
        timeouts = self.settings.timeouts
        close_by = asyncio.get_running_loop().time() + (self._end - time.monotonic())
        browser_options: dict[str, Any] = {
            "resolve": self.settings.resolve,
            "timeouts": timeouts,
            "close_by": close_by,
        }
        if self.keeper is not None:
            shared = await self.keeper.lend(playwright, choice, **browser_options)
        else:
            shared = SharedBrowser(playwright, choice, **browser_options)
        self.started_browser = 0 if shared.reused else 1
        self._open_contexts = 0
        results: list[Any] | None = None
        try:
            browser = await shared.start()
            try:
                browser_info["version"] = browser.version
                self._context_options = await self._visitor_agent(browser)
                browser_info.update(self._context_options)
                results = await asyncio.gather(
                    *(self._run_phase(browser, name) for name in PHASES),
                    self._probe_close(browser),
                    return_exceptions=True,
                )
            finally:
                # Lent again only when every context this audit opened was closed in time
                # and nothing failed; else closed (or killed) within this audit's budget.
                kept = self.keeper is not None and self._open_contexts == 0 and shared.alive()
                if results is None or any(isinstance(r, BaseException) for r in results):
                    kept = False
                if kept:
                    assert self.keeper is not None
                    self.keeper.keep(shared)
                else:
                    await shared.close()
        except BrowserStartError as error:
            raise AuditError(str(error)) from None
        except Exception as error:  # what connecting raises is Playwright's
            # to choose; only a browser that never was usable is an AuditError, else re-raised
            if shared.browser is None:
                raise AuditError(
                    f"{choice.path}: the browser did not start: {one_line(error)}"
                ) from None
            raise
        for result in results:
            if isinstance(result, BaseException):
                raise result
        phases = [r for r in results if isinstance(r, PhaseObservations)]
        phases[0].notes.extend(shared.notes)  # the browser's own troubles, once
        probe = next((p for p in phases if p.phase == CLOSE_PROBE), None)
        return Observations(
            target_url=self.settings.url,
            site_domain=self.site_domain,
            started_at=_iso(started),
            finished_at=_iso(datetime.now(timezone.utc)),
            browser=browser_info,
            settings=self.settings.to_dict(),
            phases=[p for p in phases if p.phase != CLOSE_PROBE],
            close_probe=_close_probe(probe) if probe is not None else None,
        )

    async def _visitor_agent(self, browser: Browser) -> dict[str, str]:
        """``user_agent``: the browser's own User-Agent as a visitor's desktop browser sends
        it (a headless Chromium says "HeadlessChrome", which sites and consent managers
        may serve without their banner or tags, as to a robot), with ``--user-agent-tag``
        appended (a client's firewall can let the audit through)."""
        session = await browser.new_browser_cdp_session()
        try:
            version = await session.send("Browser.getVersion")
        finally:
            await session.detach()
        agent = str(version["userAgent"]).replace("HeadlessChrome/", "Chrome/")
        tag = self.settings.user_agent_tag
        return {"user_agent": f"{agent} {tag}" if tag else agent}

    async def _probe_close(self, browser: Browser) -> PhaseObservations | None:
        """Only for a banner with a close control (×): a fresh context closes it (BN08)."""
        if await self._close_label is None:
            return None
        return await self._run_phase(browser, CLOSE_PROBE)

    async def _run_phase(self, browser: Browser, phase: str) -> PhaseObservations:
        """One phase in its own context of the shared browser: a clean cookie jar."""
        self.progress(f"{phase}: starting")
        started = time.monotonic()
        observed = PhaseObservations(phase=phase)  # type: ignore[arg-type]
        recorder = PhaseRecorder(self.site)
        context: BrowserContext | None = None
        stopped = False
        try:
            context = await browser.new_context(
                ignore_https_errors=self.settings.ignore_https_errors,
                viewport={"width": 1280, "height": 800},
                **self._visitor_options(),
                **self._context_options,
            )
            self._open_contexts += 1
            await recorder.watch(context)
            try:
                # The budget is a wall clock: whatever a page does, the phase stops in time.
                await asyncio.wait_for(
                    self._browse(context, recorder, phase, observed),
                    timeout=max(0.5, self._deadline - time.monotonic()),
                )
            except asyncio.TimeoutError:
                stopped = True
                add_note(observed, text("note.budget_exhausted"))
                visited = {page.url for page in observed.pages}
                unvisited = [url for url in self._discovery.urls if url not in visited]
                observed.skipped = max(observed.skipped, len(unvisited), 1)
        finally:
            if phase == PHASES[0]:  # whatever happened, the followers stop waiting
                await self._discovery.finish()
                if not self._close_label.done():
                    self._close_label.set_result(None)
            # Stopped by the budget, the phase leaves its context to the browser's close
            # (Browser.close ends them all): what is left of the budget is the browser's.
            if context is not None and not stopped:
                # Within the budget: what a frame's headers did not say in time is not read.
                await recorder.flush(
                    min(self.settings.timeouts.read, self._deadline - time.monotonic())
                )
                await self._close_context(context, observed.notes)
        observed.cookies, observed.storage, observed.requests = recorder.finish()
        observed.blocked_cookies = recorder.blocked_cookies
        observed.notes.extend(recorder.notes)
        observed.duration_ms = round((time.monotonic() - started) * 1000, 1)
        self.progress(
            f"{phase}: {len(observed.pages)} page(s), {len(observed.cookies)} cookie(s), "
            f"{len(observed.requests)} third-party host(s)"
        )
        return observed

    def _closing_time(self) -> float:
        """How long a tab or a phase's context may take to close: ``Timeouts.close``, and
        never into the time the browser's own close needs before the budget's end."""
        timeouts = self.settings.timeouts
        browser_end = self._end - timeouts.terminate - BROWSER_CLOSE
        return max(0.3, min(timeouts.close, browser_end - time.monotonic()))

    async def _close_context(self, context: BrowserContext, notes: list[str]) -> None:
        """Close a phase's context in time; the browser itself is closed (or killed) once."""
        allowed = self._closing_time()
        closing = asyncio.ensure_future(context.close())
        closing.add_done_callback(retrieve)
        try:
            await asyncio.wait_for(asyncio.shield(closing), timeout=allowed)
            self._open_contexts -= 1
        except Exception as error:  # noqa: BLE001 - a timeout, a crashed browser: noted; the
            # browser itself is closed (or killed) once, after every phase
            notes.append(f"the phase's context did not close: {one_line(error) or 'timed out'}")

    async def _browse(
        self,
        context: BrowserContext,
        recorder: PhaseRecorder,
        phase: str,
        observed: PhaseObservations,
    ) -> None:
        deadline = self._deadline
        action = PHASE_ACTIONS[phase]
        landing_url = normalise_url(self.settings.url)
        # One screenshot, of the banner as a new visitor sees it: the only one the report
        # shows, so the other phases take none.
        screenshot = f"{SCREENSHOT_DIR}/{phase}.png" if phase == PHASES[0] else None
        # The other workers' tabs open while the landing page settles after the choice
        # (opened during the banner's handling, a tab made a consent manager miss the
        # autoconsent click: cookieconsent 3): ready when the landing page is done. Only as
        # many as the pages its links and sitemap lead to can use (a worker without a tab
        # opens its own when the crawl finds it a page): on a two-page site the landing
        # tab is all the next page needs, and a tab costs as much CPU as a page.
        workers = 1 if phase == CLOSE_PROBE else min(self.settings.concurrency, self.settings.pages)
        opening: list[asyncio.Future[Tab]] = []

        def open_tabs(landing: VisitOutcome) -> None:
            self._learn_site(landing, observed.notes)
            # Behind the landing tab, a tab's first page with a frame of another site is
            # neither drawn nor read down for seconds (`windows`): such sites get a window.
            if landing.frames_elsewhere:
                self._own_windows.add(phase)
            useful = min(workers, self._pages_beyond(landing)) - 1
            while len(opening) < useful:
                tab = open_tab(
                    context,
                    recorder,
                    landing_url,
                    own_window=phase in self._own_windows,
                    timeout=self.settings.timeouts.tab,
                )
                opening.append(asyncio.ensure_future(tab))
                opening[-1].add_done_callback(retrieve)

        try:
            landing, landing_tab = await self.visitor.visit(
                context,
                recorder,
                landing_url,
                deadline,
                observed.notes,
                action=action,
                screenshot=screenshot,
                discover=phase == PHASES[0],
                after_reading=open_tabs,
                cut_short=observed.pages,
            )
        except BaseException:
            for task in opening:  # stopped by the budget or Ctrl-C: no one will use them
                task.cancel()
            raise
        observed.pages.append(landing.visit)
        observed.banner = landing.banner
        self._learn_site(landing, observed.notes)
        if phase == CLOSE_PROBE:
            return
        tabs = [landing_tab] if landing_tab is not None else []
        for task in opening:
            try:
                tabs.append(await task)
            except Exception as error:  # noqa: BLE001 - the worker opens its own tab when it
                # starts; this one's failure is a note
                observed.notes.append(f"a tab did not open in advance: {one_line(error)}")
        if phase == PHASES[0]:
            if not self._close_label.done():
                self._close_label.set_result(landing.close_label)
            frontier = Frontier(landing_url, self.site, self.settings.pages)
            frontier.pop()
            if landing.visit.final_url:
                frontier.mark_seen(landing.visit.final_url)
            links = [link["href"] for link in landing.links]
            if not landing.sitemap and not any(same_site_page(u, self.site) for u in links):
                # The landing page ran out of time (or failed) before its links were read, or
                # it showed only a consent wall (a page of another host, no link into the
                # site): the links the other phases read on it after their choice, as soon as
                # one has.
                wait_until = min(deadline, time.monotonic() + self.settings.timeout)
                links = await self._discovery.links_read_elsewhere(wait_until)
            frontier.add(links)
            frontier.add(landing.sitemap)
            self.pages = [landing_url]
            await self._discovery.publish(landing_url)
            await self._crawl(context, recorder, frontier, observed, deadline, tabs, discover=True)
            await self._discovery.finish()
            self.pages = [landing_url, *sorted(self.pages[1:])]
        else:
            await self._discovery.offer([link["href"] for link in landing.links], self.site)
            # The pages the first phase discovers, as it discovers them: what the choice
            # left on the next page views.
            await self._follow(context, recorder, observed, deadline, tabs)
        # Workers finish in any order; reports read better, and runs compare, in URL order.
        observed.pages[1:] = sorted(observed.pages[1:], key=lambda visit: visit.url)

    def _visitor_options(self) -> dict[str, str]:
        """The language and time zone of the client's visitors (`privacy_audit.visitor`)."""
        options = {}
        if self.settings.locale:
            options["locale"] = self.settings.locale
        if self.settings.timezone:
            options["timezone_id"] = self.settings.timezone
        return options

    def _learn_site(self, landing: VisitOutcome, notes: list[str]) -> None:
        """A landing page that ends on another registrable domain and links into it is the
        site's page there (brand.fr sending its visitors to brand.com/fr/): that domain is the
        site's too, its pages crawled and what it sets first party. A consent page on another
        host, with no link into its own domain, is not the site."""
        final = landing.visit.final_url
        if not final or landing.visit.error:
            return
        domain = registrable_domain(host_of(final))
        here = normalise_url(final)
        links = [link["href"] for link in landing.links]
        if domain in self.site or not any(
            (page := same_site_page(href, domain)) and page != here for href in links
        ):
            return
        if self.site.add(domain):
            notes.append(
                f"the landing page leads to {domain} ({final}): its pages are crawled and what "
                f"{domain} sets is the site's own"
            )

    def _pages_beyond(self, landing: VisitOutcome) -> int:
        """How many pages of the site, besides the landing page, its links and sitemap name
        (at most ``--pages`` minus the landing page)."""
        here = {normalise_url(self.settings.url)}
        if landing.visit.final_url:
            here.add(normalise_url(landing.visit.final_url))
        hrefs = [link["href"] for link in landing.links] + list(landing.sitemap)
        pages = {page for href in hrefs if (page := same_site_page(href, self.site))}
        return min(len(pages - here), self.settings.pages - 1)

    async def _visit_next(
        self,
        context: BrowserContext,
        recorder: PhaseRecorder,
        url: str,
        deadline: float,
        observed: PhaseObservations,
        tab: Tab | None,
    ) -> tuple[VisitOutcome, Tab | None]:
        """A worker's visit, recorded in ``observed`` (cut short, if the budget stops it)."""
        result, tab = await self.visitor.visit(
            context,
            recorder,
            url,
            deadline,
            observed.notes,
            tab=tab,
            cut_short=observed.pages,
            own_window=observed.phase in self._own_windows,
        )
        observed.pages.append(result.visit)
        return result, tab

    async def _crawl(
        self,
        context: BrowserContext,
        recorder: PhaseRecorder,
        frontier: Frontier,
        observed: PhaseObservations,
        deadline: float,
        spare: list[Tab],
        *,
        discover: bool,
    ) -> None:
        """Visit the frontier's pages, ``--concurrency`` at a time, each worker in a tab of
        ``spare`` while there is one."""
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
                        recorder.will_visit(url)  # in the frontier's order, under the lock
                        if discover:
                            self.pages.append(url)
                            await self._discovery.publish(url)
                        return url
                    skipped.append(url)

        async def worker() -> None:
            nonlocal in_flight
            tab: Tab | None = spare.pop() if spare else None
            try:
                while (url := await next_url()) is not None:
                    result = None
                    try:
                        result, tab = await self._visit_next(
                            context, recorder, url, deadline, observed, tab
                        )
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
                    await close_tab(tab.page, recorder, observed.notes, self._closing_time())

        await asyncio.gather(*(worker() for _ in range(self.settings.concurrency)))
        if skipped:
            observed.skipped += len(skipped)
            add_note(observed, text("note.pages_not_visited", n=len(skipped)))

    async def _follow(
        self,
        context: BrowserContext,
        recorder: PhaseRecorder,
        observed: PhaseObservations,
        deadline: float,
        spare: list[Tab],
    ) -> None:
        """Visit the discovered pages, each once, ``--concurrency`` at a time, each worker in
        a tab of ``spare`` while there is one."""
        # The landing page was just visited to make the choice: it is visited again only
        # when it is the whole site, so that a next page view is always observed.
        position = 1
        skipped = 0
        revisit_landing = True

        async def worker() -> None:
            nonlocal position, skipped, revisit_landing
            tab: Tab | None = spare.pop() if spare else None
            try:
                while True:
                    index, position = position, position + 1
                    url = await self._discovery.get(index)
                    if url is None:
                        if not (revisit_landing and index == 1):
                            return
                        revisit_landing = False
                        url = await self._discovery.get(0)
                        if url is None:
                            return
                    if time.monotonic() >= deadline - 1:
                        skipped += 1
                        continue
                    recorder.will_visit(url, index)  # the first phase's order
                    _, tab = await self._visit_next(context, recorder, url, deadline, observed, tab)
            finally:
                if tab is not None:
                    await close_tab(tab.page, recorder, observed.notes, self._closing_time())

        await asyncio.gather(*(worker() for _ in range(self.settings.concurrency)))
        if skipped:
            observed.skipped += skipped
            add_note(observed, text("note.pages_not_visited", n=skipped))


class _Discovery:
    """The pages the first phase discovers, published one by one to the other phases; and
    the links the other phases read on their landing page, should the first phase's landing
    page fail before its links are read."""

    FOLLOWERS = len(PHASES) - 1

    def __init__(self) -> None:
        self.urls: list[str] = []
        self.done = False
        self._changed = asyncio.Condition()
        self._offered: list[str] = []
        self._offers = 0

    async def offer(self, links: list[str], site: Site) -> None:
        """A follower's landing page was read (its links, maybe none)."""
        async with self._changed:
            self._offers += 1
            self._offered += [u for u in links if same_site_page(u, site)]
            self._changed.notify_all()

    async def links_read_elsewhere(self, deadline: float) -> list[str]:
        """Links another phase read on the landing page, once one has or all have tried (or
        the phase's deadline passed)."""
        async with self._changed:
            while not self._offered and self._offers < self.FOLLOWERS:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                try:
                    await asyncio.wait_for(self._changed.wait(), timeout=remaining)
                except asyncio.TimeoutError:
                    break
            return list(self._offered)

    async def publish(self, url: str) -> None:
        async with self._changed:
            if not self.done and url not in self.urls:
                self.urls.append(url)
            self._changed.notify_all()

    async def finish(self) -> None:
        async with self._changed:
            self.done = True
            self._changed.notify_all()

    async def get(self, index: int) -> str | None:
        """The ``index``-th page, waiting for it; None once discovery is over without it."""
        async with self._changed:
            while index >= len(self.urls) and not self.done:
                await self._changed.wait()
            return self.urls[index] if index < len(self.urls) else None


def _close_probe(probe: PhaseObservations) -> dict[str, Any]:
    """The close probe as names only: what the site set after its banner was closed (×)."""
    banner = probe.banner
    return {
        "closed": bool(banner and banner.succeeded),
        "label": banner.clicked[0] if banner and banner.clicked else None,
        "page_url": probe.pages[0].url if probe.pages else None,
        "cookies": sorted({c.name for c in probe.cookies}),
        "storage": sorted({s.key for s in probe.storage}),
        "hosts": sorted({r.host for r in probe.requests if r.party == "third"}),
        "notes": list(probe.notes),
    }


def _bundled_path(playwright: Playwright) -> str | None:
    try:
        return playwright.chromium.executable_path
    except Exception:  # noqa: BLE001 - no bundled browser: the system one is searched next
        return None


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


async def collect_async(
    settings: AuditSettings, out_dir: Path, progress: Progress | None = None
) -> Observations:
    from playwright.async_api import async_playwright

    started = time.monotonic()
    async with async_playwright() as playwright:
        return await Collector(settings, out_dir, progress, started).run(playwright)


def collect(
    settings: AuditSettings, out_dir: Path, progress: Progress | None = None
) -> Observations:
    """Run the three phases; screenshots go to ``out_dir/screenshots``. Raises `AuditError`."""
    return asyncio.run(collect_async(settings, out_dir, progress))
