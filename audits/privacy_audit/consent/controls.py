"""The banner's controls found by their text, in every frame of the page (the fallback for
banners autoconsent does not know): scanning, clicking, the settings layer, the way back.

The page scripts are files of the package (``scripts/*.js``); the phrases they look for
come from `phrases`, the page's language first.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from privacy_audit.consent.phrases import CLOSE_GLYPHS, PHRASE_TABLES, phrases_for
from privacy_audit.frames import evaluate, loaded_frames
from privacy_audit.i18n import Text, text
from privacy_audit.resources import page_script
from privacy_audit.settings import Timeouts

if TYPE_CHECKING:
    from playwright.async_api import ElementHandle, Frame, Locator, Page

    from privacy_audit.collect.quiet import NetworkQuiet


CLOSED_ROOT_KEY = 'Symbol.for("privacy-pages.closed-shadow-root")'
"""Where `CLOSED_ROOTS_SCRIPT` keeps a closed shadow root on its host, for the scans alone."""
SHADOW_ROOT = f"(el => el.shadowRoot || el[{CLOSED_ROOT_KEY}])"
"""A host's shadow root, open or closed (when `CLOSED_ROOTS_SCRIPT` saw it attached)."""


def _script(name: str) -> str:
    script = page_script("privacy_audit.consent", f"scripts/{name}")
    return script.replace("CLOSED_ROOT_KEY", CLOSED_ROOT_KEY).replace("SHADOW_ROOT", SHADOW_ROOT)


CLOSED_ROOTS_SCRIPT = _script("closed_roots.js")
"""Installed before the site's scripts: keeps each closed shadow root reachable by the scans
(a banner drawn in one), the page's view of it unchanged."""
MARKED_CONTROL_SCRIPT = _script("marked_control.js")
"""Runs in one frame: the element marked with a kind, in the document or any shadow root."""
FIND_CONTROLS_SCRIPT = _script("find_controls.js")
"""Runs in one frame: marks the best visible control of each kind of a cookie notice with
data-privacy-pages-choice (unless ``mark`` is false), piercing shadow roots; measures the
refuse, accept and pay controls (size, font, contrast), and lists the labels it could not
read one way ("undecided")."""
UNTICK_SCRIPT = _script("untick.js")
"""Runs in the frame of a settings layer: unticks every ticked, enabled checkbox or switch of
the cookie notice (purposes), as a visitor refusing there would; returns how many."""
IS_STILL_VISIBLE_SCRIPT = _script("is_still_visible.js").replace(
    "MARKED_CONTROL", MARKED_CONTROL_SCRIPT
)
"""Runs in one frame: whether the control marked with a kind is still on screen."""
WITHDRAW_SCRIPT = _script("withdraw.js")
"""Runs in one frame after the choice: is there a way to change it (a "Manage cookies" link,
the consent manager's floating icon)? Hidden footers count: they are reachable by scrolling."""


@dataclass
class Controls:
    """The controls of a cookie notice found in one frame, by kind, with their labels, the
    measures of the choices, and the labels read two ways (``undecided``, by kind)."""

    frame: Frame
    labels: dict[str, str] = field(default_factory=dict)
    measures: dict[str, dict[str, Any]] = field(default_factory=dict)
    price: str | None = None  # the price a pay control's wall states
    undecided: list[dict[str, Any]] = field(default_factory=list)
    closed: set[str] = field(default_factory=set)  # kinds drawn in a closed shadow root

    @classmethod
    def read(cls, frame: Frame, result: dict[str, Any]) -> Controls:
        """What `FIND_CONTROLS_SCRIPT` returned for ``frame``."""
        controls = cls(frame, undecided=list(result.get("undecided") or []))
        for kind, value in result.items():
            if kind == "undecided" or not isinstance(value, dict):
                continue
            controls.labels[kind] = str(value.get("label"))
            if value.get("measures"):
                controls.measures[kind] = dict(value["measures"])
            if kind == "pay":
                controls.price = value.get("price")
            if value.get("closed"):
                controls.closed.add(kind)
        return controls

    @property
    def refuse(self) -> str | None:
        return self.labels.get("refuse")

    @property
    def accept(self) -> str | None:
        return self.labels.get("accept")


def first(controls: list[Controls], kind: str) -> Controls | None:
    return next((c for c in controls if c.labels.get(kind)), None)


