"""The banner's controls found by their text, in every frame of the page (the fallback for
banners autoconsent does not know): scanning, clicking, the settings layer, the way back.

The page scripts are files of the package (``scripts/*.js``); the phrases they look for
come from `phrases`, the page's language first.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from privacy_audit.consent.phrases import CLOSE_GLYPHS, PHRASE_TABLES, phrases_for
from privacy_audit.i18n import Text, text
from privacy_audit.resources import page_script
from privacy_audit.settings import Timeouts

if TYPE_CHECKING:
    from playwright.async_api import Frame, Page


def _script(name: str) -> str:
    return page_script("privacy_audit.consent", f"scripts/{name}")


FIND_CONTROLS_SCRIPT = _script("find_controls.js")
"""Runs in one frame: marks the best visible refuse and accept controls of a cookie notice
with data-privacy-pages-choice (unless ``mark`` is false), piercing open shadow roots."""
UNTICK_SCRIPT = _script("untick.js")
"""Runs in the frame of a settings layer: unticks every ticked, enabled checkbox or switch of
the cookie notice (purposes), as a visitor refusing there would; returns how many."""
IS_STILL_VISIBLE_SCRIPT = _script("is_still_visible.js")
"""Runs in one frame: whether the control marked with a kind is still on screen."""
WITHDRAW_SCRIPT = _script("withdraw.js")
"""Runs in one frame after the choice: is there a way to change it (a "Manage cookies" link,
the consent manager's floating icon)? Hidden footers count: they are reachable by scrolling."""


@dataclass
class Controls:
    """The controls of a cookie notice found in one frame, by kind, with their labels."""

    frame: Frame
    labels: dict[str, str] = field(default_factory=dict)

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
    """The text fallback on one page; what went wrong goes to ``notes`` (the driver's)."""

    page: Page
    timeouts: Timeouts
    notes: list[str]
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
        for frame in list(self.page.frames):
            try:
                result = await frame.evaluate(FIND_CONTROLS_SCRIPT, [lists, list(CLOSE_GLYPHS)])
            except Exception:  # noqa: BLE001, S112 - frames detach while scanned: the next
                # scan sees what this one missed
                continue
            if result:
                labels = {k: str(v.get("label")) for k, v in result.items() if v}
                found.append(Controls(frame, labels))
        return found

    async def click(
        self, controls: list[Controls], kind: str, clicked: list[str], check_hidden: bool = True
    ) -> bool | None:
        """Click the control of ``kind``; None when there is none, else whether it hid."""
        for control in controls:
            label = control.labels.get(kind)
            if not label:
                continue
            target = control.frame.locator(f'[data-privacy-pages-choice="{kind}"]').first
            try:
                await target.click(timeout=self.timeouts.choice * 1000)
            except Exception as error:  # noqa: BLE001 - covered, detached, timed out: any
                try:  # covered by an overlay: a script click still answers the banner
                    await target.evaluate("el => el.click()", timeout=self.timeouts.read * 1000)
                except Exception:  # noqa: BLE001 - the note says why the click failed
                    self.notes.append(f"could not click {label!r}: {one_line(error)}")
                    continue
            clicked.append(label)
            if not check_hidden:  # a layer opening: its caller looks for the next control
                return True
            loop = asyncio.get_running_loop()
            end = loop.time() + self.timeouts.after_click
            while True:
                try:
                    still = await control.frame.evaluate(IS_STILL_VISIBLE_SCRIPT, kind)
                except Exception:  # noqa: BLE001 - the frame went away with the banner: it hid
                    still = False
                if not still or loop.time() >= end:
                    return not still
                await asyncio.sleep(self.timeouts.click_poll)
        return None

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
        for frame in list(self.page.frames):
            try:
                if await frame.evaluate(WITHDRAW_SCRIPT):
                    return True
            except Exception as error:  # noqa: BLE001 - a frame gone or hostile: noted, skipped
                self.notes.append(f"withdraw check skipped a frame: {one_line(error)}")
        return False


def one_line(error: BaseException | None) -> str:
    """An error as one line of a note."""
    return " ".join(str(error).split())[:300]
