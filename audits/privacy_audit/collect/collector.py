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
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from privacy_audit import PHASES
from privacy_audit.collect.browser import BrowserStartError, SharedBrowser, find_browser
from privacy_audit.collect.crawl import (
    LINKS_SCRIPT,
    Frontier,
    links_privacy_page,
    normalise_url,
    sitemap_urls,
)
from privacy_audit.collect.domains import host_of, registrable_domain
from privacy_audit.collect.quiet import NetworkQuiet
from privacy_audit.collect.recorder import PhaseRecorder, strip_query
from privacy_audit.consent.driver import Action, ConsentDriver
from privacy_audit.i18n import text
from privacy_audit.observations import (
    BannerResult,
    Observations,
    PageVisit,
    PhaseObservations,
    add_note,
    described,
)
from privacy_audit.settings import BUDGET_RESERVE, AuditSettings, Timeouts

if TYPE_CHECKING:
    from playwright.async_api import Browser, BrowserContext, Page, Playwright

PHASE_ACTIONS: dict[str, Action] = {
    "before-consent": "none",
    "after-reject": "reject",
    "after-accept": "accept",
    "after-close": "close",
}
CLOSE_PROBE = "after-close"
"""A fourth, internal run: the banner closed with its ×, for BN08 (not a reported phase)."""
SCREENSHOT_DIR = "screenshots"
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