def describe(controls: list[Controls]) -> Text:
    """The banner's first layer in words: its refuse and accept buttons, or their absence."""
    refuse = next((c.refuse for c in controls if c.refuse), None)
    accept = next((c.accept for c in controls if c.accept), None)
    return text(
        "banner_detail.first_layer",
        refuse=text("banner_detail.refuse_button", label=repr(refuse))
        if refuse
        else text("banner_detail.no_refuse_button"),
        accept=text("banner_detail.accept_button", label=repr(accept))
        if accept
        else text("banner_detail.no_accept_button"),
    )


@dataclass
class BannerControls:
    """The text fallback on one page; what went wrong goes to ``notes`` (the driver's).

    ``activity`` is the tab's (writes, requests): a click is judged by its effect (the
    control gone, the consent stored, new requests), not by the click call's own timeout.
    """

    page: Page
    timeouts: Timeouts
    notes: list[str]
    activity: NetworkQuiet | None = None
    unconfirmed: dict[str, str] = field(default_factory=dict)
    """By kind, the label of a control that was found but whose click showed no effect: the
    report says so, never that there was no such control."""
    _language: str | None = None

    async def scan(self) -> list[Controls]:
        """The controls of every frame, marked in the page for a later click."""
        found = []
        if self._language is None:
            try:
                self._language = str(
                    await self.page.evaluate("() => document.documentElement.lang || ''")
                )
            except Exception as error:  # noqa: BLE001 - any failure leaves the language
                # unknown: every language's phrases are still tried.
                self.notes.append(f"page language unknown: {one_line(error)}")
                self._language = ""
        lists = {kind: phrases_for(self._language, table) for kind, table in PHRASE_TABLES.items()}
        arguments = [lists, list(CLOSE_GLYPHS)]
        for frame in loaded_frames(self.page):
            try:
                result = await evaluate(
                    frame, FIND_CONTROLS_SCRIPT, arguments, timeout=self.timeouts.read
                )
            except Exception:  # noqa: BLE001, S112 - frames detach or hang while scanned: the
                # next scan sees what this one missed
                continue
            if result:
                found.append(Controls.read(frame, result))
        return found

    def effects(self) -> tuple[int, int, int]:
        """(writes, requests, navigations) of the tab so far: what a click's effect moves."""
        activity = self.activity
        if activity is None:
            return (0, 0, 0)
        return (activity.writes, activity.requests, activity.navigations)

    async def click(
        self, controls: list[Controls], kind: str, clicked: list[str], check_hidden: bool = True
    ) -> bool | None:
        """Click the control of ``kind``; None when there is none, else whether it took
        effect: the control hid (its frame went with it), or the page stored something
        (the consent state) or asked for another page, or, when the click call itself
        failed, started requests."""
        for control in controls:
            label = control.labels.get(kind)
            if not label:
                continue
            before = self.effects()
            target = await self._target(control, kind)
            failed: BaseException | None = None
            try:
                await target.click(timeout=self.timeouts.choice * 1000)
            except Exception as error:  # noqa: BLE001 - covered, detached, timed out: any
                failed = error
            if failed is not None and not self._moved(before, call_failed=True):
                try:  # covered by an overlay: a script click still answers the banner (not
                    # when the click already acted: its handler may still be running)
                    await asyncio.wait_for(
                        target.evaluate("el => el.click()"), timeout=self.timeouts.read
                    )
                    failed = None
                except Exception:  # noqa: BLE001, S110 - judged by its effect below
                    pass
            if not check_hidden:  # a layer opening: its caller looks for the next control
                if failed is not None:
                    self.notes.append(f"could not click {label!r}: {one_line(failed)}")
                    continue
                clicked.append(label)
                return True
            done = await self._took_effect(control, kind, before, failed is not None)
            if failed is not None and not done:
                self.notes.append(f"could not click {label!r}: {one_line(failed)}")
                self.unconfirmed.setdefault(kind, label)
                continue
            self.unconfirmed.pop(kind, None)
            if failed is not None:
                self.notes.append(
                    f"the click on {label!r} did not return ({one_line(failed)}), "
                    "but it took effect"
                )
            clicked.append(label)
            return done
        return None

    async def _target(self, control: Controls, kind: str) -> Locator | ElementHandle:
        """The control the scan marked: found by its mark, or, in a closed shadow root where
        no selector reaches, the element itself (the scan's script still reaches it)."""
        locator = control.frame.locator(f'[data-privacy-pages-choice="{kind}"]').first
        if kind not in control.closed:
            return locator
        try:
            handle = await asyncio.wait_for(
                control.frame.evaluate_handle(MARKED_CONTROL_SCRIPT, kind),
                timeout=self.timeouts.read,
            )
        except Exception:  # noqa: BLE001 - the frame went or hung: the mark's failure says so
            return locator
        return handle.as_element() or locator

    def _moved(self, before: tuple[int, int, int], call_failed: bool) -> bool:
        """Whether the tab stored something since ``before``, or its page asked for another
        document (a consent page that sends the visitor back to the site), or (after a
        click call that failed) started requests."""
        writes, requests, navigations = self.effects()
        return (
            writes > before[0] or navigations > before[2] or (call_failed and requests > before[1])
        )

    async def _took_effect(
        self, control: Controls, kind: str, before: tuple[int, int, int], call_failed: bool
    ) -> bool:
        """Within ``after_click``: the clicked control hid, or the tab stored something, or
        (after a click call that failed) started requests. After a failed call the wait is
        ``choice`` long: a consent manager whose frame is still busy with the click (or a
        loaded machine) shows its effect late, and a late effect is still the click's."""
        loop = asyncio.get_running_loop()
        wait = self.timeouts.after_click if not call_failed else self.timeouts.choice
        end = loop.time() + wait
        while True:
            if self._moved(before, call_failed):
                return True
            try:
                still = await evaluate(
                    control.frame,
                    IS_STILL_VISIBLE_SCRIPT,
                    kind,
                    timeout=max(self.timeouts.click_poll, end - loop.time()),
                )
            except asyncio.TimeoutError:  # a busy frame: its answer is not the only sign
                still = True
            except Exception:  # noqa: BLE001 - the frame went away with the banner: it hid
                still = False
            if not still:
                return True
            if loop.time() >= end:
                return False
            await asyncio.sleep(self.timeouts.click_poll)

    async def still_shown(self, controls: list[Controls], kind: str) -> bool:
        """Whether the control of ``kind`` seen before a choice is still on screen once the
        banner had ``after_click`` to hide."""
        frames = [c.frame for c in controls if c.labels.get(kind)]
        if not frames:
            return False
        loop = asyncio.get_running_loop()
        end = loop.time() + self.timeouts.after_click
        while True:
            still = False
            for frame in frames:
                try:
                    still = still or bool(await frame.evaluate(IS_STILL_VISIBLE_SCRIPT, kind))
                except Exception:  # noqa: BLE001, S112 - the frame went away with the banner:
                    # it hid
                    continue
            if not still or loop.time() >= end:
                return still
            await asyncio.sleep(self.timeouts.click_poll)

    async def refuse_in_second_layer(
        self, controls: list[Controls], clicked: list[str]
    ) -> bool | None:
        """Open the settings layer, then "Reject all" there, or untick every purpose and save."""
        if await self.click(controls, "settings", clicked, check_hidden=False) is None:
            return None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeouts.second_layer
        while True:
            layer = await self.scan()
            if first(layer, "refuse") is not None:
                return await self.click(layer, "refuse", clicked)
            save = first(layer, "save")
            if save is not None:
                try:
                    unticked = int(await save.frame.evaluate(UNTICK_SCRIPT))
                except Exception as error:  # noqa: BLE001 - noted; the save still answers
                    self.notes.append(f"could not untick the purposes: {one_line(error)}")
                    unticked = 0
                clicked.extend(["(untick)"] * unticked)
                return await self.click(layer, "save", clicked)
            if loop.time() >= deadline:
                self.notes.append(
                    f"settings layer opened by {clicked[-1]!r} showed no refuse or save button"
                )
                return False
            await asyncio.sleep(self.timeouts.banner_poll)

    async def withdraw_option_found(self) -> bool:
        """Whether some frame of the page offers a way to change the choice just made."""
        await asyncio.sleep(self.timeouts.withdraw)
        for frame in loaded_frames(self.page):
            try:
                if await evaluate(frame, WITHDRAW_SCRIPT, timeout=self.timeouts.read):
                    return True
            except Exception as error:  # noqa: BLE001 - a frame gone, busy or hostile: noted,
                # skipped
                reason = one_line(error) or "no answer in time"
                self.notes.append(f"withdraw check skipped a frame: {reason}")
        return False


def one_line(error: BaseException | None) -> str:
    """An error as one line of a note."""
    return " ".join(str(error).split())[:300]
