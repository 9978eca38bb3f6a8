"""Find the consent banner and refuse or accept everything, the way a visitor would.

First DuckDuckGo's autoconsent engine (duckduckgo-autoconsent-py: 1,000+ consent-manager
rules) runs in every frame of the landing page (`bridge`). For banners it does not know, a
fallback finds the refuse and accept buttons by their text in the page's language, inside
open shadow roots and iframes too (`controls`, `phrases`). Cosmetic rules (hiding a banner
without answering it) are off: hiding is not refusing.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from privacy_audit.consent.autoconsent import BANNER_SHOWN, engine
from privacy_audit.consent.bridge import MESSAGE_BINDING, AutoconsentBridge
from privacy_audit.consent.controls import (
    CLOSED_ROOTS_SCRIPT,
    FIND_CONTROLS_SCRIPT,
    BannerControls,
    Controls,
    describe,
    first,
    one_line,
)
from privacy_audit.consent.declared_roots import reach_declared_roots
from privacy_audit.consent.phrases import CLOSE_GLYPHS, PHRASE_TABLES, Choice, phrases_for
from privacy_audit.consent.signatures import SIGNATURES_SCRIPT, name_consent_manager, page_table
from privacy_audit.frames import evaluate
from privacy_audit.i18n import Text, text
from privacy_audit.observations import BannerResult, described
from privacy_audit.resources import page_script
from privacy_audit.settings import Timeouts

if TYPE_CHECKING:
    from playwright.async_api import Frame, Page

    from privacy_audit.collect.quiet import NetworkQuiet

Action = Literal["none", "reject", "accept", "close"]

DOM_CHANGED_BINDING = "__privacyPagesDomChanged"
DOM_WATCH_SCRIPT = page_script("privacy_audit.consent", "scripts/dom_watch.js")
"""In every frame of the landing page: a burst of DOM changes (a banner drawn late, a shadow
host attached) is reported once it paused for ``PAUSE`` ms, so the scan runs at once
instead of at its next poll."""


def banner_shown_script() -> str:
    """Defines, in every frame, the question autoconsent's tries ask (autoconsent_engine):
    does a refuse or accept control of a cookie notice show? The text scan's own test,
    marking nothing."""
    lists = {kind: phrases_for("", PHRASE_TABLES[kind]) for kind in ("refuse", "accept")}
    arguments = json.dumps([lists, list(CLOSE_GLYPHS), False])
    return (
        f"window.{BANNER_SHOWN} = () => {{ const found = ({FIND_CONTROLS_SCRIPT})({arguments});"
        " return Boolean(found.refuse || found.accept); };\n"
    )


def dom_watch_script(pause: float) -> str:
    """`DOM_WATCH_SCRIPT` reporting after ``pause`` seconds without change, on its own lines
    (the engine's script follows it)."""
    script = DOM_WATCH_SCRIPT.replace("BINDING", DOM_CHANGED_BINDING)
    return script.replace("PAUSE", str(round(pause * 1000))) + "\n"


@dataclass
class ConsentDriver:
    """Autoconsent on one landing page, plus the text fallback; install before navigating.

    ``notes`` collects what went wrong inside (a frame gone mid-call, a failed click): the
    crawler copies them into the phase's observations, so nothing is swallowed silently.
    """

    page: Page
    timeouts: Timeouts = field(default_factory=Timeouts)
    notes: list[str] = field(default_factory=list)
    activity: NetworkQuiet | None = None  # the tab's writes and requests: a click's effect
    bridge: AutoconsentBridge = field(init=False)
    controls: BannerControls = field(init=False)
    _dom_changed: asyncio.Event = field(default_factory=asyncio.Event)  # in any frame
    _controls: list[Controls] = field(default_factory=list)
    _seen: list[Controls] = field(default_factory=list)  # the controls act() answered
    _installed: list[Any] = field(default_factory=list)  # the bindings and the init script

    def __post_init__(self) -> None:
        self.bridge = AutoconsentBridge(self.notes)
        self.controls = BannerControls(self.page, self.timeouts, self.notes, self.activity)

    @property
    def cmp(self) -> str | None:
        """The consent manager autoconsent recognised, if any."""
        return self.bridge.cmp

    async def consent_manager(self) -> str | None:
        """The consent manager to name: autoconsent's rule when the manager's own signature
        is on the page (`signatures`), or the manager found by its signature alone."""
        frames = [self.page.main_frame]
        if self.bridge.popup_frame is not None and self.bridge.popup_frame not in frames:
            frames.append(self.bridge.popup_frame)
        present: list[str] = []
        for frame in frames:
            try:
                found = await evaluate(
                    frame, SIGNATURES_SCRIPT, page_table(), timeout=self.timeouts.read
                )
            except Exception as error:  # noqa: BLE001 - a frame gone or busy: noted, not named
                self.notes.append(f"consent manager signatures not read: {one_line(error)}")
                continue
            present += [str(family) for family in found or [] if family not in present]
        return name_consent_manager(self.bridge.cmp, present)

    async def install(self) -> None:
        script, self.bridge.signals = engine()
        if self.bridge.signals:
            script = banner_shown_script() + script
        script = CLOSED_ROOTS_SCRIPT + "\n" + dom_watch_script(self.timeouts.dom_pause) + script
        self.page.on("frameattached", self._wake)
        try:
            self._installed.append(
                await self.page.expose_binding(MESSAGE_BINDING, self.bridge.on_message)
            )
            self._installed.append(await self.page.expose_binding(DOM_CHANGED_BINDING, self._wake))
            self._installed.append(await self.page.add_init_script(script=script))
        except Exception as error:  # noqa: BLE001 - the page crashed or closed: the text
            # fallback still works
            self.bridge.failed = one_line(error)
            self.notes.append(f"autoconsent not installed: {self.bridge.failed}")

    def _wake(self, *_: Any) -> None:
        """The page changed (DOM, a new frame): the banner scan runs again now."""
        self._dom_changed.set()

    async def wait_for_banner(self, seconds: float, *, grace: bool = True) -> None:
        """Until a banner is found (autoconsent's signal, or controls in any frame), or the
        one deadline passes; autoconsent's "nothing detected" shortens the wait for banners
        drawn late to one more second."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        declared_looked = False
        while True:
            if self.bridge.popup.is_set():
                return
            self._dom_changed.clear()  # a change while scanning wakes the next scan
            self._controls = await self.controls.scan()
            if any(c.refuse or c.accept for c in self._controls):
                if grace:
                    # Autoconsent may still name the consent manager: its opt-out is cleaner.
                    await self.wait_for_autoconsent(
                        min(self.timeouts.autoconsent_grace, deadline - loop.time())
                    )
                return
            if self.bridge.nothing.is_set():
                deadline = min(deadline, loop.time() + 1.0)
            remaining = deadline - loop.time()
            if remaining <= 0:
                if not declared_looked and await self._reach_declared_roots():
                    declared_looked = True
                    continue  # scan once more, inside the closed roots the HTML declared
                return
            try:  # a change in the page, or the poll for what no event reports (shadow DOM)
                await asyncio.wait_for(
                    self._dom_changed.wait(), timeout=min(self.timeouts.banner_poll, remaining)
                )
            except asyncio.TimeoutError:
                pass

    async def _reach_declared_roots(self) -> int:
        """`reach_declared_roots` for the scans; 0 when the tab cannot say (noted)."""
        try:
            return await asyncio.wait_for(
                reach_declared_roots(self.page), timeout=self.timeouts.read
            )
        except Exception as error:  # noqa: BLE001 - a page gone or busy: no banner, as before
            self.notes.append(f"declared shadow roots not read: {one_line(error) or 'timed out'}")
            return 0

    async def wait_for_autoconsent(self, seconds: float) -> str | None:
        """Until autoconsent shows the banner it knows, or a try of it in every frame where
        the scan found the banner ended without recognising a consent manager (a banner it
        does not know: the text fallback answers), or ``seconds`` passed; the consent
        manager's name, when known."""
        controls = self._controls or self._seen
        frames: set[Frame] = {c.frame for c in controls if c.refuse or c.accept}
        return await self.bridge.wait(seconds, frames)

    def found_label(self, kind: str) -> str | None:
        """The label of a control of ``kind`` the last scan found, if any."""
        return next((c.labels[kind] for c in self._seen if c.labels.get(kind)), None)

    async def act(self, action: Action, seconds: float | None = None) -> BannerResult:
        """Refuse, accept, close, or only look (``none``), and say what happened and how.
        Whether the choice can be withdrawn is for the caller to ask (`withdraw_option_found`)
        while the page settles. Nothing is clicked when the label of the choice could be
        read two ways, or when refusing means paying (a pay-or-accept wall)."""
        seconds = self.timeouts.choice if seconds is None else seconds
        controls = await self.controls.scan() if not self._controls else self._controls
        self._controls = []
        self._seen = controls
        refuse_found = any(c.refuse for c in controls)
        accept_found = any(c.accept for c in controls)
        pay = first(controls, "pay")
        undecided = [u for c in controls for u in c.undecided]
        bridge = self.bridge
        detected = bridge.popup.is_set() or refuse_found or accept_found or bool(undecided)
        detected = detected or (pay is not None and accept_found)
        if not detected:
            return BannerResult(
                detected=False,
                action=action if action != "close" else "none",
                method="none",
                succeeded=False,
                reject_option_found=None,
                **described(text("banner_detail.no_banner")),
            )
        seen = describe(controls)
        wall = _wall(pay) if pay is not None and not refuse_found else None
        cmp = await self.consent_manager()
        found: dict[str, Any] = {
            "detected": True,
            "cmp": cmp,
            "reject_option_found": refuse_found,
            "controls": _measures(controls),
            "undecided": [str(u.get("label")) for u in undecided],
        }
        if action in ("none", "close"):
            detail = (
                _wall_text("banner_detail.wall_first_layer", wall, seen=seen)
                if wall
                else text("banner_detail.unanswered", seen=seen)
            )
            return BannerResult(
                action="none",
                method="none",
                succeeded=False,
                wall=wall,
                **found,
                **described(detail),
            )
        kind: Choice = "refuse" if action == "reject" else "accept"
        if bridge.popup.is_set() and bridge.popup_frame is not None:
            before = self.controls.effects()
            succeeded = await bridge.choose(kind, seconds)
            if (
                succeeded
                and await self.controls.still_shown(controls, kind)
                and self.controls.effects()[0] <= before[0]
            ):
                # The rule clicked before the consent manager listened (it draws its banner
                # first): nothing was recorded. The banner's own button answers it. A banner
                # still fading out on a slow machine after the choice was stored is done.
                self.notes.append(
                    f"autoconsent rule {bridge.cmp!r} clicked, but the banner stayed: clicked again"
                )
                succeeded = False
            if succeeded:
                verb = "refused" if action == "reject" else "accepted"
                # A rule of another manager's name that matched this markup is not named.
                rule = "" if cmp == bridge.cmp else "_markup"
                done_by = text(f"banner_detail.autoconsent_{verb}{rule}", cmp=repr(cmp), seen=seen)
                return BannerResult(
                    action=action,
                    method="autoconsent",
                    succeeded=True,
                    **found,
                    **described(done_by),
                )
            controls = await self.controls.scan()
        clicked: list[str] = []
        if kind == "refuse" and wall is not None:
            detail = _wall_text("banner_detail.wall_first_layer", wall, seen=seen)
            return BannerResult(
                action=action,
                method="none",
                succeeded=False,
                wall=wall,
                **found,
                **described(detail),
            )
        done = await self.controls.click(controls, kind, clicked)
        if done is None and kind == "refuse":
            done = await self.controls.refuse_in_second_layer(controls, clicked)
        if done and kind == "refuse":
            wall = await self._paid_offer()
            if wall is not None:
                labels = " → ".join(repr(c) for c in clicked)
                detail = _wall_text(
                    "banner_detail.wall_after_refusal", wall, labels=labels, seen=seen
                )
                return BannerResult(
                    action=action,
                    method="text-fallback",
                    succeeded=False,
                    wall=wall,
                    clicks=len(clicked),
                    clicked=clicked,
                    **found,
                    **described(detail),
                )
        if done is not None:
            layers = text("banner_detail.second_layer") if len(clicked) > 1 else ""
            labels = " → ".join(repr(c) for c in clicked)
            key = "banner_detail.clicked" if done else "banner_detail.clicked_stayed"
            return BannerResult(
                action=action,
                method="text-fallback",
                succeeded=done,
                **found,
                **described(text(key, labels=labels, layers=layers, seen=seen)),
                clicks=len(clicked),
                clicked=clicked,
            )
        unsure = [str(u.get("label")) for u in undecided if kind in (u.get("kinds") or [])]
        if unsure:
            missing = text(
                "banner_detail.undecided",
                choice=text(f"banner_detail.undecided_{kind}"),
                labels=", ".join(repr(label) for label in unsure),
                seen=seen,
            )
        elif kind in self.controls.unconfirmed:  # found, clicked, but nothing came of it
            missing = text(
                "banner_detail.click_unconfirmed",
                label=repr(self.controls.unconfirmed[kind]),
                seen=seen,
            )
        else:
            missing = text(f"banner_detail.no_{kind}_option", seen=seen)
        if bridge.cmp:
            missing = text("banner_detail.autoconsent_failed", cmp=repr(bridge.cmp), rest=missing)
        return BannerResult(
            action=action,
            method="none",
            succeeded=False,
            **found,
            **described(missing),
            clicks=len(clicked) or None,
            clicked=clicked,
        )

    async def _paid_offer(self) -> dict[str, Any] | None:
        """After a refusal click: a paid offer shown in its place, and no free way on."""
        layer = await self.controls.scan()
        pay = first(layer, "pay")
        if pay is None or first(layer, "refuse") is not None or first(layer, "save") is not None:
            return None
        return _wall(pay)

    async def close_banner(self) -> tuple[str | None, bool]:
        """Click the banner's close control (×); its label, and whether the banner went."""
        controls = self._controls or await self.controls.scan()
        self._controls = []
        clicked: list[str] = []
        done = await self.controls.click(controls, "close", clicked)
        return (clicked[0] if clicked else None), bool(done)

    async def withdraw_option_found(self) -> bool:
        """Whether some frame of the page offers a way to change the choice just made."""
        return await self.controls.withdraw_option_found()

    async def close(self, *, reuse: bool = True) -> bool:
        """Stop listening and, when the tab is to browse on (``reuse``, as the visitor's tab
        does after the choice), remove autoconsent from its next pages: whether it is clean
        again. A tab about to be closed is left as it is: on a page still loading, removing
        a binding waits for a document that may never come."""
        self.bridge.stop()
        self.page.remove_listener("frameattached", self._wake)
        installed, self._installed = self._installed, []
        if not reuse:
            return False
        loop = asyncio.get_running_loop()
        end = loop.time() + self.timeouts.close  # for all of them: one slow page, one wait
        for one in reversed(installed):
            try:
                await asyncio.wait_for(one.close(), timeout=max(0.001, end - loop.time()))
            except Exception as error:  # noqa: BLE001 - the tab crashed or closed: it is not reused
                self.notes.append(f"autoconsent not removed from the tab: {one_line(error)}")
                return False
        return True


def _wall(pay: Controls) -> dict[str, Any]:
    """A pay control as the wall it makes: its label and the price its wall states."""
    return {"offer": pay.labels["pay"], "price": pay.price}


def _wall_text(key: str, wall: dict[str, Any], **values: Any) -> Text:
    price = text("banner_detail.price", price=wall["price"]) if wall.get("price") else ""
    return text(key, offer=repr(wall["offer"]), price=price, **values)


def _measures(controls: list[Controls]) -> dict[str, dict[str, Any]]:
    """The refuse, accept and pay controls as measured on screen, with their labels."""
    measured: dict[str, dict[str, Any]] = {}
    for control in controls:
        for kind, values in control.measures.items():
            if kind not in measured:
                measured[kind] = {"label": control.labels.get(kind), **values}
    return measured
