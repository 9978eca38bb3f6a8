"""The conversation with DuckDuckGo's autoconsent in the page: its messages, heard through a
binding, and ours, sent back into the frame that asked.

The engine (`autoconsent.engine`) runs in every frame; it asks for its configuration and
rules (``init``), for probes of the page (``eval``), and tells what it found (``popupFound``,
``cmpDetected``, our ``findCmpDone``) and how an opt-out or opt-in ended. `ConsentDriver`
installs the binding and reads the bridge's state.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from privacy_audit.consent.autoconsent import rules_json_for_frame
from privacy_audit.consent.controls import one_line
from privacy_audit.resources import page_script

if TYPE_CHECKING:
    from playwright.async_api import Frame

    from privacy_audit.consent.phrases import Choice

AUTOCONSENT_CONFIG: dict[str, Any] = {
    "enabled": True,
    "autoAction": None,  # detect first, screenshot, then opt out or in on our signal
    "disabledCmps": [],
    "enablePrehide": False,  # the screenshot must show the banner
    "enableCosmeticRules": False,
    "enableGeneratedRules": True,
    "enableHeuristicDetection": True,
    "detectRetries": 6,
    "isMainWorld": True,
    "logs": {
        "lifecycle": False,
        "rulesteps": False,
        "evals": False,
        "errors": False,
        "messages": False,
        "waits": False,
        "detectionsteps": False,
    },
}
MESSAGE_BINDING = "autoconsentSendMessage"
"""The function the engine calls, in every frame, to talk to us."""
INIT_RESPONSE_SCRIPT = page_script("privacy_audit.consent", "scripts/autoconsent_init_response.js")
"""Answers the engine's ``init``: its configuration and the frame's rules."""
SEND_SCRIPT = page_script("privacy_audit.consent", "scripts/autoconsent_send.js")
"""Sends one message to the engine of a frame."""


@dataclass
class AutoconsentBridge:
    """What autoconsent said on one page; ``notes`` is shared with the driver."""

    notes: list[str] = field(default_factory=list)
    cmp: str | None = None  # the consent manager autoconsent recognised
    popup_frame: Frame | None = None  # the frame whose engine showed the banner
    result: bool | None = None  # how the last opt-out or opt-in ended
    known: bool = False  # autoconsent recognised a consent manager (cmpDetected)
    tried: set[Any] = field(default_factory=set)  # frames where a try saw the banner, in vain
    signals: bool = False  # the engine reports the end of each try
    failed: str | None = None  # why the engine could not be installed
    popup: asyncio.Event = field(default_factory=asyncio.Event)
    nothing: asyncio.Event = field(default_factory=asyncio.Event)
    heard: asyncio.Event = field(default_factory=asyncio.Event)  # any detection news
    _done: asyncio.Event = field(default_factory=asyncio.Event)
    _tasks: set[asyncio.Task[Any]] = field(default_factory=set)

    def on_message(self, source: dict[str, Any], message: Any) -> None:
        """The binding the engine calls: ``source["frame"]`` is the frame that sent it."""
        if not isinstance(message, dict):
            return
        frame = source.get("frame")
        kind = message.get("type")
        if kind == "init" and frame is not None:
            rules = rules_json_for_frame(frame.url, frame.parent_frame is None)
            self._spawn(frame.evaluate(INIT_RESPONSE_SCRIPT, [AUTOCONSENT_CONFIG, rules]))
        elif kind == "eval" and frame is not None:
            self._spawn(self._answer_eval(frame, message))
        elif kind == "popupFound":
            if self.cmp is None:
                self.cmp = str(message.get("cmp") or "") or None
                self.popup_frame = frame
            self.popup.set()
            self.heard.set()
        elif kind == "cmpDetected":
            self.known = True
            self.heard.set()
        elif kind == "findCmpDone":
            if message.get("found"):
                self.known = True
            elif message.get("sawBanner") and frame is not None:
                self.tried.add(frame)
            self.heard.set()
        elif kind in ("optOutResult", "optInResult"):
            self.result = bool(message.get("result"))
            self._done.set()
        elif kind == "report" and message.get("mainFrame"):
            lifecycle = (message.get("state") or {}).get("lifecycle")
            if lifecycle == "nothingDetected":
                self.nothing.set()

    def _spawn(self, coroutine: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._finish_task)

    def _finish_task(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            # Frames vanish mid-call (navigation, banner removed): noted, not fatal.
            self.notes.append(f"autoconsent message not delivered: {one_line(task.exception())}")

    async def _answer_eval(self, frame: Frame, message: dict[str, Any]) -> None:
        try:
            value = bool(await frame.evaluate(str(message.get("code", "false"))))
        except Exception:  # noqa: BLE001 - autoconsent's probes run on any page: a failing
            value = False  # probe (a script error, a frame gone) means no
        await frame.evaluate(
            SEND_SCRIPT, {"type": "evalResp", "id": message.get("id"), "result": value}
        )

    async def wait(self, seconds: float, frames: set[Frame]) -> str | None:
        """Until autoconsent shows the banner it knows, or a try in every frame of ``frames``
        (where the text scan found the banner) ended without recognising a consent manager,
        or ``seconds`` passed; the consent manager's name, when known."""
        if self.failed or self.nothing.is_set():
            return self.cmp
        loop = asyncio.get_running_loop()
        end = loop.time() + seconds
        while not self.popup.is_set():
            if self.signals and not self.known and frames <= self.tried:
                break
            remaining = end - loop.time()
            if remaining <= 0:
                break
            self.heard.clear()
            try:
                await asyncio.wait_for(self.heard.wait(), timeout=remaining)
            except asyncio.TimeoutError:
                break
        return self.cmp

    async def choose(self, kind: Choice, seconds: float) -> bool:
        """The consent manager's own opt-out (``refuse``) or opt-in, in the banner's frame;
        whether it reports success within ``seconds`` (one at least)."""
        assert self.popup_frame is not None
        message = {"type": "optOut" if kind == "refuse" else "optIn"}
        try:
            await self.popup_frame.evaluate(SEND_SCRIPT, message)
            await asyncio.wait_for(self._done.wait(), timeout=max(seconds, 1.0))
        except Exception as error:  # noqa: BLE001 - a frame gone, a timeout, a script error:
            # the text fallback answers the banner; the reason is kept as a note.
            self.notes.append(f"autoconsent rule {self.cmp!r} did not answer: {one_line(error)}")
            return False
        return bool(self.result)

    def stop(self) -> None:
        """Cancel the replies still on their way (the tab is closing or browses on)."""
        for task in list(self._tasks):
            task.cancel()