# Forms asking for personal data whose action resolves to plain http (TX02).
FORMS_SCRIPT = """() => Array.from(document.forms).filter(f =>
  f.querySelector('input[type=email], input[type=password], input[type=tel], input[type=text],'
    + ' input:not([type]), textarea')
).map(f => { try { const u = new URL(f.action || location.href, location.href);
  return u.protocol === 'http:' ? u.origin + u.pathname : null; } catch (e) { return null; } }
).filter(Boolean)"""

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
        self,
        settings: AuditSettings,
        out_dir: Path,
        progress: Progress | None = None,
        started: float | None = None,
    ) -> None:
        self.settings = settings
        self.out_dir = out_dir
        self.progress = progress or (lambda message: None)
        self.site_domain = registrable_domain(host_of(settings.url))
        self.pages: list[str] = []
        # The budget is a wall clock from the call of `collect`, browser start included.
        self._started = time.monotonic() if started is None else started
        self._deadline = 0.0
        self._context_options: dict[str, str] = {}  # a tagged User-Agent, when asked

    async def run(self, playwright: "Playwright") -> Observations:
        """The three phases (and the close probe) at once, each in its own browser profile.

        Only ``before-consent`` discovers pages; the others answer their banner meanwhile
        and wait for its page list before browsing, so the three visit the same pages.
        """
        started = datetime.now(timezone.utc)
        budget = self.settings.budget
        self._deadline = self._started + budget * (1 - BUDGET_RESERVE)
        self._end = self._started + budget
        self._discovery = _Discovery()
        self._close_label: asyncio.Future[str | None] = asyncio.get_running_loop().create_future()
        choice = find_browser(self.settings.browser, playwright_path=_bundled_path(playwright))
        browser_info: dict[str, str] = {"path": choice.path, "source": choice.source}
        timeouts = self.settings.timeouts
        shared = SharedBrowser(
            playwright,
            choice,
            resolve=self.settings.resolve,
            timeouts=timeouts,
            close_by=asyncio.get_running_loop().time() + (self._end - time.monotonic()),
        )
        try:
            async with shared as browser:
                browser_info["version"] = browser.version
                self._context_options = await self._tagged_agent(browser)
                browser_info.update(self._context_options)
                results = await asyncio.gather(
                    *(self._run_phase(browser, name) for name in PHASES),
                    self._probe_close(browser),
                    return_exceptions=True,
                )
        except BrowserStartError as error:
            raise AuditError(str(error)) from None
        except Exception as error:
            if shared.browser is None:  # connecting failed: the browser never was usable
                raise AuditError(
                    f"{choice.path}: the browser did not start: {_one_line(error)}"
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

    async def _tagged_agent(self, browser: "Browser") -> dict[str, str]:
        """``user_agent``: the browser's own User-Agent with ``--user-agent-tag`` appended
        (a client's firewall can let the audit through), or nothing without a tag."""
        tag = self.settings.user_agent_tag
        if not tag:
            return {}
        session = await browser.new_browser_cdp_session()
        try:
            version = await session.send("Browser.getVersion")
        finally:
            await session.detach()
        return {"user_agent": f"{version['userAgent']} {tag}"}

    async def _probe_close(self, browser: "Browser") -> PhaseObservations | None:
        """Only for a banner with a close control (×): a fresh context closes it (BN08)."""
        if await self._close_label is None:
            return None
        return await self._run_phase(browser, CLOSE_PROBE)

    async def _run_phase(self, browser: "Browser", phase: str) -> PhaseObservations:
        """One phase in its own context of the shared browser: a clean cookie jar."""
        self.progress(f"{phase}: starting")
        started = time.monotonic()
        observed = PhaseObservations(phase=phase)  # type: ignore[arg-type]
        recorder = PhaseRecorder(self.site_domain)
        context: BrowserContext | None = None
        try:
            context = await browser.new_context(
                ignore_https_errors=self.settings.ignore_https_errors,
                viewport={"width": 1280, "height": 800},
                **self._context_options,
            )
            await recorder.watch(context)
            try:
                # The budget is a wall clock: whatever a page does, the phase stops in time.
                await asyncio.wait_for(
                    self._browse(context, recorder, phase, observed),
                    timeout=max(0.5, self._deadline - time.monotonic()),
                )
            except asyncio.TimeoutError:
                add_note(observed, text("note.budget_exhausted"))
        finally:
            if phase == PHASES[0]:  # whatever happened, the followers stop waiting
                await self._discovery.finish()
                if not self._close_label.done():
                    self._close_label.set_result(None)
            if context is not None:
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

    async def _close_context(self, context: "BrowserContext", notes: list[str]) -> None:
        """Close a phase's context in time; the browser itself is closed (or killed) once."""
        allowed = max(0.5, min(self.settings.timeouts.close, self._end - time.monotonic()))
        closing = asyncio.ensure_future(context.close())
        closing.add_done_callback(_retrieve)
        try:
            await asyncio.wait_for(asyncio.shield(closing), timeout=allowed)
        except (asyncio.TimeoutError, Exception) as error:
            notes.append(f"the phase's context did not close: {_one_line(error) or 'timed out'}")

    async def _browse(
        self,
        context: "BrowserContext",
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
        # autoconsent click: cookieconsent 3): ready when the landing page is done.
        workers = 1 if phase == CLOSE_PROBE else min(self.settings.concurrency, self.settings.pages)
        opening: list[asyncio.Future[_Tab]] = []

        def open_tabs() -> None:
            while len(opening) < workers - 1:
                opening.append(asyncio.ensure_future(_open_tab(context, recorder, landing_url)))
                opening[-1].add_done_callback(_retrieve)

        landing, landing_tab = await self._visit(
            context,
            recorder,
            landing_url,
            deadline,
            observed.notes,
            action=action,
            screenshot=screenshot,
            discover=phase == PHASES[0],
            after_choice=open_tabs,
        )
        observed.pages.append(landing.visit)
        observed.banner = landing.banner
        if phase == CLOSE_PROBE:
            return
        tabs = [landing_tab] if landing_tab is not None else []
        open_tabs()  # when the landing page failed before its banner
        for task in opening:
            try:
                tabs.append(await task)
            except Exception as error:  # the worker opens its own tab when it starts
                observed.notes.append(f"a tab did not open in advance: {_one_line(error)}")
        if phase == PHASES[0]:
            if not self._close_label.done():
                self._close_label.set_result(landing.close_label)
            frontier = Frontier(landing_url, self.site_domain, self.settings.pages)
            frontier.pop()
            if landing.visit.final_url:
                frontier.mark_seen(landing.visit.final_url)
            frontier.add(link["href"] for link in landing.links)
            frontier.add(landing.sitemap)
            self.pages = [landing_url]
            await self._discovery.publish(landing_url)
            await self._crawl(context, recorder, frontier, observed, deadline, tabs, discover=True)
            await self._discovery.finish()
            self.pages = [landing_url, *sorted(self.pages[1:])]
        else:
            # The pages the first phase discovers, as it discovers them: what the choice
            # left on the next page views.
            await self._follow(context, recorder, observed, deadline, tabs)
        # Workers finish in any order; reports read better, and runs compare, in URL order.
        observed.pages[1:] = sorted(observed.pages[1:], key=lambda visit: visit.url)

    async def _crawl(
        self,
        context: "BrowserContext",
        recorder: PhaseRecorder,
        frontier: Frontier,
        observed: PhaseObservations,
        deadline: float,
        spare: "list[_Tab]",
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
                        if discover:
                            self.pages.append(url)
                            await self._discovery.publish(url)
                        return url
                    skipped.append(url)

        async def worker() -> None:
            nonlocal in_flight
            tab: _Tab | None = spare.pop() if spare else None
            try:
                while (url := await next_url()) is not None:
                    result = None
                    try:
                        result, tab = await self._visit(
                            context, recorder, url, deadline, observed.notes, tab=tab
                        )
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
                    await _close(tab.page, recorder, observed.notes)

        await asyncio.gather(*(worker() for _ in range(self.settings.concurrency)))
        if skipped:
            add_note(observed, text("note.pages_not_visited", n=len(skipped)))

    async def _follow(
        self,
        context: "BrowserContext",
        recorder: PhaseRecorder,
        observed: PhaseObservations,
        deadline: float,
        spare: "list[_Tab]",
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
            tab: _Tab | None = spare.pop() if spare else None
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
                    result, tab = await self._visit(
                        context, recorder, url, deadline, observed.notes, tab=tab
                    )
                    observed.pages.append(result.visit)
            finally:
                if tab is not None:
                    await _close(tab.page, recorder, observed.notes)

        await asyncio.gather(*(worker() for _ in range(self.settings.concurrency)))
        if skipped:
            add_note(observed, text("note.pages_not_visited", n=skipped))

    async def _visit(
        self,
        context: "BrowserContext",
        recorder: PhaseRecorder,
        url: str,
        deadline: float,
        notes: list[str],
        *,
        tab: "_Tab | None" = None,
        action: Action | None = None,
        screenshot: str | None = None,
        discover: bool = False,
        after_choice: Callable[[], None] | None = None,
    ) -> "tuple[_Outcome, _Tab | None]":
        """Visit ``url`` in ``tab`` (or a new tab); returns the tab when it can be reused.

        A worker's tab navigates from page to page: opening and closing a tab per page costs
        more than the page itself on a small site. A tab that crashed, timed out or closed the
        banner with its × (the close probe ends there) is closed.
        """
        settings = self.settings
        timeouts = settings.timeouts
        # --timeout bounds the whole visit (load, banner, choice, settle, reads), with
        # ``read`` more to read what a page stuck loading shows; never past the deadline.
        remaining = deadline - time.monotonic()
        allowed = max(1.0, min(settings.timeout, remaining))
        bound = max(1.0, min(allowed + timeouts.read, remaining))
        visit = PageVisit(url=url, final_url=None, status=None, title=None, load_ms=None)
        outcome = _Outcome(visit=visit, links=[], sitemap=[], banner=None)
        driver: ConsentDriver | None = None
        try:
            if tab is not None and tab.visits >= TAB_VISITS:
                await _close(tab.page, recorder, notes)
                tab = None
            if tab is None or tab.page.is_closed() or tab.crashed.done():
                tab = await _open_tab(context, recorder, url)
            else:
                recorder.page_urls[tab.page] = url
            tab.visits += 1
            if action is not None:
                driver = ConsentDriver(tab.page, timeouts)
            await asyncio.wait_for(
                self._drive(
                    tab,
                    recorder,
                    outcome,
                    allowed,
                    action,
                    driver,
                    screenshot,
                    discover,
                    after_choice=after_choice,
                ),
                timeout=bound,
            )
        except asyncio.TimeoutError:
            visit.error = visit.error or f"the page did not finish within {bound:.0f} s"
            visit.error_kind = visit.error_kind or "timeout"
        except Exception as error:
            visit.error = visit.error or _one_line(error)
            visit.error_kind = visit.error_kind or classify_error(str(error))
        finally:
            notes.extend(outcome.notes)
            clean = True
            if driver is not None:
                clean = await driver.close()
                notes.extend(f"{url}: {note}" for note in driver.notes)
            if time.monotonic() < deadline:
                try:
                    await asyncio.wait_for(
                        recorder.snapshot_cookies(context, url), timeout=timeouts.read
                    )
                except Exception as error:
                    notes.append(f"{url}: cookies not read: {_one_line(error) or 'timed out'}")
        # After a network error the tab is still settling on Chromium's error page, which
        # would interrupt the next navigation: only a tab that loaded a page is reused. The
        # landing tab browses on after the choice, as the visitor's own tab does.
        reusable = clean and visit.error_kind in (None, "http") and action != "close"
        if tab is not None and not reusable:
            await _close(tab.page, recorder, notes)
            tab = None
        if action is not None and outcome.banner is None:
            outcome.banner = BannerResult(
                detected=False,
                action=action if action != "close" else "none",
                method="none",
                succeeded=False,
                **described(
                    text(
                        "banner_detail.not_examined",
                        reason=visit.error or text("banner_detail.page_not_loaded"),
                    )
                ),
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
        driver: ConsentDriver | None,
        screenshot: str | None,
        discover: bool,
        *,
        after_choice: Callable[[], None] | None = None,
    ) -> None:
        visit = outcome.visit
        timeouts = self.settings.timeouts
        page, crashed = tab.page, tab.crashed
        if driver is not None:
            await driver.install()
        started = time.monotonic()
        page_end = started + allowed  # the banner's waits and the settle end by then
        navigation = asyncio.ensure_future(
            page.goto(visit.url, wait_until="load", timeout=allowed * 1000)
        )
        # Whatever happens next (crash, cancellation by the budget, Ctrl-C), the navigation
        # is cancelled and its outcome retrieved: no "exception never retrieved" at exit.
        navigation.add_done_callback(_retrieve)
        try:
            racing: set[asyncio.Future[Any]] = {navigation, crashed}
            done, _ = await asyncio.wait(racing, return_when=asyncio.FIRST_COMPLETED)
            if navigation not in done:
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
                    await asyncio.wait_for(
                        self._read(page, outcome, recorder, False, storage=True),
                        timeout=timeouts.read,
                    )
                except Exception as read_error:
                    visit.error += f" (nothing read: {_one_line(read_error) or 'timed out'})"
            return
        finally:
            if not navigation.done():
                navigation.cancel()
        visit.load_ms = round((time.monotonic() - started) * 1000, 1)
        visit.final_url = strip_query(page.url) if page.url else None
        if response is not None:
            visit.status = response.status
            if response.status >= 400 and not visit.error:
                visit.error, visit.error_kind = f"HTTP {response.status}", "http"
        # What runs while the page settles, off the critical path; cancelled on the way out.
        side_tasks: list[asyncio.Future[Any]] = []
        try:
            if driver is not None and action is not None:
                await self._answer_banner(
                    tab, outcome, action, driver, screenshot, side_tasks, page_end
                )
            if after_choice is not None:
                after_choice()
            # Late scripts and beacons run until the tab's network is quiet (``settle`` at
            # most); reading runs meanwhile, storage last, after it.
            settle = tab.network.settle(timeouts.quiet, _left(timeouts.settle, page_end))
            side_tasks.append(asyncio.ensure_future(settle))
            visit.title = (await page.title())[:300] or None
            await self._read(page, outcome, recorder, discover)
            await asyncio.gather(*side_tasks)
        finally:
            for task in side_tasks:
                task.cancel()
        await recorder.snapshot_storage(page, visit.url)

    async def _answer_banner(
        self,
        tab: "_Tab",
        outcome: "_Outcome",
        action: Action,
        driver: ConsentDriver,
        screenshot: str | None,
        side_tasks: list[asyncio.Future[Any]],
        page_end: float,
    ) -> None:
        """Find the banner, photograph it (first phase), then refuse, accept, close it or
        leave it; what can wait for the page to settle joins ``side_tasks``. The waits end
        by ``page_end`` (--timeout from the navigation's start)."""
        timeouts = self.settings.timeouts
        # As a visitor does, choose once the page is done loading its consent manager (a
        # click before it listens is lost, then clicked again): settling meanwhile.
        settle = tab.network.settle(timeouts.quiet, _left(timeouts.settle, page_end))
        loaded = asyncio.ensure_future(settle)
        side_tasks.append(loaded)
        # Only a choice to make needs autoconsent's rule; looking needs none.
        await driver.wait_for_banner(
            _left(timeouts.banner, page_end), grace=action in ("reject", "accept")
        )
        if screenshot:  # before any other tab opens: a new tab can interrupt it
            await self._screenshot(tab.page, outcome, screenshot)
        if action == "close":
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
            return
        if action != "none":
            await loaded
        banner = outcome.banner = await driver.act(action)
        outcome.close_label = driver.found_label("close")
        if banner.succeeded and action in ("reject", "accept"):
            side_tasks.append(asyncio.ensure_future(self._withdraw(driver, banner)))
        elif banner.detected and action == "none":
            side_tasks.append(asyncio.ensure_future(self._name_cmp(driver, banner)))

    async def _name_cmp(self, driver: ConsentDriver, banner: BannerResult) -> None:
        """The consent manager of a banner left unanswered, as autoconsent recognises it."""
        banner.cmp = await driver.wait_for_autoconsent(self.settings.timeouts.autoconsent_grace)

    @staticmethod
    async def _withdraw(driver: ConsentDriver, banner: BannerResult) -> None:
        """Whether the page offers a way back on the choice just made (a "Manage cookies"
        link, the consent manager's icon)."""
        banner.withdraw_option_found = await driver.withdraw_option_found()

    async def _screenshot(self, page: "Page", outcome: "_Outcome", relative: str) -> None:
        target = self.out_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            await page.screenshot(path=str(target), timeout=self.settings.timeouts.read * 1000)
            outcome.visit.screenshot = relative
        except Exception as error:
            outcome.notes.append(f"{outcome.visit.url}: screenshot not taken: {_one_line(error)}")

    async def _read(
        self,
        page: "Page",
        outcome: "_Outcome",
        recorder: PhaseRecorder,
        discover: bool,
        *,
        storage: bool = False,
    ) -> None:
        """Links, forms, storage keys and, on the first phase's landing page, the sitemap."""
        visit = outcome.visit
        outcome.links = [
            {"href": str(link.get("href", "")), "text": str(link.get("text", ""))}
            for link in await page.evaluate(LINKS_SCRIPT)
        ]
        visit.links_privacy_page = links_privacy_page(outcome.links)
        visit.insecure_forms = sorted({str(a) for a in await page.evaluate(FORMS_SCRIPT)})
        if storage:
            await recorder.snapshot_storage(page, visit.url)
        if discover:
            outcome.sitemap = sitemap_urls(await page.evaluate(SITEMAP_SCRIPT), page.url)


class _Discovery:
    """The pages the first phase discovers, published one by one to the other phases."""

    def __init__(self) -> None:
        self.urls: list[str] = []
        self.done = False
        self._changed = asyncio.Condition()

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


@dataclass
class _Outcome:
    """A visit and what it found besides: links to follow, sitemap entries, the banner."""

    visit: PageVisit
    links: list[dict[str, str]]
    sitemap: list[str]
    banner: BannerResult | None
    notes: list[str] = field(default_factory=list)
    close_label: str | None = None  # the banner's close control (×), when it has one


@dataclass
class _Tab:
    page: "Page"
    crashed: "asyncio.Future[bool]"
    network: NetworkQuiet
    visits: int = 0


async def _open_tab(context: "BrowserContext", recorder: PhaseRecorder, url: str) -> _Tab:
    page = await context.new_page()
    crashed: asyncio.Future[bool] = asyncio.get_running_loop().create_future()

    def mark_crashed(_: "Page") -> None:
        if not crashed.done():
            crashed.set_result(True)

    page.on("crash", mark_crashed)
    network = NetworkQuiet(page)
    await recorder.attach(page, url)
    return _Tab(page, crashed, network)


async def _close(
    page: "Page", recorder: PhaseRecorder, notes: list[str], timeout: float = Timeouts.close
) -> None:
    try:
        await asyncio.wait_for(page.close(), timeout=timeout)
    except Exception as error:
        notes.append(f"a tab did not close: {_one_line(error) or 'timed out'}")
    recorder.page_urls.pop(page, None)


def _left(wait: float, end: float) -> float:
    """``wait``, cut to what is left before ``end`` (a monotonic time)."""
    return max(0.0, min(wait, end - time.monotonic()))


def _retrieve(task: "asyncio.Future[Any]") -> None:
    """Read a finished task's outcome so asyncio never reports it as unretrieved."""
    if not task.cancelled():
        task.exception()


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


def _bundled_path(playwright: "Playwright") -> str | None:
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
