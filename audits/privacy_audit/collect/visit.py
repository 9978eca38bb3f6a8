"""One page visit in a phase's tab: the `steps` in order, within the page's time.

--timeout bounds the whole visit (load, banner, choice, settle, reads), with ``read`` more to
read what a page stuck loading shows, and never past the phase's deadline. A tab is reused
from page to page while it is clean; a fault is recorded on the page and the crawl goes on.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from privacy_audit.collect import challenge, steps
from privacy_audit.collect.recorder import PhaseRecorder
from privacy_audit.collect.steps import Tab, VisitOutcome, classify_error, left, one_line
from privacy_audit.consent.driver import Action, ConsentDriver
from privacy_audit.i18n import text
from privacy_audit.observations import PageVisit, page_error, set_error
from privacy_audit.settings import AuditSettings

if TYPE_CHECKING:
    from playwright.async_api import BrowserContext

Progress = Callable[[str], None]
TAB_VISITS = 20  # a tab is replaced after this many pages, so its renderer's memory stays flat


@dataclass(frozen=True)
class PageVisitor:
    """Visits pages for one run: its settings, its report folder (screenshots), its progress."""

    settings: AuditSettings
    out_dir: Path
    progress: Progress

    async def visit(
        self,
        context: BrowserContext,
        recorder: PhaseRecorder,
        url: str,
        deadline: float,
        notes: list[str],
        *,
        tab: Tab | None = None,
        action: Action | None = None,
        screenshot: str | None = None,
        discover: bool = False,
        after_reading: Callable[[VisitOutcome], None] | None = None,
        cut_short: list[PageVisit] | None = None,
        own_window: bool = False,
    ) -> tuple[VisitOutcome, Tab | None]:
        """Visit ``url`` in ``tab`` (or a new tab); returns the tab when it can be reused.

        A visit the budget stops (the phase is cancelled), at whatever step, is appended to
        ``cut_short`` with that cause: a page that ate the budget is named in the report,
        never silently dropped.
        """
        visit = PageVisit(url=url, final_url=None, status=None, title=None, load_ms=None)
        started = time.monotonic()
        try:
            return await self._visit_in_tab(
                context,
                recorder,
                visit,
                deadline,
                notes,
                tab=tab,
                action=action,
                screenshot=screenshot,
                discover=discover,
                after_reading=after_reading,
                own_window=own_window,
            )
        except asyncio.CancelledError:
            error = text(
                "page_error.budget",
                budget=f"{self.settings.budget:g}",
                seconds=f"{time.monotonic() - started:.0f}",
            )
            if visit.error:
                error = text("page_error.before", error=error, before=page_error(visit))
            set_error(visit, error, "budget")
            if cut_short is not None:
                cut_short.append(visit)
            raise

    async def _visit_in_tab(
        self,
        context: BrowserContext,
        recorder: PhaseRecorder,
        visit: PageVisit,
        deadline: float,
        notes: list[str],
        *,
        tab: Tab | None,
        action: Action | None,
        screenshot: str | None,
        discover: bool,
        after_reading: Callable[[VisitOutcome], None] | None,
        own_window: bool,
    ) -> tuple[VisitOutcome, Tab | None]:
        """The visit of `visit`.

        A worker's tab navigates from page to page: opening and closing a tab per page costs
        more than the page itself on a small site. A tab that crashed, timed out or closed the
        banner with its × (the close probe ends there) is closed.
        """
        url = visit.url
        settings = self.settings
        timeouts = settings.timeouts
        remaining = deadline - time.monotonic()
        allowed = max(1.0, min(settings.timeout, remaining))
        bound = max(1.0, min(allowed + timeouts.read, remaining))
        outcome = VisitOutcome(visit=visit)
        driver: ConsentDriver | None = None
        cancelled = False
        try:
            if tab is not None and tab.visits >= TAB_VISITS:
                await steps.close_tab(tab.page, recorder, notes)
                tab = None
            if tab is None or tab.page.is_closed() or tab.crashed.done():
                tab = await steps.open_tab(
                    context, recorder, url, own_window=own_window, timeout=timeouts.tab
                )
            recorder.visiting(tab.page, url)
            tab.visits += 1
            if action is not None:
                driver = ConsentDriver(tab.page, timeouts, activity=tab.network)
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
                    after_reading=after_reading,
                ),
                timeout=bound,
            )
        except asyncio.TimeoutError:
            if not visit.error:
                set_error(visit, text("page_error.timeout", seconds=f"{bound:.0f}"), "timeout")
        except asyncio.CancelledError:
            cancelled = True  # by the budget: `visit` names the page
            raise
        except Exception as error:  # noqa: BLE001 - whatever a page does to the browser is
            # recorded on the page, and the crawl goes on with the next one
            if not visit.error:
                set_error(visit, one_line(error), classify_error(str(error)))
        finally:
            notes.extend(outcome.notes)
            # After a network error the tab is still settling on Chromium's error page, which
            # would interrupt the next navigation: only a tab that loaded a page is reused.
            # The landing tab browses on after the choice, as the visitor's own tab does.
            reusable = visit.error_kind in (None, "http") and action != "close"
            # Stopped by the budget, the tab is closed with the browser: nothing to undo.
            if driver is not None and not cancelled:
                reusable = await driver.close(reuse=reusable)
                notes.extend(f"{url}: {note}" for note in driver.notes)
            if time.monotonic() < deadline and not cancelled:
                await steps.read_cookies(recorder, context, url, timeouts.read, notes)
        if tab is not None and not reusable:
            await steps.close_tab(tab.page, recorder, notes)
            tab = None
        if action is not None and outcome.banner is None:
            outcome.banner = steps.not_examined(action, visit)
        self.progress(f"  {visit.status or visit.error_kind or '-'} {url}")
        return outcome, tab

    async def _drive(
        self,
        tab: Tab,
        recorder: PhaseRecorder,
        outcome: VisitOutcome,
        allowed: float,
        action: Action | None,
        driver: ConsentDriver | None,
        screenshot: str | None,
        discover: bool,
        *,
        after_reading: Callable[[VisitOutcome], None] | None = None,
    ) -> None:
        """Load, answer the banner, settle while reading, then read the storage."""
        visit = outcome.visit
        timeouts = self.settings.timeouts
        page = tab.page
        if driver is not None:
            await driver.install()
        page_end = time.monotonic() + allowed  # the banner's waits and the settle end by then
        try:
            response = await steps.load(tab, visit, allowed)
        except Exception:  # noqa: BLE001 - `load` recorded the error on the visit
            if visit.error_kind == "timeout":
                # A page still loading may have a document worth reading, or none yet: try
                # briefly, since reads wait for a document that may never come.
                try:
                    await asyncio.wait_for(
                        steps.read_page(page, outcome, recorder, False, storage=timeouts.read),
                        timeout=timeouts.read,
                    )
                except Exception as read_error:  # noqa: BLE001 - said on the visit
                    reason = one_line(read_error) or text("page_error.read_timed_out")
                    error = text("page_error.nothing_read", error=page_error(visit), reason=reason)
                    set_error(visit, error, "timeout")
            return
        if not await challenge.get_through(
            page, response, visit, outcome.notes, timeouts, page_end
        ):
            return  # a bot-protection page, not the site's: nothing of the site to read
        # What runs while the page settles, off the critical path; cancelled on the way out.
        side_tasks: list[asyncio.Future[Any]] = []
        try:
            await steps.move_mouse(page, outcome, timeouts)  # as a visitor does, at once
            if driver is not None and action is not None:
                await self._answer_banner(
                    tab, outcome, action, driver, screenshot, side_tasks, page_end
                )
            # The choice made (or none asked), the visitor reads on.
            await steps.read_down(page, outcome, timeouts)
            # Late tags run until the tab is quiet with no short timer pending (``late_tags``
            # at most, ``dwell`` at least); reading runs meanwhile, storage last, after it.
            side_tasks.append(asyncio.ensure_future(self._late_tags(tab, page_end)))
            await steps.read_document(page, outcome, recorder, discover, timeouts.read)
            if after_reading is not None:  # the choice made, the links read: still settling
                after_reading(outcome)
            await asyncio.gather(*side_tasks)
            if driver is not None and action in ("none", "reject", "accept"):
                await self._late_banner(tab, outcome, action, driver, page_end)
        finally:
            for task in side_tasks:
                task.cancel()
        await recorder.snapshot_storage(page, visit.url, timeouts.read)

    async def _late_banner(
        self, tab: Tab, outcome: VisitOutcome, action: Action, driver: ConsentDriver, end: float
    ) -> None:
        """A banner drawn after the wait for it (a consent manager deferred so as not to slow
        the page) is not "no banner": once the page has settled, a last look. Found, it is
        answered now, as the visitor who sees it then does, and the page settles again."""
        if outcome.banner is None or outcome.banner.detected:
            return
        late = await driver.act(action)
        if not late.detected:
            return
        outcome.banner = late
        waited = self.settings.timeouts.banner
        answered = "found and answered" if action != "none" else "found"
        outcome.notes.append(
            f"{outcome.visit.url}: the banner was drawn after the {waited:g} s wait for it "
            f"(--consent-wait); {answered} once the page had settled"
        )
        if late.succeeded and action != "none":
            await asyncio.gather(steps.withdraw(driver, late), self._late_tags(tab, end))

    async def _late_tags(self, tab: Tab, end: float) -> None:
        """After load or a choice: until the tab is quiet with no short timer of the page
        pending (``late_tags`` at most, ``dwell`` at least), never past ``end``."""
        timeouts = self.settings.timeouts
        await tab.network.settle(
            timeouts.quiet, left(timeouts.late_tags, end), at_least=left(timeouts.dwell, end)
        )

    async def _answer_banner(
        self,
        tab: Tab,
        outcome: VisitOutcome,
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
        settle = tab.network.settle(timeouts.quiet, left(timeouts.settle, page_end), timers=False)
        loaded = asyncio.ensure_future(settle)
        side_tasks.append(loaded)
        # Only a choice to make needs autoconsent's rule; looking needs none.
        await driver.wait_for_banner(
            left(timeouts.banner, page_end), grace=action in ("reject", "accept")
        )
        if screenshot:  # before any other tab opens: a new tab can interrupt it
            await steps.screenshot(tab.page, outcome, self.out_dir, screenshot, timeouts.read)
        if action == "close":
            await steps.close_banner(driver, outcome)
            return
        if action != "none":
            await loaded
        banner = outcome.banner = await driver.act(action)
        outcome.close_label = driver.found_label("close")
        if banner.succeeded and action in ("reject", "accept"):
            side_tasks.append(asyncio.ensure_future(steps.withdraw(driver, banner)))
        elif banner.detected and action == "none":
            grace = timeouts.autoconsent_grace
            side_tasks.append(asyncio.ensure_future(steps.name_cmp(driver, banner, grace)))
